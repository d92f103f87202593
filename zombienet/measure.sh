#!/usr/bin/env bash
# Measures block time and time to the first finalized block on the 4-validator local network.
#
#   zombienet/measure.sh [blocks]     # default 20 blocks
#
# Spawns zombienet/network.toml, measures through alice's RPC with scripts/measure-blocks.py
# (times counted from the moment zombienet was asked to spawn, so they include chain-spec
# generation and node start-up), prints the JSON report, and tears the network down.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../scripts/env.sh"
blocks="${1:-20}"
export ZOMBIENET_RUN_DIR="$EPICHAIN_ROOT/zombienet/runs/measure-$(date +%Y%m%d-%H%M%S)"
started=$(date +%s.%N)
"$EPICHAIN_ROOT/zombienet/run.sh" spawn "$EPICHAIN_ROOT/zombienet/network.toml" > "$ZOMBIENET_RUN_DIR.spawn.log" 2>&1 &
spawner=$!
trap 'kill $spawner 2>/dev/null; wait $spawner 2>/dev/null || true' EXIT

# alice's RPC port is in the node's command line once zombienet has written it.
for _ in $(seq 1 300); do
	port=$(grep -o -- '--rpc-port [0-9]*' "$ZOMBIENET_RUN_DIR/alice.yaml" 2>/dev/null | awk '{print $2}' | head -1 || true)
	[ -n "${port:-}" ] && break
	sleep 0.2
done
[ -n "${port:-}" ] || { echo "measure.sh: zombienet did not start alice" >&2; cat "$ZOMBIENET_RUN_DIR.spawn.log" >&2; exit 1; }
step "alice's RPC on port $port; observing $blocks blocks"
"$EPICHAIN_ROOT/scripts/measure-blocks.py" --url "http://127.0.0.1:$port" --since "$started" --blocks "$blocks"

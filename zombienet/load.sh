#!/usr/bin/env bash
# Sustained CSI ingest on the 4-validator local region: the figures in docs/BENCHMARKS.md.
#
#   zombienet/load.sh [epichain load options]   # e.g. --locators 8 --people 1200 --in-flight 2
#
# Spawns zombienet/network.toml (alice, bob, charlie, dave; every validator runs the off-chain
# worker against one simulation matcher), starts the matcher (it registers itself as //Alice,
# the local chain's authority), runs `epichain load --json` through alice's RPC, prints the
# report and tears everything down. Needs scripts/build.sh's release binaries.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../scripts/env.sh"
bin="$(dirname "$EPICHAIN_NODE")"
for b in epichain-node epichain-matcher epichain; do
	[ -x "$bin/$b" ] || { echo "load.sh: $bin/$b missing; run scripts/build.sh" >&2; exit 1; }
done
run="$EPICHAIN_ROOT/zombienet/runs/load-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$(dirname "$run")"
matcher_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# The network file with the matcher URL every validator's worker relays to.
sed -e "s|^default_args = \[|default_args = [\"--matcher-url=http://127.0.0.1:$matcher_port\", |" \
	"$EPICHAIN_ROOT/zombienet/network.toml" > "$run.toml"
export ZOMBIENET_RUN_DIR="$run"
"$EPICHAIN_ROOT/zombienet/run.sh" spawn "$run.toml" > "$run.spawn.log" 2>&1 &
spawner=$!
cleanup() {
	kill "${matcher:-}" 2>/dev/null || true
	kill "$spawner" 2>/dev/null || true
	wait 2>/dev/null || true
}
trap cleanup EXIT

step "spawning the 4-validator region ($run)"
for _ in $(seq 1 600); do
	[ -f "$run/zombie.json" ] && break
	kill -0 "$spawner" 2>/dev/null || { echo "load.sh: zombienet exited" >&2; cat "$run.spawn.log" >&2; exit 1; }
	sleep 0.5
done
[ -f "$run/zombie.json" ] || { echo "load.sh: the network did not come up" >&2; exit 1; }
ws=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['nodesByName']['alice']['wsUri'])" "$run/zombie.json")
http="${ws/ws:/http:}"
step "matcher on 127.0.0.1:$matcher_port, following $http"
"$bin/epichain-matcher" --enclave simulation --authority-suri //Alice --chain-rpc "$http" \
	--chain-spec "$run/local-raw.json" \
	--listen "127.0.0.1:$matcher_port" --base-path "$run/matcher" > "$run/matcher.log" 2>&1 &
matcher=$!
# Batches are sealed to the matcher's key: wait until it is registered on chain.
for _ in $(seq 1 150); do
	grep -q "registered on chain as matcher" "$run/matcher.log" && break
	kill -0 "$matcher" 2>/dev/null || { echo "load.sh: the matcher exited" >&2; cat "$run/matcher.log" >&2; exit 1; }
	sleep 2
done
grep -q "registered on chain as matcher" "$run/matcher.log" \
	|| { echo "load.sh: the matcher did not register in 300 s" >&2; exit 1; }
step "epichain load $* (through alice)"
"$bin/epichain" --url "$ws" load "$@"

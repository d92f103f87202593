#!/usr/bin/env bash
# Quick start, command 1: brings up a development region on this machine.
#
# Builds if needed, then runs
#   - one validator (Alice) on the `dev` chain with a fresh temporary database, RPC on
#     ws://127.0.0.1:9944 (override with RPC_PORT), its off-chain worker pointed at the matcher;
#   - the matcher (simulation enclave) on http://127.0.0.1:8545 (override with MATCHER_PORT),
#     which registers itself with the dev authority key (Alice, sudo) and follows the chain.
#     Its keys are sealed in a fresh temporary directory, like the dev chain's database
#     (override with MATCHER_BASE_PATH); the script prints how to restart it on the same keys.
# Endorsing a case on it produces notifications with no further setup. Ctrl-C stops both.
# Extra arguments go to epichain-node (e.g. `scripts/dev.sh --base-path ~/.epichain-dev`).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
"$EPICHAIN_ROOT/scripts/build.sh"

rpc_port="${RPC_PORT:-9944}"
matcher_port="${MATCHER_PORT:-8545}"
matcher="$(dirname "$EPICHAIN_NODE")/epichain-matcher"
matcher_base="${MATCHER_BASE_PATH:-$(mktemp -d -t epichain-dev-matcher.XXXXXX)}"

step "starting the dev region: epichain-node --dev (RPC ws://127.0.0.1:$rpc_port) and the matcher (http://127.0.0.1:$matcher_port, simulation enclave)"
echo "   polkadot.js Apps: https://polkadot.js.org/apps/?rpc=ws%3A%2F%2F127.0.0.1%3A$rpc_port" >&2
echo "   matcher: curl http://127.0.0.1:$matcher_port/v1/attestation | /v1/statistics" >&2
echo "   matcher keys sealed in $matcher_base; restarted with the same --base-path it is the same matcher" >&2
echo "   stop with Ctrl-C" >&2

pids=()
cleanup() {
	trap - EXIT INT TERM
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
	wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

"$EPICHAIN_NODE" --dev --rpc-port "$rpc_port" --rpc-cors all \
	--matcher-url "http://127.0.0.1:$matcher_port" "$@" &
pids+=($!)
# The matcher trusts the chain spec (genesis and GRANDPA authorities), not the node.
mkdir -p "$matcher_base"
spec="$matcher_base/dev-raw.json"
"$EPICHAIN_NODE" export-chain-spec --chain dev --raw --output "$spec" 2>/dev/null
"$matcher" --enclave simulation --authority-suri //Alice --chain-spec "$spec" \
	--chain-rpc "http://127.0.0.1:$rpc_port" --listen "127.0.0.1:$matcher_port" \
	--base-path "$matcher_base" &
pids+=($!)
# Stop both when either exits.
wait -n "${pids[@]}"

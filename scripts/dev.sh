#!/usr/bin/env bash
# Quick start, command 1: brings up a development region on this machine.
#
# Builds if needed, then runs one validator (Alice) on the `dev` chain with a fresh temporary
# database, RPC on ws://127.0.0.1:9944 (override with RPC_PORT). Ctrl-C stops it.
# Extra arguments go to epichain-node (e.g. `scripts/dev.sh --base-path ~/.epichain-dev`).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
"$EPICHAIN_ROOT/scripts/build.sh"

rpc_port="${RPC_PORT:-9944}"
step "starting the dev region: epichain-node --dev (RPC ws://127.0.0.1:$rpc_port)"
echo "   polkadot.js Apps: https://polkadot.js.org/apps/?rpc=ws%3A%2F%2F127.0.0.1%3A$rpc_port" >&2
echo "   stop with Ctrl-C" >&2
exec "$EPICHAIN_NODE" --dev --rpc-port "$rpc_port" --rpc-cors all "$@"

#!/usr/bin/env bash
# Builds the node (and its wasm runtime) in the release profile, into $CARGO_TARGET_DIR.
# Quick when nothing changed. Extra arguments go to cargo (e.g. --features epichain-node/benchmarks).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
"$EPICHAIN_ROOT/scripts/setup.sh"
cd "$EPICHAIN_ROOT"
step "building epichain-node, epichain-matcher and the epichain client (release) into $CARGO_TARGET_DIR; a cold build takes about 25 minutes on 2 cores"
# One invocation for both binaries: one feature resolution, so they share every dependency.
cargo build --release --locked -p epichain-node -p epichain-matcher -p epichain-client "$@"

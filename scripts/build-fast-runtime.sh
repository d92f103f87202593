#!/usr/bin/env bash
# Builds the runtime's wasm with the benchmarks-only `fast-blocks` feature (100 ms blocks instead of
# 6 s) and prints the path of the compressed wasm. A benchmark swaps it into a dev chain spec's
# `:code` to make many blocks of real chain quickly: a phone's day offline (14,400 blocks) in 24
# minutes (app/scripts/bench-offline-sync.mjs --fast-wasm).
#
# It builds in its own target directory, $CARGO_TARGET_DIR-fast-blocks, so the node's runtime in
# $CARGO_TARGET_DIR never embeds this wasm. The first run seeds that directory with a copy of
# $CARGO_TARGET_DIR when one exists (only the runtime then recompiles, a few minutes); without it,
# the build is cold (about 20 minutes on 2 cores). Never use this wasm for a region: a chain's slot
# duration cannot change after genesis.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
"$EPICHAIN_ROOT/scripts/setup.sh"
fast="$CARGO_TARGET_DIR-fast-blocks"
if [[ ! -d "$fast" && -d "$CARGO_TARGET_DIR/release" ]]; then
	step "seeding $fast from $CARGO_TARGET_DIR (a copy, so only the runtime recompiles)"
	mkdir -p "$fast"
	cp -a "$CARGO_TARGET_DIR/release" "$fast/"
fi
step "building epichain-runtime with fast-blocks into $fast"
cd "$EPICHAIN_ROOT"
CARGO_TARGET_DIR="$fast" cargo build --release --locked -p epichain-runtime --features fast-blocks >&2
wasm="$fast/release/wbuild/epichain-runtime/epichain_runtime.compact.compressed.wasm"
[[ -f "$wasm" ]] || { echo "build-fast-runtime: no wasm at $wasm" >&2; exit 1; }
echo "$wasm"

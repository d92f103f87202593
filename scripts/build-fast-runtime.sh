#!/usr/bin/env bash
# Builds the runtime's wasm with the benchmarks-only `fast-blocks` feature (100 ms blocks instead of
# 6 s) and writes the dev chain spec (raw) running it: a benchmark's throwaway chain that makes
# many blocks of real chain quickly, e.g. a phone's day offline (14,400 blocks) in 24 minutes.
#
#   scripts/build-fast-runtime.sh [SPEC]   # prints SPEC ($CARGO_TARGET_DIR-fast-blocks/dev-fast-raw.json)
#
# The spec is the dev chain's genesis with only `:code` replaced, and its id suffixed
# `_fast_blocks`. Run a node on it with `--chain SPEC --alice --validator --no-mdns` (two runs on
# one machine would be the same chain and find each other). app/scripts/bench-offline-sync.mjs
# (--chain-spec) and matcher/bench-restart.sh (EPICHAIN_BENCH_CHAIN_SPEC) take it.
#
# It builds in its own target directory, $CARGO_TARGET_DIR-fast-blocks, so the node's runtime in
# $CARGO_TARGET_DIR never embeds this wasm. The first run seeds that directory with a copy of
# $CARGO_TARGET_DIR/release when one exists (only the runtime then recompiles, a few minutes);
# without it, the build is cold (about 20 minutes on 2 cores). Never use this wasm for a region: a
# chain's slot duration cannot change after genesis.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
"$EPICHAIN_ROOT/scripts/setup.sh"
[ -x "$EPICHAIN_NODE" ] || { echo "build-fast-runtime: $EPICHAIN_NODE missing; run scripts/build.sh" >&2; exit 1; }
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
spec="${1:-$fast/dev-fast-raw.json}"
"$EPICHAIN_NODE" export-chain-spec --chain dev --raw --output "$spec.dev" >&2
python3 - "$spec.dev" "$wasm" "$spec" <<'PY'
import json, sys
dev, wasm, out = sys.argv[1:4]
spec = json.load(open(dev))
# The same genesis state under another runtime: `:code` is the only key that changes.
spec["genesis"]["raw"]["top"]["0x3a636f6465"] = "0x" + open(wasm, "rb").read().hex()
spec["id"] += "_fast_blocks"
spec["name"] += " (100 ms blocks, benchmarks only)"
json.dump(spec, open(out, "w"))
PY
rm -f "$spec.dev"
step "the dev chain on 100 ms blocks: $spec"
echo "$spec"

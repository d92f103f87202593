#!/usr/bin/env bash
# Benchmarks epichain's pallets with the node's `benchmark pallet` command and writes their
# weights.rs files. Builds the node with `--features benchmarks` first (a separate, longer
# build than the test build: it adds frame-benchmarking-cli and a benchmarking runtime).
#
#   scripts/benchmarks/run.sh                 # every epichain pallet, 50 steps x 20 repeats
#   STEPS=10 REPEAT=5 scripts/benchmarks/run.sh pallet_csi
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../env.sh"
cd "$EPICHAIN_ROOT"
"$EPICHAIN_ROOT/scripts/build.sh" --features epichain-node/benchmarks
STEPS="${STEPS:-50}"
REPEAT="${REPEAT:-20}"
pallets=("$@")
[ ${#pallets[@]} -gt 0 ] || pallets=(pallet_matchers pallet_csi pallet_locations pallet_diagnosis pallet_notifications)
for pallet in "${pallets[@]}"; do
	dir="pallets/${pallet#pallet_}/src"
	step "benchmarking $pallet ($STEPS steps x $REPEAT repeats) into $dir/weights.rs"
	"$EPICHAIN_NODE" benchmark pallet \
		--runtime "$CARGO_TARGET_DIR/release/wbuild/epichain-runtime/epichain_runtime.compact.compressed.wasm" \
		--genesis-builder=runtime --genesis-builder-preset=development \
		--pallet "$pallet" --extrinsic '*' \
		--wasm-execution compiled --steps "$STEPS" --repeat "$REPEAT" \
		--heap-pages 4096 \
		--template scripts/benchmarks/weight-template.hbs \
		--header scripts/benchmarks/header.txt \
		--output "$dir/weights.rs"
done

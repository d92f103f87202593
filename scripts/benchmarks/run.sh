#!/usr/bin/env bash
# Benchmarks epichain's pallets with the node's `benchmark pallet` command and writes their
# weights.rs files. Builds the node with `--features benchmarks` first (a separate, longer
# build than the test build: it adds frame-benchmarking-cli and a benchmarking runtime).
#
#   scripts/benchmarks/run.sh                 # every epichain pallet, 50 steps x 20 repeats
#   STEPS=10 REPEAT=5 scripts/benchmarks/run.sh pallet_csi
#
# An epichain pallet's weights go to pallets/<name>/src/weights.rs (its own WeightInfo trait);
# an upstream pallet's (pallet_collective, pallet_membership, pallet_preimage, pallet_whitelist) to
# runtime/src/weights/<pallet>.rs,
# implementing that pallet's WeightInfo with this runtime's measured figures.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../env.sh"
cd "$EPICHAIN_ROOT"
"$EPICHAIN_ROOT/scripts/build.sh" --features epichain-node/benchmarks
STEPS="${STEPS:-50}"
REPEAT="${REPEAT:-20}"
pallets=("$@")
[ ${#pallets[@]} -gt 0 ] || pallets=(pallet_matchers pallet_csi pallet_locations pallet_diagnosis
	pallet_notifications pallet_validators pallet_collective pallet_membership pallet_preimage
	pallet_whitelist)
for pallet in "${pallets[@]}"; do
	dir="pallets/${pallet#pallet_}/src"
	out="$dir/weights.rs"
	template=scripts/benchmarks/weight-template.hbs
	if [ ! -d "$dir" ]; then
		out="runtime/src/weights/$pallet.rs"
		template=scripts/benchmarks/upstream-template.hbs
	fi
	step "benchmarking $pallet ($STEPS steps x $REPEAT repeats) into $out"
	"$EPICHAIN_NODE" benchmark pallet \
		--runtime "$CARGO_TARGET_DIR/release/wbuild/epichain-runtime/epichain_runtime.compact.compressed.wasm" \
		--genesis-builder=runtime --genesis-builder-preset=development \
		--pallet "$pallet" --extrinsic '*' \
		--wasm-execution compiled --steps "$STEPS" --repeat "$REPEAT" \
		--heap-pages 4096 \
		--template "$template" \
		--header scripts/benchmarks/header.txt \
		--output "$out"
done

#!/usr/bin/env bash
# Quick start, command 2: runs every test.
#
#   1. the workspace's unit and integration tests (release profile, one build shared with the
#      node binary, the runtime wasm, the dev node test and zombienet), including the network
#      tests (client/tests/network.rs: 4-validator regions spawned with zombienet);
#   2. the benchmark test suites of epichain's pallets (every benchmark runs once on the mock);
#   3. the chain-spec freshness check (committed JSON matches what the node generates);
#   4. a short libFuzzer run of the runtime and decoders harnesses (scripts/fuzz.sh; the
#      corpus replay itself runs in step 1 as epichain-fuzz's tests);
#   5. the zombienet smoke test: four validators on the native provider.
#
# Set EPICHAIN_SKIP_ZOMBIENET=1 to skip every multi-node network (the network tests and step 4).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
"$EPICHAIN_ROOT/scripts/setup.sh" --zombienet
cd "$EPICHAIN_ROOT"

started=$(date +%s)
step "building node and tests (release) into $CARGO_TARGET_DIR; a cold build takes about 25 minutes on 2 cores"
cargo build --release --locked -p epichain-node -p epichain-matcher -p epichain-client
cargo test --release --locked --workspace --no-run

step "unit and integration tests"
cargo test --release --locked --workspace

step "benchmark test suites of the epichain pallets (mock runtimes, no wasm)"
SKIP_WASM_BUILD=1 cargo test --release --locked -p pallet-matchers -p pallet-csi -p pallet-locations \
	-p pallet-diagnosis -p pallet-notifications \
	--features runtime-benchmarks benchmarking::

step "chain specs match the node"
"$EPICHAIN_ROOT/chain-specs/generate.sh" --check

# EPICHAIN_FUZZ_SECONDS=0 skips the libFuzzer runs (the corpus replay in step 1 still runs).
fuzz_seconds="${EPICHAIN_FUZZ_SECONDS:-120}"
if [ "$fuzz_seconds" != 0 ]; then
	step "fuzzing the runtime for $fuzz_seconds s and the decoders for 30 s (libFuzzer)"
	"$EPICHAIN_ROOT/scripts/fuzz.sh" runtime "$fuzz_seconds"
	"$EPICHAIN_ROOT/scripts/fuzz.sh" decoders 30
fi

if [ "${EPICHAIN_SKIP_ZOMBIENET:-0}" != 1 ]; then
	step "zombienet smoke test: 4 validators, native provider"
	"$EPICHAIN_ROOT/zombienet/run.sh" test "$EPICHAIN_ROOT/zombienet/0001-smoke.zndsl"
fi

step "all tests passed in $(( $(date +%s) - started )) s"

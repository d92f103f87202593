#!/usr/bin/env bash
# Runs epichain's libFuzzer targets (fuzz/libfuzzer) with cargo-fuzz on stable Rust.
#
#   scripts/fuzz.sh [TARGET] [SECONDS] [libFuzzer options...]
#
#   TARGET   runtime (default): fuzz programs of calls against the native runtime, block by
#            block, with every epichain pallet's try_state, the block limits and the storage
#            bounds checked after each block (fuzz/src/runtime.rs);
#            decoders: arbitrary bytes into the primitives' parsers and the sealing open path.
#   SECONDS  how long to fuzz (default 60).
#
# The corpus grows in fuzz/corpus/TARGET (seeded from fuzz/src/seeds.rs, committed). A finding
# stops the run and is written to fuzz/libfuzzer/artifacts/TARGET/; copy it to
# fuzz/regressions/TARGET/ with the fix, and `cargo test -p epichain-fuzz` replays it for good.
# The runtime target prints "epichain-fuzz: N calls ..." every 10,000 calls; the last such
# line and libFuzzer's final stats are the figures docs/BENCHMARKS.md records.
#
# Build: release with debug assertions and overflow checks (-a), no sanitizer (-s none: stable
# Rust has none of the -Z flags ASan needs, and the runtime is safe Rust), 16 codegen units to
# keep the instrumented build within reach of two cores. SKIP_WASM_BUILD=1: the harness runs
# the runtime natively.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
"$EPICHAIN_ROOT/scripts/setup.sh" --fuzz
cd "$EPICHAIN_ROOT"

target="${1:-runtime}"
seconds="${2:-60}"
shift $(( $# > 2 ? 2 : $# ))
case "$target" in
	runtime | decoders) ;;
	*) echo "fuzz.sh: unknown target $target (runtime, decoders)" >&2; exit 2 ;;
esac

build=(-s none -a --codegen-units 16 --release --fuzz-dir fuzz/libfuzzer)
step "building the $target fuzz target (instrumented, into $CARGO_TARGET_DIR)"
SKIP_WASM_BUILD=1 cargo fuzz build "${build[@]}" "$target"

corpus="fuzz/corpus/$target"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
step "fuzzing $target for $seconds s (corpus $corpus; new inputs kept in $scratch)"
# New inputs go to a scratch directory first, so a short run in the test command leaves the
# committed corpus as it was; EPICHAIN_FUZZ_KEEP=1 merges what the run found into it.
SKIP_WASM_BUILD=1 cargo fuzz run "${build[@]}" "$target" "$scratch" "$corpus" -- \
	-max_total_time="$seconds" -timeout=60 -rss_limit_mb=4096 -print_final_stats=1 "$@"
if [ "${EPICHAIN_FUZZ_KEEP:-0}" = 1 ]; then
	step "merging new inputs into $corpus"
	SKIP_WASM_BUILD=1 cargo fuzz run "${build[@]}" "$target" "$corpus" "$scratch" -- -merge=1
fi
step "no findings in $seconds s of $target"

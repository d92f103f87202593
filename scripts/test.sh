#!/usr/bin/env bash
# Quick start, command 2: runs every test.
#
#   scripts/test.sh          the default lane (README "Test lanes"; CI runs this):
#     1. one release build of every binary and test harness (one feature resolution, so no
#        crate compiles twice; the binaries' build after it must compile nothing but the
#        matcher's binary, and the script fails if a dev-dependency changed that);
#     2. the workspace's unit and integration tests, including the fuzz corpus and regression
#        replay (epichain-fuzz's tests) and the network tests (client/tests/network.rs:
#        4-validator regions spawned with zombienet);
#     3. the benchmark test suites of epichain's pallets (every benchmark runs once on the mock);
#     4. the runtime's and the locations pallet's tests with try-runtime: the release's
#        migrations on a live region's snapshot (runtime/tests/live_upgrade.rs);
#     5. the chain-spec freshness check (committed JSON matches what the node generates);
#     6. the JavaScript clients (js/): on a throwaway dev region with every kind of transaction,
#        polkadot.js and polkadot-api decode every block and event and submit authorized
#        transactions byte-identical to the Rust client's;
#        then the app (app/) in Debian's Chromium over its own dev region: citizens' devices,
#        stays, consent through the app, the exposure verified by the app's light client
#        (smoldot), the dashboard's map, refusals in words, a lying peer's forged proofs
#        refused by name, axe-core (app/scripts/test.sh);
#     7. lints: rustfmt in check mode (first of all: it takes a second), clippy on every target
#        with warnings denied, rustdoc with broken intra-doc links denied (the workspace's
#        [workspace.lints]; release profile, so build scripts and proc macros are the build's);
#     8. the zombienet smoke test: four validators on the native provider.
#   scripts/test.sh --full   the default lane, then the fuzz lane: the instrumented libFuzzer
#                            build and a short run of both targets (scripts/fuzz.sh; runtime for
#                            EPICHAIN_FUZZ_SECONDS, default 120 s, decoders for 30 s).
#
# Set EPICHAIN_SKIP_ZOMBIENET=1 to skip every multi-node network (the network tests and step 5).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"

full=0
for arg in "$@"; do
	case "$arg" in
		--full) full=1 ;;
		*) echo "test.sh: unknown option $arg (--full)" >&2; exit 2 ;;
	esac
done

"$EPICHAIN_ROOT/scripts/setup.sh" --zombienet --js --app $([ "$full" = 1 ] && echo --fuzz)
cd "$EPICHAIN_ROOT"

started=$(date +%s)
step "rustfmt: every crate formatted (cargo fmt --all --check)"
cargo fmt --all --check

step "building every binary and test harness (release) into $CARGO_TARGET_DIR; cold, about 26 minutes on 2 cores"
cargo test --release --locked --workspace --no-run
# The binaries come from the same feature resolution: this compiles only the matcher's binary
# (the one binary no integration test asks for). Anything else means a dev-dependency or a
# test-only crate changed a feature of the node's tree, and every build would compile it twice.
bins_log="$(mktemp)"
cargo build --release --locked -p epichain-node -p epichain-matcher -p epichain-client 2>&1 | tee "$bins_log" >&2
recompiled="$(grep -E '^\s+Compiling ' "$bins_log" | grep -v ' epichain-matcher ' || true)"
rm -f "$bins_log"
if [ -n "$recompiled" ]; then
	echo "test.sh: the binaries' build compiled crates the test build had already compiled:" >&2
	echo "$recompiled" >&2
	echo "a dev-dependency or test-only crate changes a feature of the node's tree (see README, Test lanes)" >&2
	exit 1
fi

step "unit and integration tests"
# Every test binary runs even when one fails, so a run reports every failure at once.
cargo test --release --locked --workspace --no-fail-fast

step "benchmark test suites of the epichain pallets (mock runtimes, no wasm)"
SKIP_WASM_BUILD=1 cargo test --release --locked -p pallet-matchers -p pallet-csi -p pallet-locations \
	-p pallet-diagnosis -p pallet-notifications \
	--features runtime-benchmarks benchmarking::

step "the release's migrations on a live region's state, with every try-runtime check (no wasm)"
SKIP_WASM_BUILD=1 cargo test --release --locked -p epichain-runtime -p pallet-locations \
	--features try-runtime

step "chain specs match the node"
"$EPICHAIN_ROOT/chain-specs/generate.sh" --check

step "JavaScript clients on a dev region: polkadot.js and polkadot-api decode every block and event, and submit authorized transactions (js/scripts/scenario.sh)"
"$EPICHAIN_ROOT/js/scripts/scenario.sh"
step "the app in Chromium: citizens' devices, consent, the exposure verified by the app's light client, the dashboard, axe-core (app/scripts/test.sh)"
"$EPICHAIN_ROOT/app/scripts/test.sh"

lints_started=$(date +%s)
step "clippy on every target, warnings denied; rustdoc with broken intra-doc links denied"
cargo clippy --release --locked --workspace --all-targets -- -D warnings
cargo doc --release --locked --workspace --no-deps
echo "lints took $(( $(date +%s) - lints_started )) s" >&2

if [ "${EPICHAIN_SKIP_ZOMBIENET:-0}" != 1 ]; then
	step "zombienet smoke test: 4 validators, native provider"
	"$EPICHAIN_ROOT/zombienet/run.sh" test "$EPICHAIN_ROOT/zombienet/0001-smoke.zndsl"
fi

if [ "$full" = 1 ]; then
	fuzz_seconds="${EPICHAIN_FUZZ_SECONDS:-120}"
	step "fuzz lane: the runtime for $fuzz_seconds s and the decoders for 30 s (instrumented libFuzzer build)"
	"$EPICHAIN_ROOT/scripts/fuzz.sh" runtime "$fuzz_seconds"
	"$EPICHAIN_ROOT/scripts/fuzz.sh" decoders 30
fi

step "all tests passed in $(( $(date +%s) - started )) s"

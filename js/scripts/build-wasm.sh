#!/usr/bin/env bash
# Builds epichain-primitives for JavaScript (primitives-wasm/, wasm-bindgen, `--target web`: one
# module for browsers and Node) into js/wasm/. `scripts/setup.sh --js` first installs what it
# needs, once and idempotently: the wasm32-unknown-unknown rustup target and the wasm-bindgen CLI
# of the exact version in Cargo.lock. Prints the bundle's size. Built for size (opt-level "s",
# this build only): a phone downloads it, and nothing in it is hot (docs/BENCHMARKS.md).
#
#   js/scripts/build-wasm.sh        # about a minute warm; the first CLI install takes minutes
set -euo pipefail
js="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="$(cd "$js/.." && pwd)"
target="${CARGO_TARGET_DIR:-$HOME/.cache/epichain/target}"
out="$js/wasm"

"$root/scripts/setup.sh" --js >&2

echo "== epichain-primitives-wasm for wasm32-unknown-unknown (release) into $target" >&2
(cd "$root" && CARGO_TARGET_DIR="$target" CARGO_PROFILE_RELEASE_OPT_LEVEL=s cargo build --release --locked \
	-p epichain-primitives-wasm --target wasm32-unknown-unknown)
rm -rf "$out"
wasm-bindgen --target web --out-dir "$out" --out-name epichain_primitives \
	"$target/wasm32-unknown-unknown/release/epichain_primitives_wasm.wasm"
wasm="$out/epichain_primitives_bg.wasm"
echo "== js/wasm: $(stat -c %s "$wasm") bytes of wasm, $(gzip -9 -c "$wasm" | wc -c) gzipped" >&2

#!/usr/bin/env bash
# Installs what building and testing epichain needs, idempotently: safe to run on every
# invocation, quick when everything is already there.
#
#   Debian packages: protobuf-compiler (libp2p/litep2p build scripts), mold (fast linking),
#                    libssl-dev + pkg-config (system OpenSSL for litep2p's WebRTC), clang-free.
#   rustup target:   wasm32v1-none (the runtime's wasm build, no nightly or rust-src needed);
#   rustup components: clippy and rustfmt (the test command's lints).
#   npm packages:    zombienet (pinned in zombienet/package-lock.json) when --zombienet is given;
#                    the JavaScript clients' packages (js/package-lock.json) when --js is given;
#                    the app's (app/package-lock.json: Vite, polkadot-api with smoldot,
#                    playwright-core, axe-core) when --app is given.
#   Debian Chromium: with --app, the `chromium` package (/usr/bin/chromium) the browser tests
#                    drive through playwright-core (no browser is downloaded from elsewhere).
#   cargo tools:     cargo-fuzz 0.13.1 (builds and runs fuzz/libfuzzer) when --fuzz is given;
#                    with --js, the wasm32-unknown-unknown target and wasm-bindgen-cli of the
#                    version Cargo.lock pins (js/scripts/build-wasm.sh: the wasm primitives).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"

want_zombienet=0
want_js=0
want_fuzz=0
want_app=0
for arg in "$@"; do
	case "$arg" in
		--zombienet) want_zombienet=1 ;;
		--js) want_js=1 ;;
		--fuzz) want_fuzz=1 ;;
		# The app needs the wasm primitives too (built by js/scripts/build-wasm.sh).
		--app) want_app=1 want_js=1 ;;
		*) echo "setup.sh: unknown option $arg" >&2; exit 2 ;;
	esac
done

# --- Debian packages ---
missing=()
packages=(protobuf-compiler mold libssl-dev pkg-config)
[ "$want_app" = 1 ] && packages+=(chromium)
for pkg in "${packages[@]}"; do
	dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
	step "installing Debian packages: ${missing[*]}"
	sudo_cmd=""
	[ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
	$sudo_cmd apt-get update -qq || true
	DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}"
fi

# --- Rust ---
if ! command -v cargo >/dev/null; then
	echo "setup.sh: cargo not found; install Rust with rustup (https://rustup.rs) first" >&2
	exit 1
fi
if ! rustup target list --installed | grep -qx wasm32v1-none; then
	step "adding rustup target wasm32v1-none"
	rustup target add wasm32v1-none
fi
for component in clippy rustfmt; do
	if ! rustup component list --installed | grep -q "^$component"; then
		step "adding rustup component $component (the test command's lints)"
		rustup component add "$component"
	fi
done

# --- npm packages: zombienet, the JavaScript clients ---
# npm_ci <dir> <what>: `npm ci` in <dir> unless its lock file is the one last installed.
npm_ci() {
	local dir="$1" what="$2" stamp="$1/node_modules/.epichain-lock-stamp"
	if ! command -v npm >/dev/null; then
		echo "setup.sh: npm not found; install Node.js >= 20 (Debian: apt-get install nodejs npm)" >&2
		exit 1
	fi
	if [ ! -f "$stamp" ] || ! cmp -s "$dir/package-lock.json" "$stamp"; then
		step "installing $what from the npm registry (${dir#"$EPICHAIN_ROOT"/}/package-lock.json)"
		(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
		cp "$dir/package-lock.json" "$stamp"
	fi
}
if [ "$want_zombienet" = 1 ]; then
	npm_ci "$EPICHAIN_ROOT/zombienet" "zombienet"
fi
if [ "$want_js" = 1 ]; then
	npm_ci "$EPICHAIN_ROOT/js" "the JavaScript clients (polkadot.js, polkadot-api)"
fi
if [ "$want_app" = 1 ]; then
	npm_ci "$EPICHAIN_ROOT/app" "the app (Vite, polkadot-api with smoldot, playwright-core, axe-core, js-libp2p for the test of a lying peer)"
fi

# --- the wasm primitives' toolchain (--js) ---
if [ "$want_js" = 1 ]; then
	if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
		step "adding rustup target wasm32-unknown-unknown (the wasm primitives for JavaScript)"
		rustup target add wasm32-unknown-unknown
	fi
	# A CLI of another version than the crate's refuses the module: take the lock's.
	bindgen_version="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$EPICHAIN_ROOT/Cargo.lock")"
	if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $bindgen_version" ]; then
		step "installing wasm-bindgen-cli $bindgen_version from crates.io (about 3 minutes, once)"
		cargo install wasm-bindgen-cli --version "$bindgen_version" --locked
	fi
fi

# --- cargo-fuzz ---
if [ "$want_fuzz" = 1 ]; then
	fuzz_version=0.13.1
	if ! cargo fuzz --version 2>/dev/null | grep -q " $fuzz_version"; then
		step "installing cargo-fuzz $fuzz_version from crates.io (a few minutes)"
		cargo install cargo-fuzz --version "$fuzz_version" --locked
	fi
fi

# Sourced by every epichain script: where builds go and where the binaries are.
#
# One target directory outside the clone, shared by the quick start, the tests and CI, so a
# fresh clone on the same machine reuses the previous build. Override with CARGO_TARGET_DIR.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/epichain/target}"
export EPICHAIN_ROOT="${EPICHAIN_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
export EPICHAIN_NODE="${EPICHAIN_NODE:-$CARGO_TARGET_DIR/release/epichain-node}"
# Keep CI quiet and deterministic.
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
[ -f "$HOME/.cargo/env" ] && . "$HOME/.cargo/env"

# Prints a timestamped progress line to stderr.
step() { printf '\n[%s] == %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

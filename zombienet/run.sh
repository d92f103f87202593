#!/usr/bin/env bash
# Runs zombienet (from zombienet/node_modules, installed by scripts/setup.sh --zombienet) with
# the native provider and epichain-node on PATH.
#
#   zombienet/run.sh spawn zombienet/network.toml         # a 4-validator local region
#   zombienet/run.sh test  zombienet/0001-smoke.zndsl     # the smoke test
#
# Run directories (logs, chain specs, databases) go under zombienet/runs/<timestamp>.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../scripts/env.sh"
"$EPICHAIN_ROOT/scripts/setup.sh" --zombienet

if [ ! -x "$EPICHAIN_NODE" ]; then
	echo "zombienet/run.sh: $EPICHAIN_NODE not found; run scripts/build.sh first" >&2
	exit 1
fi
export PATH="$(dirname "$EPICHAIN_NODE"):$PATH"

cmd="$1"; shift
# Paths given relative to the caller's directory stay valid after the cd below.
args=()
for a in "$@"; do
	if [ -e "$a" ]; then args+=("$(realpath "$a")"); else args+=("$a"); fi
done
run_dir="${ZOMBIENET_RUN_DIR:-$EPICHAIN_ROOT/zombienet/runs/$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$(dirname "$run_dir")"
# Keep the five most recent run directories; node databases add up.
find "$(dirname "$run_dir")" -mindepth 1 -maxdepth 1 -type d -printf '%T@ %p\n' \
	| sort -rn | tail -n +6 | cut -d' ' -f2- | xargs -r rm -rf
cd "$EPICHAIN_ROOT/zombienet"
exec node_modules/.bin/zombienet --provider native --logType text --dir "$run_dir" --force "$cmd" "${args[@]}"

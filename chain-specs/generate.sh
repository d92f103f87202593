#!/usr/bin/env bash
# Regenerates the committed chain specs from the node's built-in specs (which come from the
# runtime's genesis presets), plain and raw:
#
#   chain-specs/generate.sh          # rewrite chain-specs/{dev,local,tokyo,osaka}{,-raw}.json
#   chain-specs/generate.sh --check  # fail if the committed genesis differs from the node's
#
# `--check` compares everything but the runtime code blob: the wasm changes with every runtime
# edit (and with the toolchain), while a spec's identity is its genesis state, names and ids.
# Regenerate when --check fails, i.e. when genesis presets, ids, properties or boot nodes change.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../scripts/env.sh"
out="$EPICHAIN_ROOT/chain-specs"
check=0
[ "${1:-}" = "--check" ] && check=1

if [ ! -x "$EPICHAIN_NODE" ]; then
	echo "generate.sh: $EPICHAIN_NODE not found; run scripts/build.sh first" >&2
	exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for chain in dev local tokyo osaka; do
	"$EPICHAIN_NODE" export-chain-spec --chain "$chain" > "$tmp/$chain.json" 2>"$tmp/err" \
		|| { cat "$tmp/err" >&2; exit 1; }
	"$EPICHAIN_NODE" export-chain-spec --chain "$chain" --raw > "$tmp/$chain-raw.json" 2>"$tmp/err" \
		|| { cat "$tmp/err" >&2; exit 1; }
done

if [ "$check" = 1 ]; then
	python3 - "$tmp" "$out" <<'PY'
import json, sys
fresh, committed = sys.argv[1], sys.argv[2]
CODE_KEY = "0x3a636f6465"  # well-known storage key ":code"
def strip(spec):
    g = spec.get("genesis", {})
    g.get("runtimeGenesis", {}).pop("code", None)
    g.get("raw", {}).get("top", {}).pop(CODE_KEY, None)
    return spec
bad = []
for name in ["dev", "local", "tokyo", "osaka"]:
    for suffix in ["", "-raw"]:
        f = f"{name}{suffix}.json"
        try:
            old = strip(json.load(open(f"{committed}/{f}")))
        except FileNotFoundError:
            bad.append(f"{f}: missing"); continue
        new = strip(json.load(open(f"{fresh}/{f}")))
        if old != new:
            bad.append(f"{f}: differs from `epichain-node export-chain-spec`")
if bad:
    print("chain specs are stale; run chain-specs/generate.sh and commit:", *bad, sep="\n  ", file=sys.stderr)
    sys.exit(1)
print("chain specs: dev, local, tokyo, osaka (plain and raw) match the node")
PY
else
	cp "$tmp"/*.json "$out/"
	echo "wrote $(ls "$tmp"/*.json | wc -l) chain specs to $out" >&2
fi

#!/usr/bin/env bash
# Regenerates api/metadata/epichain.scale: the runtime's metadata (V16) that epichain-api
# (the client's and the matcher's types) is generated from. Run it after every runtime change;
# the client's `the_client_metadata_is_the_runtimes` test fails while the file is stale.
#
#   api/metadata/update.sh                 # starts a temporary dev node from the release build
#   api/metadata/update.sh http://host:9944 # reads it from a running node instead
#
# epichain-v101.scale is the released runtime's (spec 101, runtime/releases), which a live
# region runs until its council upgrades it; the matcher's test
# `what_the_matcher_reads_is_the_same_on_the_released_runtime_and_this_one` reads it. It was
# written by this script from a node on that runtime:
#   EPICHAIN_METADATA_OUT=api/metadata/epichain-v101.scale api/metadata/update.sh http://host:port
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
url="${1:-}"
node_pid=""
if [[ -z "$url" ]]; then
	node="${CARGO_TARGET_DIR:-$HOME/.cache/epichain/target}/release/epichain-node"
	[[ -x "$node" ]] || { echo "no node binary at $node; run scripts/build.sh first" >&2; exit 1; }
	port=9979
	"$node" --dev --tmp --rpc-port "$port" --port 30379 --no-prometheus --no-telemetry >/dev/null 2>&1 &
	node_pid=$!
	trap 'kill $node_pid 2>/dev/null || true' EXIT
	url="http://127.0.0.1:$port"
fi
python3 - "$url" "${EPICHAIN_METADATA_OUT:-$here/epichain.scale}" <<'PY'
import json, sys, time, urllib.request

url, out = sys.argv[1], sys.argv[2]

def rpc(method, params):
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).encode()
    req = urllib.request.Request(url, body, {"content-type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        answer = json.load(r)
    if "error" in answer:
        raise SystemExit(f"{method}: {answer['error']}")
    return answer["result"]

for _ in range(120):
    try:
        rpc("system_health", [])
        break
    except OSError:
        time.sleep(0.5)
else:
    raise SystemExit(f"no node answers at {url}")

# Option<OpaqueMetadata>: 0x01, compact length, then the RuntimeMetadataPrefixed bytes.
raw = bytes.fromhex(rpc("state_call", ["Metadata_metadata_at_version", "10000000"])[2:])
if not raw or raw[0] != 1:
    raise SystemExit("the runtime offers no V16 metadata")
mode = raw[1] & 3
skip = {0: 1, 1: 2, 2: 4}.get(mode)
if skip is None:
    raise SystemExit("metadata longer than a 4-byte compact length")
prefixed = raw[1 + skip:]
if prefixed[:4] != b"meta":
    raise SystemExit("not RuntimeMetadataPrefixed bytes")
with open(out, "wb") as f:
    f.write(prefixed)
print(f"wrote {len(prefixed)} bytes of V{prefixed[4]} metadata to {out}")
PY

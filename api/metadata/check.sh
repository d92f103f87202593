#!/usr/bin/env bash
# Fails when api/metadata/epichain.scale differs from the metadata of the runtime a node runs.
#   api/metadata/check.sh http://127.0.0.1:9944
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
tmp="$(mktemp)"
trap 'rm -f "$tmp"' EXIT
EPICHAIN_METADATA_OUT="$tmp" "$here/update.sh" "$1" >/dev/null
if ! cmp -s "$tmp" "$here/epichain.scale"; then
	echo "api/metadata/epichain.scale is not the node's runtime metadata: run api/metadata/update.sh" >&2
	exit 1
fi

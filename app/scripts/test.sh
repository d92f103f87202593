#!/usr/bin/env bash
# The app's browser tests: builds the app, brings up a throwaway dev region (node with a
# WebSocket listen address for light clients, simulation matcher) on non-default ports, serves
# the app next to it, and runs app/test/*.test.mjs in Debian's Chromium (playwright-core, no
# browser download). Screenshots and page logs go to $EPICHAIN_APP_ARTIFACTS (default
# $CARGO_TARGET_DIR/app-test).
#
#   app/scripts/test.sh           # the tests
#   app/scripts/test.sh --hold    # set up, then keep the region and the app up until Ctrl-C
#
# Environment: EPICHAIN_BIN (binaries), RPC_PORT (9966), MATCHER_PORT (8566), P2P_PORT (30366;
# +1 is the WebSocket port), APP_PORT (4166), GATEWAY_PORT (8666: the region's app gateway,
# `epichain locator serve` as //Eve), CHROMIUM (/usr/bin/chromium).
set -euo pipefail
app="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="$(dirname "$app")"
target="${CARGO_TARGET_DIR:-$HOME/.cache/epichain/target}"
bin="${EPICHAIN_BIN:-$target/release}"
rpc="${RPC_PORT:-9966}"
matcher="${MATCHER_PORT:-8566}"
p2p="${P2P_PORT:-30366}"
ws_p2p=$((p2p + 1))
port="${APP_PORT:-4166}"
gateway="${GATEWAY_PORT:-8666}"
artifacts="${EPICHAIN_APP_ARTIFACTS:-$target/app-test}"
for b in epichain-node epichain-matcher epichain; do
	[[ -x "$bin/$b" ]] || { echo "no $bin/$b: build first (scripts/build.sh)" >&2; exit 1; }
done

step() { echo "== $*" >&2; }
# Chromium and the app's npm packages (again whenever app/package-lock.json changes): idempotent.
"$root/scripts/setup.sh" --app
[[ -x "${CHROMIUM:-/usr/bin/chromium}" ]] || { echo "no Chromium at ${CHROMIUM:-/usr/bin/chromium}" >&2; exit 1; }
"$root/js/scripts/build-wasm.sh"

. "$root/scripts/throwaway.sh"

step "building the app into $work/site"
(cd "$app" && EPICHAIN_APP_OUT="$work/site" npx vite build --logLevel warn)

step "node: ws://127.0.0.1:$rpc, light clients on /ip4/127.0.0.1/tcp/$ws_p2p/ws; matcher: http://127.0.0.1:$matcher"
peer="$("$bin/epichain-node" key generate-node-key --file "$work/node-key" 2>&1 >/dev/null | tail -1)"
"$bin/epichain-node" --dev --tmp --rpc-port "$rpc" --rpc-cors all --no-prometheus --no-telemetry \
	--listen-addr "/ip4/127.0.0.1/tcp/$p2p" --listen-addr "/ip4/127.0.0.1/tcp/$ws_p2p/ws" \
	--node-key-file "$work/node-key" --matcher-url "http://127.0.0.1:$matcher" >"$work/node.log" 2>&1 &
pids+=($!)
"$bin/epichain-node" export-chain-spec --chain dev --raw --output "$work/dev-raw.json" 2>/dev/null
"$bin/epichain-matcher" --enclave simulation --authority-suri //Alice --chain-spec "$work/dev-raw.json" \
	--chain-rpc "http://127.0.0.1:$rpc" --listen "127.0.0.1:$matcher" --base-path "$work/matcher" \
	>"$work/matcher.log" 2>&1 &
pids+=($!)
# The last browser test stops it and starts a matcher that lost its keys in its place.
matcher_pid=$!
genesis=""
for _ in $(seq 120); do
	genesis="$(curl -sf -H 'content-type: application/json' \
		-d '{"jsonrpc":"2.0","id":1,"method":"chain_getBlockHash","params":[0]}' "http://127.0.0.1:$rpc" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["result"])' 2>/dev/null)" && break
	sleep 0.5
done
[[ -n "$genesis" ]] || { echo "the node never answered" >&2; tail -20 "$work/node.log" >&2; exit 1; }
node "$app/scripts/site.mjs" --site "$work/site" --spec "$work/dev-raw.json" \
	--bootnode "/ip4/127.0.0.1/tcp/$ws_p2p/ws/p2p/$peer" --region xn76 --name "Development region" --genesis "$genesis" --dev-keys \
	--matcher "http://127.0.0.1:$matcher" --gateway "http://127.0.0.1:$gateway" --trip-sample-secs 1

step "the region's app gateway (//Eve, the dev chain's genesis locator): http://127.0.0.1:$gateway"
"$bin/epichain" --url "ws://127.0.0.1:$rpc" locator serve --suri //Eve --listen "127.0.0.1:$gateway" \
	--flush-secs 2 --allow-origin "http://127.0.0.1:$port" >"$work/gateway.log" 2>&1 &
pids+=($!)

step "serving the app on http://127.0.0.1:$port/"
(cd "$app" && exec node node_modules/vite/bin/vite.js preview --outDir "$work/site" --host 127.0.0.1 --port "$port" --strictPort) \
	>"$work/preview.log" 2>&1 &
pids+=($!)
for _ in $(seq 60); do curl -sf "http://127.0.0.1:$port/config.json" >/dev/null && break; sleep 0.5; done
# Another server on the port would answer for a directory that is not this run's.
kill -0 "${pids[-1]}" 2>/dev/null || { echo "the app server did not start (port $port in use?)" >&2; cat "$work/preview.log" >&2; exit 1; }

if [[ "${1:-}" == "--hold" ]]; then
	step "the app: http://127.0.0.1:$port/ and http://127.0.0.1:$port/dashboard.html; Ctrl-C stops"
	wait -n "${pids[@]}"
	exit 0
fi

mkdir -p "$artifacts"
step "browser tests (Chromium $("${CHROMIUM:-/usr/bin/chromium}" --version 2>/dev/null | awk '{print $2}'))"
cd "$app"
EPICHAIN_APP_URL="http://127.0.0.1:$port/" EPICHAIN_WS="ws://127.0.0.1:$rpc" EPICHAIN_BIN="$bin" \
	EPICHAIN_MATCHER="http://127.0.0.1:$matcher" EPICHAIN_GATEWAY="http://127.0.0.1:$gateway" EPICHAIN_APP_ARTIFACTS="$artifacts" EPICHAIN_WORK="$work" \
	EPICHAIN_MATCHER_PID="$matcher_pid" node --test --test-concurrency=1 test/ || {
	echo "-- matcher log" >&2; tail -20 "$work/matcher.log" >&2
	echo "-- node log" >&2; grep -v -E 'Idle|Imported|Prepared|Pre-sealed|Starting consensus' "$work/node.log" | tail -30 >&2
	exit 1
}

#!/usr/bin/env bash
# Quick start, command 1: brings up a development region on this machine.
#
# Builds if needed, then runs
#   - one validator (Alice) on the `dev` chain with a fresh temporary database, RPC on
#     ws://127.0.0.1:9944 (override with RPC_PORT), its off-chain worker pointed at the matcher;
#   - the matcher (simulation enclave) on http://127.0.0.1:8545 (override with MATCHER_PORT),
#     which registers itself with the dev authority key (Alice, sudo) and follows the chain.
#     Its keys are sealed in a fresh temporary directory, like the dev chain's database
#     (override with MATCHER_BASE_PATH); the script prints how to restart it on the same keys.
#   - the app (app/: the citizen's app and the health authority's dashboard) on
#     http://127.0.0.1:4173 (override with APP_PORT), reading the chain through its own light
#     client (smoldot), which reaches the node on its WebSocket listen address
#     /ip4/127.0.0.1/tcp/30334/ws (override with WS_P2P_PORT). Set EPICHAIN_NO_APP=1 to skip it.
#   - with the app, a venue's intake (`epichain locator serve` as //Dave, whitelisted as a venue
#     of the dev region) on http://127.0.0.1:8600 (override with VENUE_PORT), for the app's
#     check-ins, and the region's trusted-app gateway (`epichain locator serve` as //Eve, the dev
#     chain's genesis locator) on http://127.0.0.1:8601 (override with GATEWAY_PORT), for the trips
#     phones record and seal themselves.
# Endorsing a case on it produces notifications with no further setup. Ctrl-C stops them all.
# Extra arguments go to epichain-node (e.g. `scripts/dev.sh --base-path ~/.epichain-dev`).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
"$EPICHAIN_ROOT/scripts/build.sh"
with_app=$([ "${EPICHAIN_NO_APP:-0}" = 1 ] && echo 0 || echo 1)
if [ "$with_app" = 1 ]; then
	"$EPICHAIN_ROOT/scripts/setup.sh" --app
	"$EPICHAIN_ROOT/js/scripts/build-wasm.sh"
fi

rpc_port="${RPC_PORT:-9944}"
matcher_port="${MATCHER_PORT:-8545}"
matcher="$(dirname "$EPICHAIN_NODE")/epichain-matcher"
matcher_base="${MATCHER_BASE_PATH:-$(mktemp -d -t epichain-dev-matcher.XXXXXX)}"
app_port="${APP_PORT:-4173}"
venue_port="${VENUE_PORT:-8600}"
gateway_port="${GATEWAY_PORT:-8601}"
ws_p2p_port="${WS_P2P_PORT:-30334}"

step "starting the dev region: epichain-node --dev (RPC ws://127.0.0.1:$rpc_port) and the matcher (http://127.0.0.1:$matcher_port, simulation enclave)"
echo "   polkadot.js Apps: https://polkadot.js.org/apps/?rpc=ws%3A%2F%2F127.0.0.1%3A$rpc_port" >&2
echo "   matcher: curl http://127.0.0.1:$matcher_port/v1/attestation | /v1/statistics" >&2
echo "   matcher keys sealed in $matcher_base; restarted with the same --base-path it is the same matcher" >&2
[ "$with_app" = 1 ] && echo "   the app: http://127.0.0.1:$app_port/ (citizens), http://127.0.0.1:$app_port/dashboard.html (the health authority)" >&2
[ "$with_app" = 1 ] && echo "   a venue's intake (//Dave): http://127.0.0.1:$venue_port; draw its check-in code on the dashboard" >&2
[ "$with_app" = 1 ] && echo "   the region's app gateway (//Eve): http://127.0.0.1:$gateway_port; takes the trips phones seal" >&2
echo "   stop with Ctrl-C" >&2

pids=()
cleanup() {
	trap - EXIT INT TERM
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
	wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

mkdir -p "$matcher_base"
# A node key of its own, so the app's chain spec can name the node as its boot node.
if [ -f "$matcher_base/node-key" ]; then
	peer="$("$EPICHAIN_NODE" key inspect-node-key --file "$matcher_base/node-key")"
else
	peer="$("$EPICHAIN_NODE" key generate-node-key --file "$matcher_base/node-key" 2>&1 >/dev/null | tail -1)"
fi
"$EPICHAIN_NODE" --dev --rpc-port "$rpc_port" --rpc-cors all \
	--listen-addr /ip4/0.0.0.0/tcp/30333 --listen-addr "/ip4/127.0.0.1/tcp/$ws_p2p_port/ws" \
	--node-key-file "$matcher_base/node-key" --matcher-url "http://127.0.0.1:$matcher_port" "$@" &
pids+=($!)
# The matcher trusts the chain spec (genesis and GRANDPA authorities), not the node.
spec="$matcher_base/dev-raw.json"
"$EPICHAIN_NODE" export-chain-spec --chain dev --raw --output "$spec" 2>/dev/null
"$matcher" --enclave simulation --authority-suri //Alice --chain-spec "$spec" \
	--chain-rpc "http://127.0.0.1:$rpc_port" --listen "127.0.0.1:$matcher_port" \
	--base-path "$matcher_base" &
pids+=($!)
if [ "$with_app" = 1 ]; then
	site="$matcher_base/site"
	(cd "$EPICHAIN_ROOT/app" && EPICHAIN_APP_OUT="$site" npx vite build --logLevel warn)
	node "$EPICHAIN_ROOT/app/scripts/site.mjs" --site "$site" --spec "$spec" \
		--bootnode "/ip4/127.0.0.1/tcp/$ws_p2p_port/ws/p2p/$peer" --region xn76 --name "Development region" --dev-keys \
		--matcher "http://127.0.0.1:$matcher_port" --gateway "http://127.0.0.1:$gateway_port"
	(cd "$EPICHAIN_ROOT/app" && exec node node_modules/vite/bin/vite.js preview --outDir "$site" --host 127.0.0.1 --port "$app_port" --strictPort) &
	pids+=($!)
	# A venue's intake next to the app: //Dave, whitelisted as a venue of the dev region, takes
	# the visits phones seal themselves (docs/APP.md, "Venue check-in").
	client="$(dirname "$EPICHAIN_NODE")/epichain"
	(
		for _ in $(seq 60); do
			"$client" --url "ws://127.0.0.1:$rpc_port" --wait finalized authority add-locator //Dave \
				--kind venue --region xn76 >/dev/null 2>&1 && break
			sleep 2
		done
		exec "$client" --url "ws://127.0.0.1:$rpc_port" locator serve --suri //Dave \
			--listen "127.0.0.1:$venue_port" --allow-origin "http://127.0.0.1:$app_port"
	) &
	pids+=($!)
	# The region's app gateway: //Eve, the dev chain's genesis locator, takes the trips phones
	# record and seal themselves (docs/APP.md, "Trips").
	"$client" --url "ws://127.0.0.1:$rpc_port" locator serve --suri //Eve \
		--listen "127.0.0.1:$gateway_port" --allow-origin "http://127.0.0.1:$app_port" &
	pids+=($!)
fi
# Stop them all when one exits.
wait -n "${pids[@]}"

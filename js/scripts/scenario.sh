#!/usr/bin/env bash
# Brings up a throwaway dev region (node + simulation matcher) on non-default ports, puts every
# kind of transaction on it with the Rust CLI, then runs the JavaScript tests against it:
#
#   js/scripts/scenario.sh            # scenario, then `npm test` (runs `npm ci` first if needed)
#   js/scripts/scenario.sh --hold     # scenario, then keep the region up until Ctrl-C
#
# On chain afterwards: v4 bare (Timestamp.set; System.apply_authorized_upgrade of the v101
# release, refused at dispatch for its lower spec version), v4 signed (Sudo.sudo: the matcher's
# registration, a locator, a location, the upgrade's authorization), v5 general (Csi.submit_batch, Diagnosis.endorse_case x3,
# Diagnosis.revoke_endorsement by the Rust client, Notifications.submit_result from the
# off-chain worker); `npm test` adds two revocations built by polkadot.js and polkadot-api, then
# a case from JavaScript alone with the wasm primitives (Csi.submit_batch sealed in wasm,
# Diagnosis.endorse_case with the consent signed in wasm, and the contact's notification).
# Environment: EPICHAIN_BIN (binaries), RPC_PORT (9977), MATCHER_PORT (8577), P2P_PORT (30377).
set -euo pipefail
js="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${EPICHAIN_BIN:-${CARGO_TARGET_DIR:-$HOME/.cache/epichain/target}/release}"
rpc="${RPC_PORT:-9977}"
matcher="${MATCHER_PORT:-8577}"
p2p="${P2P_PORT:-30377}"
url="ws://127.0.0.1:$rpc"
for b in epichain-node epichain-matcher epichain; do
	[[ -x "$bin/$b" ]] || { echo "no $bin/$b: build first (scripts/build.sh)" >&2; exit 1; }
done

[[ -d "$js/node_modules" ]] || (cd "$js" && npm ci --no-audit --no-fund)
# The wasm primitives the JavaScript tests seal, consent and sign with (before the node starts:
# a cargo build).
"$js/scripts/build-wasm.sh"

. "$js/../scripts/throwaway.sh"
step() { echo "== $*" >&2; }

# The node keeps all state: the tests read every block's events from its state (a default node
# keeps 256 blocks'), and an archive node serves papi's archive_v1_* itself (otherwise the
# polkadot-api/ws middleware emulates them over the legacy RPC).
step "node: ws://127.0.0.1:$rpc (archive), matcher: http://127.0.0.1:$matcher (logs in $work)"
"$bin/epichain-node" --dev --tmp --state-pruning archive --rpc-port "$rpc" --port "$p2p" \
	--no-prometheus --no-telemetry --rpc-cors all --matcher-url "http://127.0.0.1:$matcher" \
	>"$work/node.log" 2>&1 &
pids+=($!)
"$bin/epichain-node" export-chain-spec --chain dev --raw --output "$work/dev-raw.json" 2>/dev/null
"$bin/epichain-matcher" --enclave simulation --authority-suri //Alice --chain-spec "$work/dev-raw.json" \
	--chain-rpc "http://127.0.0.1:$rpc" --listen "127.0.0.1:$matcher" --base-path "$work/matcher" \
	>"$work/matcher.log" 2>&1 &
pids+=($!)

E() { "$bin/epichain" --url "$url" "$@"; }
for _ in $(seq 120); do
	curl -sf -H 'content-type: application/json' -d '{"jsonrpc":"2.0","id":1,"method":"system_health","params":[]}' \
		"http://127.0.0.1:$rpc" >/dev/null && break
	sleep 0.5
done

cd "$work"
step "authority (Sudo.sudo, v4 signed): a locator and the meeting's venue"
E authority add-locator //Bob --kind wifi --region xn76
E --json simulate --out pop --people 40 --seed 3 >/dev/null
read -r case venue < <(python3 - <<'PY'
import json
t = json.load(open("pop/truth.json"))
m = t["meetings"][0]
case = m["people"][0]
table = next(p for p in t["presences"] if p["person"] == case and t["places"][p["place"]]["kind"] == "table")
print(case, t["places"][table["place"]]["cell"][:7])
PY
)
E authority register-location "$venue" --material plastic

step "locator (Csi.submit_batch, v5 general): Eve submits the day, once the matcher has registered"
for i in $(seq 60); do
	E --json locator submit --suri //Eve pop/trajectories.csv && break
	[[ $i == 60 ]] && { echo "the matcher never registered" >&2; exit 1; }
	sleep 2
done

# One watch follows every finalized block from here on: the off-chain worker's result may land
# while the endorsements are still being submitted, and separate one-block watches could each
# start past a block finalized between them.
E --json watch >watch.jsonl 2>&1 &
pids+=($!)

step "diagnostician (Diagnosis.endorse_case, v5 general): Ferdie endorses three cases"
n=0
for person in "$case" $(((case + 1) % 40)) $(((case + 2) % 40)); do
	n=$((n + 1))
	nullifier="$(E diagnostician nullifier --lab lab-1 --case-id "c-$n")"
	E patient consent --seed "pop/seeds/person-$(printf %04d "$person").seed" --diagnostician //Ferdie \
		--nullifier "$nullifier" --out "consent-$n.json"
	E diagnostician endorse --suri //Ferdie --consent "consent-$n.json"
done

step "matcher (Notifications.submit_result, v5 general, from the off-chain worker): waiting"
for i in $(seq 300); do
	grep -q 'ResultAccepted' watch.jsonl && break
	if [[ $i == 300 ]]; then
		echo "no Notifications::ResultAccepted in 300 s; the finalized blocks' events:" >&2
		cat watch.jsonl >&2
		echo "-- matcher log" >&2; tail -20 "$work/matcher.log" >&2
		echo "-- node log" >&2; grep -v -E 'Idle|Imported|Prepared|Pre-sealed|Starting consensus' "$work/node.log" | tail -40 >&2
		exit 1
	fi
	sleep 1
done

step "diagnostician (Diagnosis.revoke_endorsement, v5 general): the Rust client revokes case 2"
E --wait finalized diagnostician revoke --suri //Ferdie --case 2 --reason fraud

step "authority upgrade (System.apply_authorized_upgrade, v4 bare): the v101 release, refused (spec version)"
out="$(E authority upgrade --wasm "$js/../runtime/releases/epichain-runtime-v101.compact.compressed.wasm" 2>&1)" || true
grep -q "refused code" <<<"$out" || { echo "$out" >&2; exit 1; }

if [[ "${1:-}" == "--hold" ]]; then
	step "region up at $url: Ctrl-C stops it"
	wait -n "${pids[@]}"
	exit 0
fi

step "npm test against $url"
cd "$js"
EPICHAIN_WS="$url" EPICHAIN_MATCHER="http://127.0.0.1:$matcher" EPICHAIN_SUBMIT=1 \
	EPICHAIN_EXPECT="Timestamp.set,Sudo.sudo,System.apply_authorized_upgrade,Csi.submit_batch,Diagnosis.endorse_case,Diagnosis.revoke_endorsement,Notifications.submit_result" \
	npm test

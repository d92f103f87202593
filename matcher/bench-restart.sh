#!/usr/bin/env bash
# The matcher's restart time: docs/BENCHMARKS.md's "Matcher restart" figures.
#
#   matcher/bench-restart.sh [people [epichain load options]]
#   matcher/bench-restart.sh 300000 --region xn76 --prefix-len 4 --locators 8   # about 1 M stays
#   matcher/bench-restart.sh 1000000 --days 3 --region xn76 --prefix-len 4 --locators 8   # 10 M
#
# Starts a dev node (archive) and the simulation matcher with its keys sealed in a scratch
# base path, writes a synthetic population's day (or up to 3 days, `--days`) with `epichain load`,
# made a chunk of people at a time (`--chunk`), waits until the matcher
# has indexed all of it, then `kill -9`s the matcher and starts it again on the same base
# path. Prints, from the restart: the time until its HTTP service answers (unsealing), until
# it has re-read the window from the chain (first synced block), and until it has every stay
# again, with the re-read rate; and the matcher's peak resident memory (VmHWM) before the kill
# (following the chain as the day was written) and after the restart (the whole window re-read),
# with bytes per indexed stay. Needs scripts/build.sh's release binaries.
#
# EPICHAIN_BENCH_CHAIN_SPEC=FILE runs the node (as Alice) and the matcher on that raw chain spec
# instead of `--dev`: scripts/build-fast-runtime.sh's dev chain on 100 ms blocks, whose blocks
# take 60 times the stays a second that 6 s blocks take (each block's limits are per block).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../scripts/env.sh"
bin="$(dirname "$EPICHAIN_NODE")"
for b in epichain-node epichain-matcher epichain; do
	[ -x "$bin/$b" ] || { echo "bench-restart.sh: $bin/$b missing; run scripts/build.sh" >&2; exit 1; }
done
people="${1:-2000}"
shift || true
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
rpc=$(free_port); p2p=$(free_port); port=$(free_port)
work="$(mktemp -d -t epichain-bench-restart.XXXXXX)"
pids=()
cleanup() {
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
	kill "${matcher:-}" 2>/dev/null || true
	wait 2>/dev/null || true
}
trap cleanup EXIT
stat() { curl -sf "http://127.0.0.1:$port/v1/statistics" | python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])" 2>/dev/null || echo; }
now() { date +%s.%N; }

step "dev node on ws://127.0.0.1:$rpc, matcher on 127.0.0.1:$port (logs in $work)"
spec="${EPICHAIN_BENCH_CHAIN_SPEC:-}"
chain=(--dev)
if [ -n "$spec" ]; then
	# No mDNS: another run on this machine would be the same chain.
	chain=(--chain "$spec" --alice --validator --force-authoring --no-mdns --unsafe-force-node-key-generation)
else
	spec="$work/dev-raw.json"
	"$bin/epichain-node" export-chain-spec --chain dev --raw --output "$spec" 2>/dev/null
fi
"$bin/epichain-node" "${chain[@]}" --tmp --state-pruning archive --rpc-port "$rpc" --port "$p2p" \
	--no-prometheus --no-telemetry --matcher-url "http://127.0.0.1:$port" >"$work/node.log" 2>&1 &
pids+=($!)
start_matcher() {
	"$bin/epichain-matcher" --enclave simulation --authority-suri //Alice \
		--chain-spec "$spec" \
		--chain-rpc "http://127.0.0.1:$rpc" --listen "127.0.0.1:$port" --base-path "$work/matcher" \
		>>"$work/matcher.log" 2>&1 &
	matcher=$!
}
start_matcher
for _ in $(seq 300); do
	grep -q "registered on chain as matcher" "$work/matcher.log" && break
	sleep 1
done
grep -q "registered on chain as matcher" "$work/matcher.log" || { echo "the matcher never registered" >&2; exit 1; }

step "writing $people people a day with epichain load $*"
"$bin/epichain" load --url "ws://127.0.0.1:$rpc" --people "$people" --wait finalized --json "$@" >"$work/load.json"
# The load's finalized stays, and what it counted as refused (by reason).
read -r stays refused < <(python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(r['finalizedStays'], json.dumps(r['rejected']))" "$work/load.json")
step "waiting for the matcher to index $stays stays"
for _ in $(seq 600); do [ "$(stat stays)" -ge "$stays" ] 2>/dev/null && break; sleep 1; done
indexed=$(stat stays)
# Every stay the load counted finalized is on the chain, and nothing else is: a count that
# differs is a miscount of the writer's (docs/BENCHMARKS.md, issue 21's tenth round), not a
# figure to measure a restart against.
[ "${indexed:-0}" -eq "$stays" ] || {
	echo "the matcher indexed ${indexed:-nothing} stays, the load counted $stays finalized ($refused refused)" >&2
	exit 1
}

# In KiB, as the kernel gives it: awk would print bytes past 2^31 in exponent notation.
hwm() { awk '/VmHWM/ {print $2}' "/proc/$matcher/status"; }
peak_following=$(hwm)
step "kill -9 and restart on the same base path"
kill -9 "$matcher"; wait "$matcher" 2>/dev/null || true
t0=$(now)
start_matcher
until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do sleep 0.05; done
t_http=$(now)
until [ "$(stat syncedBlock)" != "" ] && [ "$(stat syncedBlock)" != "None" ]; do sleep 0.05; done
t_synced=$(now)
got=$(stat stays)
peak_restart=$(hwm)
# The raw figures first, so that a failure below cannot lose a long run's restart.
echo "restart: killed at $t0, HTTP at $t_http, synced at $t_synced, $got of $stays stays;" \
	"VmHWM following $peak_following KiB, re-reading $peak_restart KiB" >&2
python3 - "$t0" "$t_http" "$t_synced" "$got" "$stays" "$people" "$peak_following" "$peak_restart" <<'EOF'
import sys
t0, http, synced = map(float, sys.argv[1:4])
got, stays, people, following, restart = map(int, sys.argv[4:9])
following, restart = following * 1024, restart * 1024
print(f"| people | stays | HTTP up (unsealed) | window re-read, synced | stays again | re-read stays/s | peak RSS following | peak RSS re-reading | per stay (re-reading) |")
print(f"|---|---|---|---|---|---|---|---|---|")
print(f"| {people} | {stays} | {http - t0:.2f} s | {synced - t0:.1f} s | {got} of {stays} | {got / (synced - t0):,.0f} | {following / 2**20:.1f} MiB | {restart / 2**20:.1f} MiB | {restart / max(got, 1):,.0f} B |")
if got != stays:
    sys.exit("the restarted matcher does not have every stay")
EOF
grep -E "unsealed|re-reading" "$work/matcher.log" | tail -3 >&2

# Sourced by the scripts that bring up a throwaway region (js/scripts/scenario.sh,
# app/scripts/test.sh): a temporary work directory, the processes started for it, and a trap
# that stops them and removes the directory however the script ends. Add each background
# process with `pids+=($!)`.
work="$(mktemp -d)"
pids=()
cleanup() {
	trap - EXIT INT TERM
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

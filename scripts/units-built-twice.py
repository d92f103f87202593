#!/usr/bin/env python3
"""Lists the compilation units the binaries' build would compile again after the test build.

`scripts/test.sh` builds every test harness first (`cargo test --release --workspace
--no-run`), then the binaries (`cargo build --release -p epichain-node -p epichain-matcher -p
epichain-client`). Cargo resolves features per invocation, so a dev-dependency or a test-only
crate that turns on a feature of a crate in the node's tree gives that crate, and everything
built on it, a second build. This script asks cargo for both unit graphs without building
anything (`--unit-graph`, a nightly flag: RUSTC_BOOTSTRAP=1 lets the stable toolchain print it)
and prints the units of the second graph that the first does not already hold, comparing each
unit with everything below it.

    scripts/units-built-twice.py          # the count and the first 40 units
    scripts/units-built-twice.py --all    # every unit

`scripts/test.sh` checks the same property on every run from cargo's own output; this script
explains a failure of that check (docs/BENCHMARKS.md, "Building", has the figures).
"""
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARIES = ["-p", "epichain-node", "-p", "epichain-matcher", "-p", "epichain-client"]


def unit_graph(args):
    env = dict(os.environ, RUSTC_BOOTSTRAP="1")
    out = subprocess.run(
        ["cargo", *args, "--release", "--locked", "--unit-graph", "-Z", "unstable-options"],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    ).stdout
    return json.loads(out)["units"]


def identities(units):
    """Each unit's identity: its package, target, mode, features and profile, and those of
    everything it depends on (a unit is rebuilt when anything below it changes)."""
    memo = {}

    def ident(i):
        if i not in memo:
            u = units[i]
            own = (
                u["pkg_id"].split("#")[-1], u["target"]["name"], tuple(u["target"]["kind"]),
                u["mode"], tuple(sorted(u["features"])), u["platform"] or "host",
                json.dumps(u["profile"], sort_keys=True),
            )
            memo[i] = hash((own, tuple(sorted(ident(d["index"]) for d in u["dependencies"]))))
        return memo[i]

    return {ident(i): u for i, u in enumerate(units)}


def main():
    tests = identities(unit_graph(["test", "--workspace", "--no-run"]))
    binaries = identities(unit_graph(["build", *BINARIES]))
    again = sorted(
        f'{u["pkg_id"].split("#")[-1]} ({u["target"]["name"]}, {u["mode"]})'
        for key, u in binaries.items() if key not in tests
    )
    print(f"{len(tests)} units in the test build, {len(binaries)} in the binaries' build; "
          f"{len(again)} of these are not in the test build:")
    for line in again if "--all" in sys.argv else again[:40]:
        print("  " + line)


if __name__ == "__main__":
    main()

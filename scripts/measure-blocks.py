#!/usr/bin/env python3
"""Measures block time and time to the first finalized block of an epichain node.

    scripts/measure-blocks.py --dev [--blocks 20]            # starts `epichain-node --dev --tmp` itself
    scripts/measure-blocks.py --url http://127.0.0.1:9944 --since <unix seconds> [--blocks 20]

Polls JSON-RPC over HTTP every 50 ms. Reports, in seconds:
  first_block / first_finalized: wall time from start (or --since) until block #1 is seen and
      until the first block is finalized;
  block_time: intervals between the on-chain timestamps (pallet-timestamp, `Timestamp::Now`)
      of consecutive blocks #2..#N (block #1's interval depends on when the node started);
  finality_lag: best minus finalized block number, sampled at every new best block.
Prints one JSON object on stdout; progress on stderr.
"""
import argparse, json, os, socket, statistics, subprocess, sys, tempfile, time, urllib.request

TIMESTAMP_NOW = "0xf0c365c3cf59d671eb72da0e7a4113c49f1f0515f462cdcf84e0f1d6045dfcbb"


def rpc(url, method, params=()):
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": list(params)}).encode()
    req = urllib.request.Request(url, body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=5) as r:
        return json.load(r).get("result")


def number(header):
    return int(header["number"], 16)


def le_u64(hexstr):
    return int.from_bytes(bytes.fromhex(hexstr[2:]), "little")


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dev", action="store_true", help="start epichain-node --dev --tmp and measure it")
    ap.add_argument("--url", help="HTTP JSON-RPC endpoint of a running node")
    ap.add_argument("--since", type=float, help="unix time the network was started (default: now)")
    ap.add_argument("--blocks", type=int, default=20, help="blocks to observe (default 20)")
    a = ap.parse_args()

    proc = None
    start = a.since or time.time()
    if a.dev:
        node = os.environ.get("EPICHAIN_NODE") or os.path.expanduser("~/.cache/epichain/target/release/epichain-node")
        port = free_port()
        start = time.time()
        proc = subprocess.Popen([node, "--dev", "--tmp", "--rpc-port", str(port), "--port", str(free_port()),
                                 "--no-prometheus", "--no-telemetry", "--no-mdns"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}"
    elif a.url:
        url = a.url
    else:
        ap.error("give --dev or --url")

    seen, first_block, first_final, lags = {}, None, None, []
    try:
        deadline = time.time() + 60 + a.blocks * 12
        while time.time() < deadline:
            try:
                best = number(rpc(url, "chain_getHeader"))
                fin = number(rpc(url, "chain_getHeader", [rpc(url, "chain_getFinalizedHead")]))
            except (OSError, TypeError, KeyError, ValueError):
                time.sleep(0.05); continue
            now = time.time()
            if best >= 1 and first_block is None:
                first_block = now - start
            if fin >= 1 and first_final is None:
                first_final = now - start
            if best not in seen and best >= 1:
                seen[best] = now
                lags.append(best - fin)
                print(f"  best #{best} finalized #{fin} at +{now - start:.1f} s", file=sys.stderr)
            if len(seen) >= a.blocks and first_final is not None:
                break
            time.sleep(0.05)
        last = max(seen) if seen else 0
        stamps = []
        for n in range(2, last + 1):
            h = rpc(url, "chain_getBlockHash", [n])
            stamps.append(le_u64(rpc(url, "state_getStorage", [TIMESTAMP_NOW, h])) / 1000.0)
        intervals = [b - a_ for a_, b in zip(stamps, stamps[1:])]
    finally:
        if proc:
            proc.terminate(); proc.wait(30)

    out = {
        "url": url,
        "blocks_observed": len(seen),
        "first_block_s": round(first_block, 2) if first_block is not None else None,
        "first_finalized_s": round(first_final, 2) if first_final is not None else None,
        "block_time_mean_s": round(statistics.mean(intervals), 3) if intervals else None,
        "block_time_median_s": round(statistics.median(intervals), 3) if intervals else None,
        "block_time_max_s": round(max(intervals), 3) if intervals else None,
        "finality_lag_blocks_median": statistics.median(lags) if lags else None,
        "finality_lag_blocks_max": max(lags) if lags else None,
    }
    print(json.dumps(out, indent=2))
    if first_final is None or len(seen) < a.blocks:
        sys.exit(1)


if __name__ == "__main__":
    main()

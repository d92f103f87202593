#!/usr/bin/env node
// A phone's light client after time offline: docs/BENCHMARKS.md's "Light-client sync after time
// offline" figures.
//
//   node app/scripts/bench-offline-sync.mjs [--offline 20,200] [--bin DIR]
//                                           [--chain-spec FILE] [--set-change-every BLOCKS]
//
// Starts a dev node (a WebSocket listen address for light clients) and smoldot in Node, the same
// smoldot the app runs. smoldot syncs to the finalized head and its database is saved
// (`chainHead_unstable_finalizedDatabase`, what a phone keeps between openings); smoldot stops.
// For each count of blocks in --offline (cumulative, from that save), once the chain is that many
// blocks further on: smoldot is started again from the saved database, then again with none (a
// first opening), and each time the script reports how long until smoldot's finalized block
// reaches the node's finalized block of that moment, and the bytes it received meanwhile (through
// a counting TCP relay in front of the node's light-client port). Needs scripts/build.sh's
// release binaries.
//
// --chain-spec runs the node (as Alice, the only validator) and smoldot on that raw chain spec
// instead of `--dev`: scripts/build-fast-runtime.sh's dev chain on 100 ms blocks, where a day of
// blocks (14,400 at 6 s) takes 24 minutes instead of a day.
//
// --set-change-every makes a GRANDPA authority-set change every that many blocks while the phone
// is offline: Alice's node makes new session keys and `epichain validator set-keys` registers
// them; GRANDPA moves to them two sessions later. Each change is one more proof that warp sync
// must fetch and check.
import { spawn, spawnSync, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { countingRelay, freePort } from "./net.mjs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import * as smoldot from "smoldot";
import { Storage, u64 } from "@polkadot-api/substrate-bindings";

const { values } = parseArgs({
  options: {
    offline: { type: "string", default: "20,200" },
    bin: { type: "string", default: join(process.env.CARGO_TARGET_DIR ?? join(process.env.HOME, ".cache/epichain/target"), "release") },
    "chain-spec": { type: "string" },
    "set-change-every": { type: "string" },
  },
});
const offline = values.offline.split(",").map(Number);
const work = mkdtempSync(join(tmpdir(), "epichain-bench-offline-"));
const node = join(values.bin, "epichain-node");
const cli = join(values.bin, "epichain");
const setChangeEvery = values["set-change-every"] ? Number(values["set-change-every"]) : undefined;


async function rpc(port, method, params = []) {
  const response = await fetch(`http://127.0.0.1:${port}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  return (await response.json()).result;
}

/** The node's finalized block: hash and number. */
async function finalized(port) {
  const hash = await rpc(port, "chain_getFinalizedHead");
  return { hash, number: parseInt((await rpc(port, "chain_getHeader", [hash])).number, 16) };
}


/**
 * Starts smoldot on `spec` (from `database` if given) and follows the chain until its finalized
 * block is at least `target`; the time that took, the bytes received, and the database to keep.
 */
async function sync(spec, database, target, relay, rpcPort) {
  const client = smoldot.start({ maxLogLevel: 1 });
  const before = relay.received;
  const started = performance.now();
  const chain = await client.addChain({ chainSpec: spec, databaseContent: database });
  chain.sendJsonRpc(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "chainHead_v1_follow", params: [false] }));
  let reached;
  while (!reached) {
    const message = JSON.parse(await chain.nextJsonRpcResponse());
    const event = message.params?.result;
    const hashes = event?.event === "initialized" ? event.finalizedBlockHashes : event?.event === "finalized" ? event.finalizedBlockHashes : [];
    for (const hash of hashes ?? []) {
      const header = await rpc(rpcPort, "chain_getHeader", [hash]);
      if (header && parseInt(header.number, 16) >= target.number) reached = parseInt(header.number, 16);
    }
  }
  const ms = performance.now() - started;
  const bytes = relay.received - before;
  chain.sendJsonRpc(JSON.stringify({ jsonrpc: "2.0", id: 2, method: "chainHead_unstable_finalizedDatabase", params: [] }));
  let saved;
  while (saved === undefined) {
    const message = JSON.parse(await chain.nextJsonRpcResponse());
    if (message.id === 2) saved = message.result;
  }
  await client.terminate();
  return { ms, bytes, reached, database: saved };
}

const rpcPort = await freePort();
const wsPort = await freePort();
const p2pPort = await freePort();
// The node key's peer id is printed on standard error.
const peer = spawnSync(node, ["key", "generate-node-key", "--file", join(work, "node-key")], { encoding: "utf8" }).stderr.trim().split("\n").pop();
let specFile = values["chain-spec"];
let chainArgs = ["--chain", specFile, "--alice", "--validator", "--force-authoring"];
if (!specFile) {
  specFile = join(work, "dev-raw.json");
  execFileSync(node, ["export-chain-spec", "--chain", "dev", "--raw", "--output", specFile], { stdio: "ignore" });
  chainArgs = ["--dev"];
}
const spec = JSON.parse(readFileSync(specFile, "utf8"));
// No mDNS: two runs on one machine are the same chain (same genesis) and would find each other.
const validator = spawn(node, [...chainArgs, "--tmp", "--no-mdns", "--rpc-port", String(rpcPort), "--no-prometheus", "--no-telemetry", "--node-key-file", join(work, "node-key"),
  "--listen-addr", `/ip4/127.0.0.1/tcp/${p2pPort}`, "--listen-addr", `/ip4/127.0.0.1/tcp/${wsPort}/ws`], { stdio: "ignore" });
process.on("exit", () => validator.kill());
const relay = await countingRelay(wsPort);
spec.bootNodes = [`/ip4/127.0.0.1/tcp/${relay.port}/ws/p2p/${peer}`];
delete spec.protocolId;
const chainSpec = JSON.stringify(spec);

/** GRANDPA's current authority set id (`Grandpa::CurrentSetId`) at the node's best block. */
const CURRENT_SET_ID = Storage("Grandpa")("CurrentSetId").enc();
const setId = async () => Number(u64.dec((await rpc(rpcPort, "state_getStorage", [CURRENT_SET_ID])) ?? "0x0000000000000000"));

let nextSetChange;
/** Waits until the node has finalized `number`, making a set change every --set-change-every blocks on the way. */
const waitFor = async (number) => {
  for (;;) {
    const head = await finalized(rpcPort).catch(() => undefined);
    if (head && head.number >= number) return head;
    if (head && nextSetChange !== undefined && head.number >= nextSetChange) {
      // New keys in Alice's keystore, registered for her account; GRANDPA takes them two sessions on.
      execFileSync(cli, ["--url", `ws://127.0.0.1:${rpcPort}`, "validator", "set-keys", "--suri", "//Alice"], { stdio: "ignore" });
      console.error(`# new session keys registered at #${head.number} (set id ${await setId()})`);
      nextSetChange = head.number + setChangeEvery;
    }
    await new Promise((r) => setTimeout(r, 1_000));
  }
};
console.error(`# dev node on 127.0.0.1:${rpcPort}; waiting for finalized block 5`);
const first = await waitFor(5);
const kept = await sync(chainSpec, undefined, first, relay, rpcPort);
console.error(`# first sync to #${kept.reached}: ${kept.ms.toFixed(0)} ms, ${kept.bytes} bytes; database ${kept.database.length} characters`);
const savedSet = await setId();
if (setChangeEvery) nextSetChange = kept.reached + setChangeEvery;
console.log("| blocks offline | GRANDPA set changes | from the saved database: time to the node's finalized block | bytes received | with no database (first opening): time | bytes received |");
console.log("|---|---|---|---|---|---|");
for (const blocks of offline) {
  console.error(`# waiting until the chain is ${blocks} blocks past #${kept.reached}`);
  const target = await waitFor(kept.reached + blocks);
  const back = await sync(chainSpec, kept.database, target, relay, rpcPort);
  const fresh = await sync(chainSpec, undefined, target, relay, rpcPort);
  console.log(`| ${target.number - kept.reached} | ${(await setId()) - savedSet} | ${back.ms.toFixed(0)} ms | ${back.bytes.toLocaleString("en")} | ${fresh.ms.toFixed(0)} ms | ${fresh.bytes.toLocaleString("en")} |`);
}
validator.kill();
process.exit(0);

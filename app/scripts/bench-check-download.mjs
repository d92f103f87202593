#!/usr/bin/env node
// What a phone downloads for one exposure check when a day holds thousands of notifications:
// docs/BENCHMARKS.md's "A day of thousands of notifications" figures.
//
//   node app/scripts/bench-check-download.mjs [--contacts 3000] [--bin DIR]
//
// Brings up a dev node and the simulation matcher, writes a synthetic case and --contacts
// synthetic people beside it yesterday (random pseudonyms, one Wi-Fi access point's cell, 30
// minutes together), has the case consented and endorsed, and waits until the chain holds a
// notification for each contact. Then smoldot in Node (the app's light client) does what the app's
// check does: each of the last 14 days' notifications in pages of 1,000, at one finalized block,
// through a counting relay in front of the node's light-client port, once paging by cursor
// (`NotificationsApi::notifications_of_day_after`, what the app does) and once by skip
// (`notifications_of_day`, version 1), side by side at the same block. The same check before the
// endorsement (no notification) is the baseline.
// Needs scripts/build.sh's release binaries.
import { spawn, spawnSync, execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { countingRelay, freePort } from "./net.mjs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import * as smoldot from "smoldot";
import { Bytes, Option, Struct, Tuple, Vector, bool, u8, u32, u64 } from "@polkadot-api/substrate-bindings";

const { values } = parseArgs({
  options: {
    contacts: { type: "string", default: "3000" },
    bin: { type: "string", default: join(process.env.CARGO_TARGET_DIR ?? join(process.env.HOME, ".cache/epichain/target"), "release") },
  },
});
const contacts = Number(values.contacts);
const work = mkdtempSync(join(tmpdir(), "epichain-bench-check-"));
const node = join(values.bin, "epichain-node");
const PAGE = 1_000;



const rpcPort = await freePort();
const wsPort = await freePort();
const matcherPort = await freePort();
const ws = `ws://127.0.0.1:${rpcPort}`;
const cli = (...args) => execFileSync(join(values.bin, "epichain"), ["--url", ws, ...args], { cwd: work, encoding: "utf8" });
async function rpc(method, params = []) {
  const response = await fetch(`http://127.0.0.1:${rpcPort}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  return (await response.json()).result;
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The node key's peer id is printed on standard error.
const peer = spawnSync(node, ["key", "generate-node-key", "--file", join(work, "node-key")], { encoding: "utf8" }).stderr.trim().split("\n").pop();
const children = [];
process.on("exit", () => children.forEach((c) => c.kill()));
children.push(spawn(node, ["--dev", "--tmp", "--rpc-port", String(rpcPort), "--no-prometheus", "--no-telemetry", "--node-key-file", join(work, "node-key"),
  "--listen-addr", `/ip4/127.0.0.1/tcp/${await freePort()}`, "--listen-addr", `/ip4/127.0.0.1/tcp/${wsPort}/ws`,
  "--matcher-url", `http://127.0.0.1:${matcherPort}`], { stdio: "ignore" }));
execFileSync(node, ["export-chain-spec", "--chain", "dev", "--raw", "--output", join(work, "dev-raw.json")], { stdio: "ignore" });
children.push(spawn(join(values.bin, "epichain-matcher"), ["--enclave", "simulation", "--authority-suri", "//Alice", "--chain-spec", join(work, "dev-raw.json"),
  "--chain-rpc", `http://127.0.0.1:${rpcPort}`, "--listen", `127.0.0.1:${matcherPort}`, "--tmp"], { stdio: "ignore" }));
console.error(`# dev node ${ws}, matcher :${matcherPort}; waiting for the matcher to follow`);
for (;;) {
  const health = await fetch(`http://127.0.0.1:${matcherPort}/health`).then((r) => r.json()).catch(() => undefined);
  if (health?.syncedBlock != null) break;
  await sleep(1_000);
}

const relay = await countingRelay(wsPort);
const spec = JSON.parse(readFileSync(join(work, "dev-raw.json"), "utf8"));
spec.bootNodes = [`/ip4/127.0.0.1/tcp/${relay.port}/ws/p2p/${peer}`];
delete spec.protocolId;

// The runtime calls' SCALE types, by polkadot-api's codecs.
const Cursor = Struct({ fingerprint: Bytes(16), case: u64 });
const ByCursor = Tuple(u32, Option(Cursor), u32);
const BySkip = Tuple(u32, u32, u32);
const Page = Vector(Struct({ fingerprint: Bytes(16), exposure_day: u32, case: u64, risk: u8, probability_ppm: u32, revoked: bool }));

/** One page's call: by cursor (`after` is the previous page's last view, or none) or by skip. */
function pageCall(paging, day, page, after) {
  if (paging === "skip") return ["NotificationsApi_notifications_of_day", BySkip.enc([day, page * PAGE, PAGE])];
  const cursor = after && { fingerprint: after.fingerprint, case: after.case };
  return ["NotificationsApi_notifications_of_day_after", ByCursor.enc([day, cursor, PAGE])];
}

/** The app's check: 14 days of pages at one finalized block, paging by `paging`. */
async function check(today, paging) {
  const client = smoldot.start({ maxLogLevel: 1 });
  const chain = await client.addChain({ chainSpec: JSON.stringify(spec) });
  let id = 0;
  const send = (method, params) => chain.sendJsonRpc(JSON.stringify({ jsonrpc: "2.0", id: ++id, method, params }));
  const pending = [];
  const next = async (want) => {
    for (;;) {
      const i = pending.findIndex(want);
      if (i >= 0) return pending.splice(i, 1)[0];
      pending.push(JSON.parse(await chain.nextJsonRpcResponse()));
    }
  };
  send("chainHead_v1_follow", [true]);
  const follow = (await next((m) => m.id === id)).result;
  const init = await next((m) => m.params?.subscription === follow && m.params.result.event === "initialized");
  const at = init.params.result.finalizedBlockHashes.at(-1);
  const before = relay.received;
  const started = performance.now();
  let notifications = 0;
  let calls = 0;
  for (let day = today - 13; day <= today; day++) {
    let after;
    for (let page = 0; ; page++) {
      const [fn, args] = pageCall(paging, day, page, after);
      send("chainHead_v1_call", [follow, at, fn, `0x${Buffer.from(args).toString("hex")}`]);
      const op = (await next((m) => m.id === id)).result.operationId;
      const done = await next((m) => m.params?.subscription === follow && m.params.result.operationId === op);
      if (done.params.result.event !== "operationCallDone") throw new Error(`the call failed: ${JSON.stringify(done.params.result)}`);
      calls += 1;
      const views = Page.dec(done.params.result.output);
      notifications += views.length;
      if (views.length < PAGE) break;
      after = views.at(-1);
    }
  }
  const result = { ms: performance.now() - started, bytes: relay.received - before, notifications, calls };
  await client.terminate();
  return result;
}

const today = Math.floor(Date.now() / 86_400_000);
const yesterday = today - 1;
const baseline = await check(today, "cursor");
console.error(`# baseline check: ${JSON.stringify(baseline)}`);

// The case and its contacts, synthetic: one Wi-Fi access point's cell, yesterday 10:00-10:30.
cli("keys", "new", "--out", "case.seed");
writeFileSync(join(work, "case-keys.json"), cli("--json", "keys", "export", "--seed", "case.seed", "--from", String(yesterday), "--days", "2"));
const casePseudonym = JSON.parse(readFileSync(join(work, "case-keys.json"), "utf8")).find((k) => k.day === yesterday).pseudonym;
const start = yesterday * 86_400 + 36_000;
const rows = ["pseudonym,start,end,geohash,source", `${casePseudonym},${start},${start + 1_800},xn76urx66,wifi`];
for (let i = 0; i < contacts; i++) rows.push(`0x${randomBytes(32).toString("hex")},${start + 60},${start + 1_740},xn76urx66,wifi`);
writeFileSync(join(work, "day.csv"), rows.join("\n") + "\n");
console.error(`# writing the case and ${contacts} contacts`);
cli("--json", "--wait", "finalized", "locator", "submit", "--suri", "//Eve", "day.csv");
const nullifier = cli("diagnostician", "nullifier", "--lab", "lab-bench", "--case-id", "c-bench").trim().split("\n").pop();
const ferdie = JSON.parse(cli("--json", "diagnostician", "consent-request", "--suri", "//Ferdie", "--nullifier", nullifier)).diagnostician;
cli("patient", "consent", "--seed", "case.seed", "--diagnostician", ferdie, "--nullifier", nullifier, "--onset", String(yesterday), "--last", String(today), "--out", "consent.json");
const endorsed = Date.now();
cli("--wait", "finalized", "diagnostician", "endorse", "--suri", "//Ferdie", "--consent", "consent.json");
console.error("# endorsed; waiting for every contact's notification");
for (;;) {
  const counts = await rpc("notifications_dayCounts", [yesterday]);
  const total = (counts?.high ?? 0) + (counts?.low ?? 0) + (counts?.indirect ?? 0);
  if (total >= contacts) break;
  await sleep(2_000);
}
console.error(`# ${contacts} notifications on chain ${Date.now() - endorsed} ms after the endorsement was submitted`);
await sleep(15_000); // the notifications' block finalized, for the light client too
const byCursor = await check(today, "cursor");
const bySkip = await check(today, "skip");
console.log("| check (14 days, pages of 1,000) | notifications | runtime calls | bytes received | time |");
console.log("|---|---:|---:|---:|---:|");
const row = (what, r) => console.log(`| ${what} | ${r.notifications} | ${r.calls} | ${r.bytes.toLocaleString("en")} | ${r.ms.toFixed(0)} ms |`);
row("before the endorsement", baseline);
row(`after: ${contacts} contacts yesterday, by cursor (the app)`, byCursor);
row(`after: ${contacts} contacts yesterday, by skip (version 1)`, bySkip);
if (byCursor.notifications !== bySkip.notifications) throw new Error("the two pagings read different numbers of notifications");
process.exit(0);

// Live: every block from genesis to the finalized head, every extrinsic and every event, decoded
// by polkadot.js and by polkadot-api, which must agree with each other and with the bytes.
//
//   EPICHAIN_WS=ws://127.0.0.1:9944 npm test
//   EPICHAIN_EXPECT=Csi.submit_batch,Diagnosis.endorse_case,Notifications.submit_result (default)
//     the calls that must appear at least once ("" for none)
//
// Both libraries read each block's events from its state: a node keeps the last 256 blocks' state
// unless started with `--state-pruning archive` (scripts/scenario.sh does). papi reads the blocks
// it has not pinned through `archive_v1_*`: the node's own on an archive node, otherwise emulated
// over the legacy RPC by the `polkadot-api/ws` middleware.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import type { ApiPromise } from "@polkadot/api";
import type { PolkadotClient } from "polkadot-api";

import {
  AUTHORIZED_CALLS,
  authorizedSigner,
  buildGeneral,
  callName,
  connectPapi,
  connectPjs,
  finalizedHead,
  fromHex,
  hasArchive,
  papiExtrinsicDecoder,
  papiWalk,
  pjsAuthorized,
  pjsWalk,
  toHex,
  type BlockReport,
  type ExtrinsicReport,
} from "../src/chain.js";

const url = process.env.EPICHAIN_WS;
const skip = url ? false : "set EPICHAIN_WS (e.g. ws://127.0.0.1:9944) to run against a node";
const expected = (process.env.EPICHAIN_EXPECT ?? "Csi.submit_batch,Diagnosis.endorse_case,Notifications.submit_result")
  .split(",")
  .map((s) => s.trim())
  .filter(Boolean);

type PapiTx = { sign(signer: unknown, options: unknown): Promise<string | Uint8Array> };

let api: ApiPromise;
let client: PolkadotClient;
let head: { hash: string; number: number };
let pjs: BlockReport[] | undefined;
let papi: BlockReport[] | undefined;

before(async () => {
  if (!url) return;
  api = await connectPjs(url);
  client = connectPapi(url);
  head = await finalizedHead(api);
});

after(async () => {
  client?.destroy();
  await api?.disconnect();
});

/** What must hold of one library's blocks, whatever the library. */
function checkBlocks(blocks: BlockReport[]): void {
  assert.equal(blocks.length, head.number + 1);
  blocks.forEach((b, n) => {
    assert.equal(b.number, n);
    if (n > 0) assert.equal(b.parentHash, blocks[n - 1]!.hash, `block ${n}'s parent`);
    for (const x of b.extrinsics) {
      assert.ok(x.version === 4 || x.version === 5, `block ${n} #${x.index}: version ${x.version}`);
      // Each extrinsic was applied: exactly one ExtrinsicSuccess or ExtrinsicFailed of its own.
      const outcome = b.events.filter(
        (e) =>
          e.phase === `ApplyExtrinsic(${x.index})` &&
          e.pallet === "System" &&
          (e.name === "ExtrinsicSuccess" || e.name === "ExtrinsicFailed"),
      );
      assert.equal(outcome.length, 1, `block ${n} #${x.index} ${callName(x)}: ${outcome.length} outcomes`);
      // What the runtime authorizes comes as v5 general, and nothing else does.
      if (AUTHORIZED_CALLS.includes(callName(x)) || x.kind === "general") {
        assert.equal(x.kind, "general", `block ${n} #${x.index} ${callName(x)} is ${x.kind}`);
        assert.equal(x.version, 5, `block ${n} #${x.index} ${callName(x)} is v${x.version}`);
        assert.ok(AUTHORIZED_CALLS.includes(callName(x)), `block ${n} #${x.index}: general ${callName(x)}`);
      }
    }
    for (const e of b.events) {
      const m = /^ApplyExtrinsic\((\d+)\)$/.exec(e.phase);
      if (m) assert.ok(Number(m[1]) < b.extrinsics.length, `block ${n} event ${e.index}: ${e.phase}`);
    }
  });
}

function tally(blocks: BlockReport[]): Map<string, number> {
  const seen = new Map<string, number>();
  for (const b of blocks)
    for (const x of b.extrinsics) {
      const key = `${callName(x)} v${x.version} ${x.kind}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
  return seen;
}

function generals(blocks: BlockReport[]): Array<{ block: BlockReport; x: ExtrinsicReport }> {
  return blocks.flatMap((block) => block.extrinsics.filter((x) => x.kind === "general").map((x) => ({ block, x })));
}

test("polkadot.js decodes every extrinsic and event from genesis to the finalized head", { skip }, async (t) => {
  const blocks: BlockReport[] = [];
  for await (const b of pjsWalk(api, head)) blocks.push(b);
  checkBlocks(blocks);
  pjs = blocks;
  t.diagnostic(`blocks 0..${head.number} (${head.hash})`);
  for (const [k, v] of tally(blocks)) t.diagnostic(`${k}: ${v}`);
});

test("polkadot-api decodes every extrinsic and event from genesis to the finalized head", { skip }, async (t) => {
  const blocks: BlockReport[] = [];
  for await (const b of papiWalk(client, head)) blocks.push(b);
  checkBlocks(blocks);
  papi = blocks;
  t.diagnostic(`history through archive_v1_*: ${(await hasArchive(client)) ? "the node's" : "emulated by polkadot-api/ws"}`);
  for (const [k, v] of tally(blocks)) t.diagnostic(`${k}: ${v}`);
});

test("both libraries decode the same chain", { skip }, () => {
  assert.ok(pjs && papi, "both walks must have succeeded");
  assert.equal(pjs.length, papi.length);
  pjs.forEach((a, n) => {
    const b = papi![n]!;
    assert.equal(a.hash, b.hash, `block ${n}: hash`);
    assert.equal(a.extrinsics.length, b.extrinsics.length, `block ${n}: extrinsics`);
    a.extrinsics.forEach((x, i) => {
      const y = b.extrinsics[i]!;
      const where = `block ${n} #${i}`;
      assert.deepEqual([x.version, x.kind, x.pallet, x.call], [y.version, y.kind, y.pallet, y.call], where);
      assert.equal(x.callHex, y.callHex, `${where}: call bytes`);
      assert.equal(x.hex, y.hex, `${where}: extrinsic bytes`);
    });
    assert.deepEqual(
      a.events.map((e) => [e.phase, e.pallet, e.name]),
      b.events.map((e) => [e.phase, e.pallet, e.name]),
      `block ${n}: events`,
    );
  });
});

test(`the chain holds at least one of: ${expected.join(", ") || "(nothing required)"}`, { skip }, () => {
  assert.ok(pjs && papi, "both walks must have succeeded");
  for (const [lib, blocks] of [["polkadot.js", pjs], ["polkadot-api", papi]] as const) {
    const names = new Set(blocks.flatMap((b) => b.extrinsics.map(callName)));
    for (const want of expected) assert.ok(names.has(want), `${lib} saw no ${want} (saw ${[...names].sort().join(", ")})`);
  }
});

test("each library rebuilds every authorized extrinsic byte for byte from its decoded call", { skip }, async (t) => {
  assert.ok(pjs && papi, "both walks must have succeeded");
  const unsafe = client.getUnsafeApi();
  let checked = 0;
  for (const { block, x } of generals(pjs)) {
    const raw = x.hex;
    // The envelope alone.
    assert.equal(toHex(buildGeneral(fromHex(x.callHex))), raw, `block ${block.number} #${x.index}: buildGeneral`);
    // polkadot.js: the call rebuilt from its decoded arguments with api.tx, in the envelope.
    const at = await api.at(block.hash);
    const section = x.pallet.charAt(0).toLowerCase() + x.pallet.slice(1);
    const method = at.registry.findMetaCall(fromHex(x.callHex).subarray(0, 2)).method;
    const ex = at.registry.createType("Extrinsic", fromHex(raw));
    const rebuilt = api.tx[section]![method]!(...ex.method.args);
    assert.equal(pjsAuthorized(at.registry, rebuilt.method).toHex(), raw, `block ${block.number} #${x.index}: pjs`);
    // polkadot-api: its own transaction builder from the decoded arguments, with the
    // authorized "signer" (immortal, nonce 0).
    const papiX: ExtrinsicReport = papi![block.number]!.extrinsics[x.index]!;
    const tx: PapiTx = (unsafe.tx as unknown as Record<string, Record<string, (args: unknown) => PapiTx>>)[papiX.pallet]![papiX.call]!(papiX.args);
    const signed: string | Uint8Array = await tx.sign(authorizedSigner(), { mortality: { mortal: false }, nonce: 0 });
    assert.equal(typeof signed === "string" ? signed : toHex(signed), raw, `block ${block.number} #${x.index}: papi`);
    // And papi's decoder reads papi's build.
    assert.equal(papiExtrinsicDecoder(await client.getMetadata(block.hash))(fromHex(raw)).type, "general");
    checked++;
  }
  t.diagnostic(`${checked} authorized extrinsics rebuilt by both libraries`);
  if (expected.some((e) => AUTHORIZED_CALLS.includes(e))) assert.ok(checked > 0, "no authorized extrinsic to rebuild");
});

// Live and state-changing: each library builds and submits an authorized (v5 general)
// transaction, Ferdie's `Diagnosis::revoke_endorsement` of an active case he endorsed. Then a
// whole case from JavaScript alone, its crypto from the wasm primitives: Eve (the dev chain's
// app-gateway locator) seals and submits two devices' stays, the matcher opens them, one device's
// patient consents, Ferdie endorses, and the other device finds its notification.
//
//   EPICHAIN_WS=ws://127.0.0.1:9944 EPICHAIN_MATCHER=http://127.0.0.1:8577 EPICHAIN_SUBMIT=1 npm test
//
// Needs two active cases endorsed by Ferdie (the dev chain's diagnostician): polkadot.js revokes
// the older, polkadot-api the newer. Runs before decode.test.ts (npm test orders the files), so
// the walk sees these transactions too.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { Keyring, type ApiPromise } from "@polkadot/api";
import type { KeyringPair } from "@polkadot/keyring/types";
import { InvalidTxError, type PolkadotClient } from "polkadot-api";

import {
  fromHex,
  primitives,
  sealBatch,
  authorizedSigner,
  buildGeneral,
  connectPapi,
  connectPjs,
  papiExtrinsicDecoder,
  revocationPayload,
  submitAuthorizedPjs,
  toHex,
} from "../src/chain.js";

const url = process.env.EPICHAIN_WS;
const matcherUrl = process.env.EPICHAIN_MATCHER;
const skip = !url
  ? "set EPICHAIN_WS to run against a node"
  : !process.env.EPICHAIN_SUBMIT
    ? "set EPICHAIN_SUBMIT=1 to let the tests revoke two of Ferdie's cases"
    : false;

let api: ApiPromise;
let client: PolkadotClient;
let ferdie: KeyringPair;
let genesis: Uint8Array;
let cases: bigint[] = [];

type PapiTx = {
  getEncodedData(): Promise<Uint8Array>;
  sign(signer: unknown, options: unknown): Promise<Uint8Array>;
  signAndSubmit(signer: unknown, options: unknown): Promise<{
    ok: boolean;
    block: { hash: string; number: number; index: number };
    events: Array<{ type: string; value: { type: string } }>;
    dispatchError?: unknown;
  }>;
};
type Unsafe = {
  tx: { Diagnosis: { revoke_endorsement(args: unknown): PapiTx } };
  query: { Diagnosis: { Cases: { getEntries(): Promise<Array<{ keyArgs: [bigint]; value: { diagnostician: string; status: { type: string } } }>> } } };
};

before(async () => {
  if (skip) return;
  api = await connectPjs(url!);
  client = connectPapi(url!);
  ferdie = new Keyring({ type: "sr25519", ss58Format: 42 }).addFromUri("//Ferdie");
  genesis = api.genesisHash.toU8a();
  const unsafe = client.getUnsafeApi() as unknown as Unsafe;
  const entries = await unsafe.query.Diagnosis.Cases.getEntries();
  cases = entries
    .filter((e) => e.value.diagnostician === ferdie.address && e.value.status.type === "Active")
    .map((e) => e.keyArgs[0])
    .sort((a, b) => (a < b ? -1 : 1));
});

after(async () => {
  client?.destroy();
  await api?.disconnect();
});

async function validUntil(): Promise<number> {
  const head = await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead());
  return head.number.toNumber() + 100; // Diagnosis::MaxSignedValidity is 600
}

test("Ferdie has two active cases to revoke", { skip }, () => {
  assert.ok(cases.length >= 2, `active cases of Ferdie: ${cases.join(", ") || "none"}`);
});

test("the pool refuses an authorized transaction with a bad signature (polkadot.js)", { skip }, async () => {
  const until = await validUntil();
  const call = api.tx.diagnosis!.revokeEndorsement!(ferdie.address, cases[0]!, "FalsePositive", until, {
    Sr25519: `0x${"00".repeat(64)}`,
  });
  await assert.rejects(submitAuthorizedPjs(api, call.method), /bad signature|BadProof|1010/i);
});

test("the pool refuses an authorized transaction with a bad signature (polkadot-api)", { skip }, async () => {
  const unsafe = client.getUnsafeApi() as unknown as Unsafe;
  const tx = unsafe.tx.Diagnosis.revoke_endorsement({
    diagnostician: ferdie.address,
    case: cases[1]!,
    reason: { type: "FalsePositive", value: undefined },
    valid_until: await validUntil(),
    signature: { type: "Sr25519", value: `0x${"00".repeat(64)}` },
  });
  // papi validates before it broadcasts: InvalidTxError { type: "Invalid", value: { type: "BadProof" } }.
  await assert.rejects(tx.signAndSubmit(authorizedSigner(), { mortality: { mortal: false }, nonce: 0 }), (e: unknown) => {
    assert.ok(e instanceof InvalidTxError, String(e));
    assert.match(JSON.stringify(e.error), /BadProof/);
    return true;
  });
});

test("polkadot.js builds and submits an authorized revocation", { skip }, async (t) => {
  const caseId = cases[0]!;
  const until = await validUntil();
  const signature = ferdie.sign(revocationPayload(genesis, caseId, "FalsePositive", until));
  const call = api.tx.diagnosis!.revokeEndorsement!(ferdie.address, caseId, "FalsePositive", until, {
    Sr25519: toHex(signature),
  });
  const landed = await submitAuthorizedPjs(api, call.method, { finalized: true });
  t.diagnostic(`case ${caseId} revoked in ${landed.blockHash} #${landed.index}: ${landed.events.join(", ")}`);
  assert.equal(landed.error, undefined);
  assert.ok(landed.events.includes("Diagnosis.CaseRevoked"), landed.events.join(", "));
  assert.ok(landed.events.includes("System.ExtrinsicSuccess"), landed.events.join(", "));
});

test("polkadot-api builds (its own tx builder) and submits an authorized revocation", { skip }, async (t) => {
  const caseId = cases[1]!;
  const until = await validUntil();
  const signature = ferdie.sign(revocationPayload(genesis, caseId, "EnteredInError", until));
  const unsafe = client.getUnsafeApi() as unknown as Unsafe;
  const tx = unsafe.tx.Diagnosis.revoke_endorsement({
    diagnostician: ferdie.address,
    case: caseId,
    reason: { type: "EnteredInError", value: undefined },
    valid_until: until,
    signature: { type: "Sr25519", value: toHex(signature) },
  });
  const options = { mortality: { mortal: false }, nonce: 0 };
  // What papi builds is the envelope of its call data, and decodes as general.
  const bytes = await tx.sign(authorizedSigner(), options);
  const callData = await tx.getEncodedData();
  assert.equal(toHex(bytes), toHex(buildGeneral(callData)));
  const metadata = await client.getMetadata((await client.getFinalizedBlock()).hash);
  assert.equal(papiExtrinsicDecoder(metadata)(bytes).type, "general");
  const done = await tx.signAndSubmit(authorizedSigner(), options);
  const names = done.events.map((e) => `${e.type}.${e.value.type}`);
  t.diagnostic(`case ${caseId} revoked in ${done.block.hash} #${done.block.index}: ${names.join(", ")}`);
  assert.equal(done.ok, true, JSON.stringify(done.dispatchError));
  assert.ok(names.includes("Diagnosis.CaseRevoked"), names.join(", "));
  // The block holds exactly those bytes.
  const body = await client.getBlockBody(done.block.hash);
  assert.equal(toHex(body[done.block.index]!), toHex(bytes));
});

// ---- a case from JavaScript alone ----

const SECONDS_PER_DAY = 86_400;
const eve = () => new Keyring({ type: "sr25519", ss58Format: 42 }).addFromUri("//Eve");
/** Two synthetic devices: the patient, and the contact who sat next to them. */
const patientSeed = new Uint8Array(32).fill(0xa1);
const contactSeed = new Uint8Array(32).fill(0xa2);
let sealedDay = 0;
let endorsedCase: bigint | undefined;

type MatcherStatistics = { batches: number; entries: number; rejectedEntries: number; unopenableBatches: number };
async function matcherStatistics(): Promise<MatcherStatistics> {
  const response = await fetch(`${matcherUrl}/v1/statistics`);
  assert.equal(response.status, 200);
  return (await response.json()) as MatcherStatistics;
}

async function until<T>(what: string, seconds: number, probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < seconds; i++) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`${what}: not within ${seconds} s`);
}

/** The sealing key to seal to now, by the runtime's rule (`MatchersApi::current_sealing_key`). */
async function matcherKey(): Promise<{ keyId: number; public: Uint8Array }> {
  const answer = (await api.call.matchersApi!.currentSealingKey!()) as unknown as {
    toJSON(): { matcher: number; keyId: number; public: string } | null;
  };
  const key = answer.toJSON();
  assert.ok(key, "a matcher serves the region");
  return { keyId: key.keyId, public: fromHex(key.public) };
}

const matcherSkip = skip || (!matcherUrl ? "set EPICHAIN_MATCHER to the region's matcher" : false);

test("polkadot.js submits a batch the wasm primitives sealed, twice at once, and the matcher opens every entry once", { skip: matcherSkip }, async (t) => {
  const now = Math.floor(Number((await api.query.timestamp!.now!()).toString()) / 1000);
  // Twenty minutes side by side in one 9-character cell, ending ten minutes ago.
  const start = now - 30 * 60;
  sealedDay = Math.floor(start / SECONDS_PER_DAY);
  const dayEnd = (sealedDay + 1) * SECONDS_PER_DAY - 1;
  const stay = { start, end: Math.min(start + 20 * 60, dayEnd), cell: "xn76urx66", source: "Gnss" as const };
  const owner = (seed: Uint8Array) => toHex(primitives().pseudonym(seed, sealedDay));
  const { keyId, public: matcherPublic } = await matcherKey();
  const batch = sealBatch(matcherPublic, keyId, sealedDay, "xn76u", [
    { owner: owner(patientSeed), stays: [stay] },
    { owner: owner(contactSeed), stays: [stay] },
  ]);
  const before = await matcherStatistics();
  const signature = eve().sign(batch.signingPayload(genesis));
  const call = api.tx.csi!.submitBatch!(eve().address, batch.batch(), { Sr25519: toHex(signature) });
  // The same bytes twice, as a second tab sends them (its own connection: polkadot.js shares
  // one subscription between identical calls on one connection): the pool answers one of them
  // with "already imported" (1013), which is no refusal. Both answers name the one block and
  // index where the batch landed, with its events.
  const tab = await connectPjs(url!);
  const [landed, again] = await Promise.all([
    submitAuthorizedPjs(api, call.method, { finalized: true }),
    submitAuthorizedPjs(tab, call.method, { finalized: true }),
  ]).finally(() => tab.disconnect());
  t.diagnostic(`batch in ${landed.blockHash} #${landed.index}: ${landed.events.join(", ")}`);
  assert.deepEqual(again, landed, "the second submission is followed to the same block");
  assert.equal(landed.error, undefined);
  assert.ok(landed.events.includes("Csi.BatchSubmitted"), landed.events.join(", "));
  const after = await until("the matcher indexes the batch", 60, async () => {
    const s = await matcherStatistics();
    return s.batches > before.batches ? s : undefined;
  });
  assert.equal(after.batches - before.batches, 1);
  assert.equal(after.entries - before.entries, 2, "both devices' entries opened");
  assert.equal(after.rejectedEntries, before.rejectedEntries);
  assert.equal(after.unopenableBatches, before.unopenableBatches);
});

test("polkadot.js endorses a case whose consent the wasm primitives signed", { skip: matcherSkip }, async (t) => {
  assert.ok(sealedDay > 0, "the batch test ran");
  const encoder = new TextEncoder();
  const nullifier = primitives().caseNullifier(encoder.encode("lab-js"), encoder.encode(`c-${Date.now()}`));
  const [first, last] = [sealedDay - 2, sealedDay];
  // On the patient's device: consent for the diagnostician's nullifier.
  const consent = primitives().consent(patientSeed, genesis, ferdie.publicKey, nullifier, first, last);
  // At the diagnostician's: the endorsement and its signature.
  const endorsement = primitives().endorsement(nullifier, first, last, consent, await validUntil());
  const signature = ferdie.sign(primitives().endorsementPayload(genesis, endorsement));
  const call = api.tx.diagnosis!.endorseCase!(ferdie.address, endorsement, { Sr25519: toHex(signature) });
  const landed = await submitAuthorizedPjs(api, call.method, { finalized: true });
  t.diagnostic(`endorsed in ${landed.blockHash} #${landed.index}: ${landed.events.join(", ")}`);
  assert.equal(landed.error, undefined);
  const endorsed = landed.fields[landed.events.indexOf("Diagnosis.CaseEndorsed")] as [number, string, unknown, number];
  assert.ok(endorsed, landed.events.join(", "));
  assert.equal(endorsed[3], 3, "three consented pseudonyms");
  endorsedCase = BigInt(endorsed[0]);
  // The same consent is refused a second time (same nullifier): a named error, no new case.
  const again = primitives().endorsement(nullifier, first, last, consent, await validUntil());
  const replay = api.tx.diagnosis!.endorseCase!(ferdie.address, again, {
    Sr25519: toHex(ferdie.sign(primitives().endorsementPayload(genesis, again))),
  });
  const nullifierUsed = api.errors.diagnosis!.NullifierUsed!.meta.index.toNumber();
  await assert.rejects(submitAuthorizedPjs(api, replay.method), new RegExp(`Custom error: ${nullifierUsed}\\b`));
});

test("the contact's device finds its notification by its own fingerprint", { skip: matcherSkip }, async (t) => {
  assert.ok(endorsedCase !== undefined, "the endorsement test ran");
  const mine = toHex(primitives().fingerprint(primitives().pseudonym(contactSeed, sealedDay)));
  const patient = toHex(primitives().fingerprint(primitives().pseudonym(patientSeed, sealedDay)));
  type View = { fingerprint: string; exposureDay: number; case: number; risk: string; revoked: boolean };
  const found = await until("the matcher's result reaches the chain", 180, async () => {
    const day = (await api.call.notificationsApi!.notificationsOfDayAfter!(sealedDay, null, 10_000)) as unknown as {
      toJSON(): View[];
    };
    const views = day.toJSON();
    return views.find((v) => v.fingerprint === mine && BigInt(v.case) === endorsedCase) ? views : undefined;
  });
  const ours = found.filter((v) => BigInt(v.case) === endorsedCase);
  t.diagnostic(`case ${endorsedCase}: ${ours.map((v) => `${v.risk} on day ${v.exposureDay}`).join(", ")}`);
  assert.ok(ours.every((v) => v.fingerprint !== patient), "the patient is not notified of their own case");
  assert.equal(ours.filter((v) => v.fingerprint === mine).length, 1);
});

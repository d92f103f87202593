// Live and state-changing: each library builds and submits an authorized (v5 general)
// transaction, Ferdie's `Diagnosis::revoke_endorsement` of an active case he endorsed.
//
//   EPICHAIN_WS=ws://127.0.0.1:9944 EPICHAIN_SUBMIT=1 npm test
//
// Needs two active cases endorsed by Ferdie (the dev chain's diagnostician): polkadot.js revokes
// the older, polkadot-api the newer. Runs before decode.test.ts (npm test orders the files), so
// the walk sees these revocations too.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { Keyring, type ApiPromise } from "@polkadot/api";
import type { KeyringPair } from "@polkadot/keyring/types";
import { InvalidTxError, type PolkadotClient } from "polkadot-api";

import {
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

// Offline: the authorized (v5 general) envelope, and how each library decodes and builds it,
// against the runtime metadata the Rust client is generated from (api/metadata/epichain.scale).

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { Metadata, TypeRegistry } from "@polkadot/types";
import { getDynamicBuilder, getLookupFn } from "@polkadot-api/metadata-builders";
import { compactNumber } from "@polkadot-api/substrate-bindings";

import {
  AUTHORIZED_EXTENSIONS,
  EPICHAIN_EXTENSIONS,
  PJS_OPTIONS,
  authorizedExtensions,
  buildGeneral,
  concatBytes,
  exactly,
  fromHex,
  papiExtrinsicDecoder,
  pjsAuthorized,
  pjsExtrinsic,
  toHex,
  unify,
} from "../src/chain.js";

const METADATA = readFileSync(
  process.env.EPICHAIN_METADATA ?? new URL("../../../api/metadata/epichain.scale", import.meta.url),
);

function pjsRegistry(fixGeneral: boolean): TypeRegistry {
  const registry = new TypeRegistry();
  if (fixGeneral) registry.register(PJS_OPTIONS.types!);
  registry.setMetadata(new Metadata(registry, METADATA), undefined, EPICHAIN_EXTENSIONS, true);
  return registry;
}

const FERDIE = "0x1cbd2d43530a44705ad088af313e18f80b53ef16b36177cd4b77b846f2a5f07c";

/** `Diagnosis::revoke_endorsement(Ferdie, case 7, Fraud, valid_until 1234, Sr25519(0x11 * 64))`, by papi's codecs. */
function revokeCallPapi(): Uint8Array {
  const unified = unify(METADATA);
  const lookup = getLookupFn(unified);
  const call = getDynamicBuilder(lookup).buildDefinition(lookup.call!);
  return call.enc({
    type: "Diagnosis",
    value: {
      type: "revoke_endorsement",
      value: {
        diagnostician: "5CiPPseXPECbkjWCa6MnjNokrgYjMqmKndv2rSnekmSK2DjL",
        case: 7n,
        reason: { type: "Fraud", value: undefined },
        valid_until: 1234,
        signature: { type: "Sr25519", value: `0x${"11".repeat(64)}` },
      },
    },
  });
}

test("buildGeneral lays out compact(len) 0x45 00 00000000 call", () => {
  const call = Uint8Array.of(0x00, 0x00, 0x08, 0x68, 0x69); // System.remark(b"hi")
  assert.equal(toHex(buildGeneral(call)), "0x2c4500000000000000086869");
  // A call long enough for a two-byte compact length.
  const long = new Uint8Array(100).fill(7);
  const built = buildGeneral(long);
  assert.equal(toHex(built.subarray(0, 2)), "0xa901"); // compact(106) = 106 << 2 | 1
  assert.equal(built.length, 108);
});

test("the runtime's extensions give 00000000 for an authorized transaction", () => {
  assert.equal(toHex(authorizedExtensions(METADATA)), toHex(AUTHORIZED_EXTENSIONS));
  const ids = unify(METADATA).extrinsic.signedExtensions[0]!.map((e) => e.identifier);
  assert.deepEqual(ids, [
    "AuthorizeCall",
    "CheckNonZeroSender",
    "CheckSpecVersion",
    "CheckTxVersion",
    "CheckGenesis",
    "CheckMortality",
    "CheckNonce",
    "CheckWeight",
    "ChargeTransactionPayment",
    "CheckMetadataHash",
    "WeightReclaim",
  ]);
});

test("polkadot.js and papi encode the same call", () => {
  const registry = pjsRegistry(true);
  const pjsCall = registry.createType("Call", {
    callIndex: registry.findMetaCall(revokeCallPapi().subarray(0, 2)).callIndex,
    args: {
      diagnostician: FERDIE,
      case: 7,
      reason: "Fraud",
      valid_until: 1234,
      signature: { Sr25519: `0x${"11".repeat(64)}` },
    },
  });
  assert.equal(pjsCall.toHex(), toHex(revokeCallPapi()));
});

test("papi's codecs decode a general extrinsic (with the decoder of src/papi.ts)", () => {
  const call = revokeCallPapi();
  const x = papiExtrinsicDecoder(METADATA)(buildGeneral(call));
  assert.equal(x.version, 5);
  assert.equal(x.type, "general");
  assert.equal(x.extensionVersion, 0);
  assert.equal(x.call.type, "Diagnosis");
  assert.equal(x.call.value.type, "revoke_endorsement");
  const args = x.call.value.value as Record<string, unknown>;
  assert.equal(args.case, 7n);
  assert.equal(args.valid_until, 1234);
  assert.deepEqual(args.reason, { type: "Fraud", value: undefined });
  assert.deepEqual(Object.keys(x.extra!), unify(METADATA).extrinsic.signedExtensions[0]!.map((e) => e.identifier));
  assert.deepEqual(x.extra!.CheckMortality, { type: "Immortal", value: undefined });
  assert.equal(x.extra!.CheckNonce, 0);
  assert.equal(x.extra!.ChargeTransactionPayment, 0n);
  assert.equal(toHex(x.callData), toHex(call));
  // Strict: a wrong length prefix or trailing bytes are errors.
  const bad = buildGeneral(call);
  assert.throws(() => papiExtrinsicDecoder(METADATA)(concatBytes(bad, Uint8Array.of(0))), /length prefix/);
});

test("polkadot.js decodes a general extrinsic, and with EpichainGeneralExtrinsic re-encodes it exactly", () => {
  const bytes = buildGeneral(revokeCallPapi());
  const ex = pjsRegistry(true).createType("Extrinsic", bytes);
  assert.equal(ex.isGeneral(), true);
  assert.equal(ex.isSigned, false);
  assert.equal(ex.version, 0x45);
  const report = pjsExtrinsic(ex, 0);
  assert.equal(report.version, 5);
  assert.equal(report.kind, "general");
  assert.equal(report.pallet, "Diagnosis");
  assert.equal(report.call, "revoke_endorsement");
  assert.deepEqual(report.extensions, { transactionExtensionVersion: 0, era: { immortalEra: "0x00" }, nonce: 0, tip: "0", mode: 0 });
  assert.equal((report.args as Record<string, unknown>).reason, "Fraud");
  assert.equal(ex.toHex(), toHex(bytes));
  assert.equal(ex.encodedLength, bytes.length);
  // The chain's extrinsic hash: blake2_256 of the bytes, length prefix included.
  assert.equal(ex.hash.toHex(), ex.registry.hash(bytes).toHex());
  // pjs' own construction (from a call) gives the same bytes.
  const call = ex.registry.createType("Call", ex.method.toU8a());
  assert.equal(pjsAuthorized(ex.registry, call).toHex(), toHex(bytes));
  const constructed = ex.registry.createType("Extrinsic", { payload: { method: call } }, { version: 5, preamble: "general" });
  assert.equal(constructed.toHex(), toHex(bytes));
  // Re-created from that object (as an RPC parameter is), it loses the general preamble and
  // becomes v5 bare: submit hex. One decoded from bytes survives.
  assert.equal(ex.registry.createType("Extrinsic", constructed).isGeneral(), false);
  assert.equal(ex.registry.createType("Extrinsic", ex).toHex(), toHex(bytes));
});

test("polkadot.js 16.5.6 without the fix decodes a general extrinsic but re-encodes it wrongly", () => {
  const bytes = buildGeneral(revokeCallPapi());
  const ex = pjsRegistry(false).createType("Extrinsic", bytes);
  assert.equal(ex.isGeneral(), true);
  assert.equal(ex.method.section, "diagnosis");
  assert.equal(ex.method.method, "revokeEndorsement");
  // If this fails, polkadot.js encodes general extrinsics right and EpichainGeneralExtrinsic
  // can go: today the length prefix and the format byte come twice.
  const doubled = concatBytes(compactNumber.enc(bytes.length + 1), Uint8Array.of(0x45), bytes);
  assert.equal(ex.toHex(), toHex(doubled));
  assert.equal(ex.encodedLength, doubled.length);
  assert.notEqual(ex.hash.toHex(), ex.registry.hash(bytes).toHex());
});

test("papi decodes a DispatchError::Module as the pallet's error, and re-encodes it short", () => {
  // System.Events of a dev-chain block: ExtrinsicSuccess, RejectedInvalidAuthorizedUpgrade
  // { code_hash, error: Module { index: 0, error: [1, 0, 0, 0] } }, ExtrinsicSuccess.
  const raw =
    "0x0c000000000000002290753e5517020000000100000000072b818d840baf280aa5a730389b4d7d1707f01e86a37076a90cb3bee99eee10c7030001000000000001000000000007787adeee266e170400010100";
  const unified = unify(METADATA);
  const codec = getDynamicBuilder(getLookupFn(unified)).buildStorage("System", "Events").value;
  const records = exactly(codec.dec)(fromHex(raw)) as Array<{ event: { type: string; value: { type: string; value: Record<string, unknown> } } }>;
  const rejected = records[1]!.event.value;
  assert.equal(rejected.type, "RejectedInvalidAuthorizedUpgrade");
  assert.deepEqual(rejected.value.error, {
    type: "Module",
    value: { type: "System", value: { type: "SpecVersionNeedsToIncrease", value: undefined } },
  });
  // metadata-builders' fixedSizeCodec does not pad the `[u8; 4]` error back: `03 00 01`
  // instead of `03 00 01000000`. If this fails, papi fixed it.
  assert.equal(toHex(codec.enc(records)).length, raw.length - 6);
  // polkadot.js re-encodes it exactly (and shows the error as { index, error: "0x01000000" }).
  const registry = pjsRegistry(true);
  assert.equal(registry.createType("Vec<EventRecord>", raw).toHex(), raw);
});

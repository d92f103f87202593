// The v5 "general" transaction envelope of an authorized epichain call (docs/CLIENT.md,
// "Transactions"): what the Rust client builds with subxt's `create_v5_signable_offline` +
// `sign_with_account_and_signature` (client/src/connection.rs, `Connection::authorized_tx`).
//
//   compact(len) ++ 0x45 ++ extension version (0) ++ the extensions' explicit bytes ++ call
//
// Only this module's byte layout is epichain-specific; it depends on no client library except
// the SCALE codecs of @polkadot-api/substrate-bindings.

import { getDynamicBuilder, getLookupFn } from "@polkadot-api/metadata-builders";
import {
  compactNumber,
  decAnyMetadata,
  unifyMetadata,
  type UnifiedMetadata,
} from "@polkadot-api/substrate-bindings";

/** The format byte of a v5 general extrinsic: version 5, type bits `0b01` (general). */
export const GENERAL_FORMAT = 0x45;
/** The only transaction-extension version an epichain runtime defines. */
export const EXTENSION_VERSION = 0;
/**
 * The explicit bytes of epichain's extensions in an authorized transaction, in metadata order:
 * `CheckMortality` immortal `00`, `CheckNonce` compact 0 `00`, `ChargeTransactionPayment` tip
 * compact 0 `00`, `CheckMetadataHash` mode Disabled `00`. `AuthorizeCall`,
 * `CheckNonZeroSender`, `CheckSpecVersion`, `CheckTxVersion`, `CheckGenesis`, `CheckWeight` and
 * `WeightReclaim` carry none. {@link authorizedExtensions} derives the same from metadata.
 */
export const AUTHORIZED_EXTENSIONS = Uint8Array.of(0, 0, 0, 0);

/** The calls an epichain runtime authorizes through `#[pallet::authorize]` (v5 general only). */
export const AUTHORIZED_CALLS: readonly string[] = [
  "Csi.submit_batch",
  "Diagnosis.endorse_case",
  "Diagnosis.revoke_endorsement",
  "Notifications.submit_result",
];

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function toHex(bytes: Uint8Array): `0x${string}` {
  return `0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex")}`;
}

export function fromHex(hex: string): Uint8Array {
  const clean = hex.startsWith("0x") ? hex.slice(2) : hex;
  if (clean.length % 2 !== 0 || /[^0-9a-fA-F]/.test(clean)) throw new Error(`not hex: ${hex}`);
  return new Uint8Array(Buffer.from(clean, "hex"));
}

/**
 * The v5 general (authorized) extrinsic carrying `call` (SCALE-encoded `RuntimeCall`: pallet
 * index, call index, arguments), length-prefixed as `author_submitExtrinsic` and block bodies
 * carry it.
 */
export function buildGeneral(
  call: Uint8Array,
  extensions: Uint8Array = AUTHORIZED_EXTENSIONS,
  extensionVersion: number = EXTENSION_VERSION,
): Uint8Array {
  const body = concatBytes(Uint8Array.of(GENERAL_FORMAT, extensionVersion), extensions, call);
  return concatBytes(compactNumber.enc(body.length), body);
}

/** Metadata (raw `RuntimeMetadataPrefixed`, or `Option<OpaqueMetadata>`) to papi's unified form. */
export function unify(metadata: Uint8Array): UnifiedMetadata {
  return unifyMetadata(decAnyMetadata(metadata));
}

/**
 * The explicit bytes of an authorized transaction, derived from the runtime's metadata: each
 * extension of `extensionVersion` encoded with its metadata type and the value an authorized
 * transaction carries. Throws on an extension this module does not know that carries bytes, so a
 * runtime change is caught instead of producing a transaction the pool refuses.
 */
export function authorizedExtensions(
  metadata: Uint8Array | UnifiedMetadata,
  extensionVersion: number = EXTENSION_VERSION,
): Uint8Array {
  const unified = metadata instanceof Uint8Array ? unify(metadata) : metadata;
  const extensions = unified.extrinsic.signedExtensions[extensionVersion];
  if (!extensions) throw new Error(`the runtime defines no extension version ${extensionVersion}`);
  const builder = getDynamicBuilder(getLookupFn(unified));
  const values: Record<string, unknown> = {
    CheckMortality: { type: "Immortal", value: undefined },
    CheckNonce: 0,
    ChargeTransactionPayment: 0n,
    // `CheckMetadataHash { mode: Mode }`: papi's lookup sees through a one-field struct.
    CheckMetadataHash: { type: "Disabled", value: undefined },
  };
  const parts = extensions.map(({ identifier, type }) => {
    const codec = builder.buildDefinition(type);
    if (identifier in values) return codec.enc(values[identifier]);
    let empty: Uint8Array;
    try {
      empty = codec.enc(undefined);
    } catch {
      throw new Error(`extension ${identifier} carries bytes an authorized transaction does not know`);
    }
    if (empty.length !== 0) throw new Error(`extension ${identifier} carries bytes (${toHex(empty)})`);
    return empty;
  });
  return concatBytes(...parts);
}

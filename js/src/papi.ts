// polkadot-api (papi) against epichain: a client with no code generation (the unsafe API,
// driven by the runtime's metadata at run time), an extrinsic decoder for every format the
// chain carries (v4 bare, v4 signed, v5 general), and a `PolkadotSigner` that turns papi's own
// transaction builder into a builder of authorized (v5 general) transactions.
//
// Why the decoder is here: polkadot-api 2.x has no extrinsic decoder. `client.getBlockBody`
// returns each extrinsic's raw bytes and the typed/unsafe API decodes calls
// (`getStaticApis().decodeCallData`, `txFromCallData`), events and storage, not extrinsics.
// The papi project's own decoder is `getExtrinsicDecoder` in the separate package
// `@polkadot-api/tx-utils`, which handles v5 general too; it pins older copies of the papi
// codecs (substrate-bindings 0.19.0, metadata-builders 0.13.11), so this module does the same
// work with the codecs polkadot-api 2.2.2 itself uses (substrate-bindings 0.20.3:
// `extrinsicFormat` already knows the general type; metadata-builders 0.14.3).

import { getDynamicBuilder, getLookupFn } from "@polkadot-api/metadata-builders";
import {
  Blake2256,
  Bytes,
  compactNumber,
  createDecoder,
  extrinsicFormat,
  u8,
  type UnifiedMetadata,
} from "@polkadot-api/substrate-bindings";
import { createClient, type PolkadotClient, type PolkadotSigner } from "polkadot-api";
import { getWsProvider, type WebSocketClass } from "polkadot-api/ws";
import { WebSocket } from "ws";

import { concatBytes, GENERAL_FORMAT, toHex, unify } from "./general.js";
import type { BlockReport, EventReport, ExtrinsicReport } from "./report.js";

/**
 * A papi client over WebSocket. Node 20 has no global `WebSocket`, so the `ws` package's is
 * passed in. papi speaks the new JSON-RPC spec (`chainHead_v1_*`); blocks older than the ones
 * its `chainHead_v1_follow` subscription pins are read through `archive_v1_*`. A Substrate node
 * serves those only when it keeps all state and bodies (`--state-pruning archive`); otherwise
 * the middleware of `polkadot-api/ws` emulates them with the legacy methods (`chain_getBlock`,
 * `state_getStorage`, `state_call`), which reach as far back as the node keeps state.
 */
export function connectPapi(url: string): PolkadotClient {
  return createClient(
    getWsProvider(url, { websocketClass: WebSocket as unknown as WebSocketClass }),
  );
}

/** The decoded form of one extrinsic, as papi's dynamic codecs give it. */
export interface PapiExtrinsic {
  /** The length prefix. */
  len: number;
  version: 4 | 5;
  type: "bare" | "signed" | "general";
  /** v5 general only. */
  extensionVersion?: number;
  /** v4 signed only. */
  address?: unknown;
  /** v4 signed only. */
  signature?: unknown;
  /** The explicit extension values (signed and general), by identifier. */
  extra?: Record<string, unknown>;
  callData: Uint8Array;
  /** `{ type: pallet, value: { type: call, value: args } }`. */
  call: { type: string; value: { type: string; value: unknown } };
}

/** scale-ts decodes from `bytes.buffer` at offset 0: hand it an unshared copy. */
function own(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
    ? bytes
    : bytes.slice();
}

/** The extrinsic decoder of a runtime, from its metadata (V14, V15 or V16). */
export function papiExtrinsicDecoder(
  metadata: Uint8Array | UnifiedMetadata,
): (bytes: Uint8Array) => PapiExtrinsic {
  const unified = metadata instanceof Uint8Array ? unify(metadata) : metadata;
  const lookup = getLookupFn(unified);
  const builder = getDynamicBuilder(lookup);
  const { extrinsic } = unified;
  let callId: number, addressId: number, signatureId: number;
  if ("call" in extrinsic) {
    ({ call: callId, address: addressId, signature: signatureId } = extrinsic);
  } else {
    // V14: the types are the `UncheckedExtrinsic` type's parameters.
    const params = unified.lookup[extrinsic.type]?.params ?? [];
    const param = (name: string) => {
      const id = params.find((p) => p.name === name)?.type;
      if (id == null) throw new Error(`V14 metadata: no ${name} parameter`);
      return id;
    };
    [callId, addressId, signatureId] = [param("Call"), param("Address"), param("Signature")];
  }
  const call = builder.buildDefinition(callId);
  const address = builder.buildDefinition(addressId);
  const signature = builder.buildDefinition(signatureId);
  const extensions = new Map<number, Array<[string, ReturnType<typeof builder.buildDefinition>]>>();
  const extensionsOf = (version: number) => {
    let list = extensions.get(version);
    if (!list) {
      const defs = unified.extrinsic.signedExtensions[version];
      if (!defs) throw new Error(`unknown transaction extension version ${version}`);
      list = defs.map(({ identifier, type }) => [identifier, builder.buildDefinition(type)]);
      extensions.set(version, list);
    }
    return list;
  };
  const rest = Bytes(Infinity).dec;
  const callExact = exactly(call.dec);

  const envelope = createDecoder((data) => {
    const len = compactNumber.dec(data);
    const start = (data as unknown as { i: number }).i;
    const { version, type } = extrinsicFormat.dec(data);
    const out: Omit<PapiExtrinsic, "call" | "callData"> = { len, version, type };
    const readExtra = (version: number) =>
      Object.fromEntries(extensionsOf(version).map(([id, codec]) => [id, codec.dec(data)]));
    if (type === "signed") {
      out.address = address.dec(data);
      out.signature = signature.dec(data);
      out.extra = readExtra(0);
    } else if (type === "general") {
      out.extensionVersion = u8.dec(data);
      out.extra = readExtra(out.extensionVersion);
    }
    const callData = rest(data);
    return { ...out, start, callData };
  });

  return (raw: Uint8Array) => {
    const bytes = own(raw);
    const { start, ...head } = envelope(bytes);
    if (start + head.len !== bytes.length)
      throw new Error(`length prefix ${head.len} but ${bytes.length - start} bytes follow it`);
    let decoded: PapiExtrinsic["call"];
    try {
      decoded = callExact(head.callData);
    } catch (e) {
      throw new Error(`the call: ${(e as Error).message}`);
    }
    // Strict: the call must decode to exactly its bytes (nothing left over, nothing lost;
    // scale-ts does not check bounds, a fixed-size field past the end reads short).
    const again = call.enc(decoded);
    if (toHex(again) !== toHex(head.callData))
      throw new Error(`the call does not re-encode to its bytes (${toHex(head.callData)})`);
    return { ...head, call: decoded };
  };
}

/** A decoder that fails unless it consumes all of its input. */
export function exactly<T>(decode: (data: Uint8Array) => T): (bytes: Uint8Array) => T {
  const dec = createDecoder((data) => {
    const value = decode(data);
    const { i, length } = data as unknown as { i: number; length: number };
    if (i !== length) throw new Error(`${length} bytes, ${i} decoded`);
    return value;
  });
  return (bytes) => dec(own(bytes));
}

/** `System.Events` storage key: `twox128("System") ++ twox128("Events")`. */
export const SYSTEM_EVENTS_KEY =
  "0x26aa394eea5630e07c48ae0c9558cef780d41e5e16056765bc8461851072c9d7";

interface PapiEventRecord {
  phase: { type: string; value?: number };
  event: { type: string; value: { type: string; value: unknown } };
  topics: unknown[];
}

/** Per-runtime decoders, keyed by the metadata bytes' hash. */
export class PapiDecoders {
  #byMetadata = new Map<string, { extrinsic: ReturnType<typeof papiExtrinsicDecoder>; events: { enc: (v: unknown) => Uint8Array; dec: (b: Uint8Array) => unknown } }>();

  get(metadata: Uint8Array) {
    const key = toHex(Blake2256(metadata));
    let entry = this.#byMetadata.get(key);
    if (!entry) {
      const unified = unify(metadata);
      const builder = getDynamicBuilder(getLookupFn(unified));
      const storage = builder.buildStorage("System", "Events");
      entry = { extrinsic: papiExtrinsicDecoder(unified), events: storage.value };
      this.#byMetadata.set(key, entry);
    }
    return entry;
  }
}

function phaseName(phase: { type: string; value?: number }): string {
  return phase.type === "ApplyExtrinsic" ? `ApplyExtrinsic(${phase.value})` : phase.type;
}

/**
 * One block, decoded by papi: its body through `getBlockBody` and {@link papiExtrinsicDecoder}
 * with the block's own metadata (`getMetadata(hash)`), its events through the unsafe API
 * (`query.System.Events.getValue({ at })`), also checked against the raw storage bytes.
 */
export async function papiBlock(
  client: PolkadotClient,
  hash: string,
  decoders: PapiDecoders = new PapiDecoders(),
): Promise<BlockReport> {
  const api = client.getUnsafeApi();
  const [header, body, metadata, records, rawEvents] = await Promise.all([
    client.getBlockHeader(hash),
    client.getBlockBody(hash),
    client.getMetadata(hash),
    api.query.System.Events.getValue({ at: hash }) as Promise<PapiEventRecord[]>,
    client.rawQuery(SYSTEM_EVENTS_KEY, { at: hash }),
  ]);
  const { extrinsic, events: eventsCodec } = decoders.get(metadata);
  const extrinsics: ExtrinsicReport[] = body.map((bytes, index) => {
    let x: PapiExtrinsic;
    try {
      x = extrinsic(bytes);
    } catch (e) {
      throw new Error(`papi: block ${header.number} extrinsic ${index} (${toHex(bytes)}): ${(e as Error).message}`);
    }
    return {
      index,
      version: x.version,
      kind: x.type,
      pallet: x.call.type,
      call: x.call.value.type,
      args: x.call.value.value,
      callHex: toHex(x.callData),
      hex: toHex(bytes),
      extensions: x.extra,
    };
  });
  // The unsafe API's events; and the same storage bytes must decode to exactly their length
  // (scale-ts does not check bounds). Not a re-encoding check: papi re-encodes a
  // `DispatchError::Module` short (see NOTES.md), so a block with a module error would fail it.
  if (rawEvents != null) {
    try {
      exactly(eventsCodec.dec)(fromHexOwned(rawEvents));
    } catch (e) {
      throw new Error(`papi: block ${header.number}: System.Events: ${(e as Error).message}`);
    }
  }
  const events: EventReport[] = records.map((r, index) => ({
    index,
    phase: phaseName(r.phase),
    pallet: r.event.type,
    name: r.event.value.type,
    fields: r.event.value.value,
  }));
  return { number: header.number, hash, parentHash: header.parentHash, extrinsics, events };
}

function fromHexOwned(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex.slice(2), "hex"));
}

/**
 * A `PolkadotSigner` that signs nothing: it returns the authorized (v5 general) transaction of
 * the call, with the explicit extension bytes papi computed (`value` of each extension, in the
 * order of the runtime's metadata). Use it with papi's own builder, immortal and with nonce 0
 * (an authorized transaction has no account, so no nonce and no mortality checkpoint):
 *
 *   await api.tx.Diagnosis.revoke_endorsement({...}).signAndSubmit(authorizedSigner(),
 *     { mortality: { mortal: false }, nonce: 0 })
 */
export function authorizedSigner(extensionVersion = 0): PolkadotSigner {
  return {
    publicKey: new Uint8Array(32),
    async signTx(callData, signedExtensions, metadata) {
      const unified = unify(metadata);
      const order = unified.extrinsic.signedExtensions[extensionVersion];
      if (!order) throw new Error(`the runtime defines no extension version ${extensionVersion}`);
      const explicit = order.map(({ identifier }) => {
        const ext = signedExtensions[identifier];
        if (!ext) throw new Error(`papi gave no value for extension ${identifier}`);
        return ext.value;
      });
      const body = concatBytes(Uint8Array.of(GENERAL_FORMAT, extensionVersion), ...explicit, callData);
      return concatBytes(compactNumber.enc(body.length), body);
    },
    async signBytes() {
      throw new Error("an authorized transaction signs nothing");
    },
  };
}

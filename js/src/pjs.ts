// polkadot.js (@polkadot/api) against epichain.
//
// polkadot.js 16.5.6 DECODES v5 general extrinsics (`GenericExtrinsic` reads the format byte
// 0x45, sees the general type bits and builds a `GeneralExtrinsic`: extension version, then the
// explicit extension fields it knows by identifier, then the call). Two things need help:
//
// 1. `AuthorizeCall` is not among the extensions polkadot.js knows, so it warns "Unknown signed
//    extensions AuthorizeCall found, treating them as no-effect". No effect is right (its
//    explicit and implicit types are `()`); declaring it as empty (`signedExtensions` option)
//    says so and silences the warning.
// 2. Re-encoding is wrong: `GenericExtrinsic.toU8a()` is `compact(len) ++ version byte ++
//    inner.toU8a()`, and `GeneralExtrinsic.toU8a()` (the inner) already returns
//    `compact(len) ++ 0x45 ++ fields`. So `toHex()`, `toU8a()`, `hash` and `encodedLength` of a
//    general extrinsic carry the length prefix and the format byte twice (the hash is not the
//    chain's extrinsic hash, a `Vec<Extrinsic>` decoded from contiguous bytes goes out of step
//    after it, and submitting it sends malformed bytes). {@link EpichainGeneralExtrinsic}
//    encodes the inner as the other inners do (`GenericExtrinsicV4` encodes without prefix and
//    format byte), registered in place of `GeneralExtrinsic`.

import { ApiPromise, WsProvider } from "@polkadot/api";
import type { ApiOptions } from "@polkadot/api/types";
import { GeneralExtrinsic, Struct, type GenericExtrinsic, type Vec } from "@polkadot/types";
import type { EventRecord } from "@polkadot/types/interfaces";
import type { Registry } from "@polkadot/types/types";

import { buildGeneral, toHex } from "./general.js";
import type { BlockReport, EventReport, ExtrinsicReport } from "./report.js";

/** `GeneralExtrinsic` whose bytes, inside `GenericExtrinsic`, are its fields only. */
export class EpichainGeneralExtrinsic extends GeneralExtrinsic {
  override toU8a(isBare?: boolean): Uint8Array {
    return Struct.prototype.toU8a.call(this, isBare);
  }
}

/** The extensions of an epichain runtime that polkadot.js does not know: all carry nothing. */
export const EPICHAIN_EXTENSIONS = {
  AuthorizeCall: { extrinsic: {}, payload: {} },
} satisfies ApiOptions["signedExtensions"];

/** What {@link connectPjs} adds to polkadot.js' options. */
export const PJS_OPTIONS: Pick<ApiOptions, "types" | "signedExtensions"> = {
  types: { GeneralExtrinsic: EpichainGeneralExtrinsic },
  signedExtensions: EPICHAIN_EXTENSIONS,
};

/**
 * A polkadot.js API over WebSocket, metadata from the node (V16 through `Metadata_metadata_at_version`).
 * `fixGeneral: false` leaves polkadot.js' own `GeneralExtrinsic` in place (for showing its
 * encoding bug).
 */
export async function connectPjs(
  url: string,
  { fixGeneral = true, ...options }: { fixGeneral?: boolean } & ApiOptions = {},
): Promise<ApiPromise> {
  return ApiPromise.create({
    provider: new WsProvider(url, 1_000),
    throwOnConnect: true,
    noInitWarn: true,
    signedExtensions: EPICHAIN_EXTENSIONS,
    ...(fixGeneral ? PJS_OPTIONS : {}),
    ...options,
  });
}

const palletNames = new WeakMap<Registry, Map<number, string>>();

/** Pallet index to the pallet's metadata name, per registry (per runtime). */
export function palletName(registry: Registry, index: number): string {
  let names = palletNames.get(registry);
  if (!names) {
    names = new Map(registry.metadata.pallets.map((p) => [p.index.toNumber(), p.name.toString()]));
    palletNames.set(registry, names);
  }
  const name = names.get(index);
  if (name === undefined) throw new Error(`no pallet at index ${index}`);
  return name;
}

/** One extrinsic as polkadot.js decoded it. */
export function pjsExtrinsic(ex: GenericExtrinsic, index: number): ExtrinsicReport {
  const kind = ex.isGeneral() ? "general" : ex.isSigned ? "signed" : "bare";
  const { method } = ex;
  const fields = method.meta.fields;
  const args = Object.fromEntries(
    method.args.map((a, i) => [fields[i]?.name.unwrapOr(`${i}`).toString() ?? `${i}`, a.toJSON()]),
  );
  let extensions: Record<string, unknown> | undefined;
  if (kind === "general" || kind === "signed") {
    // The extensions' explicit values, the same for both kinds (epichain's four: era, nonce,
    // tip, metadata-hash mode); what comes before them differs.
    const explicit = {
      era: ex.era.toJSON(),
      nonce: ex.nonce.toNumber(),
      tip: ex.tip.toString(),
      mode: ex.mode?.toJSON(),
    };
    extensions =
      kind === "general"
        ? {
            transactionExtensionVersion: (ex.inner as unknown as GeneralExtrinsic).transactionExtensionVersion.toNumber(),
            ...explicit,
          }
        : { signer: ex.signer.toJSON(), ...explicit };
  }
  return {
    index,
    // `type` is the format byte as read (0x45 for general: polkadot.js keeps the type bits).
    version: ex.type & 0b0011_1111,
    kind,
    pallet: palletName(ex.registry, ex.callIndex[0]!),
    call: method.meta.name.toString(),
    args,
    callHex: method.toHex(),
    hex: ex.toHex(),
    extensions,
  };
}

function pjsEvent(record: EventRecord, index: number): EventReport {
  const { phase, event } = record;
  return {
    index,
    phase: phase.isApplyExtrinsic ? `ApplyExtrinsic(${phase.asApplyExtrinsic.toNumber()})` : phase.type,
    pallet: palletName(record.registry, event.index[0]!),
    name: event.method,
    fields: event.data.toJSON(),
  };
}

/**
 * One block, decoded by polkadot.js with the block's own runtime: `rpc.chain.getBlock` (the
 * historic registry), `api.at(hash).query.system.events()`. Also checks that every extrinsic and
 * the events re-encode to the bytes the node sent (`.raw`), so nothing was decoded lossily.
 */
export async function pjsBlock(api: ApiPromise, hash: string): Promise<BlockReport> {
  const [signed, rawExtrinsics, apiAt] = await Promise.all([
    api.rpc.chain.getBlock(hash),
    extrinsicsHex(api, hash),
    api.at(hash),
  ]);
  const [records, rawEvents] = await Promise.all([
    apiAt.query.system.events() as unknown as Promise<Vec<EventRecord>>,
    api.rpc.state.getStorage.raw(apiAt.query.system.events.key(), hash) as unknown as Promise<string | null>,
  ]);
  const { block } = signed;
  const number = block.header.number.toNumber();
  const extrinsics = block.extrinsics.map((ex, index) => {
    const report = pjsExtrinsic(ex, index);
    const raw = rawExtrinsics[index];
    if (report.hex !== raw)
      throw new Error(
        `pjs: block ${number} extrinsic ${index} re-encodes as ${report.hex}, the node sent ${raw}`,
      );
    return report;
  });
  if (extrinsics.length !== rawExtrinsics.length)
    throw new Error(`pjs: block ${number}: ${extrinsics.length} extrinsics decoded of ${rawExtrinsics.length}`);
  if (rawEvents != null && records.toHex() !== rawEvents)
    throw new Error(`pjs: block ${number}: System.Events does not re-encode to its bytes`);
  return {
    number,
    hash,
    parentHash: block.header.parentHash.toHex(),
    extrinsics,
    events: records.map(pjsEvent),
  };
}

/**
 * The authorized (v5 general) extrinsic of a call, as polkadot.js' own type: `call` from
 * `api.tx.<pallet>.<call>(...)` (its `.method`) or call bytes.
 */
export function pjsAuthorized(
  registry: Registry,
  call: { toU8a(): Uint8Array } | Uint8Array,
): GenericExtrinsic {
  const bytes = call instanceof Uint8Array ? call : call.toU8a();
  return registry.createType("Extrinsic", buildGeneral(bytes));
}

/** Where a submitted transaction landed. */
export interface Landed {
  blockHash: string;
  index: number;
  /** `Pallet.Event` names of its events. */
  events: string[];
  /** Each of those events' fields, as polkadot.js renders them in JSON (same order). */
  fields: unknown[];
  /** The dispatch error's `Pallet.Error` name, when `System.ExtrinsicFailed`. */
  error?: string;
}

/** Block `hash`'s extrinsics as the node sent them (hex), undecoded. */
async function extrinsicsHex(api: ApiPromise, hash: string): Promise<string[]> {
  const raw = (await api.rpc.chain.getBlock.raw(hash)) as unknown as { block: { extrinsics: string[] } };
  return raw.block.extrinsics;
}

/** The finalized head, as polkadot.js reads it. */
export async function finalizedHead(api: ApiPromise): Promise<{ hash: string; number: number }> {
  const hash = await api.rpc.chain.getFinalizedHead();
  const header = await api.rpc.chain.getHeader(hash);
  return { hash: hash.toHex(), number: header.number.toNumber() };
}

/** How many blocks below the finalized head {@link submitAuthorizedPjs} starts looking for a
 * transaction the pool already holds (the Rust client's `ALREADY_IMPORTED_LOOKBACK`). */
export const ALREADY_IMPORTED_LOOKBACK = 32;

/** How long it looks before giving up: a transient error, worth submitting again. */
export const ALREADY_IMPORTED_PATIENCE_MS = 300_000;

/** How often it looks again while no new block has come. */
const ALREADY_IMPORTED_POLL_MS = 250;

/**
 * The pool's answer that it holds the transaction already: error 1013 of
 * `author_submitAndWatchExtrinsic` ("Transaction Already Imported"). The transaction is not
 * refused: the same bytes were submitted before (a retry, a second tab), or the fork-aware pool
 * imported them into a new view before this submission's watch began.
 */
export function alreadyInPool(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /\b1013\b|already imported/i.test(message);
}

/** Where a transaction is: its block's hash and its index in that block. */
export interface Inclusion {
  blockHash: string;
  index: number;
}

/**
 * The first block that includes `hex`, and its index there, read in order from {@link ALREADY_IMPORTED_LOOKBACK}
 * blocks below the finalized head: finalized blocks when `finalized`, else best blocks. Rejects
 * after {@link ALREADY_IMPORTED_PATIENCE_MS} without one. A best block reorganised away after
 * it was read is not read again.
 */
export async function blockIncluding(api: ApiPromise, hex: string, { finalized = false } = {}): Promise<Inclusion> {
  const deadline = Date.now() + ALREADY_IMPORTED_PATIENCE_MS;
  const finalizedNumber = async () => (await finalizedHead(api)).number;
  let head = await finalizedNumber();
  let next = Math.max(0, head - ALREADY_IMPORTED_LOOKBACK);
  const pause = () => new Promise((r) => setTimeout(r, ALREADY_IMPORTED_POLL_MS));
  for (;;) {
    // Checked before every block, so blocks that come faster than they are read cannot keep
    // the search going.
    if (Date.now() >= deadline)
      throw new Error(
        `the pool holds the transaction (already imported), but no ${finalized ? "finalized" : "best"} block ` +
          `included it within ${ALREADY_IMPORTED_PATIENCE_MS / 1000} s: submit it again`,
      );
    if (finalized && next > head) {
      head = await finalizedNumber();
      if (next > head) {
        await pause();
        continue;
      }
    }
    const hash = await api.rpc.chain.getBlockHash(next);
    if (hash.isEmpty) {
      await pause();
      continue;
    }
    const blockHash = hash.toHex();
    const index = (await extrinsicsHex(api, blockHash)).indexOf(hex);
    if (index >= 0) return { blockHash, index };
    next += 1;
  }
}

/**
 * Submits an authorized (v5 general) transaction with polkadot.js
 * (`author_submitAndWatchExtrinsic`) and waits until it is in a block (or finalized). The pool
 * refuses a bad one: the promise rejects with the node's message
 * (`1010: Invalid Transaction: Custom error: i`, `i` the pallet error's index). When the pool
 * says it already holds the transaction ({@link alreadyInPool}), that is no refusal: the chain's
 * blocks are read until one includes it ({@link blockIncluding}), and the answer is the same as
 * the first submission's.
 */
export async function submitAuthorizedPjs(
  api: ApiPromise,
  call: { toU8a(): Uint8Array } | Uint8Array,
  { finalized = false } = {},
): Promise<Landed> {
  const xt = pjsAuthorized(api.registry, call);
  const hex = xt.toHex();
  const watched = new Promise<string>((resolve, reject) => {
    let unsub: (() => void) | undefined;
    api.rpc.author
      .submitAndWatchExtrinsic(hex, (status) => {
        if ((finalized ? status.isFinalized : status.isInBlock || status.isFinalized)) {
          unsub?.();
          resolve((status.isFinalized ? status.asFinalized : status.asInBlock).toHex());
        } else if (status.isInvalid || status.isDropped || status.isUsurped) {
          unsub?.();
          reject(new Error(`transaction ${status.type}`));
        }
      })
      .then((u) => (unsub = u), reject);
  });
  // The block the watch named is read once for the index; a search reads each block once.
  const { blockHash, index } = await watched.then(
    async (blockHash): Promise<Inclusion> => ({ blockHash, index: (await extrinsicsHex(api, blockHash)).indexOf(hex) }),
    (e: unknown) => {
      if (alreadyInPool(e)) return blockIncluding(api, hex, { finalized });
      throw e;
    },
  );
  if (index < 0) throw new Error(`the transaction is not in block ${blockHash}`);
  const records = (await (await api.at(blockHash)).query.system.events()) as unknown as Vec<EventRecord>;
  const mine = records.filter((r) => r.phase.isApplyExtrinsic && r.phase.asApplyExtrinsic.eqn(index));
  const landed: Landed = {
    blockHash,
    index,
    events: mine.map((r) => `${palletName(r.registry, r.event.index[0]!)}.${r.event.method}`),
    fields: mine.map((r) => r.event.data.toJSON()),
  };
  const failed = mine.find((r) => api.events.system.ExtrinsicFailed.is(r.event));
  if (failed) {
    const [error] = failed.event.data as unknown as [import("@polkadot/types/interfaces").DispatchError];
    if (error.isModule) {
      const m = api.registry.findMetaError(error.asModule);
      landed.error = `${m.section}.${m.name}`;
    } else landed.error = error.type;
  }
  return landed;
}


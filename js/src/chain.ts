// epichain for JavaScript apps: connect with polkadot.js or polkadot-api (no code generation:
// both read the runtime's metadata from the node), decode every extrinsic (v4 bare, v4 signed,
// v5 general) and event, and build authorized (v5 general) transactions byte for byte as the
// Rust client does. See NOTES.md for what each library does by itself and what is added here.

import type { ApiPromise } from "@polkadot/api";
import type { PolkadotClient, TxFinalizedPayload } from "polkadot-api";

import { buildGeneral } from "./general.js";
import { PapiDecoders, papiBlock } from "./papi.js";
import { pjsBlock } from "./pjs.js";
import type { BlockReport } from "./report.js";

export * from "./diagnosis.js";
export * from "./general.js";
export * from "./papi.js";
export * from "./pjs.js";
export * from "./primitives.js";
export * from "./report.js";

/** Every block from genesis to `head` (inclusive), decoded by polkadot.js, in order. */
export async function* pjsWalk(api: ApiPromise, head: { number: number }): AsyncGenerator<BlockReport> {
  for (let n = 0; n <= head.number; n++) {
    const hash = (await api.rpc.chain.getBlockHash(n)).toHex();
    yield await pjsBlock(api, hash);
  }
}

/**
 * Every block from genesis to `head` (inclusive), decoded by polkadot-api, in order. The chain
 * is found by following parent hashes down from `head` (papi's own `getBlockHeader`), so no
 * legacy `chain_getBlockHash` is needed; papi reads blocks it has not pinned through
 * `archive_v1_*` (native on an archive node, emulated by `polkadot-api/ws` otherwise).
 */
export async function* papiWalk(client: PolkadotClient, head: { hash: string; number: number }): AsyncGenerator<BlockReport> {
  const hashes: string[] = new Array(head.number + 1);
  let hash = head.hash;
  for (let n = head.number; n >= 0; n--) {
    hashes[n] = hash;
    const header = await client.getBlockHeader(hash);
    if (header.number !== n) throw new Error(`papi: block ${hash} is number ${header.number}, expected ${n}`);
    hash = header.parentHash;
  }
  const decoders = new PapiDecoders();
  for (const h of hashes) yield await papiBlock(client, h, decoders);
}

/**
 * Submits an authorized (v5 general) transaction with polkadot-api's client
 * (`transaction_v1_broadcast`, then it follows the chain until the transaction is finalized).
 * `callData`: the call's bytes, e.g. `(await api.tx.Csi.submit_batch(args).getEncodedData())`
 * from the unsafe API. Rejects when the pool refuses it.
 */
export async function submitAuthorizedPapi(client: PolkadotClient, callData: Uint8Array): Promise<TxFinalizedPayload> {
  return client.submit(buildGeneral(callData));
}

/**
 * Whether the node serves `archive_v1_*` itself (an archive node); papi's ws middleware emulates
 * them otherwise.
 */
export async function hasArchive(client: PolkadotClient): Promise<boolean> {
  const { methods } = await client._request<{ methods: string[] }>("rpc_methods", []);
  return methods.includes("archive_v1_body") && methods.includes("archive_v1_storage");
}

// The app reads the chain only through an embedded light client: smoldot, in a Web Worker,
// started from the region's chain spec. smoldot verifies every header (Aura), finality (GRANDPA
// justifications) and every storage value and runtime call (Merkle proofs against the finalized
// state root), so a node that lies is caught, not believed. polkadot-api drives it through the
// JSON-RPC v2 (chainHead) interface.
import SmoldotWorker from "@polkadot-api/smoldot/worker?worker";
import { startFromWorker } from "@polkadot-api/smoldot/from-worker";
import { Storage } from "@polkadot-api/substrate-bindings";
import { createClient, type PolkadotClient } from "polkadot-api";
import { getSmProvider } from "polkadot-api/sm-provider";

import type { AppConfig } from "./config";

/** A finalized block the light client verified. */
export interface Finalized {
  number: number;
  hash: string;
  /** When this device learned of it (ms since the epoch). */
  seenAt: number;
}

/** polkadot-api's read options: the block to read at, and the signal of the read's deadline. */
export interface At {
  at: string;
  signal?: AbortSignal;
}

/** What the light client is doing, for the status line every page shows. */
export type LightStatus =
  | { kind: "starting" }
  | { kind: "verified"; block: Finalized }
  | { kind: "stalled"; block: Finalized; seconds: number }
  /** A node answered a read at `block` with data its proof does not back (at `at`, ms). */
  | { kind: "refused"; block: Finalized; at: number }
  | { kind: "failed"; message: string };

/** No new finalized block for this long means the app says its answers may be stale. */
export const STALL_SECONDS = 60;

/**
 * How long one read (a storage value or a runtime call at a finalized block) may take before the
 * app stops waiting and says it has no verified answer. smoldot reports a read whose answers
 * did not verify, or that no node answered, as "inaccessible", and polkadot-api retries that
 * without end: with no deadline, one node that lies would leave a check saying "Checking…" for
 * ever.
 */
export const ANSWER_SECONDS = 30;

/** `Timestamp::Now`'s storage key: what the app asks when it needs to know why a read failed. */
const TIMESTAMP_NOW = Storage("Timestamp")("Now").enc();

/** The light client of one region. */
export class LightClient {
  private finalized: Finalized | undefined;
  private waiting: Array<(f: Finalized) => void> = [];
  private listeners: Array<(s: LightStatus) => void> = [];
  private status: LightStatus = { kind: "starting" };

  private constructor(
    readonly client: PolkadotClient,
    readonly genesisHash: string,
  ) {}

  /**
   * Starts smoldot from the config's chain spec. A chain spec that cannot be fetched or read, or
   * whose genesis is not the configured one, is refused with a sentence saying so.
   */
  static async start(config: AppConfig): Promise<LightClient> {
    const response = await fetch(config.chainSpec, { cache: "no-store" }).catch(() => undefined);
    if (!response?.ok) {
      throw new Error(`The region's chain specification could not be downloaded (${config.chainSpec}).`);
    }
    const spec = await response.text();
    try {
      const parsed = JSON.parse(spec) as { genesis?: unknown; bootNodes?: unknown };
      if (!parsed.genesis || !Array.isArray(parsed.bootNodes)) throw new Error("fields");
    } catch {
      throw new Error("The region's chain specification is not a chain spec (it is not valid JSON with a genesis and boot nodes).");
    }
    const smoldot = startFromWorker(new SmoldotWorker(), { maxLogLevel: 3 });
    const chain = smoldot.addChain({ chainSpec: spec }).catch((e: unknown) => {
      throw new Error(`The light client refused the region's chain specification: ${String(e)}`);
    });
    const client = createClient(getSmProvider(() => chain));
    const data = await client.getChainSpecData();
    const genesis = data.genesisHash.toLowerCase();
    if (config.genesisHash && genesis !== config.genesisHash) {
      client.destroy();
      throw new Error(
        `The chain specification is for another chain (genesis ${short(genesis)}), not this region's (${short(config.genesisHash)}). Nothing was read from it.`,
      );
    }
    const light = new LightClient(client, genesis);
    client.finalizedBlock$.subscribe({
      next: (b) => light.onFinalized({ number: b.number, hash: b.hash, seenAt: Date.now() }),
      error: (e: unknown) => light.setStatus({ kind: "failed", message: `The light client stopped: ${String(e)}` }),
    });
    setInterval(() => light.checkStall(), 5_000);
    return light;
  }

  /** The typed-by-metadata API (runtime calls and storage), verified by the light client. */
  get api() {
    return this.client.getUnsafeApi();
  }

  /** True once the light client has verified a finalized block. */
  get synced(): boolean {
    return this.finalized !== undefined;
  }

  /** The newest finalized block, waiting for the first one. */
  async finalizedBlock(): Promise<Finalized> {
    if (this.finalized) return this.finalized;
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Calls `listener` with every status change, and now with the current one. */
  onStatus(listener: (s: LightStatus) => void): void {
    this.listeners.push(listener);
    listener(this.status);
  }

  /**
   * The chain's own day (days since the epoch, UTC) at `block`: its verified timestamp. A caller
   * already inside a `read` passes that read's `signal`, so it stays one read with one deadline.
   */
  async dayAt(block: Finalized, signal?: AbortSignal): Promise<number> {
    const now = (signal: AbortSignal) => this.api.query.Timestamp.Now.getValue({ at: block.hash, signal });
    const time = (await (signal ? now(signal) : this.read(block, "the chain's time", now))) as bigint;
    return Math.floor(Number(time) / 86_400_000);
  }

  /**
   * `read` (given the signal to pass to polkadot-api) with a deadline of `ANSWER_SECONDS`. Past it,
   * the read fails with what the light client refused: `what` names the data for people.
   */
  async read<T>(block: Finalized, what: string, read: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const signal = AbortSignal.timeout(ANSWER_SECONDS * 1000);
    // The deadline holds even for a part of `read` that does not take the signal.
    const deadline = new Promise<never>((_, reject) =>
      signal.addEventListener("abort", () => reject(signal.reason as Error), { once: true }),
    );
    deadline.catch(() => {}); // past an answer, the deadline's end is nobody's business
    try {
      const answer = await Promise.race([read(signal), deadline]);
      if (this.status.kind === "refused" && this.finalized) this.setStatus({ kind: "verified", block: this.finalized });
      return answer;
    } catch (e) {
      if (!signal.aborted) throw e;
      throw new Error(await this.whyUnanswered(block, what));
    }
  }

  /**
   * Why nothing about `block` verified: the light client is asked once more for one small
   * value, through the method that names its errors. A proof error (smoldot's
   * "MissingProofEntry", among others) means a node did answer, with a proof that does not match
   * the block's state root, and the light client refused it.
   */
  private async whyUnanswered(block: Finalized, what: string): Promise<string> {
    const error = await this.client
      ._request<unknown, [string, string]>("state_getStorage", [TIMESTAMP_NOW, block.hash])
      .then(() => undefined, (e: unknown) => String(e instanceof Error ? e.message : e));
    const refused = error !== undefined && /proof/i.test(error);
    // No answer at all also stops finality: the status line says "No new finalized block" then.
    if (refused) this.setStatus({ kind: "refused", block, at: Date.now() });
    return refused
      ? `A node of the region answered about ${what} at finalized block #${block.number} with data its proof does not back: the light client refused it. Nothing from that node is shown.`
      : `No verified answer about ${what} at finalized block #${block.number} came within ${ANSWER_SECONDS} s: no node of the region answered in time.${error ? ` (The light client: ${error.split("\n")[0]}.)` : ""}`;
  }

  private onFinalized(f: Finalized): void {
    this.finalized = f;
    for (const resolve of this.waiting.splice(0)) resolve(f);
    // A refusal stays on the status line until a read is verified again, or for a minute.
    const s = this.status;
    if (s.kind === "refused" && Date.now() - s.at < 60_000) return;
    this.setStatus({ kind: "verified", block: f });
  }

  private checkStall(): void {
    const f = this.finalized;
    if (!f || this.status.kind === "failed") return;
    const seconds = Math.floor((Date.now() - f.seenAt) / 1000);
    if (seconds >= STALL_SECONDS) this.setStatus({ kind: "stalled", block: f, seconds });
  }

  private setStatus(s: LightStatus): void {
    this.status = s;
    for (const l of this.listeners) l(s);
  }
}

/** A hash shortened for people: 0x1234…abcd. */
export function short(hash: string): string {
  return hash.length > 12 ? `${hash.slice(0, 6)}…${hash.slice(-4)}` : hash;
}

/** The status line's words. */
export function describeStatus(s: LightStatus): { text: string; tone: "ok" | "warn" | "bad" | "busy" } {
  switch (s.kind) {
    case "starting":
      return { text: "Connecting to the region's nodes through the light client…", tone: "busy" };
    case "verified":
      return { text: `Verified at finalized block #${s.block.number}`, tone: "ok" };
    case "refused":
      return {
        text: `Refused an answer that did not verify against finalized block #${s.block.number}: a node of the region sent data its proof does not back.`,
        tone: "bad",
      };
    case "stalled":
      return {
        text: `No new finalized block for ${s.seconds} s: the region may be unreachable, and what is shown may be out of date (last verified block #${s.block.number}).`,
        tone: "warn",
      };
    case "failed":
      return { text: s.message, tone: "bad" };
  }
}

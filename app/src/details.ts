// The optional pull query (Wen et al.'s pull mode): the device asks the region's matcher enclave
// for the details of its own exposures (how long, how close, what kind). The query is proven by
// the device's own daily pseudonyms and sealed to the enclave's key as the chain holds it (read
// through the light client), so the matcher's host carries ciphertext only; the answer is sealed
// back to this device. What the host still learns: that this address asked, when, and the
// query's size.
import { dayName } from "./exposure";
import { unhex } from "./device";
import type { LightClient } from "./light";
import { primitives } from "./wasm";

/** Days a query covers: the exposure check's 14. */
export const QUERY_DAYS = 14;

/** One exposure as the enclave reports it to the person it concerns. */
export interface OwnExposure {
  day: number;
  case: number;
  risk: "high" | "low" | "indirect";
  kind: "close" | "venue" | "indirect";
  probabilityPpm: number;
  minutes: number;
  meanDistanceCm: number;
  material: string;
  minutesAfterCase: number;
}

/** The enclave's sealed answer, opened on this device. */
export interface Details {
  /** The finalized block the matcher answered at. */
  asOf: number;
  /** Proofs (days) the enclave verified. */
  verified: number;
  exposures: OwnExposure[];
  /** Batches of those days it could not open: the report may miss exposures in them. */
  gap?: { batches: number; firstDay: number; lastDay: number } | null;
}

/** Why the matcher refused, in words a person understands (its refusal's name is kept). */
const REFUSALS: Record<string, string> = {
  RateLimited: "The matcher is answering too many questions from this address. Try again in a minute.",
  StaleQuery: "This device's clock is too far from the matcher's. Set the clock right and try again.",
  UnknownSealingKey: "The matcher has moved to a new key since the chain was read. Try again.",
  Busy: "The matcher is busy. Try again later.",
  NotSynced: "The matcher is still catching up with the chain. Try again later.",
};

/** Asks the matcher at `matcherUrl` for this device's own exposures of the last 14 days. */
export async function askDetails(light: LightClient, matcherUrl: string, seed: Uint8Array): Promise<Details> {
  const block = await light.finalizedBlock();
  const { current, info } = await light.read(block, "the region's matcher", async (signal) => {
    const at = { at: block.hash, signal };
    const current = (await light.api.apis.MatchersApi.current_sealing_key(at)) as
      | { matcher: number; public: string | Uint8Array }
      | undefined;
    const info = current
      ? ((await light.api.apis.MatchersApi.matcher(current.matcher, at)) as { signing_key: string | Uint8Array } | undefined)
      : undefined;
    return { current, info };
  });
  if (!current) throw new Error("The region has no active matcher right now, so there is nobody to ask.");
  const bytes = (v: string | Uint8Array | undefined) => (typeof v === "string" ? unhex(v, 32) : v);
  const sealingKey = bytes(current.public);
  const signingKey = bytes(info?.signing_key);
  if (!sealingKey || !signingKey) throw new Error("The chain's matcher keys could not be read.");
  const today = await light.dayAt(block);
  const p = await primitives();
  const genesis = unhex(light.genesisHash, 32);
  if (!genesis) throw new Error("The chain's genesis hash could not be read.");
  const issuedAt = BigInt(Math.floor(Date.now() / 1000));
  const sealed = p.sealQuery(seed, genesis, signingKey, sealingKey, issuedAt, today - (QUERY_DAYS - 1), today);
  const response = await fetch(`${matcherUrl.replace(/\/$/, "")}/v1/query`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: sealed.body,
  }).catch(() => {
    throw new Error(`The matcher at ${matcherUrl} could not be reached.`);
  });
  const answer = (await response.json().catch(() => ({}))) as { asOf?: number; reply?: string; error?: string; message?: string };
  if (!response.ok) {
    const name = answer.error ?? `status ${response.status}`;
    throw new Error(`${REFUSALS[name] ?? `The matcher refused the question: ${answer.message ?? name}`} (${name})`);
  }
  const reply = typeof answer.reply === "string" ? unhex(answer.reply, answer.reply.length / 2 - 1) : undefined;
  if (!reply) throw new Error("The matcher's answer is damaged.");
  // Only the enclave the query was sealed to can have made a reply that opens here.
  const opened = JSON.parse(sealed.open(reply)) as Omit<Details, "asOf">;
  sealed.free();
  return { ...opened, asOf: answer.asOf ?? block.number };
}

/** One exposure's details in words. */
export function describeDetails(e: OwnExposure): string {
  const day = dayName(e.day);
  // Stays are cells of a few metres: a mean under a metre is "less than 1 m", not "0.0 m".
  const apart = e.meanDistanceCm < 100 ? "less than 1 m" : `about ${Math.round(e.meanDistanceCm / 100)} m`;
  switch (e.kind) {
    case "close":
      return `On ${day}: ${e.minutes} minutes, ${apart} from case ${e.case} on average.`;
    case "venue":
      return `On ${day}: ${e.minutes} minutes at the same place as case ${e.case} (${Math.round(e.meanDistanceCm / 100)} m apart is assumed).`;
    default:
      return `On ${day}: ${e.minutes} minutes at a place case ${e.case} had left ${e.minutesAfterCase} minutes before (surface: ${e.material}).`;
  }
}

// A patient's consent. The diagnostician hands over a consent request (as a QR code or file:
// `epichain diagnostician consent-request`); the device signs, for each day of the requested
// window, its pseudonym's consent to be published for that case by that diagnostician on this
// chain, with the wasm primitives; the result is the consent file `epichain diagnostician
// endorse --consent` reads.
import { AccountId, Bytes, Struct, Vector, u32 } from "@polkadot-api/substrate-bindings";

import { hex, unhex } from "./device";
import { CHECK_DAYS } from "./exposure";
import { primitives } from "./wasm";

/** What the diagnostician asks the patient to sign. */
export interface ConsentRequest {
  kind: "epichain-consent-request";
  /** The chain's genesis hash. */
  genesis: string;
  /** The diagnostician's account (SS58). */
  diagnostician: string;
  /** The case nullifier. */
  nullifier: string;
  /** The infectious window's first and last day. */
  first: number;
  last: number;
}


const Consented = Vector(Struct({ day: u32, pseudonym: Bytes(32), consent: Bytes(64) }));

/**
 * Reads a consent request, refusing with a sentence anything malformed, for another chain, or
 * expired (its window ended before the days the chain keeps).
 */
export function parseRequest(text: string, genesis: string, today: number): ConsentRequest {
  let r: Partial<ConsentRequest>;
  try {
    r = JSON.parse(text.trim());
  } catch {
    throw new Error("This is not a consent request from a diagnostician (it is not readable).");
  }
  if (r?.kind !== "epichain-consent-request") {
    throw new Error("This is not a consent request from a diagnostician.");
  }
  if (typeof r.genesis !== "string" || r.genesis.toLowerCase() !== genesis) {
    throw new Error("This consent request is for another region's chain; it was not signed.");
  }
  if (!unhex(r.nullifier, 32)) throw new Error("This consent request is damaged (its case reference is not 32 bytes).");
  try {
    AccountId().enc(String(r.diagnostician));
  } catch {
    throw new Error("This consent request is damaged (the diagnostician's account is not valid).");
  }
  const { first, last } = r;
  if (!Number.isInteger(first) || !Number.isInteger(last) || first! > last!) {
    throw new Error("This consent request is damaged (its days are not a window).");
  }
  if (last! < today + 1 - CHECK_DAYS) {
    throw new Error("This consent request has expired: its days are older than the 14 days the region keeps.");
  }
  if (first! > today) throw new Error("This consent request is for days that have not happened yet.");
  return r as ConsentRequest;
}

/** Signs `request` with `seed`: the consent file's JSON text. */
export async function signConsent(seed: Uint8Array, request: ConsentRequest): Promise<string> {
  const p = await primitives();
  // The primitives refuse a window longer than the chain accepts, with a sentence saying so.
  const scale = p.consent(
    seed,
    unhex(request.genesis, 32)!,
    AccountId().enc(request.diagnostician),
    unhex(request.nullifier, 32)!,
    request.first,
    request.last,
  );
  const pseudonyms = Consented.dec(scale).map((c) => ({
    day: c.day,
    pseudonym: hex(c.pseudonym),
    consent: hex(c.consent),
  }));
  return JSON.stringify(
    {
      genesis: request.genesis.toLowerCase(),
      diagnostician: request.diagnostician,
      nullifier: request.nullifier.toLowerCase(),
      first: request.first,
      last: request.last,
      pseudonyms,
    },
    null,
    2,
  );
}

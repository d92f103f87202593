// What a diagnostician signs to revoke an endorsement (docs/CLIENT.md, "Patient and
// diagnostician"; `epichain_primitives::signing::revocation_payload`):
//
//   blake2_256("epichain/revocation/v2" || genesis || SCALE((case: u64, reason: u8, valid_until: u32)))
//
// signed with sr25519 by the diagnostician's account and carried in
// `Diagnosis::revoke_endorsement(diagnostician, case, reason, valid_until, signature)`.

import { Blake2256 } from "@polkadot-api/substrate-bindings";

import { concatBytes } from "./general.js";

export const REVOCATION_DOMAIN = new TextEncoder().encode("epichain/revocation/v2");

/** `RevocationReason`, by variant index. */
export const REVOCATION_REASONS = ["FalsePositive", "EnteredInError", "ConsentWithdrawn", "Fraud"] as const;
export type RevocationReason = (typeof REVOCATION_REASONS)[number];

/** The 32 bytes a diagnostician signs to revoke `caseId`, valid until block `validUntil`. */
export function revocationPayload(
  genesis: Uint8Array,
  caseId: bigint | number,
  reason: RevocationReason,
  validUntil: number,
): Uint8Array {
  if (genesis.length !== 32) throw new Error("the genesis hash is 32 bytes");
  const body = new Uint8Array(13);
  const view = new DataView(body.buffer);
  view.setBigUint64(0, BigInt(caseId), true);
  body[8] = REVOCATION_REASONS.indexOf(reason);
  view.setUint32(9, validUntil, true);
  return Blake2256(concatBytes(REVOCATION_DOMAIN, genesis, body));
}

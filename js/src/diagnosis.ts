// What a diagnostician signs to revoke an endorsement (docs/CLIENT.md, "Patient and
// diagnostician"): `epichain_primitives::signing::revocation_payload`, called through the wasm
// primitives,
//
//   blake2_256("epichain/revocation/v2" || genesis || SCALE((case: u64, reason: u8, valid_until: u32)))
//
// signed with sr25519 by the diagnostician's account and carried in
// `Diagnosis::revoke_endorsement(diagnostician, case, reason, valid_until, signature)`.

import { primitives } from "./primitives.js";

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
  const index = REVOCATION_REASONS.indexOf(reason);
  if (index < 0) throw new Error(`unknown revocation reason ${String(reason)}`);
  return primitives().revocationPayload(genesis, BigInt(caseId), index, validUntil);
}

//! Every message epichain signs or binds, in one place: the domain of each, and the bytes each
//! signer signs and each verifier checks.
//!
//! Pallets verify with these functions, the matcher and the client sign with them, and tests
//! build their transactions with them, so a message has exactly one definition.
//!
//! | message | signer | domain | bytes |
//! |---|---|---|---|
//! | CSI batch | locator (sr25519) | [`BATCH_DOMAIN`] | [`batch_payload`] |
//! | endorsement | diagnostician (sr25519) | [`ENDORSEMENT_DOMAIN`] | [`endorsement_payload`] |
//! | revocation | diagnostician (sr25519) | [`REVOCATION_DOMAIN`] | [`revocation_payload`] |
//! | match result | matcher (ed25519) | [`RESULT_DOMAIN`] | [`result_payload`] |
//! | coverage gap | matcher (ed25519) | [`GAP_DOMAIN`] | [`gap_payload`] |
//! | consent | the patient's daily pseudonym (ed25519) | [`CONSENT_DOMAIN`] | [`consent_message`] |
//! | pull query | the user's daily pseudonym (ed25519) | [`QUERY_DOMAIN`] | [`query_message`] |
//! | attestation report data | the enclave's quote | [`MATCHER_REPORT_DOMAIN`] | [`matcher_report_data`] |
//!
//! Transaction payloads are 32-byte hashes ([`payload`]) bound to one chain by its genesis
//! hash, so a signature made for one region is refused by every other.

extern crate alloc;

use alloc::vec::Vec;

use codec::Encode;

use crate::{
	csi::BatchHeader,
	diagnosis::{CaseId, CaseNullifier, ConsentedPseudonym, DayWindow},
	matching::{CoverageGap, MatchResult},
	tcn::SignedReport,
	DayIndex,
};

/// Domain of a locator's signature over a CSI batch.
pub const BATCH_DOMAIN: &[u8] = b"epichain/csi-batch/v1";
/// Domain of a diagnostician's signature over an endorsement.
pub const ENDORSEMENT_DOMAIN: &[u8] = b"epichain/endorsement/v2";
/// Domain of a diagnostician's signature over a revocation.
pub const REVOCATION_DOMAIN: &[u8] = b"epichain/revocation/v2";
/// Domain of a matcher's signature over a result.
pub const RESULT_DOMAIN: &[u8] = b"epichain/match-result/v2";
/// Domain of a matcher's signature over a coverage gap.
pub const GAP_DOMAIN: &[u8] = b"epichain/coverage-gap/v1";
/// Domain of a pseudonym's consent to its endorsement.
pub const CONSENT_DOMAIN: &[u8] = b"epichain/consent/v1";
/// Domain of a user's proof of control in a pull query to the matcher.
pub const QUERY_DOMAIN: &[u8] = b"epichain/matcher-query/v1";
/// Domain of the report data a matcher's attestation binds.
pub const MATCHER_REPORT_DOMAIN: &[u8; 26] = b"epichain/matcher-report/v1";

/// The 32-byte message an account signs for `body` on the chain with genesis hash `genesis`:
/// `blake2_256(domain || genesis || SCALE(body))`. The domain names what is signed; the genesis
/// hash keeps a signature for one region's chain from being replayed on another.
pub fn payload<B: Encode + ?Sized>(domain: &[u8], genesis: &[u8], body: &B) -> [u8; 32] {
	let mut data = Vec::with_capacity(domain.len() + genesis.len() + body.size_hint());
	data.extend_from_slice(domain);
	data.extend_from_slice(genesis);
	body.encode_to(&mut data);
	sp_crypto_hashing::blake2_256(&data)
}

/// What a locator signs for a batch of `entries` (the sealed ciphertexts, one per owner) under
/// `header`: [`payload`] of [`BATCH_DOMAIN`] over `(header, entries)`, the SCALE encoding of
/// the batch as submitted.
pub fn batch_payload<E: Encode>(genesis: &[u8], header: &BatchHeader, entries: &[E]) -> [u8; 32] {
	payload(BATCH_DOMAIN, genesis, &(header, entries))
}

/// What a diagnostician signs to endorse case `nullifier` for `window` with the patient's
/// consented `pseudonyms` and TCN `reports`, valid until block `valid_until`: [`payload`] of
/// [`ENDORSEMENT_DOMAIN`] over the endorsement's fields in this order.
pub fn endorsement_payload(
	genesis: &[u8],
	nullifier: &CaseNullifier,
	window: &DayWindow,
	pseudonyms: &[ConsentedPseudonym],
	reports: &[SignedReport],
	valid_until: u32,
) -> [u8; 32] {
	payload(ENDORSEMENT_DOMAIN, genesis, &(nullifier, window, pseudonyms, reports, valid_until))
}

/// What a diagnostician signs to revoke `case` for `reason` (the chain's `RevocationReason`,
/// whichever crate's type encodes it) until block `valid_until`: [`payload`] of
/// [`REVOCATION_DOMAIN`] over `(case, reason, valid_until)`.
pub fn revocation_payload<R: Encode>(
	genesis: &[u8],
	case: CaseId,
	reason: &R,
	valid_until: u32,
) -> [u8; 32] {
	payload(REVOCATION_DOMAIN, genesis, &(case, reason, valid_until))
}

/// What a matcher signs for `result`: [`payload`] of [`RESULT_DOMAIN`] over the result.
pub fn result_payload<E: bounded_collections::Get<u32>, C: bounded_collections::Get<u32>>(
	genesis: &[u8],
	result: &MatchResult<E, C>,
) -> [u8; 32] {
	payload(RESULT_DOMAIN, genesis, result)
}

/// What a matcher signs for `gap`: [`payload`] of [`GAP_DOMAIN`] over the statement.
pub fn gap_payload(genesis: &[u8], gap: &CoverageGap) -> [u8; 32] {
	payload(GAP_DOMAIN, genesis, gap)
}

/// The message a pseudonym signs (unhashed) to consent to its endorsement:
/// `CONSENT_DOMAIN || genesis || SCALE(diagnostician) || nullifier || day (4 bytes LE)`.
/// `diagnostician` is the SCALE encoding of the diagnostician's account id (for the runtime's
/// 32-byte accounts, the raw 32 bytes).
pub fn consent_message(
	genesis: &[u8],
	diagnostician: &[u8],
	nullifier: &CaseNullifier,
	day: DayIndex,
) -> Vec<u8> {
	let mut message = Vec::with_capacity(
		CONSENT_DOMAIN.len() + genesis.len() + diagnostician.len() + nullifier.len() + 4,
	);
	message.extend_from_slice(CONSENT_DOMAIN);
	message.extend_from_slice(genesis);
	message.extend_from_slice(diagnostician);
	message.extend_from_slice(nullifier);
	message.extend_from_slice(&day.to_le_bytes());
	message
}

/// The message a user signs (unhashed) with each daily pseudonym key to query the matcher
/// whose signing key is `matcher` on chain `genesis` at unix second `issued_at`:
/// `QUERY_DOMAIN || genesis || matcher || issued_at (8 bytes LE)`.
pub fn query_message(genesis: &[u8; 32], matcher: &[u8; 32], issued_at: u64) -> Vec<u8> {
	let mut message = Vec::with_capacity(QUERY_DOMAIN.len() + 32 + 32 + 8);
	message.extend_from_slice(QUERY_DOMAIN);
	message.extend_from_slice(genesis);
	message.extend_from_slice(matcher);
	message.extend_from_slice(&issued_at.to_le_bytes());
	message
}

/// The report data a matcher's attestation binds, so the registered keys are the enclave's
/// own: `blake2_256(MATCHER_REPORT_DOMAIN || signing_key || sealing_key)`.
pub fn matcher_report_data(signing_key: &[u8; 32], sealing_key: &[u8; 32]) -> [u8; 32] {
	let mut data = [0u8; 26 + 32 + 32];
	data[..26].copy_from_slice(MATCHER_REPORT_DOMAIN);
	data[26..58].copy_from_slice(signing_key);
	data[58..].copy_from_slice(sealing_key);
	sp_crypto_hashing::blake2_256(&data)
}

#[cfg(test)]
mod tests {
	//! Each message is rebuilt here byte by byte, by concatenation rather than through SCALE
	//! tuples, so a change of any layout (a field order, a length prefix, a domain) fails.
	use super::*;
	use crate::csi::BatchHeader;
	use sp_crypto_hashing::blake2_256;

	const GENESIS: [u8; 32] = [7; 32];

	fn hashed(parts: &[&[u8]]) -> [u8; 32] {
		blake2_256(&parts.concat())
	}

	#[test]
	fn every_domain_is_distinct_and_versioned() {
		let domains: [&[u8]; 8] = [
			BATCH_DOMAIN,
			ENDORSEMENT_DOMAIN,
			REVOCATION_DOMAIN,
			RESULT_DOMAIN,
			GAP_DOMAIN,
			CONSENT_DOMAIN,
			QUERY_DOMAIN,
			MATCHER_REPORT_DOMAIN,
		];
		for (i, a) in domains.iter().enumerate() {
			assert!(a.starts_with(b"epichain/"));
			for b in &domains[i + 1..] {
				assert!(!a.starts_with(b) && !b.starts_with(a), "prefix-free domains");
			}
		}
	}

	#[test]
	fn a_batch_payload_is_the_domain_genesis_header_and_length_prefixed_entries() {
		let header = BatchHeader {
			key_id: 3,
			ephemeral: [9; 32],
			day: 20_000,
			cell_prefix: crate::geohash::Geohash::parse(b"xn76u").expect("a geohash"),
		};
		let entries = [vec![1u8, 2, 3], vec![4u8]];
		let expected = hashed(&[
			b"epichain/csi-batch/v1",
			&GENESIS,
			&header.encode(),
			&[2 << 2],
			&[3 << 2, 1, 2, 3],
			&[1 << 2, 4],
		]);
		assert_eq!(batch_payload(&GENESIS, &header, &entries), expected);
	}

	#[test]
	fn a_gap_payload_lists_case_round_block_signer_count_and_days() {
		let gap = CoverageGap {
			case: 4,
			round: 1,
			as_of: 300,
			signer: [5; 32],
			batches: 52,
			first_day: 20_001,
			last_day: 20_003,
		};
		let expected = hashed(&[
			b"epichain/coverage-gap/v1",
			&GENESIS,
			&4u64.to_le_bytes(),
			&1u32.to_le_bytes(),
			&300u32.to_le_bytes(),
			&[5; 32],
			&52u32.to_le_bytes(),
			&20_001u32.to_le_bytes(),
			&20_003u32.to_le_bytes(),
		]);
		assert_eq!(gap_payload(&GENESIS, &gap), expected);
	}

	#[test]
	fn a_revocation_payload_is_case_reason_index_and_validity() {
		#[derive(Encode)]
		enum Reason {
			_FalsePositive,
			_EnteredInError,
			ConsentWithdrawn,
		}
		let expected = hashed(&[
			b"epichain/revocation/v2",
			&GENESIS,
			&5u64.to_le_bytes(),
			&[2],
			&77u32.to_le_bytes(),
		]);
		assert_eq!(revocation_payload(&GENESIS, 5, &Reason::ConsentWithdrawn, 77), expected);
	}

	#[test]
	fn an_endorsement_payload_lists_its_fields_in_order() {
		let window = DayWindow { first: 10, last: 12 };
		let expected = hashed(&[
			b"epichain/endorsement/v2",
			&GENESIS,
			&[1; 32],
			&10u32.to_le_bytes(),
			&12u32.to_le_bytes(),
			&[0],
			&[0],
			&9u32.to_le_bytes(),
		]);
		assert_eq!(endorsement_payload(&GENESIS, &[1; 32], &window, &[], &[], 9), expected);
	}

	#[test]
	fn query_and_consent_messages_are_raw_concatenations() {
		let query = query_message(&GENESIS, &[2; 32], 0x0102);
		assert_eq!(
			query,
			[&b"epichain/matcher-query/v1"[..], &GENESIS, &[2; 32], &[2, 1, 0, 0, 0, 0, 0, 0]]
				.concat()
		);
		let consent = consent_message(&GENESIS, &[3; 32], &[4; 32], 0x0a0b);
		assert_eq!(
			consent,
			[&b"epichain/consent/v1"[..], &GENESIS, &[3; 32], &[4; 32], &[0x0b, 0x0a, 0, 0]]
				.concat()
		);
	}

	#[test]
	fn report_data_binds_both_keys_with_no_length_prefix() {
		let expected = hashed(&[b"epichain/matcher-report/v1", &[5; 32], &[6; 32]]);
		assert_eq!(matcher_report_data(&[5; 32], &[6; 32]), expected);
		assert_ne!(matcher_report_data(&[6; 32], &[5; 32]), expected);
	}
}

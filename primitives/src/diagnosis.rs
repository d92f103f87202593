//! Case endorsements (BeepTrace steps 7-8): the nullifier that makes a case endorsable once,
//! the infectious window, and the patient's consent signatures.
//!
//! A diagnosed patient's device signs, with each day's pseudonym key, the message
//! [`crate::signing::consent_message`]`(genesis, diagnostician, nullifier, day)`. The diagnostician puts the
//! pseudonyms and these signatures in its endorsement; the runtime verifies every one with its
//! ed25519 host function. The message binds the chain (genesis hash: a consent for one region's
//! chain is worthless on another), the diagnostician the patient chose, the case and the day
//! the pseudonym belongs to, so a consent cannot be moved to another case, diagnostician, chain
//! or day slot.

use crate::{pseudonym::Pseudonym, pseudonym::PseudonymSignature, DayIndex};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

extern crate alloc;
use alloc::vec::Vec;

/// A case nullifier: a hash of the lab's case id. Each nullifier is endorsable once, ever.
pub type CaseNullifier = [u8; 32];

/// The chain's identifier of an endorsed case (sequential).
pub type CaseId = u64;

/// Domain separator of case nullifiers.
pub const NULLIFIER_DOMAIN: &[u8] = b"epichain/nullifier/v1";

/// Days before symptom onset from which a case counts as infectious by default.
pub const DEFAULT_DAYS_BEFORE_ONSET: DayIndex = 2;

/// The nullifier of case `case_id` at lab `lab`:
/// `blake2_256(NULLIFIER_DOMAIN || SCALE(lab) || SCALE(case_id))`.
///
/// Every diagnostician that could endorse the same case must compute the same nullifier, so
/// the inputs are the lab's public name and its case id. When case ids are guessable (a
/// counter), append a lab-held secret to `case_id` so the nullifier reveals nothing about the
/// lab's numbering.
pub fn case_nullifier(lab: &[u8], case_id: &[u8]) -> CaseNullifier {
	let mut data = Vec::with_capacity(NULLIFIER_DOMAIN.len() + lab.len() + case_id.len() + 8);
	data.extend_from_slice(NULLIFIER_DOMAIN);
	lab.encode_to(&mut data);
	case_id.encode_to(&mut data);
	sp_crypto_hashing::blake2_256(&data)
}

/// An infectious window: the days `first..=last` the case may have infected others.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct DayWindow {
	/// The first infectious day.
	pub first: DayIndex,
	/// The last infectious day (isolation).
	pub last: DayIndex,
}

impl DayWindow {
	/// The default window of a case with symptom onset on `onset` isolated on `isolation`:
	/// two days before onset up to isolation.
	pub fn from_onset(onset: DayIndex, isolation: DayIndex) -> Self {
		Self { first: onset.saturating_sub(DEFAULT_DAYS_BEFORE_ONSET), last: isolation }
	}

	/// Days in the window (0 when `first > last`; `u32::MAX` for the whole range of days, whose
	/// count is one more than a `u32` holds).
	pub fn days(&self) -> u32 {
		if self.first > self.last {
			0
		} else {
			(self.last - self.first).saturating_add(1)
		}
	}

	/// True when `day` is inside the window.
	pub fn contains(&self, day: DayIndex) -> bool {
		self.first <= day && day <= self.last
	}
}

/// One day's pseudonym of the patient, with its consent signature over [`crate::signing::consent_message`].
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct ConsentedPseudonym {
	/// The day the pseudonym belongs to.
	pub day: DayIndex,
	/// The pseudonym (ed25519 public key).
	pub pseudonym: Pseudonym,
	/// The pseudonym's signature over the consent message of its day.
	pub consent: PseudonymSignature,
}

#[cfg(feature = "std")]
impl ConsentedPseudonym {
	/// The consent of `key`'s pseudonym to be endorsed by `diagnostician` (its SCALE-encoded
	/// account id) for case `nullifier` on the chain with genesis hash `genesis`.
	pub fn sign(
		key: &crate::pseudonym::PseudonymKey,
		genesis: &[u8],
		diagnostician: &[u8],
		nullifier: &CaseNullifier,
	) -> Self {
		let message = crate::signing::consent_message(genesis, diagnostician, nullifier, key.day());
		Self { day: key.day(), pseudonym: key.public(), consent: key.sign(&message) }
	}

	/// True when the consent signature verifies (std side; the runtime uses its host function).
	pub fn verify(&self, genesis: &[u8], diagnostician: &[u8], nullifier: &CaseNullifier) -> bool {
		let message = crate::signing::consent_message(genesis, diagnostician, nullifier, self.day);
		crate::pseudonym::verify(&self.pseudonym, &message, &self.consent)
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::pseudonym::DeviceSeed;

	/// Found by the decoders fuzzer (fuzz/regressions/decoders/window-of-every-day): the
	/// count overflowed, and a wasm build would have wrapped it to 0.
	#[test]
	fn a_window_of_every_day_counts_without_overflow() {
		assert_eq!(DayWindow { first: 0, last: u32::MAX }.days(), u32::MAX);
		assert_eq!(DayWindow { first: 1, last: u32::MAX }.days(), u32::MAX);
		assert_eq!(DayWindow { first: 5, last: 4 }.days(), 0);
		assert_eq!(DayWindow::from_onset(10, 12).days(), 5);
	}

	#[test]
	fn default_window_starts_two_days_before_onset() {
		let w = DayWindow::from_onset(100, 104);
		assert_eq!((w.first, w.last, w.days()), (98, 104, 7));
		assert!(w.contains(98) && w.contains(104) && !w.contains(97) && !w.contains(105));
		assert_eq!(DayWindow { first: 5, last: 4 }.days(), 0);
	}

	#[test]
	fn a_consent_binds_chain_diagnostician_case_and_day() {
		let key = DeviceSeed::from_bytes([3; 32]).pseudonym_key(20_778);
		let nullifier = case_nullifier(b"lab-a", b"case-1");
		let consent = ConsentedPseudonym::sign(&key, &[1; 32], &[2; 32], &nullifier);
		assert!(consent.verify(&[1; 32], &[2; 32], &nullifier));
		assert!(!consent.verify(&[9; 32], &[2; 32], &nullifier), "other chain");
		assert!(!consent.verify(&[1; 32], &[9; 32], &nullifier), "other diagnostician");
		assert!(!consent.verify(&[1; 32], &[2; 32], &case_nullifier(b"lab-a", b"case-2")));
		let moved = ConsentedPseudonym { day: 20_779, ..consent };
		assert!(!moved.verify(&[1; 32], &[2; 32], &nullifier), "other day slot");
	}

	#[test]
	fn nullifiers_separate_labs_and_cases() {
		let a = case_nullifier(b"lab-a", b"case-1");
		assert_eq!(a, case_nullifier(b"lab-a", b"case-1"));
		assert_ne!(a, case_nullifier(b"lab-b", b"case-1"));
		// Length prefixes keep ("lab-a", "xcase") and ("lab-ax", "case") apart.
		assert_ne!(case_nullifier(b"lab-a", b"xcase"), case_nullifier(b"lab-ax", b"case"));
	}
}

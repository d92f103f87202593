//! # epichain primitives
//!
//! `no_std` types and constants shared by the runtime, the node, the matcher and the client:
//!
//! - [`pseudonym`]: daily ed25519 pseudonyms derived from a device seed, and their fingerprints;
//! - [`geohash`]: geohash cells (encode, decode, neighbours, prefixes);
//! - [`hex0x`] (std only): bytes as `0x`-hex for people and JSON;
//! - [`csi`]: crypto-spatiotemporal stays, their 11-byte wire form and the sealed batch header;
//! - [`sealing`] (std only): X25519 + HKDF-SHA256 + AES-256-GCM sealing to the matcher enclave;
//! - [`query`] (std only): pull queries sealed to the enclave and their sealed replies;
//! - [`diagnosis`]: case nullifiers, infectious windows and the patient's consent signatures;
//! - [`stays`] (std only): fixes become stays, the locators' one rule (and a device's hand-in of
//!   the stays that are over);
//! - [`matching`]: matcher results (exposures, infected cells) and the public risk rule;
//! - [`signing`]: every message epichain signs: domains, transaction payloads, consent and query
//!   messages, the attestation's report data;
//! - [`tcn`]: TCN protocol proximity reports (parse, serialize; TCNs and verification std only);
//! - [`traits`]: what pallets ask each other ("is this sealing key current?").
//!
//! The runtime only checks shapes and sizes; it never derives keys, seals or opens, which is
//! why the crypto dependencies are behind the `std` feature.

#![cfg_attr(not(feature = "std"), no_std)]

pub mod csi;
pub mod diagnosis;
pub mod geohash;
#[cfg(feature = "std")]
pub mod hex0x;
pub mod matching;
pub mod pseudonym;
#[cfg(feature = "std")]
pub mod query;
#[cfg(feature = "std")]
pub mod sealing;
pub mod signing;
#[cfg(feature = "std")]
pub mod stays;
pub mod tcn;
pub mod traits;

/// Days a stay, a notification or a location's infection stays relevant: the
/// incubation-period window of the tracing designs epichain follows (Wen et al., Song et al.,
/// BeepTrace). Retention, decay to Clean and sealing-key lifetimes all derive from it.
pub const RETENTION_DAYS: u32 = 14;

/// Seconds in a day, the unit of pseudonym rotation and retention.
pub const SECONDS_PER_DAY: u64 = 86_400;

/// A day index: whole days since the unix epoch (UTC). Pseudonyms rotate per day index.
pub type DayIndex = u32;

/// The index of a pallet error variant (its first SCALE byte), as the transaction pool reports
/// it in `InvalidTransaction::Custom`: pool refusals name the pallet's error.
pub fn error_index<E: codec::Encode>(error: &E) -> u8 {
	error.using_encoded(|bytes| bytes.first().copied().unwrap_or(u8::MAX))
}

/// The day index of a unix timestamp in seconds: the one rule every day in epichain is
/// counted by (stays, pseudonyms, windows, notifications).
pub const fn day_of_secs(unix_secs: u64) -> DayIndex {
	(unix_secs / SECONDS_PER_DAY) as DayIndex
}

/// The day index of a unix timestamp in milliseconds (the runtime clock's unit).
pub const fn day_of_millis(unix_millis: u64) -> DayIndex {
	day_of_secs(unix_millis / 1000)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn day_index_starts_at_midnight_utc() {
		assert_eq!(day_of_millis(0), 0);
		assert_eq!(day_of_millis(SECONDS_PER_DAY * 1000 - 1), 0);
		assert_eq!(day_of_millis(SECONDS_PER_DAY * 1000), 1);
		// 2026-11-21T00:00:00Z
		assert_eq!(day_of_millis(1_795_219_200_000), 20_778);
		assert_eq!(day_of_secs(1_795_219_200 - 1), 20_777);
		assert_eq!(day_of_secs(1_795_219_200), 20_778);
	}
}

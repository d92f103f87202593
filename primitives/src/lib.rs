//! # epichain primitives
//!
//! `no_std` types and constants shared by the runtime, the node, the matcher and the client:
//!
//! - [`pseudonym`]: daily ed25519 pseudonyms derived from a device seed, and their fingerprints;
//! - [`geohash`]: geohash cells (encode, decode, neighbours, prefixes);
//! - [`csi`]: crypto-spatiotemporal stays, their 11-byte wire form and the sealed batch header;
//! - [`sealing`] (std only): X25519 + HKDF-SHA256 + AES-256-GCM sealing to the matcher enclave;
//! - [`diagnosis`]: case nullifiers, infectious windows and the patient's consent signatures;
//! - [`matching`]: matcher results (exposures, infected cells) and the public risk rule;
//! - [`tcn`]: TCN protocol proximity reports (parse, serialize; TCNs and verification std only);
//! - [`traits`]: what pallets ask each other ("is this sealing key current?").
//!
//! The runtime only checks shapes and sizes; it never derives keys, seals or opens, which is
//! why the crypto dependencies are behind the `std` feature.

#![cfg_attr(not(feature = "std"), no_std)]

pub mod csi;
pub mod diagnosis;
pub mod geohash;
pub mod matching;
pub mod pseudonym;
#[cfg(feature = "std")]
pub mod sealing;
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

/// The 32-byte message an account signs for `body` on the chain with genesis hash `genesis`:
/// `blake2_256(domain || genesis || SCALE(body))`. The domain names what is signed (a CSI batch,
/// an endorsement, a revocation); the genesis hash keeps a signature for one region's chain
/// from being replayed on another.
pub fn signing_payload<B: codec::Encode + ?Sized>(
	domain: &[u8],
	genesis: &[u8],
	body: &B,
) -> [u8; 32] {
	extern crate alloc;
	let mut data = alloc::vec::Vec::with_capacity(domain.len() + genesis.len() + body.size_hint());
	data.extend_from_slice(domain);
	data.extend_from_slice(genesis);
	body.encode_to(&mut data);
	sp_crypto_hashing::blake2_256(&data)
}

/// The index of a pallet error variant (its first SCALE byte), as the transaction pool reports
/// it in `InvalidTransaction::Custom`: pool refusals name the pallet's error.
pub fn error_index<E: codec::Encode>(error: &E) -> u8 {
	error.using_encoded(|bytes| bytes.first().copied().unwrap_or(u8::MAX))
}

/// The day index of a unix timestamp in milliseconds (the runtime clock's unit).
pub const fn day_of_millis(unix_millis: u64) -> DayIndex {
	(unix_millis / 1000 / SECONDS_PER_DAY) as DayIndex
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
	}
}

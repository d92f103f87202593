//! Sealed CSI batches for the node tests: synthetic owners and stays, sealed and signed.
#![allow(dead_code)]

use std::sync::atomic::{AtomicU32, Ordering};

use epichain_primitives::{
	csi::{EntryPlain, PoolSlots, Source, Stay},
	geohash::{self, Geohash},
	sealing::{seal_batch_in_slot, SealingSecret},
	SECONDS_PER_DAY,
};
use epichain_runtime::{Runtime, RuntimeCall};
use pallet_csi::CsiBatch;
use sp_core::Get;
use sp_keyring::Sr25519Keyring;

use super::tx::{general, Chain};

/// `owners` synthetic owners with `stays` stays each in cell `cell`, sealed to `key` (id
/// `key_id`) for `day`.
pub fn sealed(
	key: &SealingSecret,
	key_id: u32,
	day: u32,
	cell: &[u8],
	owners: u32,
	stays: u64,
) -> CsiBatch {
	let cell = Geohash::parse(cell).unwrap();
	let shift = 5 * (geohash::POINT_PRECISION - cell.len()) as u32;
	let at = |i: u64| Stay {
		start: day as u64 * SECONDS_PER_DAY + 60 * i,
		end: day as u64 * SECONDS_PER_DAY + 60 * i + 30,
		geohash: Geohash::from_bits((cell.to_bits() << shift) | (i % 1024), 9).unwrap(),
		source: Source::WiFi,
	};
	let entries: Vec<EntryPlain> = (0..owners)
		.map(|o| {
			let mut owner = [0u8; 32];
			owner[..4].copy_from_slice(&o.to_le_bytes());
			EntryPlain { owner, stays: (0..stays).map(at).collect() }
		})
		.collect();
	let first = next_slot(owners * stays as u32);
	let sealed = seal_batch_in_slot(first, &key.public(), key_id, day, cell, &entries).unwrap();
	CsiBatch { header: sealed.header, entries: sealed.entries }
}

/// The first pool slot of the next batch of `stays` stays a test seals. Consecutive batches
/// take consecutive slots, so a test's batches in flight together never meet in one slot (the
/// pool would keep only the first).
pub fn next_slot(stays: u32) -> u32 {
	let quota = <Runtime as pallet_csi::Config>::MaxStaysPerLocatorPerBlock::get();
	NEXT_SLOT.fetch_add(PoolSlots::needed(stays, quota), Ordering::Relaxed)
}

/// The pool slot the next [`sealed`] batch starts at.
static NEXT_SLOT: AtomicU32 = AtomicU32::new(0);

/// `batch` as `locator`'s submission, signed by `signer` (the locator itself unless forged).
pub fn submission(
	chain: &Chain,
	locator: Sr25519Keyring,
	signer: Sr25519Keyring,
	batch: CsiBatch,
) -> String {
	let payload = pallet_csi::batch_signing_payload(chain.genesis.as_ref(), &batch);
	general(RuntimeCall::Csi(pallet_csi::Call::submit_batch {
		locator: locator.to_account_id(),
		batch,
		signature: signer.sign(&payload).into(),
	}))
}

/// The signing key of the matcher [`register_matcher`] registers.
pub fn matcher_signer() -> sp_core::ed25519::Pair {
	use sp_core::Pair;
	sp_core::ed25519::Pair::from_seed(&[0xA1; 32])
}

/// The authority's call registering a matcher (signing with [`matcher_signer`]) whose sealing
/// key is `key` (the dev chain's first: key id 0), attested until 30 days after `now` (unix
/// seconds).
pub fn register_matcher(key: &SealingSecret, now: u64) -> RuntimeCall {
	use sp_core::Pair;
	register_matcher_keys(matcher_signer().public().0, key.public(), now)
}

/// The authority's call making `key` matcher 0's current sealing key, endorsed by
/// [`matcher_signer`].
pub fn rotate_sealing_key(key: &SealingSecret) -> RuntimeCall {
	use sp_core::Pair;
	let signer = matcher_signer();
	let binding =
		epichain_primitives::signing::matcher_report_data(&signer.public().0, &key.public());
	RuntimeCall::Matchers(pallet_matchers::Call::rotate_sealing_key {
		matcher: 0,
		sealing_key: key.public(),
		endorsement: signer.sign(&binding).0,
	})
}

/// The authority's call registering a matcher that signs results with `signing_key` and
/// takes batches sealed to `sealing_key`, attested (SIMULATION evidence, which the dev chain's
/// genesis allows) until 30 days after `now` (unix seconds).
pub fn register_matcher_keys(
	signing_key: [u8; 32],
	sealing_key: [u8; 32],
	now: u64,
) -> RuntimeCall {
	RuntimeCall::Matchers(pallet_matchers::Call::register_matcher {
		signing_key,
		sealing_key,
		evidence: Box::new(pallet_matchers::Evidence::Simulation { measurement: [1; 32] }),
		valid_from: 0,
		valid_until: now + 30 * SECONDS_PER_DAY,
	})
}

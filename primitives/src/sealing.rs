//! Sealing CSI to the matcher enclave (std only: the runtime never seals or opens).
//!
//! ```text
//! shared   = X25519(writer's one-time secret e, matcher sealing key M)      (== X25519(m, E))
//! key      = HKDF-SHA256(salt = SEAL_SALT, ikm = shared,
//!                        info = SEAL_INFO || key_id || day || E || M || len(prefix) || prefix)
//! entry i  = AES-256-GCM(key, nonce = 0^8 || i (u32 big-endian), aad = SEAL_AAD || day,
//!                        plaintext = pseudonym || stays)
//! ```
//!
//! **One key per batch, one nonce per entry.** Every batch uses a fresh ephemeral secret, so
//! its key is new, and entry `i` uses nonce `i`: a nonce never repeats under one key. The
//! ephemeral secret is consumed by [`seal_batch`] (it never leaves the function), and the chain
//! refuses a second batch with the same ephemeral key, so a buggy or replaying writer cannot
//! reuse one either.
//!
//! **What the key is bound to.** The HKDF info binds the matcher key (id and public key), the
//! day, the batch's cell prefix and the ephemeral key: a ciphertext cannot be replayed under
//! another header, day or key. The owner's pseudonym cannot be in the HKDF info, since the
//! matcher must derive the key before it knows whose entry it opens and the pseudonym must not
//! be public; it is instead the first 32 bytes of the authenticated plaintext, so the GCM tag
//! binds it to the stays and no one without the matcher's secret can change or read it.
//! The entry index is bound through the nonce: reordering entries breaks their tags.
//!
//! ## Entries a device seals itself
//!
//! ```text
//! shared  = X25519(device's one-time secret d, M)                           (== X25519(m, D))
//! key     = HKDF-SHA256(salt = DEVICE_SEAL_SALT, ikm = shared,
//!                       info = SEAL_INFO || key_id || day || D || M || len(prefix) || prefix)
//! entry   = DEVICE_ENTRY_TAG || D || AES-256-GCM(key, nonce = 0^12, aad = SEAL_AAD || day,
//!                                                plaintext = pseudonym || stays)
//! ```
//!
//! Every device entry has its own one-time key `D`, so its key is used for one message and the
//! zero nonce never repeats under it; the chain refuses a second entry with the same `D` on its
//! day. The key binds the matcher key, the day and the cell prefix of the batch the entry
//! travels in, so a locator can only batch it under that header; the batch's own one-time key
//! is not bound, since the device seals before any batch exists. The salt differs from the
//! batch key's, so no device key is ever a batch key.

use crate::csi::{
	BatchHeader, EntryKind, EntryPlain, EntryShape, SealingKeyId, StayError, X25519Public,
	DEVICE_ENTRY_TAG, DEVICE_HEAD_LEN,
};
use aes_gcm::{
	aead::{Aead, KeyInit, Payload},
	Aes256Gcm, Nonce,
};
use hkdf::Hkdf;
use sha2::Sha256;
use x25519_dalek::{PublicKey, StaticSecret};
use zeroize::Zeroizing;

/// HKDF salt of the batch key (domain separation).
pub const SEAL_SALT: &[u8] = b"epichain/csi-seal/v2";
/// HKDF info prefix of the batch key.
pub const SEAL_INFO: &[u8] = b"epichain/csi-batch-key";
/// AES-GCM associated data prefix of every entry; the day follows it.
pub const SEAL_AAD: &[u8] = b"epichain/csi-entry";
/// HKDF salt of a device-sealed entry's key (domain separation from batch keys).
pub const DEVICE_SEAL_SALT: &[u8] = b"epichain/csi-device-seal/v1";

/// Why sealing or opening failed. Opening never says which check failed beyond these names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SealError {
	/// The matcher key is a low-order point: the shared secret would be predictable.
	WeakKey,
	/// A stay is outside the batch's day or cell, or an entry is empty.
	Stay(StayError),
	/// More entries than a nonce counter can number.
	TooManyEntries,
	/// The ciphertext did not authenticate (wrong key, wrong header, tampered bytes).
	Unauthentic,
	/// The bytes are no entry of either kind (see [`crate::csi::EntryShape`]).
	NotAnEntry,
}

impl From<StayError> for SealError {
	fn from(e: StayError) -> Self {
		SealError::Stay(e)
	}
}

/// A matcher's X25519 sealing secret (held inside the enclave boundary).
pub struct SealingSecret(StaticSecret);

impl SealingSecret {
	/// A fresh random secret.
	pub fn generate() -> Self {
		Self(StaticSecret::random_from_rng(rand_core::OsRng))
	}

	/// Wraps secret bytes (test vectors, or a sealed enclave store).
	pub fn from_bytes(bytes: [u8; 32]) -> Self {
		Self(StaticSecret::from(bytes))
	}

	/// The secret bytes, for sealing to the enclave's own store; zeroized when dropped.
	pub fn to_bytes(&self) -> Zeroizing<[u8; 32]> {
		Zeroizing::new(self.0.to_bytes())
	}

	/// The public key writers seal to.
	pub fn public(&self) -> X25519Public {
		PublicKey::from(&self.0).to_bytes()
	}

	/// The X25519 shared secret with `public`; `None` when `public` is a low-order point (the
	/// secret would be predictable).
	pub(crate) fn diffie_hellman(&self, public: &X25519Public) -> Option<Zeroizing<[u8; 32]>> {
		let shared = self.0.diffie_hellman(&PublicKey::from(*public));
		shared.was_contributory().then(|| Zeroizing::new(shared.to_bytes()))
	}

	/// The opener of one batch: derives the batch key once for all its entries.
	pub fn batch_opener(&self, header: &BatchHeader) -> Result<BatchOpener, SealError> {
		let shared = self.0.diffie_hellman(&PublicKey::from(header.ephemeral));
		if !shared.was_contributory() {
			return Err(SealError::WeakKey);
		}
		let matcher = self.public();
		let cipher = batch_cipher(SEAL_SALT, shared.as_bytes(), &matcher, header);
		Ok(BatchOpener { cipher, header: header.clone(), secret: self.0.clone(), matcher })
	}
}

/// Opens the entries of one batch, of either kind.
pub struct BatchOpener {
	cipher: Aes256Gcm,
	header: BatchHeader,
	/// For device entries, each under its own key (zeroized when dropped).
	secret: StaticSecret,
	/// The secret's public key, derived once per batch rather than per device entry.
	matcher: X25519Public,
}

impl BatchOpener {
	/// Opens entry `index` of the batch: under the batch key if the locator sealed it, under
	/// its own key if a device did.
	pub fn open(&self, index: u32, entry: &[u8]) -> Result<EntryPlain, SealError> {
		let shape = EntryShape::of(entry).ok_or(SealError::NotAnEntry)?;
		let aad = aad(self.header.day);
		let plain = match (shape.kind, shape.device_key) {
			(EntryKind::Device, Some(device_key)) => {
				let shared = self.secret.diffie_hellman(&PublicKey::from(device_key));
				if !shared.was_contributory() {
					return Err(SealError::WeakKey);
				}
				let header = BatchHeader { ephemeral: device_key, ..self.header.clone() };
				batch_cipher(DEVICE_SEAL_SALT, shared.as_bytes(), &self.matcher, &header)
					.decrypt(&nonce(0), Payload { msg: &entry[DEVICE_HEAD_LEN..], aad: &aad })
			},
			_ => self.cipher.decrypt(&nonce(index), Payload { msg: entry, aad: &aad }),
		};
		let plain = Zeroizing::new(plain.map_err(|_| SealError::Unauthentic)?);
		Ok(EntryPlain::from_plaintext(&self.header, &plain)?)
	}
}

/// Seals one owner's `entry` on their own device, for a locator to batch under a header of
/// matcher key `key_id` / `matcher`, day `day` and cell prefix `cell_prefix`, with a fresh
/// one-time key of the device's. The result is a device entry (see the module docs): the
/// locator learns nothing of its content.
pub fn seal_device_entry(
	matcher: &X25519Public,
	key_id: SealingKeyId,
	day: crate::DayIndex,
	cell_prefix: crate::geohash::Geohash,
	entry: &EntryPlain,
) -> Result<Vec<u8>, SealError> {
	let secret = StaticSecret::random_from_rng(rand_core::OsRng);
	seal_device_with(secret, matcher, key_id, day, cell_prefix, entry)
}

/// [`seal_device_entry`] with a caller-chosen one-time secret. Only for test vectors: a secret
/// used twice is refused by the chain.
#[doc(hidden)]
pub fn seal_device_entry_with_ephemeral(
	secret: [u8; 32],
	matcher: &X25519Public,
	key_id: SealingKeyId,
	day: crate::DayIndex,
	cell_prefix: crate::geohash::Geohash,
	entry: &EntryPlain,
) -> Result<Vec<u8>, SealError> {
	seal_device_with(StaticSecret::from(secret), matcher, key_id, day, cell_prefix, entry)
}

fn seal_device_with(
	secret: StaticSecret,
	matcher: &X25519Public,
	key_id: SealingKeyId,
	day: crate::DayIndex,
	cell_prefix: crate::geohash::Geohash,
	entry: &EntryPlain,
) -> Result<Vec<u8>, SealError> {
	let device_key = PublicKey::from(&secret).to_bytes();
	let header = BatchHeader { key_id, ephemeral: device_key, day, cell_prefix };
	let shared = secret.diffie_hellman(&PublicKey::from(*matcher));
	if !shared.was_contributory() {
		return Err(SealError::WeakKey);
	}
	let plain = Zeroizing::new(entry.to_plaintext(&header)?);
	let ciphertext = batch_cipher(DEVICE_SEAL_SALT, shared.as_bytes(), matcher, &header)
		.encrypt(&nonce(0), Payload { msg: &plain, aad: &aad(day) })
		.map_err(|_| SealError::TooManyEntries)?;
	let mut out = Vec::with_capacity(DEVICE_HEAD_LEN + ciphertext.len());
	out.extend_from_slice(&DEVICE_ENTRY_TAG);
	out.extend_from_slice(&device_key);
	out.extend_from_slice(&ciphertext);
	Ok(out)
}

/// A sealed batch: its header and entry ciphertexts, ready for `submit_batch`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SealedBatch {
	/// The public header (the ephemeral key is fresh).
	pub header: BatchHeader,
	/// Entry ciphertexts, in order.
	pub entries: Vec<Vec<u8>>,
}

/// Seals `entries` of day `day` in cell `cell_prefix` to matcher key `key_id` / `matcher`, with a
/// fresh ephemeral key.
pub fn seal_batch(
	matcher: &X25519Public,
	key_id: SealingKeyId,
	day: crate::DayIndex,
	cell_prefix: crate::geohash::Geohash,
	entries: &[EntryPlain],
) -> Result<SealedBatch, SealError> {
	let ephemeral = StaticSecret::random_from_rng(rand_core::OsRng);
	seal_with(ephemeral, matcher, key_id, day, cell_prefix, entries)
}

/// [`seal_batch`] with a fresh ephemeral key that names pool slot `first_slot` (modulo
/// [`crate::csi::POOL_SLOTS`]; see [`crate::csi::PoolSlots`]). A locator with several batches in
/// flight gives each its own slots, so that none is turned away by the pool for a slot its
/// other batches hold. Draws about `POOL_SLOTS` keys.
pub fn seal_batch_in_slot(
	first_slot: u32,
	matcher: &X25519Public,
	key_id: SealingKeyId,
	day: crate::DayIndex,
	cell_prefix: crate::geohash::Geohash,
	entries: &[EntryPlain],
) -> Result<SealedBatch, SealError> {
	let first_slot = first_slot % crate::csi::POOL_SLOTS;
	let ephemeral = loop {
		let secret = StaticSecret::random_from_rng(rand_core::OsRng);
		if crate::csi::PoolSlots::first_of(PublicKey::from(&secret).as_bytes()) == first_slot {
			break secret;
		}
	};
	seal_with(ephemeral, matcher, key_id, day, cell_prefix, entries)
}

/// [`seal_batch`] with a caller-chosen ephemeral secret. Only for test vectors: a secret used
/// twice repeats nonces under one key (the chain refuses the second batch).
#[doc(hidden)]
pub fn seal_batch_with_ephemeral(
	ephemeral: [u8; 32],
	matcher: &X25519Public,
	key_id: SealingKeyId,
	day: crate::DayIndex,
	cell_prefix: crate::geohash::Geohash,
	entries: &[EntryPlain],
) -> Result<SealedBatch, SealError> {
	seal_with(StaticSecret::from(ephemeral), matcher, key_id, day, cell_prefix, entries)
}

fn seal_with(
	ephemeral: StaticSecret,
	matcher: &X25519Public,
	key_id: SealingKeyId,
	day: crate::DayIndex,
	cell_prefix: crate::geohash::Geohash,
	entries: &[EntryPlain],
) -> Result<SealedBatch, SealError> {
	if entries.len() > u32::MAX as usize {
		return Err(SealError::TooManyEntries);
	}
	let header =
		BatchHeader { key_id, ephemeral: PublicKey::from(&ephemeral).to_bytes(), day, cell_prefix };
	let shared = ephemeral.diffie_hellman(&PublicKey::from(*matcher));
	if !shared.was_contributory() {
		return Err(SealError::WeakKey);
	}
	let cipher = batch_cipher(SEAL_SALT, shared.as_bytes(), matcher, &header);
	let aad = aad(day);
	let sealed = entries
		.iter()
		.enumerate()
		.map(|(i, entry)| {
			let plain = Zeroizing::new(entry.to_plaintext(&header)?);
			cipher
				.encrypt(&nonce(i as u32), Payload { msg: &plain, aad: &aad })
				.map_err(|_| SealError::TooManyEntries)
		})
		.collect::<Result<_, _>>()?;
	Ok(SealedBatch { header, entries: sealed })
}

/// The AES-256-GCM cipher of a one-time key's messages: a batch's (salt [`SEAL_SALT`], the
/// batch's one-time key in `header.ephemeral`) or a device entry's ([`DEVICE_SEAL_SALT`], the
/// entry's one-time key there).
fn batch_cipher(
	salt: &[u8],
	shared: &[u8; 32],
	matcher: &X25519Public,
	header: &BatchHeader,
) -> Aes256Gcm {
	let prefix = header.cell_prefix.as_bytes();
	let mut info = Vec::with_capacity(SEAL_INFO.len() + 4 + 4 + 32 + 32 + 1 + prefix.len());
	info.extend_from_slice(SEAL_INFO);
	info.extend_from_slice(&header.key_id.to_be_bytes());
	info.extend_from_slice(&header.day.to_be_bytes());
	info.extend_from_slice(&header.ephemeral);
	info.extend_from_slice(matcher);
	info.push(prefix.len() as u8);
	info.extend_from_slice(prefix);
	let mut key = Zeroizing::new([0u8; 32]);
	Hkdf::<Sha256>::new(Some(salt), shared)
		.expand(&info, key.as_mut())
		.expect("32 <= 255 * HashLen; qed");
	Aes256Gcm::new_from_slice(key.as_ref()).expect("AES-256 takes a 32-byte key; qed")
}

fn nonce(index: u32) -> Nonce<aes_gcm::aead::consts::U12> {
	let mut n = [0u8; 12];
	n[8..].copy_from_slice(&index.to_be_bytes());
	n.into()
}

fn aad(day: crate::DayIndex) -> Vec<u8> {
	let mut aad = SEAL_AAD.to_vec();
	aad.extend_from_slice(&day.to_be_bytes());
	aad
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::{
		csi::{Source, Stay},
		geohash::{self, Geohash},
		SECONDS_PER_DAY,
	};
	use proptest::prelude::*;

	const VECTORS: &str = include_str!("../test-vectors/sealing.txt");
	const DAY: u32 = 20_778;

	fn vector(name: &str) -> String {
		VECTORS
			.lines()
			.find_map(|l| l.strip_prefix(name).and_then(|r| r.strip_prefix(' ')))
			.unwrap_or_else(|| panic!("vector {name}"))
			.trim()
			.to_string()
	}

	fn bytes32(name: &str) -> [u8; 32] {
		hex::decode(vector(name)).unwrap().try_into().unwrap()
	}

	/// The synthetic trajectory of the committed vector: two owners in cell `xn76u`.
	fn vector_entries() -> Vec<EntryPlain> {
		let base = DAY as u64 * SECONDS_PER_DAY;
		let p = |from: u64, to: u64, h: &[u8], src| Stay {
			start: base + from,
			end: base + to,
			geohash: Geohash::parse(h).unwrap(),
			source: src,
		};
		vec![
			EntryPlain {
				owner: [0x11; 32],
				stays: vec![p(28_800, 28_800, b"xn76urx66", Source::TransitGate)],
			},
			EntryPlain {
				owner: [0x22; 32],
				stays: (0..8)
					.map(|i| p(30_000 + 900 * i, 30_600 + 900 * i, b"xn76urx6d", Source::Gnss))
					.collect(),
			},
		]
	}

	fn vector_batch() -> (SealingSecret, SealedBatch) {
		let matcher = SealingSecret::from_bytes(bytes32("matcher_secret"));
		let batch = seal_batch_with_ephemeral(
			bytes32("ephemeral_secret"),
			&matcher.public(),
			7,
			DAY,
			Geohash::parse(b"xn76u").unwrap(),
			&vector_entries(),
		)
		.unwrap();
		(matcher, batch)
	}

	#[test]
	fn sealing_matches_committed_vectors() {
		let (matcher, batch) = vector_batch();
		assert_eq!(hex::encode(matcher.public()), vector("matcher_public"));
		assert_eq!(hex::encode(batch.header.ephemeral), vector("ephemeral_public"));
		assert_eq!(hex::encode(&batch.entries[0]), vector("entry_0"));
		assert_eq!(hex::encode(&batch.entries[1]), vector("entry_1"));
		let opener = matcher.batch_opener(&batch.header).unwrap();
		assert_eq!(opener.open(0, &batch.entries[0]).unwrap(), vector_entries()[0]);
		assert_eq!(opener.open(1, &batch.entries[1]).unwrap(), vector_entries()[1]);
	}

	/// The committed device entry: a 40-minute venue visit, sealed by the visitor's phone.
	fn vector_visit() -> (BatchHeader, EntryPlain) {
		let base = DAY as u64 * SECONDS_PER_DAY;
		let cell = Geohash::parse(b"xn76urx66").unwrap();
		let visit = Stay {
			start: base + 43_200,
			end: base + 45_600,
			geohash: cell,
			source: Source::VenueCheckIn,
		};
		// The locator's own one-time key: any; the device's key is in the entry.
		let header = BatchHeader {
			key_id: 7,
			ephemeral: PublicKey::from(&StaticSecret::from([0x44; 32])).to_bytes(),
			day: DAY,
			cell_prefix: cell,
		};
		(header, EntryPlain { owner: [0x33; 32], stays: vec![visit] })
	}

	#[test]
	fn a_device_sealed_entry_matches_the_committed_vector_and_opens_in_any_batch_position() {
		let matcher = SealingSecret::from_bytes(bytes32("matcher_secret"));
		let (header, visit) = vector_visit();
		let sealed = seal_device_entry_with_ephemeral(
			bytes32("device_secret"),
			&matcher.public(),
			header.key_id,
			header.day,
			header.cell_prefix,
			&visit,
		)
		.unwrap();
		assert_eq!(hex::encode(&sealed), vector("device_entry"));
		assert_eq!(sealed.len(), crate::csi::device_entry_len(1) as usize);
		let opener = matcher.batch_opener(&header).unwrap();
		for index in [0, 1, 900] {
			assert_eq!(opener.open(index, &sealed).unwrap(), visit);
		}
	}

	#[test]
	fn a_device_entry_opens_only_under_its_header_and_untampered() {
		let matcher = SealingSecret::from_bytes(bytes32("matcher_secret"));
		let (header, visit) = vector_visit();
		let sealed = hex::decode(vector("device_entry")).unwrap();
		let opener = matcher.batch_opener(&header).unwrap();
		for i in 2..sealed.len() {
			let mut bad = sealed.clone();
			bad[i] ^= 0x01;
			assert_eq!(opener.open(0, &bad), Err(SealError::Unauthentic), "byte {i}");
		}
		for i in 0..2 {
			let mut bad = sealed.clone();
			bad[i] ^= 0x01;
			assert_eq!(opener.open(0, &bad), Err(SealError::NotAnEntry), "tag byte {i}");
		}
		for other in [
			BatchHeader { day: DAY + 1, ..header.clone() },
			BatchHeader { key_id: 8, ..header.clone() },
			BatchHeader { cell_prefix: Geohash::parse(b"xn76urx6").unwrap(), ..header.clone() },
		] {
			let opener = matcher.batch_opener(&other).unwrap();
			assert_eq!(opener.open(0, &sealed), Err(SealError::Unauthentic));
		}
		let stranger = SealingSecret::from_bytes([0x55; 32]).batch_opener(&header).unwrap();
		assert_eq!(stranger.open(0, &sealed), Err(SealError::Unauthentic));
		// A device's stay outside the header's cell is refused when sealing.
		let elsewhere = EntryPlain {
			stays: vec![Stay { geohash: Geohash::parse(b"xn76urx6d").unwrap(), ..visit.stays[0] }],
			..visit
		};
		assert_eq!(
			seal_device_entry(&matcher.public(), 7, DAY, header.cell_prefix, &elsewhere),
			Err(SealError::Stay(StayError::OutsidePrefix))
		);
		assert_eq!(
			seal_device_entry(&[0; 32], 7, DAY, header.cell_prefix, &visit),
			Err(SealError::WeakKey)
		);
	}

	#[test]
	fn a_batch_holds_locator_and_device_entries_side_by_side() {
		let matcher = SealingSecret::generate();
		let (_, visit) = vector_visit();
		let cell = visit.stays[0].geohash;
		let own = EntryPlain { owner: [0x44; 32], stays: visit.stays.clone() };
		let mut batch =
			seal_batch(&matcher.public(), 7, DAY, cell, std::slice::from_ref(&own)).unwrap();
		let a = seal_device_entry(&matcher.public(), 7, DAY, cell, &visit).unwrap();
		let b = seal_device_entry(&matcher.public(), 7, DAY, cell, &visit).unwrap();
		assert_ne!(a[2..34], b[2..34], "each device entry has its own one-time key");
		batch.entries.extend([a, b]);
		let opener = matcher.batch_opener(&batch.header).unwrap();
		let opened: Vec<_> = batch
			.entries
			.iter()
			.enumerate()
			.map(|(i, e)| opener.open(i as u32, e).unwrap())
			.collect();
		assert_eq!(opened, vec![own, visit.clone(), visit]);
	}

	#[test]
	fn tampering_with_any_ciphertext_byte_fails_to_open() {
		let (matcher, batch) = vector_batch();
		let opener = matcher.batch_opener(&batch.header).unwrap();
		for entry in 0..2 {
			let ct = &batch.entries[entry];
			for i in 0..ct.len() {
				let mut bad = ct.clone();
				bad[i] ^= 0x01;
				assert_eq!(
					opener.open(entry as u32, &bad),
					Err(SealError::Unauthentic),
					"byte {i}"
				);
			}
			assert_eq!(opener.open(entry as u32, &ct[..ct.len() - 1]), Err(SealError::NotAnEntry));
		}
		// Swapping entries (nonce binding), or opening under another header, fails too.
		assert_eq!(opener.open(1, &batch.entries[0]), Err(SealError::Unauthentic));
		for header in [
			BatchHeader { day: DAY + 1, ..batch.header.clone() },
			BatchHeader { key_id: 8, ..batch.header.clone() },
			BatchHeader { cell_prefix: Geohash::parse(b"xn76").unwrap(), ..batch.header.clone() },
		] {
			let other = matcher.batch_opener(&header).unwrap();
			assert_eq!(other.open(0, &batch.entries[0]), Err(SealError::Unauthentic));
		}
		let stranger = SealingSecret::from_bytes([0x55; 32]).batch_opener(&batch.header).unwrap();
		assert_eq!(stranger.open(0, &batch.entries[0]), Err(SealError::Unauthentic));
	}

	#[test]
	fn refuses_low_order_keys_and_foreign_stays() {
		let prefix = Geohash::parse(b"xn76u").unwrap();
		assert_eq!(
			seal_batch(&[0u8; 32], 1, DAY, prefix, &vector_entries()),
			Err(SealError::WeakKey)
		);
		let matcher = SealingSecret::generate();
		assert_eq!(
			seal_batch(&matcher.public(), 1, DAY + 1, prefix, &vector_entries()),
			Err(SealError::Stay(StayError::OutsideDay))
		);
		assert_eq!(
			seal_batch(
				&matcher.public(),
				1,
				DAY,
				Geohash::parse(b"xn0").unwrap(),
				&vector_entries()
			),
			Err(SealError::Stay(StayError::OutsidePrefix))
		);
	}

	/// A writer that seals a stay breaking a rule (here: ending before it starts) produces an
	/// authentic entry; opening it names the rule, so the matcher counts and logs it.
	#[test]
	fn an_authentic_entry_with_a_stay_that_breaks_a_rule_opens_to_a_named_error() {
		let matcher = SealingSecret::generate();
		let ephemeral = StaticSecret::from([5u8; 32]);
		let header = BatchHeader {
			key_id: 1,
			ephemeral: PublicKey::from(&ephemeral).to_bytes(),
			day: DAY,
			cell_prefix: Geohash::parse(b"xn76u").unwrap(),
		};
		let shared = ephemeral.diffie_hellman(&PublicKey::from(matcher.public()));
		let cipher = batch_cipher(SEAL_SALT, shared.as_bytes(), &matcher.public(), &header);
		let wire = vector_entries()[1].stays[0].to_wire(DAY).unwrap();
		let mut wide = [0u8; 16];
		wide[5..].copy_from_slice(&wire);
		let packed = u128::from_be_bytes(wide);
		let start = (packed >> 26) & 0x1ffff;
		let backwards = (packed & !(0x1ffff << 9)) | ((start - 1) << 9);
		let mut plain = vec![0x33; 32];
		plain.extend_from_slice(&backwards.to_be_bytes()[5..]);
		let ct = cipher.encrypt(&nonce(0), Payload { msg: &plain, aad: &aad(DAY) }).unwrap();
		let opener = matcher.batch_opener(&header).unwrap();
		assert_eq!(opener.open(0, &ct), Err(SealError::Stay(StayError::EndsBeforeStart)));
	}

	#[test]
	fn every_batch_gets_a_fresh_ephemeral_key() {
		let matcher = SealingSecret::generate();
		let prefix = Geohash::parse(b"xn76u").unwrap();
		let a = seal_batch(&matcher.public(), 1, DAY, prefix, &vector_entries()).unwrap();
		let b = seal_batch(&matcher.public(), 1, DAY, prefix, &vector_entries()).unwrap();
		assert_ne!(a.header.ephemeral, b.header.ephemeral);
		assert_ne!(a.entries, b.entries);
	}

	#[test]
	fn a_batch_sealed_in_a_slot_names_that_slot_and_opens() {
		let matcher = SealingSecret::generate();
		let prefix = Geohash::parse(b"xn76u").unwrap();
		for slot in [0, 5, crate::csi::POOL_SLOTS - 1, crate::csi::POOL_SLOTS + 2] {
			let sealed =
				seal_batch_in_slot(slot, &matcher.public(), 1, DAY, prefix, &vector_entries())
					.unwrap();
			assert_eq!(
				crate::csi::PoolSlots::first_of(&sealed.header.ephemeral),
				slot % crate::csi::POOL_SLOTS
			);
			let opener = matcher.batch_opener(&sealed.header).unwrap();
			assert_eq!(opener.open(0, &sealed.entries[0]).unwrap(), vector_entries()[0]);
		}
	}

	fn arb_entry() -> impl Strategy<Value = EntryPlain> {
		(
			any::<[u8; 32]>(),
			prop::collection::vec(
				(0u64..SECONDS_PER_DAY, 0u64..7_200, 0u64..(1 << 20), 0usize..8),
				1..40,
			),
		)
			.prop_map(|(owner, pts)| EntryPlain {
				owner,
				stays: pts
					.into_iter()
					.map(|(s, len, cell, src)| Stay {
						start: DAY as u64 * SECONDS_PER_DAY + s,
						end: DAY as u64 * SECONDS_PER_DAY + (s + len).min(SECONDS_PER_DAY - 1),
						// Cells inside prefix "xn76u": its 25 bits followed by 20 random ones.
						geohash: Geohash::from_bits(
							(Geohash::parse(b"xn76u").unwrap().to_bits() << 20) | cell,
							geohash::POINT_PRECISION,
						)
						.unwrap(),
						source: Source::ALL[src],
					})
					.collect(),
			})
	}

	proptest! {
		#![proptest_config(ProptestConfig::with_cases(64))]
		#[test]
		fn seal_then_open_round_trips(entries in prop::collection::vec(arb_entry(), 1..12)) {
			let matcher = SealingSecret::generate();
			let prefix = Geohash::parse(b"xn76u").unwrap();
			let batch = seal_batch(&matcher.public(), 3, DAY, prefix, &entries).unwrap();
			let opener = matcher.batch_opener(&batch.header).unwrap();
			for (i, (ct, plain)) in batch.entries.iter().zip(&entries).enumerate() {
				prop_assert_eq!(ct.len(), crate::csi::entry_len(plain.stays.len() as u32) as usize);
				prop_assert_eq!(&opener.open(i as u32, ct).unwrap(), plain);
			}
		}
	}
}

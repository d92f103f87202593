//! Daily pseudonyms (BeepTrace's rotating prefix, TCN's rotating keys).
//!
//! A device holds a 32-byte master seed. For each day index `d` it derives an **ed25519** keypair
//! with HKDF-SHA256 (salt [`PSEUDONYM_SALT`], input keying material the seed, info
//! [`PSEUDONYM_INFO`] followed by `d` as 4 big-endian bytes); the 32 output bytes are the ed25519
//! secret seed. The public key is the day's pseudonym `P_d`: records of day `d` are owned by it,
//! consent is a signature by it, and notifications are addressed to its fingerprint
//! `blake2_128(P_d)`. Nothing links `P_d` to `P_{d+1}` except the device.
//!
//! ed25519 is used everywhere (derivation, consent, TCN reports) because the runtime verifies it
//! with a host function and the derivation is a plain HKDF output, with no hierarchical scheme
//! to get wrong.

use crate::DayIndex;

/// A day's pseudonym: an ed25519 public key.
pub type Pseudonym = [u8; 32];

/// The public handle notifications are addressed to: `blake2_128(pseudonym)`.
pub type Fingerprint = [u8; 16];

/// An ed25519 signature by a pseudonym.
pub type PseudonymSignature = [u8; 64];

/// HKDF salt of the daily pseudonym derivation (domain separation).
pub const PSEUDONYM_SALT: &[u8] = b"epichain/pseudonym/v1";

/// HKDF info prefix of the daily pseudonym derivation; the day index follows it.
pub const PSEUDONYM_INFO: &[u8] = b"epichain/pseudonym/day";

/// The fingerprint of a pseudonym: `blake2_128(P)`.
pub fn fingerprint(pseudonym: &Pseudonym) -> Fingerprint {
	sp_crypto_hashing::blake2_128(pseudonym)
}

#[cfg(feature = "std")]
pub use device::{DeviceSeed, PseudonymKey};

#[cfg(feature = "std")]
mod device {
	use super::*;
	use ed25519_dalek::{Signer, SigningKey};
	use hkdf::Hkdf;
	use sha2::Sha256;
	use zeroize::{Zeroize, ZeroizeOnDrop};

	/// A device's master seed. Never leaves the device; zeroed on drop.
	#[derive(Clone, Zeroize, ZeroizeOnDrop)]
	pub struct DeviceSeed([u8; 32]);

	impl DeviceSeed {
		/// Wraps existing seed bytes (for example read back from the device's key store).
		pub fn from_bytes(bytes: [u8; 32]) -> Self {
			Self(bytes)
		}

		/// A fresh random seed from the operating system's generator.
		pub fn generate() -> Self {
			let mut bytes = [0u8; 32];
			rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut bytes);
			Self(bytes)
		}

		/// The seed bytes, for the device's own key store.
		pub fn expose_secret(&self) -> &[u8; 32] {
			&self.0
		}

		/// The keypair of day `day`.
		pub fn pseudonym_key(&self, day: DayIndex) -> PseudonymKey {
			let hk = Hkdf::<Sha256>::new(Some(PSEUDONYM_SALT), &self.0);
			let mut info = [0u8; PSEUDONYM_INFO.len() + 4];
			info[..PSEUDONYM_INFO.len()].copy_from_slice(PSEUDONYM_INFO);
			info[PSEUDONYM_INFO.len()..].copy_from_slice(&day.to_be_bytes());
			let mut okm = [0u8; 32];
			// 32 bytes is far below HKDF-SHA256's 255 * 32 byte limit.
			hk.expand(&info, &mut okm).expect("32 <= 255 * HashLen; qed");
			let key = SigningKey::from_bytes(&okm);
			okm.zeroize();
			PseudonymKey { day, key }
		}

		/// The pseudonym of day `day`.
		pub fn pseudonym(&self, day: DayIndex) -> Pseudonym {
			self.pseudonym_key(day).public()
		}
	}

	impl core::fmt::Debug for DeviceSeed {
		fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
			f.write_str("DeviceSeed(<secret>)")
		}
	}

	/// One day's pseudonym keypair.
	pub struct PseudonymKey {
		day: DayIndex,
		key: SigningKey,
	}

	impl PseudonymKey {
		/// The day this key belongs to.
		pub fn day(&self) -> DayIndex {
			self.day
		}

		/// The pseudonym (public key).
		pub fn public(&self) -> Pseudonym {
			self.key.verifying_key().to_bytes()
		}

		/// The pseudonym's fingerprint.
		pub fn fingerprint(&self) -> Fingerprint {
			fingerprint(&self.public())
		}

		/// Signs `message` (for example a consent payload) with the day's secret.
		pub fn sign(&self, message: &[u8]) -> PseudonymSignature {
			self.key.sign(message).to_bytes()
		}
	}

	/// Verifies an ed25519 signature by a pseudonym (std side; the runtime uses its host
	/// function, which accepts the same signatures).
	pub fn verify(pseudonym: &Pseudonym, message: &[u8], signature: &PseudonymSignature) -> bool {
		ed25519_dalek::VerifyingKey::from_bytes(pseudonym)
			.map(|vk| {
				vk.verify_strict(message, &ed25519_dalek::Signature::from_bytes(signature)).is_ok()
			})
			.unwrap_or(false)
	}
}

#[cfg(feature = "std")]
pub use device::verify;

#[cfg(test)]
mod tests {
	use super::*;

	const VECTORS: &str = include_str!("../test-vectors/pseudonym.txt");

	#[test]
	fn derivation_matches_committed_vectors() {
		let mut n = 0;
		for line in VECTORS.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
			let f: Vec<&str> = line.split_whitespace().collect();
			let seed: [u8; 32] = hex::decode(f[0]).unwrap().try_into().unwrap();
			let day: DayIndex = f[1].parse().unwrap();
			let key = DeviceSeed::from_bytes(seed).pseudonym_key(day);
			assert_eq!(hex::encode(key.public()), f[2], "pseudonym of day {day}");
			assert_eq!(hex::encode(key.fingerprint()), f[3], "fingerprint of day {day}");
			n += 1;
		}
		assert!(n >= 3);
	}

	#[test]
	fn days_give_unlinkable_keys_and_signatures_verify() {
		let seed = DeviceSeed::from_bytes([7; 32]);
		let (a, b) = (seed.pseudonym_key(20_000), seed.pseudonym_key(20_001));
		assert_ne!(a.public(), b.public());
		assert_eq!(a.public(), seed.pseudonym(20_000));
		let sig = a.sign(b"consent");
		assert!(verify(&a.public(), b"consent", &sig));
		assert!(!verify(&b.public(), b"consent", &sig));
		assert!(!verify(&a.public(), b"consent!", &sig));
		assert_eq!(format!("{seed:?}"), "DeviceSeed(<secret>)");
	}
}

//! Device keys: the master seed a phone keeps, and the public parts it may share.
//!
//! A seed file holds the 32-byte master seed as 64 hex characters and one newline, readable by
//! its owner only. Everything public derives from it per day (see
//! `epichain_primitives::pseudonym`): the day's pseudonym (an ed25519 public key) and its
//! fingerprint `blake2_128(pseudonym)`, which notifications are addressed to.

use std::{io::Write, path::Path};

use anyhow::{bail, Context, Result};
use epichain_primitives::{
	pseudonym::{fingerprint, DeviceSeed, Pseudonym},
	DayIndex, SECONDS_PER_DAY,
};
use serde::{Deserialize, Serialize};

/// Writes a fresh random seed to `path` (mode 0600); refuses to overwrite an existing file.
pub fn create_seed_file(path: &Path) -> Result<DeviceSeed> {
	let seed = DeviceSeed::generate();
	write_seed_file(path, &seed)?;
	Ok(seed)
}

/// Writes `seed` to a new file at `path`, readable by its owner only.
pub fn write_seed_file(path: &Path, seed: &DeviceSeed) -> Result<()> {
	let mut options = std::fs::OpenOptions::new();
	options.write(true).create_new(true);
	#[cfg(unix)]
	std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
	let mut file = options.open(path).with_context(|| {
		format!("cannot create seed file {} (it must not exist)", path.display())
	})?;
	writeln!(file, "{}", hex::encode(seed.expose_secret()))?;
	Ok(())
}

/// Reads a seed file written by [`create_seed_file`].
pub fn read_seed_file(path: &Path) -> Result<DeviceSeed> {
	let text = std::fs::read_to_string(path)
		.with_context(|| format!("cannot read seed file {}", path.display()))?;
	match epichain_primitives::hex0x::decode_array(&text) {
		Ok(bytes) => Ok(DeviceSeed::from_bytes(bytes)),
		Err(_) => bail!("{} is not a seed file (64 hex characters expected)", path.display()),
	}
}

/// The public parts of one day: what a device hands to a locator (its pseudonym) or looks for
/// in notifications (its fingerprint).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayKey {
	/// Day index (days since the Unix epoch, UTC).
	pub day: DayIndex,
	/// The day's pseudonym, 0x-hex.
	pub pseudonym: String,
	/// Its fingerprint, 0x-hex.
	pub fingerprint: String,
}

impl DayKey {
	/// The public parts of `seed` on `day`.
	pub fn of(seed: &DeviceSeed, day: DayIndex) -> Self {
		let pseudonym = seed.pseudonym(day);
		Self { day, pseudonym: hex0x(&pseudonym), fingerprint: hex0x(&fingerprint(&pseudonym)) }
	}

	/// The pseudonym as bytes.
	pub fn pseudonym_bytes(&self) -> Result<Pseudonym> {
		parse_hex32(&self.pseudonym).context("pseudonym")
	}
}

/// Reads an export written by `epichain keys export` (a JSON list of [`DayKey`]).
pub fn read_export(path: &Path) -> Result<Vec<DayKey>> {
	let text = std::fs::read_to_string(path)
		.with_context(|| format!("cannot read key export {}", path.display()))?;
	serde_json::from_str(&text)
		.with_context(|| format!("{} is not a key export (JSON list of day keys)", path.display()))
}

/// Today's day index by this machine's clock.
pub fn today() -> DayIndex {
	let now = std::time::SystemTime::now()
		.duration_since(std::time::UNIX_EPOCH)
		.map(|d| d.as_secs())
		.unwrap_or(0);
	(now / SECONDS_PER_DAY) as DayIndex
}

pub use epichain_primitives::hex0x::encode as hex0x;

/// Parses 32 bytes of (optionally 0x-prefixed) hex, naming the text when it is not.
pub fn parse_hex32(text: &str) -> Result<[u8; 32]> {
	epichain_primitives::hex0x::decode_array(text).with_context(|| format!("{text:?}"))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn seed_files_round_trip_and_are_never_overwritten() {
		let dir = std::env::temp_dir().join(format!("epichain-keys-{}", std::process::id()));
		std::fs::create_dir_all(&dir).unwrap();
		let path = dir.join("device.seed");
		let _ = std::fs::remove_file(&path);
		let seed = create_seed_file(&path).unwrap();
		let back = read_seed_file(&path).unwrap();
		assert_eq!(seed.expose_secret(), back.expose_secret());
		assert!(create_seed_file(&path).is_err(), "an existing seed is kept");
		#[cfg(unix)]
		{
			use std::os::unix::fs::PermissionsExt;
			let mode = std::fs::metadata(&path).unwrap().permissions().mode();
			assert_eq!(mode & 0o777, 0o600);
		}
		std::fs::write(&path, "not a seed\n").unwrap();
		assert!(read_seed_file(&path).is_err());
		std::fs::remove_dir_all(&dir).unwrap();
	}

	#[test]
	fn day_keys_are_the_primitives_derivation() {
		let seed = DeviceSeed::from_bytes([5; 32]);
		let key = DayKey::of(&seed, 20_000);
		assert_eq!(key.pseudonym_bytes().unwrap(), seed.pseudonym(20_000));
		assert_eq!(key.fingerprint, hex0x(&seed.pseudonym_key(20_000).fingerprint()));
		assert_ne!(key, DayKey::of(&seed, 20_001));
	}
}

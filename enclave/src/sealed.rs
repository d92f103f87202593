//! The enclave's secrets on disk, so that a crash or a restart does not lose a region's memory.
//!
//! The enclave seals its signing key and every sealing epoch (with the secret of each epoch not
//! yet shredded) into one file per chain, and rewrites the file whenever an epoch is made or
//! shredded. A restarted enclave unseals the file, is the same matcher (same signing key, same
//! attestation), and re-reads the retention window from the chain with the same secrets.
//!
//! **Sealing key.** On SGX hardware the file would be sealed with the platform's sealing key
//! (`EGETKEY`, bound to the enclave's measurement), which never leaves the CPU. These machines
//! have no SGX, so the simulation seals with a key file ([`SIMULATION_KEY_FILE`], 32 random
//! bytes, mode 0600) that anyone who can read the disk can use: simulation means no hardware
//! isolation, at rest as in memory, and the measurement says so.
//!
//! **File format** (version 1): `MAGIC (8) || genesis (32) || nonce (12) || AES-256-GCM
//! ciphertext`, the first 40 bytes as associated data; the plaintext is the SCALE encoding of
//! [`State`].
//!
//! **Shredding.** A shredded epoch's secret is left out of the next write. The file is replaced
//! by an atomic rename after the previous file's bytes are overwritten with zeros in place. On
//! copy-on-write filesystems and flash storage old blocks may survive an overwrite; a real
//! enclave's platform key makes those unreadable only as long as the key itself lives, so
//! deployments keep the state on an encrypted volume whose key the host can destroy.

use std::{
	fs::{self, File, OpenOptions},
	io::{Read, Write},
	os::unix::fs::OpenOptionsExt,
	path::{Path, PathBuf},
};

use aes_gcm::{aead::Aead, Aes256Gcm, KeyInit, Nonce};
use codec::{Decode, DecodeAll, Encode};
use rand_core::RngCore;
use zeroize::{Zeroize, Zeroizing};

/// The first bytes of a sealed state file, version 1.
pub const MAGIC: [u8; 8] = *b"EPMSEAL1";
/// The simulation's sealing key file, in the base path.
pub const SIMULATION_KEY_FILE: &str = "simulation-sealing.key";
/// The sealed state's file name, in the chain's directory.
pub const STATE_FILE: &str = "enclave.sealed";

/// One sealing epoch as sealed to disk.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct SealedEpoch {
	/// Epoch number (0, 1, ...).
	pub number: u32,
	/// The X25519 public key.
	pub public: [u8; 32],
	/// When it was generated (unix seconds).
	pub created_at: u64,
	/// The secret, `None` once shredded.
	pub secret: Option<[u8; 32]>,
}

/// Everything the enclave must not lose.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct State {
	/// The ed25519 signing key's secret.
	pub signing: [u8; 32],
	/// Every epoch, oldest first.
	pub epochs: Vec<SealedEpoch>,
}

impl Drop for State {
	fn drop(&mut self) {
		self.signing.zeroize();
		for e in &mut self.epochs {
			if let Some(s) = e.secret.as_mut() {
				s.zeroize();
			}
		}
	}
}

/// Why the sealed state could not be read or written.
#[derive(Debug, PartialEq, Eq)]
pub enum StateError {
	/// A file could not be read or written (the path and the system's reason).
	Io(String),
	/// The file does not start with [`MAGIC`]: not a sealed state, or a version this build
	/// does not know.
	UnknownFormat,
	/// The file is sealed for another chain (its genesis hash, 0x-hex).
	OtherChain(String),
	/// The file does not authenticate: it was changed, or it was sealed with another key.
	Tampered,
	/// It authenticates but does not decode: written by an incompatible build.
	Malformed,
	/// The key file is not 32 bytes.
	BadKeyFile,
}

impl std::fmt::Display for StateError {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		match self {
			StateError::Io(e) => write!(f, "sealed state: {e}"),
			StateError::UnknownFormat => write!(f, "sealed state: not a version 1 sealed state"),
			StateError::OtherChain(g) => {
				write!(f, "sealed state: sealed for another chain (genesis {g})")
			},
			StateError::Tampered => write!(
				f,
				"sealed state: does not authenticate (changed, or sealed with another key)"
			),
			StateError::Malformed => write!(f, "sealed state: authenticates but does not decode"),
			StateError::BadKeyFile => write!(f, "sealed state: the key file is not 32 bytes"),
		}
	}
}

impl std::error::Error for StateError {}

fn io(path: &Path, e: std::io::Error) -> StateError {
	StateError::Io(format!("{}: {e}", path.display()))
}

/// A chain's sealed state file and the key it is sealed with.
pub struct StateStore {
	path: PathBuf,
	genesis: [u8; 32],
	key: Zeroizing<[u8; 32]>,
}

impl StateStore {
	/// The simulation's store for chain `genesis` under `base`: the state in
	/// `base/chains/0x<genesis>/enclave.sealed`, sealed with `base/simulation-sealing.key`
	/// (made on first use).
	pub fn simulation(base: &Path, genesis: [u8; 32]) -> Result<Self, StateError> {
		let dir = base.join("chains").join(epichain_primitives::hex0x::encode(&genesis));
		fs::create_dir_all(&dir).map_err(|e| io(&dir, e))?;
		let key = simulation_key(&base.join(SIMULATION_KEY_FILE))?;
		Ok(Self { path: dir.join(STATE_FILE), genesis, key })
	}

	/// Where the state is sealed.
	pub fn path(&self) -> &Path {
		&self.path
	}

	/// The sealed state, or `None` when none was written yet.
	pub fn load(&self) -> Result<Option<State>, StateError> {
		let bytes = match fs::read(&self.path) {
			Ok(b) => b,
			Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
			Err(e) => return Err(io(&self.path, e)),
		};
		self.unseal(&bytes).map(Some)
	}

	/// Seals `state` and replaces the file with it (see the module docs on shredding).
	pub fn save(&self, state: &State) -> Result<(), StateError> {
		let sealed = self.seal(state);
		let tmp = self.path.with_extension("sealed.new");
		let mut file = OpenOptions::new()
			.write(true)
			.create(true)
			.truncate(true)
			.mode(0o600)
			.open(&tmp)
			.map_err(|e| io(&tmp, e))?;
		file.write_all(&sealed).and_then(|_| file.sync_all()).map_err(|e| io(&tmp, e))?;
		overwrite_with_zeros(&self.path)?;
		fs::rename(&tmp, &self.path).map_err(|e| io(&self.path, e))?;
		if let Some(dir) = self.path.parent() {
			File::open(dir).and_then(|d| d.sync_all()).map_err(|e| io(dir, e))?;
		}
		Ok(())
	}

	fn aad(&self) -> Vec<u8> {
		[&MAGIC[..], &self.genesis[..]].concat()
	}

	/// `MAGIC || genesis || nonce || AES-256-GCM(state)`.
	pub fn seal(&self, state: &State) -> Vec<u8> {
		let mut nonce = [0u8; 12];
		rand_core::OsRng.fill_bytes(&mut nonce);
		let plain = Zeroizing::new(state.encode());
		let cipher = Aes256Gcm::new((&*self.key).into());
		let aad = self.aad();
		let ct = cipher
			.encrypt(Nonce::from_slice(&nonce), aes_gcm::aead::Payload { msg: &plain, aad: &aad })
			.expect("AES-GCM encrypts any message shorter than 64 GiB");
		[aad, nonce.to_vec(), ct].concat()
	}

	/// The state in `bytes`, checked for format, chain and authenticity.
	pub fn unseal(&self, bytes: &[u8]) -> Result<State, StateError> {
		if bytes.len() < 52 || bytes[..8] != MAGIC {
			return Err(StateError::UnknownFormat);
		}
		if bytes[8..40] != self.genesis {
			return Err(StateError::OtherChain(epichain_primitives::hex0x::encode(&bytes[8..40])));
		}
		let cipher = Aes256Gcm::new((&*self.key).into());
		let plain = Zeroizing::new(
			cipher
				.decrypt(
					Nonce::from_slice(&bytes[40..52]),
					aes_gcm::aead::Payload { msg: &bytes[52..], aad: &bytes[..40] },
				)
				.map_err(|_| StateError::Tampered)?,
		);
		State::decode_all(&mut &plain[..]).map_err(|_| StateError::Malformed)
	}
}

/// Reads the simulation key file, or makes it (32 random bytes, mode 0600) if there is none.
fn simulation_key(path: &Path) -> Result<Zeroizing<[u8; 32]>, StateError> {
	let mut key = Zeroizing::new([0u8; 32]);
	match OpenOptions::new().write(true).create_new(true).mode(0o600).open(path) {
		Ok(mut file) => {
			rand_core::OsRng.fill_bytes(&mut *key);
			file.write_all(&*key).and_then(|_| file.sync_all()).map_err(|e| io(path, e))?;
		},
		Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
			let mut bytes = Zeroizing::new(Vec::new());
			File::open(path)
				.and_then(|mut f| f.read_to_end(&mut bytes))
				.map_err(|e| io(path, e))?;
			if bytes.len() != 32 {
				return Err(StateError::BadKeyFile);
			}
			key.copy_from_slice(&bytes);
		},
		Err(e) => return Err(io(path, e)),
	}
	Ok(key)
}

/// Overwrites an existing file's bytes with zeros in place (nothing if there is no file).
fn overwrite_with_zeros(path: &Path) -> Result<(), StateError> {
	let mut file = match OpenOptions::new().write(true).open(path) {
		Ok(f) => f,
		Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
		Err(e) => return Err(io(path, e)),
	};
	let len = file.metadata().map_err(|e| io(path, e))?.len() as usize;
	file.write_all(&vec![0; len]).and_then(|_| file.sync_all()).map_err(|e| io(path, e))
}

#[cfg(test)]
mod tests {
	use super::*;

	/// A fresh directory under the system's temporary directory.
	pub(crate) fn scratch(name: &str) -> PathBuf {
		let dir = std::env::temp_dir().join(format!(
			"epichain-sealed-{name}-{}-{}",
			std::process::id(),
			rand_core::OsRng.next_u64()
		));
		fs::create_dir_all(&dir).unwrap();
		dir
	}

	fn state() -> State {
		State {
			signing: [1; 32],
			epochs: vec![
				SealedEpoch { number: 0, public: [2; 32], created_at: 10, secret: None },
				SealedEpoch { number: 1, public: [3; 32], created_at: 20, secret: Some([4; 32]) },
			],
		}
	}

	#[test]
	fn a_saved_state_loads_back_and_the_file_holds_no_secret_in_clear() {
		let base = scratch("roundtrip");
		let store = StateStore::simulation(&base, [9; 32]).unwrap();
		assert_eq!(store.load(), Ok(None), "nothing sealed yet");
		store.save(&state()).unwrap();
		assert_eq!(store.load(), Ok(Some(state())));
		let bytes = fs::read(store.path()).unwrap();
		for secret in [[1u8; 32], [4; 32]] {
			assert!(!bytes.windows(32).any(|w| w == secret), "a secret in clear");
		}
		// Another store over the same base and chain (a restarted process) reads it too.
		let again = StateStore::simulation(&base, [9; 32]).unwrap();
		assert_eq!(again.load(), Ok(Some(state())));
		// Files are for the owner only.
		use std::os::unix::fs::PermissionsExt;
		for f in [store.path().to_path_buf(), base.join(SIMULATION_KEY_FILE)] {
			assert_eq!(fs::metadata(f).unwrap().permissions().mode() & 0o777, 0o600);
		}
	}

	#[test]
	fn a_changed_file_another_key_or_another_chain_is_refused_by_name() {
		let base = scratch("refused");
		let store = StateStore::simulation(&base, [9; 32]).unwrap();
		store.save(&state()).unwrap();
		let sealed = fs::read(store.path()).unwrap();
		// One bit of the ciphertext, of the nonce, or of the associated genesis.
		for at in [sealed.len() - 1, 45, 8] {
			let mut bad = sealed.clone();
			bad[at] ^= 1;
			let want = if at == 8 {
				StateError::OtherChain(epichain_primitives::hex0x::encode(&bad[8..40]))
			} else {
				StateError::Tampered
			};
			assert_eq!(store.unseal(&bad), Err(want), "byte {at}");
		}
		assert_eq!(store.unseal(&sealed[..51]), Err(StateError::UnknownFormat));
		assert_eq!(store.unseal(b"EPMSEAL0"), Err(StateError::UnknownFormat));
		// The same file under another base path's key file does not authenticate.
		let other = StateStore::simulation(&scratch("other-key"), [9; 32]).unwrap();
		assert_eq!(other.unseal(&sealed), Err(StateError::Tampered));
		// A key file cut short is named.
		let short = scratch("short-key");
		fs::write(short.join(SIMULATION_KEY_FILE), [0u8; 31]).unwrap();
		assert!(matches!(StateStore::simulation(&short, [9; 32]), Err(StateError::BadKeyFile)));
		// A state sealed for another chain is not loaded as this one's.
		let theirs = StateStore::simulation(&base, [8; 32]).unwrap();
		assert_eq!(theirs.unseal(&sealed), Err(StateError::OtherChain(hex0x([9; 32]))));
		// A failed read changed nothing: the file still loads.
		assert_eq!(store.load(), Ok(Some(state())));
	}

	fn hex0x(b: [u8; 32]) -> String {
		epichain_primitives::hex0x::encode(&b)
	}
}

//! The traits epichain pallets use to talk to each other. A pallet reads another only through
//! these, so each can be tested against a mock and replaced without touching its users.

use crate::csi::SealingKeyId;

/// An ed25519 public key a matcher enclave signs its results with.
pub type MatcherSigningKey = [u8; 32];

/// Whether writers may seal to a matcher key right now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SealingKeyStatus {
	/// The key is accepted: its matcher is active and it is either the current key or a
	/// rotated one still inside its grace period.
	Current,
	/// No key has this id.
	Unknown,
	/// The key was rotated out and its grace period is over.
	Retired,
	/// The key is older than the retention window: never accepted again (crypto-shredding).
	Shredded,
	/// The key's matcher is revoked or outside its validity window.
	MatcherInactive,
}

/// "Is this sealing key id current?"
pub trait SealingKeys {
	/// The status of sealing key `key_id` now.
	fn sealing_key_status(key_id: SealingKeyId) -> SealingKeyStatus;

	/// True when writers may seal to `key_id` now.
	fn is_current(key_id: SealingKeyId) -> bool {
		Self::sealing_key_status(key_id) == SealingKeyStatus::Current
	}

	/// Registers whatever a benchmark needs for a current key and returns its id.
	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_current_key() -> SealingKeyId;
}

/// "Is this the registered signing key of an active matcher?"
pub trait MatcherSigners {
	/// True when `key` is the signing key of a matcher that is registered, not revoked and
	/// inside its validity window.
	fn is_active_signer(key: &MatcherSigningKey) -> bool;
}

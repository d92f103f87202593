//! Types of the matchers pallet: a registered matcher and a sealing key, and what the runtime
//! API answers.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use epichain_primitives::{
	csi::{SealingKeyId, X25519Public},
	traits::MatcherSigningKey,
};
use scale_info::TypeInfo;
use sp_core::H256;

/// Identifier of a registered matcher.
pub type MatcherId = u32;

/// A registered matcher enclave.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct MatcherInfo {
	/// ed25519 key that signs matching results.
	pub signing_key: MatcherSigningKey,
	/// The enclave measurement (MRENCLAVE-like).
	pub measurement: [u8; 32],
	/// Hash of the attestation report the authority checked.
	pub attestation_hash: H256,
	/// Start of the validity window (unix seconds, inclusive).
	pub valid_from: u64,
	/// End of the validity window (unix seconds, exclusive).
	pub valid_until: u64,
	/// The matcher's current sealing key.
	pub current_key: SealingKeyId,
	/// Revoked matchers are never active again.
	pub revoked: bool,
}

/// A matcher sealing key.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct SealingKeyInfo {
	/// The matcher holding the secret.
	pub matcher: MatcherId,
	/// The X25519 public key writers seal to.
	pub public: X25519Public,
	/// When it was registered (unix seconds); it is shredded `SealingKeyLifetime` days later.
	pub registered_at: u64,
	/// When it was rotated out (unix seconds); accepted for `RotationGrace` seconds more.
	pub retired_at: Option<u64>,
}

/// The sealing key writers seal to now: the active matcher's current key
/// ([`crate::runtime_api::MatchersApi::current_sealing_key`]).
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct CurrentSealingKey {
	/// The matcher holding the secret.
	pub matcher: MatcherId,
	/// The key's id on chain: a batch header names it.
	pub key_id: SealingKeyId,
	/// The X25519 public key.
	pub public: X25519Public,
}

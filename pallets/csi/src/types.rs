//! Types of the CSI pallet: locators, batches and what state keeps about them.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use epichain_primitives::{
	csi::{BatchHeader, SealingKeyId, X25519Public},
	geohash::Geohash,
	DayIndex,
};
use scale_info::TypeInfo;
use sp_core::H256;

extern crate alloc;
use alloc::vec::Vec;

pub use epichain_primitives::geohash::{is_valid_region, Region};

/// What kind of locator writes (Wen et al.'s locators, plus trusted-app gateways).
#[derive(
	serde::Serialize,
	serde::Deserialize,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum LocatorKind {
	/// A transit gate (ticket barriers of a station).
	TransitGate,
	/// A Wi-Fi access point operator.
	WiFi,
	/// A venue writing check-ins.
	Venue,
	/// The gateway of a trusted app writing its users' trajectories.
	AppGateway,
	/// A camera system.
	Camera,
	/// Anything else the authority trusts.
	Other,
}

/// Whether a locator may write.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum LocatorStatus {
	/// Writes are accepted.
	Active,
	/// Writes are refused until the authority resumes it.
	Suspended,
}

/// A whitelisted locator.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct LocatorInfo {
	/// What it is.
	pub kind: LocatorKind,
	/// The geohash prefix it may write in.
	pub region: Region,
	/// Hash of the operator's registration documents (kept off chain).
	pub metadata_hash: H256,
	/// Active or suspended.
	pub status: LocatorStatus,
}

/// A sealed batch as a locator submits it: the public header and opaque entry ciphertexts
/// (see `epichain_primitives::csi` for their layout). Bounds are checked by the pallet, so an
/// oversize batch is refused with a named error instead of a decoding failure.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct CsiBatch {
	/// Key id, ephemeral key, day and cell prefix.
	pub header: BatchHeader,
	/// One ciphertext per owner.
	pub entries: Vec<Vec<u8>>,
}

/// What state keeps about a stored batch; the entries themselves stay in the block body.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct BatchMeta<AccountId, BlockNumber> {
	/// The locator that wrote it.
	pub locator: AccountId,
	/// The block holding it.
	pub block: BlockNumber,
	/// Its extrinsic index in that block.
	pub extrinsic_index: u32,
	/// The sealing key it was sealed to.
	pub key_id: SealingKeyId,
	/// The writer's one-time key (the matcher needs it to derive the batch key).
	pub ephemeral: X25519Public,
	/// The cell its stays lie in.
	pub cell_prefix: Geohash,
	/// Number of entries (owners).
	pub entries: u32,
	/// Number of stays.
	pub stays: u32,
}

/// Per-day counters.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Default,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct DayStats {
	/// Batches stored for the day (also the next batch's sequence number).
	pub batches: u32,
	/// Entries in them.
	pub entries: u64,
	/// Stays in them.
	pub stays: u64,
	/// Batches already removed by retention pruning (sequence numbers below this).
	pub pruned: u32,
}

/// A stored batch with its position in the day, as the runtime API returns it.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct BatchRef<AccountId, BlockNumber> {
	/// The day.
	pub day: DayIndex,
	/// Its sequence number within the day.
	pub seq: u32,
	/// Everything state keeps about it.
	pub meta: BatchMeta<AccountId, BlockNumber>,
}

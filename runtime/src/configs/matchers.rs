//! The matcher enclave registry: sealing keys writers seal to, their rotation and
//! crypto-shredding, and the signing keys results are checked against.

#[cfg(feature = "runtime-benchmarks")]
use super::benchmark;
use super::governance::AuthorityOrigin;
use crate::{Runtime, Timestamp};
use epichain_primitives::RETENTION_DAYS;
use frame_support::{parameter_types, traits::ConstU32};

parameter_types! {
	/// A rotated-out sealing key is still accepted for 6 hours (batches in flight land).
	pub const RotationGrace: u64 = 6 * 3_600;
}

impl pallet_matchers::Config for Runtime {
	type AuthorityOrigin = AuthorityOrigin;
	type UnixTime = Timestamp;
	type RotationGrace = RotationGrace;
	type SealingKeyLifetime = ConstU32<RETENTION_DAYS>;
	type WeightInfo = pallet_matchers::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = benchmark::Helper;
}

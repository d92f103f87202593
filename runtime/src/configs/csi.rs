//! The CSI batches: locators' sealed stays.
//!
//! Bounds are sized for a 6-second block's normal class to carry 60,000 stays (10,000 per
//! second). An entry of 8 stays is 138 bytes on chain, so 60,000 stays are about 1 MB of the
//! normal class's 3.75 MiB; see docs/BENCHMARKS.md for the weight side.

#[cfg(feature = "runtime-benchmarks")]
use super::benchmark;
use super::governance::AuthorityOrigin;
use crate::{Locations, Matchers, Runtime, Signature, Timestamp};
use epichain_primitives::RETENTION_DAYS;
use frame_support::traits::{ConstU32, ConstU64};

impl pallet_csi::Config for Runtime {
	type AuthorityOrigin = AuthorityOrigin;
	type LocatorSignature = Signature;
	type SealingKeys = Matchers;
	/// A venue's batch for a registered location counts one check-in per entry there.
	type CheckIns = Locations;
	type UnixTime = Timestamp;
	/// 1,024 owners per batch: a gateway's hour of writes for a neighbourhood.
	type MaxEntriesPerBatch = ConstU32<1_024>;
	/// 64 stays per owner per batch: a day of a busy person's places, or an hour of fixes that
	/// could not be merged, with margin.
	type MaxStaysPerEntry = ConstU32<64>;
	/// A quarter of the 60,000-stay block budget per locator, so one locator cannot fill a
	/// block alone.
	type MaxStaysPerLocatorPerBlock = ConstU32<16_384>;
	/// Today, yesterday and the day before: devices that were offline still upload.
	type MaxBatchAgeDays = ConstU32<2>;
	type RetentionDays = ConstU32<RETENTION_DAYS>;
	/// Above fee-paying transactions of ordinary size: tracing data is the chain's purpose.
	type BatchPriority = ConstU64<{ 1 << 32 }>;
	type WeightInfo = pallet_csi::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = benchmark::Helper;
}

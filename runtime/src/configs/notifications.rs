//! Matching jobs, matcher-signed results, notifications and the risk rule.

#[cfg(feature = "runtime-benchmarks")]
use super::benchmark;
use super::governance::AuthorityOrigin;
use crate::{Locations, Matchers, Runtime, Timestamp};
use epichain_primitives::RETENTION_DAYS;
use frame_support::traits::{ConstU32, ConstU64};

impl pallet_notifications::Config for Runtime {
	type AuthorityOrigin = AuthorityOrigin;
	type MatcherSigners = Matchers;
	type LocationInfections = Locations;
	/// Endorsed cases' pseudonym-days are never notified.
	type CaseFingerprints = crate::Diagnosis;
	type UnixTime = Timestamp;
	/// 14 days of the diagnosis pallet's limits for a few dozen diagnosticians; a full table
	/// refuses new endorsements (`JobRefused`) rather than growing without bound.
	type MaxJobs = ConstU32<100_000>;
	/// A crowded venue's day: a thousand exposed person-days per round.
	type MaxExposuresPerResult = ConstU32<1_024>;
	/// Cells a case visited over its window, at the locations pallet's precision.
	type MaxCellsPerResult = ConstU32<256>;
	/// Batches may be dated up to 2 days back (`MaxBatchAgeDays`), and a place-based exposure
	/// can begin up to the longest survival time after the case left (plastic, 72 hours):
	/// keep matching 3 days after the window.
	type JobGraceDays = ConstU32<3>;
	type RetentionDays = ConstU32<RETENTION_DAYS>;
	/// Above endorsements: a result is what users are waiting for.
	type ResultPriority = ConstU64<{ 1 << 41 }>;
	/// Standing matching asks about each open job about once a minute.
	type RelayIntervalBlocks = ConstU32<10>;
	/// A few jobs per block keep each worker run short; 100 open jobs cycle in about 2 min.
	type MaxRelaysPerBlock = ConstU32<8>;
	/// A judgement at Wen et al.'s largest sizes takes about 1 s on 2 cores.
	type MatcherDeadlineMillis = ConstU64<5_000>;
	type WeightInfo = pallet_notifications::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = benchmark::Helper;
}

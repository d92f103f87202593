//! The diagnosticians and their consent-verified endorsements.

#[cfg(feature = "runtime-benchmarks")]
use super::benchmark;
use super::governance::AuthorityOrigin;
use crate::{Notifications, Runtime, Signature, Timestamp};
use epichain_primitives::RETENTION_DAYS;
use frame_support::traits::{ConstU32, ConstU64};

impl pallet_diagnosis::Config for Runtime {
	type AuthorityOrigin = AuthorityOrigin;
	type DiagnosticianSignature = Signature;
	/// Each endorsement opens a matching job; a revocation cancels it.
	type CaseJobs = Notifications;
	type UnixTime = Timestamp;
	/// One pseudonym per day of the longest window.
	type MaxPseudonyms = ConstU32<RETENTION_DAYS>;
	/// A phone that rotated its report key daily over the window, plus margin.
	type MaxReportsPerCase = ConstU32<16>;
	/// A busy hospital confirms a few hundred cases a day at the peak of a wave; a leaked key
	/// can add at most this many false cases before the authority suspends it.
	type MaxEndorsementsPerDay = ConstU32<500>;
	type RetentionDays = ConstU32<RETENTION_DAYS>;
	/// Above CSI batches: an endorsement starts everyone's notifications.
	type EndorsementPriority = ConstU64<{ 1 << 40 }>;
	/// A signed endorsement or revocation is good for an hour of 6 s blocks at most.
	type MaxSignedValidity = ConstU32<600>;
	type WeightInfo = pallet_diagnosis::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = benchmark::Helper;
}

//! The contact-tracing pallets: the matcher enclave registry, the CSI batches, the location
//! cells and the diagnosticians' endorsements.
//!
//! Bounds are sized for a 6-second block's normal class to carry 60,000 stays (10,000 per
//! second). An entry of 8 stays is 138 bytes on chain, so 60,000 stays are about 1 MB of the
//! normal class's 3.75 MiB; see docs/BENCHMARKS.md for the weight side.

use super::governance::AuthorityOrigin;
use crate::{
	Csi, Locations, Matchers, Notifications, Runtime, RuntimeCall, Signature, Timestamp,
	TxExtension, UncheckedExtrinsic,
};
use epichain_primitives::{RETENTION_DAYS, SECONDS_PER_DAY};
use frame_support::{
	parameter_types,
	traits::{ConstU32, ConstU64},
};

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

impl pallet_locations::Config for Runtime {
	type AuthorityOrigin = AuthorityOrigin;
	type UnixTime = Timestamp;
	type VenueLocators = Csi;
	/// Song et al.: a place is Clean again 14 days after its last infection.
	type InfectionWindow = ConstU64<{ RETENTION_DAYS as u64 * SECONDS_PER_DAY }>;
	/// Precision 6 (about 1.2 km x 0.6 km) for districts up to 9 (about 5 m) for venues; 7
	/// (about 150 m) is the usual public place.
	type MinPrecision = ConstU32<6>;
	type MaxPrecision = ConstU32<9>;
	/// A venue registers its own cells only when whitelisted for premises-sized region (about
	/// 1.2 km x 0.6 km or smaller); a coarser venue asks the authority.
	type MinVenueRegionPrecision = ConstU32<6>;
	type MaxHistory = ConstU32<32>;
	type VisitRetentionDays = ConstU32<RETENTION_DAYS>;
	type WeightInfo = pallet_locations::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = benchmark::Helper;
}

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

#[cfg(feature = "runtime-benchmarks")]
mod benchmark {
	use super::*;
	use crate::AccountId;
	use sp_core::crypto::KeyTypeId;
	use sp_runtime::{traits::IdentifyAccount, MultiSigner};

	/// Clock and locator signatures for the tracing pallets' benchmarks.
	pub struct Helper;

	impl epichain_primitives::traits::BenchmarkClock for Helper {
		fn set_time(secs: u64) {
			pallet_timestamp::Now::<Runtime>::put(secs * 1_000);
		}
	}

	/// Venue check-ins (csi) and infected cells (notifications) need a registered location.
	impl epichain_primitives::traits::BenchmarkLocations for Helper {
		fn register_location(cell: &epichain_primitives::geohash::Geohash) {
			let _ = pallet_locations::Pallet::<Runtime>::do_register(
				*cell,
				None,
				pallet_locations::SurfaceMaterial::Unknown,
			);
		}
	}

	/// Locators and diagnosticians sign with one sr25519 benchmark key.
	impl epichain_primitives::traits::BenchmarkSigner<AccountId, Signature> for Helper {
		fn sign(payload: &[u8]) -> (AccountId, Signature) {
			const KEY: KeyTypeId = KeyTypeId(*b"epib");
			let public =
				sp_io::crypto::sr25519_generate(KEY, Some(b"//epichain-benchmark".to_vec()));
			let signature = sp_io::crypto::sr25519_sign(KEY, &public, payload)
				.expect("the key was just generated in the keystore; qed");
			(MultiSigner::from(public).into_account(), Signature::from(signature))
		}
	}

	impl pallet_notifications::BenchmarkHelper for Helper {
		fn register_signer(key: &[u8; 32]) {
			let _ = pallet_matchers::Pallet::<Runtime>::register_matcher(
				frame_system::RawOrigin::Root.into(),
				*key,
				[0x5a; 32],
				[1; 32],
				sp_core::H256::repeat_byte(2),
				0,
				u64::MAX / 2,
			);
		}
	}
}

/// Off-chain workers build general (authorized) transactions: matcher results need no account.
impl<C> frame_system::offchain::CreateTransactionBase<C> for Runtime
where
	RuntimeCall: From<C>,
{
	type Extrinsic = UncheckedExtrinsic;
	type RuntimeCall = RuntimeCall;
}

impl<C> frame_system::offchain::CreateTransaction<C> for Runtime
where
	RuntimeCall: From<C>,
{
	type Extension = TxExtension;
	fn create_transaction(call: RuntimeCall, extension: TxExtension) -> UncheckedExtrinsic {
		UncheckedExtrinsic::new_transaction(call, extension)
	}
}

impl<C> frame_system::offchain::CreateAuthorizedTransaction<C> for Runtime
where
	RuntimeCall: From<C>,
{
	fn create_extension() -> TxExtension {
		crate::tx_extension(0)
	}
}

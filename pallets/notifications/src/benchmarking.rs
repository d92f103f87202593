//! Benchmarks of `pallet_notifications` (frame-benchmarking v2). The matcher's result is signed
//! with a real ed25519 key in the benchmark keystore.

use super::*;
use alloc::vec::Vec;
use epichain_primitives::{
	diagnosis::DayWindow,
	geohash::Geohash,
	matching::{CoverageGap, Exposure, InfectedCell, RiskLevel, RiskParams},
	traits::{
		BenchmarkClock as _, BenchmarkLocations as _, CaseJobs as _, InfectionSource,
		LocationInfections as _,
	},
};
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{EnsureOrigin, Get, Hooks},
	BoundedVec,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use sp_core::crypto::KeyTypeId;
use sp_runtime::traits::Zero;

/// A fixed point in time for benchmarks: 2026-11-21T12:00:00Z (day 20778).
const NOW: u64 = 1_795_262_400;
const KEY: KeyTypeId = KeyTypeId(*b"ntfb");

/// Opens the job of case 0 (a 14-day window ending today) and registers the matcher key.
fn setup<T: Config>() -> sp_core::ed25519::Public {
	T::BenchmarkHelper::set_time(NOW);
	let today = Pallet::<T>::today();
	let window = DayWindow { first: today - 13, last: today };
	let pseudonyms: Vec<_> = (window.first..=window.last).map(|d| (d, [d as u8; 32])).collect();
	if !Jobs::<T>::contains_key(0) {
		Pallet::<T>::open(0, window, &pseudonyms).expect("room for one job; qed");
		// The endorsement's block has ended: its withdrawals (nothing to withdraw) are done.
		let _ = Withdrawals::<T>::clear(u32::MAX, None);
	}
	let key = sp_io::crypto::ed25519_generate(KEY, Some(b"//matcher-benchmark".to_vec()));
	T::BenchmarkHelper::register_signer(&key.0);
	key
}

/// A signed result of round 0 with `e` new exposures and `c` registered cells it re-infects.
fn signed_result<T: Config>(e: u32, c: u32) -> (MatchResultOf<T>, [u8; 64]) {
	let key = setup::<T>();
	let today = Pallet::<T>::today();
	let exposures: Vec<Exposure> = (0..e)
		.map(|i| Exposure {
			fingerprint: sp_io::hashing::blake2_128(&i.to_le_bytes()),
			day: today - (i % 14),
			risk: RiskLevel::High,
			probability_ppm: 500_000,
		})
		.collect();
	// The worst case of a cell: a registered location of the longest precision (9 characters:
	// the most region prefixes to move), already Infected by an earlier visit, so the result
	// re-infects it (its filing leaves every prefix's aggregate and a new one is made).
	let cells: Vec<InfectedCell> = (0..c)
		.map(|i| {
			let cell = Geohash::from_bits(0x1234_5678 + i as u64, 9).expect("9 chars; qed");
			T::BenchmarkHelper::register_location(&cell);
			let source = InfectionSource::VisitBeforeEndorsement;
			let _ = T::LocationInfections::infect(&cell, source, today - 1, 1);
			InfectedCell { cell, source, day: today }
		})
		.collect();
	let result = MatchResultOf::<T> {
		case: 0,
		round: 0,
		part: 0,
		parts: 1,
		as_of: 0,
		signer: key.0,
		exposures: BoundedVec::truncate_from(exposures),
		cells: BoundedVec::truncate_from(cells),
	};
	let genesis = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
	let signature = sp_io::crypto::ed25519_sign(
		KEY,
		&key,
		&epichain_primitives::signing::result_payload(genesis.as_ref(), &result),
	)
	.expect("the key is in the keystore; qed")
	.0;
	(result, signature)
}

/// A signed gap of round 0 of case 0 (case 0's job open), over an earlier, smaller gap of the
/// same round already on chain: the worst case reads and replaces it.
fn signed_gap<T: Config>() -> (CoverageGap, [u8; 64]) {
	let key = setup::<T>();
	let today = Pallet::<T>::today();
	let gap = CoverageGap {
		case: 0,
		round: 0,
		as_of: 0,
		signer: key.0,
		batches: 52,
		first_day: today - 13,
		last_day: today,
	};
	CoverageGaps::<T>::insert(0, CoverageGap { batches: 51, ..gap });
	let genesis = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
	let signature = sp_io::crypto::ed25519_sign(
		KEY,
		&key,
		&epichain_primitives::signing::gap_payload(genesis.as_ref(), &gap),
	)
	.expect("the key is in the keystore; qed")
	.0;
	(gap, signature)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn set_risk_params() -> Result<(), BenchmarkError> {
		let origin =
			T::AuthorityOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let params = RiskParams::default();
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, params.clone());
		assert_eq!(Params::<T>::get(), params);
		Ok(())
	}

	/// Dispatch of a result with `e` exposures (each checked against the cases'
	/// pseudonym-days) and `c` precision-9 cells re-infected.
	#[benchmark]
	fn submit_result(
		e: Linear<0, { T::MaxExposuresPerResult::get() }>,
		c: Linear<0, { T::MaxCellsPerResult::get() }>,
	) {
		let (result, signature) = signed_result::<T>(e, c);
		#[extrinsic_call]
		_(RawOrigin::Authorized, result, signature);
		assert_eq!(Jobs::<T>::get(0).map(|j| j.next_round), Some(1));
	}

	/// The pool's validation of a result: checks, hashing and the ed25519 signature.
	#[benchmark]
	fn authorize_submit_result(
		e: Linear<0, { T::MaxExposuresPerResult::get() }>,
		c: Linear<0, { T::MaxCellsPerResult::get() }>,
	) -> Result<(), BenchmarkError> {
		let (result, signature) = signed_result::<T>(e, c);
		let call = Call::<T>::submit_result { result, signature };
		#[block]
		{
			use frame_support::pallet_prelude::{Authorize, TransactionSource};
			call.authorize(TransactionSource::External)
				.ok_or("submit_result is authorized")?
				.map_err(|_| "a valid result passes")?;
		}
		Ok(())
	}

	/// Dispatch of a coverage gap: its checks, replacing the job's earlier gap.
	#[benchmark]
	fn report_gap() {
		let (gap, signature) = signed_gap::<T>();
		#[extrinsic_call]
		_(RawOrigin::Authorized, gap, signature);
		assert_eq!(CoverageGaps::<T>::get(0), Some(gap));
	}

	/// The pool's validation of a coverage gap: checks, hashing and the ed25519 signature.
	#[benchmark]
	fn authorize_report_gap() -> Result<(), BenchmarkError> {
		let (gap, signature) = signed_gap::<T>();
		let call = Call::<T>::report_gap { gap, signature };
		#[block]
		{
			use frame_support::pallet_prelude::{Authorize, TransactionSource};
			call.authorize(TransactionSource::External)
				.ok_or("report_gap is authorized")?
				.map_err(|_| "a valid gap passes")?;
		}
		Ok(())
	}

	/// One pruning step removing one expired notification.
	#[benchmark]
	fn prune_notification() {
		let (result, signature) = signed_result::<T>(2, 0);
		let day = result.exposures[1].day;
		Pallet::<T>::submit_result(RawOrigin::Authorized.into(), result, signature)
			.expect("valid; qed");
		T::BenchmarkHelper::set_time(NOW + 15 * 86_400);
		let budget = T::DbWeight::get().reads(2).saturating_add(
			<T as Config>::WeightInfo::prune_notification()
				.max(<T as Config>::WeightInfo::prune_job()),
		);
		#[block]
		{
			Pallet::<T>::on_idle(BlockNumberFor::<T>::from(2u32), budget);
		}
		assert_eq!(Notifications::<T>::iter_prefix((day,)).count(), 0);
	}

	/// One `on_idle` removing `k` expired notifications of one day: the cost must grow
	/// linearly with `k` and stay within `k` times [`WeightInfo::prune_notification`] (one
	/// iterator per day; a fresh iterator per key would make it quadratic). docs/BENCHMARKS.md
	/// records the measured slope.
	#[benchmark]
	fn prune_notifications(k: Linear<1, 4_000>) {
		T::BenchmarkHelper::set_time(NOW);
		let day = Pallet::<T>::today() - 1;
		let record = NotificationRecord { risk: RiskLevel::Low, probability_ppm: 1_000, round: 0 };
		for i in 0..k {
			let fingerprint = sp_io::hashing::blake2_128(&i.to_le_bytes());
			Notifications::<T>::insert((day, fingerprint, 0), record.clone());
		}
		OldestDay::<T>::put(day);
		T::BenchmarkHelper::set_time(NOW + 15 * 86_400);
		let step = <T as Config>::WeightInfo::prune_notification()
			.max(<T as Config>::WeightInfo::prune_job());
		// Exactly the `k` removals: the day itself is closed by the next block's `on_idle`.
		let budget = T::DbWeight::get().reads(2).saturating_add(step.saturating_mul(k as u64));
		#[block]
		{
			Pallet::<T>::on_idle(BlockNumberFor::<T>::from(2u32), budget);
		}
		assert_eq!(Notifications::<T>::iter_prefix((day,)).count(), 0);
	}

	/// One pruning step removing one expired job.
	#[benchmark]
	fn prune_job() {
		setup::<T>();
		T::BenchmarkHelper::set_time(NOW + 40 * 86_400);
		let budget = T::DbWeight::get().reads(2).saturating_add(
			<T as Config>::WeightInfo::prune_notification()
				.max(<T as Config>::WeightInfo::prune_job()),
		);
		#[block]
		{
			Pallet::<T>::on_idle(BlockNumberFor::<T>::from(2u32), budget);
		}
		assert!(Jobs::<T>::get(0).is_none());
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::bench_ext(), crate::mock::Test);
}

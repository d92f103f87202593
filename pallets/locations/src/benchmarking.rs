//! Benchmarks of `pallet_locations` (frame-benchmarking v2). Every benchmark uses a cell of the
//! longest allowed precision, so the region aggregates touch the most prefixes.

use super::*;
use epichain_primitives::traits::BenchmarkClock;
use frame_benchmarking::v2::*;
use frame_support::traits::{EnsureOrigin, Get, Hooks};
use frame_system::pallet_prelude::BlockNumberFor;

/// 2026-11-21T12:00:00Z.
const NOW: u64 = 1_795_262_400;

fn cell<T: Config>() -> Geohash {
	let cell = Geohash::parse(b"xn76urx66dkp").expect("valid; qed");
	cell.truncate(T::MaxPrecision::get() as usize)
}

/// Infections a benchmark cell gets: enough for a full history and a full list of cases.
fn infections<T: Config>() -> u32 {
	T::MaxHistory::get().max(MAX_ATTRIBUTED_CASES)
}

/// A registered cell with a full history and a full list of named cases (case `i` infected it
/// at `NOW + i`), Infected since a minute ago.
fn infected_cell<T: Config>() -> Geohash {
	T::BenchmarkHelper::set_time(NOW);
	let c = cell::<T>();
	Pallet::<T>::do_register(c, None, SurfaceMaterial::Unknown).expect("fresh cell; qed");
	for i in 0..infections::<T>() {
		T::BenchmarkHelper::set_time(NOW + i as u64);
		let event = Transition::Infected(InfectionSource::VisitBeforeEndorsement);
		Pallet::<T>::apply_at(c, event, NOW + i as u64, Some(i as CaseId))
			.expect("registered; qed");
	}
	T::BenchmarkHelper::set_time(NOW + 60);
	c
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_location() -> Result<(), BenchmarkError> {
		T::BenchmarkHelper::set_time(NOW);
		let origin =
			T::AuthorityOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let c = cell::<T>();
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, c, None, SurfaceMaterial::Plastic);
		assert!(Locations::<T>::contains_key(c));
		Ok(())
	}

	#[benchmark]
	fn mark_cleaned() -> Result<(), BenchmarkError> {
		let c = infected_cell::<T>();
		let origin =
			T::AuthorityOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, c);
		assert!(matches!(Locations::<T>::get(c).map(|l| l.state), Some(CellState::Clean { .. })));
		Ok(())
	}

	/// Re-infection: the old filing is removed and a new one made under every prefix.
	#[benchmark]
	fn mark_infected() -> Result<(), BenchmarkError> {
		let c = infected_cell::<T>();
		let origin =
			T::AuthorityOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, c);
		Ok(())
	}

	/// Removing an Infected cell: its filing leaves every prefix's aggregate.
	#[benchmark]
	fn remove_location() -> Result<(), BenchmarkError> {
		let c = infected_cell::<T>();
		Materials::<T>::insert(c, SurfaceMaterial::Plastic);
		let origin =
			T::AuthorityOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, c);
		assert!(!Locations::<T>::contains_key(c));
		Ok(())
	}

	#[benchmark]
	fn set_operator() -> Result<(), BenchmarkError> {
		let c = infected_cell::<T>();
		let origin =
			T::AuthorityOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, c, None);
		Ok(())
	}

	#[benchmark]
	fn set_material() -> Result<(), BenchmarkError> {
		let c = infected_cell::<T>();
		let origin =
			T::AuthorityOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, c, SurfaceMaterial::Steel);
		assert_eq!(Materials::<T>::get(c), Some(SurfaceMaterial::Steel));
		Ok(())
	}

	/// A venue batch's check-ins at a cell whose infection has just expired (decay + check-in).
	#[benchmark]
	fn check_in() {
		let c = infected_cell::<T>();
		T::BenchmarkHelper::set_time(NOW + T::InfectionWindow::get() + 60);
		let day = ((NOW + T::InfectionWindow::get()) / SECONDS_PER_DAY) as DayIndex;
		#[block]
		{
			<Pallet<T> as epichain_primitives::traits::CheckIns>::on_check_ins(&c, day, 40);
		}
		assert_eq!(Visits::<T>::get(day, c), 40);
	}

	/// One `on_idle` step removing a stale filing.
	#[benchmark]
	fn prune_step() {
		let _ = infected_cell::<T>();
		T::BenchmarkHelper::set_time(NOW + T::InfectionWindow::get() + 2 * SECONDS_PER_DAY);
		let budget =
			T::DbWeight::get().reads(3).saturating_add(<T as Config>::WeightInfo::prune_step());
		#[block]
		{
			Pallet::<T>::on_idle(BlockNumberFor::<T>::from(2u32), budget);
		}
		assert_eq!(Expiring::<T>::iter().count(), 0);
	}

	/// One `on_idle` removing `k` old visit counters of one day: the cost must grow linearly
	/// with `k` and stay within `k` times [`WeightInfo::prune_step`] (one iterator per day; a
	/// fresh iterator per key would make it quadratic). docs/BENCHMARKS.md records the slope.
	#[benchmark]
	fn prune_visits(k: Linear<1, 4_000>) {
		T::BenchmarkHelper::set_time(NOW);
		let day = (NOW / SECONDS_PER_DAY) as DayIndex;
		for i in 0..k {
			let cell = Geohash::from_bits(0x1234_5678 + i as u64, 9).expect("9 chars; qed");
			Visits::<T>::insert(day, cell, 1);
		}
		VisitCursor::<T>::put(day);
		BucketCursor::<T>::put(day + 1_000);
		T::BenchmarkHelper::set_time(
			NOW + (T::VisitRetentionDays::get() as u64 + 1) * SECONDS_PER_DAY,
		);
		let step = <T as Config>::WeightInfo::prune_step();
		// Exactly the `k` removals: the day itself is closed by the next block's `on_idle`.
		let budget = T::DbWeight::get().reads(3).saturating_add(step.saturating_mul(k as u64));
		#[block]
		{
			Pallet::<T>::on_idle(BlockNumberFor::<T>::from(2u32), budget);
		}
		assert_eq!(Visits::<T>::iter_prefix(day).count(), 0);
	}

	/// One `on_idle` step withdrawing a revoked case's infection of a cell, worst case: the
	/// case is the cell's latest, so its filing moves under every prefix; then the step that
	/// closes the case's day.
	#[benchmark]
	fn withdraw_step() {
		let c = infected_cell::<T>();
		let latest = (infections::<T>() - 1) as CaseId;
		let at = NOW + latest;
		let day = ((at + T::InfectionWindow::get()) / SECONDS_PER_DAY) as DayIndex;
		Withdrawing::<T>::insert(latest, (day, day));
		let step = <T as Config>::WeightInfo::withdraw_step();
		let budget = T::DbWeight::get().reads(1).saturating_add(step.saturating_mul(2));
		#[block]
		{
			Pallet::<T>::withdraw_queued(budget);
		}
		assert!(Withdrawing::<T>::get(latest).is_none());
		let info = Locations::<T>::get(c).expect("registered; qed");
		assert!(matches!(info.state, CellState::Infected { since, .. } if since == at - 1));
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::bench_ext(), crate::mock::Test);
}

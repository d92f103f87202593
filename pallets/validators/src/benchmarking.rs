//! Benchmarks: adding to and removing from a set of `v` validators.

use super::*;
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{EnsureOrigin, Get},
	BoundedVec,
};

fn account<T: Config>(i: u32) -> T::AccountId {
	frame_benchmarking::account("validator", i, 0)
}

/// A planned set of `v` validators, each with session keys.
fn planned_set<T: Config>(v: u32) -> Vec<T::AccountId> {
	let set: Vec<T::AccountId> = (0..v).map(account::<T>).collect();
	for who in &set {
		T::BenchmarkHelper::register_keys(who);
	}
	Planned::<T>::put(BoundedVec::truncate_from(set.clone()));
	set
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn add_validator(v: Linear<1, { T::MaxValidators::get() - 1 }>) -> Result<(), BenchmarkError> {
		planned_set::<T>(v);
		let joining = account::<T>(v);
		T::BenchmarkHelper::register_keys(&joining);
		let origin =
			T::AuthorityOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, joining.clone());

		assert!(Planned::<T>::get().is_some_and(|s| s.contains(&joining)));
		Ok(())
	}

	#[benchmark]
	fn remove_validator(
		v: Linear<{ T::MinValidators::get() + 1 }, { T::MaxValidators::get() }>,
	) -> Result<(), BenchmarkError> {
		let set = planned_set::<T>(v);
		// The last one: the whole set is searched.
		let leaving = set[set.len() - 1].clone();
		let origin =
			T::AuthorityOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, leaving.clone());

		assert!(Planned::<T>::get().is_some_and(|s| !s.contains(&leaving)));
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}

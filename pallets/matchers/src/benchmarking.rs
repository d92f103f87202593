//! Benchmarks of `pallet_matchers` (frame-benchmarking v2).

use super::*;

use epichain_primitives::traits::BenchmarkClock;
use frame_benchmarking::v2::*;
use frame_support::traits::{EnsureOrigin, Get, Hooks};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_core::H256;

/// A fixed point in time for benchmarks: 2026-11-21T00:00:00Z.
const NOW: u64 = 1_795_219_200;

/// The serving matcher, or (when none serves) a new one with keys derived from its id, valid
/// from time 0 on; returns its id and its current sealing key id.
pub(crate) fn register_current_matcher<T: Config>() -> (MatcherId, SealingKeyId) {
	// One matcher at a time: the one serving, if any.
	if let Some(&matcher) = Lineup::<T>::get().first() {
		if let Some(info) = Matchers::<T>::get(matcher) {
			if Pallet::<T>::is_active(&info, Pallet::<T>::now()) {
				return (matcher, info.current_key);
			}
		}
	}
	let seed = NextMatcherId::<T>::get();
	let mut signing = [0xAA; 32];
	signing[..4].copy_from_slice(&seed.to_le_bytes());
	let mut sealing = [0x55; 32];
	sealing[..4].copy_from_slice(&seed.to_le_bytes());
	if Pallet::<T>::now() < NOW {
		T::BenchmarkHelper::set_time(NOW);
	}
	let origin = T::AuthorityOrigin::try_successful_origin().expect("authority origin; qed");
	Pallet::<T>::register_matcher(
		origin,
		signing,
		sealing,
		[1; 32],
		H256::repeat_byte(2),
		0,
		u64::MAX,
	)
	.expect("fresh keys; qed");
	let matcher = NextMatcherId::<T>::get() - 1;
	(matcher, Matchers::<T>::get(matcher).expect("just registered; qed").current_key)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_matcher() -> Result<(), BenchmarkError> {
		T::BenchmarkHelper::set_time(NOW);
		let origin =
			T::AuthorityOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, [7; 32], [8; 32], [1; 32], H256::repeat_byte(2), 0, u64::MAX);
		assert!(MatcherBySigner::<T>::contains_key([7; 32]));
		Ok(())
	}

	#[benchmark]
	fn rotate_sealing_key() -> Result<(), BenchmarkError> {
		let (matcher, old) = register_current_matcher::<T>();
		let origin =
			T::AuthorityOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, matcher, [9; 32]);
		assert!(SealingKeys::<T>::get(old).and_then(|k| k.retired_at).is_some());
		Ok(())
	}

	#[benchmark]
	fn renew_attestation() -> Result<(), BenchmarkError> {
		let (matcher, _) = register_current_matcher::<T>();
		let origin =
			T::AuthorityOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, matcher, H256::repeat_byte(3), u64::MAX - 1);
		Ok(())
	}

	#[benchmark]
	fn revoke_matcher() -> Result<(), BenchmarkError> {
		let (matcher, _) = register_current_matcher::<T>();
		let origin =
			T::AuthorityOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, matcher);
		assert!(Matchers::<T>::get(matcher).is_some_and(|m| m.revoked));
		Ok(())
	}

	/// One shredding step of `on_idle`: a key past the retention window leaves state.
	#[benchmark]
	fn shred_sealing_key() {
		let (_, key) = register_current_matcher::<T>();
		T::BenchmarkHelper::set_time(NOW + Pallet::<T>::key_lifetime_secs());
		let step = <T as Config>::WeightInfo::shred_sealing_key();
		let budget = T::DbWeight::get().reads(2).saturating_add(step);
		#[block]
		{
			Pallet::<T>::on_idle(BlockNumberFor::<T>::from(1u32), budget);
		}
		assert!(!SealingKeys::<T>::contains_key(key));
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::bench_ext(), crate::mock::Test);
}

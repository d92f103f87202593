//! Benchmarks of `pallet_csi` (frame-benchmarking v2).

use super::*;
use alloc::vec;
use epichain_primitives::traits::{
	BenchmarkClock as _, BenchmarkLocations as _, BenchmarkSigner as _,
};
use epichain_primitives::{csi::BatchHeader, geohash::Geohash, traits::SealingKeys as _};
use frame_benchmarking::v2::*;
use frame_support::traits::{EnsureOrigin, Get, Hooks};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use sp_core::H256;

/// A fixed point in time for benchmarks: 2026-11-21T12:00:00Z (day 20778).
const NOW: u64 = 1_795_262_400;

/// The largest batch's entry bytes in KiB under the mock and runtime bounds (1,024 entries of 64
/// stays: 688 KiB), the range of `hash_batch`.
const MAX_BATCH_KIB: u32 = 704;

fn region() -> Region {
	b"xn7".to_vec().try_into().expect("3 < 12; qed")
}

/// A batch of `entries` entries of `stays` stays each (random-looking bytes of the sealed
/// lengths: the runtime never opens them), sealed to a current key, dated today.
fn batch<T: Config>(entries: u32, stays: u32, salt: u32) -> CsiBatch {
	T::BenchmarkHelper::set_time(NOW);
	let key_id = T::SealingKeys::benchmark_current_key();
	let mut ephemeral = [0x42; 32];
	ephemeral[..4].copy_from_slice(&salt.to_le_bytes());
	let len = csi::entry_len(stays) as usize;
	CsiBatch {
		header: BatchHeader {
			key_id,
			ephemeral,
			day: Pallet::<T>::today(),
			cell_prefix: Geohash::parse(b"xn76urx").expect("valid; qed"),
		},
		entries: (0..entries)
			.map(|i| (0..len).map(|j| (i as usize * 31 + j) as u8).collect())
			.collect(),
	}
}

/// A signed batch and its whitelisted locator: a venue, whose batches also count check-ins at
/// a registered location (the worst case).
fn signed_batch<T: Config>(
	entries: u32,
	stays: u32,
	salt: u32,
) -> (T::AccountId, CsiBatch, T::LocatorSignature) {
	let batch = batch::<T>(entries, stays, salt);
	T::BenchmarkHelper::register_location(&batch.header.cell_prefix);
	let genesis = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
	let (locator, signature) =
		T::BenchmarkHelper::sign(&batch_signing_payload(genesis.as_ref(), &batch));
	if !Locators::<T>::contains_key(&locator) {
		Locators::<T>::insert(
			&locator,
			LocatorInfo {
				kind: LocatorKind::Venue,
				region: region(),
				metadata_hash: H256::zero(),
				status: LocatorStatus::Active,
			},
		);
		LocatorCount::<T>::mutate(|n| *n += 1);
	}
	(locator, batch, signature)
}

use sp_runtime::traits::Zero;

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_locator() -> Result<(), BenchmarkError> {
		let origin =
			T::AuthorityOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let who: T::AccountId = account("locator", 0, 0);
		#[extrinsic_call]
		_(
			origin as T::RuntimeOrigin,
			who.clone(),
			LocatorKind::TransitGate,
			region(),
			H256::zero(),
		);
		assert!(Locators::<T>::contains_key(&who));
		Ok(())
	}

	#[benchmark]
	fn suspend_locator() -> Result<(), BenchmarkError> {
		let origin =
			T::AuthorityOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let (who, _, _) = signed_batch::<T>(1, 1, 0);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone());
		assert_eq!(Locators::<T>::get(&who).map(|l| l.status), Some(LocatorStatus::Suspended));
		Ok(())
	}

	#[benchmark]
	fn resume_locator() -> Result<(), BenchmarkError> {
		let origin =
			T::AuthorityOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let (who, _, _) = signed_batch::<T>(1, 1, 0);
		Locators::<T>::mutate(&who, |l| {
			if let Some(l) = l {
				l.status = LocatorStatus::Suspended
			}
		});
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone());
		assert_eq!(Locators::<T>::get(&who).map(|l| l.status), Some(LocatorStatus::Active));
		Ok(())
	}

	#[benchmark]
	fn remove_locator() -> Result<(), BenchmarkError> {
		let origin =
			T::AuthorityOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let (who, _, _) = signed_batch::<T>(1, 1, 0);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone());
		assert!(!Locators::<T>::contains_key(&who));
		Ok(())
	}

	/// Dispatch of a batch of `e` one-stay entries (the per-entry cost is the length check).
	#[benchmark]
	fn submit_batch(e: Linear<1, { T::MaxEntriesPerBatch::get() }>) {
		let (who, batch, signature) = signed_batch::<T>(e, 1, 1);
		#[extrinsic_call]
		_(RawOrigin::Authorized, who, batch, signature);
		assert_eq!(Days::<T>::get(Pallet::<T>::today()).map(|d| d.batches), Some(1));
	}

	/// The pool's validation of a batch of `e` one-stay entries: state checks, per-entry
	/// length checks and the signature (over a small batch; hashing is `hash_batch`).
	#[benchmark]
	fn authorize_submit_batch(
		e: Linear<1, { T::MaxEntriesPerBatch::get() }>,
	) -> Result<(), BenchmarkError> {
		let (locator, batch, signature) = signed_batch::<T>(e, 1, 2);
		let call = Call::<T>::submit_batch { locator, batch, signature };
		#[block]
		{
			use frame_support::pallet_prelude::{Authorize, TransactionSource};
			call.authorize(TransactionSource::External)
				.ok_or("submit_batch is authorized")?
				.map_err(|_| "a valid batch passes")?;
		}
		Ok(())
	}

	/// Hashing `k` KiB of entries into the payload the locator signed.
	#[benchmark]
	fn hash_batch(k: Linear<1, { MAX_BATCH_KIB }>) {
		let mut batch = batch::<T>(1, 1, 4);
		batch.entries = vec![vec![0x5a; 1024]; k as usize];
		#[block]
		{
			batch_signing_payload(&[0u8; 32], &batch);
		}
	}

	/// One pruning step that removes one expired batch.
	#[benchmark]
	fn prune_batch() {
		let (who, batch, signature) = signed_batch::<T>(1, 1, 3);
		let day = batch.header.day;
		Pallet::<T>::submit_batch(RawOrigin::Authorized.into(), who, batch, signature)
			.expect("valid; qed");
		T::BenchmarkHelper::set_time(NOW + T::RetentionDays::get() as u64 * 86_400);
		let budget = T::DbWeight::get().reads(1).saturating_add(
			<T as Config>::WeightInfo::prune_batch().max(<T as Config>::WeightInfo::prune_day()),
		);
		#[block]
		{
			Pallet::<T>::on_idle(BlockNumberFor::<T>::from(2u32), budget);
		}
		assert_eq!(Batches::<T>::iter_prefix(day).count(), 0);
	}

	/// One pruning step that closes a fully pruned day.
	#[benchmark]
	fn prune_day() {
		let day = Pallet::<T>::today();
		Days::<T>::insert(day, DayStats { batches: 1, entries: 1, stays: 1, pruned: 1 });
		OldestDay::<T>::put(day);
		T::BenchmarkHelper::set_time(NOW + T::RetentionDays::get() as u64 * 86_400);
		let budget = T::DbWeight::get().reads(1).saturating_add(
			<T as Config>::WeightInfo::prune_batch().max(<T as Config>::WeightInfo::prune_day()),
		);
		#[block]
		{
			Pallet::<T>::on_idle(BlockNumberFor::<T>::from(2u32), budget);
		}
		assert!(Days::<T>::get(day).is_none());
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::bench_ext(), crate::mock::Test);
}

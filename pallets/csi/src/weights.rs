//! Weights for `pallet_csi`.
//!
//! Placeholder figures until `benchmark pallet` writes this file (see docs/BENCHMARKS.md);
//! the `()` implementation is for tests.

#![allow(unused_parens, unused_imports, missing_docs)]

use core::marker::PhantomData;
use frame_support::{
	traits::Get,
	weights::{constants::RocksDbWeight, Weight},
};

/// Weight functions needed for `pallet_csi`.
pub trait WeightInfo {
	fn register_locator() -> Weight;
	fn suspend_locator() -> Weight;
	fn resume_locator() -> Weight;
	fn remove_locator() -> Weight;
	fn submit_batch(e: u32) -> Weight;
	fn authorize_submit_batch(e: u32) -> Weight;
	fn hash_batch(k: u32) -> Weight;
	fn prune_batch() -> Weight;
	fn prune_day() -> Weight;
}

/// Weights measured for the epichain runtime.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn register_locator() -> Weight {
		Weight::from_parts(15_000_000, 3_500).saturating_add(T::DbWeight::get().reads_writes(2, 2))
	}
	fn suspend_locator() -> Weight {
		Weight::from_parts(12_000_000, 3_500).saturating_add(T::DbWeight::get().reads_writes(1, 1))
	}
	fn resume_locator() -> Weight {
		Weight::from_parts(12_000_000, 3_500).saturating_add(T::DbWeight::get().reads_writes(1, 1))
	}
	fn remove_locator() -> Weight {
		Weight::from_parts(12_000_000, 3_500).saturating_add(T::DbWeight::get().reads_writes(2, 3))
	}
	fn submit_batch(e: u32) -> Weight {
		Weight::from_parts(40_000_000, 3_600)
			.saturating_add(Weight::from_parts(20_000, 0).saturating_mul(e.into()))
			.saturating_add(T::DbWeight::get().reads_writes(8, 5))
	}
	fn authorize_submit_batch(e: u32) -> Weight {
		Weight::from_parts(60_000_000, 3_600)
			.saturating_add(Weight::from_parts(50_000, 0).saturating_mul(e.into()))
			.saturating_add(T::DbWeight::get().reads(8))
	}
	fn hash_batch(k: u32) -> Weight {
		Weight::from_parts(1_000_000, 0)
			.saturating_add(Weight::from_parts(5_000_000, 0).saturating_mul(k.into()))
	}
	fn prune_batch() -> Weight {
		Weight::from_parts(10_000_000, 3_600).saturating_add(T::DbWeight::get().reads_writes(2, 3))
	}
	fn prune_day() -> Weight {
		Weight::from_parts(8_000_000, 3_600).saturating_add(T::DbWeight::get().reads_writes(1, 2))
	}
}

impl WeightInfo for () {
	fn register_locator() -> Weight {
		Weight::from_parts(15_000_000, 3_500)
			.saturating_add(RocksDbWeight::get().reads_writes(2, 2))
	}
	fn suspend_locator() -> Weight {
		Weight::from_parts(12_000_000, 3_500)
			.saturating_add(RocksDbWeight::get().reads_writes(1, 1))
	}
	fn resume_locator() -> Weight {
		Weight::from_parts(12_000_000, 3_500)
			.saturating_add(RocksDbWeight::get().reads_writes(1, 1))
	}
	fn remove_locator() -> Weight {
		Weight::from_parts(12_000_000, 3_500)
			.saturating_add(RocksDbWeight::get().reads_writes(2, 3))
	}
	fn submit_batch(e: u32) -> Weight {
		Weight::from_parts(40_000_000, 3_600)
			.saturating_add(Weight::from_parts(20_000, 0).saturating_mul(e.into()))
			.saturating_add(RocksDbWeight::get().reads_writes(8, 5))
	}
	fn authorize_submit_batch(e: u32) -> Weight {
		Weight::from_parts(60_000_000, 3_600)
			.saturating_add(Weight::from_parts(50_000, 0).saturating_mul(e.into()))
			.saturating_add(RocksDbWeight::get().reads(8))
	}
	fn hash_batch(k: u32) -> Weight {
		Weight::from_parts(1_000_000, 0)
			.saturating_add(Weight::from_parts(5_000_000, 0).saturating_mul(k.into()))
	}
	fn prune_batch() -> Weight {
		Weight::from_parts(10_000_000, 3_600)
			.saturating_add(RocksDbWeight::get().reads_writes(2, 3))
	}
	fn prune_day() -> Weight {
		Weight::from_parts(8_000_000, 3_600).saturating_add(RocksDbWeight::get().reads_writes(1, 2))
	}
}

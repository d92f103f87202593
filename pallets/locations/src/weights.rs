//! Weights for `pallet_locations`.
//!
//! Placeholder figures until `benchmark pallet` writes this file (see docs/BENCHMARKS.md).

#![allow(unused_parens, unused_imports, missing_docs)]

use core::marker::PhantomData;
use frame_support::{
	traits::Get,
	weights::{constants::ParityDbWeight, Weight},
};

/// Weight functions of `pallet_locations`.
pub trait WeightInfo {
	fn register_location() -> Weight;
	fn mark_cleaned() -> Weight;
	fn mark_infected() -> Weight;
	fn check_in() -> Weight;
	fn prune_step() -> Weight;
}

/// Weights for `pallet_locations` using the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn register_location() -> Weight {
		Weight::from_parts(60_000_000, 4_000).saturating_add(T::DbWeight::get().reads_writes(4, 4))
	}
	fn mark_cleaned() -> Weight {
		Weight::from_parts(150_000_000, 4_000)
			.saturating_add(T::DbWeight::get().reads_writes(16, 16))
	}
	fn mark_infected() -> Weight {
		Weight::from_parts(200_000_000, 4_000)
			.saturating_add(T::DbWeight::get().reads_writes(26, 26))
	}
	fn check_in() -> Weight {
		Weight::from_parts(100_000_000, 4_000).saturating_add(T::DbWeight::get().reads_writes(6, 5))
	}
	fn prune_step() -> Weight {
		Weight::from_parts(30_000_000, 4_000).saturating_add(T::DbWeight::get().reads_writes(2, 2))
	}
}

impl WeightInfo for () {
	fn register_location() -> Weight {
		Weight::from_parts(60_000_000, 4_000)
			.saturating_add(ParityDbWeight::get().reads_writes(4, 4))
	}
	fn mark_cleaned() -> Weight {
		Weight::from_parts(150_000_000, 4_000)
			.saturating_add(ParityDbWeight::get().reads_writes(16, 16))
	}
	fn mark_infected() -> Weight {
		Weight::from_parts(200_000_000, 4_000)
			.saturating_add(ParityDbWeight::get().reads_writes(26, 26))
	}
	fn check_in() -> Weight {
		Weight::from_parts(100_000_000, 4_000)
			.saturating_add(ParityDbWeight::get().reads_writes(6, 5))
	}
	fn prune_step() -> Weight {
		Weight::from_parts(30_000_000, 4_000)
			.saturating_add(ParityDbWeight::get().reads_writes(2, 2))
	}
}

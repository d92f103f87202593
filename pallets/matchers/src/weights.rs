//! Weights for `pallet_matchers`.
//!
//! Placeholder figures until `benchmark pallet` writes this file (see docs/BENCHMARKS.md);
//! the `()` implementation is for tests.

#![allow(unused_parens, unused_imports, missing_docs)]

use core::marker::PhantomData;
use frame_support::{
	traits::Get,
	weights::{constants::RocksDbWeight, Weight},
};

/// Weight functions needed for `pallet_matchers`.
pub trait WeightInfo {
	fn register_matcher() -> Weight;
	fn rotate_sealing_key() -> Weight;
	fn renew_attestation() -> Weight;
	fn revoke_matcher() -> Weight;
	fn shred_sealing_key() -> Weight;
}

/// Weights measured for the epichain runtime.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn register_matcher() -> Weight {
		Weight::from_parts(20_000_000, 1_600).saturating_add(T::DbWeight::get().reads_writes(3, 5))
	}
	fn rotate_sealing_key() -> Weight {
		Weight::from_parts(20_000_000, 3_600).saturating_add(T::DbWeight::get().reads_writes(3, 4))
	}
	fn renew_attestation() -> Weight {
		Weight::from_parts(15_000_000, 3_600).saturating_add(T::DbWeight::get().reads_writes(1, 1))
	}
	fn revoke_matcher() -> Weight {
		Weight::from_parts(15_000_000, 3_600).saturating_add(T::DbWeight::get().reads_writes(1, 1))
	}
	fn shred_sealing_key() -> Weight {
		Weight::from_parts(10_000_000, 3_600).saturating_add(T::DbWeight::get().reads_writes(1, 2))
	}
}

impl WeightInfo for () {
	fn register_matcher() -> Weight {
		Weight::from_parts(20_000_000, 1_600)
			.saturating_add(RocksDbWeight::get().reads_writes(3, 5))
	}
	fn rotate_sealing_key() -> Weight {
		Weight::from_parts(20_000_000, 3_600)
			.saturating_add(RocksDbWeight::get().reads_writes(3, 4))
	}
	fn renew_attestation() -> Weight {
		Weight::from_parts(15_000_000, 3_600)
			.saturating_add(RocksDbWeight::get().reads_writes(1, 1))
	}
	fn revoke_matcher() -> Weight {
		Weight::from_parts(15_000_000, 3_600)
			.saturating_add(RocksDbWeight::get().reads_writes(1, 1))
	}
	fn shred_sealing_key() -> Weight {
		Weight::from_parts(10_000_000, 3_600)
			.saturating_add(RocksDbWeight::get().reads_writes(1, 2))
	}
}

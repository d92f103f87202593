// This file is part of epichain. Licensed under Apache-2.0.

//! Provisional weights for `pallet_notifications`, to be replaced by `scripts/benchmarks/run.sh`.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use frame_support::{traits::Get, weights::{Weight, constants::ParityDbWeight}};
use core::marker::PhantomData;

/// Weight functions of `pallet_notifications`.
pub trait WeightInfo {
	fn set_risk_params() -> Weight;
	fn submit_result(e: u32, c: u32, ) -> Weight;
	fn authorize_submit_result(e: u32, c: u32, ) -> Weight;
	fn prune_notification() -> Weight;
	fn prune_job() -> Weight;
}

/// Weights for `pallet_notifications` using the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn set_risk_params() -> Weight {
		Weight::from_parts(20_000_000, 4000)
			.saturating_add(T::DbWeight::get().reads(0_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn submit_result(e: u32, c: u32, ) -> Weight {
		Weight::from_parts(60_000_000, 4000)
			.saturating_add(Weight::from_parts(100_000_000, 0).saturating_mul(e.into()))
			.saturating_add(Weight::from_parts(100_000_000, 0).saturating_mul(c.into()))
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	fn authorize_submit_result(e: u32, c: u32, ) -> Weight {
		Weight::from_parts(120_000_000, 4000)
			.saturating_add(Weight::from_parts(100_000_000, 0).saturating_mul(e.into()))
			.saturating_add(Weight::from_parts(100_000_000, 0).saturating_mul(c.into()))
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(0_u64))
	}
	fn prune_notification() -> Weight {
		Weight::from_parts(40_000_000, 4000)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	fn prune_job() -> Weight {
		Weight::from_parts(40_000_000, 4000)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
}

// For tests: the same figures with ParityDB weights.
impl WeightInfo for () {
	fn set_risk_params() -> Weight {
		Weight::from_parts(20_000_000, 4000)
			.saturating_add(ParityDbWeight::get().reads(0_u64))
			.saturating_add(ParityDbWeight::get().writes(1_u64))
	}
	fn submit_result(e: u32, c: u32, ) -> Weight {
		Weight::from_parts(60_000_000, 4000)
			.saturating_add(Weight::from_parts(100_000_000, 0).saturating_mul(e.into()))
			.saturating_add(Weight::from_parts(100_000_000, 0).saturating_mul(c.into()))
			.saturating_add(ParityDbWeight::get().reads(4_u64))
			.saturating_add(ParityDbWeight::get().writes(3_u64))
	}
	fn authorize_submit_result(e: u32, c: u32, ) -> Weight {
		Weight::from_parts(120_000_000, 4000)
			.saturating_add(Weight::from_parts(100_000_000, 0).saturating_mul(e.into()))
			.saturating_add(Weight::from_parts(100_000_000, 0).saturating_mul(c.into()))
			.saturating_add(ParityDbWeight::get().reads(3_u64))
			.saturating_add(ParityDbWeight::get().writes(0_u64))
	}
	fn prune_notification() -> Weight {
		Weight::from_parts(40_000_000, 4000)
			.saturating_add(ParityDbWeight::get().reads(2_u64))
			.saturating_add(ParityDbWeight::get().writes(2_u64))
	}
	fn prune_job() -> Weight {
		Weight::from_parts(40_000_000, 4000)
			.saturating_add(ParityDbWeight::get().reads(2_u64))
			.saturating_add(ParityDbWeight::get().writes(2_u64))
	}
}

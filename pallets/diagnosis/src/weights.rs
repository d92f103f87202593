// This file is part of epichain. Licensed under Apache-2.0.

//! Provisional weights for `pallet_diagnosis`, to be replaced by `scripts/benchmarks/run.sh`.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use frame_support::{traits::Get, weights::{Weight, constants::ParityDbWeight}};
use core::marker::PhantomData;

/// Weight functions of `pallet_diagnosis`.
pub trait WeightInfo {
	fn register_diagnostician() -> Weight;
	fn suspend_diagnostician() -> Weight;
	fn resume_diagnostician() -> Weight;
	fn remove_diagnostician() -> Weight;
	fn endorse_case(p: u32, r: u32, ) -> Weight;
	fn authorize_endorse_case(p: u32, r: u32, ) -> Weight;
	fn authorize_revoke_endorsement() -> Weight;
	fn revoke_endorsement(p: u32, ) -> Weight;
	fn force_revoke(p: u32, ) -> Weight;
	fn prune_case(p: u32, r: u32, ) -> Weight;
}

/// Weights for `pallet_diagnosis` using the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn register_diagnostician() -> Weight {
		Weight::from_parts(20_000_000, 4000)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	fn suspend_diagnostician() -> Weight {
		Weight::from_parts(15_000_000, 4000)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn resume_diagnostician() -> Weight {
		Weight::from_parts(15_000_000, 4000)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn remove_diagnostician() -> Weight {
		Weight::from_parts(20_000_000, 4000)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	fn endorse_case(p: u32, r: u32, ) -> Weight {
		Weight::from_parts(60_000_000, 4000)
			.saturating_add(Weight::from_parts(60000000, 0).saturating_mul(p.into()))
			.saturating_add(Weight::from_parts(60000000, 0).saturating_mul(r.into()))
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().writes(8_u64))
	}
	fn authorize_endorse_case(p: u32, r: u32, ) -> Weight {
		Weight::from_parts(120_000_000, 4000)
			.saturating_add(Weight::from_parts(60000000, 0).saturating_mul(p.into()))
			.saturating_add(Weight::from_parts(60000000, 0).saturating_mul(r.into()))
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().writes(0_u64))
	}
	fn authorize_revoke_endorsement() -> Weight {
		Weight::from_parts(90_000_000, 4000)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(0_u64))
	}
	fn revoke_endorsement(p: u32, ) -> Weight {
		Weight::from_parts(40_000_000, 4000)
			.saturating_add(Weight::from_parts(60000000, 0).saturating_mul(p.into()))
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	fn force_revoke(p: u32, ) -> Weight {
		Weight::from_parts(35_000_000, 4000)
			.saturating_add(Weight::from_parts(60000000, 0).saturating_mul(p.into()))
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	fn prune_case(p: u32, r: u32, ) -> Weight {
		Weight::from_parts(40_000_000, 4000)
			.saturating_add(Weight::from_parts(60000000, 0).saturating_mul(p.into()))
			.saturating_add(Weight::from_parts(60000000, 0).saturating_mul(r.into()))
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
}

// For tests: the same figures with ParityDB weights.
impl WeightInfo for () {
	fn register_diagnostician() -> Weight {
		Weight::from_parts(20_000_000, 4000)
			.saturating_add(ParityDbWeight::get().reads(1_u64))
			.saturating_add(ParityDbWeight::get().writes(2_u64))
	}
	fn suspend_diagnostician() -> Weight {
		Weight::from_parts(15_000_000, 4000)
			.saturating_add(ParityDbWeight::get().reads(1_u64))
			.saturating_add(ParityDbWeight::get().writes(1_u64))
	}
	fn resume_diagnostician() -> Weight {
		Weight::from_parts(15_000_000, 4000)
			.saturating_add(ParityDbWeight::get().reads(1_u64))
			.saturating_add(ParityDbWeight::get().writes(1_u64))
	}
	fn remove_diagnostician() -> Weight {
		Weight::from_parts(20_000_000, 4000)
			.saturating_add(ParityDbWeight::get().reads(1_u64))
			.saturating_add(ParityDbWeight::get().writes(3_u64))
	}
	fn endorse_case(p: u32, r: u32, ) -> Weight {
		Weight::from_parts(60_000_000, 4000)
			.saturating_add(Weight::from_parts(60000000, 0).saturating_mul(p.into()))
			.saturating_add(Weight::from_parts(60000000, 0).saturating_mul(r.into()))
			.saturating_add(ParityDbWeight::get().reads(6_u64))
			.saturating_add(ParityDbWeight::get().writes(8_u64))
	}
	fn authorize_endorse_case(p: u32, r: u32, ) -> Weight {
		Weight::from_parts(120_000_000, 4000)
			.saturating_add(Weight::from_parts(60000000, 0).saturating_mul(p.into()))
			.saturating_add(Weight::from_parts(60000000, 0).saturating_mul(r.into()))
			.saturating_add(ParityDbWeight::get().reads(6_u64))
			.saturating_add(ParityDbWeight::get().writes(0_u64))
	}
	fn authorize_revoke_endorsement() -> Weight {
		Weight::from_parts(90_000_000, 4000)
			.saturating_add(ParityDbWeight::get().reads(2_u64))
			.saturating_add(ParityDbWeight::get().writes(0_u64))
	}
	fn revoke_endorsement(p: u32, ) -> Weight {
		Weight::from_parts(40_000_000, 4000)
			.saturating_add(Weight::from_parts(60000000, 0).saturating_mul(p.into()))
			.saturating_add(ParityDbWeight::get().reads(2_u64))
			.saturating_add(ParityDbWeight::get().writes(3_u64))
	}
	fn force_revoke(p: u32, ) -> Weight {
		Weight::from_parts(35_000_000, 4000)
			.saturating_add(Weight::from_parts(60000000, 0).saturating_mul(p.into()))
			.saturating_add(ParityDbWeight::get().reads(1_u64))
			.saturating_add(ParityDbWeight::get().writes(3_u64))
	}
	fn prune_case(p: u32, r: u32, ) -> Weight {
		Weight::from_parts(40_000_000, 4000)
			.saturating_add(Weight::from_parts(60000000, 0).saturating_mul(p.into()))
			.saturating_add(Weight::from_parts(60000000, 0).saturating_mul(r.into()))
			.saturating_add(ParityDbWeight::get().reads(2_u64))
			.saturating_add(ParityDbWeight::get().writes(4_u64))
	}
}

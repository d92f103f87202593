// This file is part of epichain. Licensed under Apache-2.0.

//! Weights for `pallet_locations`, measured by `benchmark pallet` (frame-benchmarking-cli 64.0.0).
//!
//! DATE: 2026-12-02, STEPS: `10`, REPEAT: `5`
//! HOSTNAME: `vm`, CPU: `AMD EPYC`
//! WASM-EXECUTION: `Compiled`, CHAIN: `None`, DB CACHE: 1024
//!
//! Regenerate with `scripts/benchmarks/run.sh` (see docs/BENCHMARKS.md).

// Executed command:
// /root/.cache/epichain/target/release/epichain-node
// benchmark
// pallet
// --runtime
// /root/.cache/epichain/target/release/wbuild/epichain-runtime/epichain_runtime.compact.compressed.wasm
// --genesis-builder=runtime
// --genesis-builder-preset=development
// --pallet
// pallet_locations
// --extrinsic
// *
// --wasm-execution
// compiled
// --steps
// 10
// --repeat
// 5
// --heap-pages
// 4096
// --template
// scripts/benchmarks/weight-template.hbs
// --header
// scripts/benchmarks/header.txt
// --output
// pallets/locations/src/weights.rs

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use frame_support::{traits::Get, weights::{Weight, constants::ParityDbWeight}};
use core::marker::PhantomData;

/// Weight functions of `pallet_locations`.
pub trait WeightInfo {
	fn register_location() -> Weight;
	fn mark_cleaned() -> Weight;
	fn mark_infected() -> Weight;
	fn remove_location() -> Weight;
	fn set_operator() -> Weight;
	fn set_material() -> Weight;
	fn check_in() -> Weight;
	fn prune_step() -> Weight;
	fn prune_visits(k: u32, ) -> Weight;
	fn withdraw_step() -> Weight;
}

/// Weights for `pallet_locations` using the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: `Locations::Locations` (r:1 w:1)
	/// Proof: `Locations::Locations` (`max_values`: None, `max_size`: Some(356), added: 2831, mode: `MaxEncodedLen`)
	/// Storage: `Locations::LocationCount` (r:1 w:1)
	/// Proof: `Locations::LocationCount` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `Locations::History` (r:1 w:1)
	/// Proof: `Locations::History` (`max_values`: None, `max_size`: Some(350), added: 2825, mode: `MaxEncodedLen`)
	/// Storage: `Locations::Materials` (r:0 w:1)
	/// Proof: `Locations::Materials` (`max_values`: None, `max_size`: Some(30), added: 2505, mode: `MaxEncodedLen`)
	fn register_location() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `79`
		//  Estimated: `3821`
		// Minimum execution time: 19_489_000 picoseconds.
		Weight::from_parts(24_337_000, 3821)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	/// Storage: `Locations::Locations` (r:1 w:1)
	/// Proof: `Locations::Locations` (`max_values`: None, `max_size`: Some(356), added: 2831, mode: `MaxEncodedLen`)
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `Locations::Expiring` (r:1 w:1)
	/// Proof: `Locations::Expiring` (`max_values`: None, `max_size`: Some(49), added: 2524, mode: `MaxEncodedLen`)
	/// Storage: `Locations::InfectedByExpiry` (r:10 w:10)
	/// Proof: `Locations::InfectedByExpiry` (`max_values`: None, `max_size`: Some(45), added: 2520, mode: `MaxEncodedLen`)
	/// Storage: `Locations::History` (r:1 w:1)
	/// Proof: `Locations::History` (`max_values`: None, `max_size`: Some(350), added: 2825, mode: `MaxEncodedLen`)
	fn mark_cleaned() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `1270`
		//  Estimated: `26190`
		// Minimum execution time: 80_499_000 picoseconds.
		Weight::from_parts(119_968_000, 26190)
			.saturating_add(T::DbWeight::get().reads(14_u64))
			.saturating_add(T::DbWeight::get().writes(13_u64))
	}
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `Locations::Locations` (r:1 w:1)
	/// Proof: `Locations::Locations` (`max_values`: None, `max_size`: Some(356), added: 2831, mode: `MaxEncodedLen`)
	/// Storage: `Locations::Expiring` (r:1 w:1)
	/// Proof: `Locations::Expiring` (`max_values`: None, `max_size`: Some(49), added: 2524, mode: `MaxEncodedLen`)
	/// Storage: `Locations::InfectedByExpiry` (r:10 w:10)
	/// Proof: `Locations::InfectedByExpiry` (`max_values`: None, `max_size`: Some(45), added: 2520, mode: `MaxEncodedLen`)
	/// Storage: `Locations::BucketCursor` (r:1 w:0)
	/// Proof: `Locations::BucketCursor` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Locations::History` (r:1 w:1)
	/// Proof: `Locations::History` (`max_values`: None, `max_size`: Some(350), added: 2825, mode: `MaxEncodedLen`)
	fn mark_infected() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `1270`
		//  Estimated: `26190`
		// Minimum execution time: 107_599_000 picoseconds.
		Weight::from_parts(153_778_000, 26190)
			.saturating_add(T::DbWeight::get().reads(15_u64))
			.saturating_add(T::DbWeight::get().writes(13_u64))
	}
	/// Storage: `Locations::Locations` (r:1 w:1)
	/// Proof: `Locations::Locations` (`max_values`: None, `max_size`: Some(356), added: 2831, mode: `MaxEncodedLen`)
	/// Storage: `Locations::Expiring` (r:1 w:1)
	/// Proof: `Locations::Expiring` (`max_values`: None, `max_size`: Some(49), added: 2524, mode: `MaxEncodedLen`)
	/// Storage: `Locations::InfectedByExpiry` (r:10 w:10)
	/// Proof: `Locations::InfectedByExpiry` (`max_values`: None, `max_size`: Some(45), added: 2520, mode: `MaxEncodedLen`)
	/// Storage: `Locations::LocationCount` (r:1 w:1)
	/// Proof: `Locations::LocationCount` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Locations::Materials` (r:0 w:1)
	/// Proof: `Locations::Materials` (`max_values`: None, `max_size`: Some(30), added: 2505, mode: `MaxEncodedLen`)
	/// Storage: `Locations::History` (r:0 w:1)
	/// Proof: `Locations::History` (`max_values`: None, `max_size`: Some(350), added: 2825, mode: `MaxEncodedLen`)
	fn remove_location() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `925`
		//  Estimated: `26190`
		// Minimum execution time: 73_138_000 picoseconds.
		Weight::from_parts(99_438_000, 26190)
			.saturating_add(T::DbWeight::get().reads(13_u64))
			.saturating_add(T::DbWeight::get().writes(15_u64))
	}
	/// Storage: `Locations::Locations` (r:1 w:1)
	/// Proof: `Locations::Locations` (`max_values`: None, `max_size`: Some(356), added: 2831, mode: `MaxEncodedLen`)
	fn set_operator() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `561`
		//  Estimated: `3821`
		// Minimum execution time: 16_855_000 picoseconds.
		Weight::from_parts(24_937_000, 3821)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// Storage: `Locations::Locations` (r:1 w:1)
	/// Proof: `Locations::Locations` (`max_values`: None, `max_size`: Some(356), added: 2831, mode: `MaxEncodedLen`)
	/// Storage: `Locations::Materials` (r:0 w:1)
	/// Proof: `Locations::Materials` (`max_values`: None, `max_size`: Some(30), added: 2505, mode: `MaxEncodedLen`)
	fn set_material() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `561`
		//  Estimated: `3821`
		// Minimum execution time: 20_020_000 picoseconds.
		Weight::from_parts(41_171_000, 3821)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `Locations::Locations` (r:1 w:1)
	/// Proof: `Locations::Locations` (`max_values`: None, `max_size`: Some(356), added: 2831, mode: `MaxEncodedLen`)
	/// Storage: `Locations::Expiring` (r:1 w:1)
	/// Proof: `Locations::Expiring` (`max_values`: None, `max_size`: Some(49), added: 2524, mode: `MaxEncodedLen`)
	/// Storage: `Locations::InfectedByExpiry` (r:10 w:10)
	/// Proof: `Locations::InfectedByExpiry` (`max_values`: None, `max_size`: Some(45), added: 2520, mode: `MaxEncodedLen`)
	/// Storage: `Locations::History` (r:1 w:1)
	/// Proof: `Locations::History` (`max_values`: None, `max_size`: Some(350), added: 2825, mode: `MaxEncodedLen`)
	/// Storage: `Locations::Visits` (r:1 w:1)
	/// Proof: `Locations::Visits` (`max_values`: None, `max_size`: Some(45), added: 2520, mode: `MaxEncodedLen`)
	/// Storage: `Locations::VisitCursor` (r:1 w:1)
	/// Proof: `Locations::VisitCursor` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	fn check_in() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `1270`
		//  Estimated: `26190`
		// Minimum execution time: 80_058_000 picoseconds.
		Weight::from_parts(122_442_000, 26190)
			.saturating_add(T::DbWeight::get().reads(16_u64))
			.saturating_add(T::DbWeight::get().writes(15_u64))
	}
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `Locations::BucketCursor` (r:1 w:0)
	/// Proof: `Locations::BucketCursor` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Locations::Expiring` (r:1 w:1)
	/// Proof: `Locations::Expiring` (`max_values`: None, `max_size`: Some(49), added: 2524, mode: `MaxEncodedLen`)
	fn prune_step() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `333`
		//  Estimated: `3514`
		// Minimum execution time: 20_690_000 picoseconds.
		Weight::from_parts(40_189_000, 3514)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// Storage: `Locations::Withdrawing` (r:1 w:0)
	/// Proof: `Locations::Withdrawing` (`max_values`: None, `max_size`: Some(24), added: 2499, mode: `MaxEncodedLen`)
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `Locations::BucketCursor` (r:1 w:0)
	/// Proof: `Locations::BucketCursor` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Locations::VisitCursor` (r:1 w:0)
	/// Proof: `Locations::VisitCursor` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Locations::Visits` (r:4000 w:4000)
	/// Proof: `Locations::Visits` (`max_values`: None, `max_size`: Some(45), added: 2520, mode: `MaxEncodedLen`)
	/// The range of component `k` is `[1, 4000]`.
	fn prune_visits(k: u32, ) -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `503 + k * (37 ±0)`
		//  Estimated: `3489 + k * (2520 ±0)`
		// Minimum execution time: 17_706_000 picoseconds.
		Weight::from_parts(26_299_000, 3489)
			// Standard Error: 40_381
			.saturating_add(Weight::from_parts(5_579_781, 0).saturating_mul(k.into()))
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(k.into())))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(k.into())))
			.saturating_add(Weight::from_parts(0, 2520).saturating_mul(k.into()))
	}
	/// Storage: `Locations::Withdrawing` (r:2 w:1)
	/// Proof: `Locations::Withdrawing` (`max_values`: None, `max_size`: Some(24), added: 2499, mode: `MaxEncodedLen`)
	/// Storage: `Locations::CaseCells` (r:2 w:1)
	/// Proof: `Locations::CaseCells` (`max_values`: None, `max_size`: Some(57), added: 2532, mode: `MaxEncodedLen`)
	/// Storage: `Locations::Locations` (r:1 w:1)
	/// Proof: `Locations::Locations` (`max_values`: None, `max_size`: Some(356), added: 2831, mode: `MaxEncodedLen`)
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `Locations::Expiring` (r:1 w:1)
	/// Proof: `Locations::Expiring` (`max_values`: None, `max_size`: Some(49), added: 2524, mode: `MaxEncodedLen`)
	/// Storage: `Locations::InfectedByExpiry` (r:10 w:10)
	/// Proof: `Locations::InfectedByExpiry` (`max_values`: None, `max_size`: Some(45), added: 2520, mode: `MaxEncodedLen`)
	/// Storage: `Locations::BucketCursor` (r:1 w:0)
	/// Proof: `Locations::BucketCursor` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Locations::History` (r:1 w:1)
	/// Proof: `Locations::History` (`max_values`: None, `max_size`: Some(350), added: 2825, mode: `MaxEncodedLen`)
	fn withdraw_step() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `1919`
		//  Estimated: `26190`
		// Minimum execution time: 127_830_000 picoseconds.
		Weight::from_parts(210_612_000, 26190)
			.saturating_add(T::DbWeight::get().reads(19_u64))
			.saturating_add(T::DbWeight::get().writes(15_u64))
	}
}

/// The same figures with ParityDB's database weights, for tests and mocks.
impl WeightInfo for () {
	fn register_location() -> Weight {
		Weight::from_parts(24_337_000, 3821)
			.saturating_add(ParityDbWeight::get().reads(4_u64))
			.saturating_add(ParityDbWeight::get().writes(4_u64))
	}
	fn mark_cleaned() -> Weight {
		Weight::from_parts(119_968_000, 26190)
			.saturating_add(ParityDbWeight::get().reads(14_u64))
			.saturating_add(ParityDbWeight::get().writes(13_u64))
	}
	fn mark_infected() -> Weight {
		Weight::from_parts(153_778_000, 26190)
			.saturating_add(ParityDbWeight::get().reads(15_u64))
			.saturating_add(ParityDbWeight::get().writes(13_u64))
	}
	fn remove_location() -> Weight {
		Weight::from_parts(99_438_000, 26190)
			.saturating_add(ParityDbWeight::get().reads(13_u64))
			.saturating_add(ParityDbWeight::get().writes(15_u64))
	}
	fn set_operator() -> Weight {
		Weight::from_parts(24_937_000, 3821)
			.saturating_add(ParityDbWeight::get().reads(1_u64))
			.saturating_add(ParityDbWeight::get().writes(1_u64))
	}
	fn set_material() -> Weight {
		Weight::from_parts(41_171_000, 3821)
			.saturating_add(ParityDbWeight::get().reads(1_u64))
			.saturating_add(ParityDbWeight::get().writes(2_u64))
	}
	fn check_in() -> Weight {
		Weight::from_parts(122_442_000, 26190)
			.saturating_add(ParityDbWeight::get().reads(16_u64))
			.saturating_add(ParityDbWeight::get().writes(15_u64))
	}
	fn prune_step() -> Weight {
		Weight::from_parts(40_189_000, 3514)
			.saturating_add(ParityDbWeight::get().reads(3_u64))
			.saturating_add(ParityDbWeight::get().writes(1_u64))
	}
	fn prune_visits(k: u32, ) -> Weight {
		Weight::from_parts(26_299_000, 3489)
			.saturating_add(Weight::from_parts(5_579_781, 0).saturating_mul(k.into()))
			.saturating_add(ParityDbWeight::get().reads(4_u64))
			.saturating_add(ParityDbWeight::get().reads((1_u64).saturating_mul(k.into())))
			.saturating_add(ParityDbWeight::get().writes((1_u64).saturating_mul(k.into())))
			.saturating_add(Weight::from_parts(0, 2520).saturating_mul(k.into()))
	}
	fn withdraw_step() -> Weight {
		Weight::from_parts(210_612_000, 26190)
			.saturating_add(ParityDbWeight::get().reads(19_u64))
			.saturating_add(ParityDbWeight::get().writes(15_u64))
	}
}

// This file is part of epichain. Licensed under Apache-2.0.

//! Weights for `pallet_locations`, measured by `benchmark pallet` (frame-benchmarking-cli 64.0.0).
//!
//! DATE: 2026-11-21, STEPS: `25`, REPEAT: `10`
//! HOSTNAME: `vm`, CPU: `Intel(R) Xeon(R) Processor`
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
// 25
// --repeat
// 10
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
	fn check_in() -> Weight;
	fn prune_step() -> Weight;
}

/// Weights for `pallet_locations` using the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: `Locations::Locations` (r:1 w:1)
	/// Proof: `Locations::Locations` (`max_values`: None, `max_size`: Some(75), added: 2550, mode: `MaxEncodedLen`)
	/// Storage: `Locations::LocationCount` (r:1 w:1)
	/// Proof: `Locations::LocationCount` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `Locations::History` (r:1 w:1)
	/// Proof: `Locations::History` (`max_values`: None, `max_size`: Some(350), added: 2825, mode: `MaxEncodedLen`)
	fn register_location() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `43`
		//  Estimated: `3815`
		// Minimum execution time: 27_179_000 picoseconds.
		Weight::from_parts(40_228_000, 3815)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	/// Storage: `Locations::Locations` (r:1 w:1)
	/// Proof: `Locations::Locations` (`max_values`: None, `max_size`: Some(75), added: 2550, mode: `MaxEncodedLen`)
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
		//  Measured:  `928`
		//  Estimated: `26190`
		// Minimum execution time: 103_619_000 picoseconds.
		Weight::from_parts(133_002_000, 26190)
			.saturating_add(T::DbWeight::get().reads(14_u64))
			.saturating_add(T::DbWeight::get().writes(13_u64))
	}
	/// Storage: `Locations::Locations` (r:1 w:1)
	/// Proof: `Locations::Locations` (`max_values`: None, `max_size`: Some(75), added: 2550, mode: `MaxEncodedLen`)
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
	fn mark_infected() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `928`
		//  Estimated: `26190`
		// Minimum execution time: 130_327_000 picoseconds.
		Weight::from_parts(149_510_000, 26190)
			.saturating_add(T::DbWeight::get().reads(15_u64))
			.saturating_add(T::DbWeight::get().writes(13_u64))
	}
	/// Storage: `Locations::Locations` (r:1 w:1)
	/// Proof: `Locations::Locations` (`max_values`: None, `max_size`: Some(75), added: 2550, mode: `MaxEncodedLen`)
	/// Storage: `Locations::Visits` (r:1 w:1)
	/// Proof: `Locations::Visits` (`max_values`: None, `max_size`: Some(45), added: 2520, mode: `MaxEncodedLen`)
	/// Storage: `Locations::VisitCursor` (r:1 w:1)
	/// Proof: `Locations::VisitCursor` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `Locations::History` (r:1 w:1)
	/// Proof: `Locations::History` (`max_values`: None, `max_size`: Some(350), added: 2825, mode: `MaxEncodedLen`)
	/// Storage: `Locations::Expiring` (r:1 w:1)
	/// Proof: `Locations::Expiring` (`max_values`: None, `max_size`: Some(49), added: 2524, mode: `MaxEncodedLen`)
	/// Storage: `Locations::InfectedByExpiry` (r:10 w:10)
	/// Proof: `Locations::InfectedByExpiry` (`max_values`: None, `max_size`: Some(45), added: 2520, mode: `MaxEncodedLen`)
	fn check_in() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `928`
		//  Estimated: `26190`
		// Minimum execution time: 113_387_000 picoseconds.
		Weight::from_parts(128_036_000, 26190)
			.saturating_add(T::DbWeight::get().reads(16_u64))
			.saturating_add(T::DbWeight::get().writes(15_u64))
	}
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `Locations::BucketCursor` (r:1 w:0)
	/// Proof: `Locations::BucketCursor` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Locations::Expiring` (r:2 w:1)
	/// Proof: `Locations::Expiring` (`max_values`: None, `max_size`: Some(49), added: 2524, mode: `MaxEncodedLen`)
	fn prune_step() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `263`
		//  Estimated: `6038`
		// Minimum execution time: 24_227_000 picoseconds.
		Weight::from_parts(48_109_000, 6038)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
}

/// The same figures with ParityDB's database weights, for tests and mocks.
impl WeightInfo for () {
	fn register_location() -> Weight {
		Weight::from_parts(40_228_000, 3815)
			.saturating_add(ParityDbWeight::get().reads(4_u64))
			.saturating_add(ParityDbWeight::get().writes(3_u64))
	}
	fn mark_cleaned() -> Weight {
		Weight::from_parts(133_002_000, 26190)
			.saturating_add(ParityDbWeight::get().reads(14_u64))
			.saturating_add(ParityDbWeight::get().writes(13_u64))
	}
	fn mark_infected() -> Weight {
		Weight::from_parts(149_510_000, 26190)
			.saturating_add(ParityDbWeight::get().reads(15_u64))
			.saturating_add(ParityDbWeight::get().writes(13_u64))
	}
	fn check_in() -> Weight {
		Weight::from_parts(128_036_000, 26190)
			.saturating_add(ParityDbWeight::get().reads(16_u64))
			.saturating_add(ParityDbWeight::get().writes(15_u64))
	}
	fn prune_step() -> Weight {
		Weight::from_parts(48_109_000, 6038)
			.saturating_add(ParityDbWeight::get().reads(4_u64))
			.saturating_add(ParityDbWeight::get().writes(1_u64))
	}
}

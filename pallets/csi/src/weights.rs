// This file is part of epichain. Licensed under Apache-2.0.

//! Weights for `pallet_csi`, measured by `benchmark pallet` (frame-benchmarking-cli 64.0.0).
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
// pallet_csi
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
// pallets/csi/src/weights.rs

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use frame_support::{traits::Get, weights::{Weight, constants::ParityDbWeight}};
use core::marker::PhantomData;

/// Weight functions of `pallet_csi`.
pub trait WeightInfo {
	fn register_locator() -> Weight;
	fn suspend_locator() -> Weight;
	fn resume_locator() -> Weight;
	fn remove_locator() -> Weight;
	fn submit_batch(e: u32, ) -> Weight;
	fn authorize_submit_batch(e: u32, ) -> Weight;
	fn hash_batch(k: u32, ) -> Weight;
	fn prune_batch() -> Weight;
	fn prune_day() -> Weight;
}

/// Weights for `pallet_csi` using the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: `Csi::Locators` (r:1 w:1)
	/// Proof: `Csi::Locators` (`max_values`: None, `max_size`: Some(95), added: 2570, mode: `MaxEncodedLen`)
	/// Storage: `Csi::LocatorCount` (r:1 w:1)
	/// Proof: `Csi::LocatorCount` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	fn register_locator() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `135`
		//  Estimated: `3560`
		// Minimum execution time: 20_120_000 picoseconds.
		Weight::from_parts(26_229_000, 3560)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	/// Storage: `Csi::Locators` (r:1 w:1)
	/// Proof: `Csi::Locators` (`max_values`: None, `max_size`: Some(95), added: 2570, mode: `MaxEncodedLen`)
	fn suspend_locator() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `181`
		//  Estimated: `3560`
		// Minimum execution time: 23_063_000 picoseconds.
		Weight::from_parts(28_516_000, 3560)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// Storage: `Csi::Locators` (r:1 w:1)
	/// Proof: `Csi::Locators` (`max_values`: None, `max_size`: Some(95), added: 2570, mode: `MaxEncodedLen`)
	fn resume_locator() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `181`
		//  Estimated: `3560`
		// Minimum execution time: 22_380_000 picoseconds.
		Weight::from_parts(34_024_000, 3560)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// Storage: `Csi::Locators` (r:1 w:1)
	/// Proof: `Csi::Locators` (`max_values`: None, `max_size`: Some(95), added: 2570, mode: `MaxEncodedLen`)
	/// Storage: `Csi::LocatorCount` (r:1 w:1)
	/// Proof: `Csi::LocatorCount` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Csi::BlockUsage` (r:0 w:1)
	/// Proof: `Csi::BlockUsage` (`max_values`: None, `max_size`: Some(56), added: 2531, mode: `MaxEncodedLen`)
	fn remove_locator() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `181`
		//  Estimated: `3560`
		// Minimum execution time: 30_896_000 picoseconds.
		Weight::from_parts(43_598_000, 3560)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	/// Storage: `Csi::Locators` (r:1 w:0)
	/// Proof: `Csi::Locators` (`max_values`: None, `max_size`: Some(95), added: 2570, mode: `MaxEncodedLen`)
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `Matchers::NextKeyId` (r:1 w:0)
	/// Proof: `Matchers::NextKeyId` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Matchers::SealingKeys` (r:1 w:0)
	/// Proof: `Matchers::SealingKeys` (`max_values`: None, `max_size`: Some(65), added: 2540, mode: `MaxEncodedLen`)
	/// Storage: `Matchers::Matchers` (r:1 w:0)
	/// Proof: `Matchers::Matchers` (`max_values`: None, `max_size`: Some(129), added: 2604, mode: `MaxEncodedLen`)
	/// Storage: `Csi::UsedEphemeralKeys` (r:1 w:1)
	/// Proof: `Csi::UsedEphemeralKeys` (`max_values`: None, `max_size`: Some(60), added: 2535, mode: `MaxEncodedLen`)
	/// Storage: `Csi::BlockUsage` (r:1 w:1)
	/// Proof: `Csi::BlockUsage` (`max_values`: None, `max_size`: Some(56), added: 2531, mode: `MaxEncodedLen`)
	/// Storage: `Csi::Days` (r:1 w:1)
	/// Proof: `Csi::Days` (`max_values`: None, `max_size`: Some(36), added: 2511, mode: `MaxEncodedLen`)
	/// Storage: `Csi::OldestDay` (r:1 w:1)
	/// Proof: `Csi::OldestDay` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Locations::Locations` (r:1 w:1)
	/// Proof: `Locations::Locations` (`max_values`: None, `max_size`: Some(75), added: 2550, mode: `MaxEncodedLen`)
	/// Storage: `Locations::Visits` (r:1 w:1)
	/// Proof: `Locations::Visits` (`max_values`: None, `max_size`: Some(45), added: 2520, mode: `MaxEncodedLen`)
	/// Storage: `Locations::VisitCursor` (r:1 w:1)
	/// Proof: `Locations::VisitCursor` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Locations::History` (r:1 w:1)
	/// Proof: `Locations::History` (`max_values`: None, `max_size`: Some(350), added: 2825, mode: `MaxEncodedLen`)
	/// Storage: `Csi::Batches` (r:0 w:1)
	/// Proof: `Csi::Batches` (`max_values`: None, `max_size`: Some(121), added: 2596, mode: `MaxEncodedLen`)
	/// The range of component `e` is `[1, 1024]`.
	fn submit_batch(e: u32, ) -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `686`
		//  Estimated: `3815`
		// Minimum execution time: 117_558_000 picoseconds.
		Weight::from_parts(136_967_832, 3815)
			// Standard Error: 1_407
			.saturating_add(Weight::from_parts(253_149, 0).saturating_mul(e.into()))
			.saturating_add(T::DbWeight::get().reads(13_u64))
			.saturating_add(T::DbWeight::get().writes(9_u64))
	}
	/// Storage: `Csi::Locators` (r:1 w:0)
	/// Proof: `Csi::Locators` (`max_values`: None, `max_size`: Some(95), added: 2570, mode: `MaxEncodedLen`)
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `Matchers::NextKeyId` (r:1 w:0)
	/// Proof: `Matchers::NextKeyId` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Matchers::SealingKeys` (r:1 w:0)
	/// Proof: `Matchers::SealingKeys` (`max_values`: None, `max_size`: Some(65), added: 2540, mode: `MaxEncodedLen`)
	/// Storage: `Matchers::Matchers` (r:1 w:0)
	/// Proof: `Matchers::Matchers` (`max_values`: None, `max_size`: Some(129), added: 2604, mode: `MaxEncodedLen`)
	/// Storage: `Csi::UsedEphemeralKeys` (r:1 w:0)
	/// Proof: `Csi::UsedEphemeralKeys` (`max_values`: None, `max_size`: Some(60), added: 2535, mode: `MaxEncodedLen`)
	/// Storage: `Csi::BlockUsage` (r:1 w:0)
	/// Proof: `Csi::BlockUsage` (`max_values`: None, `max_size`: Some(56), added: 2531, mode: `MaxEncodedLen`)
	/// Storage: `System::BlockHash` (r:1 w:0)
	/// Proof: `System::BlockHash` (`max_values`: None, `max_size`: Some(44), added: 2519, mode: `MaxEncodedLen`)
	/// The range of component `e` is `[1, 1024]`.
	fn authorize_submit_batch(e: u32, ) -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `596`
		//  Estimated: `3594`
		// Minimum execution time: 114_687_000 picoseconds.
		Weight::from_parts(138_880_681, 3594)
			// Standard Error: 1_927
			.saturating_add(Weight::from_parts(163_380, 0).saturating_mul(e.into()))
			.saturating_add(T::DbWeight::get().reads(8_u64))
	}
	/// The range of component `k` is `[1, 704]`.
	fn hash_batch(k: u32, ) -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `0`
		//  Estimated: `0`
		// Minimum execution time: 3_654_000 picoseconds.
		Weight::from_parts(4_068_000, 0)
			// Standard Error: 5_414
			.saturating_add(Weight::from_parts(2_584_347, 0).saturating_mul(k.into()))
	}
	/// Storage: `Csi::OldestDay` (r:1 w:0)
	/// Proof: `Csi::OldestDay` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `Csi::Days` (r:1 w:1)
	/// Proof: `Csi::Days` (`max_values`: None, `max_size`: Some(36), added: 2511, mode: `MaxEncodedLen`)
	/// Storage: `Csi::Batches` (r:1 w:1)
	/// Proof: `Csi::Batches` (`max_values`: None, `max_size`: Some(121), added: 2596, mode: `MaxEncodedLen`)
	/// Storage: `Csi::UsedEphemeralKeys` (r:0 w:1)
	/// Proof: `Csi::UsedEphemeralKeys` (`max_values`: None, `max_size`: Some(60), added: 2535, mode: `MaxEncodedLen`)
	fn prune_batch() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `379`
		//  Estimated: `3586`
		// Minimum execution time: 31_602_000 picoseconds.
		Weight::from_parts(56_860_000, 3586)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	/// Storage: `Csi::OldestDay` (r:1 w:1)
	/// Proof: `Csi::OldestDay` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `Csi::Days` (r:1 w:1)
	/// Proof: `Csi::Days` (`max_values`: None, `max_size`: Some(36), added: 2511, mode: `MaxEncodedLen`)
	fn prune_day() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `160`
		//  Estimated: `3501`
		// Minimum execution time: 22_236_000 picoseconds.
		Weight::from_parts(29_184_000, 3501)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
}

/// The same figures with ParityDB's database weights, for tests and mocks.
impl WeightInfo for () {
	fn register_locator() -> Weight {
		Weight::from_parts(26_229_000, 3560)
			.saturating_add(ParityDbWeight::get().reads(2_u64))
			.saturating_add(ParityDbWeight::get().writes(2_u64))
	}
	fn suspend_locator() -> Weight {
		Weight::from_parts(28_516_000, 3560)
			.saturating_add(ParityDbWeight::get().reads(1_u64))
			.saturating_add(ParityDbWeight::get().writes(1_u64))
	}
	fn resume_locator() -> Weight {
		Weight::from_parts(34_024_000, 3560)
			.saturating_add(ParityDbWeight::get().reads(1_u64))
			.saturating_add(ParityDbWeight::get().writes(1_u64))
	}
	fn remove_locator() -> Weight {
		Weight::from_parts(43_598_000, 3560)
			.saturating_add(ParityDbWeight::get().reads(2_u64))
			.saturating_add(ParityDbWeight::get().writes(3_u64))
	}
	fn submit_batch(e: u32, ) -> Weight {
		Weight::from_parts(136_967_832, 3815)
			.saturating_add(Weight::from_parts(253_149, 0).saturating_mul(e.into()))
			.saturating_add(ParityDbWeight::get().reads(13_u64))
			.saturating_add(ParityDbWeight::get().writes(9_u64))
	}
	fn authorize_submit_batch(e: u32, ) -> Weight {
		Weight::from_parts(138_880_681, 3594)
			.saturating_add(Weight::from_parts(163_380, 0).saturating_mul(e.into()))
			.saturating_add(ParityDbWeight::get().reads(8_u64))
	}
	fn hash_batch(k: u32, ) -> Weight {
		Weight::from_parts(4_068_000, 0)
			.saturating_add(Weight::from_parts(2_584_347, 0).saturating_mul(k.into()))
	}
	fn prune_batch() -> Weight {
		Weight::from_parts(56_860_000, 3586)
			.saturating_add(ParityDbWeight::get().reads(4_u64))
			.saturating_add(ParityDbWeight::get().writes(3_u64))
	}
	fn prune_day() -> Weight {
		Weight::from_parts(29_184_000, 3501)
			.saturating_add(ParityDbWeight::get().reads(3_u64))
			.saturating_add(ParityDbWeight::get().writes(2_u64))
	}
}

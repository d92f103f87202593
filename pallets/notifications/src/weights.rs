// This file is part of epichain. Licensed under Apache-2.0.

//! Weights for `pallet_notifications`, measured by `benchmark pallet` (frame-benchmarking-cli 64.0.0).
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
// pallet_notifications
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
// pallets/notifications/src/weights.rs

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
	/// Storage: `Notifications::Params` (r:0 w:1)
	/// Proof: `Notifications::Params` (`max_values`: Some(1), `max_size`: Some(61), added: 556, mode: `MaxEncodedLen`)
	fn set_risk_params() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `0`
		//  Estimated: `0`
		// Minimum execution time: 8_658_000 picoseconds.
		Weight::from_parts(11_514_000, 0)
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// Storage: `Matchers::MatcherBySigner` (r:1 w:0)
	/// Proof: `Matchers::MatcherBySigner` (`max_values`: None, `max_size`: Some(52), added: 2527, mode: `MaxEncodedLen`)
	/// Storage: `Matchers::Matchers` (r:1 w:0)
	/// Proof: `Matchers::Matchers` (`max_values`: None, `max_size`: Some(129), added: 2604, mode: `MaxEncodedLen`)
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `Notifications::Jobs` (r:1 w:1)
	/// Proof: `Notifications::Jobs` (`max_values`: None, `max_size`: Some(542), added: 3017, mode: `MaxEncodedLen`)
	/// Storage: `Notifications::Notifications` (r:1024 w:1024)
	/// Proof: `Notifications::Notifications` (`max_values`: None, `max_size`: Some(69), added: 2544, mode: `MaxEncodedLen`)
	/// Storage: `Notifications::DayCounts` (r:14 w:14)
	/// Proof: `Notifications::DayCounts` (`max_values`: None, `max_size`: Some(20), added: 2495, mode: `MaxEncodedLen`)
	/// Storage: `Notifications::OldestDay` (r:1 w:1)
	/// Proof: `Notifications::OldestDay` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Locations::Locations` (r:256 w:256)
	/// Proof: `Locations::Locations` (`max_values`: None, `max_size`: Some(75), added: 2550, mode: `MaxEncodedLen`)
	/// Storage: `Locations::InfectedByExpiry` (r:271 w:271)
	/// Proof: `Locations::InfectedByExpiry` (`max_values`: None, `max_size`: Some(45), added: 2520, mode: `MaxEncodedLen`)
	/// Storage: `Locations::BucketCursor` (r:1 w:1)
	/// Proof: `Locations::BucketCursor` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Locations::History` (r:256 w:256)
	/// Proof: `Locations::History` (`max_values`: None, `max_size`: Some(350), added: 2825, mode: `MaxEncodedLen`)
	/// Storage: `Locations::Expiring` (r:0 w:256)
	/// Proof: `Locations::Expiring` (`max_values`: None, `max_size`: Some(49), added: 2524, mode: `MaxEncodedLen`)
	/// The range of component `e` is `[0, 1024]`.
	/// The range of component `c` is `[0, 256]`.
	fn submit_result(e: u32, c: u32, ) -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `1018 + c * (79 ±0)`
		//  Estimated: `35920 + c * (2825 ±0) + e * (2544 ±0)`
		// Minimum execution time: 13_158_348_000 picoseconds.
		Weight::from_parts(13_397_132_000, 35920)
			// Standard Error: 641_280
			.saturating_add(Weight::from_parts(16_133_737, 0).saturating_mul(e.into()))
			// Standard Error: 2_566_012
			.saturating_add(Weight::from_parts(17_115_002, 0).saturating_mul(c.into()))
			.saturating_add(T::DbWeight::get().reads(23_u64))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(e.into())))
			.saturating_add(T::DbWeight::get().reads((3_u64).saturating_mul(c.into())))
			.saturating_add(T::DbWeight::get().writes(20_u64))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(e.into())))
			.saturating_add(T::DbWeight::get().writes((4_u64).saturating_mul(c.into())))
			.saturating_add(Weight::from_parts(0, 2825).saturating_mul(c.into()))
			.saturating_add(Weight::from_parts(0, 2544).saturating_mul(e.into()))
	}
	/// Storage: `Matchers::MatcherBySigner` (r:1 w:0)
	/// Proof: `Matchers::MatcherBySigner` (`max_values`: None, `max_size`: Some(52), added: 2527, mode: `MaxEncodedLen`)
	/// Storage: `Matchers::Matchers` (r:1 w:0)
	/// Proof: `Matchers::Matchers` (`max_values`: None, `max_size`: Some(129), added: 2604, mode: `MaxEncodedLen`)
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `Notifications::Jobs` (r:1 w:0)
	/// Proof: `Notifications::Jobs` (`max_values`: None, `max_size`: Some(542), added: 3017, mode: `MaxEncodedLen`)
	/// Storage: `System::BlockHash` (r:1 w:0)
	/// Proof: `System::BlockHash` (`max_values`: None, `max_size`: Some(44), added: 2519, mode: `MaxEncodedLen`)
	/// The range of component `e` is `[0, 1024]`.
	/// The range of component `c` is `[0, 256]`.
	fn authorize_submit_result(e: u32, c: u32, ) -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `1005`
		//  Estimated: `4007`
		// Minimum execution time: 152_741_000 picoseconds.
		Weight::from_parts(98_689_070, 4007)
			// Standard Error: 3_924
			.saturating_add(Weight::from_parts(113_591, 0).saturating_mul(e.into()))
			// Standard Error: 15_678
			.saturating_add(Weight::from_parts(257_090, 0).saturating_mul(c.into()))
			.saturating_add(T::DbWeight::get().reads(5_u64))
	}
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `Notifications::OldestDay` (r:1 w:0)
	/// Proof: `Notifications::OldestDay` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Notifications::Notifications` (r:1 w:1)
	/// Proof: `Notifications::Notifications` (`max_values`: None, `max_size`: Some(69), added: 2544, mode: `MaxEncodedLen`)
	/// Storage: `Notifications::OldestJob` (r:1 w:1)
	/// Proof: `Notifications::OldestJob` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `Notifications::Jobs` (r:1 w:0)
	/// Proof: `Notifications::Jobs` (`max_values`: None, `max_size`: Some(542), added: 3017, mode: `MaxEncodedLen`)
	fn prune_notification() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `822`
		//  Estimated: `4007`
		// Minimum execution time: 35_444_000 picoseconds.
		Weight::from_parts(43_452_000, 4007)
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `Notifications::OldestDay` (r:1 w:0)
	/// Proof: `Notifications::OldestDay` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Notifications::OldestJob` (r:1 w:1)
	/// Proof: `Notifications::OldestJob` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `Notifications::Jobs` (r:2 w:1)
	/// Proof: `Notifications::Jobs` (`max_values`: None, `max_size`: Some(542), added: 3017, mode: `MaxEncodedLen`)
	/// Storage: `Notifications::JobCount` (r:1 w:1)
	/// Proof: `Notifications::JobCount` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	fn prune_job() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `633`
		//  Estimated: `7024`
		// Minimum execution time: 32_380_000 picoseconds.
		Weight::from_parts(56_620_000, 7024)
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
}

/// The same figures with ParityDB's database weights, for tests and mocks.
impl WeightInfo for () {
	fn set_risk_params() -> Weight {
		Weight::from_parts(11_514_000, 0)
			.saturating_add(ParityDbWeight::get().writes(1_u64))
	}
	fn submit_result(e: u32, c: u32, ) -> Weight {
		Weight::from_parts(13_397_132_000, 35920)
			.saturating_add(Weight::from_parts(16_133_737, 0).saturating_mul(e.into()))
			.saturating_add(Weight::from_parts(17_115_002, 0).saturating_mul(c.into()))
			.saturating_add(ParityDbWeight::get().reads(23_u64))
			.saturating_add(ParityDbWeight::get().reads((1_u64).saturating_mul(e.into())))
			.saturating_add(ParityDbWeight::get().reads((3_u64).saturating_mul(c.into())))
			.saturating_add(ParityDbWeight::get().writes(20_u64))
			.saturating_add(ParityDbWeight::get().writes((1_u64).saturating_mul(e.into())))
			.saturating_add(ParityDbWeight::get().writes((4_u64).saturating_mul(c.into())))
			.saturating_add(Weight::from_parts(0, 2825).saturating_mul(c.into()))
			.saturating_add(Weight::from_parts(0, 2544).saturating_mul(e.into()))
	}
	fn authorize_submit_result(e: u32, c: u32, ) -> Weight {
		Weight::from_parts(98_689_070, 4007)
			.saturating_add(Weight::from_parts(113_591, 0).saturating_mul(e.into()))
			.saturating_add(Weight::from_parts(257_090, 0).saturating_mul(c.into()))
			.saturating_add(ParityDbWeight::get().reads(5_u64))
	}
	fn prune_notification() -> Weight {
		Weight::from_parts(43_452_000, 4007)
			.saturating_add(ParityDbWeight::get().reads(5_u64))
			.saturating_add(ParityDbWeight::get().writes(2_u64))
	}
	fn prune_job() -> Weight {
		Weight::from_parts(56_620_000, 7024)
			.saturating_add(ParityDbWeight::get().reads(6_u64))
			.saturating_add(ParityDbWeight::get().writes(3_u64))
	}
}

// This file is part of epichain. Licensed under Apache-2.0.

//! Weights for `pallet_notifications`, measured by `benchmark pallet` (frame-benchmarking-cli 64.0.0).
//!
//! DATE: 2026-12-04, STEPS: `10`, REPEAT: `5`
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
// pallet_notifications
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
	fn report_gap() -> Weight;
	fn authorize_report_gap() -> Weight;
	fn prune_notification() -> Weight;
	fn prune_notifications(k: u32, ) -> Weight;
	fn prune_job() -> Weight;
}

/// Weights for `pallet_notifications` using the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: `Notifications::Params` (r:0 w:1)
	/// Proof: `Notifications::Params` (`max_values`: Some(1), `max_size`: Some(115), added: 610, mode: `MaxEncodedLen`)
	fn set_risk_params() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `0`
		//  Estimated: `0`
		// Minimum execution time: 10_971_000 picoseconds.
		Weight::from_parts(13_356_000, 0)
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// Storage: `Matchers::MatcherBySigner` (r:1 w:0)
	/// Proof: `Matchers::MatcherBySigner` (`max_values`: None, `max_size`: Some(52), added: 2527, mode: `MaxEncodedLen`)
	/// Storage: `Matchers::Matchers` (r:1 w:0)
	/// Proof: `Matchers::Matchers` (`max_values`: None, `max_size`: Some(129), added: 2604, mode: `MaxEncodedLen`)
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `Notifications::Jobs` (r:1 w:1)
	/// Proof: `Notifications::Jobs` (`max_values`: None, `max_size`: Some(563), added: 3038, mode: `MaxEncodedLen`)
	/// Storage: `Diagnosis::EndorsedFingerprints` (r:1024 w:0)
	/// Proof: `Diagnosis::EndorsedFingerprints` (`max_values`: None, `max_size`: Some(52), added: 2527, mode: `MaxEncodedLen`)
	/// Storage: `Notifications::Notifications` (r:1024 w:1024)
	/// Proof: `Notifications::Notifications` (`max_values`: None, `max_size`: Some(69), added: 2544, mode: `MaxEncodedLen`)
	/// Storage: `Notifications::DayCounts` (r:14 w:14)
	/// Proof: `Notifications::DayCounts` (`max_values`: None, `max_size`: Some(24), added: 2499, mode: `MaxEncodedLen`)
	/// Storage: `Notifications::OldestDay` (r:1 w:1)
	/// Proof: `Notifications::OldestDay` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Locations::Locations` (r:256 w:256)
	/// Proof: `Locations::Locations` (`max_values`: None, `max_size`: Some(356), added: 2831, mode: `MaxEncodedLen`)
	/// Storage: `Locations::Expiring` (r:256 w:512)
	/// Proof: `Locations::Expiring` (`max_values`: None, `max_size`: Some(49), added: 2524, mode: `MaxEncodedLen`)
	/// Storage: `Locations::InfectedByExpiry` (r:546 w:546)
	/// Proof: `Locations::InfectedByExpiry` (`max_values`: None, `max_size`: Some(45), added: 2520, mode: `MaxEncodedLen`)
	/// Storage: `Locations::BucketCursor` (r:1 w:0)
	/// Proof: `Locations::BucketCursor` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Locations::History` (r:256 w:256)
	/// Proof: `Locations::History` (`max_values`: None, `max_size`: Some(350), added: 2825, mode: `MaxEncodedLen`)
	/// Storage: `Notifications::CoverageGaps` (r:1 w:0)
	/// Proof: `Notifications::CoverageGaps` (`max_values`: None, `max_size`: Some(76), added: 2551, mode: `MaxEncodedLen`)
	/// Storage: `Locations::CaseCells` (r:0 w:256)
	/// Proof: `Locations::CaseCells` (`max_values`: None, `max_size`: Some(57), added: 2532, mode: `MaxEncodedLen`)
	/// The range of component `e` is `[0, 1024]`.
	/// The range of component `c` is `[0, 256]`.
	fn submit_result(e: u32, c: u32, ) -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `1469 + c * (196 ±0)`
		//  Estimated: `48347 + c * (5189 ±0) + e * (2544 ±0)`
		// Minimum execution time: 17_584_444_000 picoseconds.
		Weight::from_parts(70_392_712, 48347)
			// Standard Error: 191_027
			.saturating_add(Weight::from_parts(17_359_433, 0).saturating_mul(e.into()))
			// Standard Error: 762_983
			.saturating_add(Weight::from_parts(113_949_314, 0).saturating_mul(c.into()))
			.saturating_add(T::DbWeight::get().reads(24_u64))
			.saturating_add(T::DbWeight::get().reads((2_u64).saturating_mul(e.into())))
			.saturating_add(T::DbWeight::get().reads((5_u64).saturating_mul(c.into())))
			.saturating_add(T::DbWeight::get().writes(20_u64))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(e.into())))
			.saturating_add(T::DbWeight::get().writes((7_u64).saturating_mul(c.into())))
			.saturating_add(Weight::from_parts(0, 5189).saturating_mul(c.into()))
			.saturating_add(Weight::from_parts(0, 2544).saturating_mul(e.into()))
	}
	/// Storage: `Matchers::MatcherBySigner` (r:1 w:0)
	/// Proof: `Matchers::MatcherBySigner` (`max_values`: None, `max_size`: Some(52), added: 2527, mode: `MaxEncodedLen`)
	/// Storage: `Matchers::Matchers` (r:1 w:0)
	/// Proof: `Matchers::Matchers` (`max_values`: None, `max_size`: Some(129), added: 2604, mode: `MaxEncodedLen`)
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `Notifications::Jobs` (r:1 w:0)
	/// Proof: `Notifications::Jobs` (`max_values`: None, `max_size`: Some(563), added: 3038, mode: `MaxEncodedLen`)
	/// Storage: `System::BlockHash` (r:1 w:0)
	/// Proof: `System::BlockHash` (`max_values`: None, `max_size`: Some(44), added: 2519, mode: `MaxEncodedLen`)
	/// The range of component `e` is `[0, 1024]`.
	/// The range of component `c` is `[0, 256]`.
	fn authorize_submit_result(e: u32, c: u32, ) -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `1068`
		//  Estimated: `4028`
		// Minimum execution time: 150_182_000 picoseconds.
		Weight::from_parts(96_726_098, 4028)
			// Standard Error: 1_541
			.saturating_add(Weight::from_parts(205_547, 0).saturating_mul(e.into()))
			// Standard Error: 6_158
			.saturating_add(Weight::from_parts(242_373, 0).saturating_mul(c.into()))
			.saturating_add(T::DbWeight::get().reads(5_u64))
	}
	/// Storage: `Matchers::MatcherBySigner` (r:1 w:0)
	/// Proof: `Matchers::MatcherBySigner` (`max_values`: None, `max_size`: Some(52), added: 2527, mode: `MaxEncodedLen`)
	/// Storage: `Matchers::Matchers` (r:1 w:0)
	/// Proof: `Matchers::Matchers` (`max_values`: None, `max_size`: Some(129), added: 2604, mode: `MaxEncodedLen`)
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `Notifications::Jobs` (r:1 w:0)
	/// Proof: `Notifications::Jobs` (`max_values`: None, `max_size`: Some(563), added: 3038, mode: `MaxEncodedLen`)
	/// Storage: `Notifications::CoverageGaps` (r:1 w:1)
	/// Proof: `Notifications::CoverageGaps` (`max_values`: None, `max_size`: Some(76), added: 2551, mode: `MaxEncodedLen`)
	fn report_gap() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `1114`
		//  Estimated: `4028`
		// Minimum execution time: 47_940_000 picoseconds.
		Weight::from_parts(51_256_000, 4028)
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// Storage: `Matchers::MatcherBySigner` (r:1 w:0)
	/// Proof: `Matchers::MatcherBySigner` (`max_values`: None, `max_size`: Some(52), added: 2527, mode: `MaxEncodedLen`)
	/// Storage: `Matchers::Matchers` (r:1 w:0)
	/// Proof: `Matchers::Matchers` (`max_values`: None, `max_size`: Some(129), added: 2604, mode: `MaxEncodedLen`)
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `Notifications::Jobs` (r:1 w:0)
	/// Proof: `Notifications::Jobs` (`max_values`: None, `max_size`: Some(563), added: 3038, mode: `MaxEncodedLen`)
	/// Storage: `Notifications::CoverageGaps` (r:1 w:0)
	/// Proof: `Notifications::CoverageGaps` (`max_values`: None, `max_size`: Some(76), added: 2551, mode: `MaxEncodedLen`)
	/// Storage: `System::BlockHash` (r:1 w:0)
	/// Proof: `System::BlockHash` (`max_values`: None, `max_size`: Some(44), added: 2519, mode: `MaxEncodedLen`)
	fn authorize_report_gap() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `1168`
		//  Estimated: `4028`
		// Minimum execution time: 94_578_000 picoseconds.
		Weight::from_parts(103_324_000, 4028)
			.saturating_add(T::DbWeight::get().reads(6_u64))
	}
	/// Storage: `Notifications::Withdrawals` (r:1 w:0)
	/// Proof: `Notifications::Withdrawals` (`max_values`: None, `max_size`: Some(44), added: 2519, mode: `MaxEncodedLen`)
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `Notifications::OldestDay` (r:1 w:0)
	/// Proof: `Notifications::OldestDay` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Notifications::Notifications` (r:1 w:1)
	/// Proof: `Notifications::Notifications` (`max_values`: None, `max_size`: Some(69), added: 2544, mode: `MaxEncodedLen`)
	/// Storage: `Notifications::OldestJob` (r:1 w:1)
	/// Proof: `Notifications::OldestJob` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `Notifications::Jobs` (r:1 w:0)
	/// Proof: `Notifications::Jobs` (`max_values`: None, `max_size`: Some(563), added: 3038, mode: `MaxEncodedLen`)
	fn prune_notification() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `875`
		//  Estimated: `4028`
		// Minimum execution time: 37_861_000 picoseconds.
		Weight::from_parts(41_037_000, 4028)
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	/// Storage: `Notifications::Withdrawals` (r:1 w:0)
	/// Proof: `Notifications::Withdrawals` (`max_values`: None, `max_size`: Some(44), added: 2519, mode: `MaxEncodedLen`)
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `Notifications::OldestDay` (r:1 w:0)
	/// Proof: `Notifications::OldestDay` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Notifications::Notifications` (r:4000 w:4000)
	/// Proof: `Notifications::Notifications` (`max_values`: None, `max_size`: Some(69), added: 2544, mode: `MaxEncodedLen`)
	/// Storage: `Notifications::OldestJob` (r:1 w:1)
	/// Proof: `Notifications::OldestJob` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `Notifications::Jobs` (r:1 w:0)
	/// Proof: `Notifications::Jobs` (`max_values`: None, `max_size`: Some(563), added: 3038, mode: `MaxEncodedLen`)
	/// The range of component `k` is `[1, 4000]`.
	fn prune_notifications(k: u32, ) -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `502 + k * (62 ±0)`
		//  Estimated: `4028 + k * (2544 ±0)`
		// Minimum execution time: 31_039_000 picoseconds.
		Weight::from_parts(32_250_000, 4028)
			// Standard Error: 6_892
			.saturating_add(Weight::from_parts(6_845_860, 0).saturating_mul(k.into()))
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(k.into())))
			.saturating_add(T::DbWeight::get().writes(1_u64))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(k.into())))
			.saturating_add(Weight::from_parts(0, 2544).saturating_mul(k.into()))
	}
	/// Storage: `Notifications::Withdrawals` (r:1 w:0)
	/// Proof: `Notifications::Withdrawals` (`max_values`: None, `max_size`: Some(44), added: 2519, mode: `MaxEncodedLen`)
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `Notifications::OldestDay` (r:1 w:0)
	/// Proof: `Notifications::OldestDay` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Notifications::OldestJob` (r:1 w:1)
	/// Proof: `Notifications::OldestJob` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `Notifications::Jobs` (r:2 w:1)
	/// Proof: `Notifications::Jobs` (`max_values`: None, `max_size`: Some(563), added: 3038, mode: `MaxEncodedLen`)
	/// Storage: `Notifications::JobCount` (r:1 w:1)
	/// Proof: `Notifications::JobCount` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Notifications::CoverageGaps` (r:0 w:1)
	/// Proof: `Notifications::CoverageGaps` (`max_values`: None, `max_size`: Some(76), added: 2551, mode: `MaxEncodedLen`)
	fn prune_job() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `643`
		//  Estimated: `7066`
		// Minimum execution time: 34_364_000 picoseconds.
		Weight::from_parts(37_240_000, 7066)
			.saturating_add(T::DbWeight::get().reads(7_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
}

/// The same figures with ParityDB's database weights, for tests and mocks.
impl WeightInfo for () {
	fn set_risk_params() -> Weight {
		Weight::from_parts(13_356_000, 0)
			.saturating_add(ParityDbWeight::get().writes(1_u64))
	}
	fn submit_result(e: u32, c: u32, ) -> Weight {
		Weight::from_parts(70_392_712, 48347)
			.saturating_add(Weight::from_parts(17_359_433, 0).saturating_mul(e.into()))
			.saturating_add(Weight::from_parts(113_949_314, 0).saturating_mul(c.into()))
			.saturating_add(ParityDbWeight::get().reads(24_u64))
			.saturating_add(ParityDbWeight::get().reads((2_u64).saturating_mul(e.into())))
			.saturating_add(ParityDbWeight::get().reads((5_u64).saturating_mul(c.into())))
			.saturating_add(ParityDbWeight::get().writes(20_u64))
			.saturating_add(ParityDbWeight::get().writes((1_u64).saturating_mul(e.into())))
			.saturating_add(ParityDbWeight::get().writes((7_u64).saturating_mul(c.into())))
			.saturating_add(Weight::from_parts(0, 5189).saturating_mul(c.into()))
			.saturating_add(Weight::from_parts(0, 2544).saturating_mul(e.into()))
	}
	fn authorize_submit_result(e: u32, c: u32, ) -> Weight {
		Weight::from_parts(96_726_098, 4028)
			.saturating_add(Weight::from_parts(205_547, 0).saturating_mul(e.into()))
			.saturating_add(Weight::from_parts(242_373, 0).saturating_mul(c.into()))
			.saturating_add(ParityDbWeight::get().reads(5_u64))
	}
	fn report_gap() -> Weight {
		Weight::from_parts(51_256_000, 4028)
			.saturating_add(ParityDbWeight::get().reads(5_u64))
			.saturating_add(ParityDbWeight::get().writes(1_u64))
	}
	fn authorize_report_gap() -> Weight {
		Weight::from_parts(103_324_000, 4028)
			.saturating_add(ParityDbWeight::get().reads(6_u64))
	}
	fn prune_notification() -> Weight {
		Weight::from_parts(41_037_000, 4028)
			.saturating_add(ParityDbWeight::get().reads(6_u64))
			.saturating_add(ParityDbWeight::get().writes(2_u64))
	}
	fn prune_notifications(k: u32, ) -> Weight {
		Weight::from_parts(32_250_000, 4028)
			.saturating_add(Weight::from_parts(6_845_860, 0).saturating_mul(k.into()))
			.saturating_add(ParityDbWeight::get().reads(5_u64))
			.saturating_add(ParityDbWeight::get().reads((1_u64).saturating_mul(k.into())))
			.saturating_add(ParityDbWeight::get().writes(1_u64))
			.saturating_add(ParityDbWeight::get().writes((1_u64).saturating_mul(k.into())))
			.saturating_add(Weight::from_parts(0, 2544).saturating_mul(k.into()))
	}
	fn prune_job() -> Weight {
		Weight::from_parts(37_240_000, 7066)
			.saturating_add(ParityDbWeight::get().reads(7_u64))
			.saturating_add(ParityDbWeight::get().writes(4_u64))
	}
}

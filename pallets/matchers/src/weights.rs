// This file is part of epichain. Licensed under Apache-2.0.

//! Weights for `pallet_matchers`, measured by `benchmark pallet` (frame-benchmarking-cli 64.0.0).
//!
//! DATE: 2026-12-04, STEPS: `25`, REPEAT: `10`
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
// pallet_matchers
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
// pallets/matchers/src/weights.rs

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use frame_support::{traits::Get, weights::{Weight, constants::ParityDbWeight}};
use core::marker::PhantomData;

/// Weight functions of `pallet_matchers`.
pub trait WeightInfo {
	fn register_matcher() -> Weight;
	fn rotate_sealing_key() -> Weight;
	fn renew_attestation() -> Weight;
	fn revoke_matcher() -> Weight;
	fn shred_sealing_key() -> Weight;
	fn verify_dcap_quote() -> Weight;
	fn set_attestation_policy() -> Weight;
}

/// Weights for `pallet_matchers` using the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: `Matchers::MatcherBySigner` (r:1 w:1)
	/// Proof: `Matchers::MatcherBySigner` (`max_values`: None, `max_size`: Some(52), added: 2527, mode: `MaxEncodedLen`)
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `Matchers::AttestationPolicy` (r:1 w:0)
	/// Proof: `Matchers::AttestationPolicy` (`max_values`: Some(1), `max_size`: Some(522), added: 1017, mode: `MaxEncodedLen`)
	/// Storage: `Matchers::SimulationAllowed` (r:1 w:0)
	/// Proof: `Matchers::SimulationAllowed` (`max_values`: Some(1), `max_size`: Some(1), added: 496, mode: `MaxEncodedLen`)
	/// Storage: `Matchers::NextMatcherId` (r:1 w:1)
	/// Proof: `Matchers::NextMatcherId` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Matchers::Lineup` (r:1 w:1)
	/// Proof: `Matchers::Lineup` (`max_values`: Some(1), `max_size`: Some(17), added: 512, mode: `MaxEncodedLen`)
	/// Storage: `Matchers::NextKeyId` (r:1 w:1)
	/// Proof: `Matchers::NextKeyId` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Matchers::SealingKeys` (r:0 w:1)
	/// Proof: `Matchers::SealingKeys` (`max_values`: None, `max_size`: Some(65), added: 2540, mode: `MaxEncodedLen`)
	/// Storage: `Matchers::Matchers` (r:0 w:1)
	/// Proof: `Matchers::Matchers` (`max_values`: None, `max_size`: Some(129), added: 2604, mode: `MaxEncodedLen`)
	fn register_matcher() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `90`
		//  Estimated: `3517`
		// Minimum execution time: 40_786_000 picoseconds.
		Weight::from_parts(43_352_000, 3517)
			.saturating_add(T::DbWeight::get().reads(7_u64))
			.saturating_add(T::DbWeight::get().writes(6_u64))
	}
	/// Storage: `Matchers::Matchers` (r:1 w:1)
	/// Proof: `Matchers::Matchers` (`max_values`: None, `max_size`: Some(129), added: 2604, mode: `MaxEncodedLen`)
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `Matchers::SealingKeys` (r:1 w:2)
	/// Proof: `Matchers::SealingKeys` (`max_values`: None, `max_size`: Some(65), added: 2540, mode: `MaxEncodedLen`)
	/// Storage: `Matchers::NextKeyId` (r:1 w:1)
	/// Proof: `Matchers::NextKeyId` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	fn rotate_sealing_key() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `414`
		//  Estimated: `3594`
		// Minimum execution time: 84_067_000 picoseconds.
		Weight::from_parts(86_783_000, 3594)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	/// Storage: `Matchers::Matchers` (r:1 w:1)
	/// Proof: `Matchers::Matchers` (`max_values`: None, `max_size`: Some(129), added: 2604, mode: `MaxEncodedLen`)
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `Matchers::SealingKeys` (r:1 w:0)
	/// Proof: `Matchers::SealingKeys` (`max_values`: None, `max_size`: Some(65), added: 2540, mode: `MaxEncodedLen`)
	/// Storage: `Matchers::AttestationPolicy` (r:1 w:0)
	/// Proof: `Matchers::AttestationPolicy` (`max_values`: Some(1), `max_size`: Some(522), added: 1017, mode: `MaxEncodedLen`)
	/// Storage: `Matchers::SimulationAllowed` (r:1 w:0)
	/// Proof: `Matchers::SimulationAllowed` (`max_values`: Some(1), `max_size`: Some(1), added: 496, mode: `MaxEncodedLen`)
	/// Storage: `Matchers::Lineup` (r:1 w:1)
	/// Proof: `Matchers::Lineup` (`max_values`: Some(1), `max_size`: Some(17), added: 512, mode: `MaxEncodedLen`)
	fn renew_attestation() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `431`
		//  Estimated: `3594`
		// Minimum execution time: 44_063_000 picoseconds.
		Weight::from_parts(46_217_000, 3594)
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	/// Storage: `Matchers::Matchers` (r:1 w:1)
	/// Proof: `Matchers::Matchers` (`max_values`: None, `max_size`: Some(129), added: 2604, mode: `MaxEncodedLen`)
	/// Storage: `Matchers::Lineup` (r:1 w:1)
	/// Proof: `Matchers::Lineup` (`max_values`: Some(1), `max_size`: Some(17), added: 512, mode: `MaxEncodedLen`)
	fn revoke_matcher() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `348`
		//  Estimated: `3594`
		// Minimum execution time: 27_922_000 picoseconds.
		Weight::from_parts(29_656_000, 3594)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `Matchers::NextKeyId` (r:1 w:0)
	/// Proof: `Matchers::NextKeyId` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Matchers::OldestKeyId` (r:1 w:1)
	/// Proof: `Matchers::OldestKeyId` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Matchers::SealingKeys` (r:1 w:1)
	/// Proof: `Matchers::SealingKeys` (`max_values`: None, `max_size`: Some(65), added: 2540, mode: `MaxEncodedLen`)
	fn shred_sealing_key() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `258`
		//  Estimated: `3530`
		// Minimum execution time: 22_643_000 picoseconds.
		Weight::from_parts(24_306_000, 3530)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	fn verify_dcap_quote() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `0`
		//  Estimated: `0`
		// Minimum execution time: 3_142_682_000 picoseconds.
		Weight::from_parts(3_176_486_000, 0)
	}
	/// Storage: `Matchers::AttestationPolicy` (r:0 w:1)
	/// Proof: `Matchers::AttestationPolicy` (`max_values`: Some(1), `max_size`: Some(522), added: 1017, mode: `MaxEncodedLen`)
	fn set_attestation_policy() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `0`
		//  Estimated: `0`
		// Minimum execution time: 10_360_000 picoseconds.
		Weight::from_parts(11_421_000, 0)
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
}

/// The same figures with ParityDB's database weights, for tests and mocks.
impl WeightInfo for () {
	fn register_matcher() -> Weight {
		Weight::from_parts(43_352_000, 3517)
			.saturating_add(ParityDbWeight::get().reads(7_u64))
			.saturating_add(ParityDbWeight::get().writes(6_u64))
	}
	fn rotate_sealing_key() -> Weight {
		Weight::from_parts(86_783_000, 3594)
			.saturating_add(ParityDbWeight::get().reads(4_u64))
			.saturating_add(ParityDbWeight::get().writes(4_u64))
	}
	fn renew_attestation() -> Weight {
		Weight::from_parts(46_217_000, 3594)
			.saturating_add(ParityDbWeight::get().reads(6_u64))
			.saturating_add(ParityDbWeight::get().writes(2_u64))
	}
	fn revoke_matcher() -> Weight {
		Weight::from_parts(29_656_000, 3594)
			.saturating_add(ParityDbWeight::get().reads(2_u64))
			.saturating_add(ParityDbWeight::get().writes(2_u64))
	}
	fn shred_sealing_key() -> Weight {
		Weight::from_parts(24_306_000, 3530)
			.saturating_add(ParityDbWeight::get().reads(4_u64))
			.saturating_add(ParityDbWeight::get().writes(2_u64))
	}
	fn verify_dcap_quote() -> Weight {
		Weight::from_parts(3_176_486_000, 0)
	}
	fn set_attestation_policy() -> Weight {
		Weight::from_parts(11_421_000, 0)
			.saturating_add(ParityDbWeight::get().writes(1_u64))
	}
}

// This file is part of epichain. Licensed under Apache-2.0.

//! Weights for `pallet_validators`, measured by `benchmark pallet` (frame-benchmarking-cli 64.0.0).
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
// pallet_validators
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
// pallets/validators/src/weights.rs

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use frame_support::{traits::Get, weights::{Weight, constants::ParityDbWeight}};
use core::marker::PhantomData;

/// Weight functions of `pallet_validators`.
pub trait WeightInfo {
	fn add_validator(v: u32, ) -> Weight;
	fn remove_validator(v: u32, ) -> Weight;
}

/// Weights for `pallet_validators` using the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: `Session::NextKeys` (r:1 w:0)
	/// Proof: `Session::NextKeys` (`max_values`: None, `max_size`: None, mode: `Measured`)
	/// Storage: `Validators::Planned` (r:1 w:1)
	/// Proof: `Validators::Planned` (`max_values`: Some(1), `max_size`: Some(1025), added: 1520, mode: `MaxEncodedLen`)
	/// The range of component `v` is `[1, 31]`.
	fn add_validator(v: u32, ) -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `383 + v * (47 ±0)`
		//  Estimated: `3847 + v * (48 ±0)`
		// Minimum execution time: 17_676_000 picoseconds.
		Weight::from_parts(28_574_339, 3847)
			// Standard Error: 4_005
			.saturating_add(Weight::from_parts(129_931, 0).saturating_mul(v.into()))
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
			.saturating_add(Weight::from_parts(0, 48).saturating_mul(v.into()))
	}
	/// Storage: `Validators::Planned` (r:1 w:1)
	/// Proof: `Validators::Planned` (`max_values`: Some(1), `max_size`: Some(1025), added: 1520, mode: `MaxEncodedLen`)
	/// The range of component `v` is `[5, 32]`.
	fn remove_validator(v: u32, ) -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `70 + v * (32 ±0)`
		//  Estimated: `2510`
		// Minimum execution time: 11_357_000 picoseconds.
		Weight::from_parts(21_337_734, 2510)
			// Standard Error: 2_781
			.saturating_add(Weight::from_parts(57_835, 0).saturating_mul(v.into()))
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
}

/// The same figures with ParityDB's database weights, for tests and mocks.
impl WeightInfo for () {
	fn add_validator(v: u32, ) -> Weight {
		Weight::from_parts(28_574_339, 3847)
			.saturating_add(Weight::from_parts(129_931, 0).saturating_mul(v.into()))
			.saturating_add(ParityDbWeight::get().reads(2_u64))
			.saturating_add(ParityDbWeight::get().writes(1_u64))
			.saturating_add(Weight::from_parts(0, 48).saturating_mul(v.into()))
	}
	fn remove_validator(v: u32, ) -> Weight {
		Weight::from_parts(21_337_734, 2510)
			.saturating_add(Weight::from_parts(57_835, 0).saturating_mul(v.into()))
			.saturating_add(ParityDbWeight::get().reads(1_u64))
			.saturating_add(ParityDbWeight::get().writes(1_u64))
	}
}

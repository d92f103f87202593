// This file is part of epichain. Licensed under Apache-2.0.

//! Weights for `pallet_diagnosis`, measured by `benchmark pallet` (frame-benchmarking-cli 64.0.0).
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
// pallet_diagnosis
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
// pallets/diagnosis/src/weights.rs

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
	/// Storage: `Diagnosis::Diagnosticians` (r:1 w:1)
	/// Proof: `Diagnosis::Diagnosticians` (`max_values`: None, `max_size`: Some(94), added: 2569, mode: `MaxEncodedLen`)
	/// Storage: `Diagnosis::DiagnosticianCount` (r:1 w:1)
	/// Proof: `Diagnosis::DiagnosticianCount` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	fn register_diagnostician() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `135`
		//  Estimated: `3559`
		// Minimum execution time: 23_424_000 picoseconds.
		Weight::from_parts(30_325_000, 3559)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	/// Storage: `Diagnosis::Diagnosticians` (r:1 w:1)
	/// Proof: `Diagnosis::Diagnosticians` (`max_values`: None, `max_size`: Some(94), added: 2569, mode: `MaxEncodedLen`)
	fn suspend_diagnostician() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `180`
		//  Estimated: `3559`
		// Minimum execution time: 25_030_000 picoseconds.
		Weight::from_parts(30_604_000, 3559)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// Storage: `Diagnosis::Diagnosticians` (r:1 w:1)
	/// Proof: `Diagnosis::Diagnosticians` (`max_values`: None, `max_size`: Some(94), added: 2569, mode: `MaxEncodedLen`)
	fn resume_diagnostician() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `180`
		//  Estimated: `3559`
		// Minimum execution time: 23_247_000 picoseconds.
		Weight::from_parts(30_518_000, 3559)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// Storage: `Diagnosis::Diagnosticians` (r:1 w:1)
	/// Proof: `Diagnosis::Diagnosticians` (`max_values`: None, `max_size`: Some(94), added: 2569, mode: `MaxEncodedLen`)
	/// Storage: `Diagnosis::DiagnosticianCount` (r:1 w:1)
	/// Proof: `Diagnosis::DiagnosticianCount` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Diagnosis::DailyEndorsements` (r:0 w:1)
	/// Proof: `Diagnosis::DailyEndorsements` (`max_values`: None, `max_size`: Some(56), added: 2531, mode: `MaxEncodedLen`)
	fn remove_diagnostician() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `319`
		//  Estimated: `3559`
		// Minimum execution time: 31_173_000 picoseconds.
		Weight::from_parts(48_863_000, 3559)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	/// Storage: `Diagnosis::Diagnosticians` (r:1 w:0)
	/// Proof: `Diagnosis::Diagnosticians` (`max_values`: None, `max_size`: Some(94), added: 2569, mode: `MaxEncodedLen`)
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `Diagnosis::DailyEndorsements` (r:1 w:1)
	/// Proof: `Diagnosis::DailyEndorsements` (`max_values`: None, `max_size`: Some(56), added: 2531, mode: `MaxEncodedLen`)
	/// Storage: `Diagnosis::Nullifiers` (r:1 w:1)
	/// Proof: `Diagnosis::Nullifiers` (`max_values`: None, `max_size`: Some(56), added: 2531, mode: `MaxEncodedLen`)
	/// Storage: `Diagnosis::EndorsedFingerprints` (r:14 w:14)
	/// Proof: `Diagnosis::EndorsedFingerprints` (`max_values`: None, `max_size`: Some(52), added: 2527, mode: `MaxEncodedLen`)
	/// Storage: `Diagnosis::NextCaseId` (r:1 w:1)
	/// Proof: `Diagnosis::NextCaseId` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `Notifications::JobCount` (r:1 w:1)
	/// Proof: `Notifications::JobCount` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Notifications::Jobs` (r:1 w:1)
	/// Proof: `Notifications::Jobs` (`max_values`: None, `max_size`: Some(542), added: 3017, mode: `MaxEncodedLen`)
	/// Storage: `Diagnosis::Days` (r:1 w:1)
	/// Proof: `Diagnosis::Days` (`max_values`: None, `max_size`: Some(24), added: 2499, mode: `MaxEncodedLen`)
	/// Storage: `Diagnosis::Cases` (r:0 w:1)
	/// Proof: `Diagnosis::Cases` (`max_values`: None, `max_size`: Some(393), added: 2868, mode: `MaxEncodedLen`)
	/// Storage: `Diagnosis::ProximityReports` (r:0 w:1)
	/// Proof: `Diagnosis::ProximityReports` (`max_values`: None, `max_size`: Some(6257), added: 8732, mode: `MaxEncodedLen`)
	/// The range of component `p` is `[1, 14]`.
	/// The range of component `r` is `[0, 16]`.
	fn endorse_case(p: u32, r: u32, ) -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `220`
		//  Estimated: `4007 + p * (2527 ±0)`
		// Minimum execution time: 106_124_000 picoseconds.
		Weight::from_parts(117_021_046, 4007)
			// Standard Error: 406_712
			.saturating_add(Weight::from_parts(9_923_184, 0).saturating_mul(p.into()))
			// Standard Error: 331_757
			.saturating_add(Weight::from_parts(1_159_415, 0).saturating_mul(r.into()))
			.saturating_add(T::DbWeight::get().reads(8_u64))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(p.into())))
			.saturating_add(T::DbWeight::get().writes(8_u64))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(p.into())))
			.saturating_add(Weight::from_parts(0, 2527).saturating_mul(p.into()))
	}
	/// Storage: `Diagnosis::Diagnosticians` (r:1 w:0)
	/// Proof: `Diagnosis::Diagnosticians` (`max_values`: None, `max_size`: Some(94), added: 2569, mode: `MaxEncodedLen`)
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `Diagnosis::DailyEndorsements` (r:1 w:0)
	/// Proof: `Diagnosis::DailyEndorsements` (`max_values`: None, `max_size`: Some(56), added: 2531, mode: `MaxEncodedLen`)
	/// Storage: `Diagnosis::Nullifiers` (r:1 w:0)
	/// Proof: `Diagnosis::Nullifiers` (`max_values`: None, `max_size`: Some(56), added: 2531, mode: `MaxEncodedLen`)
	/// Storage: `Diagnosis::EndorsedFingerprints` (r:14 w:0)
	/// Proof: `Diagnosis::EndorsedFingerprints` (`max_values`: None, `max_size`: Some(52), added: 2527, mode: `MaxEncodedLen`)
	/// Storage: `System::BlockHash` (r:1 w:0)
	/// Proof: `System::BlockHash` (`max_values`: None, `max_size`: Some(44), added: 2519, mode: `MaxEncodedLen`)
	/// The range of component `p` is `[1, 14]`.
	/// The range of component `r` is `[0, 16]`.
	fn authorize_endorse_case(p: u32, r: u32, ) -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `271`
		//  Estimated: `3559 + p * (2527 ±0)`
		// Minimum execution time: 945_558_000 picoseconds.
		Weight::from_parts(165_631_824, 3559)
			// Standard Error: 2_333_571
			.saturating_add(Weight::from_parts(58_079_623, 0).saturating_mul(p.into()))
			// Standard Error: 1_903_503
			.saturating_add(Weight::from_parts(63_239_493, 0).saturating_mul(r.into()))
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(p.into())))
			.saturating_add(Weight::from_parts(0, 2527).saturating_mul(p.into()))
	}
	/// Storage: `Diagnosis::Diagnosticians` (r:1 w:0)
	/// Proof: `Diagnosis::Diagnosticians` (`max_values`: None, `max_size`: Some(94), added: 2569, mode: `MaxEncodedLen`)
	/// Storage: `Diagnosis::Cases` (r:1 w:0)
	/// Proof: `Diagnosis::Cases` (`max_values`: None, `max_size`: Some(393), added: 2868, mode: `MaxEncodedLen`)
	/// Storage: `System::BlockHash` (r:1 w:0)
	/// Proof: `System::BlockHash` (`max_values`: None, `max_size`: Some(44), added: 2519, mode: `MaxEncodedLen`)
	fn authorize_revoke_endorsement() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `509`
		//  Estimated: `3858`
		// Minimum execution time: 92_179_000 picoseconds.
		Weight::from_parts(105_291_000, 3858)
			.saturating_add(T::DbWeight::get().reads(3_u64))
	}
	/// Storage: `Diagnosis::Diagnosticians` (r:1 w:0)
	/// Proof: `Diagnosis::Diagnosticians` (`max_values`: None, `max_size`: Some(94), added: 2569, mode: `MaxEncodedLen`)
	/// Storage: `Diagnosis::Cases` (r:1 w:1)
	/// Proof: `Diagnosis::Cases` (`max_values`: None, `max_size`: Some(393), added: 2868, mode: `MaxEncodedLen`)
	/// Storage: `Notifications::Jobs` (r:1 w:1)
	/// Proof: `Notifications::Jobs` (`max_values`: None, `max_size`: Some(542), added: 3017, mode: `MaxEncodedLen`)
	/// Storage: `Diagnosis::ProximityReports` (r:0 w:1)
	/// Proof: `Diagnosis::ProximityReports` (`max_values`: None, `max_size`: Some(6257), added: 8732, mode: `MaxEncodedLen`)
	/// Storage: `Diagnosis::EndorsedFingerprints` (r:0 w:14)
	/// Proof: `Diagnosis::EndorsedFingerprints` (`max_values`: None, `max_size`: Some(52), added: 2527, mode: `MaxEncodedLen`)
	/// The range of component `p` is `[1, 14]`.
	fn revoke_endorsement(p: u32, ) -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `560 + p * (56 ±0)`
		//  Estimated: `4007`
		// Minimum execution time: 69_373_000 picoseconds.
		Weight::from_parts(83_645_817, 4007)
			// Standard Error: 210_905
			.saturating_add(Weight::from_parts(2_556_315, 0).saturating_mul(p.into()))
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(p.into())))
	}
	/// Storage: `Diagnosis::Cases` (r:1 w:1)
	/// Proof: `Diagnosis::Cases` (`max_values`: None, `max_size`: Some(393), added: 2868, mode: `MaxEncodedLen`)
	/// Storage: `Notifications::Jobs` (r:1 w:1)
	/// Proof: `Notifications::Jobs` (`max_values`: None, `max_size`: Some(542), added: 3017, mode: `MaxEncodedLen`)
	/// Storage: `Diagnosis::ProximityReports` (r:0 w:1)
	/// Proof: `Diagnosis::ProximityReports` (`max_values`: None, `max_size`: Some(6257), added: 8732, mode: `MaxEncodedLen`)
	/// Storage: `Diagnosis::EndorsedFingerprints` (r:0 w:14)
	/// Proof: `Diagnosis::EndorsedFingerprints` (`max_values`: None, `max_size`: Some(52), added: 2527, mode: `MaxEncodedLen`)
	/// The range of component `p` is `[1, 14]`.
	fn force_revoke(p: u32, ) -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `421 + p * (56 ±0)`
		//  Estimated: `4007`
		// Minimum execution time: 52_904_000 picoseconds.
		Weight::from_parts(62_184_859, 4007)
			// Standard Error: 167_177
			.saturating_add(Weight::from_parts(2_612_509, 0).saturating_mul(p.into()))
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(p.into())))
	}
	/// Storage: `Diagnosis::NextCaseId` (r:1 w:0)
	/// Proof: `Diagnosis::NextCaseId` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `Diagnosis::OldestCase` (r:1 w:1)
	/// Proof: `Diagnosis::OldestCase` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `Diagnosis::Cases` (r:1 w:1)
	/// Proof: `Diagnosis::Cases` (`max_values`: None, `max_size`: Some(393), added: 2868, mode: `MaxEncodedLen`)
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `Diagnosis::Days` (r:1 w:1)
	/// Proof: `Diagnosis::Days` (`max_values`: None, `max_size`: Some(24), added: 2499, mode: `MaxEncodedLen`)
	/// Storage: `Diagnosis::ProximityReports` (r:0 w:1)
	/// Proof: `Diagnosis::ProximityReports` (`max_values`: None, `max_size`: Some(6257), added: 8732, mode: `MaxEncodedLen`)
	/// Storage: `Diagnosis::EndorsedFingerprints` (r:0 w:14)
	/// Proof: `Diagnosis::EndorsedFingerprints` (`max_values`: None, `max_size`: Some(52), added: 2527, mode: `MaxEncodedLen`)
	/// The range of component `p` is `[1, 14]`.
	/// The range of component `r` is `[0, 16]`.
	fn prune_case(p: u32, r: u32, ) -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `413 + p * (20 ±0)`
		//  Estimated: `3858`
		// Minimum execution time: 47_211_000 picoseconds.
		Weight::from_parts(45_011_482, 3858)
			// Standard Error: 212_295
			.saturating_add(Weight::from_parts(2_721_723, 0).saturating_mul(p.into()))
			// Standard Error: 173_169
			.saturating_add(Weight::from_parts(735_341, 0).saturating_mul(r.into()))
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(p.into())))
	}
}

/// The same figures with ParityDB's database weights, for tests and mocks.
impl WeightInfo for () {
	fn register_diagnostician() -> Weight {
		Weight::from_parts(30_325_000, 3559)
			.saturating_add(ParityDbWeight::get().reads(2_u64))
			.saturating_add(ParityDbWeight::get().writes(2_u64))
	}
	fn suspend_diagnostician() -> Weight {
		Weight::from_parts(30_604_000, 3559)
			.saturating_add(ParityDbWeight::get().reads(1_u64))
			.saturating_add(ParityDbWeight::get().writes(1_u64))
	}
	fn resume_diagnostician() -> Weight {
		Weight::from_parts(30_518_000, 3559)
			.saturating_add(ParityDbWeight::get().reads(1_u64))
			.saturating_add(ParityDbWeight::get().writes(1_u64))
	}
	fn remove_diagnostician() -> Weight {
		Weight::from_parts(48_863_000, 3559)
			.saturating_add(ParityDbWeight::get().reads(2_u64))
			.saturating_add(ParityDbWeight::get().writes(3_u64))
	}
	fn endorse_case(p: u32, r: u32, ) -> Weight {
		Weight::from_parts(117_021_046, 4007)
			.saturating_add(Weight::from_parts(9_923_184, 0).saturating_mul(p.into()))
			.saturating_add(Weight::from_parts(1_159_415, 0).saturating_mul(r.into()))
			.saturating_add(ParityDbWeight::get().reads(8_u64))
			.saturating_add(ParityDbWeight::get().reads((1_u64).saturating_mul(p.into())))
			.saturating_add(ParityDbWeight::get().writes(8_u64))
			.saturating_add(ParityDbWeight::get().writes((1_u64).saturating_mul(p.into())))
			.saturating_add(Weight::from_parts(0, 2527).saturating_mul(p.into()))
	}
	fn authorize_endorse_case(p: u32, r: u32, ) -> Weight {
		Weight::from_parts(165_631_824, 3559)
			.saturating_add(Weight::from_parts(58_079_623, 0).saturating_mul(p.into()))
			.saturating_add(Weight::from_parts(63_239_493, 0).saturating_mul(r.into()))
			.saturating_add(ParityDbWeight::get().reads(5_u64))
			.saturating_add(ParityDbWeight::get().reads((1_u64).saturating_mul(p.into())))
			.saturating_add(Weight::from_parts(0, 2527).saturating_mul(p.into()))
	}
	fn authorize_revoke_endorsement() -> Weight {
		Weight::from_parts(105_291_000, 3858)
			.saturating_add(ParityDbWeight::get().reads(3_u64))
	}
	fn revoke_endorsement(p: u32, ) -> Weight {
		Weight::from_parts(83_645_817, 4007)
			.saturating_add(Weight::from_parts(2_556_315, 0).saturating_mul(p.into()))
			.saturating_add(ParityDbWeight::get().reads(3_u64))
			.saturating_add(ParityDbWeight::get().writes(3_u64))
			.saturating_add(ParityDbWeight::get().writes((1_u64).saturating_mul(p.into())))
	}
	fn force_revoke(p: u32, ) -> Weight {
		Weight::from_parts(62_184_859, 4007)
			.saturating_add(Weight::from_parts(2_612_509, 0).saturating_mul(p.into()))
			.saturating_add(ParityDbWeight::get().reads(2_u64))
			.saturating_add(ParityDbWeight::get().writes(3_u64))
			.saturating_add(ParityDbWeight::get().writes((1_u64).saturating_mul(p.into())))
	}
	fn prune_case(p: u32, r: u32, ) -> Weight {
		Weight::from_parts(45_011_482, 3858)
			.saturating_add(Weight::from_parts(2_721_723, 0).saturating_mul(p.into()))
			.saturating_add(Weight::from_parts(735_341, 0).saturating_mul(r.into()))
			.saturating_add(ParityDbWeight::get().reads(5_u64))
			.saturating_add(ParityDbWeight::get().writes(4_u64))
			.saturating_add(ParityDbWeight::get().writes((1_u64).saturating_mul(p.into())))
	}
}

// This file is part of epichain. Licensed under Apache-2.0.

//! Weights for `pallet_diagnosis`, measured by `benchmark pallet` (frame-benchmarking-cli 64.0.0).
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
// pallet_diagnosis
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
		// Minimum execution time: 15_923_000 picoseconds.
		Weight::from_parts(27_951_000, 3559)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	/// Storage: `Diagnosis::Diagnosticians` (r:1 w:1)
	/// Proof: `Diagnosis::Diagnosticians` (`max_values`: None, `max_size`: Some(94), added: 2569, mode: `MaxEncodedLen`)
	fn suspend_diagnostician() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `180`
		//  Estimated: `3559`
		// Minimum execution time: 17_796_000 picoseconds.
		Weight::from_parts(43_755_000, 3559)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// Storage: `Diagnosis::Diagnosticians` (r:1 w:1)
	/// Proof: `Diagnosis::Diagnosticians` (`max_values`: None, `max_size`: Some(94), added: 2569, mode: `MaxEncodedLen`)
	fn resume_diagnostician() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `180`
		//  Estimated: `3559`
		// Minimum execution time: 16_735_000 picoseconds.
		Weight::from_parts(42_823_000, 3559)
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
		// Minimum execution time: 28_913_000 picoseconds.
		Weight::from_parts(51_296_000, 3559)
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
	/// Proof: `Notifications::Jobs` (`max_values`: None, `max_size`: Some(563), added: 3038, mode: `MaxEncodedLen`)
	/// Storage: `Diagnosis::Days` (r:1 w:1)
	/// Proof: `Diagnosis::Days` (`max_values`: None, `max_size`: Some(24), added: 2499, mode: `MaxEncodedLen`)
	/// Storage: `Diagnosis::Cases` (r:0 w:1)
	/// Proof: `Diagnosis::Cases` (`max_values`: None, `max_size`: Some(393), added: 2868, mode: `MaxEncodedLen`)
	/// Storage: `Diagnosis::ProximityReports` (r:0 w:1)
	/// Proof: `Diagnosis::ProximityReports` (`max_values`: None, `max_size`: Some(6257), added: 8732, mode: `MaxEncodedLen`)
	/// Storage: `Notifications::Withdrawals` (r:0 w:14)
	/// Proof: `Notifications::Withdrawals` (`max_values`: None, `max_size`: Some(44), added: 2519, mode: `MaxEncodedLen`)
	/// The range of component `p` is `[1, 14]`.
	/// The range of component `r` is `[0, 16]`.
	fn endorse_case(p: u32, r: u32, ) -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `221`
		//  Estimated: `4028 + p * (2527 ±0)`
		// Minimum execution time: 135_822_000 picoseconds.
		Weight::from_parts(150_294_621, 4028)
			// Standard Error: 865_361
			.saturating_add(Weight::from_parts(12_185_671, 0).saturating_mul(p.into()))
			// Standard Error: 708_378
			.saturating_add(Weight::from_parts(733_109, 0).saturating_mul(r.into()))
			.saturating_add(T::DbWeight::get().reads(8_u64))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(p.into())))
			.saturating_add(T::DbWeight::get().writes(8_u64))
			.saturating_add(T::DbWeight::get().writes((2_u64).saturating_mul(p.into())))
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
		// Minimum execution time: 866_314_000 picoseconds.
		Weight::from_parts(126_475_734, 3559)
			// Standard Error: 3_187_013
			.saturating_add(Weight::from_parts(62_255_479, 0).saturating_mul(p.into()))
			// Standard Error: 2_608_953
			.saturating_add(Weight::from_parts(53_997_115, 0).saturating_mul(r.into()))
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
		// Minimum execution time: 79_698_000 picoseconds.
		Weight::from_parts(127_860_000, 3858)
			.saturating_add(T::DbWeight::get().reads(3_u64))
	}
	/// Storage: `Diagnosis::Diagnosticians` (r:1 w:0)
	/// Proof: `Diagnosis::Diagnosticians` (`max_values`: None, `max_size`: Some(94), added: 2569, mode: `MaxEncodedLen`)
	/// Storage: `Diagnosis::Cases` (r:1 w:1)
	/// Proof: `Diagnosis::Cases` (`max_values`: None, `max_size`: Some(393), added: 2868, mode: `MaxEncodedLen`)
	/// Storage: `Notifications::Jobs` (r:1 w:1)
	/// Proof: `Notifications::Jobs` (`max_values`: None, `max_size`: Some(563), added: 3038, mode: `MaxEncodedLen`)
	/// Storage: `Diagnosis::ProximityReports` (r:0 w:1)
	/// Proof: `Diagnosis::ProximityReports` (`max_values`: None, `max_size`: Some(6257), added: 8732, mode: `MaxEncodedLen`)
	/// Storage: `Diagnosis::EndorsedFingerprints` (r:0 w:14)
	/// Proof: `Diagnosis::EndorsedFingerprints` (`max_values`: None, `max_size`: Some(52), added: 2527, mode: `MaxEncodedLen`)
	/// The range of component `p` is `[1, 14]`.
	fn revoke_endorsement(p: u32, ) -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `604 + p * (56 ±0)`
		//  Estimated: `4028`
		// Minimum execution time: 69_774_000 picoseconds.
		Weight::from_parts(101_401_802, 4028)
			// Standard Error: 442_954
			.saturating_add(Weight::from_parts(1_989_208, 0).saturating_mul(p.into()))
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(p.into())))
	}
	/// Storage: `Diagnosis::Cases` (r:1 w:1)
	/// Proof: `Diagnosis::Cases` (`max_values`: None, `max_size`: Some(393), added: 2868, mode: `MaxEncodedLen`)
	/// Storage: `Notifications::Jobs` (r:1 w:1)
	/// Proof: `Notifications::Jobs` (`max_values`: None, `max_size`: Some(563), added: 3038, mode: `MaxEncodedLen`)
	/// Storage: `Diagnosis::ProximityReports` (r:0 w:1)
	/// Proof: `Diagnosis::ProximityReports` (`max_values`: None, `max_size`: Some(6257), added: 8732, mode: `MaxEncodedLen`)
	/// Storage: `Diagnosis::EndorsedFingerprints` (r:0 w:14)
	/// Proof: `Diagnosis::EndorsedFingerprints` (`max_values`: None, `max_size`: Some(52), added: 2527, mode: `MaxEncodedLen`)
	/// The range of component `p` is `[1, 14]`.
	fn force_revoke(p: u32, ) -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `465 + p * (56 ±0)`
		//  Estimated: `4028`
		// Minimum execution time: 51_987_000 picoseconds.
		Weight::from_parts(74_863_246, 4028)
			// Standard Error: 277_166
			.saturating_add(Weight::from_parts(1_373_680, 0).saturating_mul(p.into()))
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
	fn prune_case(p: u32, _r: u32, ) -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `413 + p * (20 ±0)`
		//  Estimated: `3858`
		// Minimum execution time: 45_267_000 picoseconds.
		Weight::from_parts(67_860_580, 3858)
			// Standard Error: 267_534
			.saturating_add(Weight::from_parts(2_137_895, 0).saturating_mul(p.into()))
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(p.into())))
	}
}

/// The same figures with ParityDB's database weights, for tests and mocks.
impl WeightInfo for () {
	fn register_diagnostician() -> Weight {
		Weight::from_parts(27_951_000, 3559)
			.saturating_add(ParityDbWeight::get().reads(2_u64))
			.saturating_add(ParityDbWeight::get().writes(2_u64))
	}
	fn suspend_diagnostician() -> Weight {
		Weight::from_parts(43_755_000, 3559)
			.saturating_add(ParityDbWeight::get().reads(1_u64))
			.saturating_add(ParityDbWeight::get().writes(1_u64))
	}
	fn resume_diagnostician() -> Weight {
		Weight::from_parts(42_823_000, 3559)
			.saturating_add(ParityDbWeight::get().reads(1_u64))
			.saturating_add(ParityDbWeight::get().writes(1_u64))
	}
	fn remove_diagnostician() -> Weight {
		Weight::from_parts(51_296_000, 3559)
			.saturating_add(ParityDbWeight::get().reads(2_u64))
			.saturating_add(ParityDbWeight::get().writes(3_u64))
	}
	fn endorse_case(p: u32, r: u32, ) -> Weight {
		Weight::from_parts(150_294_621, 4028)
			.saturating_add(Weight::from_parts(12_185_671, 0).saturating_mul(p.into()))
			.saturating_add(Weight::from_parts(733_109, 0).saturating_mul(r.into()))
			.saturating_add(ParityDbWeight::get().reads(8_u64))
			.saturating_add(ParityDbWeight::get().reads((1_u64).saturating_mul(p.into())))
			.saturating_add(ParityDbWeight::get().writes(8_u64))
			.saturating_add(ParityDbWeight::get().writes((2_u64).saturating_mul(p.into())))
			.saturating_add(Weight::from_parts(0, 2527).saturating_mul(p.into()))
	}
	fn authorize_endorse_case(p: u32, r: u32, ) -> Weight {
		Weight::from_parts(126_475_734, 3559)
			.saturating_add(Weight::from_parts(62_255_479, 0).saturating_mul(p.into()))
			.saturating_add(Weight::from_parts(53_997_115, 0).saturating_mul(r.into()))
			.saturating_add(ParityDbWeight::get().reads(5_u64))
			.saturating_add(ParityDbWeight::get().reads((1_u64).saturating_mul(p.into())))
			.saturating_add(Weight::from_parts(0, 2527).saturating_mul(p.into()))
	}
	fn authorize_revoke_endorsement() -> Weight {
		Weight::from_parts(127_860_000, 3858)
			.saturating_add(ParityDbWeight::get().reads(3_u64))
	}
	fn revoke_endorsement(p: u32, ) -> Weight {
		Weight::from_parts(101_401_802, 4028)
			.saturating_add(Weight::from_parts(1_989_208, 0).saturating_mul(p.into()))
			.saturating_add(ParityDbWeight::get().reads(3_u64))
			.saturating_add(ParityDbWeight::get().writes(3_u64))
			.saturating_add(ParityDbWeight::get().writes((1_u64).saturating_mul(p.into())))
	}
	fn force_revoke(p: u32, ) -> Weight {
		Weight::from_parts(74_863_246, 4028)
			.saturating_add(Weight::from_parts(1_373_680, 0).saturating_mul(p.into()))
			.saturating_add(ParityDbWeight::get().reads(2_u64))
			.saturating_add(ParityDbWeight::get().writes(3_u64))
			.saturating_add(ParityDbWeight::get().writes((1_u64).saturating_mul(p.into())))
	}
	fn prune_case(p: u32, _r: u32, ) -> Weight {
		Weight::from_parts(67_860_580, 3858)
			.saturating_add(Weight::from_parts(2_137_895, 0).saturating_mul(p.into()))
			.saturating_add(ParityDbWeight::get().reads(5_u64))
			.saturating_add(ParityDbWeight::get().writes(4_u64))
			.saturating_add(ParityDbWeight::get().writes((1_u64).saturating_mul(p.into())))
	}
}

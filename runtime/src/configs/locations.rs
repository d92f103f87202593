//! The location cells: Song et al.'s Empty / Infected / Clean states, check-ins and materials.

#[cfg(feature = "runtime-benchmarks")]
use super::benchmark;
use super::governance::AuthorityOrigin;
use crate::{Csi, Runtime, Timestamp};
use epichain_primitives::{RETENTION_DAYS, SECONDS_PER_DAY};
use frame_support::traits::{ConstU32, ConstU64};

impl pallet_locations::Config for Runtime {
	type AuthorityOrigin = AuthorityOrigin;
	type UnixTime = Timestamp;
	type VenueLocators = Csi;
	/// Song et al.: a place is Clean again 14 days after its last infection.
	type InfectionWindow = ConstU64<{ RETENTION_DAYS as u64 * SECONDS_PER_DAY }>;
	/// Precision 6 (about 1.2 km x 0.6 km) for districts up to 9 (about 5 m) for venues; 7
	/// (about 150 m) is the usual public place.
	type MinPrecision = ConstU32<6>;
	type MaxPrecision = ConstU32<9>;
	/// A venue registers its own cells only when whitelisted for premises-sized region (about
	/// 1.2 km x 0.6 km or smaller); a coarser venue asks the authority.
	type MinVenueRegionPrecision = ConstU32<6>;
	type MaxHistory = ConstU32<32>;
	type VisitRetentionDays = ConstU32<RETENTION_DAYS>;
	type WeightInfo = pallet_locations::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = benchmark::Helper;
}

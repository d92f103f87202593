//! The health authority's origin.
//!
//! On dev and test chains the authority is the sudo key (Root). Production regions replace
//! sudo with a collective of the region's health authorities; every epichain pallet takes its
//! authority origin as a `Config` type, so the swap touches only this module.

use crate::{Runtime, RuntimeCall, RuntimeEvent};

impl pallet_sudo::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WeightInfo = pallet_sudo::weights::SubstrateWeight<Runtime>;
}

//! This runtime's measured weights for the upstream pallets it configures
//! (`scripts/benchmarks/run.sh pallet_collective pallet_membership pallet_preimage
//! pallet_whitelist`). Epichain's own pallets keep theirs in their crates.

pub mod pallet_collective;
pub mod pallet_membership;
pub mod pallet_preimage;
pub mod pallet_whitelist;

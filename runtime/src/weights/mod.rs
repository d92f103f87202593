//! This runtime's measured weights for the upstream pallets it configures
//! (`scripts/benchmarks/run.sh pallet_collective pallet_membership`). Epichain's own pallets keep
//! theirs in their crates.

pub mod pallet_collective;
pub mod pallet_membership;

//! Pallet configurations, one module per domain.
//!
//! - [`system`]: frame-system, block limits and database weights;
//! - [`consensus`]: timestamp, Aura, GRANDPA;
//! - [`currency`]: balances and transaction fees;
//! - [`governance`]: the health-authority council and the authority origin (sudo on dev and
//!   local chains only);
//! - the contact-tracing pallets, one module each: [`matchers`] (the enclave registry), [`csi`]
//!   (sealed stays), [`locations`] (cells and their states), [`diagnosis`] (endorsements),
//!   [`notifications`] (jobs, results, the risk rule);
//! - [`offchain`]: the transactions off-chain workers build;
//! - `benchmark` (with `runtime-benchmarks`): what those pallets' benchmarks need.

#[cfg(feature = "runtime-benchmarks")]
mod benchmark;
pub mod consensus;
pub mod csi;
pub mod currency;
pub mod diagnosis;
pub mod governance;
pub mod locations;
pub mod matchers;
pub mod notifications;
pub mod offchain;
pub mod system;

pub use system::{
	RuntimeBlockLength, RuntimeBlockWeights, MAX_BLOCK_LENGTH, NORMAL_DISPATCH_RATIO,
};

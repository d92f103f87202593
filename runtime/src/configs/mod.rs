//! Pallet configurations, one module per domain.
//!
//! - [`system`]: frame-system, block limits and database weights;
//! - [`consensus`]: timestamp, Aura, GRANDPA;
//! - [`currency`]: balances and transaction fees;
//! - [`governance`]: the health-authority council and the authority origin (sudo on dev and
//!   local chains only);
//! - [`tracing`]: the contact-tracing pallets (matcher registry, CSI).

pub mod consensus;
pub mod currency;
pub mod governance;
pub mod system;
pub mod tracing;

pub use system::{
	RuntimeBlockLength, RuntimeBlockWeights, MAX_BLOCK_LENGTH, NORMAL_DISPATCH_RATIO,
};

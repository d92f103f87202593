//! # epichain matcher: the TEE matcher service
//!
//! The matcher (Wen et al.'s TEE) follows a region's chain, opens every CSI entry sealed to its
//! keys, keeps the retention window's stays in memory, and judges each endorsed case: who was
//! within the close-contact distance of the case for how long, and which location cells the
//! case visited. Its answer is a [`MatchResult`](epichain_primitives::matching::MatchResult)
//! signed with the enclave's key, which validators' off-chain workers relay to the chain;
//! nothing else leaves the enclave.
//!
//! - [`enclave`]: the enclave boundary ([`enclave::Enclave`]) and its simulation.
//! - [`index`] and [`judge`]: the spatiotemporal index and the deterministic judgement.
//! - [`chain`] and [`follower`]: reading the chain over RPC and indexing new batches.
//! - [`registrar`]: registering the enclave's keys (printed for the authority, or
//!   self-registered on dev chains).
//! - [`sealed`]: the enclave's secrets sealed to disk, so a restarted matcher is the same one.
//! - [`service`]: the HTTP endpoints.

pub mod chain;
pub mod enclave;
pub mod follower;
pub mod index;
pub mod judge;
pub mod registrar;
pub mod sealed;
pub mod service;

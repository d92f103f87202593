//! # epichain matcher: the host of the TEE matcher
//!
//! The matcher (Wen et al.'s TEE) follows a region's chain, opens every CSI entry sealed to its
//! keys, keeps the retention window's stays in memory, and judges each endorsed case: who was
//! within the close-contact distance of the case for how long, and which location cells the
//! case visited. Its answer is a [`MatchResult`](epichain_primitives::matching::MatchResult)
//! signed with the enclave's key, which validators' off-chain workers relay to the chain;
//! nothing else leaves the enclave.
//!
//! The trusted part (opening, the index, the judgement, the keys, signing, sealed state) is the
//! `epichain-enclave` crate ([`epichain_enclave::Enclave`]), which links no runtime. This crate
//! is the host around it, outside the trust boundary:
//! - [`chain`] and [`follower`]: reading the chain over RPC, through subxt and the interface
//!   `epichain-api` generates from the runtime's metadata (the host links no runtime and no
//!   pallet), proving each block body and storage value against its block's header, and
//!   handing new batches in;
//! - [`finality`]: which blocks are final, from GRANDPA justifications checked from the chain
//!   spec's genesis on (never the node's word);
//! - [`registrar`]: registering the enclave's keys (printed for the authority, or
//!   self-registered on dev chains);
//! - [`epochs`]: which replica makes each sealing epoch's key, and when a standby takes over;
//! - [`replica`]: carrying a new replica's request for the keys to a running replica, and the
//!   sealed keys back;
//! - [`service`]: the HTTP endpoints.

pub mod chain;
pub mod epochs;
pub mod finality;
pub mod follower;
pub mod registrar;
pub mod replica;
pub mod service;

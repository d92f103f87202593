//! # epichain matcher: the enclave's index and close-contact judgement
//!
//! The matcher (Wen et al.'s TEE) opens every CSI entry sealed to its keys, keeps the
//! retention window's points in memory, and judges each endorsed case: who was within the
//! close-contact distance of the case for how long, and which location cells the case visited.
//! Its answer is a [`MatchResult`](epichain_primitives::matching::MatchResult) signed with the
//! enclave's key; nothing else leaves the enclave.
//!
//! This crate is the enclave-side core: [`index::Index`] (points by minute and cell) and
//! [`judge::judge`] (the deterministic judgement). The HTTP service, the chain follower, the
//! key epochs and the off-chain worker that relays results build on it.

pub mod index;
pub mod judge;

//! Fuzz harnesses for epichain.
//!
//! - [`runtime`]: the native runtime, from the development genesis plus a registered matcher,
//!   driven block by block through fuzzer-chosen programs of calls ([`ops`]), with the
//!   pallets' invariants, the block limits and the storage bounds checked after every block.
//! - [`decoders`]: arbitrary bytes into the primitives' parsers, the sealing open path and the
//!   SCALE decoding of what extrinsics carry.
//!
//! libFuzzer drives both from `fuzz/libfuzzer` (`scripts/fuzz.sh`); the tests of this crate
//! replay the committed corpus and the [`seeds`] on stable Rust, with no fuzzer.

pub mod decoders;
pub mod ops;
pub mod runtime;
pub mod seeds;
pub mod wire;

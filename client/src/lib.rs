//! The epichain client library behind the `epichain` command line.
//!
//! Everything an app maker needs to talk to an epichain region over RPC, on subxt: the
//! runtime's types generated from `metadata/epichain.scale`, connection and transaction helpers
//! that name the runtime's errors, and the pure parts (device keys, trajectory files, sealing,
//! the synthetic population) that never touch the network.

/// Types, calls, storage and events generated from the runtime's metadata.
#[subxt::subxt(
	runtime_metadata_path = "metadata/epichain.scale",
	derive_for_all_types = "Clone, PartialEq, Eq, Debug"
)]
pub mod runtime {}

pub mod keys;
pub mod region;
pub mod batches;
pub mod trajectory;
pub mod simulate;

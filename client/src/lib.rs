//! The epichain client library behind the `epichain` command line.
//!
//! Everything an app maker needs to talk to an epichain region over RPC, on subxt: the
//! runtime's types generated from `metadata/epichain.scale`, connection and transaction helpers
//! that name the runtime's errors, and the pure parts (device keys, trajectory files, sealing,
//! the synthetic population) that never touch the network.

/// Types, calls, storage and events generated from the runtime's metadata.
///
/// The epichain primitives the runtime shares with devices (geohashes, batch headers, consent,
/// TCN reports) are the primitives crate's own types, wrapped in `Static` (SCALE-encoded as they
/// are), so what the client signs is byte for byte what the runtime verifies.
#[subxt::subxt(
	runtime_metadata_path = "metadata/epichain.scale",
	derive_for_all_types = "Clone, PartialEq, Eq, Debug",
	substitute_type(
		path = "epichain_primitives::geohash::Geohash",
		with = "::subxt::utils::Static<::epichain_primitives::geohash::Geohash>"
	),
	substitute_type(
		path = "epichain_primitives::csi::BatchHeader",
		with = "::subxt::utils::Static<::epichain_primitives::csi::BatchHeader>"
	),
	substitute_type(
		path = "epichain_primitives::diagnosis::DayWindow",
		with = "::subxt::utils::Static<::epichain_primitives::diagnosis::DayWindow>"
	),
	substitute_type(
		path = "epichain_primitives::diagnosis::ConsentedPseudonym",
		with = "::subxt::utils::Static<::epichain_primitives::diagnosis::ConsentedPseudonym>"
	),
	substitute_type(
		path = "epichain_primitives::tcn::SignedReport",
		with = "::subxt::utils::Static<::epichain_primitives::tcn::SignedReport>"
	)
)]
pub mod runtime {}

pub mod batches;
pub mod cli;
pub mod council;
pub mod endorse;
pub mod http;
pub mod keys;
pub mod load;
pub mod region;
pub mod simulate;
pub mod simulate_cmd;
pub mod stays;
pub mod submit;
pub mod trajectory;
pub mod upgrade;
pub mod validator;

/// The runtime's block length limit (`epichain_runtime::configs::system::MAX_BLOCK_LENGTH`).
pub const MAX_BLOCK_LENGTH: u32 = 5 * 1024 * 1024;

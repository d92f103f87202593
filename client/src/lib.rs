//! The epichain client library behind the `epichain` command line.
//!
//! Everything an app maker needs to talk to an epichain region over RPC, on subxt: the
//! runtime's types generated from its metadata (`epichain-api`), connection and transaction helpers
//! that name the runtime's errors, and the pure parts (device keys, trajectory files, sealing,
//! the synthetic population) that never touch the network.

/// Types, calls, storage and events generated from the runtime's metadata (`epichain-api`).
pub use epichain_api::runtime;

pub mod batches;
pub mod cli;
pub mod connection;
pub mod consent;
pub mod council;
pub mod endorse;
pub mod http;
pub mod keys;
pub mod load;
pub mod output;
pub mod simulate;
pub mod simulate_cmd;
pub mod stays;
pub mod submit;
pub mod trajectory;
pub mod upgrade;
pub mod validator;
pub mod venue;

#[cfg(test)]
mod tests {
	/// The node's own JSON-RPC namespaces, kept for people with curl.
	const CUSTOM_RPC: [&str; 4] = ["\"csi_", "\"locations_", "\"diagnosis_", "\"notifications_"];

	/// The client reads through runtime APIs, storage and the standard methods only, so a light
	/// client or any node serves it: no source file names a custom RPC method.
	#[test]
	fn no_custom_rpc_method_is_called() {
		let mut dirs = vec![std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/src"))];
		let mut files = 0;
		while let Some(dir) = dirs.pop() {
			for entry in std::fs::read_dir(&dir).expect("the client's sources") {
				let path = entry.expect("a directory entry").path();
				if path.is_dir() {
					dirs.push(path);
					continue;
				}
				let text = std::fs::read_to_string(&path).expect("a source file");
				let text = text.split("#[cfg(test)]").next().unwrap_or_default();
				for method in CUSTOM_RPC {
					assert!(!text.contains(method), "{} calls a {method}* method", path.display());
				}
				files += 1;
			}
		}
		assert!(files > 10, "read the client's sources");
	}
}

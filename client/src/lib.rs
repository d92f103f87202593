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
	use std::path::PathBuf;

	/// The package's directory as cargo gives it when the test runs, not when it was compiled: a
	/// shared target directory may hold a test binary built in another clone, perhaps deleted.
	fn manifest_dir() -> PathBuf {
		std::env::var_os("CARGO_MANIFEST_DIR")
			.map_or_else(|| env!("CARGO_MANIFEST_DIR").into(), Into::into)
	}

	/// The node's own JSON-RPC methods, kept for people with curl, as `namespace_method`: read
	/// from the `#[rpc(namespace = ..)]` traits under `node/src/rpc`, so a method added there is
	/// checked here too.
	fn custom_rpc_methods() -> Vec<String> {
		let dir = manifest_dir().join("../node/src/rpc");
		let quoted_after = |line: &str, key: &str| {
			let rest = &line[line.find(key)? + key.len()..];
			Some(rest[..rest.find('"')?].to_owned())
		};
		let mut methods = Vec::new();
		for entry in std::fs::read_dir(&dir).expect("the node's RPC sources") {
			let text = std::fs::read_to_string(entry.expect("a directory entry").path())
				.expect("an RPC source file");
			let mut namespace = None;
			for line in text.lines() {
				if let Some(ns) = quoted_after(line, "namespace = \"") {
					namespace = Some(ns);
				} else if let (Some(ns), Some(name)) =
					(&namespace, quoted_after(line, "#[method(name = \""))
				{
					methods.push(format!("{ns}_{name}"));
				}
			}
		}
		methods
	}

	/// The client reads through runtime APIs, storage and the standard methods only, so a light
	/// client or any node serves it: no source file names a custom RPC method.
	#[test]
	fn no_custom_rpc_method_is_called() {
		let methods = custom_rpc_methods();
		assert!(methods.iter().any(|m| m == "notifications_ofDay"), "read the node's methods");
		let mut dirs = vec![manifest_dir().join("src")];
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
				for method in &methods {
					let quoted = format!("\"{method}\"");
					assert!(!text.contains(&quoted), "{} calls {method}", path.display());
				}
				files += 1;
			}
		}
		assert!(files > 10, "read the client's sources");
	}
}

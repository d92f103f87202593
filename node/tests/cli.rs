//! The usual sc-cli maintenance subcommands work on epichain's chains.

mod common;

use std::{fs, path::PathBuf, process::Command};

use common::{run_node, NODE};

/// A fresh directory under the system temp dir, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
	fn new(name: &str) -> TempDir {
		let dir = std::env::temp_dir().join(format!("epichain-cli-{name}-{}", std::process::id()));
		let _ = fs::remove_dir_all(&dir);
		fs::create_dir_all(&dir).unwrap();
		TempDir(dir)
	}
	fn path(&self) -> &str {
		self.0.to_str().unwrap()
	}
}

impl Drop for TempDir {
	fn drop(&mut self) {
		let _ = fs::remove_dir_all(&self.0);
	}
}

#[test]
fn key_insert_writes_the_key_into_the_chains_keystore() {
	let base = TempDir::new("keystore");
	run_node(&[
		"key",
		"insert",
		"--chain",
		"local",
		"--base-path",
		base.path(),
		"--key-type",
		"aura",
		"--scheme",
		"sr25519",
		"--suri",
		"//Alice",
	]);
	let keystore = base.0.join("chains/local_testnet/keystore");
	let files: Vec<String> = fs::read_dir(&keystore)
		.unwrap_or_else(|e| panic!("{} exists: {e}", keystore.display()))
		.map(|e| e.unwrap().file_name().into_string().unwrap())
		.collect();
	// File name: hex key type ("aura") followed by the hex public key of //Alice.
	assert_eq!(
		files,
		vec!["61757261d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d".to_string()]
	);
}

#[test]
fn purge_chain_removes_the_database() {
	let base = TempDir::new("purge");
	// Initialise a database without running a node: export the genesis state's blocks. (The
	// local chain: a regional template has no validators, so GRANDPA cannot start from it.)
	run_node(&[
		"export-blocks",
		"--chain",
		"local",
		"--base-path",
		base.path(),
		"--to",
		"0",
		"/dev/null",
	]);
	let db = base.0.join("chains/local_testnet/paritydb");
	assert!(db.exists(), "{} was created", db.display());
	run_node(&["purge-chain", "-y", "--chain", "local", "--base-path", base.path()]);
	assert!(!db.exists(), "{} was removed", db.display());
}

#[test]
fn build_spec_and_export_chain_spec_agree() {
	let build: serde_json::Value = serde_json::from_str(&run_node(&[
		"build-spec",
		"--chain",
		"osaka",
		"--raw",
		"--disable-default-bootnode",
	]))
	.unwrap();
	let export: serde_json::Value =
		serde_json::from_str(&run_node(&["export-chain-spec", "--chain", "osaka", "--raw"]))
			.unwrap();
	assert_eq!(build["genesis"], export["genesis"]);
	assert_eq!(build["id"], "epichain_osaka");
	// The raw genesis holds storage, not a preset name.
	assert!(build["genesis"]["raw"]["top"].as_object().unwrap().len() > 10);
}

#[test]
fn rocksdb_is_not_compiled_in() {
	let out = Command::new(NODE)
		.args([
			"--dev",
			"--tmp",
			"--database",
			"rocksdb",
			"--rpc-port",
			"0",
			"--port",
			"0",
			"--no-prometheus",
		])
		.output()
		.unwrap();
	assert!(!out.status.success(), "a node asked for RocksDB refuses to start");
	let err = String::from_utf8_lossy(&out.stderr);
	assert!(err.contains("rocksdb"), "the error names the refused database: {err}");
}

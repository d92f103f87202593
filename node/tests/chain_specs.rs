//! `--chain` accepts every epichain network by name and by path, and the regional genesis keys
//! are the ones their derivation paths say.

mod common;

use common::{manifest_dir, run_node};
use serde_json::Value;

fn export(chain: &str) -> Value {
	serde_json::from_str(&run_node(&["export-chain-spec", "--chain", chain])).expect("spec is JSON")
}

#[test]
fn every_network_loads_by_name_with_its_own_identity() {
	let mut ids = Vec::new();
	for (name, id, symbol) in [
		("dev", "dev", "EPI"),
		("local", "local_testnet", "EPI"),
		("tokyo", "epichain_tokyo", "EPT"),
		("osaka", "epichain_osaka", "EPO"),
	] {
		let spec = export(name);
		assert_eq!(spec["id"], id, "{name}");
		assert_eq!(spec["properties"]["tokenSymbol"], symbol, "{name}");
		assert!(
			spec["genesis"]["runtimeGenesis"]["patch"].is_object(),
			"{name} is built from a preset"
		);
		ids.push(spec["protocolId"].as_str().unwrap().to_string());
	}
	ids.sort();
	ids.dedup();
	assert_eq!(ids.len(), 4, "every network has its own libp2p protocol id");
	let tokyo = export("tokyo");
	assert_ne!(tokyo["properties"]["ss58Format"], export("osaka")["properties"]["ss58Format"]);
	assert_eq!(tokyo["bootNodes"].as_array().unwrap().len(), 2);
}

#[test]
fn regional_specs_load_by_path_too() {
	for file in ["tokyo.json", "tokyo-raw.json", "osaka.json", "osaka-raw.json"] {
		let path = manifest_dir().join("../chain-specs").join(file);
		let path = path.to_str().expect("a UTF-8 path");
		let spec: Value = serde_json::from_str(&run_node(&["export-chain-spec", "--chain", path]))
			.expect("spec is JSON");
		assert!(spec["id"].as_str().unwrap().starts_with("epichain_"), "{file}");
	}
}

#[test]
fn unknown_chain_is_a_clear_error() {
	let out = std::process::Command::new(common::NODE)
		.args(["export-chain-spec", "--chain", "atlantis"])
		.output()
		.unwrap();
	assert!(!out.status.success());
	let err = String::from_utf8_lossy(&out.stderr);
	assert!(err.contains("not a known chain"), "{err}");
}

#[test]
fn regional_specs_are_templates_without_keys() {
	// A region's keys come from its ceremony (scripts/ceremony.py, client/tests/ceremony.rs).
	for region in ["tokyo", "osaka"] {
		let spec = export(region);
		let patch = &spec["genesis"]["runtimeGenesis"]["patch"];
		for (what, value) in [
			("validators", &patch["session"]["keys"]),
			("council", &patch["councilMembership"]["members"]),
			("balances", &patch["balances"]["balances"]),
		] {
			assert_eq!(value, &serde_json::json!([]), "{region}'s template has no {what}");
		}
		assert!(patch["sudo"]["key"].is_null(), "{region} has no sudo key: {}", patch["sudo"]);
	}
}

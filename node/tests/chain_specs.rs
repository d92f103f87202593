//! `--chain` accepts every epichain network by name and by path, and the regional genesis keys
//! are the ones their derivation paths say.

mod common;

use common::run_node;
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
		let path = format!("{}/../chain-specs/{file}", env!("CARGO_MANIFEST_DIR"));
		let spec: Value = serde_json::from_str(&run_node(&["export-chain-spec", "--chain", &path]))
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

/// The SS58 address `epichain-node key inspect` derives for `suri` under `scheme`.
fn inspect(scheme: &str, suri: &str) -> String {
	let out = run_node(&["key", "inspect", "--scheme", scheme, "--output-type", "json", suri]);
	let v: Value = serde_json::from_str(&out).expect("inspect prints JSON");
	v["ss58PublicKey"].as_str().unwrap().to_string()
}

#[test]
fn regional_genesis_keys_match_their_derivation_paths() {
	for region in ["tokyo", "osaka"] {
		let spec = export(region);
		let patch = &spec["genesis"]["runtimeGenesis"]["patch"];
		let aura: Vec<&str> = patch["aura"]["authorities"]
			.as_array()
			.unwrap()
			.iter()
			.map(|v| v.as_str().unwrap())
			.collect();
		let grandpa: Vec<&str> = patch["grandpa"]["authorities"]
			.as_array()
			.unwrap()
			.iter()
			.map(|v| v[0].as_str().unwrap())
			.collect();
		for n in 1..=4 {
			let suri = format!("//epichain//{region}//validator-{n}");
			assert_eq!(aura[n - 1], inspect("sr25519", &suri), "{region} aura {n}");
			assert_eq!(grandpa[n - 1], inspect("ed25519", &suri), "{region} grandpa {n}");
		}
		// Regional chains have no sudo key; the council governs.
		assert!(patch["sudo"]["key"].is_null(), "{region} has no sudo key: {}", patch["sudo"]);
		let council: Vec<&str> = patch["councilMembership"]["members"]
			.as_array()
			.unwrap()
			.iter()
			.map(|v| v.as_str().unwrap())
			.collect();
		for n in 1..=3 {
			let suri = format!("//epichain//{region}//council-{n}");
			assert_eq!(council[n - 1], inspect("sr25519", &suri), "{region} council {n}");
		}
	}
}

//! Chain specifications of epichain's networks.
//!
//! Every spec is built from a genesis preset of the runtime (`development`, `local_testnet`,
//! `tokyo`, `osaka`), so the node and `chain-specs/*.json` always agree on genesis.
//! `chain-specs/generate.sh` regenerates the committed JSON from these functions.

use epichain_runtime::{genesis_config_presets, WASM_BINARY};
use sc_service::ChainType;
use serde_json::json;

/// The chain spec type of epichain: no client extensions.
pub type ChainSpec = sc_service::GenericChainSpec;

/// Placeholder boot node peer id (the peer id of the well-known all-zero-but-one node key).
/// Regional operators publish their real boot nodes before launch.
const PLACEHOLDER_PEER_ID: &str = "12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp";

/// A region's identity on the network and in wallets.
struct ChainIdentity {
	/// Human-readable chain name.
	name: &'static str,
	/// Chain id: the base-path directory and what `--chain` accepts.
	id: &'static str,
	/// Runtime genesis preset.
	preset: &'static str,
	/// libp2p protocol id: keeps regions on separate networks even on shared hosts.
	protocol_id: &'static str,
	/// Token symbol shown by wallets.
	token_symbol: &'static str,
	/// SS58 address prefix shown by wallets.
	ss58_format: u16,
	/// Placeholder DNS names of the region's boot nodes.
	boot_hosts: &'static [&'static str],
}

const DEV: ChainIdentity = ChainIdentity {
	name: "epichain development",
	id: "dev",
	preset: sp_genesis_builder::DEV_RUNTIME_PRESET,
	protocol_id: "epi-dev",
	token_symbol: "EPI",
	ss58_format: 42,
	boot_hosts: &[],
};

const LOCAL: ChainIdentity = ChainIdentity {
	name: "epichain local testnet",
	id: "local_testnet",
	preset: sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET,
	protocol_id: "epi-local",
	token_symbol: "EPI",
	ss58_format: 42,
	boot_hosts: &[],
};

const TOKYO: ChainIdentity = ChainIdentity {
	name: "epichain Tokyo",
	id: "epichain_tokyo",
	preset: genesis_config_presets::TOKYO_PRESET,
	protocol_id: "epi-tokyo",
	token_symbol: "EPT",
	ss58_format: 4001,
	boot_hosts: &["boot-1.tokyo.epichain.invalid", "boot-2.tokyo.epichain.invalid"],
};

const OSAKA: ChainIdentity = ChainIdentity {
	name: "epichain Osaka",
	id: "epichain_osaka",
	preset: genesis_config_presets::OSAKA_PRESET,
	protocol_id: "epi-osaka",
	token_symbol: "EPO",
	ss58_format: 4002,
	boot_hosts: &["boot-1.osaka.epichain.invalid", "boot-2.osaka.epichain.invalid"],
};

fn build(region: &ChainIdentity, chain_type: ChainType) -> Result<ChainSpec, String> {
	let wasm = WASM_BINARY.ok_or_else(|| {
		"The runtime's wasm binary is not available: the node was built with SKIP_WASM_BUILD. \
		 Rebuild without it."
			.to_string()
	})?;
	let properties = json!({
		"tokenSymbol": region.token_symbol,
		"tokenDecimals": 12,
		"ss58Format": region.ss58_format,
	});
	let boot_nodes = region
		.boot_hosts
		.iter()
		.map(|host| {
			format!("/dns/{host}/tcp/30333/p2p/{PLACEHOLDER_PEER_ID}")
				.parse()
				.map_err(|e| format!("invalid boot node address for {host}: {e}"))
		})
		.collect::<Result<Vec<_>, _>>()?;
	Ok(ChainSpec::builder(wasm, None)
		.with_name(region.name)
		.with_id(region.id)
		.with_chain_type(chain_type)
		.with_protocol_id(region.protocol_id)
		.with_genesis_config_preset_name(region.preset)
		.with_properties(properties.as_object().cloned().unwrap_or_default())
		.with_boot_nodes(boot_nodes)
		.build())
}

/// One validator (Alice) on this machine.
pub fn development_chain_spec() -> Result<ChainSpec, String> {
	build(&DEV, ChainType::Development)
}

/// Four validators (Alice, Bob, Charlie, Dave) on this machine or a lab network.
pub fn local_chain_spec() -> Result<ChainSpec, String> {
	build(&LOCAL, ChainType::Local)
}

/// The Tokyo region (placeholder genesis keys and boot nodes until launch).
pub fn tokyo_chain_spec() -> Result<ChainSpec, String> {
	build(&TOKYO, ChainType::Live)
}

/// The Osaka region (placeholder genesis keys and boot nodes until launch).
pub fn osaka_chain_spec() -> Result<ChainSpec, String> {
	build(&OSAKA, ChainType::Live)
}

/// Loads `--chain`: a known name, or else the path of a chain spec JSON file.
pub fn load(id: &str) -> Result<Box<dyn sc_service::ChainSpec>, String> {
	Ok(match id {
		"dev" => Box::new(development_chain_spec()?),
		"" | "local" | "local_testnet" => Box::new(local_chain_spec()?),
		"tokyo" | "epichain_tokyo" => Box::new(tokyo_chain_spec()?),
		"osaka" | "epichain_osaka" => Box::new(osaka_chain_spec()?),
		path => Box::new(ChainSpec::from_json_file(std::path::PathBuf::from(path)).map_err(
			|e| format!("--chain {path}: not a known chain (dev, local, tokyo, osaka) nor a readable chain spec file: {e}"),
		)?),
	})
}

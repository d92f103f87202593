//! Genesis presets: `development` (one validator), `local_testnet` (four validators) and the
//! regional presets `tokyo` and `osaka`.
//!
//! The health authority is a council (see `configs::governance`). Dev and local chains also keep
//! a sudo key (Alice) so that tests and demos act in one step; regional chains have none.
//!
//! The regional presets name their genesis validators and council by public key only, as a
//! real regional chain spec does. The keys committed here are **placeholders** derived from the
//! well-known development phrase (`//epichain//<region>//validator-<n>` and
//! `//epichain//<region>//council-<n>`): anyone can sign with them. Before a region launches, its
//! health authorities replace them with keys they generated themselves (see
//! `chain-specs/README.md`).

use alloc::{vec, vec::Vec};
use frame_support::build_struct_json_patch;
use serde_json::Value;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_core::{crypto::UncheckedFrom, ed25519, sr25519};
use sp_genesis_builder::{self, PresetId};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

use crate::{
	AccountId, AuraConfig, BalancesConfig, CouncilMembershipConfig, CsiConfig, DiagnosisConfig,
	GrandpaConfig, RuntimeGenesisConfig, SudoConfig, UNIT,
};
use pallet_csi::LocatorKind;

/// Preset name of the Tokyo regional chain.
pub const TOKYO_PRESET: &str = "tokyo";
/// Preset name of the Osaka regional chain.
pub const OSAKA_PRESET: &str = "osaka";

/// Balance given to every genesis account: enough for years of authority and validator fees.
pub const GENESIS_ENDOWMENT: u128 = 1_000_000 * UNIT;

/// One genesis validator: its Aura (sr25519) and GRANDPA (ed25519) public keys. The validator's
/// account is its Aura key.
struct Validator {
	aura: [u8; 32],
	grandpa: [u8; 32],
}

/// Public keys of a region's genesis.
struct Region {
	/// The health-authority council's members' accounts.
	council: [[u8; 32]; 3],
	validators: [Validator; 4],
}

const fn h(s: &str) -> [u8; 32] {
	// Hex decoding at compile time keeps the keys readable next to their derivation paths.
	let b = s.as_bytes();
	let mut out = [0u8; 32];
	let mut i = 0;
	while i < 32 {
		out[i] = (nibble(b[2 * i]) << 4) | nibble(b[2 * i + 1]);
		i += 1;
	}
	out
}

const fn nibble(c: u8) -> u8 {
	match c {
		b'0'..=b'9' => c - b'0',
		b'a'..=b'f' => c - b'a' + 10,
		_ => panic!("invalid hex digit in a genesis key"),
	}
}

/// Tokyo: `//epichain//tokyo//council-{1..3}`, `//epichain//tokyo//validator-{1..4}`.
const TOKYO: Region = Region {
	council: [
		h("4c98e5960f2c0375894d19e9a282de6b5b12a622ba960eabb5ac9f3e8c537a3f"),
		h("b8d261ff75cd9e1fd932d2df3821c05189e68e6c7e74a74d32ca9371cb543e38"),
		h("08f093ef43eb27b8747ea25bb6738c4656d0e721dfc0f7d60ef54f8fddc4934f"),
	],
	validators: [
		Validator {
			aura: h("ba1eb4ebff42b0464c0695e407f5752a88fa56353451fe43c122d2e4400bed59"),
			grandpa: h("39441609b3e64a6a0f6421a1874101b86927352c4b1471de56c9cf9951d0f205"),
		},
		Validator {
			aura: h("a876a9a653910907abd4fae6f9ca285d39c1cfda8be2b8065fb1038408850003"),
			grandpa: h("03d30beaabcf98168b192db43f08c6506854385e890ccf84aa1dffdd4c6778dc"),
		},
		Validator {
			aura: h("283182ca19d13381e077da3013946f672e43ac749213425d673675adbbe98b73"),
			grandpa: h("06dc440696d4c2749100268388690ba25d1860ad2c1f59b7e980797616227b20"),
		},
		Validator {
			aura: h("78a2f201035d8c93d0ddc97655b46989fb6b7084495ae6e254a31644cc61fd28"),
			grandpa: h("5c8f4eb10f61bb9b2261c19ba06a22e880cab56a24b35ac5da06015027f16c11"),
		},
	],
};

/// Osaka: `//epichain//osaka//council-{1..3}`, `//epichain//osaka//validator-{1..4}`.
const OSAKA: Region = Region {
	council: [
		h("3e591062418be106b8de0e5852c227ca1b8d7bbe694f38d0c321853fb1b58a0c"),
		h("b26dc9a8dc87bf95dbf38d519b1f880f1af66dcf8af4eaae364a7b7314ec2e7e"),
		h("bc6a81f7240ca29293c4d2bf95ca2055ee7c15f4a3acd3993ba095e0e1da6358"),
	],
	validators: [
		Validator {
			aura: h("061fac9b0e6ee01a930065abcd976f0576d2f4d4ac2468864bc425fa57ec5111"),
			grandpa: h("8da6c7856aeab2553d08abaf875aa171b5e765fdb29e53d326a7564fc9521a6c"),
		},
		Validator {
			aura: h("20202ba9374d162053ba9a0a8769aebd53b2c34a9b1d45d307e99cd4104f7e29"),
			grandpa: h("34745f429f1747d0110e269c5b9a34cf691cce51023910cf6f3f45be007cc38f"),
		},
		Validator {
			aura: h("e493f0ab7f363bc559a373bd3fb84144d701e4ec9058377a32766c3791446d40"),
			grandpa: h("be1a6ec9f8ae81a473421ceea42a80280f6804bd177c0b1bb964e5d608e90847"),
		},
		Validator {
			aura: h("c02a8ca3d0164f81a4057079f1eea437757f00bedebb20868bac2b474bd7b05d"),
			grandpa: h("e75e8384f58e6ec30ad65920cb0967c38aac65cd4839022013312a6b21aa3db6"),
		},
	],
};

/// The genesis JSON patch shared by every preset.
fn genesis(
	authorities: Vec<(AuraId, GrandpaId)>,
	endowed: Vec<AccountId>,
	sudo: Option<AccountId>,
	council: Vec<AccountId>,
	locators: Vec<(AccountId, LocatorKind, Vec<u8>)>,
	diagnosticians: Vec<(AccountId, Vec<u8>)>,
) -> Value {
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig {
			balances: endowed.into_iter().map(|a| (a, GENESIS_ENDOWMENT)).collect::<Vec<_>>(),
		},
		aura: AuraConfig { authorities: authorities.iter().map(|(a, _)| a.clone()).collect() },
		grandpa: GrandpaConfig {
			authorities: authorities.into_iter().map(|(_, g)| (g, 1)).collect(),
		},
		sudo: SudoConfig { key: sudo },
		council_membership: CouncilMembershipConfig {
			members: council.try_into().expect("a genesis council fits MaxMembers"),
		},
		csi: CsiConfig { locators },
		diagnosis: DiagnosisConfig { diagnosticians },
	})
}

fn keyring_validator(sr: Sr25519Keyring, ed: Ed25519Keyring) -> (AuraId, GrandpaId) {
	(sr.public().into(), ed.public().into())
}

/// The well-known development accounts (Alice ... Ferdie and their stashes) funded on dev chains.
fn dev_accounts() -> Vec<AccountId> {
	Sr25519Keyring::iter()
		.filter(|k| k != &Sr25519Keyring::One && k != &Sr25519Keyring::Two)
		.map(|k| k.to_account_id())
		.collect()
}

/// The locator whitelisted on dev and local chains: Eve, an app gateway for the whole world
/// (empty region), so clients and tests can write batches without a registration step.
fn dev_locators() -> Vec<(AccountId, LocatorKind, Vec<u8>)> {
	vec![(Sr25519Keyring::Eve.to_account_id(), LocatorKind::AppGateway, Vec::new())]
}

/// The council of dev and local chains: Alice, Bob and Charlie, so two of them pass a motion.
fn dev_council() -> Vec<AccountId> {
	[Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Charlie]
		.iter()
		.map(|k| k.to_account_id())
		.collect()
}

/// The diagnostician registered on dev and local chains: Ferdie, for the whole world (empty
/// jurisdiction), so a case can be endorsed without a registration step.
fn dev_diagnosticians() -> Vec<(AccountId, Vec<u8>)> {
	vec![(Sr25519Keyring::Ferdie.to_account_id(), Vec::new())]
}

/// One validator (Alice), Alice the sudo key, Alice, Bob and Charlie the council, the usual dev accounts funded, Eve a locator,
/// Ferdie a diagnostician.
pub fn development_config_genesis() -> Value {
	genesis(
		vec![keyring_validator(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
		dev_accounts(),
		Some(Sr25519Keyring::Alice.to_account_id()),
		dev_council(),
		dev_locators(),
		dev_diagnosticians(),
	)
}

/// Four validators (Alice, Bob, Charlie, Dave): GRANDPA keeps finalising with one of them down.
pub fn local_config_genesis() -> Value {
	genesis(
		vec![
			keyring_validator(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
			keyring_validator(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
			keyring_validator(Sr25519Keyring::Charlie, Ed25519Keyring::Charlie),
			keyring_validator(Sr25519Keyring::Dave, Ed25519Keyring::Dave),
		],
		dev_accounts(),
		Some(Sr25519Keyring::Alice.to_account_id()),
		dev_council(),
		dev_locators(),
		dev_diagnosticians(),
	)
}

fn region_config_genesis(region: &Region) -> Value {
	let account = |k: &[u8; 32]| AccountId::from(sr25519::Public::unchecked_from(*k));
	let authorities = region
		.validators
		.iter()
		.map(|v| {
			(
				AuraId::from(sr25519::Public::unchecked_from(v.aura)),
				GrandpaId::from(ed25519::Public::unchecked_from(v.grandpa)),
			)
		})
		.collect();
	let mut endowed: Vec<AccountId> = region.validators.iter().map(|v| account(&v.aura)).collect();
	let council: Vec<AccountId> = region.council.iter().map(account).collect();
	endowed.extend(council.iter().cloned());
	// Regional chains have no sudo key, and start with no locators and no diagnosticians: the
	// council registers each one.
	genesis(authorities, endowed, None, council, Vec::new(), Vec::new())
}

/// The Tokyo region's genesis (placeholder keys; see the module docs).
pub fn tokyo_config_genesis() -> Value {
	region_config_genesis(&TOKYO)
}

/// The Osaka region's genesis (placeholder keys; see the module docs).
pub fn osaka_config_genesis() -> Value {
	region_config_genesis(&OSAKA)
}

/// The JSON of the preset `id`, if there is one.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		sp_genesis_builder::DEV_RUNTIME_PRESET => development_config_genesis(),
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => local_config_genesis(),
		TOKYO_PRESET => tokyo_config_genesis(),
		OSAKA_PRESET => osaka_config_genesis(),
		_ => return None,
	};
	serde_json::to_vec(&patch).ok()
}

/// Every preset this runtime provides.
pub fn preset_names() -> Vec<PresetId> {
	vec![
		PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET),
		PresetId::from(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET),
		PresetId::from(TOKYO_PRESET),
		PresetId::from(OSAKA_PRESET),
	]
}

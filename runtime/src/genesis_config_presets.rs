//! Genesis presets: `development` (one validator), `local_testnet` (four validators) and the
//! regional presets `tokyo` and `osaka`.
//!
//! The health authority is a council (see `configs::governance`). Dev and local chains also keep
//! a sudo key (Alice) so that tests and demos act in one step; regional chains have none.
//!
//! The regional presets are **templates**: a region's names and properties come from the node's
//! chain spec, and its keys from its key ceremony (`scripts/ceremony.py`): validators make their
//! Aura and GRANDPA keys in their own keystores, council members their accounts, and the spec is
//! built from the public halves. No key of a regional chain is ever derived from a public phrase
//! or committed here (see `chain-specs/README.md`).

use alloc::{vec, vec::Vec};
use frame_support::build_struct_json_patch;
use serde_json::Value;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_genesis_builder::{self, PresetId};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

use crate::{
	AccountId, BalancesConfig, BlockNumber, CouncilMembershipConfig, CsiConfig, DiagnosisConfig,
	MatchersConfig, RuntimeGenesisConfig, SessionConfig, SessionKeys, SudoConfig, ValidatorsConfig,
	HOURS, MINUTES, UNIT,
};
use pallet_csi::LocatorKind;

/// Preset name of the Tokyo regional chain.
pub const TOKYO_PRESET: &str = "tokyo";
/// Preset name of the Osaka regional chain.
pub const OSAKA_PRESET: &str = "osaka";

/// Balance given to every genesis account: enough for years of authority and validator fees.
/// `scripts/ceremony.py` endows a region's validators and council members with the same.
pub const GENESIS_ENDOWMENT: u128 = 1_000_000 * UNIT;

/// The genesis JSON patch shared by every preset.
fn genesis(
	validators: Vec<(AccountId, AuraId, GrandpaId)>,
	endowed: Vec<AccountId>,
	sudo: Option<AccountId>,
	council: Vec<AccountId>,
	locators: Vec<(AccountId, LocatorKind, Vec<u8>)>,
	diagnosticians: Vec<(AccountId, Vec<u8>)>,
	session_length: BlockNumber,
	simulation: Simulation,
) -> Value {
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig {
			balances: endowed.into_iter().map(|a| (a, GENESIS_ENDOWMENT)).collect::<Vec<_>>(),
		},
		// Aura's and GRANDPA's authorities come from the session's genesis keys.
		session: SessionConfig {
			keys: validators
				.into_iter()
				.map(|(account, aura, grandpa)| {
					(account.clone(), account, SessionKeys { aura, grandpa })
				})
				.collect::<Vec<_>>(),
		},
		validators: ValidatorsConfig { session_length },
		sudo: SudoConfig { key: sudo },
		council_membership: CouncilMembershipConfig {
			members: frame_support::BoundedVec::truncate_from(council),
		},
		csi: CsiConfig { locators },
		diagnosis: DiagnosisConfig { diagnosticians },
		matchers: MatchersConfig { allow_simulation: simulation == Simulation::Allowed },
	})
}

/// Whether a chain admits a matcher on SIMULATION evidence (no hardware isolation).
#[derive(PartialEq, Eq)]
enum Simulation {
	/// Development and local chains: the simulation matcher registers itself.
	Allowed,
	/// A region: only a verified DCAP quote admits a matcher.
	Refused,
}

/// A development validator: its account (the sr25519 key, which is also its Aura key) and keys.
fn keyring_validator(sr: Sr25519Keyring, ed: Ed25519Keyring) -> (AccountId, AuraId, GrandpaId) {
	(sr.to_account_id(), sr.public().into(), ed.public().into())
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
		// One validator and nothing to rotate: an hour, as on a region.
		HOURS,
		Simulation::Allowed,
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
		// A minute: a validator change shows within two; every tenth block carries no
		// transactions (the rotation's).
		MINUTES,
		Simulation::Allowed,
	)
}

/// A regional template: no validators, no council, no balances, no sudo key. The region's key
/// ceremony (`scripts/ceremony.py spec`) fills in the keys its validators and council members
/// made themselves; a template alone cannot produce a block.
fn region_template_genesis() -> Value {
	genesis(
		Vec::new(),
		Vec::new(),
		None,
		Vec::new(),
		Vec::new(),
		Vec::new(),
		HOURS,
		Simulation::Refused,
	)
}

/// The Tokyo region's template (keys come from its ceremony).
pub fn tokyo_config_genesis() -> Value {
	region_template_genesis()
}

/// The Osaka region's template (keys come from its ceremony).
pub fn osaka_config_genesis() -> Value {
	region_template_genesis()
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

/// The whole genesis config of preset `id`: its patch merged over the defaults, as the node
/// merges it before `build_state`. The one home of that merge for the runtime's, the node's
/// and the fuzz harness's tests.
#[cfg(feature = "std")]
pub fn merged_preset(id: &PresetId) -> Option<Value> {
	let patch: Value = serde_json::from_slice(&get_preset(id)?).ok()?;
	let mut config = serde_json::to_value(crate::RuntimeGenesisConfig::default()).ok()?;
	merge_patch(&mut config, patch);
	Some(config)
}

/// RFC 7386 JSON merge patch: `patch` over `base`, a `null` in the patch removing its key.
#[cfg(feature = "std")]
pub fn merge_patch(base: &mut Value, patch: Value) {
	match (base, patch) {
		(Value::Object(base), Value::Object(patch)) => {
			for (k, v) in patch {
				if v.is_null() {
					base.remove(&k);
				} else {
					merge_patch(base.entry(k).or_insert(Value::Null), v);
				}
			}
		},
		(base, patch) => *base = patch,
	}
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

//! Runtime-level tests: genesis presets, pinned storage layout, version and block limits, and
//! CSI batches end to end through the runtime's own transaction validation and APIs.

use super::*;
use codec::Encode;
use configs::governance::{CouncilCollective, CouncilMembershipInstance};
use frame_support::{
	dispatch::{DispatchClass, DispatchResultWithPostInfo, GetDispatchInfo},
	genesis_builder_helper::build_state,
	storage::storage_prefix,
	traits::{Get, PalletInfoAccess, StorageInfoTrait},
	weights::constants::WEIGHT_REF_TIME_PER_SECOND,
};
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_keyring::Sr25519Keyring;
use sp_runtime::traits::{Dispatchable, Hash as _};

/// Externalities holding the genesis state of preset `name`, built the way the node builds it.
fn genesis_of(name: &str) -> sp_io::TestExternalities {
	let config = genesis_config_presets::merged_preset(&name.into())
		.unwrap_or_else(|| panic!("preset {name} exists"));
	let mut ext = sp_io::TestExternalities::default();
	ext.execute_with(|| {
		build_state::<RuntimeGenesisConfig>(serde_json::to_vec(&config).unwrap())
			.unwrap_or_else(|e| panic!("preset {name} builds: {e}"))
	});
	ext
}

#[test]
fn every_advertised_preset_builds() {
	let names = genesis_config_presets::preset_names();
	assert_eq!(names, vec!["development", "local_testnet", "tokyo", "osaka"]);
	for name in names {
		genesis_of(&name);
	}
	assert!(genesis_config_presets::get_preset(&"mars".into()).is_none());
}

#[test]
fn every_epichain_pallet_starts_at_its_declared_storage_version() {
	use frame_support::traits::GetStorageVersion;
	for name in genesis_config_presets::preset_names() {
		genesis_of(&name).execute_with(|| {
			let versions = [
				(Csi::on_chain_storage_version(), Csi::in_code_storage_version()),
				(Locations::on_chain_storage_version(), Locations::in_code_storage_version()),
				(Diagnosis::on_chain_storage_version(), Diagnosis::in_code_storage_version()),
				(Matchers::on_chain_storage_version(), Matchers::in_code_storage_version()),
				(Validators::on_chain_storage_version(), Validators::in_code_storage_version()),
				(
					Notifications::on_chain_storage_version(),
					Notifications::in_code_storage_version(),
				),
			];
			for (on_chain, in_code) in versions {
				assert_eq!(on_chain, in_code, "preset {name}");
			}
		});
	}
}

#[test]
fn dev_preset_has_alice_as_sole_validator_and_authority() {
	genesis_of("development").execute_with(|| {
		// The session's genesis keys set both consensus pallets' authorities.
		assert_eq!(
			pallet_session::Validators::<Runtime>::get(),
			vec![Sr25519Keyring::Alice.to_account_id()]
		);
		assert_eq!(
			pallet_aura::Authorities::<Runtime>::get().into_inner(),
			vec![AuraId::from(Sr25519Keyring::Alice.public())]
		);
		assert_eq!(Grandpa::grandpa_authorities().len(), 1);
		assert_eq!(pallet_validators::SessionLength::<Runtime>::get(), HOURS);
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), Some(Sr25519Keyring::Alice.to_account_id()));
		assert_eq!(
			Balances::free_balance(Sr25519Keyring::Bob.to_account_id()),
			genesis_config_presets::GENESIS_ENDOWMENT
		);
	});
}

#[test]
fn local_preset_has_four_validators_so_one_may_fail() {
	genesis_of("local_testnet").execute_with(|| {
		let aura = pallet_aura::Authorities::<Runtime>::get();
		assert_eq!(aura.len(), 4);
		let grandpa = Grandpa::grandpa_authorities();
		assert_eq!(grandpa.len(), 4);
		// GRANDPA finalises with more than 2/3 of the weight: 3 of 4 equal voters suffice.
		assert!(grandpa.iter().all(|(_, weight)| *weight == 1));
		let expected: Vec<AuraId> = [
			Sr25519Keyring::Alice,
			Sr25519Keyring::Bob,
			Sr25519Keyring::Charlie,
			Sr25519Keyring::Dave,
		]
		.iter()
		.map(|k| k.public().into())
		.collect();
		assert_eq!(aura.into_inner(), expected);
	});
}

#[test]
fn regional_presets_are_templates_without_any_key() {
	for name in ["tokyo", "osaka"] {
		genesis_of(name).execute_with(|| {
			assert!(pallet_aura::Authorities::<Runtime>::get().is_empty(), "{name}");
			assert!(Grandpa::grandpa_authorities().is_empty(), "{name}");
			assert_eq!(pallet_sudo::Key::<Runtime>::get(), None, "sudo is for dev and local only");
			assert!(pallet_collective::Members::<Runtime, CouncilCollective>::get().is_empty());
			assert_eq!(pallet_balances::TotalIssuance::<Runtime>::get(), 0, "{name}");
			// An hour: a rotation block carries no transactions.
			assert_eq!(pallet_validators::SessionLength::<Runtime>::get(), HOURS, "{name}");
		});
	}
}

#[test]
fn the_dev_council_is_alice_bob_and_charlie_in_both_pallets() {
	for name in ["development", "local_testnet"] {
		genesis_of(name).execute_with(|| {
			let mut expected: Vec<AccountId> =
				[Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Charlie]
					.iter()
					.map(|k| k.to_account_id())
					.collect();
			expected.sort();
			let mut council = pallet_collective::Members::<Runtime, CouncilCollective>::get();
			council.sort();
			assert_eq!(council, expected, "{name}");
			assert_eq!(
				pallet_membership::Members::<Runtime, CouncilMembershipInstance>::get()
					.into_inner(),
				expected,
				"{name}: the membership pallet and the collective agree"
			);
		});
	}
}

/// Dispatches `call` from `who` and returns the council events it deposited.
fn council_events_of(
	who: Sr25519Keyring,
	call: RuntimeCall,
) -> (DispatchResultWithPostInfo, Vec<pallet_collective::Event<Runtime, CouncilCollective>>) {
	use frame_support::traits::UnfilteredDispatchable;
	System::reset_events();
	let result = call.dispatch_bypass_filter(RuntimeOrigin::signed(who.to_account_id()));
	let events = System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Council(e) => Some(e),
			_ => None,
		})
		.collect();
	(result, events)
}

fn register_gate(locator: Sr25519Keyring) -> RuntimeCall {
	RuntimeCall::Csi(pallet_csi::Call::register_locator {
		locator: locator.to_account_id(),
		kind: pallet_csi::LocatorKind::TransitGate,
		region: b"xn76".to_vec().try_into().unwrap(),
		metadata_hash: Default::default(),
	})
}

fn propose(threshold: u32, call: RuntimeCall) -> RuntimeCall {
	let length_bound = call.encoded_size() as u32;
	RuntimeCall::Council(pallet_collective::Call::propose {
		threshold,
		proposal: Box::new(call),
		length_bound,
	})
}

#[test]
fn two_thirds_of_the_council_act_as_the_health_authority() {
	genesis_of("development").execute_with(|| {
		System::set_block_number(1);
		let locator = Sr25519Keyring::Two;
		let registered = || pallet_csi::Locators::<Runtime>::contains_key(locator.to_account_id());
		let call = register_gate(locator);
		let hash = <Runtime as frame_system::Config>::Hashing::hash_of(&call);

		// One member alone is not the authority, and neither is a stranger's motion.
		assert_eq!(
			call.clone()
				.dispatch(RuntimeOrigin::signed(Sr25519Keyring::Bob.to_account_id()))
				.map_err(|e| e.error),
			Err(sp_runtime::DispatchError::BadOrigin)
		);
		let (stranger, _) = council_events_of(Sr25519Keyring::Dave, propose(2, call.clone()));
		assert_eq!(
			stranger.map_err(|e| e.error),
			Err(pallet_collective::Error::<Runtime, CouncilCollective>::NotMember.into())
		);

		// Bob proposes; nothing happens until a second of the three members agrees.
		let (proposed, events) = council_events_of(Sr25519Keyring::Bob, propose(2, call.clone()));
		assert!(proposed.is_ok());
		assert!(matches!(
			events[..],
			[pallet_collective::Event::Proposed { proposal_index: 0, threshold: 2, .. }]
		));
		assert!(!registered());
		let aye = || {
			RuntimeCall::Council(pallet_collective::Call::vote {
				proposal: hash,
				index: 0,
				approve: true,
			})
		};
		// A proposer's motion is not its vote.
		assert!(council_events_of(Sr25519Keyring::Bob, aye()).0.is_ok());
		let close = || {
			RuntimeCall::Council(pallet_collective::Call::close {
				proposal_hash: hash,
				index: 0,
				proposal_weight_bound: call.get_dispatch_info().call_weight,
				length_bound: call.encoded_size() as u32,
			})
		};
		assert_eq!(
			council_events_of(Sr25519Keyring::Eve, close()).0.map_err(|e| e.error),
			Err(pallet_collective::Error::<Runtime, CouncilCollective>::TooEarly.into())
		);
		assert!(council_events_of(Sr25519Keyring::Charlie, aye()).0.is_ok());
		assert!(!registered(), "a motion acts only when closed");

		let (closed, events) = council_events_of(Sr25519Keyring::Eve, close());
		assert!(closed.is_ok(), "{closed:?}");
		assert!(events
			.contains(&pallet_collective::Event::Executed { proposal_hash: hash, result: Ok(()) }));
		assert!(registered());
	});
}

#[test]
fn a_motion_below_two_thirds_is_refused_by_the_pallet_it_calls() {
	genesis_of("development").execute_with(|| {
		System::set_block_number(1);
		let locator = Sr25519Keyring::Two;
		let call = register_gate(locator);
		let hash = <Runtime as frame_system::Config>::Hashing::hash_of(&call);
		// Threshold 1: the collective executes at once, with 1 of 3 members' origin.
		let (proposed, events) = council_events_of(Sr25519Keyring::Bob, propose(1, call));
		assert!(proposed.is_ok());
		assert!(events.contains(&pallet_collective::Event::Executed {
			proposal_hash: hash,
			result: Err(sp_runtime::DispatchError::BadOrigin)
		}));
		assert!(!pallet_csi::Locators::<Runtime>::contains_key(locator.to_account_id()));
	});
}

/// Alice proposes `call` to the dev council (Alice, Bob, Charlie) as motion `index`, Bob votes
/// aye, and Eve closes it: the council's events of the close.
fn pass_motion(
	index: u32,
	call: RuntimeCall,
) -> Vec<pallet_collective::Event<Runtime, CouncilCollective>> {
	let hash = <Runtime as frame_system::Config>::Hashing::hash_of(&call);
	assert!(council_events_of(Sr25519Keyring::Alice, propose(2, call.clone())).0.is_ok());
	for member in [Sr25519Keyring::Alice, Sr25519Keyring::Bob] {
		let aye = RuntimeCall::Council(pallet_collective::Call::vote {
			proposal: hash,
			index,
			approve: true,
		});
		assert!(council_events_of(member, aye).0.is_ok());
	}
	let close = RuntimeCall::Council(pallet_collective::Call::close {
		proposal_hash: hash,
		index,
		proposal_weight_bound: call.get_dispatch_info().call_weight,
		length_bound: call.encoded_size() as u32,
	});
	let (closed, events) = council_events_of(Sr25519Keyring::Eve, close);
	assert!(closed.is_ok(), "{closed:?}");
	events
}

#[test]
fn the_council_reaches_root_only_for_the_exact_call_it_whitelisted() {
	genesis_of("development").execute_with(|| {
		System::set_block_number(1);
		let upgrade = |code_hash: Hash| {
			RuntimeCall::System(frame_system::Call::authorize_upgrade { code_hash })
		};
		let release = Hash::repeat_byte(0x11);
		let call = upgrade(release);
		let call_hash = <Runtime as frame_system::Config>::Hashing::hash_of(&call);
		let authorized = || {
			frame_support::storage::unhashed::get::<frame_system::CodeUpgradeAuthorization<Runtime>>(
				&storage_prefix(b"System", b"AuthorizedUpgrade"),
			)
			.map(|a| *a.code_hash())
		};

		// A motion is not Root: the upgrade it carries fails by origin.
		let events = pass_motion(0, call.clone());
		assert!(events.contains(&pallet_collective::Event::Executed {
			proposal_hash: call_hash,
			result: Err(sp_runtime::DispatchError::BadOrigin),
		}));
		assert_eq!(authorized(), None);

		// First motion: the call's hash is whitelisted.
		pass_motion(
			1,
			RuntimeCall::Whitelist(pallet_whitelist::Call::whitelist_call { call_hash }),
		);
		assert!(pallet_whitelist::WhitelistedCall::<Runtime>::contains_key(call_hash));

		// A second motion carrying any other call does not reach Root.
		let other = upgrade(Hash::repeat_byte(0x22));
		pass_motion(
			2,
			RuntimeCall::Whitelist(
				pallet_whitelist::Call::dispatch_whitelisted_call_with_preimage {
					call: Box::new(other),
				},
			),
		);
		assert_eq!(authorized(), None, "a call the council did not whitelist is not dispatched");

		// The whitelisted call is dispatched as Root, once.
		pass_motion(
			3,
			RuntimeCall::Whitelist(
				pallet_whitelist::Call::dispatch_whitelisted_call_with_preimage {
					call: Box::new(call),
				},
			),
		);
		assert_eq!(authorized(), Some(release));
		assert!(System::events().iter().any(|r| matches!(
			r.event,
			RuntimeEvent::Whitelist(pallet_whitelist::Event::WhitelistedCallDispatched {
				call_hash: h,
				result: Ok(_),
			}) if h == call_hash
		)));
		assert!(!pallet_whitelist::WhitelistedCall::<Runtime>::contains_key(call_hash));

		// One member alone cannot whitelist.
		assert_eq!(
			RuntimeCall::Whitelist(pallet_whitelist::Call::whitelist_call { call_hash })
				.dispatch(RuntimeOrigin::signed(Sr25519Keyring::Alice.to_account_id()))
				.map_err(|e| e.error),
			Err(sp_runtime::DispatchError::BadOrigin)
		);
	});
}

#[test]
fn the_council_changes_its_own_members_by_vote() {
	genesis_of("development").execute_with(|| {
		System::set_block_number(1);
		let dave = Sr25519Keyring::Dave.to_account_id();
		let call = RuntimeCall::CouncilMembership(pallet_membership::Call::add_member {
			who: sp_runtime::MultiAddress::Id(dave.clone()),
		});
		let hash = <Runtime as frame_system::Config>::Hashing::hash_of(&call);
		let length_bound = call.encoded_size() as u32;
		let weight = call.get_dispatch_info().call_weight;
		assert!(council_events_of(Sr25519Keyring::Alice, propose(2, call)).0.is_ok());
		let aye = || {
			RuntimeCall::Council(pallet_collective::Call::vote {
				proposal: hash,
				index: 0,
				approve: true,
			})
		};
		assert!(council_events_of(Sr25519Keyring::Alice, aye()).0.is_ok());
		assert!(council_events_of(Sr25519Keyring::Bob, aye()).0.is_ok());
		let close = RuntimeCall::Council(pallet_collective::Call::close {
			proposal_hash: hash,
			index: 0,
			proposal_weight_bound: weight,
			length_bound,
		});
		assert!(council_events_of(Sr25519Keyring::Alice, close).0.is_ok());
		assert!(pallet_collective::Members::<Runtime, CouncilCollective>::get().contains(&dave));
		assert!(
			pallet_membership::Members::<Runtime, CouncilMembershipInstance>::get().contains(&dave)
		);
	});
}

#[test]
fn pallet_indices_and_names_are_pinned() {
	// Indices are part of every transaction's encoding, names of every storage key.
	let expected: [(&str, usize); 16] = [
		("System", 0),
		("Timestamp", 1),
		("Aura", 2),
		("Grandpa", 3),
		("Balances", 4),
		("TransactionPayment", 5),
		("Sudo", 6),
		("Matchers", 7),
		("Csi", 8),
		("Locations", 9),
		("Diagnosis", 10),
		("Notifications", 11),
		("Council", 12),
		("CouncilMembership", 13),
		("Session", 14),
		("Validators", 15),
	];
	let actual = [
		(System::name(), System::index()),
		(Timestamp::name(), Timestamp::index()),
		(Aura::name(), Aura::index()),
		(Grandpa::name(), Grandpa::index()),
		(Balances::name(), Balances::index()),
		(TransactionPayment::name(), TransactionPayment::index()),
		(Sudo::name(), Sudo::index()),
		(Matchers::name(), Matchers::index()),
		(Csi::name(), Csi::index()),
		(Locations::name(), Locations::index()),
		(Diagnosis::name(), Diagnosis::index()),
		(Notifications::name(), Notifications::index()),
		(Council::name(), Council::index()),
		(CouncilMembership::name(), CouncilMembership::index()),
		(Session::name(), Session::index()),
		(Validators::name(), Validators::index()),
	];
	assert_eq!(actual, expected);
}

#[test]
fn a_validator_added_with_keys_reaches_aura_within_two_sessions() {
	use frame_support::traits::Hooks;
	use pallet_session::ShouldEndSession;
	genesis_of("local_testnet").execute_with(|| {
		let eve = Sr25519Keyring::Eve.to_account_id();
		let keys = SessionKeys {
			aura: Sr25519Keyring::Eve.public().into(),
			grandpa: sp_keyring::Ed25519Keyring::Eve.public().into(),
		};
		// The ownership proof a node's `author_rotateKeysWithOwner` would give is checked by
		// the session pallet; this test registers the keys as its genesis would.
		pallet_session::NextKeys::<Runtime>::insert(&eve, keys.clone());
		let aura: &[u8] = keys.aura.as_ref();
		let grandpa: &[u8] = keys.grandpa.as_ref();
		for (key_type, raw) in [
			(sp_core::crypto::key_types::AURA, aura.to_vec()),
			(sp_core::crypto::key_types::GRANDPA, grandpa.to_vec()),
		] {
			pallet_session::KeyOwner::<Runtime>::insert((key_type, raw), &eve);
		}
		assert!(Validators::add_validator(RuntimeOrigin::root(), eve.clone()).is_ok());
		let in_aura = || pallet_aura::Authorities::<Runtime>::get().contains(&keys.aura);
		let mut rotations = 0;
		for block in 1..=3 * MINUTES {
			System::set_block_number(block);
			if <Runtime as pallet_session::Config>::ShouldEndSession::should_end_session(block) {
				rotations += 1;
			}
			Session::on_initialize(block);
			if in_aura() {
				break;
			}
		}
		assert!(in_aura(), "eve authors after the rotations");
		assert!(rotations <= 2, "within two sessions, took {rotations}");
		assert_eq!(pallet_session::Validators::<Runtime>::get().len(), 5);
	});
}

#[test]
fn storage_prefixes_are_pinned() {
	// Clients (polkadot.js, subxt, the epichain client) address storage by these prefixes.
	let info = AllPalletsWithSystem::storage_info();
	let has = |pallet: &str, item: &str| {
		let prefix = storage_prefix(pallet.as_bytes(), item.as_bytes());
		info.iter().any(|i| i.prefix.starts_with(&prefix))
	};
	for (pallet, item) in [
		("System", "Account"),
		("System", "Number"),
		("System", "Events"),
		("Timestamp", "Now"),
		("Aura", "Authorities"),
		("Grandpa", "Authorities"),
		("Balances", "TotalIssuance"),
		("TransactionPayment", "NextFeeMultiplier"),
		("Sudo", "Key"),
		("Matchers", "Matchers"),
		("Matchers", "SealingKeys"),
		("Csi", "Locators"),
		("Csi", "Batches"),
		("Csi", "Days"),
		("Locations", "Locations"),
		("Locations", "InfectedByExpiry"),
		("Diagnosis", "Diagnosticians"),
		("Diagnosis", "Nullifiers"),
		("Diagnosis", "Cases"),
		("Diagnosis", "EndorsedFingerprints"),
		("Notifications", "Jobs"),
		("Notifications", "Notifications"),
		("Notifications", "Params"),
		("Council", "Members"),
		("Council", "ProposalOf"),
		("Council", "Voting"),
		("CouncilMembership", "Members"),
		("Session", "Validators"),
		("Session", "NextKeys"),
		("Validators", "Planned"),
	] {
		assert!(has(pallet, item), "storage item {pallet}::{item} is where clients expect it");
	}
	// The raw key of an account: twox128("System") ++ twox128("Account").
	assert_eq!(
		hex(&storage_prefix(b"System", b"Account")),
		"26aa394eea5630e07c48ae0c9558cef7b99d880ec681799c0cf30e8886371da9"
	);
}

fn hex(b: &[u8]) -> String {
	b.iter().map(|x| format!("{x:02x}")).collect()
}

#[test]
fn runtime_version_is_pinned() {
	assert_eq!(VERSION.spec_name, "epichain");
	assert_eq!(VERSION.impl_name, "epichain-node");
	assert_eq!(VERSION.spec_version, 106);
	assert_eq!(VERSION.transaction_version, 2);
	assert_eq!(VERSION.system_version, 1);
}

#[test]
fn block_limits_are_pinned() {
	let weights = configs::RuntimeBlockWeights::get();
	assert_eq!(weights.max_block.ref_time(), 2 * WEIGHT_REF_TIME_PER_SECOND);
	let normal = weights.get(DispatchClass::Normal).max_total.expect("normal class is bounded");
	assert_eq!(normal.ref_time(), 3 * WEIGHT_REF_TIME_PER_SECOND / 2);
	assert!(weights.validate().is_ok());

	let length = configs::RuntimeBlockLength::get();
	assert_eq!(*length.max.get(DispatchClass::Operational), 5 * 1024 * 1024);
	assert_eq!(*length.max.get(DispatchClass::Mandatory), 5 * 1024 * 1024);
	assert_eq!(*length.max.get(DispatchClass::Normal), 5 * 1024 * 1024 / 4 * 3);

	assert_eq!(MILLI_SECS_PER_BLOCK, 6000);
	let minimum_period: u64 = <Runtime as pallet_timestamp::Config>::MinimumPeriod::get();
	assert_eq!(minimum_period, 3000, "slots are twice the minimum period");
}

#[test]
fn database_weights_are_parity_db() {
	use frame_support::weights::constants::ParityDbWeight;
	assert_eq!(<Runtime as frame_system::Config>::DbWeight::get(), ParityDbWeight::get());
}

mod csi {
	use super::*;
	use codec::Encode;
	use epichain_primitives::{
		csi::{EntryPlain, Source, Stay},
		geohash::{self, Geohash},
		sealing::{seal_batch, SealingSecret},
		SECONDS_PER_DAY,
	};
	use frame_support::assert_ok;
	use pallet_csi::runtime_api::runtime_decl_for_csi_api::CsiApiV1;
	use sp_runtime::transaction_validity::{
		InvalidTransaction, TransactionSource, TransactionValidityError,
	};

	/// 2026-11-21T09:00:00Z (day 20778).
	const NOW: u64 = 1_795_251_600;
	const DAY: u32 = 20_778;

	/// A matcher registered by the authority; returns its sealing secret and key id.
	fn register_matcher() -> (SealingSecret, u32) {
		let secret = SealingSecret::generate();
		assert_ok!(Matchers::register_matcher(
			RuntimeOrigin::root(),
			[0xA1; 32],
			secret.public(),
			Box::new(pallet_matchers::Evidence::Simulation { measurement: [1; 32] }),
			0,
			NOW + 30 * SECONDS_PER_DAY,
		));
		(secret, pallet_matchers::Matchers::<Runtime>::get(0).unwrap().current_key)
	}

	/// Two synthetic owners with 8 and 1 stays in cell `xn76u`, sealed and signed by `locator`.
	fn batch_xt(locator: Sr25519Keyring, key: &SealingSecret, key_id: u32) -> UncheckedExtrinsic {
		batch_xt_at(locator, key, key_id, b"xn76u")
	}

	fn batch_xt_at(
		locator: Sr25519Keyring,
		key: &SealingSecret,
		key_id: u32,
		cell: &[u8],
	) -> UncheckedExtrinsic {
		batch_xt_on(locator, key, key_id, cell, DAY)
	}

	/// [`batch_xt_at`] for day `day`.
	fn batch_xt_on(
		locator: Sr25519Keyring,
		key: &SealingSecret,
		key_id: u32,
		cell: &[u8],
		day: u32,
	) -> UncheckedExtrinsic {
		let cell = Geohash::parse(cell).unwrap();
		let at = |i: u64| Stay {
			start: day as u64 * SECONDS_PER_DAY + 1_800 + 450 * i,
			end: day as u64 * SECONDS_PER_DAY + 1_800 + 450 * i + 300,
			geohash: Geohash::from_bits(
				(cell.to_bits() << (5 * (9 - cell.len()))) | i,
				geohash::POINT_PRECISION,
			)
			.unwrap(),
			source: Source::Gnss,
		};
		let entries = vec![
			EntryPlain { owner: [7; 32], stays: (0..8).map(at).collect() },
			EntryPlain { owner: [8; 32], stays: vec![at(9)] },
		];
		let sealed = seal_batch(&key.public(), key_id, day, cell, &entries).unwrap();
		let batch = pallet_csi::CsiBatch { header: sealed.header, entries: sealed.entries };
		let payload = pallet_csi::batch_signing_payload(System::block_hash(0).as_ref(), &batch);
		let call = RuntimeCall::Csi(pallet_csi::Call::submit_batch {
			locator: locator.to_account_id(),
			batch,
			signature: locator.sign(&payload).into(),
		});
		UncheckedExtrinsic::new_transaction(call, tx_extension(0))
	}

	/// `who`'s endorsement of `patient`'s case `nullifier` on day `day`: consents for the four
	/// days up to `day`, the window from an onset the day before.
	fn endorse_xt(
		who: Sr25519Keyring,
		patient: &epichain_primitives::pseudonym::DeviceSeed,
		nullifier: epichain_primitives::diagnosis::CaseNullifier,
		day: u32,
	) -> UncheckedExtrinsic {
		use epichain_primitives::diagnosis::{ConsentedPseudonym, DayWindow};
		let genesis = System::block_hash(0);
		let pseudonyms: Vec<_> = (day - 3..=day)
			.map(|day| {
				ConsentedPseudonym::sign(
					&patient.pseudonym_key(day),
					genesis.as_ref(),
					&who.to_account_id().encode(),
					&nullifier,
				)
			})
			.collect();
		let endorsement = pallet_diagnosis::Endorsement {
			nullifier,
			window: DayWindow::from_onset(day - 1, day),
			pseudonyms: pseudonyms.try_into().unwrap(),
			reports: Default::default(),
			valid_until: System::block_number() + 600,
		};
		let payload = pallet_diagnosis::endorsement_signing_payload(genesis.as_ref(), &endorsement);
		let call = RuntimeCall::Diagnosis(pallet_diagnosis::Call::endorse_case {
			diagnostician: who.to_account_id(),
			endorsement,
			signature: who.sign(&payload).into(),
		});
		UncheckedExtrinsic::new_transaction(call, tx_extension(0))
	}

	/// `matcher`'s signed round-0 result for `case`, notifying `exposures`.
	fn result_xt(
		matcher: &sp_core::ed25519::Pair,
		case: u64,
		exposures: Vec<epichain_primitives::matching::Exposure>,
	) -> UncheckedExtrinsic {
		use sp_core::Pair;
		let result = pallet_notifications::MatchResultOf::<Runtime> {
			case,
			round: 0,
			part: 0,
			parts: 1,
			as_of: 0,
			signer: matcher.public().0,
			exposures: frame_support::BoundedVec::truncate_from(exposures),
			cells: Default::default(),
		};
		let payload =
			epichain_primitives::signing::result_payload(System::block_hash(0).as_ref(), &result);
		let call = RuntimeCall::Notifications(pallet_notifications::Call::submit_result {
			result,
			signature: matcher.sign(&payload).0,
		});
		UncheckedExtrinsic::new_transaction(call, tx_extension(0))
	}

	/// Song et al.'s life of a place on the dev runtime: registered, visited (a venue's sealed
	/// check-ins), infected, cleaned, infected again and decayed, read through `LocationsApi`.
	#[test]
	fn a_location_lives_through_every_state_on_the_dev_runtime() {
		use pallet_locations::{
			runtime_api::runtime_decl_for_locations_api::LocationsApiV1, CellState,
		};
		genesis_of("development").execute_with(|| {
			pallet_timestamp::Now::<Runtime>::put(NOW * 1_000);
			let (secret, key_id) = register_matcher();
			let venue = Sr25519Keyring::Charlie;
			assert_ok!(Csi::register_locator(
				RuntimeOrigin::root(),
				venue.to_account_id(),
				pallet_csi::LocatorKind::Venue,
				b"xn76urx".to_vec().try_into().unwrap(),
				Hash::zero(),
			));
			let cell = Geohash::parse(b"xn76urx").unwrap();
			assert_ok!(Locations::register_location(
				RuntimeOrigin::signed(venue.to_account_id()),
				cell,
				None,
				pallet_locations::SurfaceMaterial::Unknown
			));
			assert_eq!(Runtime::location(cell).unwrap().state, CellState::Empty);

			// Two visitors check in: a sealed venue batch; the chain keeps only the count.
			assert_eq!(
				Executive::apply_extrinsic(batch_xt_at(venue, &secret, key_id, b"xn76urx")),
				Ok(Ok(()))
			);
			let view = Runtime::location(cell).unwrap();
			assert_eq!((view.state, view.visits_today), (CellState::Clean { since: NOW }, 2));

			assert_ok!(Locations::mark_infected(RuntimeOrigin::root(), cell));
			assert_eq!(Runtime::infected_count(b"xn76".to_vec()), 1);
			assert_eq!(Runtime::infected_count(b"xn0m".to_vec()), 0);
			assert_eq!(Runtime::infected_cells(Vec::new(), 10), vec![cell]);
			assert_ok!(Locations::mark_cleaned(RuntimeOrigin::signed(venue.to_account_id()), cell));
			assert_eq!(Runtime::infected_count(b"xn76".to_vec()), 0);

			assert_ok!(Locations::mark_infected(RuntimeOrigin::root(), cell));
			pallet_timestamp::Now::<Runtime>::put((NOW + 14 * SECONDS_PER_DAY) * 1_000);
			assert_eq!(
				Runtime::location(cell).unwrap().state,
				CellState::Clean { since: NOW + 14 * SECONDS_PER_DAY }
			);
			assert_eq!(Runtime::infected_count(Vec::new()), 0);
			let history: Vec<_> = Runtime::history(cell).iter().map(|h| h.transition).collect();
			assert_eq!(history.len(), 5, "{history:?}");
			assert_eq!(
				Runtime::locations(vec![cell, Geohash::parse(b"xn76zzz").unwrap()]).len(),
				2
			);
			pallet_locations::Pallet::<Runtime>::do_try_state().unwrap();
			pallet_csi::Pallet::<Runtime>::do_try_state().unwrap();
		});
	}

	/// Ferdie, the dev chain's diagnostician, endorses a synthetic patient's case: the pool
	/// checks every consent with the runtime's ed25519 host function, the case costs Ferdie
	/// nothing, the API shows fingerprints only, and a replay and a stranger are refused.
	#[test]
	fn a_dev_diagnostician_endorses_a_consented_case() {
		use epichain_primitives::{
			diagnosis::case_nullifier,
			pseudonym::{fingerprint, DeviceSeed},
		};
		use pallet_diagnosis::runtime_api::runtime_decl_for_diagnosis_api::DiagnosisApiV1;

		genesis_of("development").execute_with(|| {
			pallet_timestamp::Now::<Runtime>::put(NOW * 1_000);
			let genesis = System::block_hash(0);
			let parent = genesis;
			let patient = DeviceSeed::from_bytes([42; 32]);
			let nullifier = case_nullifier(b"synthetic-lab", b"case-0001");
			let refused = |e: pallet_diagnosis::Error<Runtime>| {
				Err(TransactionValidityError::Invalid(InvalidTransaction::Custom(e.encode()[0])))
			};

			assert_eq!(
				Executive::validate_transaction(
					TransactionSource::External,
					endorse_xt(Sr25519Keyring::Eve, &patient, nullifier, DAY),
					parent
				),
				refused(pallet_diagnosis::Error::NotDiagnostician)
			);
			let ferdie = Sr25519Keyring::Ferdie;
			let xt = endorse_xt(ferdie, &patient, nullifier, DAY);
			assert_ok!(Executive::validate_transaction(
				TransactionSource::External,
				xt.clone(),
				parent
			));
			let free_before = System::account(ferdie.to_account_id()).data.free;
			assert_eq!(Executive::apply_extrinsic(xt.clone()), Ok(Ok(())));
			assert_eq!(System::account(ferdie.to_account_id()).data.free, free_before);

			let case = Runtime::case(0).expect("the case is listed");
			assert_eq!((case.pseudonyms, case.diagnostician), (4, ferdie.to_account_id()));
			assert_eq!(Runtime::case_of_nullifier(nullifier), Some(0));
			assert_eq!(
				Runtime::endorsed_fingerprints(DAY),
				vec![fingerprint(&patient.pseudonym(DAY))]
			);
			assert_eq!(Runtime::jurisdiction_counts(DAY)[0].endorsed, 1);
			assert!(Runtime::diagnostician(ferdie.to_account_id()).is_some());
			assert_eq!(
				Executive::validate_transaction(TransactionSource::External, xt, parent),
				refused(pallet_diagnosis::Error::NullifierUsed)
			);
			pallet_diagnosis::Pallet::<Runtime>::do_try_state().unwrap();

			// The endorsement opened a matching job; a registered matcher's signed result,
			// relayed by nobody in particular, issues a notification to an exposed fingerprint.
			use pallet_notifications::runtime_api::runtime_decl_for_notifications_api::NotificationsApiV2;
			use sp_core::Pair;
			let job = Runtime::job(0).expect("the endorsement opened a job");
			assert_eq!(job.pseudonyms[3], (DAY, patient.pseudonym(DAY)));
			assert_eq!(Runtime::open_jobs(0, 10), vec![0]);
			let matcher = sp_core::ed25519::Pair::from_seed(&[0x4d; 32]);
			assert_ok!(Matchers::register_matcher(
				RuntimeOrigin::root(),
				matcher.public().0,
				[0x5a; 32],
				Box::new(pallet_matchers::Evidence::Simulation { measurement: [1; 32] }),
				0,
				NOW + 30 * SECONDS_PER_DAY,
			));
			let exposed = DeviceSeed::from_bytes([43; 32]).pseudonym(DAY);
			let xt = result_xt(
				&matcher,
				0,
				vec![epichain_primitives::matching::Exposure {
					fingerprint: fingerprint(&exposed),
					day: DAY,
					risk: epichain_primitives::matching::RiskLevel::High,
					probability_ppm: 730_000,
				}],
			);
			assert_ok!(Executive::validate_transaction(
				TransactionSource::External,
				xt.clone(),
				parent
			));
			assert_eq!(Executive::apply_extrinsic(xt), Ok(Ok(())));
			let found = Runtime::lookup(vec![fingerprint(&exposed)]);
			assert_eq!(found.len(), 1);
			assert_eq!(
				(found[0].case, found[0].probability_ppm, found[0].revoked),
				(0, 730_000, false)
			);
			assert_eq!(Runtime::day_counts(DAY).high, 1);
			pallet_notifications::Pallet::<Runtime>::do_try_state().unwrap();
		});
	}

	/// Bytes and entries of the whole state (every key and value), and of the part of it
	/// under `prefix`. The last block's events are left out: the next block clears them, and
	/// their size follows what happened in that one block (a session rotation every ten).
	fn state_size(prefix: &[u8]) -> ((u64, u64), (u64, u64)) {
		let events = frame_support::storage::storage_prefix(b"System", b"Events");
		let (mut all, mut under, mut key) = ((0u64, 0u64), (0u64, 0u64), Vec::new());
		while let Some(next) = sp_io::storage::next_key(&key) {
			if next.starts_with(&events) {
				key = next;
				continue;
			}
			let bytes = (next.len() + sp_io::storage::get(&next).map_or(0, |v| v.len())) as u64;
			all = (all.0 + bytes, all.1 + 1);
			if next.starts_with(prefix) {
				under = (under.0 + bytes, under.1 + 1);
			}
			key = next;
		}
		(all, under)
	}

	/// One block at `now_ms` holding `xts`: the hooks the executive runs (on_initialize, the
	/// extrinsics, on_idle with what the block left), then every epichain pallet's invariants.
	fn run_block(n: u32, now_ms: u64, xts: Vec<UncheckedExtrinsic>) {
		use frame_support::traits::{OnIdle, OnInitialize};
		// What `System::initialize` and `System::finalize` clear between blocks.
		System::set_block_number(n);
		System::reset_events();
		frame_system::BlockWeight::<Runtime>::kill();
		use frame_support::storage::unhashed;
		unhashed::kill(&storage_prefix(b"System", b"ExtrinsicCount"));
		let _ = unhashed::clear_prefix(&storage_prefix(b"System", b"ExtrinsicData"), None, None);
		pallet_timestamp::Now::<Runtime>::put(now_ms);
		<AllPalletsWithSystem as OnInitialize<u32>>::on_initialize(n);
		for (i, xt) in xts.into_iter().enumerate() {
			assert_eq!(Executive::apply_extrinsic(xt), Ok(Ok(())), "block {n}, extrinsic {i}");
		}
		let max = <Runtime as frame_system::Config>::BlockWeights::get().max_block;
		let used = System::block_weight().total();
		<AllPalletsWithSystem as OnIdle<u32>>::on_idle(n, max.saturating_sub(used));
		if let Err((pallet, e)) = crate::tracing_try_state() {
			panic!("block {n}: {pallet}'s invariants: {e:?}");
		}
	}

	/// Thirty days at a steady load on the dev runtime, compressed to four blocks a day: every
	/// day the matcher rotates its sealing key (as its epochs do), every block Eve writes four
	/// sealed batches, Ferdie endorses one synthetic case and the matcher's signed result
	/// notifies three fingerprints. Once the 14-day retention
	/// window is full the state stops growing: what a day adds, the expiry of the oldest day
	/// removes. The one exception is by design: a case's nullifier is kept for ever (80 bytes
	/// of value per endorsed case, docs/DESIGN.md), and the test pins that it is the only
	/// growth. Prints the per-day table docs/BENCHMARKS.md quotes
	/// (`cargo test -p epichain-runtime state_stops_growing -- --nocapture`).
	#[test]
	fn the_state_stops_growing_once_the_retention_window_is_full() {
		use epichain_primitives::{
			diagnosis::case_nullifier,
			matching::{Exposure, RiskLevel},
			pseudonym::{fingerprint, DeviceSeed},
		};
		use sp_core::Pair;
		const DAYS: u32 = 30;
		const BLOCKS_PER_DAY: u32 = 4;
		const BATCHES_PER_BLOCK: u32 = 4;
		let retention: u32 = <Runtime as pallet_csi::Config>::RetentionDays::get();

		genesis_of("development").execute_with(|| {
			pallet_timestamp::Now::<Runtime>::put(NOW * 1_000);
			let secret = SealingSecret::generate();
			let matcher = sp_core::ed25519::Pair::from_seed(&[0x4d; 32]);
			assert_ok!(Matchers::register_matcher(
				RuntimeOrigin::root(),
				matcher.public().0,
				secret.public(),
				Box::new(pallet_matchers::Evidence::Simulation { measurement: [1; 32] }),
				0,
				NOW + 2 * DAYS as u64 * SECONDS_PER_DAY,
			));
			let ferdie = Sr25519Keyring::Ferdie;
			let endorse = |d: u32, day: u32| {
				let patient = DeviceSeed::from_bytes([d as u8; 32]);
				endorse_xt(
					ferdie,
					&patient,
					case_nullifier(b"synthetic-lab", &d.to_le_bytes()),
					day,
				)
			};
			let result = |case: u64, day: u32| {
				let exposures = (0..3u8)
					.map(|i| Exposure {
						fingerprint: fingerprint(
							&DeviceSeed::from_bytes([100 + i; 32]).pseudonym(day),
						),
						day,
						risk: RiskLevel::High,
						probability_ppm: 730_000,
					})
					.collect();
				result_xt(&matcher, case, exposures)
			};
			let nullifiers =
				frame_support::storage::storage_prefix(b"Diagnosis", b"Nullifiers").to_vec();
			let mut sizes = Vec::new();
			let mut n = 1;
			let mut secret = secret;
			for d in 0..DAYS {
				let day = DAY + d;
				pallet_timestamp::Now::<Runtime>::put(day as u64 * SECONDS_PER_DAY * 1_000);
				if d > 0 {
					secret = SealingSecret::generate();
					let binding = epichain_primitives::signing::matcher_report_data(
						&matcher.public().0,
						&secret.public(),
					);
					assert_ok!(Matchers::rotate_sealing_key(
						RuntimeOrigin::root(),
						0,
						secret.public(),
						matcher.sign(&binding).0
					));
				}
				let key_id = pallet_matchers::Matchers::<Runtime>::get(0).unwrap().current_key;
				for b in 0..BLOCKS_PER_DAY {
					let now_ms = (day as u64 * SECONDS_PER_DAY + 3_600 * (b as u64 + 1)) * 1_000;
					let mut xts: Vec<_> = (0..BATCHES_PER_BLOCK)
						.map(|_| batch_xt_on(Sr25519Keyring::Eve, &secret, key_id, b"xn76u", day))
						.collect();
					match b {
						0 => xts.push(endorse(d, day)),
						1 => xts.push(result(d as u64, day)),
						_ => {},
					}
					run_block(n, now_ms, xts);
					n += 1;
				}
				sizes.push(state_size(&nullifiers));
			}

			eprintln!(
				"day  state bytes  entries  of which nullifiers (bytes, entries)  \
				 (retention {retention} days)"
			);
			for (d, ((bytes, entries), (nb, ne))) in sizes.iter().enumerate() {
				eprintln!("{:>3}  {bytes:>11}  {entries:>7}  {nb:>8} {ne:>4}", d + 1);
			}
			let without_nullifiers = |d: usize| sizes[d].0 .0 - sizes[d].1 .0;
			let full = retention as usize - 1;
			let at_full = without_nullifiers(full);
			assert!(
				at_full > 2 * without_nullifiers(0),
				"the state grows while the window fills: {} -> {at_full}",
				without_nullifiers(0)
			);
			// Jobs close up to `JobGraceDays` (3) after their window; from then on a day adds
			// exactly what the expiry of the oldest removes.
			let settled = full + 3;
			let plateau = without_nullifiers(settled);
			assert!(plateau <= at_full + at_full / 100, "{plateau} bytes, {at_full} when full");
			for d in settled..DAYS as usize {
				assert_eq!(
					without_nullifiers(d),
					plateau,
					"day {}: the state besides nullifiers still changes",
					d + 1
				);
			}
			for (d, size) in sizes.iter().enumerate().take(DAYS as usize) {
				assert_eq!(size.1 .1, d as u64 + 1, "one nullifier per endorsed case");
			}
		});
	}

	#[test]
	fn a_dev_locator_writes_a_sealed_batch_and_the_api_lists_it() {
		genesis_of("development").execute_with(|| {
			pallet_timestamp::Now::<Runtime>::put(NOW * 1_000);
			let (secret, key_id) = register_matcher();
			let parent = System::block_hash(0);

			// The pool refuses a batch signed by an account that is not a locator...
			let stranger = batch_xt(Sr25519Keyring::Ferdie, &secret, key_id);
			let not_locator = pallet_csi::Error::<Runtime>::NotLocator.encode()[0];
			assert_eq!(
				Executive::validate_transaction(TransactionSource::External, stranger, parent),
				Err(TransactionValidityError::Invalid(InvalidTransaction::Custom(not_locator)))
			);
			// ...and accepts Eve's (the dev chain's locator), who holds no funds for it.
			let xt = batch_xt(Sr25519Keyring::Eve, &secret, key_id);
			assert_ok!(Executive::validate_transaction(
				TransactionSource::External,
				xt.clone(),
				parent
			));

			let free_before = System::account(Sr25519Keyring::Eve.to_account_id()).data.free;
			assert_eq!(Executive::apply_extrinsic(xt), Ok(Ok(())));
			assert_eq!(System::account(Sr25519Keyring::Eve.to_account_id()).data.free, free_before);

			let listed = Runtime::batches_of_day(DAY, 0, 10);
			assert_eq!(listed.len(), 1);
			assert_eq!(listed[0].meta.locator, Sr25519Keyring::Eve.to_account_id());
			assert_eq!((listed[0].meta.entries, listed[0].meta.stays), (2, 9));
			assert_eq!(Runtime::day_stats(DAY).map(|d| d.stays), Some(9));
			assert!(Runtime::locator(Sr25519Keyring::Ferdie.to_account_id()).is_none());
			assert!(Runtime::locator(Sr25519Keyring::Eve.to_account_id()).is_some());
		});
	}
}

/// The budget: a 6-second block's normal class carries at least 60,000 CSI stays, by
/// weight and by length, with the benchmarked weights (`pallets/csi/src/weights.rs`). Prints the
/// table docs/BENCHMARKS.md quotes (`cargo test -p epichain-runtime stays_per_block -- --nocapture`).
#[test]
fn stays_per_block_meet_the_budget() {
	use frame_support::{dispatch::GetDispatchInfo, weights::Weight};
	use pallet_csi::WeightInfo as _;
	type W = <Runtime as pallet_csi::Config>::WeightInfo;

	let weights = configs::RuntimeBlockWeights::get();
	let normal = weights.get(DispatchClass::Normal);
	let max_weight = normal.max_total.unwrap_or(weights.max_block);
	let max_length = *configs::RuntimeBlockLength::get().max.get(DispatchClass::Normal) as u64;
	let mut table = Vec::new();
	for (entries, stays) in [(1_024u32, 8u32), (512, 16), (256, 64), (1_024, 1), (64, 8)] {
		let entry = epichain_primitives::csi::entry_len(stays) as usize;
		let batch = pallet_csi::CsiBatch {
			header: epichain_primitives::csi::BatchHeader {
				key_id: 0,
				ephemeral: [0; 32],
				day: 0,
				cell_prefix: epichain_primitives::geohash::Geohash::parse(b"xn76u").unwrap(),
			},
			entries: vec![vec![0; entry]; entries as usize],
		};
		let call = RuntimeCall::Csi(pallet_csi::Call::submit_batch {
			locator: Sr25519Keyring::Eve.to_account_id(),
			batch: batch.clone(),
			signature: sp_runtime::MultiSignature::Sr25519(sp_core::sr25519::Signature::from_raw(
				[0; 64],
			)),
		});
		let kib = pallet_csi::Pallet::<Runtime>::batch_kib(&batch);
		let per_tx: Weight = normal.base_extrinsic
			+ call.get_dispatch_info().call_weight
			+ W::authorize_submit_batch(entries).saturating_add(W::hash_batch(kib));
		let length = codec::Encode::encoded_size(&call) as u64 + 160;
		let by_weight = max_weight.ref_time() / per_tx.ref_time();
		let by_length = max_length / length;
		let batches = by_weight.min(by_length);
		let block_stays = batches * (entries as u64 * stays as u64);
		table.push((
			entries,
			stays,
			per_tx.ref_time() / 1_000_000,
			by_weight,
			by_length,
			block_stays,
		));
		if entries >= 256 && stays >= 8 {
			assert!(block_stays >= 60_000, "{entries} x {stays}: {block_stays} stays per block");
		}
	}
	println!(
		"entries x stays | weight per batch (µs) | batches by weight | by length | stays/block"
	);
	for (e, p, ms, w, l, pts) in table {
		println!("{e} x {p} | {ms} | {w} | {l} | {pts}");
	}
}

#[test]
fn the_runtime_offers_apps_notification_pages_by_cursor() {
	use sp_api::RuntimeApiInfo;
	// Version 2 of NotificationsApi adds `notifications_of_day_after`; apps read it by this
	// version in the runtime's API list.
	let id = <dyn pallet_notifications::runtime_api::NotificationsApi<Block>>::ID;
	assert_eq!(VERSION.apis.iter().find(|(i, _)| *i == id).map(|(_, v)| *v), Some(2));
}

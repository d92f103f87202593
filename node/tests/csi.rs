//! CSI on a live dev node: a whitelisted locator's sealed batch lands without fees and is
//! listed by `csi_batchesOfDay`; an account that is not a locator is refused by the pool.

mod common;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::{
	tx::{assert_refused_by, general, signed, submit, Chain},
	Node,
};
use epichain_primitives::{
	csi::{EntryPlain, Source, Stay},
	geohash::{self, Geohash},
	sealing::{seal_batch, SealingSecret},
	SECONDS_PER_DAY,
};
use epichain_runtime::RuntimeCall;
use serde_json::json;
use sp_core::crypto::Ss58Codec;
use sp_keyring::Sr25519Keyring;

/// A sealed batch of two synthetic owners (8 stays and 1) in cell `xn76u` for `day`, signed
/// by `locator`, as a general (authorized) transaction: no signer, fee or nonce.
fn batch(chain: &Chain, locator: Sr25519Keyring, key: &SealingSecret, day: u32) -> String {
	let cell = Geohash::parse(b"xn76u").unwrap();
	let at = |i: u64| Stay {
		start: day as u64 * SECONDS_PER_DAY + 600 * i,
		end: day as u64 * SECONDS_PER_DAY + 600 * i + 300,
		geohash: Geohash::from_bits((cell.to_bits() << 20) | i, geohash::POINT_PRECISION).unwrap(),
		source: Source::WiFi,
	};
	let entries = vec![
		EntryPlain { owner: [1; 32], stays: (0..8).map(at).collect() },
		EntryPlain { owner: [2; 32], stays: vec![at(8)] },
	];
	let sealed = seal_batch(&key.public(), 0, day, cell, &entries).unwrap();
	let batch = pallet_csi::CsiBatch { header: sealed.header, entries: sealed.entries };
	let payload = pallet_csi::batch_signing_payload(chain.genesis.as_ref(), &batch);
	let call = RuntimeCall::Csi(pallet_csi::Call::submit_batch {
		locator: locator.to_account_id(),
		batch,
		signature: locator.sign(&payload).into(),
	});
	general(call)
}

#[test]
fn a_locator_writes_sealed_batches_that_a_stranger_cannot() {
	let mut node = Node::start(&["--dev", "--tmp"]);
	let chain = Chain::of(&mut node);
	let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
	let day = (now / SECONDS_PER_DAY) as u32;

	// The authority (Alice, sudo on dev) registers a matcher enclave: key id 0.
	let matcher = SealingSecret::generate();
	let register = RuntimeCall::Sudo(pallet_sudo::Call::sudo {
		call: Box::new(common::csi::register_matcher(&matcher, now)),
	});
	let sudo = submit(&node, &signed(&chain, Sr25519Keyring::Alice, 0, register));
	assert!(sudo.get("result").is_some(), "sudo register_matcher accepted: {sudo}");

	// Until the registration is in a block the pool refuses batches (unknown sealing key);
	// then Eve, the dev chain's locator, gets hers in. She pays nothing and has no nonce.
	// Eve's System::Account entry (nonce and balances), raw.
	let eve = Sr25519Keyring::Eve.to_account_id();
	let account_key = [
		&sp_io::hashing::twox_128(b"System")[..],
		&sp_io::hashing::twox_128(b"Account"),
		&sp_io::hashing::blake2_128(eve.as_ref()),
		eve.as_ref(),
	]
	.concat();
	let eve_account = |node: &Node| {
		node.rpc("state_getStorage", json!([format!("0x{}", hex::encode(&account_key))]))
			.expect("Eve is endowed on dev")
	};
	let before = eve_account(&node);
	assert!(before.as_str().is_some_and(|s| s.len() > 2), "Eve's account exists: {before}");
	node.wait_for("Eve's batch accepted by the pool", Duration::from_secs(60), |n| {
		submit(n, &batch(&chain, Sr25519Keyring::Eve, &matcher, day)).get("result").cloned()
	});

	// Ferdie is no locator: refused by the pool with the pallet's `NotLocator` (index 1).
	let refused = submit(&node, &batch(&chain, Sr25519Keyring::Ferdie, &matcher, day));
	assert_refused_by(&refused, 1);

	let listed = node.wait_for("the batch in csi_batchesOfDay", Duration::from_secs(60), |n| {
		n.rpc("csi_batchesOfDay", json!([day]))
			.filter(|v| v.as_array().is_some_and(|a| !a.is_empty()))
	});
	let first = &listed[0];
	assert_eq!(first["locator"], Sr25519Keyring::Eve.to_account_id().to_ss58check());
	assert_eq!((first["entries"].as_u64(), first["stays"].as_u64()), (Some(2), Some(9)));
	assert_eq!(first["cellPrefix"], "xn76u");
	assert!(first["block"].as_u64().unwrap() >= 1);
	let stats = node.rpc("csi_dayStats", json!([day])).unwrap();
	assert!(stats["stays"].as_u64().unwrap() >= 9);
	assert_eq!(eve_account(&node), before, "a locator pays no fee and uses no nonce");
	node.stop(Duration::from_secs(20));
}

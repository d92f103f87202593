//! Adversarial CSI batches against a live dev node. Each is refused in the transaction pool
//! with the runtime's own error, none changes state, and blocks (and valid batches) keep
//! coming. All data is synthetic.

mod common;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::{
	csi::{register_matcher, sealed, submission},
	tx::{submit, sudo_and_wait, Chain},
	Node,
};
use epichain_primitives::{error_index, sealing::SealingSecret, SECONDS_PER_DAY};
use epichain_runtime::{Hash, Runtime, RuntimeCall};
use pallet_csi::{Error, LocatorKind};
use serde_json::{json, Value};
use sp_keyring::Sr25519Keyring;

/// What the chain says about CSI on `day`: its counters and its batches.
fn csi_state(node: &Node, day: u32) -> (Value, Value) {
	(
		node.rpc("csi_dayStats", json!([day])).unwrap(),
		node.rpc("csi_batchesOfDay", json!([day])).unwrap(),
	)
}

/// How the pool must refuse a submission.
enum Refusal {
	/// `InvalidTransaction::Custom(index of this pallet error)`.
	Named(Error<Runtime>),
	/// `InvalidTransaction::BadProof`.
	BadSignature,
}

#[test]
fn adversarial_batches_are_refused_by_name_and_change_nothing() {
	let mut node = Node::start(&["--dev", "--tmp"]);
	let chain = Chain::of(&mut node);
	let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
	let day = (now / SECONDS_PER_DAY) as u32;
	let (eve, bob, charlie, ferdie) =
		(Sr25519Keyring::Eve, Sr25519Keyring::Bob, Sr25519Keyring::Charlie, Sr25519Keyring::Ferdie);

	// The authority registers a matcher (key id 0), Bob as a Wi-Fi locator for `xn7`, and
	// Charlie as a locator it then suspends. Eve is the dev chain's world-wide gateway.
	let key = SealingSecret::generate();
	let register = register_matcher(&key, now);
	// The pool's answers below show whether these registrations landed (NotLocator instead of
	// OutsideRegion, …); here it is enough that two blocks passed.
	let two_blocks = |n: &Node| {
		let start = n.best_number().unwrap_or(0);
		move |n: &Node| n.best_number().is_some_and(|b| b >= start + 2)
	};
	// Eve's first batch, stored once the matcher is; replayed below.
	let first = sealed(&key, 0, day, b"xn76u", 2, 8);
	sudo_and_wait(&mut node, &chain, 0, register, "the matcher", |n| {
		submit(n, &submission(&chain, eve, eve, first.clone())).get("result").is_some()
	});
	let locator = |who: Sr25519Keyring, region: &[u8]| {
		RuntimeCall::Csi(pallet_csi::Call::register_locator {
			locator: who.to_account_id(),
			kind: LocatorKind::WiFi,
			region: region.to_vec().try_into().unwrap(),
			metadata_hash: Hash::zero(),
		})
	};
	let suspend =
		RuntimeCall::Csi(pallet_csi::Call::suspend_locator { locator: charlie.to_account_id() });
	for (nonce, call, what) in [
		(1, locator(bob, b"xn7"), "Bob registered"),
		(2, locator(charlie, b""), "Charlie registered"),
		(3, suspend, "Charlie suspended"),
	] {
		let done = two_blocks(&node);
		sudo_and_wait(&mut node, &chain, nonce, call, what, done);
	}
	let landed = node.wait_for("Eve's batch stored", Duration::from_secs(60), |n| {
		n.rpc("csi_batchesOfDay", json!([day]))
			.filter(|v| v.as_array().is_some_and(|a| !a.is_empty()))
	});
	assert_eq!(landed.as_array().unwrap().len(), 1);
	let before = csi_state(&node, day);
	let best_before = node.best_number().unwrap();

	// One synthetic owner with one point: the base of most forgeries below.
	let small = || sealed(&key, 0, day, b"xn76u", 1, 1);
	let mut one_point_entries = small();
	let template = one_point_entries.entries[0].clone();
	one_point_entries.entries = vec![template.clone(); 1_025];
	let mut truncated = small();
	truncated.entries[0].truncate(50);
	let cases: Vec<(&str, String, Refusal)> = vec![
		(
			"a batch from an account that is no locator",
			submission(&chain, ferdie, ferdie, small()),
			Refusal::Named(Error::NotLocator),
		),
		(
			"a batch from a suspended locator",
			submission(&chain, charlie, charlie, small()),
			Refusal::Named(Error::LocatorSuspended),
		),
		(
			"a batch outside the locator's region",
			submission(&chain, bob, bob, sealed(&key, 0, day, b"u4pru", 1, 1)),
			Refusal::Named(Error::OutsideRegion),
		),
		(
			"an empty batch",
			submission(&chain, eve, eve, {
				let mut b = small();
				b.entries.clear();
				b
			}),
			Refusal::Named(Error::EmptyBatch),
		),
		(
			"a batch of 1,025 entries (the bound is 1,024)",
			submission(&chain, eve, eve, one_point_entries),
			Refusal::Named(Error::TooManyEntries),
		),
		(
			"an entry of 65 points (the bound is 64)",
			submission(&chain, eve, eve, sealed(&key, 0, day, b"xn76u", 1, 65)),
			Refusal::Named(Error::EntryTooLarge),
		),
		(
			"a batch of 18,000 points (the per-locator, per-block quota is 16,384)",
			submission(&chain, eve, eve, sealed(&key, 0, day, b"xn76u", 300, 60)),
			Refusal::Named(Error::BatchTooLarge),
		),
		(
			"a ciphertext whose length is no whole number of points",
			submission(&chain, eve, eve, truncated),
			Refusal::Named(Error::MalformedEntry),
		),
		(
			"a batch sealed to an unknown key",
			submission(&chain, eve, eve, sealed(&key, 7, day, b"xn76u", 1, 1)),
			Refusal::Named(Error::UnknownSealingKey),
		),
		(
			"a batch for tomorrow",
			submission(&chain, eve, eve, sealed(&key, 0, day + 1, b"xn76u", 1, 1)),
			Refusal::Named(Error::DayOutOfRange),
		),
		(
			"a stored batch replayed under a fresh signature (its one-time key again)",
			submission(&chain, eve, eve, first.clone()),
			Refusal::Named(Error::EphemeralKeyReused),
		),
		(
			"Eve's batch signed by Ferdie (a forged signature)",
			submission(&chain, eve, ferdie, small()),
			Refusal::BadSignature,
		),
	];
	for (what, xt, refusal) in cases {
		let response = submit(&node, &xt);
		let error = response.get("error").unwrap_or_else(|| panic!("{what} was accepted"));
		assert_eq!(error["code"], 1010, "{what}: {response}");
		let data = error["data"].as_str().unwrap_or_default().to_string();
		match refusal {
			Refusal::Named(e) => {
				let custom = format!("Custom error: {}", error_index(&e));
				assert!(data.contains(&custom), "{what}: expected {e:?} ({custom}): {response}");
			},
			Refusal::BadSignature => {
				assert!(data.to_lowercase().contains("bad signature"), "{what}: {response}")
			},
		}
	}

	// Blocks keep coming and still take a valid batch; nothing refused left a trace.
	node.wait_for("two more blocks", Duration::from_secs(30), |n| {
		n.best_number().filter(|b| *b >= best_before + 2)
	});
	assert_eq!(csi_state(&node, day), before, "a refused batch changed CSI state");
	let valid = submit(&node, &submission(&chain, eve, eve, sealed(&key, 0, day, b"xn76u", 3, 4)));
	assert!(valid.get("result").is_some(), "a valid batch after the barrage: {valid}");
	node.wait_for("the valid batch stored", Duration::from_secs(60), |n| {
		n.rpc("csi_batchesOfDay", json!([day]))
			.filter(|v| v.as_array().is_some_and(|a| a.len() == 2))
	});
	node.stop(Duration::from_secs(20));
}

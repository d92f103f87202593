//! Adversarial inputs against a live dev node: CSI batches (each bound, each kind of writer,
//! retired and shredded sealing keys), endorsements (replayed nullifiers, forged consents, the
//! daily limit) and matcher results (forged, altered, replayed, stale). Each is refused in the
//! transaction pool with the runtime's own error, none changes state, and blocks (and valid
//! transactions) keep coming. All data is synthetic.

mod common;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use codec::Encode;
use common::{
	csi::{register_matcher, register_matcher_keys, rotate_sealing_key, sealed, submission},
	tx::{
		endorsement, endorsement_edited, general, revocation, signed_result, submit, sudo_and_wait,
		Chain,
	},
	Node,
};
use epichain_primitives::{
	diagnosis::{case_nullifier, ConsentedPseudonym},
	error_index,
	matching::{Exposure, RiskLevel},
	pseudonym::{fingerprint, DeviceSeed},
	sealing::SealingSecret,
	SECONDS_PER_DAY,
};
use epichain_runtime::{Hash, Runtime, RuntimeCall};
use pallet_csi::{Error, LocatorKind};
use pallet_notifications::MatchResultOf;
use serde_json::{json, Value};
use sp_core::{ed25519, Pair};
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
	/// `InvalidTransaction::Custom(index)` of the pallet error named.
	Named(String, u8),
	/// `InvalidTransaction::BadProof`.
	BadSignature,
}

/// The refusal by pallet error `e`.
fn named<E: codec::Encode + std::fmt::Debug>(e: E) -> Refusal {
	Refusal::Named(format!("{e:?}"), error_index(&e))
}

/// Submits each case and asserts the pool refuses it as the case says.
fn assert_each_refused(node: &Node, cases: Vec<(&str, String, Refusal)>) {
	for (what, xt, refusal) in cases {
		let response = submit(node, &xt);
		let error = response.get("error").unwrap_or_else(|| panic!("{what} was accepted"));
		assert_eq!(error["code"], 1010, "{what}: {response}");
		let data = error["data"].as_str().unwrap_or_default().to_string();
		match refusal {
			Refusal::Named(name, index) => {
				let custom = format!("Custom error: {index}");
				assert!(data.contains(&custom), "{what}: expected {name} ({custom}): {response}");
			},
			Refusal::BadSignature => {
				assert!(data.to_lowercase().contains("bad signature"), "{what}: {response}")
			},
		}
	}
}

/// A waiter for the block two after the current best.
fn two_blocks(node: &Node) -> impl Fn(&Node) -> bool {
	let start = node.best_number().unwrap_or(0);
	move |n: &Node| n.best_number().is_some_and(|b| b >= start + 2)
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
	let mut one_stay_entries = small();
	let template = one_stay_entries.entries[0].clone();
	one_stay_entries.entries = vec![template.clone(); 1_025];
	let mut truncated = small();
	truncated.entries[0].truncate(50);
	let cases: Vec<(&str, String, Refusal)> = vec![
		(
			"a batch from an account that is no locator",
			submission(&chain, ferdie, ferdie, small()),
			named(Error::<Runtime>::NotLocator),
		),
		(
			"a batch from a suspended locator",
			submission(&chain, charlie, charlie, small()),
			named(Error::<Runtime>::LocatorSuspended),
		),
		(
			"a batch outside the locator's region",
			submission(&chain, bob, bob, sealed(&key, 0, day, b"u4pru", 1, 1)),
			named(Error::<Runtime>::OutsideRegion),
		),
		(
			"an empty batch",
			submission(&chain, eve, eve, {
				let mut b = small();
				b.entries.clear();
				b
			}),
			named(Error::<Runtime>::EmptyBatch),
		),
		(
			"a batch of 1,025 entries (the bound is 1,024)",
			submission(&chain, eve, eve, one_stay_entries),
			named(Error::<Runtime>::TooManyEntries),
		),
		(
			"an entry of 65 stays (the bound is 64)",
			submission(&chain, eve, eve, sealed(&key, 0, day, b"xn76u", 1, 65)),
			named(Error::<Runtime>::EntryTooLarge),
		),
		(
			"a batch of 18,000 stays (the per-locator, per-block quota is 16,384)",
			submission(&chain, eve, eve, sealed(&key, 0, day, b"xn76u", 300, 60)),
			named(Error::<Runtime>::BatchTooLarge),
		),
		(
			"a ciphertext whose length is no whole number of stays",
			submission(&chain, eve, eve, truncated),
			named(Error::<Runtime>::MalformedEntry),
		),
		(
			"a batch sealed to an unknown key",
			submission(&chain, eve, eve, sealed(&key, 7, day, b"xn76u", 1, 1)),
			named(Error::<Runtime>::UnknownSealingKey),
		),
		(
			"a batch for tomorrow",
			submission(&chain, eve, eve, sealed(&key, 0, day + 1, b"xn76u", 1, 1)),
			named(Error::<Runtime>::DayOutOfRange),
		),
		(
			"a stored batch replayed under a fresh signature (its one-time key again)",
			submission(&chain, eve, eve, first.clone()),
			named(Error::<Runtime>::EphemeralKeyReused),
		),
		(
			"Eve's batch signed by Ferdie (a forged signature)",
			submission(&chain, eve, ferdie, small()),
			Refusal::BadSignature,
		),
	];
	assert_each_refused(&node, cases);

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

/// `result` signed by `matcher`, then edited: what a relay that alters a result in transit
/// would submit.
fn signed_then_edited(
	chain: &Chain,
	matcher: &ed25519::Pair,
	result: &MatchResultOf<Runtime>,
	edit: impl FnOnce(&mut MatchResultOf<Runtime>),
) -> String {
	let payload = epichain_primitives::signing::result_payload(chain.genesis.as_ref(), result);
	let mut result = result.clone();
	edit(&mut result);
	general(RuntimeCall::Notifications(pallet_notifications::Call::submit_result {
		result,
		signature: matcher.sign(&payload).0,
	}))
}

/// What the chain says about cases 0 to 2 and today's notifications.
fn case_state(node: &Node, today: u32) -> Vec<Option<Value>> {
	let mut state: Vec<_> = (0..3)
		.flat_map(|case| {
			[
				node.rpc("diagnosis_case", json!([case])),
				node.rpc("notifications_job", json!([case])),
			]
		})
		.collect();
	state.extend([
		node.rpc("diagnosis_jurisdictionCounts", json!([today])),
		node.rpc("diagnosis_endorsedFingerprints", json!([today])),
		node.rpc("notifications_ofDay", json!([today])),
		node.rpc("notifications_dayCounts", json!([today])),
		node.rpc("notifications_openJobs", json!([])),
	]);
	state
}

/// Ferdie endorses three synthetic cases: the matcher answers case 0, case 1 is revoked and
/// case 2 stays open. Then replayed nullifiers, forged consents and forged, altered, replayed
/// and stale matcher results are refused by name and change nothing; and once Ferdie has
/// endorsed 500 cases today (the daily limit), the 501st is refused too.
#[test]
fn adversarial_endorsements_and_results_are_refused_by_name_and_change_nothing() {
	use pallet_diagnosis::Error as Diagnosis;
	use pallet_notifications::Error as Notifications;
	let mut node = Node::start(&["--dev", "--tmp"]);
	let chain = Chain::of(&mut node);
	// The pool validates against the best block; genesis has no clock.
	node.wait_for("block 1", Duration::from_secs(60), |n| n.best_number().filter(|b| *b >= 1));
	let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
	let today = (now / SECONDS_PER_DAY) as u32;
	let ferdie = Sr25519Keyring::Ferdie;
	let patient = |i: u32| {
		let mut seed = [0x70; 32];
		seed[..4].copy_from_slice(&i.to_le_bytes());
		DeviceSeed::from_bytes(seed)
	};
	let nullifier =
		|i: u32| case_nullifier(b"synthetic-lab", format!("adversarial-{i}").as_bytes());

	let matcher = ed25519::Pair::from_seed(&[0x4d; 32]);
	let register = register_matcher_keys(matcher.public().0, [0x5a; 32], now);
	let done = two_blocks(&node);
	sudo_and_wait(&mut node, &chain, 0, register, "the matcher registered", done);
	for i in 0..3 {
		let xt = endorsement(&chain, ferdie, &patient(i), nullifier(i), today, vec![]);
		assert!(submit(&node, &xt).get("result").is_some(), "case {i} accepted");
	}
	node.wait_for("three cases", Duration::from_secs(60), |n| {
		n.rpc("notifications_job", json!([2])).filter(|j| !j.is_null())
	});
	let exposed = fingerprint(&patient(1_000).pseudonym(today));
	let as_of = node.best_number().unwrap() as u32;
	let result = |case: u64, round: u32, as_of: u32, day: u32| MatchResultOf::<Runtime> {
		case,
		round,
		part: 0,
		parts: 1,
		as_of,
		signer: matcher.public().0,
		exposures: vec![Exposure {
			fingerprint: exposed,
			day,
			risk: RiskLevel::High,
			probability_ppm: 700_000,
		}]
		.try_into()
		.unwrap(),
		cells: Default::default(),
	};
	let answer = result(0, 0, as_of, today);
	assert!(submit(&node, &signed_result(&chain, &matcher, answer.clone()))
		.get("result")
		.is_some());
	let revoke = revocation(&chain, ferdie, 1, pallet_diagnosis::RevocationReason::EnteredInError);
	assert!(submit(&node, &revoke).get("result").is_some());
	node.wait_for("case 0 answered and case 1 revoked", Duration::from_secs(60), |n| {
		let answered = n.rpc("notifications_job", json!([0])).is_some_and(|j| j["nextRound"] == 1);
		let cancelled =
			n.rpc("notifications_job", json!([1])).is_some_and(|j| j["status"] == "cancelled");
		(answered && cancelled).then_some(())
	});
	let before = case_state(&node, today);
	let best_before = node.best_number().unwrap();

	let forger = ed25519::Pair::from_seed(&[0x66; 32]);
	let stranger = patient(2_000);
	let cases: Vec<(&str, String, Refusal)> = vec![
		(
			"case 0's endorsement again, re-signed (its nullifier replayed)",
			endorsement(&chain, ferdie, &patient(0), nullifier(0), today, vec![]),
			named(Diagnosis::<Runtime>::NullifierUsed),
		),
		(
			"an endorsement signed to be valid until block 1, held back",
			endorsement_edited(&chain, ferdie, &patient(6), nullifier(6), today, vec![], |e| {
				e.valid_until = 1;
			}),
			named(Diagnosis::<Runtime>::Expired),
		),
		(
			"an endorsement valid for longer than an hour of blocks",
			endorsement_edited(&chain, ferdie, &patient(7), nullifier(7), today, vec![], |e| {
				e.valid_until = u32::MAX;
			}),
			named(Diagnosis::<Runtime>::ValidityTooLong),
		),
		(
			"case 0's nullifier for another patient",
			endorsement(&chain, ferdie, &patient(3), nullifier(0), today, vec![]),
			named(Diagnosis::<Runtime>::NullifierUsed),
		),
		(
			"a consent signed by another device's key",
			endorsement_edited(&chain, ferdie, &patient(4), nullifier(4), today, vec![], |e| {
				let day = e.pseudonyms[0].day;
				e.pseudonyms[0].consent = ConsentedPseudonym::sign(
					&stranger.pseudonym_key(day),
					chain.genesis.as_ref(),
					&ferdie.to_account_id().encode(),
					&nullifier(4),
				)
				.consent;
			}),
			named(Diagnosis::<Runtime>::BadConsent),
		),
		(
			"consents given to another diagnostician (Eve), endorsed by Ferdie",
			endorsement_edited(&chain, ferdie, &patient(5), nullifier(5), today, vec![], |e| {
				for p in e.pseudonyms.iter_mut() {
					*p = ConsentedPseudonym::sign(
						&patient(5).pseudonym_key(p.day),
						chain.genesis.as_ref(),
						&Sr25519Keyring::Eve.to_account_id().encode(),
						&nullifier(5),
					);
				}
			}),
			named(Diagnosis::<Runtime>::BadConsent),
		),
		(
			"a result signed by a key no matcher registered",
			signed_result(
				&chain,
				&forger,
				MatchResultOf::<Runtime> {
					signer: forger.public().0,
					..result(2, 0, as_of, today)
				},
			),
			named(Notifications::<Runtime>::UnknownMatcher),
		),
		(
			"a part of a round beyond the round's parts",
			signed_result(
				&chain,
				&matcher,
				MatchResultOf::<Runtime> { part: 1, parts: 1, ..result(2, 0, as_of, today) },
			),
			named(Notifications::<Runtime>::BadPart),
		),
		(
			"the second part of a round whose first part never came",
			signed_result(
				&chain,
				&matcher,
				MatchResultOf::<Runtime> { part: 1, parts: 2, ..result(2, 0, as_of, today) },
			),
			named(Notifications::<Runtime>::FutureRound),
		),
		(
			"a result naming the matcher's key, signed by another",
			signed_result(&chain, &forger, result(2, 0, as_of, today)),
			Refusal::BadSignature,
		),
		(
			"a result whose exposure was altered after the matcher signed",
			signed_then_edited(&chain, &matcher, &result(2, 0, as_of, today), |r| {
				r.exposures[0].risk = RiskLevel::Low;
			}),
			Refusal::BadSignature,
		),
		(
			"case 0's accepted result replayed for case 2",
			signed_then_edited(&chain, &matcher, &answer, |r| r.case = 2),
			Refusal::BadSignature,
		),
		(
			"another round-0 result for case 0, answered already",
			signed_result(&chain, &matcher, result(0, 0, as_of + 1, today)),
			named(Notifications::<Runtime>::StaleResult),
		),
		(
			"a round-1 result for case 0 judged before the accepted round 0",
			signed_result(&chain, &matcher, result(0, 1, as_of - 1, today)),
			named(Notifications::<Runtime>::StaleResult),
		),
		(
			"a result for the revoked case 1",
			signed_result(&chain, &matcher, result(1, 0, as_of, today)),
			named(Notifications::<Runtime>::JobCancelled),
		),
		(
			"a result for a round after the next",
			signed_result(&chain, &matcher, result(2, 1, as_of, today)),
			named(Notifications::<Runtime>::FutureRound),
		),
		(
			"a result judged at a block that does not exist yet",
			signed_result(&chain, &matcher, result(2, 0, as_of + 10_000, today)),
			named(Notifications::<Runtime>::FutureBlock),
		),
		(
			"an exposure a month before the case's window",
			signed_result(&chain, &matcher, result(2, 0, as_of, today - 30)),
			named(Notifications::<Runtime>::ExposureOutsideWindow),
		),
		(
			"a result for a case never endorsed",
			signed_result(&chain, &matcher, result(99, 0, as_of, today)),
			named(Notifications::<Runtime>::UnknownJob),
		),
	];
	assert_each_refused(&node, cases);
	node.wait_for("two more blocks", Duration::from_secs(30), |n| {
		n.best_number().filter(|b| *b >= best_before + 2)
	});
	assert_eq!(case_state(&node, today), before, "a refused endorsement or result changed state");

	// The daily limit: 3 cases so far, 497 more make 500, and the 501st is refused.
	const LIMIT: u32 = 500;
	for i in 3..LIMIT {
		let xt = endorsement(&chain, ferdie, &patient(10 + i), nullifier(10 + i), today, vec![]);
		assert!(submit(&node, &xt).get("result").is_some(), "endorsement {i} accepted");
	}
	node.wait_for("500 cases today", Duration::from_secs(180), |n| {
		n.rpc("diagnosis_case", json!([LIMIT - 1])).filter(|c| !c.is_null())
	});
	let counts = node.rpc("diagnosis_jurisdictionCounts", json!([today])).unwrap();
	let over = endorsement(&chain, ferdie, &patient(9_999), nullifier(9_999), today, vec![]);
	assert_each_refused(
		&node,
		vec![("Ferdie's 501st case today", over, named(Diagnosis::<Runtime>::RateLimited))],
	);
	let best = node.best_number().unwrap();
	node.wait_for("two more blocks", Duration::from_secs(30), |n| {
		n.best_number().filter(|b| *b >= best + 2)
	});
	assert_eq!(node.rpc("diagnosis_case", json!([LIMIT])), Some(Value::Null));
	assert_eq!(node.rpc("diagnosis_jurisdictionCounts", json!([today])), Some(counts));
	// Blocks still take a valid result.
	let next = result(2, 0, node.best_number().unwrap() as u32, today);
	assert!(submit(&node, &signed_result(&chain, &matcher, next)).get("result").is_some());
	node.wait_for("case 2 answered", Duration::from_secs(60), |n| {
		n.rpc("notifications_job", json!([2])).filter(|j| j["nextRound"] == 1)
	});
	node.stop(Duration::from_secs(20));
}

/// Sealing keys at the end of their life. The matcher rotates twice (keys 0 → 1 → 2); the
/// authority then moves key 0's registration 15 days back (past its 14-day lifetime, so
/// `on_idle` shreds it) and key 1's retirement 7 hours back (past the 6-hour grace), with
/// `System::set_storage` through sudo: the dev chain's clock cannot be moved forward. Batches
/// sealed to either key are refused as `ExpiredSealingKey` and change nothing; key 2 still
/// takes batches.
#[test]
fn batches_sealed_to_a_retired_or_a_shredded_key_are_refused() {
	use pallet_matchers::{SealingKeyInfo, SealingKeys};
	let mut node = Node::start(&["--dev", "--tmp"]);
	let chain = Chain::of(&mut node);
	let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
	let day = (now / SECONDS_PER_DAY) as u32;
	let eve = Sr25519Keyring::Eve;
	let keys = [SealingSecret::generate(), SealingSecret::generate(), SealingSecret::generate()];
	let lands = |key: u32| {
		let xt =
			submission(&chain, eve, eve, sealed(&keys[key as usize], key, day, b"xn76u", 1, 2));
		move |n: &Node| submit(n, &xt).get("result").is_some()
	};
	sudo_and_wait(&mut node, &chain, 0, register_matcher(&keys[0], now), "key 0", lands(0));
	for (nonce, key) in [(1, 1u32), (2, 2)] {
		let rotate = rotate_sealing_key(&keys[key as usize]);
		sudo_and_wait(&mut node, &chain, nonce, rotate, "a rotation", lands(key));
	}
	let info = |key: u32, registered_at: u64, retired_at: u64| {
		(
			SealingKeys::<Runtime>::hashed_key_for(key),
			SealingKeyInfo {
				matcher: 0,
				public: keys[key as usize].public(),
				registered_at,
				retired_at: Some(retired_at),
			}
			.encode(),
		)
	};
	let age = RuntimeCall::System(frame_system::Call::set_storage {
		items: vec![
			info(0, now - 15 * SECONDS_PER_DAY, now - 60),
			info(1, now - 60, now - 7 * 3_600),
		],
	});
	let shredded = format!("0x{}", hex::encode(SealingKeys::<Runtime>::hashed_key_for(0)));
	sudo_and_wait(&mut node, &chain, 3, age, "key 0 shredded", |n| {
		n.rpc("state_getStorage", json!([shredded])).is_some_and(|v| v.is_null())
	});
	let before = csi_state(&node, day);
	let best_before = node.best_number().unwrap();
	let to_key = |key: u32| {
		submission(&chain, eve, eve, sealed(&keys[key as usize], key, day, b"xn76u", 1, 1))
	};
	assert_each_refused(
		&node,
		vec![
			(
				"a batch sealed to the shredded key 0",
				to_key(0),
				named(Error::<Runtime>::ExpiredSealingKey),
			),
			(
				"a batch sealed to key 1, retired past its grace",
				to_key(1),
				named(Error::<Runtime>::ExpiredSealingKey),
			),
		],
	);
	node.wait_for("two more blocks", Duration::from_secs(30), |n| {
		n.best_number().filter(|b| *b >= best_before + 2)
	});
	assert_eq!(csi_state(&node, day), before, "a refused batch changed CSI state");
	let valid = submit(&node, &to_key(2));
	assert!(valid.get("result").is_some(), "a batch sealed to the current key: {valid}");
	let stored = before.1.as_array().unwrap().len() + 1;
	node.wait_for("the valid batch stored", Duration::from_secs(60), |n| {
		n.rpc("csi_batchesOfDay", json!([day]))
			.filter(|v| v.as_array().is_some_and(|a| a.len() == stored))
	});
	node.stop(Duration::from_secs(20));
}

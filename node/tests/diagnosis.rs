//! Diagnosis and notifications on a live dev node: Ferdie, the dev chain's diagnostician,
//! endorses a synthetic patient's case whose consent signatures come from `epichain-primitives`
//! pseudonym keys and which carries the TCN specification's signed report; a second
//! endorsement of the same case is refused by the pool, a stranger is refused, and the
//! revocation is visible over RPC. The endorsement opens a matching job; a registered matcher's
//! signed result issues a notification that the exposed fingerprint finds over RPC.

mod common;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use codec::Encode;
use common::{
	csi::register_matcher_keys,
	tx::{assert_refused_by, endorsement, revocation, signed_result, submit, sudo_and_wait, Chain},
	Node,
};
use epichain_primitives::{
	diagnosis::case_nullifier,
	matching::{Exposure, RiskLevel},
	pseudonym::{fingerprint, DeviceSeed},
	tcn::SignedReport,
	SECONDS_PER_DAY,
};
use epichain_runtime::Runtime;
use pallet_diagnosis::{Error, RevocationReason};
use serde_json::{json, Value};
use sp_core::{crypto::Ss58Codec, Pair};
use sp_keyring::Sr25519Keyring;

/// The TCN specification's signed report (reference implementation's test vector), as hex.
fn tcn_vector_hex() -> String {
	include_str!("../../primitives/test-vectors/tcn.txt")
		.lines()
		.find_map(|l| l.strip_prefix("signed_report "))
		.expect("the vector file has the signed report")
		.trim()
		.to_string()
}

/// The TCN specification's signed report.
fn tcn_vector() -> SignedReport {
	SignedReport::from_bytes(&hex::decode(tcn_vector_hex()).unwrap()).unwrap()
}

/// Asserts the pool refused `response` with the pallet error `e`.
fn assert_refused(response: &Value, e: Error<Runtime>) {
	assert_refused_by(response, e.encode()[0]);
}

#[test]
fn a_diagnostician_endorses_and_revokes_a_consented_case() {
	let mut node = Node::start(&["--dev", "--tmp"]);
	let chain = Chain::of(&mut node);
	let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
	let today = (now / SECONDS_PER_DAY) as u32;
	let patient = DeviceSeed::generate();
	let nullifier = case_nullifier(b"synthetic-lab", b"case-0001");
	let ferdie = Sr25519Keyring::Ferdie;
	// The pool validates against the best block; genesis has no clock (day 0), so wait for a
	// block with a timestamp.
	node.wait_for("block 1", Duration::from_secs(60), |n| n.best_number().filter(|b| *b >= 1));

	// Eve is no diagnostician: refused by the pool.
	let eve = Sr25519Keyring::Eve;
	let refused = submit(&node, &endorsement(&chain, eve, &patient, nullifier, today, vec![]));
	assert_refused(&refused, Error::NotDiagnostician);

	let accepted =
		submit(&node, &endorsement(&chain, ferdie, &patient, nullifier, today, vec![tcn_vector()]));
	assert!(accepted.get("result").is_some(), "Ferdie's endorsement accepted: {accepted}");
	let nullifier_hex = format!("0x{}", hex::encode(nullifier));
	node.wait_for("the case on chain", Duration::from_secs(60), |n| {
		n.rpc("diagnosis_caseOfNullifier", json!([nullifier_hex])).filter(|v| v == &json!(0))
	});
	let case = node.rpc("diagnosis_case", json!([0])).unwrap();
	assert_eq!(case["diagnostician"], ferdie.to_account_id().to_ss58check());
	assert_eq!((case["status"].as_str(), case["pseudonyms"].as_u64()), (Some("active"), Some(4)));
	assert_eq!(
		(case["firstDay"].as_u64(), case["lastDay"].as_u64()),
		(Some(today as u64 - 3), Some(today as u64))
	);
	let endorsed = json!([format!("0x{}", hex::encode(fingerprint(&patient.pseudonym(today))))]);
	assert_eq!(node.rpc("diagnosis_endorsedFingerprints", json!([today])), Some(endorsed));
	// The TCN report verified on chain and is served in the TCN serialization.
	assert_eq!(
		node.rpc("diagnosis_proximityReports", json!([today])),
		Some(json!([format!("0x{}", tcn_vector_hex())]))
	);
	let counts = node.rpc("diagnosis_jurisdictionCounts", json!([today])).unwrap();
	assert_eq!(counts, json!([{ "jurisdiction": "", "endorsed": 1, "revoked": 0 }]));

	// The same case again, for another patient: the nullifier is spent.
	let other = DeviceSeed::generate();
	let replay = submit(&node, &endorsement(&chain, ferdie, &other, nullifier, today, vec![]));
	assert_refused(&replay, Error::NullifierUsed);

	// Ferdie revokes it; downstream sees the revocation.
	let revoke = revocation(&chain, ferdie, 0, RevocationReason::FalsePositive);
	let response = submit(&node, &revoke);
	assert!(response.get("result").is_some(), "revocation accepted: {response}");
	let case = node.wait_for("the revocation on chain", Duration::from_secs(60), |n| {
		n.rpc("diagnosis_case", json!([0])).filter(|c| c["status"] == "revoked")
	});
	assert_eq!(case["revocationReason"], "falsePositive");
	assert_eq!(case["revokedByAuthority"], false);
	assert_eq!(node.rpc("diagnosis_endorsedFingerprints", json!([today])), Some(json!([])));
	assert_eq!(node.rpc("diagnosis_proximityReports", json!([today])), Some(json!([])));

	let bad = node.rpc_response("diagnosis_caseOfNullifier", json!(["0x1234"])).unwrap();
	assert_eq!(bad["error"]["code"], 8201, "{bad}");
	node.stop(Duration::from_secs(20));
}

#[test]
fn a_matchers_signed_result_notifies_the_exposed_fingerprint() {
	let mut node = Node::start(&["--dev", "--tmp"]);
	let chain = Chain::of(&mut node);
	node.wait_for("block 1", Duration::from_secs(60), |n| n.best_number().filter(|b| *b >= 1));
	let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
	let today = (now / SECONDS_PER_DAY) as u32;

	// The authority registers a matcher enclave's signing key.
	let matcher = sp_core::ed25519::Pair::from_seed(&[0x4d; 32]);
	let register = register_matcher_keys(matcher.public().0, [0x5a; 32], now);
	sudo_and_wait(&mut node, &chain, 0, register, "the matcher registered", |n| {
		n.rpc("state_getStorage", json!([matcher_key_storage(&matcher)]))
			.is_some_and(|v| !v.is_null())
	});

	// Ferdie endorses a case: its job opens.
	let patient = DeviceSeed::generate();
	let nullifier = case_nullifier(b"synthetic-lab", b"case-0002");
	let xt = endorsement(&chain, Sr25519Keyring::Ferdie, &patient, nullifier, today, vec![]);
	assert!(submit(&node, &xt).get("result").is_some());
	let job = node.wait_for("the job", Duration::from_secs(60), |n| {
		n.rpc("notifications_job", json!([0])).filter(|j| !j.is_null())
	});
	assert_eq!((job["status"].as_str(), job["nextRound"].as_u64()), (Some("open"), Some(0)));
	assert_eq!(node.rpc("notifications_openJobs", json!([])), Some(json!([0])));

	// The matcher's signed result: one synthetic person exposed today, at high risk.
	let exposed = fingerprint(&DeviceSeed::generate().pseudonym(today));
	let bystander = fingerprint(&DeviceSeed::generate().pseudonym(today));
	let result = |round: u32, probability_ppm: u32| pallet_notifications::MatchResultOf::<Runtime> {
		case: 0,
		round,
		part: 0,
		parts: 1,
		as_of: 1,
		signer: matcher.public().0,
		exposures: vec![Exposure {
			fingerprint: exposed,
			day: today,
			risk: RiskLevel::High,
			probability_ppm,
		}]
		.try_into()
		.unwrap(),
		cells: Default::default(),
	};
	let accepted = submit(&node, &signed_result(&chain, &matcher, result(0, 730_000)));
	assert!(accepted.get("result").is_some(), "the result accepted: {accepted}");
	let exposed_hex = format!("0x{}", hex::encode(exposed));
	let found = node.wait_for("the notification", Duration::from_secs(60), |n| {
		n.rpc("notifications_lookup", json!([[exposed_hex]]))
			.filter(|v| v.as_array().is_some_and(|a| !a.is_empty()))
	});
	assert_eq!(found[0]["risk"], "high");
	assert_eq!(
		(found[0]["probabilityPpm"].as_u64(), found[0]["case"].as_u64()),
		(Some(730_000), Some(0))
	);
	assert_eq!(found[0]["revoked"], false);
	let bystander_hex = format!("0x{}", hex::encode(bystander));
	assert_eq!(node.rpc("notifications_lookup", json!([[bystander_hex]])), Some(json!([])));
	assert_eq!(
		node.rpc("notifications_ofDay", json!([today])).unwrap().as_array().unwrap().len(),
		1
	);
	assert_eq!(
		node.rpc("notifications_dayCounts", json!([today])),
		Some(json!({"high": 1, "low": 0, "indirect": 0}))
	);
	assert_eq!(node.rpc("notifications_riskParams", json!([])).unwrap()["distanceCm"], 200);

	// Round 0 again (another relay, other figures): stale, refused by the pool.
	let stale = submit(&node, &signed_result(&chain, &matcher, result(0, 1)));
	assert_refused_by(&stale, pallet_notifications::Error::<Runtime>::StaleResult.encode()[0]);
	// A forged result (signed by another key) is refused as a bad proof.
	let forger = sp_core::ed25519::Pair::from_seed(&[0x66; 32]);
	let forged = submit(&node, &signed_result(&chain, &forger, result(1, 1)));
	assert_eq!(forged["error"]["code"], 1010, "{forged}");
	assert!(forged["error"]["data"].as_str().unwrap_or("").contains("bad signature"), "{forged}");

	// Revoking the case marks the notification revoked.
	let revoke = revocation(&chain, Sr25519Keyring::Ferdie, 0, RevocationReason::EnteredInError);
	assert!(submit(&node, &revoke).get("result").is_some());
	node.wait_for("the notification revoked", Duration::from_secs(60), |n| {
		n.rpc("notifications_lookup", json!([[exposed_hex]])).filter(|v| v[0]["revoked"] == true)
	});
	assert_eq!(node.rpc("notifications_job", json!([0])).unwrap()["status"], "cancelled");
	node.stop(Duration::from_secs(20));
}

/// The raw storage key of `Matchers::MatcherBySigner(matcher)`.
fn matcher_key_storage(matcher: &sp_core::ed25519::Pair) -> String {
	let key = matcher.public().0;
	let raw = [
		&sp_io::hashing::twox_128(b"Matchers")[..],
		&sp_io::hashing::twox_128(b"MatcherBySigner"),
		&sp_io::hashing::blake2_128(&key),
		&key,
	]
	.concat();
	format!("0x{}", hex::encode(raw))
}

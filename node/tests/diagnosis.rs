//! Diagnosis on a live dev node: Ferdie, the dev chain's diagnostician, endorses a synthetic
//! patient's case whose consent signatures come from `epichain-primitives` pseudonym keys and
//! which carries the TCN specification's signed report; a second endorsement of the same case
//! is refused by the pool, a stranger is refused, and the revocation is visible over RPC.

mod common;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use codec::Encode;
use common::{
	tx::{general, submit, Chain},
	Node,
};
use epichain_primitives::{
	diagnosis::{case_nullifier, CaseNullifier, ConsentedPseudonym, DayWindow},
	pseudonym::{fingerprint, DeviceSeed},
	tcn::SignedReport,
	SECONDS_PER_DAY,
};
use epichain_runtime::{Runtime, RuntimeCall};
use pallet_diagnosis::{Endorsement, Error, RevocationReason};
use serde_json::{json, Value};
use sp_core::crypto::Ss58Codec;
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

/// `who`'s endorsement of `patient` for case `nullifier` over the 4-day default window ending
/// `today`, optionally with the TCN vector report, as a general transaction.
fn endorsement(
	chain: &Chain,
	who: Sr25519Keyring,
	patient: &DeviceSeed,
	nullifier: CaseNullifier,
	today: u32,
	with_report: bool,
) -> String {
	let window = DayWindow::from_onset(today - 1, today);
	let pseudonyms: Vec<_> = (window.first..=window.last)
		.map(|day| {
			ConsentedPseudonym::sign(
				&patient.pseudonym_key(day),
				chain.genesis.as_ref(),
				&who.to_account_id().encode(),
				&nullifier,
			)
		})
		.collect();
	let mut reports = Vec::new();
	if with_report {
		let bytes = hex::decode(tcn_vector_hex()).unwrap();
		reports.push(SignedReport::from_bytes(&bytes).unwrap());
	}
	let endorsement = Endorsement {
		nullifier,
		window,
		pseudonyms: pseudonyms.try_into().unwrap(),
		reports: reports.try_into().unwrap(),
	};
	let payload =
		pallet_diagnosis::endorsement_signing_payload(chain.genesis.as_ref(), &endorsement);
	general(RuntimeCall::Diagnosis(pallet_diagnosis::Call::endorse_case {
		diagnostician: who.to_account_id(),
		endorsement,
		signature: who.sign(&payload).into(),
	}))
}

/// Asserts the pool refused `response` with the pallet error `e`.
fn assert_refused(response: &Value, e: Error<Runtime>) {
	let error = response.get("error").unwrap_or_else(|| panic!("refused: {response}"));
	assert_eq!(error["code"], 1010, "{response}");
	let custom = format!("Custom error: {}", e.encode()[0]);
	assert!(error["data"].as_str().unwrap_or("").contains(&custom), "{custom}: {response}");
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
	let refused = submit(&node, &endorsement(&chain, eve, &patient, nullifier, today, false));
	assert_refused(&refused, Error::NotDiagnostician);

	let accepted = submit(&node, &endorsement(&chain, ferdie, &patient, nullifier, today, true));
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
	let replay = submit(&node, &endorsement(&chain, ferdie, &other, nullifier, today, false));
	assert_refused(&replay, Error::NullifierUsed);

	// Ferdie revokes it; downstream sees the revocation.
	let reason = RevocationReason::FalsePositive;
	let payload = pallet_diagnosis::revocation_signing_payload(chain.genesis.as_ref(), 0, reason);
	let revoke = general(RuntimeCall::Diagnosis(pallet_diagnosis::Call::revoke_endorsement {
		diagnostician: ferdie.to_account_id(),
		case: 0,
		reason,
		signature: ferdie.sign(&payload).into(),
	}));
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

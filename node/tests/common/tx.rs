//! Building and submitting transactions natively (the runtime's own types), for tests.
#![allow(dead_code)]

use std::time::Duration;

use codec::Encode;
use epichain_runtime::{tx_extension, Hash, Runtime, RuntimeCall, UncheckedExtrinsic};
use serde_json::{json, Value};
use sp_keyring::Sr25519Keyring;

use epichain_primitives::{
	diagnosis::{CaseNullifier, ConsentedPseudonym, DayWindow},
	pseudonym::DeviceSeed,
	tcn::SignedReport,
};
use pallet_diagnosis::{Endorsement, EndorsementOf};
use pallet_notifications::MatchResultOf;

use super::Node;

/// What a signed transaction commits to.
pub struct Chain {
	pub genesis: Hash,
	pub spec_version: u32,
	pub tx_version: u32,
}

impl Chain {
	/// Reads genesis hash and versions from `node` (waits for its RPC server).
	pub fn of(node: &mut Node) -> Chain {
		let genesis: String = node.wait_for("RPC server", Duration::from_secs(60), |n| {
			n.rpc("chain_getBlockHash", json!([0])).and_then(|v| v.as_str().map(String::from))
		});
		let version = node.rpc("state_getRuntimeVersion", json!([])).unwrap();
		Chain {
			genesis: Hash::from_slice(&hex::decode(&genesis[2..]).unwrap()),
			spec_version: version["specVersion"].as_u64().unwrap() as u32,
			tx_version: version["transactionVersion"].as_u64().unwrap() as u32,
		}
	}
}

/// A signed (v4) transaction, the way wallets build one.
pub fn signed(chain: &Chain, who: Sr25519Keyring, nonce: u32, call: RuntimeCall) -> String {
	let xt = epichain_runtime::signed_transaction(
		call,
		&who.pair(),
		nonce,
		chain.genesis,
		chain.spec_version,
		chain.tx_version,
	);
	format!("0x{}", hex::encode(xt.encode()))
}

/// A general (authorized) transaction carrying `call`: no signer, fee or nonce. The call itself
/// carries its author's signature (CSI batches, endorsements, revocations).
pub fn general(call: RuntimeCall) -> String {
	format!(
		"0x{}",
		hex::encode(UncheckedExtrinsic::new_transaction(call, tx_extension(0)).encode())
	)
}

/// Asserts the pool refused `response` with `InvalidTransaction::Custom(index)`: a pallet error
/// whose index is `index`.
pub fn assert_refused_by(response: &Value, index: u8) {
	let error = response.get("error").unwrap_or_else(|| panic!("refused: {response}"));
	assert_eq!(error["code"], 1010, "{response}");
	let custom = format!("Custom error: {index}");
	assert!(error["data"].as_str().unwrap_or("").contains(&custom), "{custom}: {response}");
}

/// Submits a hex-encoded extrinsic; the whole JSON-RPC response (`result` or `error`).
pub fn submit(node: &Node, xt: &str) -> Value {
	node.rpc_response("author_submitExtrinsic", json!([xt])).expect("RPC is up")
}

/// Submits `call` as sudo from Alice with `nonce` and waits until it is in a block and
/// `done` holds.
pub fn sudo_and_wait(
	node: &mut Node,
	chain: &Chain,
	nonce: u32,
	call: RuntimeCall,
	what: &str,
	mut done: impl FnMut(&Node) -> bool,
) {
	let sudo = RuntimeCall::Sudo(pallet_sudo::Call::sudo { call: Box::new(call) });
	let response = submit(node, &signed(chain, Sr25519Keyring::Alice, nonce, sudo));
	assert!(response.get("result").is_some(), "sudo accepted: {response}");
	node.wait_for(what, Duration::from_secs(60), |n| done(n).then_some(()));
}

/// `who`'s endorsement of `patient` for case `nullifier` over the 4-day default window ending
/// `today`, with proximity `reports`, as a general transaction.
pub fn endorsement(
	chain: &Chain,
	who: Sr25519Keyring,
	patient: &DeviceSeed,
	nullifier: CaseNullifier,
	today: u32,
	reports: Vec<SignedReport>,
) -> String {
	endorsement_edited(chain, who, patient, nullifier, today, reports, |_| {})
}

/// [`endorsement`] with `edit` applied to it before the diagnostician signs.
pub fn endorsement_edited(
	chain: &Chain,
	who: Sr25519Keyring,
	patient: &DeviceSeed,
	nullifier: CaseNullifier,
	today: u32,
	reports: Vec<SignedReport>,
	edit: impl FnOnce(&mut EndorsementOf<Runtime>),
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
	let mut endorsement = Endorsement {
		nullifier,
		window,
		pseudonyms: pseudonyms.try_into().unwrap(),
		reports: reports.try_into().unwrap(),
		valid_until: SIGNED_VALID_UNTIL,
	};
	edit(&mut endorsement);
	let payload =
		pallet_diagnosis::endorsement_signing_payload(chain.genesis.as_ref(), &endorsement);
	general(RuntimeCall::Diagnosis(pallet_diagnosis::Call::endorse_case {
		diagnostician: who.to_account_id(),
		endorsement,
		signature: who.sign(&payload).into(),
	}))
}

/// The block signed endorsements and revocations of these helpers are valid until: a test
/// chain starts at genesis, and 600 blocks (the runtime's `MaxSignedValidity`, an hour of 6 s
/// blocks) outlast every test.
pub const SIGNED_VALID_UNTIL: u32 = 600;

/// `who`'s revocation of `case` for `reason`, as a general transaction.
pub fn revocation(
	chain: &Chain,
	who: Sr25519Keyring,
	case: u64,
	reason: pallet_diagnosis::RevocationReason,
) -> String {
	revocation_until(chain, who, case, reason, SIGNED_VALID_UNTIL)
}

/// [`revocation`], signed as valid until block `valid_until`.
pub fn revocation_until(
	chain: &Chain,
	who: Sr25519Keyring,
	case: u64,
	reason: pallet_diagnosis::RevocationReason,
	valid_until: u32,
) -> String {
	let payload = pallet_diagnosis::revocation_signing_payload(
		chain.genesis.as_ref(),
		case,
		reason,
		valid_until,
	);
	general(RuntimeCall::Diagnosis(pallet_diagnosis::Call::revoke_endorsement {
		diagnostician: who.to_account_id(),
		case,
		reason,
		valid_until,
		signature: who.sign(&payload).into(),
	}))
}

/// `result`, signed by `matcher`, as a general transaction.
pub fn signed_result(
	chain: &Chain,
	matcher: &sp_core::ed25519::Pair,
	result: MatchResultOf<Runtime>,
) -> String {
	use sp_core::Pair;
	let payload = epichain_primitives::signing::result_payload(chain.genesis.as_ref(), &result);
	general(RuntimeCall::Notifications(pallet_notifications::Call::submit_result {
		result,
		signature: matcher.sign(&payload).0,
	}))
}

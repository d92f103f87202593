//! `epichain authority upgrade --wasm <file>`: a runtime upgrade, as far as the signer can take
//! it, one step per run.
//!
//! An upgrade is `System::authorize_upgrade(code_hash)` dispatched as Root, then the code itself
//! (`System::apply_authorized_upgrade(code)`, a bare transaction anyone may submit: the runtime
//! checks it against the authorized hash, and that its spec name is the chain's and its spec
//! version higher). Root is reached:
//! - by the chain's sudo key (dev and local chains), at once;
//! - by the council (regional chains), in two motions: `Whitelist::whitelist_call` approves the
//!   authorization's hash, then `Whitelist::dispatch_whitelisted_call_with_preimage` dispatches
//!   it. Members vote with `epichain council vote`.
//!
//! Each run looks at the chain and takes the next step: propose the first motion, propose the
//! second, or submit the code. It says what it did and what comes next, and does nothing twice
//! (a motion already open is reported, not proposed again).

use std::path::Path;

use anyhow::{anyhow, bail, Context, Result};
use serde_json::json;
use subxt::utils::H256;
use subxt_signer::sr25519::Keypair;

use crate::{
	connection::{Connection, Wait},
	council::{self, Outcome},
	output::emit,
	runtime,
};

/// Where an upgrade stands on chain.
#[derive(Debug, PartialEq, Eq)]
pub enum Stage {
	/// The chain already runs this code.
	Applied,
	/// Root authorized this code: the code may be submitted.
	Authorized,
	/// The council whitelisted the authorization: it may be dispatched.
	Whitelisted,
	/// Nothing yet.
	Started,
}

/// The magic prefix of a zstd-compressed runtime blob (`sp-maybe-compressed-blob`).
const COMPRESSED_WASM_PREFIX: [u8; 8] = [82, 188, 83, 118, 70, 219, 142, 5];

/// Reads a runtime blob, refusing anything that is not wasm (plain or compressed).
pub fn read_code(path: &Path) -> Result<Vec<u8>> {
	let code = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
	if !code.starts_with(b"\0asm") && !code.starts_with(&COMPRESSED_WASM_PREFIX) {
		bail!(
			"{} is not a runtime: neither wasm nor a compressed wasm blob (use the build's \
			 epichain_runtime.compact.compressed.wasm)",
			path.display()
		);
	}
	Ok(code)
}

/// `System::authorize_upgrade(code_hash)`: the call the council dispatches as Root.
pub fn authorization(code_hash: H256) -> runtime::Call {
	runtime::Call::System(runtime::runtime_types::frame_system::pallet::Call::authorize_upgrade {
		code_hash,
	})
}

/// Where the upgrade to code with hash `code_hash` stands.
pub async fn stage(chain: &Connection, code_hash: H256) -> Result<Stage> {
	let at = chain.at_best_block().await?;
	let current = at
		.storage()
		.fetch_raw(b":code".to_vec())
		.await
		.context("reading the chain's runtime code")?;
	if H256(sp_crypto_hashing::blake2_256(&current)) == code_hash {
		return Ok(Stage::Applied);
	}
	let authorized =
		at.storage().try_fetch(runtime::storage().system().authorized_upgrade(), ()).await?;
	if let Some(authorized) = authorized {
		if authorized.decode()?.code_hash == code_hash {
			return Ok(Stage::Authorized);
		}
	}
	let whitelisted = at
		.storage()
		.try_fetch(
			runtime::storage().whitelist().whitelisted_call(),
			(council::call_hash(chain, &authorization(code_hash))?,),
		)
		.await?;
	Ok(if whitelisted.is_some() { Stage::Whitelisted } else { Stage::Started })
}

/// Takes the upgrade to the code in `wasm` one step further as `signer`.
pub async fn run(
	chain: &Connection,
	signer: &Keypair,
	wasm: &Path,
	json_mode: bool,
	wait: Wait,
) -> Result<()> {
	let code = read_code(wasm)?;
	let code_hash = H256(sp_crypto_hashing::blake2_256(&code));
	let authorize = authorization(code_hash);
	loop {
		let stage = stage(chain, code_hash).await?;
		let step = match stage {
			Stage::Applied => {
				emit(json_mode, &json!({ "stage": "applied", "codeHash": code_hash }), || {
					format!("the chain runs code {code_hash:?}: nothing to do")
				});
				return Ok(());
			},
			Stage::Authorized => return apply(chain, code, code_hash, json_mode, wait).await,
			Stage::Whitelisted => runtime::Call::Whitelist(
				runtime::runtime_types::pallet_whitelist::pallet::Call::dispatch_whitelisted_call_with_preimage {
					call: Box::new(authorize.clone()),
				},
			),
			Stage::Started => {
				let me = signer.public_key().to_account_id();
				if council::sudo_key(chain).await?.as_ref() == Some(&me) {
					chain.sudo(signer, authorize.clone(), wait).await?;
					continue;
				}
				runtime::Call::Whitelist(
					runtime::runtime_types::pallet_whitelist::pallet::Call::whitelist_call {
						call_hash: council::call_hash(chain, &authorize)?,
					},
				)
			},
		};
		let motion_hash = council::call_hash(chain, &step)?;
		if let Ok(open) = council::motion(chain, motion_hash).await {
			council::report_open(&open, json_mode);
			return Ok(());
		}
		match council::act(chain, signer, step, wait).await? {
			// The signer's vote carried it (sudo, or a council of one): next step.
			Outcome::Acted(_) => continue,
			Outcome::Proposed { motion, .. } => {
				let which = if stage == Stage::Started {
					"1 of 2 (whitelist the authorization)"
				} else {
					"2 of 2 (dispatch it as Root)"
				};
				emit(
					json_mode,
					&json!({ "stage": format!("{stage:?}").to_lowercase(), "motion": motion.json(), "codeHash": code_hash }),
					|| {
						format!(
							"upgrade to code {code_hash:?}: motion {which}\n{}\nmembers vote with \
							 `epichain council vote --suri <member> {:?}`; then run this command \
							 again",
							motion.line(),
							motion.hash
						)
					},
				);
				return Ok(());
			},
		}
	}
}

/// Submits the authorized code as a bare transaction and reports the block that set it.
async fn apply(
	chain: &Connection,
	code: Vec<u8>,
	code_hash: H256,
	json_mode: bool,
	wait: Wait,
) -> Result<()> {
	let size = code.len();
	let payload = runtime::tx().system().apply_authorized_upgrade(code);
	let included = chain.unsigned(&payload, wait).await?;
	if let Some(rejected) =
		included.events.find_first::<runtime::system::events::RejectedInvalidAuthorizedUpgrade>()
	{
		let rejected = rejected.map_err(|e| anyhow!("decoding the rejection: {e}"))?;
		bail!(
			"the chain refused code {code_hash:?}: {} (a runtime must keep the chain's spec name \
			 and raise its spec version)",
			chain.dispatch_error_name(&rejected.error)
		);
	}
	included
		.events
		.find_first::<runtime::system::events::CodeUpdated>()
		.ok_or_else(|| anyhow!("the code was included but the block has no System::CodeUpdated"))?
		.map_err(|e| anyhow!("decoding System::CodeUpdated: {e}"))?;
	let block = included.block_number;
	emit(
		json_mode,
		&json!({ "stage": "applied", "codeHash": code_hash, "block": block, "bytes": size }),
		|| {
			format!(
				"code {code_hash:?} ({size} bytes) set in block #{block}; the new runtime runs \
				 from block #{}",
				block + 1
			)
		},
	);
	Ok(())
}

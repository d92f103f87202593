//! Validators from the command line: an operator registers the session keys its own node made,
//! and anyone reads the set.
//!
//! Joining takes three steps (see `pallet-validators`): `epichain validator set-keys` on the new
//! validator (its node makes the keys in its keystore, and the account registers them with the
//! ownership proof), then the authority's `epichain authority add-validator`, then two session
//! rotations.

use anyhow::{anyhow, Context, Result};
use clap::Subcommand;
use serde::Deserialize;
use serde_json::json;
use subxt::{rpcs::rpc_params, utils::AccountId32};

use crate::{
	connection::{self, Connection, Wait},
	keys::hex0x,
	output::{emit, report_included},
	runtime,
};

/// `validator` verbs.
#[derive(Subcommand, Debug)]
pub enum ValidatorCmd {
	/// Make session keys in the validator node's keystore and register them for its account.
	SetKeys {
		/// The validator account's secret URI: it owns the keys and pays the fee.
		#[arg(long)]
		suri: String,
		/// The validator's own node, whose keystore gets the keys (default: `--url`).
		#[arg(long)]
		node: Option<String>,
	},
	/// The session's validators, the next session's, and a change the authority planned.
	List,
}

/// What `author_rotateKeysWithOwner` answers.
#[derive(Deserialize)]
struct Generated {
	keys: String,
	proof: String,
}

fn unhex(text: &str) -> Result<Vec<u8>> {
	epichain_primitives::hex0x::decode(text).map_err(|e| anyhow!("{text:?}: {e}"))
}

/// Runs a `validator` verb.
pub async fn run(chain: &Connection, cmd: ValidatorCmd, json_mode: bool, wait: Wait) -> Result<()> {
	match cmd {
		ValidatorCmd::SetKeys { suri, node } => {
			let signer = connection::keypair(&suri)?;
			let owner = signer.public_key().to_account_id();
			let keystore = match &node {
				Some(url) => Connection::connect(url).await?,
				None => chain.clone(),
			};
			let generated: Generated = keystore
				.call("author_rotateKeysWithOwner", rpc_params![hex0x(&owner.0)])
				.await
				.context(
					"asking the validator's node for new session keys (author_rotateKeysWithOwner \
					 is an unsafe RPC method: run this against the validator's own node)",
				)?;
			let keys = unhex(&generated.keys)?;
			if keys.len() != 64 {
				return Err(anyhow!(
					"the node made {} bytes of keys, not Aura + GRANDPA",
					keys.len()
				));
			}
			let (aura, grandpa) = keys.split_at(32);
			let session_keys = runtime::runtime_types::epichain_runtime::SessionKeys {
				aura: runtime::runtime_types::sp_consensus_aura::sr25519::app_sr25519::Public(
					aura.try_into().expect("32 bytes; qed"),
				),
				grandpa: runtime::runtime_types::sp_consensus_grandpa::app::Public(
					grandpa.try_into().expect("32 bytes; qed"),
				),
			};
			let call = runtime::tx().session().set_keys(session_keys, unhex(&generated.proof)?);
			let included = chain.signed(&call, &signer, wait).await?;
			report_included(&included, json_mode)?;
			if !json_mode {
				println!(
					"session keys of {owner} registered: aura {}, grandpa {}\nthe authority adds it \
					 with `epichain authority add-validator {owner}`",
					hex0x(aura),
					hex0x(grandpa)
				);
			}
		},
		ValidatorCmd::List => {
			let at = chain.at_best_block().await?;
			let session: u32 = at
				.storage()
				.fetch(runtime::storage().session().current_index(), ())
				.await?
				.decode()?;
			let current: Vec<AccountId32> = at
				.storage()
				.fetch(runtime::storage().session().validators(), ())
				.await?
				.decode()?;
			let queued: Vec<AccountId32> = at
				.storage()
				.fetch(runtime::storage().session().queued_keys(), ())
				.await?
				.decode()?
				.into_iter()
				.map(|(who, _)| who)
				.collect();
			let planned: Option<Vec<AccountId32>> = match at
				.storage()
				.try_fetch(runtime::storage().validators().planned(), ())
				.await?
			{
				Some(p) => Some(p.decode()?.0),
				None => None,
			};
			let names = |v: &[AccountId32]| v.iter().map(|a| a.to_string()).collect::<Vec<_>>();
			let value = json!({
				"session": session,
				"validators": names(&current),
				"next": names(&queued),
				"planned": planned.as_deref().map(names),
			});
			emit(json_mode, &value, || {
				let mut text = format!("session {session}: {} validators", current.len());
				for v in &current {
					text.push_str(&format!("\n  {v}"));
				}
				if queued != current {
					text.push_str(&format!("\nnext session: {}", names(&queued).join(", ")));
				}
				if let Some(p) = &planned {
					text.push_str(&format!("\nplanned by the authority: {}", names(p).join(", ")));
				}
				text
			});
		},
	}
	Ok(())
}

//! The health authority from the command line: sudo on dev and local chains, the council's
//! motions on regional ones.
//!
//! `epichain authority <verb>` asks the chain who the signer is:
//! - the chain's sudo key (dev and local chains): the call is dispatched at once through
//!   `Sudo::sudo`;
//! - a council member: the call becomes a motion (`Council::propose`) needing two thirds of the
//!   members, and the proposer votes aye on it. When that vote already carries it (a council of
//!   one), the motion is closed and the call dispatched in the same command;
//! - anyone else: refused before anything is sent.
//!
//! `epichain council motions | vote | close | members` does the rest: a member's aye that
//! reaches two thirds closes the motion at once, so the call acts without a further step.

use anyhow::{anyhow, bail, Context, Result};
use clap::Subcommand;
use serde_json::{json, Value};
use subxt::utils::{AccountId32, H256};
use subxt_signer::sr25519::Keypair;

use crate::{
	connection::{self, Connection, Included, Wait},
	output::emit,
	runtime,
};

/// `council` verbs.
#[derive(Subcommand, Debug)]
pub enum CouncilCmd {
	/// The council's members.
	Members,
	/// Open motions: what each would do, its votes and when it ends.
	Motions,
	/// Vote on an open motion; an aye that reaches two thirds closes it and the call acts.
	Vote {
		/// The member's secret URI.
		#[arg(long)]
		suri: String,
		/// The motion's hash (from `council motions` or the proposer's output).
		motion: String,
		/// Vote nay instead of aye.
		#[arg(long)]
		nay: bool,
	},
	/// Close a motion: it acts if two thirds voted aye, and fails if that can no longer happen
	/// or its time ran out.
	Close {
		/// Any account's secret URI (closing pays a fee).
		#[arg(long)]
		suri: String,
		/// The motion's hash.
		motion: String,
	},
}

/// The smallest number of ayes that is at least two thirds of `members`: the runtime's
/// `AuthorityOrigin` accepts nothing less.
pub fn two_thirds(members: u32) -> u32 {
	(2 * members).div_ceil(3)
}

/// `Pallet::call` of a runtime call, for messages.
pub fn call_label(call: &runtime::Call) -> String {
	// `Pallet(call { .. })` -> `Pallet::call`.
	let debug = format!("{call:?}");
	let (pallet, rest) = debug.split_once('(').unwrap_or((&debug, ""));
	let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
	format!("{pallet}::{name}")
}

/// What became of an authority call.
pub enum Outcome {
	/// The call acted: through sudo, or a motion the signer's own vote carried.
	Acted(Included),
	/// A motion now waits for other members' ayes.
	Proposed {
		/// The transaction that proposed it.
		included: Included,
		/// The motion.
		motion: Motion,
	},
}

/// An open motion.
#[derive(Clone, Debug)]
pub struct Motion {
	/// The proposed call's hash, which names the motion.
	pub hash: H256,
	/// The motion's index.
	pub index: u32,
	/// `Pallet::call` of the proposed call.
	pub call: String,
	/// Ayes so far.
	pub ayes: u32,
	/// Nays so far.
	pub nays: u32,
	/// Ayes needed.
	pub threshold: u32,
	/// The block after which it can only fail.
	pub end: u32,
}

impl Motion {
	/// The motion as JSON.
	pub fn json(&self) -> Value {
		json!({
			"motion": format!("{:?}", self.hash),
			"index": self.index,
			"call": self.call,
			"ayes": self.ayes,
			"nays": self.nays,
			"threshold": self.threshold,
			"end": self.end,
		})
	}

	/// One line for people.
	pub fn line(&self) -> String {
		format!(
			"motion {:?} (#{}) {}: {} aye, {} nay of {} needed, open until block #{}",
			self.hash, self.index, self.call, self.ayes, self.nays, self.threshold, self.end
		)
	}
}

/// Makes `call` act with the health authority's origin, as far as `signer` can take it.
pub async fn act(
	chain: &Connection,
	signer: &Keypair,
	call: runtime::Call,
	wait: Wait,
) -> Result<Outcome> {
	let me = signer.public_key().to_account_id();
	if sudo_key(chain).await?.as_ref() == Some(&me) {
		return Ok(Outcome::Acted(chain.sudo(signer, call, wait).await?));
	}
	let members = members(chain).await?;
	if !members.contains(&me) {
		bail!(
			"{me} is neither the chain's sudo key nor a council member; a council member proposes \
			 authority calls (`epichain council members` lists them)"
		);
	}
	let threshold = two_thirds(members.len() as u32);
	let length_bound = encoded_len(chain, &call)?;
	let what = call_label(&call);
	let propose = runtime::tx().council().propose(threshold, call, length_bound);
	let included = chain.signed(&chain.live(propose).await?, signer, wait).await?;
	let proposed = included
		.events
		.find_first::<runtime::council::events::Proposed>()
		.ok_or_else(|| anyhow!("{what}: proposed, but the block has no Council::Proposed event"))?
		.map_err(|e| anyhow!("decoding Council::Proposed: {e}"))?;
	// The proposer's motion is not yet its vote.
	match vote(chain, signer, proposed.proposal_hash, true, wait).await? {
		Voted::Closed(included) => Ok(Outcome::Acted(included)),
		Voted::Open(motion) => Ok(Outcome::Proposed { included, motion }),
	}
}

/// The chain's sudo key, if it has one (dev and local chains).
pub async fn sudo_key(chain: &Connection) -> Result<Option<AccountId32>> {
	let at = chain.at_best_block().await?;
	Ok(match at.storage().try_fetch(runtime::storage().sudo().key(), ()).await? {
		Some(key) => Some(key.decode()?),
		None => None,
	})
}

/// What a vote left behind.
pub enum Voted {
	/// The vote decided the motion, which was closed: the call acted.
	Closed(Included),
	/// The motion is still open.
	Open(Motion),
}

/// The council's members.
pub async fn members(chain: &Connection) -> Result<Vec<AccountId32>> {
	let at = chain.at_best_block().await?;
	Ok(at.storage().fetch(runtime::storage().council().members(), ()).await?.decode()?)
}

/// The open motion `hash` as the best block sees it.
pub async fn motion(chain: &Connection, hash: H256) -> Result<Motion> {
	Ok(motion_and_call(chain, hash).await?.0)
}

/// Open motion `hash` and its call, read at one block.
async fn motion_and_call(chain: &Connection, hash: H256) -> Result<(Motion, runtime::Call)> {
	let at = chain.at_best_block().await?;
	let voting = at
		.storage()
		.try_fetch(runtime::storage().council().voting(), (hash,))
		.await?
		.ok_or_else(|| anyhow!("no open motion {hash:?} (closed already, or never proposed)"))?
		.decode()?;
	let call: runtime::Call = at
		.storage()
		// The proposal is a `RuntimeCall`, decoded by type: see `Connection::live`.
		.try_fetch(runtime::storage().council().proposal_of().unvalidated(), (hash,))
		.await?
		.ok_or_else(|| anyhow!("motion {hash:?} has no proposal"))?
		.decode()?;
	let motion = Motion {
		hash,
		index: voting.index,
		call: call_label(&call),
		ayes: voting.ayes.len() as u32,
		nays: voting.nays.len() as u32,
		threshold: voting.threshold,
		end: voting.end,
	};
	Ok((motion, call))
}

/// Every open motion, oldest first.
pub async fn motions(chain: &Connection) -> Result<Vec<Motion>> {
	let at = chain.at_best_block().await?;
	let hashes: Vec<H256> =
		at.storage().fetch(runtime::storage().council().proposals(), ()).await?.decode()?.0;
	let mut open = Vec::with_capacity(hashes.len());
	for hash in hashes {
		open.push(motion(chain, hash).await?);
	}
	open.sort_by_key(|m| m.index);
	Ok(open)
}

/// Votes on motion `hash`; closes it when the vote decided it.
pub async fn vote(
	chain: &Connection,
	signer: &Keypair,
	hash: H256,
	approve: bool,
	wait: Wait,
) -> Result<Voted> {
	let open = motion(chain, hash).await?;
	let members = members(chain).await?.len() as u32;
	let included = chain
		.signed(&runtime::tx().council().vote(hash, open.index, approve), signer, wait)
		.await?;
	let voted = included
		.events
		.find_first::<runtime::council::events::Voted>()
		.ok_or_else(|| anyhow!("voted, but the block has no Council::Voted event"))?
		.map_err(|e| anyhow!("decoding Council::Voted: {e}"))?;
	let decided = voted.yes >= open.threshold || members.saturating_sub(voted.no) < open.threshold;
	if decided {
		return Ok(Voted::Closed(close(chain, signer, hash, wait).await?));
	}
	Ok(Voted::Open(Motion { ayes: voted.yes, nays: voted.no, ..open }))
}

/// Closes motion `hash`: fails with the call's own error name when the call failed, and says
/// so when the council disapproved.
pub async fn close(
	chain: &Connection,
	signer: &Keypair,
	hash: H256,
	wait: Wait,
) -> Result<Included> {
	let (open, call) = motion_and_call(chain, hash).await?;
	let length = encoded_len(chain, &call)?;
	let at = chain.at_best_block().await?;
	let info = at
		.runtime_apis()
		.call(
			// The call is a `RuntimeCall`, encoded by type: see `Connection::live`.
			runtime::runtime_apis()
				.transaction_payment_call_api()
				.query_call_info(call, length)
				.unvalidated(),
		)
		.await
		.context("weighing the motion's call")?;
	let close = runtime::tx().council().close(hash, open.index, info.weight, length);
	let included = chain.signed(&close, signer, wait).await?;
	if included.events.find_first::<runtime::council::events::Disapproved>().is_some() {
		bail!("{}: the council disapproved motion {hash:?}", open.call);
	}
	let executed = included
		.events
		.find_first::<runtime::council::events::Executed>()
		.ok_or_else(|| {
			anyhow!("{}: closed, but the block has no Council::Executed event", open.call)
		})?
		.map_err(|e| anyhow!("decoding Council::Executed: {e}"))?;
	if let Err(error) = executed.result {
		bail!("{} failed: {}", open.call, chain.dispatch_error_name(&error));
	}
	Ok(included)
}

/// Runs a `council` verb.
pub async fn run(chain: &Connection, cmd: CouncilCmd, json_mode: bool, wait: Wait) -> Result<()> {
	match cmd {
		CouncilCmd::Members => {
			let members = members(chain).await?;
			let list: Vec<String> = members.iter().map(|m| m.to_string()).collect();
			let threshold = two_thirds(members.len() as u32);
			emit(json_mode, &json!({ "members": list, "threshold": threshold }), || {
				format!(
					"{} members; a motion needs {threshold} ayes\n{}",
					list.len(),
					list.iter().map(|m| format!("  {m}")).collect::<Vec<_>>().join("\n")
				)
			});
		},
		CouncilCmd::Motions => {
			let open = motions(chain).await?;
			let v: Vec<Value> = open.iter().map(Motion::json).collect();
			emit(json_mode, &json!({ "motions": v }), || {
				if open.is_empty() {
					"no open motions".to_string()
				} else {
					open.iter().map(Motion::line).collect::<Vec<_>>().join("\n")
				}
			});
		},
		CouncilCmd::Vote { suri, motion, nay } => {
			let signer = connection::keypair(&suri)?;
			match vote(chain, &signer, parse_hash(&motion)?, !nay, wait).await? {
				Voted::Closed(included) => crate::output::report_included(&included, json_mode)?,
				Voted::Open(motion) => report_open(&motion, json_mode),
			}
		},
		CouncilCmd::Close { suri, motion } => {
			let signer = connection::keypair(&suri)?;
			let included = close(chain, &signer, parse_hash(&motion)?, wait).await?;
			crate::output::report_included(&included, json_mode)?;
		},
	}
	Ok(())
}

/// Prints a motion that waits for more votes.
pub fn report_open(motion: &Motion, json_mode: bool) {
	emit(json_mode, &motion.json(), || {
		format!(
			"{}\nother members vote with `epichain council vote --suri <member> {:?}`",
			motion.line(),
			motion.hash
		)
	});
}

/// A runtime call's SCALE encoding, by the chain's metadata.
pub fn encode_call(chain: &Connection, call: &runtime::Call) -> Result<Vec<u8>> {
	use subxt::ext::scale_encode::EncodeAsType;
	let ty = chain.metadata.outer_enums().call_enum_ty();
	call.encode_as_type(ty, chain.metadata.types())
		.map_err(|e| anyhow!("encoding {}: {e}", call_label(call)))
}

/// The hash a runtime call is known by: a motion's, or a whitelisted call's.
pub fn call_hash(chain: &Connection, call: &runtime::Call) -> Result<H256> {
	Ok(H256(sp_crypto_hashing::blake2_256(&encode_call(chain, call)?)))
}

/// The SCALE length of a runtime call (the collective's `length_bound`).
fn encoded_len(chain: &Connection, call: &runtime::Call) -> Result<u32> {
	Ok(encode_call(chain, call)?.len() as u32)
}

fn parse_hash(text: &str) -> Result<H256> {
	Ok(H256(crate::keys::parse_hex32(text.trim_start_matches("0x"))?))
}

#[cfg(test)]
mod tests {
	use super::two_thirds;

	#[test]
	fn two_thirds_is_the_least_count_the_runtime_accepts() {
		// The runtime's `EnsureProportionAtLeast<_, _, 2, 3>`: ayes * 3 >= members * 2.
		for members in 1..=32u32 {
			let t = two_thirds(members);
			assert!(t * 3 >= members * 2, "{t} of {members} is enough");
			assert!((t - 1) * 3 < members * 2, "{} of {members} is not", t - 1);
		}
	}
}

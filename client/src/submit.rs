//! `epichain locator submit`: trajectories in, sealed batches on chain, a summary out.

use std::{collections::BTreeMap, path::PathBuf, time::Duration};

use anyhow::{anyhow, bail, Context, Result};
use clap::Args;
use epichain_primitives::csi::{SealingKeyId, X25519Public};

use crate::{
	batches::{self, Plan},
	connection::{self, Connection, Refused, Wait},
	output::emit,
	runtime,
	stays::MergeRules,
	trajectory::{self, Owner, Trajectory},
};

/// `locator submit` options.
#[derive(Args, Debug)]
pub struct SubmitArgs {
	/// The locator's secret URI.
	#[arg(long)]
	pub suri: String,
	/// Trajectory files (.csv or .gpx).
	#[arg(required = true)]
	pub files: Vec<PathBuf>,
	/// The owner's key export (`epichain keys export`), for GPX files and CSV files without a
	/// `pseudonym` column.
	#[arg(long)]
	pub owner: Option<PathBuf>,
	/// Characters of the cell prefix each batch covers (at least the locator's region).
	#[arg(long, default_value_t = 5)]
	pub prefix_len: usize,
	/// Attempts per batch on transient errors (node unreachable, timeouts).
	#[arg(long, default_value_t = 5)]
	pub retries: u32,
}

/// A matcher's sealing key: `(key id, X25519 public key)`.
pub type MatcherKey = (SealingKeyId, X25519Public);

/// The sealing key to seal to now, by the runtime's own rule
/// (`MatchersApi::current_sealing_key`). A runtime from before that API (spec 101) is read
/// through the registry's storage instead, with the same rule: the active matcher's current key.
pub async fn matcher_key(chain: &Connection) -> Result<MatcherKey> {
	let at = chain.api.at_current_block().await?;
	if at.metadata_ref().runtime_api_trait_by_name("MatchersApi").is_none() {
		return matcher_key_from_storage(&at).await;
	}
	let api = runtime::runtime_apis().matchers_api().current_sealing_key();
	let key = at.runtime_apis().call(api).await.context("MatchersApi::current_sealing_key")?;
	let key = key.ok_or_else(|| anyhow!("no active matcher is registered"))?;
	Ok((key.key_id, key.public))
}

/// [`matcher_key`] on a runtime without `MatchersApi`: the newest matcher that is not revoked
/// and whose validity window holds the chain's time, and its current key.
async fn matcher_key_from_storage(
	at: &subxt::OnlineClientAtBlock<connection::Config>,
) -> Result<MatcherKey> {
	let now = connection::now_secs(at).await?;
	let mut best: Option<(u32, SealingKeyId)> = None;
	let mut matchers = at.storage().iter(runtime::storage().matchers().matchers(), ()).await?;
	while let Some(entry) = matchers.next().await {
		let entry = entry?;
		let (id,) = entry.key()?.decode()?;
		let info = entry.value().decode()?;
		if !info.revoked
			&& info.valid_from <= now
			&& now < info.valid_until
			&& best.is_none_or(|(b, _)| id > b)
		{
			best = Some((id, info.current_key));
		}
	}
	let (matcher, key_id) = best.ok_or_else(|| anyhow!("no active matcher is registered"))?;
	let key = at
		.storage()
		.try_fetch(runtime::storage().matchers().sealing_keys(), (key_id,))
		.await?
		.ok_or_else(|| anyhow!("matcher {matcher}'s sealing key {key_id} was shredded"))?
		.decode()?;
	Ok((key_id, key.public))
}

/// The region a locator may write in, or a named error when it may not write.
pub async fn locator_region(
	chain: &Connection,
	account: &subxt::utils::AccountId32,
) -> Result<Vec<u8>> {
	use runtime::runtime_types::pallet_csi::types::LocatorStatus;
	let at = chain.api.at_current_block().await?;
	let info = at
		.storage()
		.try_fetch(runtime::storage().csi().locators(), (*account,))
		.await?
		.ok_or_else(|| anyhow!("{account} is not a whitelisted locator (Csi::NotLocator)"))?
		.decode()?;
	if matches!(info.status, LocatorStatus::Suspended) {
		bail!("{account} is suspended (Csi::LocatorSuspended)");
	}
	Ok(info.region.0)
}

/// What a submission did.
#[derive(Clone, Debug, Default, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
	/// Rows read: fixes and explicit stays.
	pub rows_read: usize,
	/// Stays the rows became (fixes merged, stays split at midnight).
	pub stays_planned: usize,
	/// Stays in accepted batches.
	pub stays_stored: usize,
	/// Accepted batches.
	pub batches: usize,
	/// Distinct blocks holding them.
	pub blocks: usize,
	/// Stays never sent, by the error the chain would have answered.
	pub skipped: batches::Skipped,
	/// Batches refused, by reason.
	pub rejected: BTreeMap<String, usize>,
	/// Transient failures retried.
	pub retries: usize,
}

impl Summary {
	/// Adds another submission's refusals and retries to this one's.
	pub fn absorb(&mut self, other: Summary) {
		self.retries += other.retries;
		for (reason, n) in other.rejected {
			*self.rejected.entry(reason).or_default() += n;
		}
	}
}

/// Submits one planned batch with retries on transient errors. `Ok(Some(block))` when
/// stored, `Ok(None)` when refused (the reason is counted in `summary`). `first_slot`: the
/// locator's pool slot to seal it in, when it has other batches in flight
/// ([`batches::SlotBook`]).
#[allow(clippy::too_many_arguments)]
pub async fn submit_plan(
	chain: &Connection,
	plan: &Plan,
	key: MatcherKey,
	signer: &subxt_signer::sr25519::Keypair,
	wait: Wait,
	retries: u32,
	first_slot: Option<u32>,
	summary: &mut Summary,
) -> Result<Option<u64>> {
	let genesis = chain.genesis();
	let mut attempt = 0;
	loop {
		attempt += 1;
		// A fresh ephemeral key per attempt: the chain refuses a reused one.
		let payload = batches::seal_and_sign(plan, key.0, &key.1, &genesis, signer, first_slot)?;
		match chain.authorized(&payload, wait).await {
			Ok(included) => return Ok(Some(included.block_number)),
			Err(e) => match e.downcast_ref::<Refused>() {
				Some(refused) => {
					*summary.rejected.entry(refused.reason.clone()).or_default() += 1;
					return Ok(None);
				},
				None if attempt < retries => {
					summary.retries += 1;
					tokio::time::sleep(Duration::from_secs(1 << attempt.min(5))).await;
				},
				None => return Err(e.context(format!("giving up after {attempt} attempts"))),
			},
		}
	}
}

/// Runs `locator submit`.
pub async fn run(chain: &Connection, args: SubmitArgs, json_mode: bool, wait: Wait) -> Result<()> {
	let signer = connection::keypair(&args.suri)?;
	let account = signer.public_key().to_account_id();
	let owner = match &args.owner {
		Some(path) => Some(Owner::from_day_keys(&crate::keys::read_export(path)?)?),
		None => None,
	};
	let mut input = Trajectory::default();
	for file in &args.files {
		input.extend(trajectory::read_file(file, owner.as_ref())?);
	}
	let stays = input.stays(&MergeRules::default());
	let locator_region = locator_region(chain, &account).await?;
	let key = matcher_key(chain).await?;
	let bounds = batches::bounds(chain)?;
	let today = chain.today().await?;
	let (plans, skipped) = batches::plan(&stays, &locator_region, today, args.prefix_len, bounds);
	let mut summary = Summary {
		rows_read: input.len(),
		stays_planned: plans.iter().map(Plan::stays).sum(),
		skipped,
		..Default::default()
	};
	let bar = if json_mode {
		indicatif::ProgressBar::hidden()
	} else {
		indicatif::ProgressBar::new(summary.stays_planned as u64)
	};
	bar.set_style(
		indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} stays, {msg}")
			.context("progress style")?,
	);
	let mut blocks = std::collections::BTreeSet::new();
	for plan in &plans {
		bar.set_message(format!("{} batches", summary.batches));
		if let Some(block) =
			submit_plan(chain, plan, key, &signer, wait, args.retries, None, &mut summary).await?
		{
			summary.batches += 1;
			summary.stays_stored += plan.stays();
			blocks.insert(block);
		}
		bar.inc(plan.stays() as u64);
	}
	bar.finish_and_clear();
	summary.blocks = blocks.len();
	let value = serde_json::to_value(&summary)?;
	emit(json_mode, &value, || {
		let mut t = format!(
			"{} rows read, {} stays; {} stored in {} batches over {} blocks (sealed to matcher key {})",
			summary.rows_read,
			summary.stays_planned,
			summary.stays_stored,
			summary.batches,
			summary.blocks,
			key.0
		);
		if summary.skipped.outside_region + summary.skipped.day_out_of_range > 0 {
			t.push_str(&format!(
				"\nnot sent: {} outside the locator's region (Csi::OutsideRegion), {} outside the accepted days (Csi::DayOutOfRange)",
				summary.skipped.outside_region, summary.skipped.day_out_of_range
			));
		}
		for (reason, n) in &summary.rejected {
			t.push_str(&format!("\nrejected: {n} batch(es): {reason}"));
		}
		if summary.retries > 0 {
			t.push_str(&format!("\n{} transient failure(s) retried", summary.retries));
		}
		t
	});
	Ok(())
}

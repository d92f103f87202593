//! `epichain patient`: the patient's consent to an endorsement.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Subcommand;
use epichain_primitives::{diagnosis::DayWindow, DayIndex};
use serde_json::json;

use crate::{
	connection::{self, Connection},
	consent::{self, Consent},
	keys::{self, parse_hex32},
	output::emit,
};

/// The infectious window a consent (or its request) covers, as both verbs take it.
#[derive(clap::Args, Debug)]
pub struct WindowArgs {
	/// Symptom onset (or test) day; the window starts two days before it (default: today).
	#[arg(long)]
	onset: Option<DayIndex>,
	/// Last day of the window (default: today).
	#[arg(long)]
	last: Option<DayIndex>,
}

impl WindowArgs {
	/// The window, with the chain's today for what was not given.
	pub async fn window(&self, chain: &Connection) -> Result<DayWindow> {
		consent::window(chain, self.onset, self.last).await
	}
}

/// `patient` verbs.
#[derive(Subcommand, Debug)]
pub enum PatientCmd {
	/// Sign consent for a diagnostician to endorse the given days of this device.
	Consent {
		/// The device seed file.
		#[arg(long)]
		seed: PathBuf,
		/// The diagnostician's account.
		#[arg(long)]
		diagnostician: String,
		/// The case nullifier the diagnostician gave (0x-hex; `diagnostician nullifier`).
		#[arg(long)]
		nullifier: String,
		/// The infectious window.
		#[command(flatten)]
		window: WindowArgs,
		/// Where to write the consent (JSON).
		#[arg(long)]
		out: PathBuf,
	},
}

/// Runs a `patient` verb.
pub async fn run(chain: &Connection, cmd: PatientCmd, json_mode: bool) -> Result<()> {
	let PatientCmd::Consent { seed, diagnostician, nullifier, window, out } = cmd;
	let seed = keys::read_seed_file(&seed)?;
	let diagnostician = connection::account(&diagnostician)?;
	let nullifier = parse_hex32(&nullifier).context("--nullifier")?;
	let window = window.window(chain).await?;
	let consent = Consent::sign(&seed, &chain.genesis(), &diagnostician, &nullifier, window);
	consent.write(&out)?;
	let v = json!({ "consent": out, "days": consent.pseudonyms.len(), "first": window.first, "last": window.last });
	emit(json_mode, &v, || {
		format!(
			"consent for days {}..={} written to {}: hand it to the diagnostician",
			window.first,
			window.last,
			out.display()
		)
	});
	Ok(())
}

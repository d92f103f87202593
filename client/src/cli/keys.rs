//! `epichain keys`: device seeds, daily pseudonyms and fingerprints (offline).

use std::path::PathBuf;

use anyhow::Result;
use clap::Subcommand;
use epichain_primitives::DayIndex;
use serde_json::json;

use crate::{
	keys::{self, DayKey},
	output::emit,
};

/// `keys` verbs.
#[derive(Subcommand, Debug)]
pub enum KeysCmd {
	/// Create a device seed file (mode 0600).
	New {
		/// Where to write it (must not exist).
		#[arg(long)]
		out: PathBuf,
	},
	/// Show the pseudonym and fingerprint of a day.
	Show {
		/// The device seed file.
		#[arg(long)]
		seed: PathBuf,
		/// Day index (default: today, UTC).
		#[arg(long)]
		day: Option<DayIndex>,
	},
	/// Export the public parts of consecutive days as JSON (what a device gives a locator).
	Export {
		/// The device seed file.
		#[arg(long)]
		seed: PathBuf,
		/// First day (default: today minus `days` plus one).
		#[arg(long)]
		from: Option<DayIndex>,
		/// Number of days.
		#[arg(long, default_value_t = 1)]
		days: u32,
	},
}

/// Runs a `keys` verb.
pub fn run(cmd: KeysCmd, json_mode: bool) -> Result<()> {
	match cmd {
		KeysCmd::New { out } => {
			let seed = keys::create_seed_file(&out)?;
			let today = DayKey::of(&seed, keys::today());
			emit(json_mode, &json!({ "seed": out, "today": today }), || {
				format!(
					"device seed written to {} (keep it secret)\ntoday's fingerprint: {}",
					out.display(),
					today.fingerprint
				)
			});
		},
		KeysCmd::Show { seed, day } => {
			let key = DayKey::of(&keys::read_seed_file(&seed)?, day.unwrap_or_else(keys::today));
			emit(json_mode, &serde_json::to_value(&key)?, || {
				format!(
					"day {}\npseudonym   {}\nfingerprint {}",
					key.day, key.pseudonym, key.fingerprint
				)
			});
		},
		KeysCmd::Export { seed, from, days } => {
			let seed = keys::read_seed_file(&seed)?;
			let from = from.unwrap_or_else(|| (keys::today() + 1).saturating_sub(days));
			let list: Vec<DayKey> = (from..from + days).map(|d| DayKey::of(&seed, d)).collect();
			// An export is JSON either way: it is meant to be handed over as a file.
			println!("{}", serde_json::to_string_pretty(&list)?);
		},
	}
	Ok(())
}

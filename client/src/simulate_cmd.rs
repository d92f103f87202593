//! `epichain simulate`: write a synthetic population to a directory.
//!
//! - `seeds/person-NNNN.seed`: each person's device seed (synthetic people only);
//! - `trajectories.csv`: what locators saw (`pseudonym,start,end,geohash,source`: fixes, whose
//!   `end` equals their `start`, and stays apps logged), ready for `epichain locator submit`;
//! - `truth.json`: the spec, the places, every presence (who was where from when to when), the
//!   planted meetings and every contact (time two people spent at one place), taken from the
//!   presences, not from the observations.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;
use epichain_primitives::DayIndex;
use serde_json::json;

use crate::{
	output::emit,
	simulate::{Mix, Population, Spec},
};

/// `simulate` options.
#[derive(Args, Debug)]
pub struct SimulateArgs {
	/// Output directory (created; existing files are replaced).
	#[arg(long)]
	pub out: PathBuf,
	/// Seed of everything.
	#[arg(long, default_value_t = 1)]
	pub seed: u64,
	/// The region: a geohash prefix of 1 to 6 characters (synthetic cells inside it).
	#[arg(long, default_value = "xn76u")]
	pub region: String,
	/// People.
	#[arg(long, default_value_t = 100)]
	pub people: u32,
	/// Days, ending on `last_day`.
	#[arg(long, default_value_t = 1)]
	pub days: u32,
	/// The last day (default: today, UTC).
	#[arg(long)]
	pub last_day: Option<DayIndex>,
	/// Venues.
	#[arg(long, default_value_t = 8)]
	pub venues: u32,
	/// Planted close meetings a day.
	#[arg(long, default_value_t = 3)]
	pub close: u32,
	/// Planted brief meetings a day.
	#[arg(long, default_value_t = 2)]
	pub brief: u32,
	/// Planted far meetings a day.
	#[arg(long, default_value_t = 2)]
	pub far: u32,
	/// How locators observe people: `dense` (a satellite fix every 30 s), `sparse` (Wi-Fi
	/// sightings every 3 to 10 min, check-in/check-out pairs, app-logged stays) or `mixed`.
	#[arg(long, value_enum, default_value_t = Mix::Mixed)]
	pub mix: Mix,
}

impl SimulateArgs {
	/// The spec these options describe.
	pub fn spec(&self) -> Spec {
		Spec {
			seed: self.seed,
			region: self.region.clone(),
			people: self.people,
			days: self.days,
			last_day: self.last_day.unwrap_or_else(crate::keys::today),
			venues: self.venues,
			close_meetings: self.close,
			brief_meetings: self.brief,
			far_meetings: self.far,
			mix: self.mix,
		}
	}
}

/// Runs `simulate`.
pub fn run(args: SimulateArgs, json_mode: bool) -> Result<()> {
	let population = Population::generate(args.spec())?;
	let seeds = args.out.join("seeds");
	std::fs::create_dir_all(&seeds).with_context(|| format!("creating {}", seeds.display()))?;
	for (i, seed) in population.seeds.iter().enumerate() {
		let path = seeds.join(format!("person-{i:04}.seed"));
		let _ = std::fs::remove_file(&path);
		crate::keys::write_seed_file(&path, seed)?;
	}
	let csv = args.out.join("trajectories.csv");
	let rows: Vec<_> = population.observations.iter().map(|o| o.record).collect();
	crate::trajectory::write_csv(std::fs::File::create(&csv)?, &rows)?;
	let truth = json!({
		"spec": population.spec,
		"places": population.places,
		"presences": population.presences,
		"meetings": population.meetings,
		"contacts": population.contacts,
	});
	std::fs::write(args.out.join("truth.json"), serde_json::to_string_pretty(&truth)?)?;
	let close = population.contacts.iter().filter(|c| c.minutes >= 15).count();
	let summary = json!({
		"out": args.out,
		"people": population.seeds.len(),
		"rows": rows.len(),
		"presences": population.presences.len(),
		"contacts": population.contacts.len(),
		"closeContacts": close,
	});
	emit(json_mode, &summary, || {
		format!(
			"{} people, {} presences seen as {} rows, {} contacts ({} close, >= 15 min) written to {}",
			population.seeds.len(),
			population.presences.len(),
			rows.len(),
			population.contacts.len(),
			close,
			args.out.display()
		)
	});
	Ok(())
}

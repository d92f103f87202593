//! `epichain simulate`: write a synthetic population to a directory.
//!
//! - `seeds/person-NNNN.seed`: each person's device seed (synthetic people only);
//! - `trajectories.csv`: every fix (`pseudonym,time,geohash,source`), ready for
//!   `epichain locator submit`;
//! - `truth.json`: the spec, the planted meetings and every contact (the matcher's rule).

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;
use epichain_primitives::DayIndex;
use serde_json::json;

use crate::{
	cli::emit,
	simulate::{Population, Spec},
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
	let fixes: Vec<_> = population.fixes.iter().map(|(_, f)| *f).collect();
	crate::trajectory::write_csv(std::fs::File::create(&csv)?, &fixes)?;
	let truth = json!({
		"spec": population.spec,
		"meetings": population.meetings,
		"contacts": population.contacts,
	});
	std::fs::write(args.out.join("truth.json"), serde_json::to_string_pretty(&truth)?)?;
	let close = population.contacts.iter().filter(|c| c.minutes >= 15).count();
	let summary = json!({
		"out": args.out,
		"people": population.seeds.len(),
		"fixes": fixes.len(),
		"contacts": population.contacts.len(),
		"closeContacts": close,
	});
	emit(json_mode, &summary, || {
		format!(
			"{} people, {} fixes, {} contacts ({} close, >= 15 min) written to {}",
			population.seeds.len(),
			fixes.len(),
			population.contacts.len(),
			close,
			args.out.display()
		)
	});
	Ok(())
}

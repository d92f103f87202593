//! A patient's consent file: what the device signs for a diagnostician (`patient consent`) and
//! what the diagnostician's endorsement is built from (`diagnostician endorse`).

use std::path::Path;

use anyhow::{Context, Result};
use epichain_primitives::{
	diagnosis::{CaseNullifier, ConsentedPseudonym, DayWindow},
	pseudonym::DeviceSeed,
	DayIndex,
};

use crate::{connection::Connection, keys::hex0x};

/// The infectious window of a consent (or of its request): two days before `onset` through
/// `last`, each defaulting to the chain's today.
pub async fn window(
	chain: &Connection,
	onset: Option<DayIndex>,
	last: Option<DayIndex>,
) -> Result<DayWindow> {
	let last = match last {
		Some(day) => day,
		None => chain.today().await?,
	};
	Ok(DayWindow::from_onset(onset.unwrap_or(last), last))
}

/// A patient's consent file.
#[derive(serde::Serialize, serde::Deserialize, Debug)]
pub struct Consent {
	/// The chain it is for.
	pub genesis: String,
	/// The diagnostician it authorises (SS58).
	pub diagnostician: String,
	/// The case nullifier.
	pub nullifier: String,
	/// First day of the window.
	pub first: DayIndex,
	/// Last day of the window.
	pub last: DayIndex,
	/// One consented pseudonym per day.
	pub pseudonyms: Vec<ConsentJson>,
}

/// One day's consent.
#[derive(serde::Serialize, serde::Deserialize, Debug)]
pub struct ConsentJson {
	/// Day.
	pub day: DayIndex,
	/// Pseudonym, 0x-hex.
	pub pseudonym: String,
	/// Signature over the consent message, 0x-hex.
	pub consent: String,
}

impl Consent {
	/// The device's consent, for the chain `genesis`, to `diagnostician` endorsing the case
	/// `nullifier` with the pseudonyms of every day of `window`.
	pub fn sign(
		seed: &DeviceSeed,
		genesis: &[u8; 32],
		diagnostician: &subxt::utils::AccountId32,
		nullifier: &CaseNullifier,
		window: DayWindow,
	) -> Self {
		let pseudonyms = (window.first..=window.last)
			.map(|day| {
				ConsentedPseudonym::sign(
					&seed.pseudonym_key(day),
					genesis,
					&diagnostician.0,
					nullifier,
				)
			})
			.map(|p| ConsentJson {
				day: p.day,
				pseudonym: hex0x(&p.pseudonym),
				consent: hex0x(&p.consent),
			})
			.collect();
		Self {
			genesis: hex0x(genesis),
			diagnostician: diagnostician.to_string(),
			nullifier: hex0x(nullifier),
			first: window.first,
			last: window.last,
			pseudonyms,
		}
	}

	/// Reads a consent file.
	pub fn read(path: &Path) -> Result<Self> {
		let text =
			std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
		serde_json::from_str(&text)
			.with_context(|| format!("{} is not a consent file", path.display()))
	}

	/// Writes the consent file the patient hands to the diagnostician.
	pub fn write(&self, path: &Path) -> Result<()> {
		std::fs::write(path, serde_json::to_string_pretty(self)?)
			.with_context(|| format!("writing {}", path.display()))
	}
}

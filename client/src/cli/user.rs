//! `epichain user`: one's own notifications (matched on the device), the matcher's pull query,
//! and the state of places. Everything is read through the runtime's APIs (`NotificationsApi`,
//! `LocationsApi`), typed from the chain's metadata, at the node's best block (what a transaction
//! just included already shows).

use std::path::PathBuf;

use anyhow::{anyhow, bail, Context, Result};
use clap::Subcommand;
use epichain_primitives::{
	geohash::Geohash,
	pseudonym::fingerprint,
	query::{seal_query, QueryPlain},
	DayIndex,
};
use serde_json::{json, Value};
use subxt::utils::Static;

use crate::{
	connection::Connection,
	keys::{self, hex0x, parse_hex32},
	output::emit,
	runtime::{
		self,
		runtime_types::{
			epichain_primitives::matching::RiskLevel,
			pallet_locations::types::CellState,
			pallet_notifications::types::{DayCursor, NotificationView},
		},
	},
};

/// Notifications per `NotificationsApi` call.
const PAGE: u32 = 1_000;

/// `user` verbs.
#[derive(Subcommand, Debug)]
pub enum UserCmd {
	/// Download whole days of notifications and match them locally against this device's
	/// fingerprints (nothing about the device is sent).
	Notifications {
		/// The device seed file.
		#[arg(long)]
		seed: PathBuf,
		/// Days back from today to check.
		#[arg(long, default_value_t = 14)]
		days: u32,
	},
	/// Ask the matcher for this device's own exposure details (pull mode; proves control of
	/// each day's pseudonym).
	Query {
		/// The device seed file.
		#[arg(long)]
		seed: PathBuf,
		/// The matcher's base URL.
		#[arg(long, default_value = "http://127.0.0.1:8545")]
		matcher: String,
		/// Days back from today to ask about.
		#[arg(long, default_value_t = 14)]
		days: u32,
	},
	/// A location's state.
	Location {
		/// The cell.
		cell: String,
	},
	/// Infected locations under a geohash prefix.
	Infected {
		/// The prefix ("" for all).
		#[arg(default_value = "")]
		prefix: String,
	},
}

/// Every notification of exposure day `day` at block `at`, a page at a time. Each page starts
/// after the previous page's last notification (`NotificationsApi` version 2), so its proof
/// holds that page alone. A runtime from before version 2 (spec 101) is paged by position.
async fn notifications_of_day(
	at: &subxt::OnlineClientAtBlock<crate::connection::Config>,
	day: DayIndex,
) -> Result<Vec<NotificationView>> {
	let api = runtime::runtime_apis().notifications_api();
	let by_cursor = at
		.metadata_ref()
		.runtime_api_trait_by_name("NotificationsApi")
		.is_some_and(|t| t.method_by_name("notifications_of_day_after").is_some());
	let mut all: Vec<NotificationView> = Vec::new();
	loop {
		let page = if by_cursor {
			let after = all.last().map(|n| DayCursor { fingerprint: n.fingerprint, case: n.case });
			at.runtime_apis().call(api.notifications_of_day_after(day, after, PAGE)).await?
		} else {
			let skip = u32::try_from(all.len()).unwrap_or(u32::MAX);
			at.runtime_apis().call(api.notifications_of_day(day, skip, PAGE)).await?
		};
		let full = page.len() == PAGE as usize;
		all.extend(page);
		if !full {
			return Ok(all);
		}
	}
}

/// Runs a `user` verb.
pub async fn run(chain: &Connection, cmd: UserCmd, json_mode: bool) -> Result<()> {
	match cmd {
		UserCmd::Notifications { seed, days } => {
			let seed = keys::read_seed_file(&seed)?;
			let today = chain.today().await?;
			let at = chain.at_best_block().await?;
			let mut mine = Vec::new();
			let mut downloaded = 0usize;
			for day in (today + 1).saturating_sub(days)..=today {
				let print = fingerprint(&seed.pseudonym(day));
				let all = notifications_of_day(&at, day)
					.await
					.with_context(|| format!("reading day {day}'s notifications"))?;
				downloaded += all.len();
				mine.extend(all.iter().filter(|n| n.fingerprint == print).map(notification));
			}
			let v = json!({ "downloaded": downloaded, "mine": mine });
			emit(json_mode, &v, || {
				let mut t = format!(
					"checked {downloaded} notifications of {days} days locally: {} for this device",
					mine.len()
				);
				for n in &mine {
					let what = match n["risk"].as_str() {
						Some("high") => "close contact, high risk",
						Some("low") => "contact, low risk",
						Some("indirect") => "place-based: at a place after a case had left it",
						_ => "unknown risk",
					};
					t.push_str(&format!(
						"\n  day {}: {what} ({:.1} %) from case {}{}",
						n["exposureDay"],
						n["probabilityPpm"].as_f64().unwrap_or(0.0) / 10_000.0,
						n["case"],
						if n["revoked"] == true { " (revoked since)" } else { "" }
					));
				}
				t
			});
		},
		UserCmd::Query { seed, matcher, days } => {
			let seed = keys::read_seed_file(&seed)?;
			let base = matcher.trim_end_matches('/');
			let (status, attestation) =
				crate::http::json(hyper::Method::GET, &format!("{base}/v1/attestation"), None)
					.await?;
			if status != 200 {
				bail!("{base}/v1/attestation answered {status}");
			}
			let signer = parse_hex32(attestation["signingKey"].as_str().unwrap_or(""))
				.context("the attestation's signing key")?;
			let sealing = parse_hex32(attestation["sealingKey"].as_str().unwrap_or(""))
				.context("the attestation's sealing key")?;
			let issued_at =
				std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_secs();
			let genesis = chain.genesis();
			let today = chain.today().await?;
			let query = QueryPlain::prove(
				&seed,
				&genesis,
				&signer,
				issued_at,
				(today + 1).saturating_sub(days)..=today,
			);
			// Sealed to the enclave: the matcher's host sees neither the pseudonyms nor the
			// answer.
			let (sealed, opener) = seal_query(&genesis, &sealing, &query)
				.map_err(|e| anyhow!("sealing the query: {e:?}"))?;
			let body = json!({
				"sealingKey": hex0x(&sealed.sealing_key),
				"ephemeral": hex0x(&sealed.ephemeral),
				"ciphertext": hex0x(&sealed.ciphertext),
			});
			let (status, answer) =
				crate::http::json(hyper::Method::POST, &format!("{base}/v1/query"), Some(&body))
					.await?;
			if status != 200 {
				bail!("the matcher refused the query ({status}): {answer}");
			}
			let reply = epichain_primitives::hex0x::decode(answer["reply"].as_str().unwrap_or(""))
				.context("the matcher's reply")?;
			let opened = opener
				.open(&reply)
				.map_err(|_| anyhow!("the reply does not open: not from the enclave queried"))?;
			let mut report: Value =
				serde_json::from_slice(&opened).context("the enclave's answer")?;
			report["asOf"] = answer["asOf"].clone();
			emit(json_mode, &report, || serde_json::to_string_pretty(&report).unwrap_or_default());
		},
		UserCmd::Location { cell } => {
			let geohash = Geohash::parse(cell.as_bytes())
				.map_err(|_| anyhow!("{cell:?} is not a geohash"))?;
			let api = runtime::runtime_apis().locations_api();
			let at = chain.at_best_block().await?;
			let view = at.runtime_apis().call(api.location(Static(geohash))).await?;
			let v = match view {
				None => Value::Null,
				Some(view) => {
					let (state, since, cases) = match view.state {
						CellState::Empty => ("empty", None, None),
						CellState::Infected { since, cases } => {
							("infected", Some(since), Some(cases))
						},
						CellState::Clean { since } => ("clean", Some(since), None),
					};
					json!({
						"cell": cell,
						"state": state,
						"since": since,
						"cases": cases,
						"operator": view.operator.map(|o| o.to_string()),
						"material": format!("{:?}", view.material),
						"visitsToday": view.visits_today,
					})
				},
			};
			emit(json_mode, &v, || {
				if v.is_null() {
					format!("{cell}: not a registered location and never infected")
				} else {
					format!(
						"{cell}: {} (material {}, visits today {})",
						v["state"].as_str().unwrap_or("?"),
						v["material"].as_str().unwrap_or("?"),
						v["visitsToday"]
					)
				}
			});
		},
		UserCmd::Infected { prefix } => {
			if !prefix.is_empty() && Geohash::parse(prefix.as_bytes()).is_err() {
				bail!("{prefix:?} is not a geohash prefix");
			}
			let api = runtime::runtime_apis().locations_api();
			let at = chain.at_best_block().await?;
			let count =
				at.runtime_apis().call(api.infected_count(prefix.as_bytes().to_vec())).await?;
			let cells = at
				.runtime_apis()
				.call(api.infected_cells(prefix.as_bytes().to_vec(), PAGE))
				.await?;
			let cells: Vec<String> = cells.iter().map(|c| c.0.to_string()).collect();
			let v = json!({ "count": count, "cells": cells });
			emit(json_mode, &v, || {
				format!("{count} infected location(s) under {prefix:?}: {}", cells.join(" "))
			});
		},
	}
	Ok(())
}

/// A notification as `user notifications` prints it.
fn notification(n: &NotificationView) -> Value {
	json!({
		"fingerprint": hex0x(&n.fingerprint),
		"exposureDay": n.exposure_day,
		"case": n.case,
		"risk": match n.risk {
			RiskLevel::High => "high",
			RiskLevel::Low => "low",
			RiskLevel::Indirect => "indirect",
		},
		"probabilityPpm": n.probability_ppm,
		"revoked": n.revoked,
	})
}

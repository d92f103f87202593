//! The `epichain` command line: argument parsing and one module per role. The work itself is
//! the library's (`region`, `council`, `submit`, `consent`, ...); what is printed is `output`'s.

mod authority;
mod diagnostician;
mod keys;
mod patient;
mod user;
mod watch;

use anyhow::Result;
use clap::{Parser, Subcommand};
use epichain_primitives::diagnosis::case_nullifier;
use serde_json::json;

use crate::{
	connection::{self, Connection, Wait},
	keys::hex0x,
	output::emit,
};

/// epichain: privacy-preserving contact tracing on a regional chain.
#[derive(Parser, Debug)]
#[command(name = "epichain", version, about)]
pub struct Cli {
	/// The node's RPC endpoint (ws:// or wss://).
	#[arg(long, global = true, default_value = connection::DEFAULT_URL)]
	pub url: String,
	/// Print machine-readable JSON instead of text.
	#[arg(long, global = true)]
	pub json: bool,
	/// Wait for transactions to be in a block or finalized.
	#[arg(long, global = true, value_enum, default_value = "in-block")]
	pub wait: Wait,
	/// What to do.
	#[command(subcommand)]
	pub command: Command,
}

/// The roles.
#[derive(Subcommand, Debug)]
pub enum Command {
	/// Device keys: seeds, daily pseudonyms, fingerprints.
	#[command(subcommand)]
	Keys(keys::KeysCmd),
	/// The health authority: locators, diagnosticians, matchers, risk, locations. Acts at once
	/// for the sudo key (dev and local chains); a council member's call becomes a motion.
	Authority(authority::AuthorityArgs),
	/// The health-authority council: members, open motions, votes, closing.
	#[command(subcommand)]
	Council(crate::council::CouncilCmd),
	/// A validator's operator: register the session keys its node made; list the set.
	#[command(subcommand)]
	Validator(crate::validator::ValidatorCmd),
	/// A locator: seal and submit trajectories.
	#[command(subcommand)]
	Locator(LocatorCmd),
	/// A patient: consent to an endorsement.
	#[command(subcommand)]
	Patient(patient::PatientCmd),
	/// A diagnostician: endorse or revoke cases.
	#[command(subcommand)]
	Diagnostician(diagnostician::DiagnosticianCmd),
	/// A user: find one's own notifications, ask the matcher, look up places.
	#[command(subcommand)]
	User(user::UserCmd),
	/// Follow finalized blocks and print epichain events.
	Watch(watch::WatchArgs),
	/// Generate a synthetic population with ground truth.
	Simulate(crate::simulate_cmd::SimulateArgs),
	/// Drive a running region with sealed batches and measure it.
	Load(crate::load::LoadArgs),
}

/// `locator` verbs.
#[derive(Subcommand, Debug)]
pub enum LocatorCmd {
	/// Seal trajectory files (CSV or GPX) to the current matcher key and submit them.
	Submit(crate::submit::SubmitArgs),
	/// Serve the HTTP intake for entries visitors' phones sealed themselves (venue check-ins,
	/// app gateways), batch and submit them.
	Serve(crate::venue::ServeArgs),
}

/// Runs a parsed command line.
pub async fn run(cli: Cli) -> Result<()> {
	let json_mode = cli.json;
	match cli.command {
		Command::Keys(cmd) => keys::run(cmd, json_mode),
		Command::Simulate(args) => crate::simulate_cmd::run(args, json_mode),
		Command::Diagnostician(diagnostician::DiagnosticianCmd::Nullifier { lab, case_id }) => {
			let n = hex0x(&case_nullifier(lab.as_bytes(), case_id.as_bytes()));
			emit(json_mode, &json!({ "nullifier": n }), || n.clone());
			Ok(())
		},
		command => {
			let chain = Connection::connect(&cli.url).await?;
			online(&chain, command, json_mode, cli.wait).await
		},
	}
}

async fn online(chain: &Connection, command: Command, json_mode: bool, wait: Wait) -> Result<()> {
	match command {
		Command::Authority(args) => authority::run(chain, args, json_mode, wait).await,
		Command::Council(cmd) => crate::council::run(chain, cmd, json_mode, wait).await,
		Command::Validator(cmd) => crate::validator::run(chain, cmd, json_mode, wait).await,
		Command::Locator(LocatorCmd::Submit(args)) => {
			crate::submit::run(chain, args, json_mode, wait).await
		},
		Command::Locator(LocatorCmd::Serve(args)) => crate::venue::run(chain, args).await,
		Command::Patient(cmd) => patient::run(chain, cmd, json_mode).await,
		Command::Diagnostician(cmd) => diagnostician::run(chain, cmd, json_mode, wait).await,
		Command::User(cmd) => user::run(chain, cmd, json_mode).await,
		Command::Watch(args) => watch::run(chain, args, json_mode).await,
		Command::Load(args) => crate::load::run(chain, args, json_mode).await,
		Command::Keys(_) | Command::Simulate(_) => unreachable!("handled offline"),
	}
}

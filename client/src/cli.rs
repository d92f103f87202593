//! The `epichain` command line: one subcommand group per role.

use std::path::PathBuf;

use anyhow::{anyhow, bail, Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};
use epichain_primitives::{
	diagnosis::{case_nullifier, ConsentedPseudonym, DayWindow},
	geohash::Geohash,
	pseudonym::fingerprint,
	DayIndex, SECONDS_PER_DAY,
};
use serde_json::{json, Value};
use subxt::{rpcs::rpc_params, utils::Static};

use crate::{
	keys::{self, hex0x, parse_hex32, DayKey},
	region::{self, Region, Wait},
	runtime::{
		self,
		runtime_types::{
			bounded_collections::bounded_vec::BoundedVec,
			epichain_primitives::matching::SurfaceMaterial,
			pallet_csi::{pallet::Call as CsiCall, types::LocatorKind},
			pallet_diagnosis::{pallet::Call as DiagnosisCall, types::RevocationReason},
			pallet_locations::pallet::Call as LocationsCall,
			pallet_matchers::pallet::Call as MatchersCall,
			pallet_notifications::pallet::Call as NotificationsCall,
			pallet_validators::pallet::Call as ValidatorsCall,
		},
		Call,
	},
};

/// epichain: privacy-preserving contact tracing on a regional chain.
#[derive(Parser, Debug)]
#[command(name = "epichain", version, about)]
pub struct Cli {
	/// The node's RPC endpoint (ws:// or wss://).
	#[arg(long, global = true, default_value = region::DEFAULT_URL)]
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
	Keys(KeysCmd),
	/// The health authority: locators, diagnosticians, matchers, risk, locations. Acts at once
	/// for the sudo key (dev and local chains); a council member's call becomes a motion.
	Authority(AuthorityArgs),
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
	Patient(PatientCmd),
	/// A diagnostician: endorse or revoke cases.
	#[command(subcommand)]
	Diagnostician(DiagnosticianCmd),
	/// A user: find one's own notifications, ask the matcher, look up places.
	#[command(subcommand)]
	User(UserCmd),
	/// Follow finalized blocks and print epichain events.
	Watch(WatchArgs),
	/// Generate a synthetic population with ground truth.
	Simulate(crate::simulate_cmd::SimulateArgs),
	/// Drive a running region with sealed batches and measure it.
	Load(crate::load::LoadArgs),
}

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

/// `authority` options and verbs.
#[derive(Args, Debug)]
pub struct AuthorityArgs {
	/// The secret URI of the sudo key (dev and local chains) or of a council member.
	#[arg(long, default_value = "//Alice")]
	pub suri: String,
	/// What to do.
	#[command(subcommand)]
	pub verb: AuthorityCmd,
}

/// A locator's kind.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Kind {
	/// Ticket barriers of a station.
	TransitGate,
	/// A Wi-Fi access point operator.
	Wifi,
	/// A venue writing check-ins.
	Venue,
	/// A trusted app's gateway.
	AppGateway,
	/// A camera system.
	Camera,
	/// Anything else the authority trusts.
	Other,
}

/// A surface material.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Material {
	/// Not known.
	Unknown,
	/// Copper.
	Copper,
	/// Cardboard.
	Cardboard,
	/// Fabric.
	Fabric,
	/// Wood.
	Wood,
	/// Glass.
	Glass,
	/// Steel.
	Steel,
	/// Plastic.
	Plastic,
}

/// Why a case is revoked.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Reason {
	/// The test was a false positive.
	FalsePositive,
	/// The endorsement was entered in error.
	EnteredInError,
	/// The patient withdrew consent.
	ConsentWithdrawn,
	/// Fraud.
	Fraud,
}

/// `authority` verbs.
#[derive(Subcommand, Debug)]
pub enum AuthorityCmd {
	/// Whitelist a locator for a region (geohash prefix; "" for everywhere).
	AddLocator {
		/// Its account (SS58, 0x-hex or a dev URI such as //Eve).
		account: String,
		/// What it is.
		#[arg(long, value_enum)]
		kind: Kind,
		/// The geohash prefix it may write in.
		#[arg(long, default_value = "")]
		region: String,
		/// Hash of its registration documents (kept off chain), 0x-hex.
		#[arg(long)]
		documents: Option<String>,
	},
	/// Suspend a locator.
	SuspendLocator {
		/// Its account.
		account: String,
	},
	/// Resume a suspended locator.
	ResumeLocator {
		/// Its account.
		account: String,
	},
	/// Remove a locator.
	RemoveLocator {
		/// Its account.
		account: String,
	},
	/// Register a diagnostician for a jurisdiction (geohash prefix; "" for everywhere).
	AddDiagnostician {
		/// Its account.
		account: String,
		/// The geohash prefix of its jurisdiction.
		#[arg(long, default_value = "")]
		jurisdiction: String,
		/// Hash of its certificate (kept off chain), 0x-hex.
		#[arg(long)]
		certificate: Option<String>,
	},
	/// Suspend a diagnostician.
	SuspendDiagnostician {
		/// Its account.
		account: String,
	},
	/// Resume a diagnostician.
	ResumeDiagnostician {
		/// Its account.
		account: String,
	},
	/// Remove a diagnostician.
	RemoveDiagnostician {
		/// Its account.
		account: String,
	},
	/// Register a matcher from its attestation (GET <matcher>/v1/attestation).
	RegisterMatcher {
		/// The matcher's base URL.
		#[arg(long)]
		matcher: String,
		/// Days the registration is valid.
		#[arg(long, default_value_t = 30)]
		validity_days: u64,
	},
	/// Rotate a matcher's sealing key.
	RotateSealingKey {
		/// Matcher id.
		#[arg(long)]
		matcher: u32,
		/// The new X25519 public key, 0x-hex.
		#[arg(long)]
		key: String,
	},
	/// Revoke a matcher.
	RevokeMatcher {
		/// Matcher id.
		matcher: u32,
	},
	/// Change the risk rule (unset fields keep their current value).
	SetRisk {
		/// Close-contact distance, centimetres.
		#[arg(long)]
		distance_cm: Option<u32>,
		/// Close-contact duration, seconds.
		#[arg(long)]
		min_duration_secs: Option<u32>,
		/// Venue co-presence: cells that agree to this many characters are one place (7 to 9).
		#[arg(long)]
		venue_precision: Option<u8>,
		/// Venue co-presence counts High from this much time together, seconds.
		#[arg(long)]
		venue_min_duration_secs: Option<u32>,
		/// How long the virus survives on a material (place-based exposure), as
		/// `<material>=<hours>`, for example `plastic=72`; repeat for several materials.
		#[arg(long = "survival", value_parser = parse_survival)]
		survival: Vec<(Material, u32)>,
	},
	/// Register a location (a geohash cell) with its operator and surface material.
	RegisterLocation {
		/// The cell.
		cell: String,
		/// The operator's account.
		#[arg(long)]
		operator: Option<String>,
		/// Its dominant surface.
		#[arg(long, value_enum, default_value = "unknown")]
		material: Material,
	},
	/// Mark a location cleaned (Infected -> Clean).
	MarkCleaned {
		/// The cell.
		cell: String,
	},
	/// Remove a location (a running infection there stops counting).
	RemoveLocation {
		/// The cell.
		cell: String,
	},
	/// Name a location's operator (an active venue locator of the cell), or none.
	SetOperator {
		/// The cell.
		cell: String,
		/// The new operator's account; leave out for none.
		#[arg(long)]
		operator: Option<String>,
	},
	/// Change a location's surface material.
	SetMaterial {
		/// The cell.
		cell: String,
		/// Its dominant surface.
		#[arg(long, value_enum)]
		material: Material,
	},
	/// Add a validator from the session after next (its operator ran `epichain validator
	/// set-keys` first).
	AddValidator {
		/// Its account (the owner of its session keys).
		account: String,
	},
	/// Remove a validator from the session after next.
	RemoveValidator {
		/// Its account.
		account: String,
	},
	/// Upgrade the runtime to a release's code, one step per run: the sudo key authorizes it at
	/// once; a council member proposes the whitelist motion, then the dispatch motion; once
	/// authorized, the code is submitted (see docs/DESIGN.md, "Runtime upgrades").
	Upgrade {
		/// The release's `epichain_runtime.compact.compressed.wasm`.
		#[arg(long)]
		wasm: PathBuf,
	},
}

/// `locator` verbs.
#[derive(Subcommand, Debug)]
pub enum LocatorCmd {
	/// Seal trajectory files (CSV or GPX) to the current matcher key and submit them.
	Submit(crate::submit::SubmitArgs),
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
		/// Symptom onset (or test) day; the window starts two days before it.
		#[arg(long)]
		onset: Option<DayIndex>,
		/// Last day of the window (default: today).
		#[arg(long)]
		last: Option<DayIndex>,
		/// Where to write the consent (JSON).
		#[arg(long)]
		out: PathBuf,
	},
}

/// `diagnostician` verbs.
#[derive(Subcommand, Debug)]
pub enum DiagnosticianCmd {
	/// The nullifier of a lab's case (what the patient consents to).
	Nullifier {
		/// The lab's public name.
		#[arg(long)]
		lab: String,
		/// The lab's case id (append a lab secret when ids are guessable).
		#[arg(long)]
		case_id: String,
	},
	/// Endorse a case with the patient's consent file.
	Endorse {
		/// The diagnostician's secret URI.
		#[arg(long)]
		suri: String,
		/// The patient's consent (from `patient consent`).
		#[arg(long)]
		consent: PathBuf,
		/// TCN proximity reports, each the SCALE encoding in 0x-hex.
		#[arg(long = "report")]
		reports: Vec<String>,
	},
	/// Revoke an endorsed case.
	Revoke {
		/// The diagnostician's secret URI.
		#[arg(long)]
		suri: String,
		/// The case id.
		#[arg(long)]
		case: u64,
		/// Why.
		#[arg(long, value_enum)]
		reason: Reason,
	},
}

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

/// `watch` options.
#[derive(Args, Debug)]
pub struct WatchArgs {
	/// Stop after this many finalized blocks (default: run until interrupted).
	#[arg(long)]
	pub blocks: Option<u64>,
}

/// Prints `value` as JSON, or `text` for people.
pub fn emit(json_mode: bool, value: &Value, text: impl FnOnce() -> String) {
	if json_mode {
		println!("{value}");
	} else {
		println!("{}", text());
	}
}

/// Runs a parsed command line.
pub async fn run(cli: Cli) -> Result<()> {
	let json_mode = cli.json;
	match cli.command {
		Command::Keys(cmd) => keys_cmd(cmd, json_mode),
		Command::Simulate(args) => crate::simulate_cmd::run(args, json_mode),
		Command::Diagnostician(DiagnosticianCmd::Nullifier { lab, case_id }) => {
			let n = hex0x(&case_nullifier(lab.as_bytes(), case_id.as_bytes()));
			emit(json_mode, &json!({ "nullifier": n }), || n.clone());
			Ok(())
		},
		command => {
			let region = Region::connect(&cli.url).await?;
			online(&region, command, json_mode, cli.wait).await
		},
	}
}

fn keys_cmd(cmd: KeysCmd, json_mode: bool) -> Result<()> {
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

async fn online(region: &Region, command: Command, json_mode: bool, wait: Wait) -> Result<()> {
	match command {
		Command::Authority(args) => authority(region, args, json_mode, wait).await,
		Command::Council(cmd) => crate::council::run(region, cmd, json_mode, wait).await,
		Command::Validator(cmd) => crate::validator::run(region, cmd, json_mode, wait).await,
		Command::Locator(LocatorCmd::Submit(args)) => {
			crate::submit::run(region, args, json_mode, wait).await
		},
		Command::Patient(PatientCmd::Consent {
			seed,
			diagnostician,
			nullifier,
			onset,
			last,
			out,
		}) => {
			let seed = keys::read_seed_file(&seed)?;
			let diagnostician = region::account(&diagnostician)?;
			let nullifier = parse_hex32(&nullifier).context("--nullifier")?;
			let today = chain_today(region).await?;
			let last = last.unwrap_or(today);
			let window = DayWindow::from_onset(onset.unwrap_or(last), last);
			let genesis = region.genesis();
			let pseudonyms: Vec<ConsentedPseudonym> = (window.first..=window.last)
				.map(|day| {
					ConsentedPseudonym::sign(
						&seed.pseudonym_key(day),
						&genesis,
						&diagnostician.0,
						&nullifier,
					)
				})
				.collect();
			let consent = Consent {
				genesis: hex0x(&genesis),
				diagnostician: diagnostician.to_string(),
				nullifier: hex0x(&nullifier),
				first: window.first,
				last: window.last,
				pseudonyms: pseudonyms
					.iter()
					.map(|p| ConsentJson {
						day: p.day,
						pseudonym: hex0x(&p.pseudonym),
						consent: hex0x(&p.consent),
					})
					.collect(),
			};
			std::fs::write(&out, serde_json::to_string_pretty(&consent)?)
				.with_context(|| format!("writing {}", out.display()))?;
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
		},
		Command::Diagnostician(cmd) => diagnostician(region, cmd, json_mode, wait).await,
		Command::User(cmd) => user(region, cmd, json_mode).await,
		Command::Watch(args) => watch(region, args, json_mode).await,
		Command::Load(args) => crate::load::run(region, args, json_mode).await,
		Command::Keys(_) | Command::Simulate(_) => unreachable!("handled offline"),
	}
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

/// The chain's day (by its timestamp at the finalized head).
pub async fn chain_today(region: &Region) -> Result<DayIndex> {
	Ok((chain_now_secs(region).await? / SECONDS_PER_DAY) as DayIndex)
}

/// The chain's clock (Unix seconds) at the finalized head.
pub async fn chain_now_secs(region: &Region) -> Result<u64> {
	region::now_secs(&region.api.at_current_block().await?).await
}

fn bounded(text: &str) -> BoundedVec<u8> {
	BoundedVec(text.as_bytes().to_vec())
}

fn cell(text: &str) -> Result<Static<Geohash>> {
	Geohash::parse(text.as_bytes()).map(Static).map_err(|_| anyhow!("{text:?} is not a geohash"))
}

fn hash_or_zero(text: Option<&str>) -> Result<subxt::utils::H256> {
	Ok(subxt::utils::H256(match text {
		Some(t) => parse_hex32(t)?,
		None => [0; 32],
	}))
}

async fn authority(
	region: &Region,
	args: AuthorityArgs,
	json_mode: bool,
	wait: Wait,
) -> Result<()> {
	use AuthorityCmd as A;
	let signer = region::keypair(&args.suri)?;
	let call = match args.verb {
		A::AddLocator { account, kind, region: prefix, documents } => {
			Call::Csi(CsiCall::register_locator {
				locator: region::account(&account)?,
				kind: match kind {
					Kind::TransitGate => LocatorKind::TransitGate,
					Kind::Wifi => LocatorKind::WiFi,
					Kind::Venue => LocatorKind::Venue,
					Kind::AppGateway => LocatorKind::AppGateway,
					Kind::Camera => LocatorKind::Camera,
					Kind::Other => LocatorKind::Other,
				},
				region: bounded(&prefix),
				metadata_hash: hash_or_zero(documents.as_deref())?,
			})
		},
		A::SuspendLocator { account } => {
			Call::Csi(CsiCall::suspend_locator { locator: region::account(&account)? })
		},
		A::ResumeLocator { account } => {
			Call::Csi(CsiCall::resume_locator { locator: region::account(&account)? })
		},
		A::RemoveLocator { account } => {
			Call::Csi(CsiCall::remove_locator { locator: region::account(&account)? })
		},
		A::AddDiagnostician { account, jurisdiction, certificate } => {
			Call::Diagnosis(DiagnosisCall::register_diagnostician {
				diagnostician: region::account(&account)?,
				jurisdiction: bounded(&jurisdiction),
				certificate_hash: hash_or_zero(certificate.as_deref())?,
			})
		},
		A::SuspendDiagnostician { account } => {
			Call::Diagnosis(DiagnosisCall::suspend_diagnostician {
				diagnostician: region::account(&account)?,
			})
		},
		A::ResumeDiagnostician { account } => {
			Call::Diagnosis(DiagnosisCall::resume_diagnostician {
				diagnostician: region::account(&account)?,
			})
		},
		A::RemoveDiagnostician { account } => {
			Call::Diagnosis(DiagnosisCall::remove_diagnostician {
				diagnostician: region::account(&account)?,
			})
		},
		A::RegisterMatcher { matcher, validity_days } => {
			let url = format!("{}/v1/attestation", matcher.trim_end_matches('/'));
			let (status, a) = crate::http::json(hyper::Method::GET, &url, None).await?;
			if status != 200 {
				bail!("{url} answered {status}: {a}");
			}
			let field = |name: &str| -> Result<[u8; 32]> {
				parse_hex32(a[name].as_str().ok_or_else(|| anyhow!("attestation has no {name}"))?)
			};
			let now = chain_now_secs(region).await?;
			Call::Matchers(MatchersCall::register_matcher {
				signing_key: field("signingKey")?,
				sealing_key: field("sealingKey")?,
				measurement: field("measurement")?,
				attestation_hash: subxt::utils::H256(field("reportHash")?),
				valid_from: now.saturating_sub(60),
				valid_until: now + validity_days * SECONDS_PER_DAY,
			})
		},
		A::RotateSealingKey { matcher, key } => Call::Matchers(MatchersCall::rotate_sealing_key {
			matcher,
			sealing_key: parse_hex32(&key)?,
		}),
		A::RevokeMatcher { matcher } => Call::Matchers(MatchersCall::revoke_matcher { matcher }),
		A::SetRisk {
			distance_cm,
			min_duration_secs,
			venue_precision,
			venue_min_duration_secs,
			survival,
		} => {
			let at = region.api.at_current_block().await?;
			let mut params = at
				.storage()
				.fetch(runtime::storage().notifications().params(), ())
				.await?
				.decode()?;
			if let Some(d) = distance_cm {
				params.distance_cm = d;
			}
			if let Some(s) = min_duration_secs {
				params.min_duration_secs = s;
			}
			if let Some(p) = venue_precision {
				params.venue_precision = p;
			}
			if let Some(s) = venue_min_duration_secs {
				params.venue_min_duration_secs = s;
			}
			for (material, hours) in survival {
				let material = surface(material);
				let table = &mut params.survival_secs.0;
				table.retain(|(m, _)| *m != material);
				table.push((material, hours.saturating_mul(3_600)));
			}
			Call::Notifications(NotificationsCall::set_risk_params { params })
		},
		A::RegisterLocation { cell: c, operator, material } => {
			Call::Locations(LocationsCall::register_location {
				cell: cell(&c)?,
				operator: operator.as_deref().map(region::account).transpose()?,
				material: surface(material),
			})
		},
		A::MarkCleaned { cell: c } => {
			Call::Locations(LocationsCall::mark_cleaned { cell: cell(&c)? })
		},
		A::RemoveLocation { cell: c } => {
			Call::Locations(LocationsCall::remove_location { cell: cell(&c)? })
		},
		A::SetOperator { cell: c, operator } => Call::Locations(LocationsCall::set_operator {
			cell: cell(&c)?,
			operator: operator.as_deref().map(region::account).transpose()?,
		}),
		A::SetMaterial { cell: c, material } => Call::Locations(LocationsCall::set_material {
			cell: cell(&c)?,
			material: surface(material),
		}),
		A::AddValidator { account } => Call::Validators(ValidatorsCall::add_validator {
			validator: region::account(&account)?,
		}),
		A::RemoveValidator { account } => Call::Validators(ValidatorsCall::remove_validator {
			validator: region::account(&account)?,
		}),
		A::Upgrade { wasm } => {
			return crate::upgrade::run(region, &signer, &wasm, json_mode, wait).await;
		},
	};
	match crate::council::act(region, &signer, call, wait).await? {
		crate::council::Outcome::Acted(included) => report_included(&included, json_mode),
		crate::council::Outcome::Proposed { motion, .. } => {
			crate::council::report_open(&motion, json_mode);
			Ok(())
		},
	}
}

/// The chain's surface material of a command-line one.
fn surface(material: Material) -> SurfaceMaterial {
	match material {
		Material::Unknown => SurfaceMaterial::Unknown,
		Material::Copper => SurfaceMaterial::Copper,
		Material::Cardboard => SurfaceMaterial::Cardboard,
		Material::Fabric => SurfaceMaterial::Fabric,
		Material::Wood => SurfaceMaterial::Wood,
		Material::Glass => SurfaceMaterial::Glass,
		Material::Steel => SurfaceMaterial::Steel,
		Material::Plastic => SurfaceMaterial::Plastic,
	}
}

/// `<material>=<hours>` of `--survival`.
fn parse_survival(text: &str) -> std::result::Result<(Material, u32), String> {
	let (material, hours) =
		text.split_once('=').ok_or_else(|| format!("{text:?} is not <material>=<hours>"))?;
	let material = Material::from_str(material, true)?;
	let hours = hours.parse().map_err(|_| format!("{hours:?} is not a number of hours"))?;
	Ok((material, hours))
}

/// Prints where a transaction landed and the epichain events it emitted.
pub(crate) fn report_included(included: &region::Included, json_mode: bool) -> Result<()> {
	let events = event_lines(included.events.iter())?;
	let v = json!({
		"block": included.block_number,
		"blockHash": format!("{:?}", included.block_hash),
		"events": events,
	});
	emit(json_mode, &v, || {
		let mut text = format!("in block #{}", included.block_number);
		for e in &events {
			text.push_str(&format!("\n  {e}"));
		}
		text
	});
	Ok(())
}

/// The pallets whose events `watch` and transaction reports show.
const EPICHAIN_PALLETS: [&str; 10] = [
	"Csi",
	"Diagnosis",
	"Locations",
	"Matchers",
	"Notifications",
	"Sudo",
	"Council",
	"CouncilMembership",
	"Session",
	"Validators",
];

fn event_lines<'a>(
	events: impl Iterator<
		Item = Result<subxt::events::Event<'a, region::Config>, subxt::error::EventsError>,
	>,
) -> Result<Vec<String>> {
	let mut lines = Vec::new();
	for event in events {
		let event = event?;
		if !EPICHAIN_PALLETS.contains(&event.pallet_name()) {
			continue;
		}
		let fields = event
			.decode_fields_unchecked_as::<subxt::ext::scale_value::Composite<()>>()
			.map(|f| {
				readable(&subxt::ext::scale_value::Value {
					value: subxt::ext::scale_value::ValueDef::Composite(f),
					context: (),
				})
				.to_string()
			})
			.unwrap_or_default();
		lines.push(format!("{}::{} {}", event.pallet_name(), event.event_name(), fields));
	}
	Ok(lines)
}

/// An event field as JSON, with byte arrays (accounts, keys, fingerprints) as 0x-hex.
fn readable(value: &subxt::ext::scale_value::Value<()>) -> Value {
	use subxt::ext::scale_value::{Composite, Primitive, ValueDef};
	fn bytes(values: &[subxt::ext::scale_value::Value<()>]) -> Option<Vec<u8>> {
		values
			.iter()
			.map(|v| match &v.value {
				ValueDef::Primitive(Primitive::U128(n)) if *n < 256 => Some(*n as u8),
				_ => None,
			})
			.collect()
	}
	match &value.value {
		ValueDef::Composite(Composite::Named(fields)) => {
			Value::Object(fields.iter().map(|(k, v)| (k.clone(), readable(v))).collect())
		},
		ValueDef::Composite(Composite::Unnamed(items)) => {
			if items.len() >= 16 {
				if let Some(b) = bytes(items) {
					return Value::String(hex0x(&b));
				}
			}
			match items.as_slice() {
				[one] => readable(one),
				_ => Value::Array(items.iter().map(readable).collect()),
			}
		},
		ValueDef::Variant(v) => {
			let inner = readable(&subxt::ext::scale_value::Value {
				value: ValueDef::Composite(v.values.clone()),
				context: (),
			});
			if inner == Value::Array(vec![]) || inner.is_null() {
				Value::String(v.name.clone())
			} else {
				json!({ &v.name: inner })
			}
		},
		ValueDef::Primitive(Primitive::Bool(b)) => Value::Bool(*b),
		ValueDef::Primitive(Primitive::U128(n)) => json!(*n as u64),
		ValueDef::Primitive(Primitive::I128(n)) => json!(*n as i64),
		ValueDef::Primitive(Primitive::String(s)) => Value::String(s.clone()),
		other => Value::String(format!("{other:?}")),
	}
}

async fn diagnostician(
	region: &Region,
	cmd: DiagnosticianCmd,
	json_mode: bool,
	wait: Wait,
) -> Result<()> {
	let genesis = region.genesis();
	match cmd {
		DiagnosticianCmd::Nullifier { .. } => unreachable!("offline"),
		DiagnosticianCmd::Endorse { suri, consent, reports } => {
			let signer = region::keypair(&suri)?;
			let text = std::fs::read_to_string(&consent)
				.with_context(|| format!("reading {}", consent.display()))?;
			let consent: Consent = serde_json::from_str(&text)
				.with_context(|| format!("{} is not a consent file", consent.display()))?;
			if consent.genesis != hex0x(&genesis) {
				bail!("the consent was signed for another chain ({})", consent.genesis);
			}
			let me = signer.public_key().to_account_id();
			if region::account(&consent.diagnostician)? != me {
				bail!("the consent authorises {}, not {me}", consent.diagnostician);
			}
			let valid_until = signed_valid_until(region).await?;
			let endorsement =
				crate::endorse::Endorsement::from_consent(&consent, &reports, valid_until)?;
			let signature = signer.sign(&endorsement.signing_payload(&genesis));
			let call = crate::endorse::call(me, endorsement, signature.0);
			report_included(&region.authorized(&call, wait).await?, json_mode)
		},
		DiagnosticianCmd::Revoke { suri, case, reason } => {
			let signer = region::keypair(&suri)?;
			let reason = match reason {
				Reason::FalsePositive => RevocationReason::FalsePositive,
				Reason::EnteredInError => RevocationReason::EnteredInError,
				Reason::ConsentWithdrawn => RevocationReason::ConsentWithdrawn,
				Reason::Fraud => RevocationReason::Fraud,
			};
			let valid_until = signed_valid_until(region).await?;
			let payload = crate::endorse::revocation_payload(&genesis, case, &reason, valid_until);
			let signature = signer.sign(&payload);
			let call = runtime::tx().diagnosis().revoke_endorsement(
				signer.public_key().to_account_id(),
				case,
				reason,
				valid_until,
				runtime::runtime_types::sp_runtime::MultiSignature::Sr25519(signature.0),
			);
			report_included(&region.authorized(&call, wait).await?, json_mode)
		},
	}
}

/// The block a signed endorsement or revocation made now is valid until: the chain's
/// `Diagnosis::MaxSignedValidity` (from its metadata) ahead of the finalized block, which the
/// best block the pool validates at is never behind.
async fn signed_valid_until(region: &Region) -> Result<u32> {
	let finalized = region.finalized_number().await?;
	let most = region.constant_u32("Diagnosis", "MaxSignedValidity")?;
	Ok((finalized as u32).saturating_add(most))
}

async fn user(region: &Region, cmd: UserCmd, json_mode: bool) -> Result<()> {
	match cmd {
		UserCmd::Notifications { seed, days } => {
			let seed = keys::read_seed_file(&seed)?;
			let today = chain_today(region).await?;
			let mut mine = Vec::new();
			let mut downloaded = 0usize;
			for day in (today + 1).saturating_sub(days)..=today {
				let print = hex0x(&fingerprint(&seed.pseudonym(day)));
				let mut skip = 0u32;
				loop {
					let page: Vec<Value> =
						region.call("notifications_ofDay", rpc_params![day, skip, 1000u32]).await?;
					downloaded += page.len();
					mine.extend(
						page.iter().filter(|n| n["fingerprint"] == print.as_str()).cloned(),
					);
					if page.len() < 1000 {
						break;
					}
					skip += 1000;
				}
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
			let issued_at =
				std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_secs();
			let message = crate::endorse::query_message(&region.genesis(), &signer, issued_at);
			let today = chain_today(region).await?;
			let proofs: Vec<Value> = ((today + 1).saturating_sub(days)..=today)
				.map(|day| {
					let key = seed.pseudonym_key(day);
					json!({ "day": day, "pseudonym": hex0x(&key.public()), "signature": hex0x(&key.sign(&message)) })
				})
				.collect();
			let body = json!({ "issuedAt": issued_at, "proofs": proofs });
			let (status, answer) =
				crate::http::json(hyper::Method::POST, &format!("{base}/v1/query"), Some(&body))
					.await?;
			if status != 200 {
				bail!("the matcher refused the query ({status}): {answer}");
			}
			emit(json_mode, &answer, || serde_json::to_string_pretty(&answer).unwrap_or_default());
		},
		UserCmd::Location { cell } => {
			Geohash::parse(cell.as_bytes()).map_err(|_| anyhow!("{cell:?} is not a geohash"))?;
			let v: Value = region.call("locations_cell", rpc_params![cell.clone()]).await?;
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
			let count: u32 =
				region.call("locations_infectedCount", rpc_params![prefix.clone()]).await?;
			let cells: Vec<String> =
				region.call("locations_infectedCells", rpc_params![prefix.clone()]).await?;
			let v = json!({ "count": count, "cells": cells });
			emit(json_mode, &v, || {
				format!("{count} infected location(s) under {prefix:?}: {}", cells.join(" "))
			});
		},
	}
	Ok(())
}

async fn watch(region: &Region, args: WatchArgs, json_mode: bool) -> Result<()> {
	let mut blocks = region.api.stream_blocks().await?;
	let mut seen = 0u64;
	while let Some(block) = blocks.next().await {
		let block = block?;
		let at = block.at().await?;
		let events = at.events().fetch().await?;
		let lines = event_lines(events.iter())?;
		if json_mode {
			println!("{}", json!({ "block": block.number(), "events": lines }));
		} else {
			println!("#{} finalized", block.number());
			for l in &lines {
				println!("  {l}");
			}
		}
		seen += 1;
		if args.blocks.is_some_and(|n| seen >= n) {
			break;
		}
	}
	Ok(())
}

//! `epichain authority`: the health authority's calls, acted at once by the sudo key (dev and
//! local chains) or proposed as a council motion.

use std::path::PathBuf;

use anyhow::{anyhow, bail, Result};
use clap::{Args, Subcommand, ValueEnum};
use epichain_primitives::{geohash::Geohash, SECONDS_PER_DAY};
use subxt::utils::Static;

use crate::{
	connection::{self, Connection, Wait},
	keys::parse_hex32,
	output::report_included,
	runtime::{
		self,
		runtime_types::{
			bounded_collections::bounded_vec::BoundedVec,
			epichain_primitives::matching::SurfaceMaterial,
			pallet_csi::{pallet::Call as CsiCall, types::LocatorKind},
			pallet_diagnosis::pallet::Call as DiagnosisCall,
			pallet_locations::pallet::Call as LocationsCall,
			pallet_matchers::pallet::Call as MatchersCall,
			pallet_notifications::pallet::Call as NotificationsCall,
			pallet_validators::pallet::Call as ValidatorsCall,
		},
		Call,
	},
};

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

/// Runs an `authority` verb.
pub async fn run(
	chain: &Connection,
	args: AuthorityArgs,
	json_mode: bool,
	wait: Wait,
) -> Result<()> {
	use AuthorityCmd as A;
	let signer = connection::keypair(&args.suri)?;
	let call = match args.verb {
		A::AddLocator { account, kind, region: prefix, documents } => {
			Call::Csi(CsiCall::register_locator {
				locator: connection::account(&account)?,
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
			Call::Csi(CsiCall::suspend_locator { locator: connection::account(&account)? })
		},
		A::ResumeLocator { account } => {
			Call::Csi(CsiCall::resume_locator { locator: connection::account(&account)? })
		},
		A::RemoveLocator { account } => {
			Call::Csi(CsiCall::remove_locator { locator: connection::account(&account)? })
		},
		A::AddDiagnostician { account, jurisdiction, certificate } => {
			Call::Diagnosis(DiagnosisCall::register_diagnostician {
				diagnostician: connection::account(&account)?,
				jurisdiction: bounded(&jurisdiction),
				certificate_hash: hash_or_zero(certificate.as_deref())?,
			})
		},
		A::SuspendDiagnostician { account } => {
			Call::Diagnosis(DiagnosisCall::suspend_diagnostician {
				diagnostician: connection::account(&account)?,
			})
		},
		A::ResumeDiagnostician { account } => {
			Call::Diagnosis(DiagnosisCall::resume_diagnostician {
				diagnostician: connection::account(&account)?,
			})
		},
		A::RemoveDiagnostician { account } => {
			Call::Diagnosis(DiagnosisCall::remove_diagnostician {
				diagnostician: connection::account(&account)?,
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
			let now = chain.now_secs().await?;
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
			let at = chain.api.at_current_block().await?;
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
				operator: operator.as_deref().map(connection::account).transpose()?,
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
			operator: operator.as_deref().map(connection::account).transpose()?,
		}),
		A::SetMaterial { cell: c, material } => Call::Locations(LocationsCall::set_material {
			cell: cell(&c)?,
			material: surface(material),
		}),
		A::AddValidator { account } => Call::Validators(ValidatorsCall::add_validator {
			validator: connection::account(&account)?,
		}),
		A::RemoveValidator { account } => Call::Validators(ValidatorsCall::remove_validator {
			validator: connection::account(&account)?,
		}),
		A::Upgrade { wasm } => {
			return crate::upgrade::run(chain, &signer, &wasm, json_mode, wait).await;
		},
	};
	match crate::council::act(chain, &signer, call, wait).await? {
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

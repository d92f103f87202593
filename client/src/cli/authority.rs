//! `epichain authority`: the health authority's calls, acted at once by the sudo key (dev and
//! local chains) or proposed as a council motion.

use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Result};
use clap::{Args, Subcommand, ValueEnum};
use epichain_attestation::{DcapCollateral, Evidence, TcbStatus};
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
/// A TCB status by Intel's name (`UpToDate`, `SWHardeningNeeded`, ...).
fn parse_tcb(name: &str) -> std::result::Result<TcbStatus, String> {
	TcbStatus::from_intel_name(name).ok_or_else(|| {
		format!(
			"{name:?} is not a TCB status a region can accept: UpToDate, SWHardeningNeeded, \
			 ConfigurationNeeded, ConfigurationAndSWHardeningNeeded, OutOfDate, \
			 OutOfDateConfigurationNeeded, TDRelaunchAdvised, \
			 TDRelaunchAdvisedConfigurationNeeded (never Revoked)"
		)
	})
}

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
	/// Register a matcher from its attestation (GET <matcher>/v1/attestation). The chain
	/// checks the evidence: a hardware enclave's DCAP quote (--quote, --collateral), verified
	/// here first at the chain's clock; a simulation matcher only where genesis allows it.
	RegisterMatcher {
		/// The matcher's base URL.
		#[arg(long)]
		matcher: String,
		/// Days the registration is valid.
		#[arg(long, default_value_t = 30)]
		validity_days: u64,
		/// The enclave's DCAP quote (binary file), for a hardware enclave.
		#[arg(long, requires = "collateral")]
		quote: Option<PathBuf>,
		/// The quote's collateral as a PCCS serves it (QuoteCollateralV3 JSON).
		#[arg(long, requires = "quote")]
		collateral: Option<PathBuf>,
	},
	/// Rotate a matcher's sealing key.
	RotateSealingKey {
		/// Matcher id.
		#[arg(long)]
		matcher: u32,
		/// The new X25519 public key, 0x-hex.
		#[arg(long)]
		key: String,
		/// The matcher's endorsement of the key, 0x-hex (64 bytes: its signing key's signature
		/// of the keys' binding; the matcher prints it, and lists it per epoch at
		/// GET /v1/attestation).
		#[arg(long)]
		endorsement: String,
	},
	/// Revoke a matcher.
	RevokeMatcher {
		/// Matcher id.
		matcher: u32,
	},
	/// Set what the region admits as a matcher: the measurements of the builds it runs and
	/// the TCB statuses it accepts (replacing both).
	SetAttestationPolicy {
		/// A measurement the region runs (SGX MRENCLAVE; TDX: blake2-256 of MRTD and RTMR0-3),
		/// 0x-hex; repeat for several.
		#[arg(long = "measurement")]
		measurements: Vec<String>,
		/// A TCB status accepted, by Intel's name; repeat for several.
		#[arg(
			long = "accept-tcb",
			value_parser = parse_tcb,
			default_values = ["UpToDate", "SWHardeningNeeded"]
		)]
		accept_tcb: Vec<TcbStatus>,
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

/// DCAP evidence from a quote file and its PCCS collateral, verified here at the chain's clock
/// (`now`) first, so a refusal is explained before a transaction is paid for. The chain
/// checks it again, with the region's policy and the keys' binding.
fn dcap_evidence(quote: &Path, collateral: &Path, now: u64) -> Result<Evidence> {
	let read = |path: &Path| {
		std::fs::read(path).map_err(|e| anyhow!("cannot read {}: {e}", path.display()))
	};
	let quote = read(quote)?;
	let collateral = DcapCollateral::from_pccs_json(&read(collateral)?)
		.map_err(|e| anyhow!("{}: {e}", collateral.display()))?;
	let quoted =
		epichain_attestation::verify_quote(&quote, &collateral, now).map_err(|refusal| {
			anyhow!("the quote does not verify at the chain's clock: {refusal:?}")
		})?;
	eprintln!(
		"quote verified: {:?}, measurement 0x{}, TCB {:?}",
		quoted.tee,
		hex::encode(quoted.measurement),
		quoted.tcb
	);
	let quote = quote.try_into().map_err(|q: Vec<u8>| {
		anyhow!("the quote is {} bytes, more than the chain takes", q.len())
	})?;
	Ok(Evidence::Dcap { quote, collateral })
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
		A::RegisterMatcher { matcher, validity_days, quote, collateral } => {
			let url = format!("{}/v1/attestation", matcher.trim_end_matches('/'));
			let (status, a) = crate::http::json(hyper::Method::GET, &url, None).await?;
			if status != 200 {
				bail!("{url} answered {status}: {a}");
			}
			let field = |name: &str| -> Result<[u8; 32]> {
				parse_hex32(a[name].as_str().ok_or_else(|| anyhow!("attestation has no {name}"))?)
			};
			let now = chain.now_secs().await?;
			let evidence = match (quote, collateral) {
				(Some(quote), Some(collateral)) => dcap_evidence(&quote, &collateral, now)?,
				_ if a["mode"] == "simulation" => {
					Evidence::Simulation { measurement: field("measurement")? }
				},
				_ => bail!(
					"{url} is a {} enclave: give its DCAP quote and collateral \
					 (--quote, --collateral)",
					a["mode"]
				),
			};
			Call::Matchers(MatchersCall::register_matcher {
				signing_key: field("signingKey")?,
				sealing_key: field("sealingKey")?,
				evidence: Box::new(Static(evidence)),
				valid_from: now.saturating_sub(60),
				valid_until: now + validity_days * SECONDS_PER_DAY,
			})
		},
		A::RotateSealingKey { matcher, key, endorsement } => {
			Call::Matchers(MatchersCall::rotate_sealing_key {
				matcher,
				sealing_key: parse_hex32(&key)?,
				endorsement: epichain_primitives::hex0x::decode_array(&endorsement)
					.map_err(|e| anyhow!("--endorsement: {e}"))?,
			})
		},
		A::RevokeMatcher { matcher } => Call::Matchers(MatchersCall::revoke_matcher { matcher }),
		A::SetAttestationPolicy { measurements, accept_tcb } => {
			let measurements =
				measurements.iter().map(|m| parse_hex32(m)).collect::<Result<Vec<_>>>()?;
			let policy = epichain_attestation::Policy {
				measurements: measurements.try_into().map_err(|m: Vec<_>| {
					anyhow!(
						"{} measurements; a region names at most {}",
						m.len(),
						epichain_attestation::MAX_MEASUREMENTS
					)
				})?,
				accepted_tcb: accept_tcb
					.try_into()
					.map_err(|_| anyhow!("too many TCB statuses"))?,
			};
			Call::Matchers(MatchersCall::set_attestation_policy { policy: Static(policy) })
		},
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

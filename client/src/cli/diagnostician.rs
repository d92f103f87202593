//! `epichain diagnostician`: case nullifiers, endorsements and revocations.

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::{Subcommand, ValueEnum};
use serde_json::json;

use crate::{
	cli::patient::WindowArgs,
	connection::{self, Connection, Wait},
	consent::Consent,
	keys::{hex0x, parse_hex32},
	output::report_included,
	runtime::{self, runtime_types::pallet_diagnosis::types::RevocationReason},
};

/// The `kind` of a consent request (`diagnostician consent-request`; the citizen's app reads it).
pub const CONSENT_REQUEST_KIND: &str = "epichain-consent-request";

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
	/// The consent request a patient's app signs (JSON, to show as a QR code or hand over as a
	/// file): this chain, this diagnostician, the case nullifier and the infectious window.
	ConsentRequest {
		/// The diagnostician's secret URI (only its account is used).
		#[arg(long)]
		suri: String,
		/// The case nullifier (`diagnostician nullifier`).
		#[arg(long)]
		nullifier: String,
		/// The infectious window.
		#[command(flatten)]
		window: WindowArgs,
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

/// Runs a `diagnostician` verb (the nullifier, offline, is `cli::run`'s).
pub async fn run(
	chain: &Connection,
	cmd: DiagnosticianCmd,
	json_mode: bool,
	wait: Wait,
) -> Result<()> {
	let genesis = chain.genesis();
	match cmd {
		DiagnosticianCmd::Nullifier { .. } => unreachable!("offline"),
		DiagnosticianCmd::ConsentRequest { suri, nullifier, window } => {
			let me = connection::keypair(&suri)?.public_key().to_account_id();
			let nullifier = parse_hex32(&nullifier).context("--nullifier")?;
			let window = window.window(chain).await?;
			// A request is JSON either way: it is meant to be handed over (as a QR code or file).
			println!(
				"{}",
				serde_json::to_string_pretty(&json!({
					"kind": CONSENT_REQUEST_KIND,
					"genesis": hex0x(&genesis),
					"diagnostician": me.to_string(),
					"nullifier": hex0x(&nullifier),
					"first": window.first,
					"last": window.last,
				}))?
			);
			Ok(())
		},
		DiagnosticianCmd::Endorse { suri, consent, reports } => {
			let signer = connection::keypair(&suri)?;
			let consent = Consent::read(&consent)?;
			if consent.genesis != hex0x(&genesis) {
				bail!("the consent was signed for another chain ({})", consent.genesis);
			}
			let me = signer.public_key().to_account_id();
			if connection::account(&consent.diagnostician)? != me {
				bail!("the consent authorises {}, not {me}", consent.diagnostician);
			}
			let valid_until = signed_valid_until(chain).await?;
			let endorsement =
				crate::endorse::Endorsement::from_consent(&consent, &reports, valid_until)?;
			let signature = signer.sign(&endorsement.signing_payload(&genesis));
			let call = crate::endorse::call(me, endorsement, signature.0);
			report_included(&chain.authorized(&call, wait).await?, json_mode)
		},
		DiagnosticianCmd::Revoke { suri, case, reason } => {
			let signer = connection::keypair(&suri)?;
			let reason = match reason {
				Reason::FalsePositive => RevocationReason::FalsePositive,
				Reason::EnteredInError => RevocationReason::EnteredInError,
				Reason::ConsentWithdrawn => RevocationReason::ConsentWithdrawn,
				Reason::Fraud => RevocationReason::Fraud,
			};
			let valid_until = signed_valid_until(chain).await?;
			let payload = epichain_primitives::signing::revocation_payload(
				&genesis,
				case,
				&reason,
				valid_until,
			);
			let signature = signer.sign(&payload);
			let call = runtime::tx().diagnosis().revoke_endorsement(
				signer.public_key().to_account_id(),
				case,
				reason,
				valid_until,
				runtime::runtime_types::sp_runtime::MultiSignature::Sr25519(signature.0),
			);
			report_included(&chain.authorized(&call, wait).await?, json_mode)
		},
	}
}

/// The block a signed endorsement or revocation made now is valid until: the chain's
/// `Diagnosis::MaxSignedValidity` (from its metadata) ahead of the finalized block, which the
/// best block the pool validates at is never behind.
async fn signed_valid_until(chain: &Connection) -> Result<u32> {
	let finalized = chain.finalized_number().await?;
	let most = chain.constant_u32("Diagnosis", "MaxSignedValidity")?;
	Ok((finalized as u32).saturating_add(most))
}

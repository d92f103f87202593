//! `diagnosis_*` RPC methods: endorsed cases, the fingerprints and TCN reports phones download,
//! and public counts per jurisdiction.
//!
//! The runtime API `DiagnosisApi` answers in SCALE; these methods answer in JSON. Fingerprints
//! are 0x-hex; proximity reports are 0x-hex in the TCN protocol's own serialization, so any TCN
//! implementation (the `tcn` crate, CoEpi and CovidWatch apps) can parse and verify them.

use std::sync::Arc;

use epichain_primitives::{diagnosis::CaseId, DayIndex};
use epichain_runtime::{opaque::Block, AccountId};
use jsonrpsee::{
	core::RpcResult,
	proc_macros::rpc,
	types::{error::ErrorObjectOwned, ErrorObject},
};
use pallet_diagnosis::{runtime_api::DiagnosisApi as DiagnosisRuntimeApi, CaseStatus};
use serde::Serialize;
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_core::crypto::Ss58Codec;
use sp_runtime::traits::Block as BlockT;

/// Error code of a nullifier that is not 32 bytes of 0x-hex.
pub const BAD_NULLIFIER: i32 = 8201;
/// Error code when the runtime API call fails.
pub const RUNTIME_ERROR: i32 = 8202;

/// An endorsed case, in JSON (no pseudonyms, no fingerprints).
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct CaseJson {
	/// The case id.
	pub case: CaseId,
	/// The endorsing diagnostician (SS58).
	pub diagnostician: String,
	/// Its jurisdiction (geohash prefix; empty: the whole world).
	pub jurisdiction: String,
	/// First infectious day.
	pub first_day: DayIndex,
	/// Last infectious day.
	pub last_day: DayIndex,
	/// Day of endorsement.
	pub endorsed_day: DayIndex,
	/// Endorsed pseudonyms (days).
	pub pseudonyms: u32,
	/// Proximity reports.
	pub reports: u32,
	/// `active` or `revoked`.
	pub status: &'static str,
	/// Why it was revoked (`falsePositive`, `enteredInError`, `consentWithdrawn`, `fraud`).
	pub revocation_reason: Option<&'static str>,
	/// True when the authority (not the diagnostician) revoked it.
	pub revoked_by_authority: Option<bool>,
}

/// Cases of a day in one jurisdiction, in JSON.
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct JurisdictionCountJson {
	/// The jurisdiction (geohash prefix).
	pub jurisdiction: String,
	/// Cases endorsed there that day.
	pub endorsed: u32,
	/// Of those, revoked.
	pub revoked: u32,
}

/// The `diagnosis_*` methods. `at` defaults to the best block.
#[rpc(server, namespace = "diagnosis")]
pub trait DiagnosisRpc<BlockHash> {
	/// A case in the retention window, or `null`.
	#[method(name = "case")]
	fn case(&self, case: CaseId, at: Option<BlockHash>) -> RpcResult<Option<CaseJson>>;

	/// The case a nullifier (0x-hex, 32 bytes) opened, or `null` if it was never endorsed
	/// (or its case has left the retention window).
	#[method(name = "caseOfNullifier")]
	fn case_of_nullifier(
		&self,
		nullifier: String,
		at: Option<BlockHash>,
	) -> RpcResult<Option<CaseId>>;

	/// Fingerprints (0x-hex) of the endorsed pseudonyms of `day`, sorted.
	#[method(name = "endorsedFingerprints")]
	fn endorsed_fingerprints(&self, day: DayIndex, at: Option<BlockHash>)
		-> RpcResult<Vec<String>>;

	/// Signed TCN reports (0x-hex, TCN serialization) of the active cases endorsed on `day`.
	#[method(name = "proximityReports")]
	fn proximity_reports(&self, day: DayIndex, at: Option<BlockHash>) -> RpcResult<Vec<String>>;

	/// Cases endorsed on `day` per jurisdiction, and how many were revoked since.
	#[method(name = "jurisdictionCounts")]
	fn jurisdiction_counts(
		&self,
		day: DayIndex,
		at: Option<BlockHash>,
	) -> RpcResult<Vec<JurisdictionCountJson>>;
}

/// Serves the `diagnosis_*` methods from the client's runtime API.
pub struct Diagnosis<C> {
	client: Arc<C>,
}

impl<C> Diagnosis<C> {
	/// Serves from `client`.
	pub fn new(client: Arc<C>) -> Self {
		Self { client }
	}
}

fn runtime_error(e: impl std::fmt::Display) -> ErrorObjectOwned {
	ErrorObject::owned(RUNTIME_ERROR, "DiagnosisApi call failed", Some(e.to_string()))
}

fn prefix(bytes: &[u8]) -> String {
	String::from_utf8_lossy(bytes).into_owned()
}

fn reason_name(reason: pallet_diagnosis::RevocationReason) -> &'static str {
	use pallet_diagnosis::RevocationReason::*;
	match reason {
		FalsePositive => "falsePositive",
		EnteredInError => "enteredInError",
		ConsentWithdrawn => "consentWithdrawn",
		Fraud => "fraud",
	}
}

impl<C> DiagnosisRpcServer<<Block as BlockT>::Hash> for Diagnosis<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: DiagnosisRuntimeApi<Block, AccountId>,
{
	fn case(
		&self,
		case: CaseId,
		at: Option<<Block as BlockT>::Hash>,
	) -> RpcResult<Option<CaseJson>> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let view = self.client.runtime_api().case(at, case).map_err(runtime_error)?;
		Ok(view.map(|v| {
			let (status, reason, by_authority) = match v.status {
				CaseStatus::Active => ("active", None, None),
				CaseStatus::Revoked { reason, by_authority } => {
					("revoked", Some(reason_name(reason)), Some(by_authority))
				},
			};
			CaseJson {
				case: v.case,
				diagnostician: v.diagnostician.to_ss58check(),
				jurisdiction: prefix(&v.jurisdiction),
				first_day: v.window.first,
				last_day: v.window.last,
				endorsed_day: v.endorsed_day,
				pseudonyms: v.pseudonyms,
				reports: v.reports,
				status,
				revocation_reason: reason,
				revoked_by_authority: by_authority,
			}
		}))
	}

	fn case_of_nullifier(
		&self,
		nullifier: String,
		at: Option<<Block as BlockT>::Hash>,
	) -> RpcResult<Option<CaseId>> {
		let bytes: [u8; 32] = hex::decode(nullifier.trim_start_matches("0x"))
			.ok()
			.and_then(|b| b.try_into().ok())
			.ok_or_else(|| {
				ErrorObject::owned(
					BAD_NULLIFIER,
					"a nullifier is 32 bytes of 0x-hex",
					Some(nullifier.clone()),
				)
			})?;
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		self.client.runtime_api().case_of_nullifier(at, bytes).map_err(runtime_error)
	}

	fn endorsed_fingerprints(
		&self,
		day: DayIndex,
		at: Option<<Block as BlockT>::Hash>,
	) -> RpcResult<Vec<String>> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let fps =
			self.client.runtime_api().endorsed_fingerprints(at, day).map_err(runtime_error)?;
		Ok(fps.iter().map(|f| format!("0x{}", hex::encode(f))).collect())
	}

	fn proximity_reports(
		&self,
		day: DayIndex,
		at: Option<<Block as BlockT>::Hash>,
	) -> RpcResult<Vec<String>> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let reports =
			self.client.runtime_api().proximity_reports(at, day).map_err(runtime_error)?;
		Ok(reports.iter().map(|r| format!("0x{}", hex::encode(r.to_bytes()))).collect())
	}

	fn jurisdiction_counts(
		&self,
		day: DayIndex,
		at: Option<<Block as BlockT>::Hash>,
	) -> RpcResult<Vec<JurisdictionCountJson>> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let counts =
			self.client.runtime_api().jurisdiction_counts(at, day).map_err(runtime_error)?;
		Ok(counts
			.into_iter()
			.map(|c| JurisdictionCountJson {
				jurisdiction: prefix(&c.jurisdiction),
				endorsed: c.endorsed,
				revoked: c.revoked,
			})
			.collect())
	}
}

//! `notifications_*` RPC methods: a day's exposure notifications for private matching on the
//! phone, a lookup by fingerprints, public counts, matching jobs and the risk rule.
//!
//! Fingerprints and pseudonyms are 0x-hex; probabilities are parts per million.

use std::sync::Arc;

use epichain_primitives::{
	diagnosis::CaseId,
	matching::{RiskLevel, RiskParams},
	pseudonym::Fingerprint,
	DayIndex,
};
use epichain_runtime::opaque::Block;
use jsonrpsee::{
	core::RpcResult,
	proc_macros::rpc,
	types::{error::ErrorObjectOwned, ErrorObject},
};
use pallet_notifications::{
	runtime_api::NotificationsApi as NotificationsRuntimeApi, JobStatus, NotificationView,
	MAX_LOOKUP_FINGERPRINTS, MAX_NOTIFICATIONS_PER_QUERY,
};
use serde::Serialize;
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_runtime::traits::Block as BlockT;

/// Error code of a fingerprint that is not 16 bytes of 0x-hex, or too many of them.
pub const BAD_FINGERPRINT: i32 = 8301;
/// Error code when the runtime API call fails.
pub const RUNTIME_ERROR: i32 = 8302;

/// A notification, in JSON.
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct NotificationJson {
	/// The exposed pseudonym's fingerprint (0x-hex).
	pub fingerprint: String,
	/// The exposure day.
	pub exposure_day: DayIndex,
	/// The case that exposed it.
	pub case: CaseId,
	/// `high` or `low`.
	pub risk: &'static str,
	/// Infection probability, parts per million.
	pub probability_ppm: u32,
	/// True when the case was revoked since.
	pub revoked: bool,
}

/// A matching job, in JSON.
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct JobJson {
	/// The case.
	pub case: CaseId,
	/// First infectious day.
	pub first_day: DayIndex,
	/// Last infectious day.
	pub last_day: DayIndex,
	/// The case's pseudonyms, 0x-hex, with their days.
	pub pseudonyms: Vec<(DayIndex, String)>,
	/// The last day results are accepted.
	pub closes_on: DayIndex,
	/// The round the next result answers.
	pub next_round: u32,
	/// `open` or `cancelled`.
	pub status: &'static str,
	/// Exposures accepted so far.
	pub exposures: u32,
	/// The block the last complete round was judged at (0 before the first).
	pub last_as_of: u32,
	/// The part of `next_round` the next result answers (0 when the round has not started).
	pub next_part: u32,
	/// How many parts `next_round` has, once its first part is accepted (else 0).
	pub parts: u32,
}

/// The public risk rule, in JSON.
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct RiskParamsJson {
	/// Close-contact distance, centimetres.
	pub distance_cm: u32,
	/// Close-contact duration, seconds.
	pub min_duration_secs: u32,
	/// Logistic intercept, thousandths.
	pub intercept_milli: i32,
	/// Logistic coefficient per minute, thousandths.
	pub per_minute_milli: i32,
	/// Logistic coefficient per metre, thousandths.
	pub per_metre_milli: i32,
	/// (material, coefficient in thousandths).
	pub materials: Vec<(String, i32)>,
}

/// The `notifications_*` methods. `at` defaults to the best block.
#[rpc(server, namespace = "notifications")]
pub trait NotificationsRpc<BlockHash> {
	/// Notifications of exposure day `day`, skipping `skip` (default 0), at most `limit`
	/// (default and maximum 10,000).
	#[method(name = "ofDay")]
	fn of_day(
		&self,
		day: DayIndex,
		skip: Option<u32>,
		limit: Option<u32>,
		at: Option<BlockHash>,
	) -> RpcResult<Vec<NotificationJson>>;

	/// Notifications addressed to any of `fingerprints` (0x-hex, at most 64). The node learns
	/// which fingerprints were asked about: apps that want no trace download whole days.
	#[method(name = "lookup")]
	fn lookup(
		&self,
		fingerprints: Vec<String>,
		at: Option<BlockHash>,
	) -> RpcResult<Vec<NotificationJson>>;

	/// Public counts `{high, low}` of exposure day `day`.
	#[method(name = "dayCounts")]
	fn day_counts(&self, day: DayIndex, at: Option<BlockHash>) -> RpcResult<serde_json::Value>;

	/// A case's matching job, or `null`.
	#[method(name = "job")]
	fn job(&self, case: CaseId, at: Option<BlockHash>) -> RpcResult<Option<JobJson>>;

	/// Up to `limit` (default and maximum 1,000) open jobs from case `from` (default 0).
	#[method(name = "openJobs")]
	fn open_jobs(
		&self,
		from: Option<CaseId>,
		limit: Option<u32>,
		at: Option<BlockHash>,
	) -> RpcResult<Vec<CaseId>>;

	/// The public risk rule.
	#[method(name = "riskParams")]
	fn risk_params(&self, at: Option<BlockHash>) -> RpcResult<RiskParamsJson>;
}

/// Serves the `notifications_*` methods from the client's runtime API.
pub struct Notifications<C> {
	client: Arc<C>,
}

impl<C> Notifications<C> {
	/// Serves from `client`.
	pub fn new(client: Arc<C>) -> Self {
		Self { client }
	}
}

fn runtime_error(e: impl std::fmt::Display) -> ErrorObjectOwned {
	ErrorObject::owned(RUNTIME_ERROR, "NotificationsApi call failed", Some(e.to_string()))
}

fn to_json(n: NotificationView) -> NotificationJson {
	NotificationJson {
		fingerprint: format!("0x{}", hex::encode(n.fingerprint)),
		exposure_day: n.exposure_day,
		case: n.case,
		risk: match n.risk {
			RiskLevel::High => "high",
			RiskLevel::Low => "low",
			RiskLevel::Indirect => "indirect",
		},
		probability_ppm: n.probability_ppm,
		revoked: n.revoked,
	}
}

fn params_json(p: RiskParams) -> RiskParamsJson {
	RiskParamsJson {
		distance_cm: p.distance_cm,
		min_duration_secs: p.min_duration_secs,
		intercept_milli: p.intercept_milli,
		per_minute_milli: p.per_minute_milli,
		per_metre_milli: p.per_metre_milli,
		materials: p.materials.iter().map(|(m, c)| (format!("{m:?}"), *c)).collect(),
	}
}

impl<C> NotificationsRpcServer<<Block as BlockT>::Hash> for Notifications<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: NotificationsRuntimeApi<Block>,
{
	fn of_day(
		&self,
		day: DayIndex,
		skip: Option<u32>,
		limit: Option<u32>,
		at: Option<<Block as BlockT>::Hash>,
	) -> RpcResult<Vec<NotificationJson>> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let limit = limit.unwrap_or(MAX_NOTIFICATIONS_PER_QUERY).min(MAX_NOTIFICATIONS_PER_QUERY);
		let list = self
			.client
			.runtime_api()
			.notifications_of_day(at, day, skip.unwrap_or(0), limit)
			.map_err(runtime_error)?;
		Ok(list.into_iter().map(to_json).collect())
	}

	fn lookup(
		&self,
		fingerprints: Vec<String>,
		at: Option<<Block as BlockT>::Hash>,
	) -> RpcResult<Vec<NotificationJson>> {
		let bad = |what: &str| ErrorObject::owned(BAD_FINGERPRINT, what.to_string(), None::<()>);
		if fingerprints.len() > MAX_LOOKUP_FINGERPRINTS as usize {
			return Err(bad("at most 64 fingerprints per lookup"));
		}
		let parsed = fingerprints
			.iter()
			.map(|f| {
				hex::decode(f.trim_start_matches("0x"))
					.ok()
					.and_then(|b| Fingerprint::try_from(b).ok())
					.ok_or_else(|| bad("a fingerprint is 16 bytes of 0x-hex"))
			})
			.collect::<Result<Vec<_>, _>>()?;
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let list = self.client.runtime_api().lookup(at, parsed).map_err(runtime_error)?;
		Ok(list.into_iter().map(to_json).collect())
	}

	fn day_counts(
		&self,
		day: DayIndex,
		at: Option<<Block as BlockT>::Hash>,
	) -> RpcResult<serde_json::Value> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let c = self.client.runtime_api().day_counts(at, day).map_err(runtime_error)?;
		Ok(serde_json::json!({ "high": c.high, "low": c.low, "indirect": c.indirect }))
	}

	fn job(&self, case: CaseId, at: Option<<Block as BlockT>::Hash>) -> RpcResult<Option<JobJson>> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let job = self.client.runtime_api().job(at, case).map_err(runtime_error)?;
		Ok(job.map(|j| JobJson {
			case: j.case,
			first_day: j.window.first,
			last_day: j.window.last,
			pseudonyms: j
				.pseudonyms
				.iter()
				.map(|(d, p)| (*d, format!("0x{}", hex::encode(p))))
				.collect(),
			closes_on: j.closes_on,
			next_round: j.next_round,
			status: match j.status {
				JobStatus::Open => "open",
				JobStatus::Cancelled => "cancelled",
			},
			exposures: j.exposures,
			last_as_of: j.last_as_of,
			next_part: j.next_part(),
			parts: j.in_progress.map_or(0, |p| p.parts),
		}))
	}

	fn open_jobs(
		&self,
		from: Option<CaseId>,
		limit: Option<u32>,
		at: Option<<Block as BlockT>::Hash>,
	) -> RpcResult<Vec<CaseId>> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let limit = limit.unwrap_or(pallet_notifications::MAX_JOBS_PER_QUERY);
		self.client.runtime_api().open_jobs(at, from.unwrap_or(0), limit).map_err(runtime_error)
	}

	fn risk_params(&self, at: Option<<Block as BlockT>::Hash>) -> RpcResult<RiskParamsJson> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let p = self.client.runtime_api().risk_params(at).map_err(runtime_error)?;
		Ok(params_json(p))
	}
}

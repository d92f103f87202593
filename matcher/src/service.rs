//! The HTTP service.
//!
//! | endpoint | what |
//! |---|---|
//! | `GET /v1/attestation` | keys, measurement, report (JSON) |
//! | `POST /v1/jobs` | a SCALE [`JobRequest`]; `200` SCALE `(MatchResult, [u8; 64])`, `204` nothing new, `400` malformed, `404` no such job, `409` the matcher's finalized view is at another round, `410` cancelled, `503` not synced |
//! | `POST /v1/query` | Wen et al.'s pull mode: a user proves control of their pseudonyms and gets their own exposures (JSON) |
//! | `GET /v1/statistics` | aggregate counts (JSON) |
//! | `GET /health` | the synced finalized block (JSON) |
//!
//! Errors are JSON `{"error": name, "message": text}`. Nothing here returns or logs a point.

use std::{
	sync::{Arc, RwLock},
	time::{SystemTime, UNIX_EPOCH},
};

use axum::{
	body::Bytes,
	extract::{DefaultBodyLimit, State},
	http::{header, StatusCode},
	response::{IntoResponse, Response},
	routing::{get, post},
	Json, Router,
};
use codec::{DecodeAll, Encode};
use epichain_primitives::{
	diagnosis::CaseId,
	matching::{JobRequest, RiskParams, JOB_PATH},
	SECONDS_PER_DAY,
};
use epichain_runtime::AccountId;
use pallet_notifications::{JobStatus, JobView};
use serde::Deserialize;
use serde_json::json;
use sp_core::H256;

use crate::{
	chain::Chain,
	enclave::{query_message, Enclave, JudgeRequest, PseudonymProof, Verdict},
	follower::SyncState,
};

/// How far a query's `issuedAt` may be from the matcher's clock, in seconds.
pub const QUERY_MAX_SKEW_SECS: u64 = 300;
/// Most pseudonyms one query may prove (14 days, a few devices).
pub const MAX_QUERY_PROOFS: usize = 64;
/// Most open jobs a pull query is matched against.
pub const MAX_QUERY_JOBS: u32 = 1_000;

/// What the handlers share.
#[derive(Clone)]
pub struct AppState {
	/// The chain.
	pub chain: Chain,
	/// The enclave.
	pub enclave: Arc<dyn Enclave>,
	/// How far the follower got.
	pub sync: Arc<RwLock<SyncState>>,
	/// Precision of the cells results name.
	pub cell_precision: usize,
}

/// The service's routes.
pub fn router(state: AppState) -> Router {
	Router::new()
		.route("/v1/attestation", get(attestation))
		.route(JOB_PATH, post(job).layer(DefaultBodyLimit::max(1_024)))
		.route("/v1/query", post(query).layer(DefaultBodyLimit::max(64 * 1_024)))
		.route("/v1/statistics", get(statistics))
		.route("/health", get(health))
		.with_state(state)
}

/// An error answer.
pub struct ApiError(StatusCode, &'static str, String);

impl IntoResponse for ApiError {
	fn into_response(self) -> Response {
		(self.0, Json(json!({ "error": self.1, "message": self.2 }))).into_response()
	}
}

fn not_synced() -> ApiError {
	ApiError(
		StatusCode::SERVICE_UNAVAILABLE,
		"NotSynced",
		"the matcher has not indexed a finalized block yet".into(),
	)
}

fn chain_error(e: impl std::fmt::Display) -> ApiError {
	ApiError(StatusCode::BAD_GATEWAY, "ChainUnavailable", e.to_string())
}

async fn attestation(State(s): State<AppState>) -> Json<serde_json::Value> {
	Json(serde_json::to_value(s.enclave.attestation()).unwrap_or_default())
}

async fn statistics(State(s): State<AppState>) -> Json<serde_json::Value> {
	let sync = s.sync.read().expect("sync lock").synced;
	let mut v = serde_json::to_value(s.enclave.statistics()).unwrap_or_default();
	v["syncedBlock"] = json!(sync.map(|(n, _)| n));
	v["mode"] = json!(s.enclave.mode());
	Json(v)
}

async fn health(State(s): State<AppState>) -> Json<serde_json::Value> {
	let sync = s.sync.read().expect("sync lock").synced;
	Json(json!({ "syncedBlock": sync.map(|(n, _)| n), "mode": s.enclave.mode() }))
}

/// The chain's risk rule at `hash`.
async fn risk_params(s: &AppState, hash: H256) -> Result<RiskParams, ApiError> {
	s.chain.state_call("NotificationsApi_risk_params", (), hash).await.map_err(chain_error)
}

/// Reads job `case` at the synced block and turns it into a judge request under `params`
/// (the rule at that block).
async fn judge_request(
	s: &AppState,
	case: CaseId,
	sync: &SyncState,
	params: &RiskParams,
) -> Result<Option<(JobView, JudgeRequest)>, ApiError> {
	let (number, hash) = sync.synced.ok_or_else(not_synced)?;
	let job: Option<JobView> =
		s.chain.state_call("NotificationsApi_job", case, hash).await.map_err(chain_error)?;
	let Some(job) = job else { return Ok(None) };
	let params = params.clone();
	let view: Option<pallet_diagnosis::CaseView<AccountId>> =
		s.chain.state_call("DiagnosisApi_case", case, hash).await.map_err(chain_error)?;
	// Visits from the start of the endorsement day on count as after the endorsement.
	let endorsed_at =
		view.map_or(job.window.last as u64, |v| v.endorsed_day as u64) * SECONDS_PER_DAY;
	let request = JudgeRequest {
		genesis: s.chain.genesis.0,
		case,
		round: job.next_round,
		window: job.window,
		pseudonyms: job.pseudonyms.clone(),
		endorsed_at,
		as_of: number,
		since: (job.next_round > 0).then_some(job.last_as_of),
		params,
		cell_precision: s.cell_precision,
		materials: sync.materials.clone(),
		materials_at: number,
		registered: sync.registered.clone(),
	};
	Ok(Some((job, request)))
}

async fn job(State(s): State<AppState>, body: Bytes) -> Result<Response, ApiError> {
	let request = JobRequest::decode_all(&mut &body[..]).map_err(|_| {
		ApiError(StatusCode::BAD_REQUEST, "MalformedRequest", "expected a SCALE JobRequest".into())
	})?;
	let sync = s.sync.read().expect("sync lock").clone();
	let (number, _) = sync.synced.ok_or_else(not_synced)?;
	let params = risk_params(&s, sync.synced.ok_or_else(not_synced)?.1).await?;
	let (job, judge) = judge_request(&s, request.case, &sync, &params).await?.ok_or_else(|| {
		ApiError(StatusCode::NOT_FOUND, "UnknownJob", format!("no job for case {}", request.case))
	})?;
	if job.status == JobStatus::Cancelled {
		return Err(ApiError(StatusCode::GONE, "JobCancelled", "the case was revoked".into()));
	}
	if job.next_round != request.round {
		return Err(ApiError(
			StatusCode::CONFLICT,
			"RoundMismatch",
			format!("finalized block {number} expects round {}", job.next_round),
		));
	}
	if job.last_as_of > number {
		return Err(not_synced());
	}
	let enclave = s.enclave.clone();
	let verdict =
		tokio::task::spawn_blocking(move || enclave.judge(&judge)).await.map_err(|e| {
			ApiError(StatusCode::INTERNAL_SERVER_ERROR, "JudgementFailed", e.to_string())
		})?;
	match verdict {
		Verdict::NothingNew => Ok(StatusCode::NO_CONTENT.into_response()),
		Verdict::Signed { result, signature, truncated } => {
			tracing::info!(
				"case {} round {} as of block {}: signed ({} exposures, {} cells{})",
				result.case,
				result.round,
				result.as_of,
				result.exposures.len(),
				result.cells.len(),
				if truncated > 0 {
					format!(", {truncated} over the chain's bounds left out")
				} else {
					String::new()
				},
			);
			Ok(([(header::CONTENT_TYPE, "application/octet-stream")], (result, signature).encode())
				.into_response())
		},
	}
}

/// A pull query.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct QueryBody {
	/// Unix second the proofs were made at.
	pub issued_at: u64,
	/// Proofs of control.
	pub proofs: Vec<ProofJson>,
}

/// One pseudonym's proof.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProofJson {
	/// The pseudonym's day.
	pub day: u32,
	/// The pseudonym, 0x-hex.
	pub pseudonym: String,
	/// Its signature over the query message, 0x-hex.
	pub signature: String,
}

fn bad_query(message: impl Into<String>) -> ApiError {
	ApiError(StatusCode::BAD_REQUEST, "MalformedQuery", message.into())
}

fn hex_array<const N: usize>(s: &str) -> Result<[u8; N], ApiError> {
	hex::decode(s.trim_start_matches("0x"))
		.ok()
		.and_then(|v| v.try_into().ok())
		.ok_or_else(|| bad_query(format!("expected {N} bytes of 0x-hex")))
}

async fn query(
	State(s): State<AppState>,
	Json(body): Json<QueryBody>,
) -> Result<Response, ApiError> {
	if body.proofs.is_empty() || body.proofs.len() > MAX_QUERY_PROOFS {
		return Err(bad_query(format!("1 to {MAX_QUERY_PROOFS} proofs")));
	}
	let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
	if now.abs_diff(body.issued_at) > QUERY_MAX_SKEW_SECS {
		return Err(ApiError(
			StatusCode::UNAUTHORIZED,
			"StaleQuery",
			format!("issuedAt must be within {QUERY_MAX_SKEW_SECS} s of now"),
		));
	}
	let proofs = body
		.proofs
		.iter()
		.map(|p| {
			Ok(PseudonymProof {
				day: p.day,
				pseudonym: hex_array(&p.pseudonym)?,
				signature: hex_array(&p.signature)?,
			})
		})
		.collect::<Result<Vec<_>, ApiError>>()?;
	let sync = s.sync.read().expect("sync lock").clone();
	let (number, hash) = sync.synced.ok_or_else(not_synced)?;
	let open: Vec<CaseId> = s
		.chain
		.state_call("NotificationsApi_open_jobs", (0u64, MAX_QUERY_JOBS), hash)
		.await
		.map_err(chain_error)?;
	// One rule for every job of the query: read it once.
	let params = risk_params(&s, hash).await?;
	let mut cases = Vec::with_capacity(open.len());
	for case in open {
		if let Some((_, mut request)) = judge_request(&s, case, &sync, &params).await? {
			request.since = None;
			cases.push(request);
		}
	}
	let message = query_message(&s.chain.genesis.0, &s.enclave.signing_key(), body.issued_at);
	let enclave = s.enclave.clone();
	let (verified, exposures) =
		tokio::task::spawn_blocking(move || enclave.query(&message, &proofs, &cases))
			.await
			.map_err(|e| {
				ApiError(StatusCode::INTERNAL_SERVER_ERROR, "QueryFailed", e.to_string())
			})?;
	if verified == 0 {
		return Err(ApiError(
			StatusCode::UNAUTHORIZED,
			"NoValidProof",
			"no pseudonym signature verified over the query message".into(),
		));
	}
	Ok(Json(json!({ "asOf": number, "verified": verified, "exposures": exposures }))
		.into_response())
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::enclave::SimulatedEnclave;
	use std::io::{Read, Write};

	/// Serves the routes on a free port with no node behind them; returns the port.
	fn serve(synced: bool) -> u16 {
		let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
		let port = listener.local_addr().unwrap().port();
		let sync =
			SyncState { synced: synced.then_some((7, H256::repeat_byte(1))), ..Default::default() };
		let state = AppState {
			// Nothing listens on port 9: a handler that reaches the chain gets a named error.
			chain: Chain::with_genesis("http://127.0.0.1:9", H256::repeat_byte(2)).unwrap(),
			enclave: Arc::new(SimulatedEnclave::new(0, 86_400)),
			sync: Arc::new(RwLock::new(sync)),
			cell_precision: 7,
		};
		std::thread::spawn(move || {
			tokio::runtime::Runtime::new().unwrap().block_on(async move {
				listener.set_nonblocking(true).unwrap();
				let listener = tokio::net::TcpListener::from_std(listener).unwrap();
				axum::serve(listener, router(state)).await.unwrap();
			})
		});
		port
	}

	/// One request; the status and the body.
	fn call(port: u16, method: &str, path: &str, body: &[u8]) -> (u16, String) {
		for _ in 0..50 {
			if let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) {
				write!(
					s,
					"{method} {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
					 Content-Length: {}\r\nConnection: close\r\n\r\n",
					body.len()
				)
				.unwrap();
				s.write_all(body).unwrap();
				let mut out = String::new();
				s.read_to_string(&mut out).unwrap();
				let status = out.split(' ').nth(1).unwrap().parse().unwrap();
				return (status, out.split_once("\r\n\r\n").unwrap().1.to_string());
			}
			std::thread::sleep(std::time::Duration::from_millis(20));
		}
		panic!("the service did not start")
	}

	fn error_name(body: &str) -> String {
		serde_json::from_str::<serde_json::Value>(body).unwrap()["error"].as_str().unwrap().into()
	}

	#[test]
	fn malformed_requests_get_named_errors_and_the_service_stays_up() {
		let port = serve(true);
		let (status, body) = call(port, "POST", JOB_PATH, b"\x01\x02");
		assert_eq!((status, error_name(&body).as_str()), (400, "MalformedRequest"));
		let (status, _) = call(port, "POST", JOB_PATH, &[0u8; 4_096]);
		assert_eq!(status, 413, "a job request is a few bytes");
		let (status, _) = call(port, "POST", "/v1/query", b"{not json");
		assert_eq!(status, 400);
		let empty = br#"{"issuedAt": 0, "proofs": []}"#;
		let (status, body) = call(port, "POST", "/v1/query", empty);
		assert_eq!((status, error_name(&body).as_str()), (400, "MalformedQuery"));
		let stale =
			br#"{"issuedAt": 1, "proofs": [{"day": 1, "pseudonym": "0x00", "signature": "0x00"}]}"#;
		let (status, body) = call(port, "POST", "/v1/query", stale);
		assert_eq!((status, error_name(&body).as_str()), (401, "StaleQuery"));
		// A well-formed job request with no node behind: a named gateway error.
		let job = JobRequest { case: 1, round: 0 }.encode();
		let (status, body) = call(port, "POST", JOB_PATH, &job);
		assert_eq!((status, error_name(&body).as_str()), (502, "ChainUnavailable"));
		// Still serving, and the statistics are counts only.
		let (status, body) = call(port, "GET", "/v1/statistics", b"");
		assert_eq!(status, 200);
		let stats: serde_json::Value = serde_json::from_str(&body).unwrap();
		assert_eq!((stats["points"].as_u64(), stats["syncedBlock"].as_u64()), (Some(0), Some(7)));
		let (status, body) = call(port, "GET", "/v1/attestation", b"");
		assert_eq!(status, 200);
		assert!(body.contains("\"mode\":\"simulation\""));
	}

	#[test]
	fn before_the_first_finalized_block_jobs_are_unavailable() {
		let port = serve(false);
		let job = JobRequest { case: 1, round: 0 }.encode();
		let (status, body) = call(port, "POST", JOB_PATH, &job);
		assert_eq!((status, error_name(&body).as_str()), (503, "NotSynced"));
	}
}

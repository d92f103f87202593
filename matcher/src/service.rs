//! The HTTP service.
//!
//! | endpoint | what |
//! |---|---|
//! | `GET /v1/attestation` | keys, measurement, report (JSON) |
//! | `POST /v1/jobs` | a SCALE [`JobRequest`]; `200` SCALE `(MatchResult, [u8; 64])`, `204` nothing new, `400` malformed, `404` no such job, `409` the matcher's finalized view is at another round or part, `410` cancelled, `422` SCALE `(CoverageGap, [u8; 64])`: batches of the case's window are sealed to keys this matcher does not hold, so it signs no result (one would miss their contacts) but this signed gap, which the off-chain worker puts on chain (`Notifications::report_gap`), or `503` not synced |
//! | `POST /v1/query` | Wen et al.'s pull mode, sealed: a user proves control of their pseudonyms inside a query sealed to the enclave (`{sealingKey, ephemeral, ciphertext}`, see `epichain_primitives::query`) and gets `{asOf, reply}`, their own exposures sealed back to them (`gap` inside names batches of those days it could not open); at most [`QUERIES_PER_MINUTE`] from one address (`429 RateLimited`) |
//! | `POST /v1/provision` | a new replica's SCALE [`ProvisionRequest`]: its attestation, admitted by the region's rule as the chain holds it at the finalized head (allow-list, TCB statuses, whether simulation is allowed, the chain's clock), its report data binding this matcher's signing key and the replica's one-time key; `200` SCALE [`SealedKeys`](epichain_enclave::provision::SealedKeys), the matcher's keys sealed to that key (see `epichain_enclave::provision`); `403` the refusal's name (`SimulationNotAllowed`, `QuoteInvalid`, `MeasurementNotAllowed`, `ReportDataMismatch`, ...), `409` `NotThisMatcher`, `400` malformed |
//! | `GET /v1/statistics` | aggregate counts (JSON) |
//! | `GET /health` | the synced finalized block (JSON) |
//!
//! Errors are JSON `{"error": name, "message": text}`. Nothing here returns or logs a stay.

use std::{
	collections::HashMap,
	net::{IpAddr, SocketAddr},
	sync::{Arc, RwLock},
	time::{SystemTime, UNIX_EPOCH},
};

use axum::{
	body::Bytes,
	extract::{
		rejection::{BytesRejection, JsonRejection},
		ConnectInfo, DefaultBodyLimit, State,
	},
	http::{header, StatusCode},
	response::{IntoResponse, Response},
	routing::{get, post},
	Json, Router,
};
use codec::{DecodeAll, Encode};
use epichain_api::runtime::{
	self,
	runtime_types::pallet_notifications::types::{Job, JobStatus},
};
use epichain_primitives::{
	diagnosis::CaseId,
	matching::{JobRequest, RiskParams, JOB_PATH},
	SECONDS_PER_DAY,
};
use serde::Deserialize;
use serde_json::json;

use epichain_enclave::{
	provision::{ProvisionError, ProvisionRequest},
	Enclave, JudgeRequest, QueryError, Verdict, MAX_QUERY_PROOFS, QUERY_MAX_SKEW_SECS,
};
use epichain_primitives::query::SealedQuery;

use crate::{
	chain::{as_primitive, node_error, At, Chain, ChainError, ChainResult},
	follower::SyncState,
};

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
	/// Pull queries' rate limits and their chain reads.
	pub limits: Arc<QueryLimits>,
}

impl AppState {
	/// The state of a service over `chain` and `enclave`, synced as far as `sync` says,
	/// answering at most `queries_per_minute` pull queries a minute from one address.
	pub fn new(
		chain: Chain,
		enclave: Arc<dyn Enclave>,
		sync: Arc<RwLock<SyncState>>,
		queries_per_minute: u32,
	) -> Self {
		Self { chain, enclave, sync, limits: Arc::new(QueryLimits::new(queries_per_minute)) }
	}
}

/// The service's routes.
pub fn router(state: AppState) -> Router {
	Router::new()
		.route("/v1/attestation", get(attestation))
		.route(JOB_PATH, post(job).layer(DefaultBodyLimit::max(1_024)))
		.route(
			"/v1/query",
			post(query)
				.layer(DefaultBodyLimit::max(64 * 1_024))
				.options(query_preflight)
				.layer(axum::middleware::map_response(readable_by_pages)),
		)
		.route("/v1/provision", post(provision).layer(DefaultBodyLimit::max(PROVISION_BODY_LIMIT)))
		.route(
			"/v1/statistics",
			get(statistics).layer(axum::middleware::map_response(readable_by_pages)),
		)
		.route("/health", get(health))
		.with_state(state)
}

/// Lets any web page read the answer: for public, aggregate answers (the dashboard shows the
/// matcher's counts), and for pull queries, whose question and answer are sealed between the
/// enclave and the device that proved its pseudonyms (the citizen's app asks from its own
/// page). Job requests and key provisioning are not readable by pages.
async fn readable_by_pages(mut response: Response) -> Response {
	response
		.headers_mut()
		.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, header::HeaderValue::from_static("*"));
	response
}

/// The browser's preflight of a pull query from a web page: a JSON `POST` from any origin.
async fn query_preflight() -> impl IntoResponse {
	(
		StatusCode::NO_CONTENT,
		[
			(header::ACCESS_CONTROL_ALLOW_METHODS, "POST"),
			(header::ACCESS_CONTROL_ALLOW_HEADERS, "content-type"),
			(header::ACCESS_CONTROL_MAX_AGE, "600"),
		],
	)
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

/// The runtime's bounds on one result (exposures, cells), from its metadata's constants at
/// `at`, handed to the enclave with each job.
fn result_bounds(at: &At) -> ChainResult<(u32, u32)> {
	let notifications = runtime::constants().notifications();
	let constants = at.constants();
	Ok((
		constants.entry(notifications.max_exposures_per_result()).map_err(node_error)?,
		constants.entry(notifications.max_cells_per_result()).map_err(node_error)?,
	))
}

/// The chain's risk rule at `at` (proven storage).
async fn risk_params(chain: &Chain, at: &At) -> Result<RiskParams, ApiError> {
	let rule = chain.fetch(at, runtime::storage().notifications().params(), ()).await;
	let rule =
		rule.map_err(chain_error)?.ok_or_else(|| chain_error(ChainError::Decode("risk rule")))?;
	as_primitive(&rule, "risk rule").map_err(chain_error)
}

/// The part the chain expects next of `job` (0 when no round is under way).
fn next_part(job: &Job) -> u32 {
	job.in_progress.as_ref().map_or(0, |p| p.next_part)
}

/// Reads job `case` at the synced block `at` and turns it into a judge request under `params`
/// (the rule at that block).
async fn judge_request(
	s: &AppState,
	at: &At,
	case: CaseId,
	sync: &SyncState,
	params: &RiskParams,
) -> Result<Option<(Job, JudgeRequest)>, ApiError> {
	// The job and its case from proven storage: a node cannot swap the pseudonyms judged.
	let job = s.chain.fetch(at, runtime::storage().notifications().jobs(), (case,)).await;
	let Some(job) = job.map_err(chain_error)? else { return Ok(None) };
	let request = request_of(s, at, case, &job, sync, params).await?;
	Ok(Some((job, request)))
}

/// The judge request of `case`'s `job` (read from proven storage) at `at`.
async fn request_of(
	s: &AppState,
	at: &At,
	case: CaseId,
	job: &Job,
	sync: &SyncState,
	params: &RiskParams,
) -> Result<JudgeRequest, ApiError> {
	let number = at.block_number() as u32;
	let params = params.clone();
	let record = s.chain.fetch(at, runtime::storage().diagnosis().cases(), (case,)).await;
	let record = record.map_err(chain_error)?;
	// Visits from the start of the endorsement day on count as after the endorsement.
	let endorsed_at =
		record.map_or(job.window.0.last as u64, |r| r.endorsed_day as u64) * SECONDS_PER_DAY;
	let (max_exposures, max_cells) = result_bounds(at).map_err(chain_error)?;
	let request = JudgeRequest {
		genesis: s.chain.genesis.0,
		case,
		round: job.next_round,
		part: next_part(job),
		window: job.window.0,
		pseudonyms: job.pseudonyms.0.clone(),
		endorsed_at,
		as_of: number,
		since: (job.next_round > 0).then_some(job.last_as_of),
		opened_at: job.opened_at,
		params,
		materials: sync.materials.clone(),
		materials_at: number,
		registered: sync.registered.clone(),
		// Read for a job's result only (a pull query names no one else): see
		// `as_judged_for_its_round`.
		cases: Default::default(),
		max_exposures,
		max_cells,
	};
	Ok(request)
}

/// A round is judged at one block: a later part at the round's block, under that block's rule,
/// registered places and cases, so that every part pages the same judgement. `synced` is the
/// block `request` was read at.
async fn as_judged_for_its_round(
	s: &AppState,
	job: &Job,
	mut request: JudgeRequest,
	synced: At,
) -> Result<JudgeRequest, ApiError> {
	let mut at = synced;
	if let Some(round) = &job.in_progress {
		if round.as_of != request.materials_at {
			at = s.chain.at_number(round.as_of).await.map_err(chain_error)?;
			request.params = risk_params(&s.chain, &at).await?;
			request.materials =
				Arc::new(crate::follower::materials(&s.chain, &at).await.map_err(chain_error)?);
			request.registered =
				Arc::new(crate::follower::registered(&s.chain, &at).await.map_err(chain_error)?);
			request.materials_at = round.as_of;
		}
		request.as_of = round.as_of;
	}
	request.cases = Arc::new(
		crate::follower::cases(&s.chain, &at, job.window.0.first..=job.closes_on)
			.await
			.map_err(chain_error)?,
	);
	Ok(request)
}

/// A body the extractor refused (over the route's limit, unreadable): a named error.
fn unreadable(status: StatusCode, name: &'static str) -> ApiError {
	let message = match status {
		StatusCode::PAYLOAD_TOO_LARGE => "the body is over this route's limit",
		_ => "the body could not be read",
	};
	ApiError(status, name, message.into())
}

/// A SCALE body of type `T` (named `what` in the error): `RequestTooLarge` over the route's
/// limit, else `MalformedRequest` when it cannot be read or does not decode whole.
fn scale_body<T: codec::Decode>(
	body: Result<Bytes, BytesRejection>,
	what: &str,
) -> Result<T, ApiError> {
	let body = body.map_err(|e| match e.status() {
		StatusCode::PAYLOAD_TOO_LARGE => unreadable(e.status(), "RequestTooLarge"),
		status => unreadable(status, "MalformedRequest"),
	})?;
	T::decode_all(&mut &body[..]).map_err(|_| {
		ApiError(StatusCode::BAD_REQUEST, "MalformedRequest", format!("expected a SCALE {what}"))
	})
}

/// The largest provisioning request: a DCAP quote (16 KiB) and its collateral (five items of
/// at most 64 KiB).
pub const PROVISION_BODY_LIMIT: usize = 400 * 1_024;

async fn provision(
	State(s): State<AppState>,
	body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
	let request: ProvisionRequest = scale_body(body, "ProvisionRequest")?;
	// The region's rule as the finalized chain holds it, every value proven.
	let at = s.chain.finalized().await.map_err(chain_error)?;
	let matchers = runtime::storage().matchers();
	let policy =
		s.chain.fetch(&at, matchers.attestation_policy(), ()).await.map_err(chain_error)?;
	let simulation =
		s.chain.fetch(&at, matchers.simulation_allowed(), ()).await.map_err(chain_error)?;
	let now = s.chain.now_secs(&at).await.map_err(chain_error)?;
	let (policy, simulation) = (policy.map(|p| p.0).unwrap_or_default(), simulation == Some(true));
	let (genesis, enclave) = (s.chain.genesis.0, s.enclave.clone());
	let outcome = tokio::task::spawn_blocking(move || {
		enclave.provision(&genesis, &request, &policy, simulation, now)
	})
	.await
	.map_err(|e| {
		ApiError(StatusCode::INTERNAL_SERVER_ERROR, "ProvisioningFailed", e.to_string())
	})?;
	match outcome {
		Ok((keys, admitted)) => {
			tracing::info!(
				"keys provisioned to a new replica: {:?} measurement {} admitted at finalized \
				 block {}",
				admitted.tee,
				epichain_primitives::hex0x::encode(&admitted.measurement),
				at.block_number()
			);
			Ok(([(header::CONTENT_TYPE, "application/octet-stream")], keys.encode())
				.into_response())
		},
		Err(e) => {
			tracing::warn!("a replica's request for the keys refused: {e}");
			let status = match e {
				ProvisionError::Refused(_) => StatusCode::FORBIDDEN,
				ProvisionError::NotThisMatcher => StatusCode::CONFLICT,
				ProvisionError::WeakKey => StatusCode::BAD_REQUEST,
				_ => StatusCode::INTERNAL_SERVER_ERROR,
			};
			Err(ApiError(status, e.name(), e.to_string()))
		},
	}
}

async fn job(
	State(s): State<AppState>,
	body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
	let request: JobRequest = scale_body(body, "JobRequest")?;
	let sync = s.sync.read().expect("sync lock").clone();
	let (number, synced_hash) = sync.synced.ok_or_else(not_synced)?;
	let at = s.chain.at(synced_hash).await.map_err(chain_error)?;
	let params = risk_params(&s.chain, &at).await?;
	let (job, judge) =
		judge_request(&s, &at, request.case, &sync, &params).await?.ok_or_else(|| {
			ApiError(
				StatusCode::NOT_FOUND,
				"UnknownJob",
				format!("no job for case {}", request.case),
			)
		})?;
	if job.status == JobStatus::Cancelled {
		return Err(ApiError(StatusCode::GONE, "JobCancelled", "the case was revoked".into()));
	}
	if (job.next_round, next_part(&job)) != (request.round, request.part) {
		return Err(ApiError(
			StatusCode::CONFLICT,
			"RoundMismatch",
			format!(
				"finalized block {number} expects round {} part {}",
				job.next_round,
				next_part(&job)
			),
		));
	}
	if job.last_as_of > number {
		return Err(not_synced());
	}
	let judge = as_judged_for_its_round(&s, &job, judge, at).await?;
	let enclave = s.enclave.clone();
	let verdict =
		tokio::task::spawn_blocking(move || enclave.judge(&judge)).await.map_err(|e| {
			ApiError(StatusCode::INTERNAL_SERVER_ERROR, "JudgementFailed", e.to_string())
		})?;
	match verdict {
		Verdict::NothingNew => Ok(StatusCode::NO_CONTENT.into_response()),
		Verdict::Incomplete { gap, signature } => {
			tracing::warn!(
				"case {}: not signed: {} batches of days {}..={} in its window are sealed to keys \
				 this matcher does not hold; its signed gap goes to the chain, and the job stays \
				 open for a matcher that holds them",
				request.case,
				gap.batches,
				gap.first_day,
				gap.last_day
			);
			Ok((
				StatusCode::UNPROCESSABLE_ENTITY,
				[(header::CONTENT_TYPE, "application/octet-stream")],
				(gap, signature).encode(),
			)
				.into_response())
		},
		Verdict::NoSuchPart { parts } => Err(ApiError(
			StatusCode::CONFLICT,
			"NoSuchPart",
			format!("round {} has {parts} parts here", request.round),
		)),
		Verdict::Signed { result, signature } => {
			tracing::info!(
				"case {} round {} part {}/{} as of block {}: signed ({} exposures, {} cells)",
				result.case,
				result.round,
				result.part + 1,
				result.parts,
				result.as_of,
				result.exposures.len(),
				result.cells.len(),
			);
			Ok(([(header::CONTENT_TYPE, "application/octet-stream")], (result, signature).encode())
				.into_response())
		},
	}
}

/// A sealed pull query as JSON (the fields of
/// [`SealedQuery`], 0x-hex).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct QueryBody {
	/// The enclave sealing key the query is sealed to.
	pub sealing_key: String,
	/// The user's one-time public key.
	pub ephemeral: String,
	/// The sealed query.
	pub ciphertext: String,
}

fn bad_query(message: impl Into<String>) -> ApiError {
	ApiError(StatusCode::BAD_REQUEST, "MalformedQuery", message.into())
}

fn hex_array<const N: usize>(s: &str) -> Result<[u8; N], ApiError> {
	epichain_primitives::hex0x::decode_array(s)
		.map_err(|e| bad_query(format!("expected {N} bytes of 0x-hex: {e}")))
}

/// An enclave's refusal of a query, as an answer.
fn refused(e: QueryError) -> ApiError {
	let (status, message) = match e {
		QueryError::UnknownKey => (
			StatusCode::CONFLICT,
			"sealed to a key this enclave does not hold: seal to /v1/attestation's sealingKey"
				.to_string(),
		),
		QueryError::Unauthentic => (StatusCode::BAD_REQUEST, "the query does not open".into()),
		QueryError::Stale => (
			StatusCode::UNAUTHORIZED,
			format!("issuedAt must be within {QUERY_MAX_SKEW_SECS} s of now"),
		),
		QueryError::Replayed => (StatusCode::CONFLICT, "this query was seen before".into()),
		QueryError::BadProofCount => {
			(StatusCode::BAD_REQUEST, format!("1 to {MAX_QUERY_PROOFS} proofs"))
		},
		QueryError::NoValidProof => (
			StatusCode::UNAUTHORIZED,
			"no pseudonym signature verified over the query message".into(),
		),
		QueryError::Busy => {
			(StatusCode::SERVICE_UNAVAILABLE, "too many queries at once; ask again later".into())
		},
		QueryError::UnknownQuery => {
			(StatusCode::GATEWAY_TIMEOUT, "the query expired before its answer".into())
		},
	};
	ApiError(status, e.name(), message)
}

/// Queries allowed from one address in a minute, by default (`--queries-per-minute`).
pub const QUERIES_PER_MINUTE: u32 = 6;

/// A fixed-window count of queries by source address.
pub struct QueryLimits {
	/// Queries allowed from one address in a minute.
	per_minute: u32,
	/// The minute counted and each address's queries in it.
	window: std::sync::Mutex<(u64, HashMap<IpAddr, u32>)>,
	/// The open jobs as judge requests, read once per synced block for every query.
	cases: tokio::sync::Mutex<Option<(u32, Arc<Vec<JudgeRequest>>)>>,
}

impl QueryLimits {
	/// At most `per_minute` queries a minute from one address.
	pub fn new(per_minute: u32) -> Self {
		Self { per_minute, window: Default::default(), cases: Default::default() }
	}

	/// Counts a query from `source` at unix second `now`; false when over the limit.
	pub fn admit(&self, source: IpAddr, now: u64) -> bool {
		let mut window = self.window.lock().expect("limits lock");
		let minute = now / 60;
		if window.0 != minute {
			*window = (minute, HashMap::new());
		}
		let count = window.1.entry(source).or_default();
		*count = count.saturating_add(1);
		*count <= self.per_minute
	}
}

/// The open jobs at the synced block, as judge requests (read from the chain once per block).
///
/// Every job in state is walked from proven storage (`Notifications::Jobs`, complete by
/// [`Chain::walk`]) and the open ones kept by the runtime's rule (open, and today no later than
/// its last day, by the chain's proven clock): a node can neither hide a case from a pull query,
/// which would report fewer exposures than there are, nor add one.
async fn open_cases(s: &AppState, sync: &SyncState) -> Result<Arc<Vec<JudgeRequest>>, ApiError> {
	let (number, hash) = sync.synced.ok_or_else(not_synced)?;
	let mut cached = s.limits.cases.lock().await;
	if let Some((at, cases)) = cached.as_ref() {
		if *at == number {
			return Ok(cases.clone());
		}
	}
	let at = s.chain.at(hash).await.map_err(chain_error)?;
	let today = (s.chain.now_secs(&at).await.map_err(chain_error)? / SECONDS_PER_DAY) as u32;
	let jobs = s.chain.walk(&at, runtime::storage().notifications().jobs(), ()).await;
	// One rule for every job: read it once.
	let params = risk_params(&s.chain, &at).await?;
	let mut cases = Vec::new();
	for (key, job) in jobs.map_err(chain_error)? {
		if !matches!(job.status, JobStatus::Open) || today > job.closes_on {
			continue;
		}
		if cases.len() as u32 >= MAX_QUERY_JOBS {
			break;
		}
		let case = crate::chain::last_key_part::<CaseId>(&at, "Notifications", "Jobs", &key)
			.map_err(chain_error)?;
		let mut request = request_of(s, &at, case, &job, sync, &params).await?;
		request.since = None;
		cases.push(request);
	}
	let cases = Arc::new(cases);
	*cached = Some((number, cases.clone()));
	Ok(cases)
}

async fn query(
	State(s): State<AppState>,
	source: Option<ConnectInfo<SocketAddr>>,
	body: Result<Json<QueryBody>, JsonRejection>,
) -> Result<Response, ApiError> {
	let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
	let source = source.map_or(IpAddr::from([0, 0, 0, 0]), |ConnectInfo(a)| a.ip());
	if !s.limits.admit(source, now) {
		return Err(ApiError(
			StatusCode::TOO_MANY_REQUESTS,
			"RateLimited",
			format!("at most {} queries a minute from one address", s.limits.per_minute),
		));
	}
	// The extractor's own message may quote the body; the error names the fault only.
	let Json(body) = body.map_err(|e| match e.status() {
		StatusCode::PAYLOAD_TOO_LARGE => unreadable(e.status(), "RequestTooLarge"),
		_ => bad_query("expected a JSON sealed query: {sealingKey, ephemeral, ciphertext}"),
	})?;
	let sealed = SealedQuery {
		sealing_key: hex_array(&body.sealing_key)?,
		ephemeral: hex_array(&body.ephemeral)?,
		ciphertext: epichain_primitives::hex0x::decode(&body.ciphertext)
			.map_err(|e| bad_query(format!("ciphertext: {e}")))?,
	};
	// The enclave opens the query and checks its proofs before anything is read from the
	// chain: a query that proves nothing costs no chain call.
	let handle = s.enclave.open_query(&s.chain.genesis.0, &sealed, now).map_err(refused)?;
	let sync = s.sync.read().expect("sync lock").clone();
	let (number, _) = sync.synced.ok_or_else(not_synced)?;
	let cases = open_cases(&s, &sync).await?;
	let enclave = s.enclave.clone();
	let reply = tokio::task::spawn_blocking(move || enclave.answer_query(handle, &cases))
		.await
		.map_err(|e| ApiError(StatusCode::INTERNAL_SERVER_ERROR, "QueryFailed", e.to_string()))?
		.map_err(refused)?;
	Ok(Json(json!({ "asOf": number, "reply": epichain_primitives::hex0x::encode(&reply) }))
		.into_response())
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::chain::H256;
	use epichain_enclave::SimulatedEnclave;
	use std::io::{Read, Write};

	/// Serves the routes on a free port with no node behind them; returns the port.
	fn serve(synced: bool) -> u16 {
		serve_limited(synced, u32::MAX)
	}

	/// [`serve`] with at most `per_minute` queries a minute from one address.
	fn serve_limited(synced: bool, per_minute: u32) -> u16 {
		let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
		let port = listener.local_addr().unwrap().port();
		let sync =
			SyncState { synced: synced.then_some((7, H256::repeat_byte(1))), ..Default::default() };
		let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
		let state = AppState::new(
			// Nothing listens on port 9: a handler that reaches the chain gets a named error.
			Chain::with_checkpoint(
				"http://127.0.0.1:9",
				crate::finality::Checkpoint::genesis(H256::repeat_byte(2), vec![]),
			)
			.unwrap(),
			Arc::new(SimulatedEnclave::new(now, 86_400)),
			Arc::new(RwLock::new(sync)),
			per_minute,
		);
		std::thread::spawn(move || {
			tokio::runtime::Runtime::new().unwrap().block_on(async move {
				listener.set_nonblocking(true).unwrap();
				let listener = tokio::net::TcpListener::from_std(listener).unwrap();
				let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
				axum::serve(listener, app).await.unwrap();
			})
		});
		port
	}

	/// A query for chain [`GENESIS`](H256::repeat_byte(2)) sealed to the service's enclave,
	/// proving `key`'s pseudonym (signed by `signer`) at `issued_at`, as JSON.
	fn sealed_query(
		port: u16,
		issued_at: u64,
		nonce: u8,
		key: &epichain_primitives::pseudonym::PseudonymKey,
		signer: &epichain_primitives::pseudonym::PseudonymKey,
	) -> Vec<u8> {
		use epichain_primitives::{hex0x, query::*};
		let (_, attestation) = call(port, "GET", "/v1/attestation", b"");
		let attestation: serde_json::Value = serde_json::from_str(&attestation).unwrap();
		let matcher: [u8; 32] =
			hex0x::decode_array(attestation["signingKey"].as_str().unwrap()).unwrap();
		let sealing: [u8; 32] =
			hex0x::decode_array(attestation["sealingKey"].as_str().unwrap()).unwrap();
		let genesis = [2u8; 32];
		let message = epichain_primitives::signing::query_message(&genesis, &matcher, issued_at);
		let query = QueryPlain {
			issued_at,
			nonce: [nonce; 16],
			proofs: vec![QueryProof {
				day: 20_000,
				pseudonym: key.public(),
				signature: signer.sign(&message),
			}],
		};
		let (sealed, _) = seal_query(&genesis, &sealing, &query).unwrap();
		json!({
			"sealingKey": hex0x::encode(&sealed.sealing_key),
			"ephemeral": hex0x::encode(&sealed.ephemeral),
			"ciphertext": hex0x::encode(&sealed.ciphertext),
		})
		.to_string()
		.into_bytes()
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

	/// One request; the status line and headers, lower-cased.
	fn head(port: u16, method: &str, path: &str, body: &[u8]) -> String {
		let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
		write!(
			s,
			"{method} {path} HTTP/1.1\r\nHost: x\r\nOrigin: http://app.test\r\n\
			 Access-Control-Request-Method: POST\r\nContent-Type: application/json\r\n\
			 Content-Length: {}\r\nConnection: close\r\n\r\n",
			body.len()
		)
		.unwrap();
		s.write_all(body).unwrap();
		let mut out = String::new();
		s.read_to_string(&mut out).unwrap();
		out.split_once("\r\n\r\n").unwrap().0.to_lowercase()
	}

	#[test]
	fn a_web_page_may_send_a_pull_query_and_read_its_answer_but_not_a_jobs() {
		let port = serve(true);
		call(port, "GET", "/health", b"");
		let preflight = head(port, "OPTIONS", "/v1/query", b"");
		assert!(preflight.starts_with("http/1.1 204"), "{preflight}");
		for line in [
			"access-control-allow-origin: *",
			"access-control-allow-methods: post",
			"access-control-allow-headers: content-type",
		] {
			assert!(preflight.contains(line), "{line} in {preflight}");
		}
		// The answer (here a refusal by name) is readable by the page.
		let refused = head(port, "POST", "/v1/query", b"{}");
		assert!(refused.starts_with("http/1.1 400"), "{refused}");
		assert!(refused.contains("access-control-allow-origin: *"), "{refused}");
		// Job requests are for off-chain workers, not pages.
		let job = head(port, "POST", JOB_PATH, &JobRequest { case: 1, round: 0, part: 0 }.encode());
		assert!(!job.contains("access-control-allow-origin"), "{job}");
		assert!(head(port, "OPTIONS", JOB_PATH, b"").starts_with("http/1.1 405"));
	}

	fn error_name(body: &str) -> String {
		serde_json::from_str::<serde_json::Value>(body).unwrap()["error"].as_str().unwrap().into()
	}

	#[test]
	fn malformed_requests_get_named_errors_and_the_service_stays_up() {
		let port = serve(true);
		let (status, body) = call(port, "POST", JOB_PATH, b"\x01\x02");
		assert_eq!((status, error_name(&body).as_str()), (400, "MalformedRequest"));
		let (status, body) = call(port, "POST", JOB_PATH, &[0u8; 4_096]);
		assert_eq!((status, error_name(&body).as_str()), (413, "RequestTooLarge"));
		let (status, body) = call(port, "POST", "/v1/query", b"{not json");
		assert_eq!((status, error_name(&body).as_str()), (400, "MalformedQuery"));
		// The old clear-text query is no longer understood.
		let clear = br#"{"issuedAt": 0, "proofs": []}"#;
		let (status, body) = call(port, "POST", "/v1/query", clear);
		assert_eq!((status, error_name(&body).as_str()), (400, "MalformedQuery"));
		let elsewhere = format!(
			r#"{{"sealingKey": "0x{}", "ephemeral": "0x{}", "ciphertext": "0x00"}}"#,
			"09".repeat(32),
			"09".repeat(32)
		);
		let (status, body) = call(port, "POST", "/v1/query", elsewhere.as_bytes());
		assert_eq!((status, error_name(&body).as_str()), (409, "UnknownSealingKey"));
		let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
		let me = epichain_primitives::pseudonym::DeviceSeed::generate().pseudonym_key(20_000);
		let someone = epichain_primitives::pseudonym::DeviceSeed::generate().pseudonym_key(20_000);
		let stale = sealed_query(port, 1, 1, &me, &me);
		let (status, body) = call(port, "POST", "/v1/query", &stale);
		assert_eq!((status, error_name(&body).as_str()), (401, "StaleQuery"));
		// A forged proof is refused before any chain read (no node listens: a read would be
		// ChainUnavailable); a proven one goes on to read the open jobs.
		let forged = sealed_query(port, now, 2, &me, &someone);
		let (status, body) = call(port, "POST", "/v1/query", &forged);
		assert_eq!((status, error_name(&body).as_str()), (401, "NoValidProof"));
		let proven = sealed_query(port, now, 3, &me, &me);
		let (status, body) = call(port, "POST", "/v1/query", &proven);
		assert_eq!((status, error_name(&body).as_str()), (502, "ChainUnavailable"));
		// The same sealed query again is a replay.
		let (status, body) = call(port, "POST", "/v1/query", &proven);
		assert_eq!((status, error_name(&body).as_str()), (409, "ReplayedQuery"));
		// A well-formed job request with no node behind: a named gateway error.
		let job = JobRequest { case: 1, round: 0, part: 0 }.encode();
		let (status, body) = call(port, "POST", JOB_PATH, &job);
		assert_eq!((status, error_name(&body).as_str()), (502, "ChainUnavailable"));
		// Still serving, and the statistics are counts only.
		let (status, body) = call(port, "GET", "/v1/statistics", b"");
		assert_eq!(status, 200);
		let stats: serde_json::Value = serde_json::from_str(&body).unwrap();
		assert_eq!((stats["stays"].as_u64(), stats["syncedBlock"].as_u64()), (Some(0), Some(7)));
		let (status, body) = call(port, "GET", "/v1/attestation", b"");
		assert_eq!(status, 200);
		assert!(body.contains("\"mode\":\"simulation\""));
	}

	#[test]
	fn before_the_first_finalized_block_jobs_are_unavailable() {
		let port = serve(false);
		let job = JobRequest { case: 1, round: 0, part: 0 }.encode();
		let (status, body) = call(port, "POST", JOB_PATH, &job);
		assert_eq!((status, error_name(&body).as_str()), (503, "NotSynced"));
	}

	/// Every error name the routes answer with.
	const NAMED: [&str; 17] = [
		"Busy",
		"UnknownQuery",
		"MalformedRequest",
		"RequestTooLarge",
		"MalformedQuery",
		"StaleQuery",
		"UnknownSealingKey",
		"ReplayedQuery",
		"BadProofCount",
		"NotSynced",
		"ChainUnavailable",
		"UnknownJob",
		"JobCancelled",
		"RoundMismatch",
		"NoValidProof",
		"JudgementFailed",
		"QueryFailed",
	];

	/// Everything the process logged since [`fuzzed`] started, and the service's port.
	fn fuzzed() -> (u16, Arc<std::sync::Mutex<Vec<u8>>>) {
		static SERVICE: std::sync::OnceLock<(u16, Arc<std::sync::Mutex<Vec<u8>>>)> =
			std::sync::OnceLock::new();
		SERVICE
			.get_or_init(|| {
				let log = Arc::new(std::sync::Mutex::new(Vec::new()));
				let sink = log.clone();
				// Everything the matcher logs, at every level; its dependencies' own tracing
				// (hyper, jsonrpsee) at warnings.
				let subscriber = tracing_subscriber::fmt()
					.with_env_filter(tracing_subscriber::EnvFilter::new(
						"warn,epichain_matcher=trace",
					))
					.with_writer(move || LogSink(sink.clone()))
					.finish();
				let _ = tracing::subscriber::set_global_default(subscriber);
				(serve(true), log)
			})
			.clone()
	}

	/// A `tracing` writer appending to a shared buffer.
	struct LogSink(Arc<std::sync::Mutex<Vec<u8>>>);

	impl Write for LogSink {
		fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
			self.0.lock().unwrap().extend_from_slice(buf);
			Ok(buf.len())
		}
		fn flush(&mut self) -> std::io::Result<()> {
			Ok(())
		}
	}

	/// Query bodies from well-formed to broken: wrong types, extra fields, bad hex, stale or
	/// fresh times, too many proofs.
	fn query_body() -> impl proptest::strategy::Strategy<Value = Vec<u8>> {
		use proptest::prelude::*;
		let hex = || "(0x)?[0-9a-fx]{0,80}";
		(hex(), hex(), "(0x)?[0-9a-f]{0,400}", 0..4u8).prop_map(
			|(sealing_key, ephemeral, ciphertext, shape)| {
				let body = match shape {
					0 => json!({"sealingKey": sealing_key, "ephemeral": ephemeral, "ciphertext": ciphertext}),
					1 => json!({"sealingKey": sealing_key, "ciphertext": ciphertext}),
					2 => json!({"sealingKey": sealing_key, "ephemeral": ephemeral, "ciphertext": ciphertext, "proofs": []}),
					_ => json!([sealing_key, ephemeral, ciphertext]),
				};
				body.to_string().into_bytes()
			},
		)
	}

	#[test]
	fn queries_over_the_rate_from_one_address_are_refused_by_name() {
		let port = serve_limited(true, 2);
		for _ in 0..2 {
			let (status, body) = call(port, "POST", "/v1/query", b"{}");
			assert_eq!((status, error_name(&body).as_str()), (400, "MalformedQuery"));
		}
		let (status, body) = call(port, "POST", "/v1/query", b"{}");
		assert_eq!((status, error_name(&body).as_str()), (429, "RateLimited"));
		// Other routes are not limited.
		assert_eq!(call(port, "GET", "/health", b"").0, 200);
	}

	proptest::proptest! {
		#![proptest_config(proptest::prelude::ProptestConfig {
			cases: 1_500,
			failure_persistence: None,
			..Default::default()
		})]

		/// Random requests to every route: each error is a status with a name from [`NAMED`]
		/// (unknown routes 404, wrong methods 405), the service keeps answering, and no
		/// request's content reaches the log.
		#[test]
		fn random_requests_get_named_errors_and_nothing_reaches_the_log(
			route in 0..4u8,
			method in proptest::sample::select(vec!["POST", "GET", "PUT"]),
			bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..1_500),
			query in query_body(),
			garbage_path in "/[a-z0-9/]{0,24}",
		) {
			let (port, log) = fuzzed();
			log.lock().unwrap().clear();
			let (path, body) = match route {
				0 => (JOB_PATH.to_string(), bytes.clone()),
				1 => ("/v1/query".to_string(), query.clone()),
				2 => ("/v1/query".to_string(), bytes.clone()),
				_ => (garbage_path, bytes.clone()),
			};
			let (status, answer) = call(port, method, &path, &body);
			let ours = method == "POST" && (path == JOB_PATH || path == "/v1/query");
			if ours && status >= 400 {
				let name = error_name(&answer);
				proptest::prop_assert!(NAMED.contains(&name.as_str()), "{status} {name}");
			} else if !ours {
				proptest::prop_assert!([200, 404, 405].contains(&status), "{method} {path}: {status}");
			}
			proptest::prop_assert_eq!(call(port, "GET", "/health", b"").0, 200);
			let log = String::from_utf8_lossy(&log.lock().unwrap()).to_string();
			let ciphertext = serde_json::from_slice::<serde_json::Value>(&query)
				.ok()
				.and_then(|q| q.get("ciphertext").and_then(|c| c.as_str()).map(str::to_string))
				.unwrap_or_default();
			proptest::prop_assert!(ciphertext.len() < 12 || !log.contains(&ciphertext));
			if body.len() >= 8 {
				proptest::prop_assert!(!log.contains(&hex::encode(&body[..8])));
			}
		}
	}
}

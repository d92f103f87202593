//! `epichain locator serve`: the intake of a venue or an app gateway for entries its visitors'
//! phones sealed themselves (`epichain_primitives::csi`, "Device-sealed entries").
//!
//! A phone checks in (it scans the venue's code), checks out, seals its stay to the matcher's
//! current key with a one-time key of its own, and hands the sealed entry here. This service
//! batches the entries it holds, signs each batch with the locator's key and submits it. It
//! never sees a pseudonym, a place or a time: only that some phone handed in an entry for its
//! cell and day.
//!
//! ## HTTP API (JSON; CORS open to `--allow-origin`)
//! - `GET /v1/locator`: `{genesis, locator, region, keyId, today, maxStaysPerEntry}`, what a
//!   phone needs to seal for this locator (the phone takes the sealing key itself from the
//!   chain).
//! - `POST /v1/entries` `{day, keyId, cellPrefix, entry}` (entry: 0x-hex device entry):
//!   `202 {status: "queued", deviceKey}`, or a named refusal: `400 NotADeviceEntry`,
//!   `400 BadRequest`, `409 WrongSealingKey`, `409 DayOutOfRange`, `409 OutsideRegion`,
//!   `409 EntryTooLarge`, `409 AlreadyHandedIn`, `429 RateLimited`, `503 Full`.
//! - `GET /v1/entries/{deviceKey}`: `{status: "queued"}`, `{status: "stored", block}` or
//!   `{status: "refused", reason}` (the chain's error name): the phone learns whether its visit
//!   reached the chain, and can confirm it there (`Csi::UsedDeviceKeys`).
//!
//! ## What it keeps, and what it logs
//! Entries wait in memory only until their batch is stored, then only their one-time key and
//! status are kept (at most [`RECEIPTS`] of them). Logs name counts, batch sizes, blocks and
//! refusals, never an entry, a one-time key or a client address. Each address may hand in
//! `--per-minute` entries a minute (behind a reverse proxy that address is the proxy's: rate
//! limit there). Nothing is written to disk.

use std::{
	collections::{BTreeMap, HashMap, VecDeque},
	net::{IpAddr, SocketAddr},
	sync::{Arc, Mutex},
	time::{Duration, SystemTime, UNIX_EPOCH},
};

use anyhow::{Context, Result};
use axum::{
	extract::{ConnectInfo, DefaultBodyLimit, Path, State},
	http::{header, HeaderValue, Method, Request, StatusCode},
	middleware::{self, Next},
	response::{IntoResponse, Response},
	routing::get,
	Json, Router,
};
use clap::Args;
use epichain_primitives::{
	csi::{EntryKind, EntryShape, SealingKeyId, X25519Public},
	geohash::Geohash,
	hex0x, DayIndex,
};
use serde::Deserialize;
use serde_json::json;

use crate::{
	batches,
	connection::{Connection, Refused, Wait},
	runtime, submit,
};

/// Receipts (one-time key and status) kept for phones to ask about, oldest dropped first.
pub const RECEIPTS: usize = 65_536;

/// Largest request body: one device entry of the most stays a chain allows is far smaller.
const BODY_LIMIT: usize = 16 * 1024;

/// `locator serve` options.
#[derive(Args, Debug)]
pub struct ServeArgs {
	/// The locator's secret URI (a venue or app gateway on the whitelist).
	#[arg(long)]
	pub suri: String,
	/// Address to listen on.
	#[arg(long, default_value = "127.0.0.1:8600")]
	pub listen: SocketAddr,
	/// Seconds between batches: an entry waits at most this long, and one block, to be stored.
	#[arg(long, default_value_t = 30)]
	pub flush_secs: u64,
	/// Entries one client address may hand in per minute.
	#[arg(long, default_value_t = 30)]
	pub per_minute: u32,
	/// Entries waiting for a batch at most; more are refused (`503 Full`) until a batch is
	/// stored.
	#[arg(long, default_value_t = 4_096)]
	pub max_pending: usize,
	/// The origin a browser app may call from (`*`: any).
	#[arg(long, default_value = "*")]
	pub allow_origin: String,
}

/// What the chain says this locator may write, refreshed before every batch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rules {
	/// The locator's region (geohash prefix).
	pub region: Vec<u8>,
	/// The sealing key to seal to now.
	pub key: (SealingKeyId, X25519Public),
	/// Today's day index by the chain's clock.
	pub today: DayIndex,
	/// How many days back an entry may be dated.
	pub max_age_days: u32,
	/// Most stays in one entry.
	pub max_stays_per_entry: u32,
	/// Most entries in one batch.
	pub max_entries: u32,
	/// Most stays in one batch.
	pub stays_per_batch: u32,
}

/// A phone's hand-in, as `POST /v1/entries` reads it.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct HandIn {
	/// The day the entry's stays are of.
	pub day: DayIndex,
	/// The sealing key the phone sealed to.
	pub key_id: SealingKeyId,
	/// The cell prefix the phone sealed for (the venue's cell).
	pub cell_prefix: String,
	/// The device entry, 0x-hex.
	pub entry: String,
}

/// Why a hand-in was refused: the name a phone shows, the HTTP status, and a sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
	/// The HTTP status.
	pub status: StatusCode,
	/// The refusal's name.
	pub name: &'static str,
	/// What was wrong, in words (never the entry's content).
	pub message: String,
}

impl Refusal {
	fn new(status: StatusCode, name: &'static str, message: impl Into<String>) -> Self {
		Self { status, name, message: message.into() }
	}
}

impl IntoResponse for Refusal {
	fn into_response(self) -> Response {
		(self.status, Json(json!({ "error": self.name, "message": self.message }))).into_response()
	}
}

/// Where an entry is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
	/// Waiting for the next batch.
	Queued,
	/// In the block of this number.
	Stored(u64),
	/// Refused by the chain, by its error name.
	Refused(String),
}

/// The batch an entry goes into: same key, day and cell prefix.
pub type Group = (SealingKeyId, DayIndex, Geohash);

/// Entries waiting, receipts, and rate counts: the service's whole memory.
#[derive(Default)]
pub struct Intake {
	/// Entries waiting, by batch group, in arrival order.
	pending: BTreeMap<Group, Vec<(X25519Public, Vec<u8>)>>,
	/// Number of entries in `pending`.
	waiting: usize,
	/// Every entry's status by its one-time key, and the keys in arrival order (to drop the
	/// oldest settled receipts).
	receipts: HashMap<X25519Public, Status>,
	order: VecDeque<X25519Public>,
	/// The minute counted and each address's hand-ins in it.
	minute: (u64, HashMap<IpAddr, u32>),
}

impl Intake {
	/// Checks `hand_in` against `rules` and queues it; the entry's one-time key on success.
	pub fn accept(
		&mut self,
		hand_in: &HandIn,
		rules: &Rules,
		max_pending: usize,
	) -> Result<X25519Public, Refusal> {
		use StatusCode as S;
		let bytes = hex0x::decode(&hand_in.entry)
			.map_err(|_| Refusal::new(S::BAD_REQUEST, "BadRequest", "the entry is not hex"))?;
		let shape =
			EntryShape::of(&bytes).filter(|s| s.kind == EntryKind::Device).ok_or_else(|| {
				Refusal::new(
					S::BAD_REQUEST,
					"NotADeviceEntry",
					"the bytes are not an entry sealed on a device (tag, version or length)",
				)
			})?;
		let device_key = shape.device_key.expect("a device entry has its key; qed");
		let prefix = Geohash::parse(hand_in.cell_prefix.as_bytes()).map_err(|_| {
			Refusal::new(S::BAD_REQUEST, "BadRequest", "the cell prefix is not a geohash")
		})?;
		if hand_in.key_id != rules.key.0 {
			return Err(Refusal::new(
				S::CONFLICT,
				"WrongSealingKey",
				format!(
					"seal to the matcher's current key {}, not {}",
					rules.key.0, hand_in.key_id
				),
			));
		}
		if hand_in.day > rules.today || rules.today - hand_in.day > rules.max_age_days {
			return Err(Refusal::new(
				S::CONFLICT,
				"DayOutOfRange",
				format!(
					"the day must be today or up to {} days before by the chain's clock",
					rules.max_age_days
				),
			));
		}
		if !prefix.is_within(&rules.region)
			|| prefix.len() > epichain_primitives::geohash::POINT_PRECISION
		{
			return Err(Refusal::new(
				S::CONFLICT,
				"OutsideRegion",
				"the cell is not inside this locator's region",
			));
		}
		if shape.stays > rules.max_stays_per_entry {
			return Err(Refusal::new(
				S::CONFLICT,
				"EntryTooLarge",
				format!("an entry holds at most {} stays", rules.max_stays_per_entry),
			));
		}
		if self.receipts.contains_key(&device_key) {
			return Err(Refusal::new(
				S::CONFLICT,
				"AlreadyHandedIn",
				"this entry was handed in before; ask for its status",
			));
		}
		if self.waiting >= max_pending {
			return Err(Refusal::new(
				S::SERVICE_UNAVAILABLE,
				"Full",
				"too many entries are waiting; try again after the next batch",
			));
		}
		let group = (hand_in.key_id, hand_in.day, prefix);
		self.pending.entry(group).or_default().push((device_key, bytes));
		self.waiting += 1;
		self.receipt(device_key, Status::Queued);
		Ok(device_key)
	}

	/// Counts a hand-in from `source` at unix second `now`; false when over `per_minute`.
	pub fn admit(&mut self, source: IpAddr, now: u64, per_minute: u32) -> bool {
		if self.minute.0 != now / 60 {
			self.minute = (now / 60, HashMap::new());
		}
		let count = self.minute.1.entry(source).or_default();
		*count = count.saturating_add(1);
		*count <= per_minute
	}

	/// The status of the entry with one-time key `device_key`.
	pub fn status(&self, device_key: &X25519Public) -> Option<&Status> {
		self.receipts.get(device_key)
	}

	/// Number of entries waiting for a batch.
	pub fn waiting(&self) -> usize {
		self.waiting
	}

	/// Takes the next batch to submit: up to `rules`' bounds from the oldest group.
	pub fn next_batch(&mut self, rules: &Rules) -> Option<(Group, Vec<(X25519Public, Vec<u8>)>)> {
		let group = *self.pending.keys().next()?;
		let queue = self.pending.get_mut(&group)?;
		let (mut entries, mut stays) = (0usize, 0u32);
		for (_, bytes) in queue.iter() {
			let n = EntryShape::of(bytes).map_or(0, |s| s.stays);
			if entries as u32 >= rules.max_entries || stays + n > rules.stays_per_batch {
				break;
			}
			entries += 1;
			stays += n;
		}
		let batch: Vec<_> = queue.drain(..entries.max(1)).collect();
		if queue.is_empty() {
			self.pending.remove(&group);
		}
		self.waiting -= batch.len();
		Some((group, batch))
	}

	/// Puts a batch's entries back at the head of their group (the chain did not take them this
	/// time, for a reason worth retrying).
	pub fn requeue(&mut self, group: Group, mut entries: Vec<(X25519Public, Vec<u8>)>) {
		self.waiting += entries.len();
		let queue = self.pending.entry(group).or_default();
		entries.append(queue);
		*queue = entries;
	}

	/// Records that every entry of a batch is `status`.
	pub fn settle(&mut self, entries: &[(X25519Public, Vec<u8>)], status: Status) {
		for (key, _) in entries {
			self.receipt(*key, status.clone());
		}
	}

	/// Records that the entry with one-time key `device_key` is `status`.
	pub fn receipt(&mut self, device_key: X25519Public, status: Status) {
		if self.receipts.insert(device_key, status).is_none() {
			self.order.push_back(device_key);
		}
		while self.order.len() > RECEIPTS {
			let Some(oldest) = self.order.pop_front() else { break };
			if self.receipts.get(&oldest) == Some(&Status::Queued) {
				// Never forget an entry that is still waiting.
				self.order.push_back(oldest);
				break;
			}
			self.receipts.remove(&oldest);
		}
	}
}

/// What the handlers share.
#[derive(Clone)]
struct Service {
	intake: Arc<Mutex<Intake>>,
	rules: Arc<Mutex<Rules>>,
	genesis: [u8; 32],
	locator: String,
	per_minute: u32,
	max_pending: usize,
}

fn now_secs() -> u64 {
	SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

async fn describe(State(s): State<Service>) -> Json<serde_json::Value> {
	let rules = s.rules.lock().expect("rules lock").clone();
	Json(json!({
		"genesis": hex0x::encode(&s.genesis),
		"locator": s.locator,
		"region": String::from_utf8_lossy(&rules.region),
		"keyId": rules.key.0,
		"today": rules.today,
		"maxStaysPerEntry": rules.max_stays_per_entry,
	}))
}

async fn hand_in(
	State(s): State<Service>,
	ConnectInfo(from): ConnectInfo<SocketAddr>,
	body: axum::body::Bytes,
) -> Result<Response, Refusal> {
	let mut intake = s.intake.lock().expect("intake lock");
	if !intake.admit(from.ip(), now_secs(), s.per_minute) {
		return Err(Refusal::new(
			StatusCode::TOO_MANY_REQUESTS,
			"RateLimited",
			format!("at most {} entries a minute from one address", s.per_minute),
		));
	}
	let parsed: HandIn = serde_json::from_slice(&body).map_err(|_| {
		Refusal::new(
			StatusCode::BAD_REQUEST,
			"BadRequest",
			"expected JSON {day, keyId, cellPrefix, entry}",
		)
	})?;
	let rules = s.rules.lock().expect("rules lock").clone();
	let key = intake.accept(&parsed, &rules, s.max_pending)?;
	let body = json!({ "status": "queued", "deviceKey": hex0x::encode(&key) });
	Ok((StatusCode::ACCEPTED, Json(body)).into_response())
}

async fn status(
	State(s): State<Service>,
	Path(key): Path<String>,
) -> Result<Json<serde_json::Value>, Refusal> {
	let key: X25519Public = hex0x::decode_array(&key).map_err(|_| {
		Refusal::new(StatusCode::BAD_REQUEST, "BadRequest", "a one-time key is 32 bytes of hex")
	})?;
	let intake = s.intake.lock().expect("intake lock");
	match intake.status(&key) {
		None => Err(Refusal::new(StatusCode::NOT_FOUND, "Unknown", "no entry with this key")),
		Some(Status::Queued) => Ok(Json(json!({ "status": "queued" }))),
		Some(Status::Stored(block)) => Ok(Json(json!({ "status": "stored", "block": block }))),
		Some(Status::Refused(reason)) => Ok(Json(json!({ "status": "refused", "reason": reason }))),
	}
}

/// CORS for a browser app on another origin: the simple headers on every answer, and the
/// preflight answered here.
async fn cors(origin: HeaderValue, request: Request<axum::body::Body>, next: Next) -> Response {
	let mut response = if request.method() == Method::OPTIONS {
		StatusCode::NO_CONTENT.into_response()
	} else {
		next.run(request).await
	};
	let headers = response.headers_mut();
	headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
	headers.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("GET, POST"));
	headers.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static("content-type"));
	response
}

/// The service's routes over `service`.
fn router(service: Service, allow_origin: HeaderValue) -> Router {
	Router::new()
		.route("/v1/locator", get(describe))
		.route("/v1/entries", axum::routing::post(hand_in))
		.route("/v1/entries/:key", get(status))
		.layer(DefaultBodyLimit::max(BODY_LIMIT))
		.layer(middleware::from_fn(move |req, next| cors(allow_origin.clone(), req, next)))
		.with_state(service)
}

/// Reads what the chain lets `account` write now.
async fn rules(chain: &Connection, account: &subxt::utils::AccountId32) -> Result<Rules> {
	let region = submit::locator_region(chain, account).await?;
	let key = submit::matcher_key(chain).await?;
	let bounds = batches::bounds(chain)?;
	Ok(Rules {
		region,
		key,
		today: chain.today().await?,
		max_age_days: bounds.max_age_days,
		max_stays_per_entry: bounds.max_stays_per_entry,
		max_entries: bounds.max_entries,
		stays_per_batch: bounds.stays_per_batch,
	})
}

/// Whether the chain already holds the device entry with one-time key `key` of `day`.
async fn on_chain(chain: &Connection, day: DayIndex, key: X25519Public) -> Result<bool> {
	let at = chain.api.at_current_block().await?;
	let stored =
		at.storage().try_fetch(runtime::storage().csi().used_device_keys(), (day, key)).await?;
	Ok(stored.is_some())
}

/// Submits every waiting batch, one at a time; returns how many were stored.
async fn flush(
	chain: &Connection,
	signer: &subxt_signer::sr25519::Keypair,
	intake: &Mutex<Intake>,
	rules: &Rules,
) -> usize {
	let mut stored = 0;
	let genesis = chain.genesis();
	loop {
		let Some((group, entries)) = intake.lock().expect("intake lock").next_batch(rules) else {
			return stored;
		};
		let (key_id, day, prefix) = group;
		let payload =
			match device_batch(key_id, &rules.key.1, day, prefix, &entries, &genesis, signer) {
				Ok(p) => p,
				Err(e) => {
					eprintln!("locator serve: building a batch: {e:#}");
					intake.lock().expect("intake lock").requeue(group, entries);
					return stored;
				},
			};
		match chain.authorized(&payload, Wait::InBlock).await {
			Ok(included) => {
				eprintln!(
					"locator serve: a batch of {} entries stored in block #{}",
					entries.len(),
					included.block_number
				);
				let status = Status::Stored(included.block_number);
				intake.lock().expect("intake lock").settle(&entries, status);
				stored += 1;
			},
			Err(e) => match e.downcast_ref::<Refused>() {
				Some(refused) if refused.reason.ends_with("DeviceKeyReused") => {
					// Which entries the chain holds already: those are refused by name, the
					// others go into the next batch.
					let mut again = Vec::new();
					let mut replays = 0;
					for (key, bytes) in entries {
						if on_chain(chain, day, key).await.unwrap_or(false) {
							replays += 1;
							intake
								.lock()
								.expect("intake lock")
								.receipt(key, Status::Refused(refused.reason.clone()));
						} else {
							again.push((key, bytes));
						}
					}
					eprintln!("locator serve: {replays} entries were on chain already (refused)");
					intake.lock().expect("intake lock").requeue(group, again);
					if replays == 0 {
						return stored;
					}
				},
				Some(refused) if !refused.reason.to_lowercase().contains("exhaust") => {
					eprintln!(
						"locator serve: a batch of {} entries refused: {}",
						entries.len(),
						refused.reason
					);
					let status = Status::Refused(refused.reason.clone());
					intake.lock().expect("intake lock").settle(&entries, status);
				},
				// The block is full or the node unreachable: the next round tries again.
				_ => {
					eprintln!("locator serve: a batch waits for the next round: {e:#}");
					intake.lock().expect("intake lock").requeue(group, entries);
					return stored;
				},
			},
		}
	}
}

/// The signed `submit_batch` of device entries `entries` under a fresh header of the locator's.
fn device_batch(
	key_id: SealingKeyId,
	public: &X25519Public,
	day: DayIndex,
	prefix: Geohash,
	entries: &[(X25519Public, Vec<u8>)],
	genesis: &[u8; 32],
	signer: &subxt_signer::sr25519::Keypair,
) -> Result<subxt::transactions::StaticPayload<runtime::csi::calls::SubmitBatch>> {
	let mut sealed = epichain_primitives::sealing::seal_batch(public, key_id, day, prefix, &[])
		.map_err(|e| anyhow::anyhow!("{e:?}"))?;
	sealed.entries = entries.iter().map(|(_, bytes)| bytes.clone()).collect();
	let payload =
		epichain_primitives::signing::batch_payload(genesis, &sealed.header, &sealed.entries);
	Ok(runtime::tx().csi().submit_batch(
		signer.public_key().to_account_id(),
		runtime::runtime_types::pallet_csi::types::CsiBatch {
			header: subxt::utils::Static(sealed.header),
			entries: sealed.entries,
		},
		runtime::runtime_types::sp_runtime::MultiSignature::Sr25519(signer.sign(&payload).0),
	))
}

/// Runs `locator serve` until interrupted.
pub async fn run(chain: &Connection, args: ServeArgs) -> Result<()> {
	let signer = crate::connection::keypair(&args.suri)?;
	let account = signer.public_key().to_account_id();
	// A service started with its region (by a script, or before the authority's call is final)
	// waits until the chain lets it write, saying why.
	let first = loop {
		match rules(chain, &account).await {
			Ok(rules) => break rules,
			Err(e) => {
				eprintln!("locator serve: waiting until the chain lets this locator write: {e:#}");
				tokio::time::sleep(Duration::from_secs(10)).await;
			},
		}
	};
	let allow_origin = HeaderValue::from_str(&args.allow_origin)
		.context("--allow-origin is not a header value")?;
	let service = Service {
		intake: Arc::new(Mutex::new(Intake::default())),
		rules: Arc::new(Mutex::new(first.clone())),
		genesis: chain.genesis(),
		locator: account.to_string(),
		per_minute: args.per_minute,
		max_pending: args.max_pending,
	};
	let listener = tokio::net::TcpListener::bind(args.listen)
		.await
		.with_context(|| format!("listening on {}", args.listen))?;
	eprintln!(
		"locator serve: {} for region {} on http://{} (a batch every {} s)",
		account,
		String::from_utf8_lossy(&first.region),
		listener.local_addr()?,
		args.flush_secs
	);
	let app =
		router(service.clone(), allow_origin).into_make_service_with_connect_info::<SocketAddr>();
	let server = tokio::spawn(async move { axum::serve(listener, app).await });
	let mut tick = tokio::time::interval(Duration::from_secs(args.flush_secs.max(1)));
	tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
	loop {
		tokio::select! {
			_ = tick.tick() => {},
			_ = tokio::signal::ctrl_c() => return Ok(()),
		}
		if server.is_finished() {
			anyhow::bail!("the HTTP server stopped");
		}
		let current = match rules(chain, &account).await {
			Ok(r) => r,
			Err(e) => {
				eprintln!("locator serve: reading the chain: {e:#}; batches wait");
				continue;
			},
		};
		*service.rules.lock().expect("rules lock") = current.clone();
		if service.intake.lock().expect("intake lock").waiting() > 0 {
			flush(chain, &signer, &service.intake, &current).await;
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use epichain_primitives::{
		csi::{EntryPlain, Source, Stay},
		sealing::{seal_device_entry, SealingSecret},
		SECONDS_PER_DAY,
	};

	const DAY: DayIndex = 20_778;

	fn rules(key: &SealingSecret) -> Rules {
		Rules {
			region: b"xn76".to_vec(),
			key: (7, key.public()),
			today: DAY,
			max_age_days: 1,
			max_stays_per_entry: 4,
			max_entries: 2,
			stays_per_batch: 100,
		}
	}

	fn visit(key: &SealingSecret, owner: u8) -> HandIn {
		let cell = Geohash::parse(b"xn76urx66").unwrap();
		let at = DAY as u64 * SECONDS_PER_DAY + 36_000;
		let entry = EntryPlain {
			owner: [owner; 32],
			stays: vec![Stay {
				start: at,
				end: at + 2_400,
				geohash: cell,
				source: Source::VenueCheckIn,
			}],
		};
		let sealed = seal_device_entry(&key.public(), 7, DAY, cell, &entry).unwrap();
		HandIn {
			day: DAY,
			key_id: 7,
			cell_prefix: "xn76urx66".into(),
			entry: hex0x::encode(&sealed),
		}
	}

	#[test]
	fn a_phone_hands_in_a_sealed_visit_and_it_is_batched_once() {
		let key = SealingSecret::generate();
		let mut intake = Intake::default();
		let a = visit(&key, 1);
		let device_key = intake.accept(&a, &rules(&key), 10).unwrap();
		assert_eq!(intake.status(&device_key), Some(&Status::Queued));
		let again = intake.accept(&a, &rules(&key), 10).unwrap_err();
		assert_eq!(again.name, "AlreadyHandedIn");
		let (group, batch) = intake.next_batch(&rules(&key)).unwrap();
		assert_eq!(group.1, DAY);
		assert_eq!(batch.len(), 1);
		assert_eq!(batch[0].0, device_key);
		assert!(intake.next_batch(&rules(&key)).is_none());
		intake.receipt(device_key, Status::Stored(9));
		assert_eq!(intake.status(&device_key), Some(&Status::Stored(9)));
	}

	#[test]
	fn every_bad_hand_in_is_refused_by_name_and_queues_nothing() {
		let key = SealingSecret::generate();
		let rules = rules(&key);
		let mut intake = Intake::default();
		let good = visit(&key, 1);
		let locator_entry = {
			let batch = epichain_primitives::sealing::seal_batch(
				&key.public(),
				7,
				DAY,
				Geohash::parse(b"xn76urx66").unwrap(),
				&[EntryPlain {
					owner: [1; 32],
					stays: vec![Stay::fix(
						DAY as u64 * SECONDS_PER_DAY,
						Geohash::parse(b"xn76urx66").unwrap(),
						Source::Gnss,
					)],
				}],
			)
			.unwrap();
			hex0x::encode(&batch.entries[0])
		};
		let cases = [
			(HandIn { entry: "0xzz".into(), ..good.clone() }, "BadRequest"),
			(HandIn { entry: locator_entry, ..good.clone() }, "NotADeviceEntry"),
			(HandIn { key_id: 6, ..good.clone() }, "WrongSealingKey"),
			(HandIn { day: DAY + 1, ..good.clone() }, "DayOutOfRange"),
			(HandIn { day: DAY - 2, ..good.clone() }, "DayOutOfRange"),
			(HandIn { cell_prefix: "xn0m".into(), ..good.clone() }, "OutsideRegion"),
			(HandIn { cell_prefix: "xn76urx66a".into(), ..good.clone() }, "BadRequest"),
			(HandIn { cell_prefix: "xn7a".into(), ..good.clone() }, "BadRequest"),
		];
		for (hand_in, name) in cases {
			assert_eq!(intake.accept(&hand_in, &rules, 10).unwrap_err().name, name);
		}
		let tight = Rules { max_stays_per_entry: 0, ..rules.clone() };
		assert_eq!(intake.accept(&good, &tight, 10).unwrap_err().name, "EntryTooLarge");
		assert_eq!(intake.waiting(), 0);
		assert_eq!(intake.accept(&good, &rules, 0).unwrap_err().name, "Full");
		assert_eq!(intake.waiting(), 0);
	}

	#[test]
	fn batches_keep_to_the_chains_bounds_and_a_requeued_batch_goes_first() {
		let key = SealingSecret::generate();
		let rules = rules(&key);
		let mut intake = Intake::default();
		let keys: Vec<_> =
			(1..=5).map(|i| intake.accept(&visit(&key, i), &rules, 10).unwrap()).collect();
		let (group, first) = intake.next_batch(&rules).unwrap();
		assert_eq!(first.iter().map(|e| e.0).collect::<Vec<_>>(), keys[..2]);
		assert_eq!(intake.waiting(), 3);
		intake.requeue(group, first);
		assert_eq!(intake.waiting(), 5);
		let (_, again) = intake.next_batch(&rules).unwrap();
		assert_eq!(again.iter().map(|e| e.0).collect::<Vec<_>>(), keys[..2]);
	}

	#[test]
	fn each_address_hands_in_at_most_its_share_a_minute() {
		let mut intake = Intake::default();
		let (a, b) = ("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap());
		assert!((0..3).all(|_| intake.admit(a, 120, 3)));
		assert!(!intake.admit(a, 150, 3));
		assert!(intake.admit(b, 150, 3));
		assert!(intake.admit(a, 180, 3), "a new minute");
	}

	#[test]
	fn receipts_are_bounded_but_a_waiting_entry_is_never_forgotten() {
		let mut intake = Intake::default();
		intake.receipt([0; 32], Status::Queued);
		for i in 1..=RECEIPTS as u32 + 10 {
			let mut key = [0u8; 32];
			key[..4].copy_from_slice(&i.to_be_bytes());
			intake.receipt(key, Status::Stored(1));
		}
		assert_eq!(intake.status(&[0; 32]), Some(&Status::Queued));
		assert!(intake.receipts.len() <= RECEIPTS + 1);
	}
}

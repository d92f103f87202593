//! # epichain enclave: the matcher's trusted computing base
//!
//! Everything that touches a sealing secret, a plaintext stay or the signing key happens behind
//! [`Enclave`], in this crate: opening sealed CSI, the stay index ([`index`]), the close-contact
//! judgement ([`mod@judge`]), the keys and result signing, and the sealed state ([`sealed`]). It
//! depends on `epichain-primitives` and RustCrypto crates only: no runtime, no pallet, no
//! network, no HTTP. The host (`epichain-matcher`: the chain follower, the HTTP service, the
//! registrar) reads the chain, hands this crate ciphertexts and jobs, and carries its signed
//! answers out; it never holds a key or a plaintext stay.
//!
//! Wen et al. run the matcher inside Intel SGX. These machines have no SGX, so the service runs
//! [`SimulatedEnclave`]: the same code in an ordinary process, **with no hardware isolation**
//! (its measurement says so). A real enclave implements the same trait:
//!
//! | method | inside a real enclave |
//! |---|---|
//! | [`Enclave::attestation`] | the quote (Gramine `/dev/attestation/quote`, Fortanix EDP `EnclaveReport`, Teaclave attestation) over [`matcher_report_data`] |
//! | [`Enclave::endorse_sealing_key`] | the signature, inside, over a key the enclave holds |
//! | [`Enclave::new_epoch`], [`Enclave::shred_expired`] | key generation and zeroization in enclave memory, sealed to disk with the platform's sealing key (here: [`crate::sealed`]'s key file) |
//! | [`Enclave::ingest`] | decryption and the index in enclave memory |
//! | [`Enclave::judge`] | the judgement and the signature |
//! | [`Enclave::open_query`], [`Enclave::answer_query`] | opening a sealed pull query, its proofs, and the answer sealed back to the user |
//! | [`Enclave::provision`], [`Enclave::adopt`] | verifying a new replica's quote and sealing the keys to it; opening keys sealed to itself ([`provision`]) |
//!
//! Only attestation data, aggregate counts, signed results and a proven pseudonym's own report
//! (sealed to that user) cross the boundary; no method returns or logs a plaintext stay.
//!
//! **Coverage.** A batch sealed to a key the chain lists but this enclave never held (its state
//! was lost, or it is a new identity) cannot be opened, and the contacts in it cannot be
//! judged. The enclave remembers such batches by day and block, and refuses to sign a result
//! for a case whose window they fall in ([`Verdict::Incomplete`]): a result is a statement that
//! every stay of the window was judged. The job stays open for a matcher that holds the keys.

#![cfg_attr(not(test), deny(unsafe_code))]

pub mod index;
pub mod judge;
pub mod provision;
pub mod sealed;

use std::{
	collections::{BTreeMap, HashMap},
	sync::{
		atomic::{AtomicBool, Ordering},
		Mutex, RwLock,
	},
};

use bounded_collections::{BoundedVec, ConstU32};
use codec::Encode;
use ed25519_dalek::{Signer, SigningKey};
use epichain_primitives::{
	csi::{BatchHeader, StayError, X25519Public},
	diagnosis::{CaseId, DayWindow},
	matching::{CoverageGap, Exposure, InfectedCell, RiskLevel, RiskParams},
	pseudonym::{self, fingerprint, Fingerprint, Pseudonym},
	query::{ReplySealer, SealedQuery},
	sealing::{SealError, SealingSecret},
	signing::matcher_report_data,
	DayIndex,
};
use serde::Serialize;
use sp_crypto_hashing::blake2_256;

use crate::{
	index::Index,
	judge::{judge, Case, ContactDetail, ContactKind, Judgement, Materials},
	provision::{Newcomer, ProvisionError, ProvisionRequest, SealedKeys},
	sealed::{SealedEpoch, State, StateError, StateStore},
};
use epichain_attestation::{Admitted, Evidence, Policy};

/// A signed result. Its bounds are the chain's, given with each request
/// ([`JudgeRequest::max_exposures`], [`JudgeRequest::max_cells`]): the type's own bound is
/// the largest, and a bounded vector encodes as a plain one, so the signed bytes are the ones
/// the chain decodes with its own bounds.
pub type MatchResult =
	epichain_primitives::matching::MatchResult<ConstU32<{ u32::MAX }>, ConstU32<{ u32::MAX }>>;

/// What the authority checks and registers.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Attestation {
	/// `simulation` (no hardware isolation) or a real enclave technology.
	pub mode: &'static str,
	/// The enclave measurement (MRENCLAVE in SGX), 0x-hex.
	pub measurement: String,
	/// The ed25519 key results are signed with, 0x-hex.
	pub signing_key: String,
	/// The current sealing key writers seal to, 0x-hex.
	pub sealing_key: String,
	/// Every sealing epoch the enclave knows of.
	pub epochs: Vec<EpochInfo>,
	/// The attestation report (a quote in SGX; in simulation, the SCALE encoding of mode,
	/// measurement and [`matcher_report_data`]), 0x-hex.
	pub report: String,
	/// blake2-256 of the report: what the authority registers as `attestation_hash`, 0x-hex.
	pub report_hash: String,
}

/// One sealing epoch, as attestation shows it.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EpochInfo {
	/// Epoch number (0, 1, ...).
	pub epoch: u32,
	/// The X25519 public key, 0x-hex.
	pub public: String,
	/// When it was generated (unix seconds).
	pub created_at: u64,
	/// True once its secret was destroyed.
	pub shredded: bool,
	/// The enclave's endorsement of this key, 0x-hex (see [`Enclave::endorse_sealing_key`]);
	/// `None` once shredded.
	pub endorsement: Option<String>,
}

/// Why a batch could not be opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IngestError {
	/// The batch is sealed to a key this enclave never held.
	UnknownKey,
	/// The batch is sealed to a key whose secret was destroyed.
	Shredded,
	/// The writer's key is weak (the chain should have refused it).
	WeakKey,
}

/// What opening one batch did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Ingested {
	/// Entries opened and indexed.
	pub entries: u32,
	/// Entries that did not authenticate or parse (counted, never indexed).
	pub rejected: u32,
	/// Stays indexed.
	pub stays: u64,
}

/// A job to judge, as read from the chain at block `as_of`.
#[derive(Clone, Debug)]
pub struct JudgeRequest {
	/// The chain's genesis hash (signed over).
	pub genesis: [u8; 32],
	/// The case.
	pub case: CaseId,
	/// The round to answer.
	pub round: u32,
	/// The part of the round to answer (0 when the round has not started).
	pub part: u32,
	/// The infectious window.
	pub window: DayWindow,
	/// The case's pseudonyms by day.
	pub pseudonyms: Vec<(DayIndex, Pseudonym)>,
	/// Unix second from which visits count as after the endorsement.
	pub endorsed_at: u64,
	/// The finalized block judged at (for a later part, the block the round's first part was
	/// judged at, with the materials and rule of that block).
	pub as_of: u32,
	/// The block of the last accepted round: report only what is new since (`None` in
	/// round 0).
	pub since: Option<u32>,
	/// The block the job was opened in: the case's own stays written later never count.
	pub opened_at: u32,
	/// The chain's risk rule.
	pub params: RiskParams,
	/// Registered locations' surface materials, as read at block `materials_at`.
	pub materials: std::sync::Arc<Materials>,
	/// The block the materials were read at.
	pub materials_at: u32,
	/// Registered locations at block `materials_at`: the only cells a result may name.
	pub registered: std::sync::Arc<crate::judge::Registered>,
	/// Active cases' pseudonym-days at block `materials_at`: never named in a result.
	pub cases: std::sync::Arc<crate::judge::Cases>,
	/// The most exposures one result may carry on chain (`MaxExposuresPerResult`).
	pub max_exposures: u32,
	/// The most cells one result may carry on chain (`MaxCellsPerResult`).
	pub max_cells: u32,
}

/// The enclave's answer to a [`JudgeRequest`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
	/// A signed result: the requested part of the round (round 0 always answers, even when
	/// empty).
	Signed {
		/// The result.
		result: MatchResult,
		/// The signing key's signature over `(genesis, result)`.
		signature: [u8; 64],
	},
	/// A later round found nothing new.
	NothingNew,
	/// Batches of the case's window are sealed to keys this enclave does not hold: no result
	/// is signed, since a result would claim the window was judged whole. The gap is signed
	/// instead, for the chain to record (`Notifications::report_gap`).
	Incomplete {
		/// The gap: the case, the round, the block judged at, the batches and their days.
		gap: CoverageGap,
		/// The signing key's signature over `(genesis, gap)`.
		signature: [u8; 64],
	},
	/// The round has only `parts` parts: the requested part does not exist.
	NoSuchPart {
		/// The round's parts.
		parts: u32,
	},
}

/// What a round found, paged to the chain's bounds: highest risk first, then the highest
/// probability, then (day, fingerprint); cells in cell order. Nothing is left out: the pages
/// together are all of `found`. Always at least one page (an empty round 0 still answers).
pub fn pages(
	found: &Judgement,
	max_exposures: usize,
	max_cells: usize,
) -> Vec<(Vec<Exposure>, Vec<InfectedCell>)> {
	let mut exposures = found.exposures.clone();
	exposures.sort_by_key(|e| {
		(
			core::cmp::Reverse(e.risk.rank()),
			core::cmp::Reverse(e.probability_ppm),
			e.day,
			e.fingerprint,
		)
	});
	let (max_e, max_c) = (max_exposures.max(1), max_cells.max(1));
	let parts = exposures.len().div_ceil(max_e).max(found.cells.len().div_ceil(max_c)).max(1);
	(0..parts)
		.map(|p| {
			let page = |len: usize, max: usize| (p * max).min(len)..((p + 1) * max).min(len);
			(
				exposures[page(exposures.len(), max_e)].to_vec(),
				found.cells[page(found.cells.len(), max_c)].to_vec(),
			)
		})
		.collect()
}

/// Batches the enclave could not open, in a case's window or a query's days.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Gap {
	/// How many batches.
	pub batches: u32,
	/// The earliest of their days.
	pub first_day: DayIndex,
	/// The latest of their days.
	pub last_day: DayIndex,
}

/// A pull query's answer, as the enclave seals it (JSON) for the user.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct QueryAnswer {
	/// Proofs that verified.
	pub verified: usize,
	/// The proven pseudonyms' own exposures.
	pub exposures: Vec<OwnExposure>,
	/// Batches of the proven days or later that could not be opened: the report may miss
	/// exposures in them (`None` when every batch was opened).
	pub gap: Option<Gap>,
}

/// How far a query's `issued_at` may be from the enclave's clock, in seconds; a query's nonce
/// is remembered this long.
pub const QUERY_MAX_SKEW_SECS: u64 = 300;
/// Most pseudonyms one query may prove (14 days, a few devices).
pub const MAX_QUERY_PROOFS: usize = 64;
/// Most queries opened and not yet answered at once (each waits for the host's chain reads).
pub const MAX_OPEN_QUERIES: usize = 256;
/// Seconds an opened query waits for its answer before it is dropped.
pub const OPEN_QUERY_SECS: u64 = 60;
/// Most query nonces remembered at once (the skew window's queries).
pub const MAX_QUERY_NONCES: usize = 100_000;

/// An opened pull query, by number: the proven pseudonyms stay inside the enclave.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct QueryHandle(pub u64);

/// Why a sealed query was refused: the whole answer to the host and the user.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueryError {
	/// Sealed to a key this enclave does not hold (not its own, or shredded): take the
	/// current sealing key from the attestation and seal again.
	UnknownKey,
	/// Does not open: changed bytes, sealed for another chain, a low-order one-time key, or
	/// not a query.
	Unauthentic,
	/// Its `issued_at` is more than [`QUERY_MAX_SKEW_SECS`] from the enclave's clock.
	Stale,
	/// Its nonce was seen before: a replay.
	Replayed,
	/// No proof, or more than [`MAX_QUERY_PROOFS`].
	BadProofCount,
	/// No pseudonym signature verified over the query message.
	NoValidProof,
	/// Too many queries are open or remembered; ask again later.
	Busy,
	/// No such opened query (answered already, or dropped after [`OPEN_QUERY_SECS`]).
	UnknownQuery,
}

impl QueryError {
	/// The error's name, as the service reports it.
	pub fn name(self) -> &'static str {
		match self {
			QueryError::UnknownKey => "UnknownSealingKey",
			QueryError::Unauthentic => "MalformedQuery",
			QueryError::Stale => "StaleQuery",
			QueryError::Replayed => "ReplayedQuery",
			QueryError::BadProofCount => "BadProofCount",
			QueryError::NoValidProof => "NoValidProof",
			QueryError::Busy => "Busy",
			QueryError::UnknownQuery => "UnknownQuery",
		}
	}
}

/// An opened query waiting for the host's chain reads.
struct OpenQuery {
	opened_at: u64,
	/// The proven pseudonyms' fingerprints and their days.
	proven: HashMap<Fingerprint, DayIndex>,
	reply: ReplySealer,
}

/// Opened queries and the nonces seen within the skew window.
#[derive(Default)]
struct Queries {
	next: u64,
	open: HashMap<u64, OpenQuery>,
	/// `(issued_at, nonce)` of every query opened within the skew window.
	seen: std::collections::BTreeSet<(u64, [u8; 16])>,
}

/// One line of a user's own report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OwnExposure {
	/// The exposure day.
	pub day: DayIndex,
	/// The (public) case id.
	pub case: CaseId,
	/// `high`, `low` or `indirect`.
	pub risk: &'static str,
	/// How it was judged: `close` (within the close-contact distance), `venue` (at the same
	/// place) or `indirect` (at the place after the case left).
	pub kind: &'static str,
	/// Infection probability, parts per million.
	pub probability_ppm: u32,
	/// Minutes together with the case, or present at the place while the virus survives.
	pub minutes: u32,
	/// Mean distance of the contact, centimetres (assumed for a venue, 0 when indirect).
	pub mean_distance_cm: u32,
	/// The surface of the place (`Unknown` if not registered).
	pub material: String,
	/// For an indirect exposure: minutes between the case leaving and the person arriving.
	pub minutes_after_case: u32,
}

/// Aggregate counts only.
#[derive(Clone, Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Statistics {
	/// Stays in the index.
	pub stays: u64,
	/// Heap bytes the index holds.
	pub index_bytes: u64,
	/// Pseudonyms with stays in the index (an owner is forgotten with its last stay).
	pub owners: u64,
	/// Batches opened.
	pub batches: u64,
	/// Entries opened.
	pub entries: u64,
	/// Entries that did not authenticate.
	pub rejected_entries: u64,
	/// Batches sealed to a shredded or unknown key.
	pub unopenable_batches: u64,
	/// Batches still in the retention window that are sealed to a key this enclave never
	/// held: cases whose window they fall in are not signed (see [`Verdict::Incomplete`]).
	pub unopened_in_window: u64,
	/// Sealing epochs with a live secret.
	pub live_epochs: u32,
	/// Sealing epochs shredded.
	pub shredded_epochs: u32,
	/// Judgements computed.
	pub judgements: u64,
	/// Results signed.
	pub results_signed: u64,
	/// Pull queries answered.
	pub queries: u64,
}

/// The enclave interface (see the module docs for what each method is in a real enclave).
pub trait Enclave: Send + Sync {
	/// `simulation`, or the enclave technology.
	fn mode(&self) -> &'static str;
	/// The signing key's public half.
	fn signing_key(&self) -> [u8; 32];
	/// Keys, measurement and report.
	fn attestation(&self) -> Attestation;
	/// The enclave's endorsement of its own sealing key `key`: the signing key's ed25519
	/// signature of [`matcher_report_data`]`(signing key, key)`, which the chain's
	/// `rotate_sealing_key` checks. `None` unless `key` is one of its live epochs: the host
	/// cannot get any other key endorsed.
	fn endorse_sealing_key(&self, key: &X25519Public) -> Option<[u8; 64]>;
	/// Generates the next sealing epoch's key at unix second `now` and seals it to the
	/// enclave's store; returns its public key. A key that could not be sealed is not made:
	/// writers must never seal to a key a crash would lose.
	fn new_epoch(&self, now: u64) -> Result<X25519Public, StateError>;
	/// When the newest sealing epoch was made (unix seconds), made here or taken from a
	/// replica; `None` before the first. Cheap: what the host asks at every look.
	fn newest_epoch_at(&self) -> Option<u64>;
	/// Destroys the secrets of epochs created `lifetime_secs` or more before `now`, in memory
	/// and in the store; returns the epochs shredded by this call. When the store cannot be
	/// written the secrets are gone from memory and the next call writes the store again.
	fn shred_expired(&self, now: u64) -> Result<Vec<u32>, StateError>;
	/// Opens a batch sealed to `sealing_key` (the chain's public key for `header.key_id`) that
	/// arrived in block `block`, and indexes its stays.
	fn ingest(
		&self,
		header: &BatchHeader,
		sealing_key: &X25519Public,
		block: u32,
		entries: &[Vec<u8>],
	) -> Result<Ingested, IngestError>;
	/// Drops every stay that ended before unix second `cutoff` (the retention window).
	fn prune_before(&self, cutoff: u64) -> usize;
	/// Judges a job and signs the answer.
	fn judge(&self, request: &JudgeRequest) -> Verdict;
	/// Opens a pull query sealed to one of the enclave's live sealing keys for chain
	/// `genesis`; refuses it when stale at unix second `now` (the host's clock) or replayed,
	/// and verifies its proofs over the query message of the enclave's signing key. Proofs
	/// that fail are ignored; with none, [`QueryError::NoValidProof`]. Nothing of the query
	/// leaves the enclave but the handle: the host reads the chain only after this.
	fn open_query(
		&self,
		genesis: &[u8; 32],
		sealed: &SealedQuery,
		now: u64,
	) -> Result<QueryHandle, QueryError>;
	/// The sealed answer to an opened query: the proven pseudonyms' own exposures to the
	/// `cases` (open jobs) on the proven days, with any gap in coverage (a [`QueryAnswer`] as
	/// JSON, sealed under the query's reply key).
	fn answer_query(
		&self,
		handle: QueryHandle,
		cases: &[JudgeRequest],
	) -> Result<Vec<u8>, QueryError>;
	/// Aggregate counts.
	fn statistics(&self) -> Statistics;
	/// Whether `key` is one of the enclave's epochs (live or shredded): a batch sealed to a key
	/// it does not know is one it never held.
	fn knows_sealing_key(&self, key: &X25519Public) -> bool;
	/// A new replica's request for this matcher's keys on chain `genesis`: admitted by
	/// [`epichain_attestation::admit`] under the region's `policy` and `simulation_allowed`
	/// at the chain's unix second `now`, its report data binding this matcher's signing key
	/// and the newcomer's one-time key; then the signing key and every epoch (live secrets
	/// included) sealed to that key ([`provision`]).
	fn provision(
		&self,
		genesis: &[u8; 32],
		request: &ProvisionRequest,
		policy: &Policy,
		simulation_allowed: bool,
		now: u64,
	) -> Result<(SealedKeys, Admitted), ProvisionError>;
	/// Takes the epochs of this matcher's keys sealed to `newcomer` (a running replica's
	/// answer to its request) that this enclave does not hold, shreds those the answer says
	/// are shredded, and seals the result to its store; returns the epochs added.
	fn adopt(&self, newcomer: Newcomer, sealed: &SealedKeys) -> Result<Vec<u32>, ProvisionError>;
}

/// Evidence of the simulation build: its measurement, which names it as a simulation.
pub fn simulation_evidence() -> Evidence {
	Evidence::Simulation { measurement: simulation_measurement() }
}

struct Epoch {
	number: u32,
	public: X25519Public,
	created_at: u64,
	/// `None` once shredded.
	secret: Option<SealingSecret>,
}

impl Epoch {
	fn unsealed(e: &SealedEpoch) -> Self {
		Epoch {
			number: e.number,
			public: e.public,
			created_at: e.created_at,
			secret: e.secret.map(SealingSecret::from_bytes),
		}
	}
}

#[derive(Default)]
struct Counters {
	batches: u64,
	entries: u64,
	rejected: u64,
	unopenable: u64,
	judgements: u64,
	signed: u64,
	queries: u64,
}

/// The enclave in simulation mode: no hardware isolation.
pub struct SimulatedEnclave {
	signing: SigningKey,
	lifetime_secs: u64,
	epochs: Mutex<Vec<Epoch>>,
	/// Where the secrets are sealed (`None`: in memory only, lost with the process).
	store: Option<StateStore>,
	/// A shred that the store has not recorded yet.
	unsaved: AtomicBool,
	/// Batches sealed to keys this enclave never held, by (day, block).
	gaps: Mutex<BTreeMap<(DayIndex, u32), u32>>,
	/// Pull queries opened and not yet answered, and the nonces seen.
	queries: Mutex<Queries>,
	index: RwLock<Index>,
	/// Judgements by (case, block, rule): standing matching and pull queries reuse them.
	cache: Mutex<HashMap<(CaseId, u32, Vec<u8>), std::sync::Arc<Judgement>>>,
	counters: Mutex<Counters>,
}

/// What the simulation's measurement hashes: its name, that it has no hardware isolation, that
/// its state is sealed with a key file, and its version.
pub const SIMULATION_MEASURED: &str = concat!(
	"epichain-matcher simulation (no hardware isolation; state sealed with a key file) ",
	env!("CARGO_PKG_VERSION")
);

/// The measurement of the simulation build, so no one mistakes it for an attested enclave.
pub fn simulation_measurement() -> [u8; 32] {
	blake2_256(SIMULATION_MEASURED.as_bytes())
}

/// Whether [`SimulatedEnclave::open`] found sealed state or began a new identity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Opened {
	/// No state was sealed: a new signing key and a first epoch, sealed now.
	New,
	/// The sealed identity and epochs were restored.
	Restored {
		/// Epochs restored.
		epochs: u32,
		/// Of which with a live secret.
		live: u32,
	},
	/// A running replica's identity and epochs were provisioned to this one.
	Provisioned {
		/// Epochs received.
		epochs: u32,
		/// Of which with a live secret.
		live: u32,
	},
}

impl SimulatedEnclave {
	/// The signing key's signature of the binding of its keys to `sealing_key`.
	fn endorse(&self, sealing_key: &X25519Public) -> [u8; 64] {
		self.signing.sign(&matcher_report_data(&self.signing_key(), sealing_key)).to_bytes()
	}

	fn with(signing: SigningKey, lifetime_secs: u64, store: Option<StateStore>) -> Self {
		Self {
			signing,
			lifetime_secs,
			epochs: Mutex::new(Vec::new()),
			store,
			unsaved: AtomicBool::new(false),
			gaps: Mutex::new(BTreeMap::new()),
			queries: Mutex::new(Queries::default()),
			index: RwLock::new(Index::new()),
			cache: Mutex::new(HashMap::new()),
			counters: Mutex::new(Counters::default()),
		}
	}

	/// A fresh enclave that keeps its secrets in memory only (they die with the process), with
	/// a new signing key and a first sealing epoch created at `now`; sealing secrets are
	/// destroyed `lifetime_secs` after their creation.
	pub fn new(now: u64, lifetime_secs: u64) -> Self {
		let enclave = Self::with(SigningKey::generate(&mut rand_core::OsRng), lifetime_secs, None);
		enclave.new_epoch(now).expect("an enclave without a store seals nothing");
		enclave
	}

	/// The enclave whose secrets are sealed in `store`: the sealed identity and epochs when
	/// there are any, else a new identity (with a first epoch created at `now`), sealed before
	/// this returns.
	pub fn open(
		store: StateStore,
		now: u64,
		lifetime_secs: u64,
	) -> Result<(Self, Opened), StateError> {
		let Some(state) = store.load()? else {
			let enclave =
				Self::with(SigningKey::generate(&mut rand_core::OsRng), lifetime_secs, Some(store));
			enclave.new_epoch(now)?;
			return Ok((enclave, Opened::New));
		};
		let (enclave, (epochs, live)) = Self::from_state(&state, lifetime_secs, Some(store));
		Ok((enclave, Opened::Restored { epochs, live }))
	}

	/// A new replica of a running matcher: its keys, sealed to `newcomer` by a running replica
	/// ([`Enclave::provision`]), opened and checked ([`Newcomer::accept`]), then sealed to
	/// `store` (if any) before this returns.
	pub fn provisioned(
		newcomer: Newcomer,
		sealed: &SealedKeys,
		store: Option<StateStore>,
		lifetime_secs: u64,
	) -> Result<(Self, Opened), ProvisionError> {
		let state = newcomer.accept(sealed)?;
		let (enclave, (epochs, live)) = Self::from_state(&state, lifetime_secs, store);
		enclave.persist(&enclave.epochs.lock().expect("epochs lock")).map_err(|e| {
			tracing::error!("the provisioned keys could not be sealed: {e}");
			ProvisionError::NotSealed
		})?;
		Ok((enclave, Opened::Provisioned { epochs, live }))
	}

	/// The enclave holding `state`'s identity and epochs; with (epochs, live epochs).
	fn from_state(
		state: &State,
		lifetime_secs: u64,
		store: Option<StateStore>,
	) -> (Self, (u32, u32)) {
		let enclave = Self::with(SigningKey::from_bytes(&state.signing), lifetime_secs, store);
		let epochs: Vec<Epoch> = state.epochs.iter().map(Epoch::unsealed).collect();
		let counts =
			(epochs.len() as u32, epochs.iter().filter(|e| e.secret.is_some()).count() as u32);
		*enclave.epochs.lock().expect("epochs lock") = epochs;
		(enclave, counts)
	}

	/// The signing key and `epochs`, as sealed.
	fn state(&self, epochs: &[Epoch]) -> State {
		State {
			signing: self.signing.to_bytes(),
			epochs: epochs
				.iter()
				.map(|e| SealedEpoch {
					number: e.number,
					public: e.public,
					created_at: e.created_at,
					secret: e.secret.as_ref().map(|s| *s.to_bytes()),
				})
				.collect(),
		}
	}

	/// Seals the signing key and `epochs` to the store, if there is one.
	fn persist(&self, epochs: &[Epoch]) -> Result<(), StateError> {
		let Some(store) = &self.store else { return Ok(()) };
		store.save(&self.state(epochs))
	}

	/// Batches sealed to keys never held, of day `first_day` or later, that arrived by block
	/// `as_of`.
	fn gap(&self, first_day: DayIndex, as_of: u32) -> Option<Gap> {
		let gaps = self.gaps.lock().expect("gaps lock");
		let mut gap: Option<Gap> = None;
		for (&(day, _), &n) in gaps.range((first_day, 0)..).filter(|((_, b), _)| *b <= as_of) {
			let g = gap.get_or_insert(Gap { batches: 0, first_day: day, last_day: day });
			g.batches = g.batches.saturating_add(n);
			g.last_day = day;
		}
		gap
	}

	/// Heap bytes the index holds, by part: stays, bucket chains, entries, owners.
	pub fn index_heap_bytes(&self) -> [usize; 4] {
		self.index.read().expect("index lock").heap_bytes()
	}

	fn judged(&self, request: &JudgeRequest, up_to: u32) -> std::sync::Arc<Judgement> {
		let key = (request.case, up_to, (request.params.clone(), request.materials_at).encode());
		if let Some(j) = self.cache.lock().expect("cache lock").get(&key) {
			return j.clone();
		}
		let index = self.index.read().expect("index lock");
		let case = Case {
			window: request.window,
			pseudonyms: &request.pseudonyms,
			endorsed_at: request.endorsed_at,
			up_to,
			frozen_at: request.opened_at,
			materials: &request.materials,
			registered: &request.registered,
		};
		let judgement = std::sync::Arc::new(judge(&index, &case, &request.params));
		drop(index);
		self.counters.lock().expect("counters lock").judgements += 1;
		let mut cache = self.cache.lock().expect("cache lock");
		// Keep the cache to the latest judgements of open jobs: a few thousand entries at most.
		if cache.len() > 4_096 {
			cache.clear();
		}
		cache.insert(key, judgement.clone());
		judgement
	}
}

/// The rule an entry broke, named without its content.
fn rejection(e: SealError) -> &'static str {
	match e {
		SealError::Unauthentic => "does not authenticate",
		SealError::Stay(StayError::EndsBeforeStart) => "a stay ends before it starts",
		SealError::Stay(StayError::OutsideDay) => "a stay is outside the batch's day",
		SealError::Stay(StayError::OutsidePrefix) => "a stay is outside the batch's cell",
		SealError::Stay(StayError::BadLength) => "not a whole number of stays",
		SealError::Stay(StayError::Malformed | StayError::WrongPrecision) => "a malformed stay",
		SealError::NotAnEntry => "no entry of either kind (tag or length)",
		SealError::WeakKey | SealError::TooManyEntries => "cannot be opened",
	}
}

fn risk_name(r: RiskLevel) -> &'static str {
	match r {
		RiskLevel::High => "high",
		RiskLevel::Low => "low",
		RiskLevel::Indirect => "indirect",
	}
}

impl Enclave for SimulatedEnclave {
	fn mode(&self) -> &'static str {
		"simulation"
	}

	fn signing_key(&self) -> [u8; 32] {
		self.signing.verifying_key().to_bytes()
	}

	fn attestation(&self) -> Attestation {
		let epochs = self.epochs.lock().expect("epochs lock");
		let current = epochs.last().map(|e| e.public).unwrap_or_default();
		let signing_key = self.signing_key();
		let measurement = simulation_measurement();
		let report =
			(self.mode(), measurement, matcher_report_data(&signing_key, &current)).encode();
		Attestation {
			mode: self.mode(),
			measurement: hex0x(&measurement),
			signing_key: hex0x(&signing_key),
			sealing_key: hex0x(&current),
			epochs: epochs
				.iter()
				.map(|e| EpochInfo {
					epoch: e.number,
					public: hex0x(&e.public),
					created_at: e.created_at,
					shredded: e.secret.is_none(),
					endorsement: e.secret.as_ref().map(|_| hex0x(&self.endorse(&e.public))),
				})
				.collect(),
			report_hash: hex0x(&blake2_256(&report)),
			report: hex0x(&report),
		}
	}

	fn endorse_sealing_key(&self, key: &X25519Public) -> Option<[u8; 64]> {
		let epochs = self.epochs.lock().expect("epochs lock");
		let live = epochs.iter().any(|e| &e.public == key && e.secret.is_some());
		live.then(|| self.endorse(key))
	}

	fn new_epoch(&self, now: u64) -> Result<X25519Public, StateError> {
		let secret = SealingSecret::generate();
		let public = secret.public();
		let mut epochs = self.epochs.lock().expect("epochs lock");
		let number = epochs.last().map_or(0, |e| e.number + 1);
		epochs.push(Epoch { number, public, created_at: now, secret: Some(secret) });
		if let Err(e) = self.persist(&epochs) {
			epochs.pop();
			return Err(e);
		}
		Ok(public)
	}

	fn shred_expired(&self, now: u64) -> Result<Vec<u32>, StateError> {
		let mut epochs = self.epochs.lock().expect("epochs lock");
		let mut shredded = Vec::new();
		for e in epochs.iter_mut() {
			if e.secret.is_some() && now >= e.created_at.saturating_add(self.lifetime_secs) {
				// Dropping the secret zeroizes it (x25519-dalek's `zeroize` feature).
				e.secret = None;
				shredded.push(e.number);
			}
		}
		if !shredded.is_empty() || self.unsaved.load(Ordering::Acquire) {
			let saved = self.persist(&epochs);
			self.unsaved.store(saved.is_err(), Ordering::Release);
			saved?;
		}
		Ok(shredded)
	}

	fn ingest(
		&self,
		header: &BatchHeader,
		sealing_key: &X25519Public,
		block: u32,
		entries: &[Vec<u8>],
	) -> Result<Ingested, IngestError> {
		let opener = {
			let epochs = self.epochs.lock().expect("epochs lock");
			let outcome = match epochs.iter().find(|e| e.public == *sealing_key) {
				None => Err(IngestError::UnknownKey),
				Some(Epoch { secret: None, .. }) => Err(IngestError::Shredded),
				Some(Epoch { secret: Some(s), .. }) => {
					s.batch_opener(header).map_err(|_| IngestError::WeakKey)
				},
			};
			if let Err(e) = outcome {
				self.counters.lock().expect("counters lock").unopenable += 1;
				// A shredded key's data is past its lifetime by the chain's rule; a key never
				// held is data this enclave cannot judge.
				if e != IngestError::Shredded {
					*self
						.gaps
						.lock()
						.expect("gaps lock")
						.entry((header.day, block))
						.or_default() += 1;
				}
			}
			outcome?
		};
		let mut report = Ingested::default();
		let opened: Vec<_> = entries
			.iter()
			.enumerate()
			.filter_map(|(i, ct)| match opener.open(i as u32, ct) {
				Ok(entry) => Some(entry),
				Err(e) => {
					// Which entry and which rule, never its content.
					tracing::warn!(
						target: "matcher",
						"block #{block}: entry {i} of a batch rejected ({})",
						rejection(e)
					);
					report.rejected += 1;
					None
				},
			})
			.collect();
		{
			let mut index = self.index.write().expect("index lock");
			for entry in &opened {
				index.insert(entry, block);
				report.entries += 1;
				report.stays += entry.stays.len() as u64;
			}
		}
		let mut c = self.counters.lock().expect("counters lock");
		c.batches += 1;
		c.entries += report.entries as u64;
		c.rejected += report.rejected as u64;
		Ok(report)
	}

	fn prune_before(&self, cutoff: u64) -> usize {
		let first_day = (cutoff / epichain_primitives::SECONDS_PER_DAY) as DayIndex;
		self.gaps.lock().expect("gaps lock").retain(|(day, _), _| *day >= first_day);
		let removed = self.index.write().expect("index lock").prune_before(cutoff);
		if removed > 0 {
			self.cache.lock().expect("cache lock").clear();
		}
		removed
	}

	fn judge(&self, request: &JudgeRequest) -> Verdict {
		if let Some(Gap { batches, first_day, last_day }) =
			self.gap(request.window.first, request.as_of)
		{
			let gap = CoverageGap {
				case: request.case,
				round: request.round,
				as_of: request.as_of,
				signer: self.signing_key(),
				batches,
				first_day,
				last_day,
			};
			let signature = self
				.signing
				.sign(&epichain_primitives::signing::gap_payload(&request.genesis, &gap))
				.to_bytes();
			return Verdict::Incomplete { gap, signature };
		}
		let now = self.judged(request, request.as_of);
		let fresh = match request.since {
			None => (*now).clone(),
			Some(since) => now.since(&self.judged(request, since)),
		}
		.without_cases(&request.cases);
		if request.since.is_some() && fresh.exposures.is_empty() && fresh.cells.is_empty() {
			return Verdict::NothingNew;
		}
		let mut pages = pages(&fresh, request.max_exposures as usize, request.max_cells as usize);
		let parts = pages.len() as u32;
		if request.part >= parts {
			return Verdict::NoSuchPart { parts };
		}
		let (exposures, cells) = pages.swap_remove(request.part as usize);
		let result = MatchResult {
			case: request.case,
			round: request.round,
			part: request.part,
			parts,
			as_of: request.as_of,
			signer: self.signing_key(),
			// A page holds at most the bounds: nothing is cut here.
			exposures: BoundedVec::truncate_from(exposures),
			cells: BoundedVec::truncate_from(cells),
		};
		let signature = self
			.signing
			.sign(&epichain_primitives::signing::result_payload(&request.genesis, &result))
			.to_bytes();
		self.counters.lock().expect("counters lock").signed += 1;
		Verdict::Signed { result, signature }
	}

	fn open_query(
		&self,
		genesis: &[u8; 32],
		sealed: &SealedQuery,
		now: u64,
	) -> Result<QueryHandle, QueryError> {
		let (query, reply) = {
			let epochs = self.epochs.lock().expect("epochs lock");
			let secret = epochs
				.iter()
				.find(|e| e.public == sealed.sealing_key)
				.and_then(|e| e.secret.as_ref())
				.ok_or(QueryError::UnknownKey)?;
			secret.open_query(genesis, sealed).map_err(|_| QueryError::Unauthentic)?
		};
		if now.abs_diff(query.issued_at) > QUERY_MAX_SKEW_SECS {
			return Err(QueryError::Stale);
		}
		if query.proofs.is_empty() || query.proofs.len() > MAX_QUERY_PROOFS {
			return Err(QueryError::BadProofCount);
		}
		let mut queries = self.queries.lock().expect("queries lock");
		let oldest = now.saturating_sub(QUERY_MAX_SKEW_SECS);
		queries.seen = queries.seen.split_off(&(oldest, [0; 16]));
		queries.open.retain(|_, q| q.opened_at + OPEN_QUERY_SECS > now);
		if queries.seen.contains(&(query.issued_at, query.nonce)) {
			return Err(QueryError::Replayed);
		}
		if queries.seen.len() >= MAX_QUERY_NONCES || queries.open.len() >= MAX_OPEN_QUERIES {
			return Err(QueryError::Busy);
		}
		queries.seen.insert((query.issued_at, query.nonce));
		let message = epichain_primitives::signing::query_message(
			genesis,
			&self.signing_key(),
			query.issued_at,
		);
		let proven: HashMap<Fingerprint, DayIndex> = query
			.proofs
			.iter()
			.filter(|p| pseudonym::verify(&p.pseudonym, &message, &p.signature))
			.map(|p| (fingerprint(&p.pseudonym), p.day))
			.collect();
		if proven.is_empty() {
			return Err(QueryError::NoValidProof);
		}
		let handle = queries.next;
		queries.next += 1;
		queries.open.insert(handle, OpenQuery { opened_at: now, proven, reply });
		Ok(QueryHandle(handle))
	}

	fn answer_query(
		&self,
		handle: QueryHandle,
		cases: &[JudgeRequest],
	) -> Result<Vec<u8>, QueryError> {
		let query = self
			.queries
			.lock()
			.expect("queries lock")
			.open
			.remove(&handle.0)
			.ok_or(QueryError::UnknownQuery)?;
		let mut exposures = Vec::new();
		for request in cases {
			let j = self.judged(request, request.as_of);
			for (e, d) in j.exposures.iter().zip(&j.details) {
				if query.proven.get(&e.fingerprint) == Some(&e.day) {
					exposures.push(own(request.case, e.day, e.risk, e.probability_ppm, d));
				}
			}
		}
		exposures.sort_by_key(|e| (e.day, e.case));
		self.counters.lock().expect("counters lock").queries += 1;
		let gap = query.proven.values().min().and_then(|first| self.gap(*first, u32::MAX));
		let answer = QueryAnswer { verified: query.proven.len(), exposures, gap };
		let json = zeroize::Zeroizing::new(
			serde_json::to_vec(&answer).expect("a QueryAnswer always serializes"),
		);
		Ok(query.reply.seal(&json))
	}

	fn statistics(&self) -> Statistics {
		let (stays, owners) = {
			let index = self.index.read().expect("index lock");
			(index.len() as u64, index.owners() as u64)
		};
		let index_bytes = self.index_heap_bytes().iter().sum::<usize>() as u64;
		let epochs = self.epochs.lock().expect("epochs lock");
		let live = epochs.iter().filter(|e| e.secret.is_some()).count() as u32;
		let unopened_in_window =
			self.gaps.lock().expect("gaps lock").values().map(|n| *n as u64).sum();
		let c = self.counters.lock().expect("counters lock");
		Statistics {
			unopened_in_window,
			stays,
			index_bytes,
			owners,
			batches: c.batches,
			entries: c.entries,
			rejected_entries: c.rejected,
			unopenable_batches: c.unopenable,
			live_epochs: live,
			shredded_epochs: epochs.len() as u32 - live,
			judgements: c.judgements,
			results_signed: c.signed,
			queries: c.queries,
		}
	}

	fn knows_sealing_key(&self, key: &X25519Public) -> bool {
		self.epochs.lock().expect("epochs lock").iter().any(|e| &e.public == key)
	}

	fn newest_epoch_at(&self) -> Option<u64> {
		self.epochs.lock().expect("epochs lock").last().map(|e| e.created_at)
	}

	fn provision(
		&self,
		genesis: &[u8; 32],
		request: &ProvisionRequest,
		policy: &Policy,
		simulation_allowed: bool,
		now: u64,
	) -> Result<(SealedKeys, Admitted), ProvisionError> {
		let state = self.state(&self.epochs.lock().expect("epochs lock"));
		provision::seal_for(genesis, &state, request, policy, simulation_allowed, now)
	}

	fn adopt(&self, newcomer: Newcomer, sealed: &SealedKeys) -> Result<Vec<u32>, ProvisionError> {
		let state = newcomer.accept(sealed)?;
		if state.signing != self.signing.to_bytes() {
			return Err(ProvisionError::NotThisMatcher);
		}
		let mut epochs = self.epochs.lock().expect("epochs lock");
		let mut added = Vec::new();
		for theirs in &state.epochs {
			match epochs.iter_mut().find(|e| e.number == theirs.number) {
				Some(ours) if ours.public != theirs.public => {
					return Err(ProvisionError::InconsistentKeys)
				},
				// Shredded there: shredded here too.
				Some(ours) if theirs.secret.is_none() => ours.secret = None,
				Some(_) => {},
				None => {
					epochs.push(Epoch::unsealed(theirs));
					added.push(theirs.number);
				},
			}
		}
		epochs.sort_by_key(|e| e.number);
		self.persist(&epochs).map_err(|e| {
			tracing::error!("the provisioned keys could not be sealed: {e}");
			ProvisionError::NotSealed
		})?;
		Ok(added)
	}
}

fn own(
	case: CaseId,
	day: DayIndex,
	risk: RiskLevel,
	probability_ppm: u32,
	d: &ContactDetail,
) -> OwnExposure {
	OwnExposure {
		day,
		case,
		risk: risk_name(risk),
		kind: match d.kind {
			ContactKind::Close => "close",
			ContactKind::Venue => "venue",
			ContactKind::Indirect => "indirect",
		},
		probability_ppm,
		minutes: d.minutes,
		mean_distance_cm: d.mean_distance_cm,
		material: format!("{:?}", d.material),
		minutes_after_case: d.minutes_after_case,
	}
}

/// `0x`-hex of bytes, as the matcher's JSON writes them.
pub use epichain_primitives::hex0x::encode as hex0x;

#[cfg(test)]
mod tests {
	use super::*;
	use epichain_primitives::{
		csi::{EntryPlain, Source, Stay},
		geohash::{self, Geohash},
		pseudonym::DeviceSeed,
		query::{seal_query, QueryPlain, QueryProof},
		sealing::seal_batch,
	};

	/// The runtime's `MaxExposuresPerResult` (the host reads it from the chain).
	const MAX_EXPOSURES: u32 = 1_024;
	/// 2026-11-21T09:00:00Z, day 20778.
	const T: u64 = 1_795_251_600;
	const DAY: DayIndex = 20_778;
	const GENESIS: [u8; 32] = [7; 32];

	fn cafe() -> Geohash {
		geohash::encode(35.0, 135.0, 9).unwrap()
	}

	fn stay(owner: Pseudonym, start: u64, minutes: u64) -> EntryPlain {
		EntryPlain {
			owner,
			stays: vec![Stay {
				start,
				end: start + 60 * minutes,
				geohash: cafe(),
				source: Source::Gnss,
			}],
		}
	}

	/// Seals `entries` to the enclave's current key and ingests them as block `block`.
	fn ingest(
		enclave: &SimulatedEnclave,
		block: u32,
		entries: &[EntryPlain],
	) -> Result<Ingested, IngestError> {
		let public = current_key(enclave);
		let sealed = seal_batch(&public, 0, DAY, cafe().truncate(5), entries).unwrap();
		enclave.ingest(&sealed.header, &public, block, &sealed.entries)
	}

	fn current_key(enclave: &SimulatedEnclave) -> X25519Public {
		let hex = enclave.attestation().sealing_key;
		hex::decode(&hex[2..]).unwrap().try_into().unwrap()
	}

	fn request(case: Pseudonym, as_of: u32, since: Option<u32>) -> JudgeRequest {
		JudgeRequest {
			genesis: GENESIS,
			case: 3,
			round: since.map_or(0, |_| 1),
			part: 0,
			window: DayWindow { first: DAY - 2, last: DAY },
			pseudonyms: vec![(DAY, case)],
			endorsed_at: T + 86_400,
			as_of,
			since,
			opened_at: u32::MAX,
			params: RiskParams::default(),
			materials: Default::default(),
			materials_at: 0,
			registered: std::sync::Arc::new([cafe().truncate(7)].into()),
			cases: Default::default(),
			max_exposures: MAX_EXPOSURES,
			max_cells: 256,
		}
	}

	#[test]
	fn a_signed_result_verifies_under_the_attested_key_and_is_deterministic() {
		let enclave = SimulatedEnclave::new(T, 86_400);
		let (case, contact) = ([1; 32], [2; 32]);
		ingest(&enclave, 5, &[stay(case, T, 30), stay(contact, T, 20)]).unwrap();
		let Verdict::Signed { result, signature } = enclave.judge(&request(case, 5, None)) else {
			panic!("round 0 always answers")
		};
		assert_eq!((result.parts, result.exposures.len(), result.cells.len()), (1, 1, 1));
		assert_eq!(result.exposures[0].fingerprint, fingerprint(&contact));
		assert_eq!(result.exposures[0].risk, RiskLevel::High);
		let key = ed25519_dalek::VerifyingKey::from_bytes(&result.signer).unwrap();
		let payload = epichain_primitives::signing::result_payload(&GENESIS, &result);
		key.verify_strict(&payload, &ed25519_dalek::Signature::from_bytes(&signature)).unwrap();
		assert_eq!(hex0x(&result.signer), enclave.attestation().signing_key);
		// Another chain's genesis does not verify.
		assert!(key
			.verify_strict(
				&epichain_primitives::signing::result_payload(&[8; 32], &result),
				&signature.into()
			)
			.is_err());
		// The same state judged again (cache cleared) gives the same bytes.
		enclave.cache.lock().unwrap().clear();
		let Verdict::Signed { result: again, signature: again_sig } =
			enclave.judge(&request(case, 5, None))
		else {
			panic!()
		};
		assert_eq!((again, again_sig), (result, signature));
	}

	/// A contact that is itself an endorsed case (at the judging block) is left out of the
	/// result; everyone else is still there.
	#[test]
	fn a_contact_who_is_an_endorsed_case_is_not_named_in_the_result() {
		let enclave = SimulatedEnclave::new(T, 86_400);
		let (case, contact, other_case) = ([1; 32], [2; 32], [3; 32]);
		ingest(&enclave, 5, &[stay(case, T, 30), stay(contact, T, 20), stay(other_case, T, 25)])
			.unwrap();
		let mut req = request(case, 5, None);
		req.cases = std::sync::Arc::new([(DAY, fingerprint(&other_case))].into());
		let Verdict::Signed { result, .. } = enclave.judge(&req) else { panic!() };
		let named: Vec<_> = result.exposures.iter().map(|e| e.fingerprint).collect();
		assert_eq!(named, vec![fingerprint(&contact)]);
		// Without the case list both are named: the filter is what left it out.
		let Verdict::Signed { result, .. } = enclave.judge(&request(case, 5, None)) else {
			panic!()
		};
		assert_eq!(result.exposures.len(), 2);
	}

	/// The case with more than 2,000 exposures: the round arrives in parts, each signed,
	/// the High ones first, and every exposure is in exactly one part.
	#[test]
	fn a_case_with_more_than_two_thousand_exposures_is_paged_highest_risk_first() {
		let enclave = SimulatedEnclave::new(T, 86_400);
		let case = [1; 32];
		// 700 people near the case for 20 minutes (High), 1,400 for 5 (Low).
		let people: Vec<EntryPlain> = (0..2_100u32)
			.map(|i| {
				let mut owner = [0u8; 32];
				owner[..4].copy_from_slice(&(i + 10).to_le_bytes());
				stay(owner, T, if i % 3 == 0 { 20 } else { 5 })
			})
			.collect();
		ingest(&enclave, 5, &[stay(case, T, 30)]).unwrap();
		for chunk in people.chunks(300) {
			ingest(&enclave, 5, chunk).unwrap();
		}
		let mut request = request(case, 5, None);
		let mut seen = std::collections::BTreeSet::new();
		let mut risks = Vec::new();
		let mut cells = 0;
		let parts = 2_100u32.div_ceil(MAX_EXPOSURES);
		assert_eq!(parts, 3);
		for part in 0..parts {
			request.part = part;
			let Verdict::Signed { result, signature } = enclave.judge(&request) else {
				panic!("part {part} exists")
			};
			assert_eq!((result.part, result.parts, result.as_of), (part, parts, 5));
			let key = ed25519_dalek::VerifyingKey::from_bytes(&result.signer).unwrap();
			let payload = epichain_primitives::signing::result_payload(&GENESIS, &result);
			key.verify_strict(&payload, &ed25519_dalek::Signature::from_bytes(&signature)).unwrap();
			for e in &result.exposures {
				assert!(seen.insert(e.fingerprint), "an exposure in two parts");
				risks.push(e.risk);
			}
			cells += result.cells.len();
		}
		// Every planted exposure, none twice, none cut; Highs before any Low.
		let planted: std::collections::BTreeSet<_> =
			people.iter().map(|p| fingerprint(&p.owner)).collect();
		assert_eq!(seen, planted);
		assert_eq!(risks.iter().filter(|r| **r == RiskLevel::High).count(), 700);
		assert!(risks.windows(2).all(|w| w[0].rank() >= w[1].rank()), "highest risk first");
		assert_eq!(cells, 1);
		request.part = parts;
		assert_eq!(enclave.judge(&request), Verdict::NoSuchPart { parts });
	}

	#[test]
	fn pages_hold_everything_and_an_empty_round_is_one_page() {
		let empty = Judgement { exposures: vec![], details: vec![], cells: vec![] };
		assert_eq!(pages(&empty, 4, 2).len(), 1);
		let cell = |n: u64| InfectedCell {
			cell: Geohash::from_bits(n, 7).unwrap(),
			source: epichain_primitives::traits::InfectionSource::VisitBeforeEndorsement,
			day: DAY,
		};
		// Five cells at two a page outnumber three exposures at four a page: three pages.
		let found = Judgement {
			exposures: (0..3u8)
				.map(|n| Exposure {
					fingerprint: [n; 16],
					day: DAY,
					risk: RiskLevel::Low,
					probability_ppm: n as u32,
				})
				.collect(),
			details: vec![],
			cells: (0..5).map(cell).collect(),
		};
		let paged = pages(&found, 4, 2);
		assert_eq!(paged.len(), 3);
		assert_eq!(
			paged.iter().map(|(e, c)| (e.len(), c.len())).collect::<Vec<_>>(),
			vec![(3, 2), (0, 2), (0, 1)]
		);
		// The highest probability first within a level.
		assert_eq!(paged[0].0[0].fingerprint, [2; 16]);
	}

	#[test]
	fn a_later_round_reports_only_what_arrived_since_the_last_one() {
		let enclave = SimulatedEnclave::new(T, 86_400);
		let case = [1; 32];
		ingest(&enclave, 5, &[stay(case, T, 30), stay([2; 32], T, 20)]).unwrap();
		// Nothing new since block 5.
		assert_eq!(enclave.judge(&request(case, 6, Some(5))), Verdict::NothingNew);
		// A late upload at block 7: one more contact; the earlier one is not repeated.
		ingest(&enclave, 7, &[stay([3; 32], T + 600, 16)]).unwrap();
		let Verdict::Signed { result, .. } = enclave.judge(&request(case, 7, Some(5))) else {
			panic!("a new contact is new")
		};
		let fps: Vec<_> = result.exposures.iter().map(|e| e.fingerprint).collect();
		assert_eq!(fps, vec![fingerprint(&[3; 32])]);
		assert!(result.cells.is_empty(), "the cafe was already reported");
		// Judged as of block 5, the late upload does not exist yet.
		let Verdict::Signed { result, .. } = enclave.judge(&request(case, 5, None)) else {
			panic!()
		};
		assert_eq!(result.exposures.len(), 1);
	}

	#[test]
	fn a_shredded_epoch_cannot_be_opened_and_unknown_keys_are_refused() {
		let enclave = SimulatedEnclave::new(T, 86_400);
		let old = current_key(&enclave);
		let entries = [stay([1; 32], T, 5)];
		let sealed = seal_batch(&old, 0, DAY, cafe().truncate(5), &entries).unwrap();
		enclave.new_epoch(T + 3_600).unwrap();
		assert_eq!(enclave.shred_expired(T + 86_399), Ok(vec![]));
		assert_eq!(enclave.shred_expired(T + 86_400), Ok(vec![0]));
		assert_eq!(
			enclave.ingest(&sealed.header, &old, 1, &sealed.entries),
			Err(IngestError::Shredded)
		);
		assert_eq!(
			enclave.ingest(&sealed.header, &[9; 32], 1, &sealed.entries),
			Err(IngestError::UnknownKey)
		);
		let a = enclave.attestation();
		assert!(a.epochs[0].shredded && !a.epochs[1].shredded);
		// The new epoch still opens.
		assert_eq!(ingest(&enclave, 2, &entries).unwrap().stays, 1);
		let s = enclave.statistics();
		assert_eq!((s.live_epochs, s.shredded_epochs, s.unopenable_batches), (1, 1, 2));
	}

	/// The store of a fresh scratch directory for chain [`GENESIS`].
	fn store(dir: &std::path::Path) -> StateStore {
		StateStore::simulation(dir, GENESIS).unwrap()
	}

	fn scratch(name: &str) -> std::path::PathBuf {
		let dir = std::env::temp_dir().join(format!(
			"epichain-enclave-{name}-{}-{}",
			std::process::id(),
			rand_core::RngCore::next_u64(&mut rand_core::OsRng)
		));
		std::fs::create_dir_all(&dir).unwrap();
		dir
	}

	/// The crash: the process dies after a day was written. The restarted enclave
	/// unseals its keys, re-reads the same batches, and signs the same bytes for the same job.
	/// The chain's `rotate_sealing_key` takes only keys the enclave endorsed; it endorses its
	/// own live keys and nothing else.
	#[test]
	fn the_enclave_endorses_its_own_live_sealing_keys_and_no_other() {
		use ed25519_dalek::{Signature, Verifier, VerifyingKey};
		let enclave = SimulatedEnclave::new(0, 60);
		let first: X25519Public =
			epichain_primitives::hex0x::decode_array(&enclave.attestation().sealing_key).unwrap();
		let second = enclave.new_epoch(10).unwrap();
		let signer = VerifyingKey::from_bytes(&enclave.signing_key()).unwrap();
		for key in [first, second] {
			let endorsement = enclave.endorse_sealing_key(&key).expect("a live key is endorsed");
			let binding = matcher_report_data(&enclave.signing_key(), &key);
			assert!(signer.verify(&binding, &Signature::from_bytes(&endorsement)).is_ok());
		}
		assert_eq!(enclave.endorse_sealing_key(&[0x77; 32]), None, "a key it does not hold");
		enclave.shred_expired(65).unwrap();
		assert_eq!(enclave.endorse_sealing_key(&first), None, "a shredded key");
		assert!(enclave.endorse_sealing_key(&second).is_some());
		let shown = enclave.attestation().epochs;
		assert_eq!(shown[0].endorsement, None);
		assert_eq!(
			shown[1].endorsement,
			Some(hex0x(&enclave.endorse_sealing_key(&second).unwrap()))
		);
	}

	#[test]
	fn a_restarted_enclave_is_the_same_matcher_and_signs_the_same_bytes() {
		let dir = scratch("restart");
		let (case, contact) = ([1; 32], [2; 32]);
		let (first, opened) = SimulatedEnclave::open(store(&dir), T, 86_400).unwrap();
		assert_eq!(opened, Opened::New);
		let public = current_key(&first);
		let sealed = seal_batch(
			&public,
			0,
			DAY,
			cafe().truncate(5),
			&[stay(case, T, 30), stay(contact, T, 20)],
		)
		.unwrap();
		first.ingest(&sealed.header, &public, 5, &sealed.entries).unwrap();
		let before = first.judge(&request(case, 5, None));
		let attested = first.attestation();
		drop(first);

		let (again, opened) = SimulatedEnclave::open(store(&dir), T + 60, 86_400).unwrap();
		assert_eq!(opened, Opened::Restored { epochs: 1, live: 1 });
		let restored = again.attestation();
		assert_eq!(
			(&restored.signing_key, &restored.sealing_key, &restored.report_hash),
			(&attested.signing_key, &attested.sealing_key, &attested.report_hash)
		);
		// Before it re-reads the chain it knows nothing; after, it answers as before.
		assert_eq!(again.statistics().stays, 0);
		again.ingest(&sealed.header, &public, 5, &sealed.entries).unwrap();
		let after = again.judge(&request(case, 5, None));
		assert!(matches!(&after, Verdict::Signed { result, .. } if result.exposures.len() == 1));
		assert_eq!(after, before);
	}

	/// A replica provisioned by a running one is the same matcher: it opens what was sealed to
	/// the matcher's key and signs the same bytes; its keys are sealed to its own store; a
	/// later epoch reaches it by adoption, and a shred there is a shred here.
	#[test]
	fn a_provisioned_replica_is_the_same_matcher_and_adopts_later_epochs() {
		let genesis = [7; 32];
		let (case, contact) = ([1; 32], [2; 32]);
		let running = SimulatedEnclave::new(T, 86_400);
		let public = current_key(&running);
		let sealed = seal_batch(
			&public,
			0,
			DAY,
			cafe().truncate(5),
			&[stay(case, T, 30), stay(contact, T, 20)],
		)
		.unwrap();
		running.ingest(&sealed.header, &public, 5, &sealed.entries).unwrap();

		let ask = |replica_of: &SimulatedEnclave| {
			let newcomer = Newcomer::new(genesis, replica_of.signing_key());
			let request = newcomer.request(simulation_evidence());
			let (keys, admitted) =
				replica_of.provision(&genesis, &request, &Policy::default(), true, T).unwrap();
			assert_eq!(admitted.measurement, simulation_measurement());
			(newcomer, keys)
		};
		let dir = scratch("provisioned");
		let (newcomer, keys) = ask(&running);
		let (replica, opened) =
			SimulatedEnclave::provisioned(newcomer, &keys, Some(store(&dir)), 86_400).unwrap();
		assert_eq!(opened, Opened::Provisioned { epochs: 1, live: 1 });
		assert_eq!(replica.signing_key(), running.signing_key());
		replica.ingest(&sealed.header, &public, 5, &sealed.entries).unwrap();
		assert_eq!(replica.judge(&request(case, 5, None)), running.judge(&request(case, 5, None)));
		// Sealed to its own store: a restart of the replica is the same replica.
		let (restarted, _) = SimulatedEnclave::open(store(&dir), T, 86_400).unwrap();
		assert_eq!(restarted.signing_key(), running.signing_key());

		// The running replica makes the next epoch and shreds the first.
		let next = running.new_epoch(T + 3_600).unwrap();
		assert!(!replica.knows_sealing_key(&next));
		let (newcomer, keys) = ask(&running);
		assert_eq!(replica.adopt(newcomer, &keys), Ok(vec![1]));
		assert!(replica.knows_sealing_key(&next));
		assert!(replica.endorse_sealing_key(&next).is_some());
		assert_eq!(running.shred_expired(T + 86_400), Ok(vec![0]));
		let (newcomer, keys) = ask(&running);
		assert_eq!(replica.adopt(newcomer, &keys), Ok(vec![]));
		assert_eq!(
			replica.ingest(&sealed.header, &public, 6, &sealed.entries),
			Err(IngestError::Shredded)
		);
		let state = store(&dir).load().unwrap().unwrap();
		assert_eq!(
			state.epochs.iter().map(|e| e.secret.is_some()).collect::<Vec<_>>(),
			[false, true]
		);

		// Another matcher's keys are not adopted.
		let other = SimulatedEnclave::new(T, 86_400);
		let newcomer = Newcomer::new(genesis, other.signing_key());
		let request = newcomer.request(simulation_evidence());
		let (keys, _) = other.provision(&genesis, &request, &Policy::default(), true, T).unwrap();
		assert_eq!(replica.adopt(newcomer, &keys), Err(ProvisionError::NotThisMatcher));
	}

	/// Shredding reaches the store: a restart does not bring a shredded secret back, and an
	/// epoch made after the restart is sealed too.
	#[test]
	fn a_shredded_secret_stays_shredded_across_a_restart() {
		let dir = scratch("shred");
		let (enclave, _) = SimulatedEnclave::open(store(&dir), T, 86_400).unwrap();
		let old = current_key(&enclave);
		let sealed = seal_batch(&old, 0, DAY, cafe().truncate(5), &[stay([1; 32], T, 5)]).unwrap();
		let old_secret = store(&dir).load().unwrap().unwrap().epochs[0].secret.unwrap();
		enclave.new_epoch(T + 3_600).unwrap();
		assert_eq!(enclave.shred_expired(T + 86_400), Ok(vec![0]));
		drop(enclave);
		let (enclave, opened) = SimulatedEnclave::open(store(&dir), T + 86_500, 86_400).unwrap();
		assert_eq!(opened, Opened::Restored { epochs: 2, live: 1 });
		assert_eq!(
			enclave.ingest(&sealed.header, &old, 1, &sealed.entries),
			Err(IngestError::Shredded)
		);
		let state = store(&dir).load().unwrap().unwrap();
		assert_eq!(state.epochs[0].secret, None);
		assert!(state.epochs[1].secret.is_some());
		// The shredded secret's bytes are nowhere in the store's plaintext.
		assert!(!state.encode().windows(32).any(|w| w == old_secret));
		let third = enclave.new_epoch(T + 90_000).unwrap();
		let state = store(&dir).load().unwrap().unwrap();
		assert_eq!(state.epochs.last().map(|e| e.public), Some(third));
	}

	/// The restart without keys: a new identity cannot open the day written before it
	/// and, rather than sign "0 exposures", refuses the case whose window holds that day.
	#[test]
	fn a_case_whose_window_holds_a_batch_it_cannot_open_is_not_signed() {
		let lost = SimulatedEnclave::new(T, 86_400);
		let (case, contact) = ([1; 32], [2; 32]);
		let public = current_key(&lost);
		let sealed = seal_batch(
			&public,
			0,
			DAY,
			cafe().truncate(5),
			&[stay(case, T, 30), stay(contact, T, 20)],
		)
		.unwrap();
		let stranger = SimulatedEnclave::new(T + 60, 86_400);
		assert_eq!(
			stranger.ingest(&sealed.header, &public, 5, &sealed.entries),
			Err(IngestError::UnknownKey)
		);
		let Verdict::Incomplete { gap, signature } = stranger.judge(&request(case, 5, None)) else {
			panic!("a window holding a batch it cannot open is not signed");
		};
		assert_eq!(
			(gap.case, gap.as_of, gap.signer, gap.batches, gap.first_day, gap.last_day),
			(request(case, 5, None).case, 5, stranger.signing_key(), 1, DAY, DAY)
		);
		// The gap is signed for the chain, under its own domain.
		let genesis = request(case, 5, None).genesis;
		let key = ed25519_dalek::VerifyingKey::from_bytes(&gap.signer).unwrap();
		let message = epichain_primitives::signing::gap_payload(&genesis, &gap);
		assert!(key
			.verify_strict(&message, &ed25519_dalek::Signature::from_bytes(&signature))
			.is_ok());
		assert_eq!(stranger.statistics().unopened_in_window, 1);
		// Judged as of a block before the batch arrived, or for a window after its day, the
		// case is whole and signed.
		assert!(matches!(stranger.judge(&request(case, 4, None)), Verdict::Signed { .. }));
		let mut later = request(case, 5, None);
		later.window = DayWindow { first: DAY + 1, last: DAY + 2 };
		assert!(matches!(stranger.judge(&later), Verdict::Signed { .. }));
		// A pull query over that day says its report may be missing exposures.
		let me = DeviceSeed::generate();
		let query = proven_query(&stranger, &me, T, [1; 16]);
		let answer = ask(&stranger, &query, T, &[request(case, 5, None)]).unwrap();
		assert_eq!(answer["verified"], 1);
		assert_eq!(
			answer["gap"],
			serde_json::json!({"batches": 1, "firstDay": DAY, "lastDay": DAY})
		);
		// Once the day leaves the retention window, there is no gap to speak of.
		stranger.prune_before((DAY as u64 + 1) * 86_400);
		assert_eq!(stranger.statistics().unopened_in_window, 0);
		// The enclave that holds the key signs the contact.
		lost.ingest(&sealed.header, &public, 5, &sealed.entries).unwrap();
		assert!(matches!(lost.judge(&request(case, 5, None)),
			Verdict::Signed { result, .. } if result.exposures.len() == 1));
	}

	#[test]
	fn tampered_entries_are_counted_never_indexed() {
		let enclave = SimulatedEnclave::new(T, 86_400);
		let public = current_key(&enclave);
		let entries = [stay([1; 32], T, 5), stay([2; 32], T, 5)];
		let mut sealed = seal_batch(&public, 0, DAY, cafe().truncate(5), &entries).unwrap();
		sealed.entries[1][3] ^= 1;
		let got = enclave.ingest(&sealed.header, &public, 1, &sealed.entries).unwrap();
		assert_eq!((got.entries, got.rejected, got.stays), (1, 1, 1));
	}

	/// A query proving `who`'s pseudonym of [`DAY`], issued at `issued_at`.
	fn proven_query(
		enclave: &SimulatedEnclave,
		who: &DeviceSeed,
		issued_at: u64,
		nonce: [u8; 16],
	) -> QueryPlain {
		let message = epichain_primitives::signing::query_message(
			&GENESIS,
			&enclave.signing_key(),
			issued_at,
		);
		let key = who.pseudonym_key(DAY);
		QueryPlain {
			issued_at,
			nonce,
			proofs: vec![QueryProof {
				day: DAY,
				pseudonym: key.public(),
				signature: key.sign(&message),
			}],
		}
	}

	/// Seals `query` to the enclave's current key, as a user's app does, and opens the answer
	/// (the enclave's clock at `now`).
	fn ask(
		enclave: &SimulatedEnclave,
		query: &QueryPlain,
		now: u64,
		cases: &[JudgeRequest],
	) -> Result<serde_json::Value, QueryError> {
		let (sealed, opener) = seal_query(&GENESIS, &current_key(enclave), query).unwrap();
		let handle = enclave.open_query(&GENESIS, &sealed, now)?;
		let reply = enclave.answer_query(handle, cases)?;
		Ok(serde_json::from_slice(&opener.open(&reply).unwrap()).unwrap())
	}

	#[test]
	fn a_pull_query_answers_only_the_proven_pseudonyms_own_exposures() {
		let enclave = SimulatedEnclave::new(T, 86_400);
		let (me, other) = (DeviceSeed::generate(), DeviceSeed::generate());
		let case = [1; 32];
		ingest(
			&enclave,
			5,
			&[stay(case, T, 30), stay(me.pseudonym(DAY), T, 20), stay(other.pseudonym(DAY), T, 5)],
		)
		.unwrap();
		let cases = [request(case, 5, None)];
		let answer = ask(&enclave, &proven_query(&enclave, &me, T, [1; 16]), T, &cases).unwrap();
		assert_eq!(
			(answer["verified"].as_u64(), &answer["gap"]),
			(Some(1), &serde_json::Value::Null)
		);
		let report = answer["exposures"].as_array().unwrap();
		assert_eq!(report.len(), 1, "{answer}");
		assert_eq!(
			(&report[0]["risk"], &report[0]["minutes"], &report[0]["case"]),
			(&serde_json::json!("high"), &serde_json::json!(20), &serde_json::json!(3))
		);
		// Claiming someone else's pseudonym without their key proves nothing.
		let mut claim = proven_query(&enclave, &me, T, [2; 16]);
		claim.proofs[0].pseudonym = other.pseudonym(DAY);
		assert_eq!(ask(&enclave, &claim, T, &cases), Err(QueryError::NoValidProof));
		// A proof over another time's message proves nothing.
		let mut later = proven_query(&enclave, &me, T + 1, [3; 16]);
		later.issued_at = T;
		assert_eq!(ask(&enclave, &later, T, &cases), Err(QueryError::NoValidProof));
	}

	/// Every way a sealed query can be wrong is refused by name, and a refused query leaves
	/// nothing open.
	#[test]
	fn a_replayed_stale_or_misaddressed_query_is_refused_by_name() {
		let enclave = SimulatedEnclave::new(T, 86_400);
		let me = DeviceSeed::generate();
		let query = proven_query(&enclave, &me, T, [9; 16]);
		let (sealed, _) = seal_query(&GENESIS, &current_key(&enclave), &query).unwrap();
		let handle = enclave.open_query(&GENESIS, &sealed, T).unwrap();
		// The same ciphertext again, or the same nonce sealed afresh: a replay.
		assert_eq!(enclave.open_query(&GENESIS, &sealed, T + 1), Err(QueryError::Replayed));
		assert_eq!(ask(&enclave, &query, T + 2, &[]), Err(QueryError::Replayed));
		// Past the skew window it is stale (and forgotten: its nonce is no longer kept).
		let stale = proven_query(&enclave, &me, T, [8; 16]);
		assert_eq!(ask(&enclave, &stale, T + QUERY_MAX_SKEW_SECS + 1, &[]), Err(QueryError::Stale));
		// Sealed to a key the enclave does not hold, for another chain, or changed.
		let (elsewhere, _) = seal_query(&GENESIS, &[9; 32], &query).unwrap();
		assert_eq!(enclave.open_query(&GENESIS, &elsewhere, T), Err(QueryError::UnknownKey));
		let fresh = proven_query(&enclave, &me, T, [7; 16]);
		let (sealed, _) = seal_query(&[8; 32], &current_key(&enclave), &fresh).unwrap();
		assert_eq!(enclave.open_query(&GENESIS, &sealed, T), Err(QueryError::Unauthentic));
		let (mut sealed, _) = seal_query(&GENESIS, &current_key(&enclave), &fresh).unwrap();
		sealed.ciphertext[5] ^= 1;
		assert_eq!(enclave.open_query(&GENESIS, &sealed, T), Err(QueryError::Unauthentic));
		// No proof, or too many.
		let empty = QueryPlain { proofs: vec![], ..proven_query(&enclave, &me, T, [6; 16]) };
		assert_eq!(ask(&enclave, &empty, T, &[]), Err(QueryError::BadProofCount));
		let mut many = proven_query(&enclave, &me, T, [5; 16]);
		many.proofs = vec![many.proofs[0].clone(); MAX_QUERY_PROOFS + 1];
		assert_eq!(ask(&enclave, &many, T, &[]), Err(QueryError::BadProofCount));
		// The first query is still open; answered once, it is gone.
		assert!(enclave.answer_query(handle, &[]).is_ok());
		assert_eq!(enclave.answer_query(handle, &[]), Err(QueryError::UnknownQuery));
		assert_eq!(enclave.statistics().queries, 1);
	}
}

//! `epichain-primitives` for JavaScript: the protocol's crypto and signed payloads, compiled
//! to WebAssembly with wasm-bindgen, so an app or a service written in JavaScript calls the very
//! code the runtime, the matcher and the Rust client call, and never re-implements it.
//!
//! `js/scripts/build-wasm.sh` builds it (`--target web`: one module for browsers and Node) into
//! `js/wasm/`; `js/src/primitives.ts` loads it. Every byte argument is a `Uint8Array`, every
//! returned byte string a fresh `Uint8Array`; a wrong length, an unknown name or an entry that
//! does not fit its batch throws an `Error` whose message names what was wrong.
//!
//! | function | what it returns |
//! |---|---|
//! | [`pseudonym`], [`fingerprint`] | a device's pseudonym of a day, and the 16 bytes notifications carry |
//! | [`case_nullifier`] | the nullifier of a laboratory's case id |
//! | [`consent`] | a patient's consent (SCALE `Vec<ConsentedPseudonym>`) for a diagnostician and case |
//! | [`endorsement`], [`endorsement_payload`] | the `Endorsement` argument of `Diagnosis::endorse_case`, and what the diagnostician signs |
//! | [`revocation_payload`] | what a diagnostician signs to revoke a case |
//! | [`cell_bounds`] | a geohash cell's south, west, north and east bounds, for maps |
//! | [`cell_of`] | the 9-character cell of a position (what a phone keeps of a satellite fix) |
//! | [`device_stays`] | a device's own fixes as the entries it seals (the locators' stay rule), and the fixes of stays still open |
//! | [`seal_batch`] → [`SealedBatch`] | a CSI batch sealed to the matcher's key: the `CsiBatch` argument of `Csi::submit_batch`, and what the locator signs |
//! | [`seal_device_entry`] | one owner's stays sealed on their own device, for a venue or gateway to batch without reading them |
//! | [`seal_query`] → [`SealedQuery`] | a pull query to the matcher enclave, proven by the device's pseudonyms and sealed to the enclave: the JSON body of `POST /v1/query`, and the opener of its reply |
//!
//! Plaintext stays exist only in the caller's memory: nothing here logs or keeps them.

use codec::{Decode, Encode};
use epichain_primitives::{
	csi::{EntryPlain, Source, Stay},
	diagnosis::{self, CaseNullifier, ConsentedPseudonym, DayWindow},
	geohash::Geohash,
	pseudonym::DeviceSeed,
	sealing, signing,
	tcn::SignedReport,
	DayIndex,
};
use wasm_bindgen::prelude::*;

/// The longest consent window, in days, a device signs in one call (two infectious weeks and
/// more; the chain's own bound on pseudonyms per endorsement is lower and refuses the rest).
pub const MAX_CONSENT_DAYS: u32 = 64;

/// Why a call was refused: the message names the argument and what was wrong with it. In
/// JavaScript it is thrown as an `Error` with that message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(pub String);

impl core::fmt::Display for Error {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.write_str(&self.0)
	}
}

impl From<Error> for JsValue {
	fn from(e: Error) -> Self {
		JsError::new(&e.0).into()
	}
}

fn refuse<T>(message: impl Into<String>) -> Result<T, Error> {
	Err(Error(message.into()))
}

fn array<const N: usize>(what: &str, bytes: &[u8]) -> Result<[u8; N], Error> {
	bytes.try_into().map_err(|_| Error(format!("{what} is {N} bytes, not {}", bytes.len())))
}

fn decode_all<T: Decode>(what: &str, bytes: &[u8]) -> Result<T, Error> {
	let mut rest = bytes;
	let value = T::decode(&mut rest)
		.map_err(|_| Error(format!("{what} is not SCALE-encoded as expected")))?;
	if !rest.is_empty() {
		return refuse(format!("{what} has {} bytes after its end", rest.len()));
	}
	Ok(value)
}

/// The pseudonym (ed25519 public key, 32 bytes) of device `seed` (32 bytes) on `day` (days since
/// the unix epoch).
#[wasm_bindgen]
pub fn pseudonym(seed: &[u8], day: DayIndex) -> Result<Vec<u8>, Error> {
	Ok(DeviceSeed::from_bytes(array("the device seed", seed)?).pseudonym(day).to_vec())
}

/// The 16-byte fingerprint of a 32-byte `pseudonym`: what a notification names, and what a
/// device compares with its own.
#[wasm_bindgen]
pub fn fingerprint(pseudonym: &[u8]) -> Result<Vec<u8>, Error> {
	Ok(epichain_primitives::pseudonym::fingerprint(&array("a pseudonym", pseudonym)?).to_vec())
}

/// The 32-byte nullifier of case `case_id` at laboratory `lab` (any bytes): the same case
/// endorsed twice has the same nullifier, and the chain refuses the second.
#[wasm_bindgen(js_name = caseNullifier)]
pub fn case_nullifier(lab: &[u8], case_id: &[u8]) -> Vec<u8> {
	diagnosis::case_nullifier(lab, case_id).to_vec()
}

/// A patient's consent: for each day `first..=last`, device `seed`'s pseudonym of that day and
/// its signature allowing `diagnostician` (the 32-byte account id) to endorse case `nullifier`
/// on the chain with genesis hash `genesis`. Returned as SCALE `Vec<ConsentedPseudonym>`.
#[wasm_bindgen]
pub fn consent(
	seed: &[u8],
	genesis: &[u8],
	diagnostician: &[u8],
	nullifier: &[u8],
	first: DayIndex,
	last: DayIndex,
) -> Result<Vec<u8>, Error> {
	let seed = DeviceSeed::from_bytes(array("the device seed", seed)?);
	let genesis: [u8; 32] = array("the genesis hash", genesis)?;
	let diagnostician: [u8; 32] = array("the diagnostician's account id", diagnostician)?;
	let nullifier: CaseNullifier = array("the case nullifier", nullifier)?;
	if first > last {
		return refuse(format!(
			"the consent window ends (day {last}) before it starts (day {first})"
		));
	}
	if last - first >= MAX_CONSENT_DAYS {
		return refuse(format!(
			"a consent window of {} days is longer than {MAX_CONSENT_DAYS}",
			last - first + 1
		));
	}
	let consented: Vec<ConsentedPseudonym> = (first..=last)
		.map(|day| {
			ConsentedPseudonym::sign(&seed.pseudonym_key(day), &genesis, &diagnostician, &nullifier)
		})
		.collect();
	Ok(consented.encode())
}

/// The bounds of geohash `cell` (any precision), for drawing it: `[south, west, north, east]` in
/// degrees. A string that is not a geohash is refused by name.
#[wasm_bindgen(js_name = cellBounds)]
pub fn cell_bounds(cell: &str) -> Result<Vec<f64>, Error> {
	let c = epichain_primitives::geohash::decode(cell.as_bytes())
		.map_err(|err| Error(format!("{cell:?} is not a geohash ({err:?})")))?;
	Ok(vec![c.lat - c.lat_err, c.lon - c.lon_err, c.lat + c.lat_err, c.lon + c.lon_err])
}

/// The 9-character geohash cell (about 4.8 m x 4.8 m) of a position in degrees: what a phone
/// keeps of a satellite fix. A position off the globe is refused.
#[wasm_bindgen(js_name = cellOf)]
pub fn cell_of(lat: f64, lon: f64) -> Result<String, Error> {
	let cell = epichain_primitives::geohash::encode(lat, lon, 9)
		.map_err(|err| Error(format!("the position is not on the globe ({err:?})")))?;
	Ok(cell.as_str().to_string())
}

/// One fix as [`device_stays`] reads it: unix second, 9-character cell, the source's name.
#[derive(serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
struct FixJson {
	at: u64,
	cell: String,
	source: String,
}

/// A device's own fixes become the entries it seals, by the locators' one rule
/// (`epichain_primitives::stays`): `fixes_json` is `[{"at", "cell", "source"}]` of device `seed`;
/// at unix second `now` the stays that are over come back as `{"entries": [{"day", "entry":
/// {"owner", "stays"}}], "keep": [fix...]}`. Each `entry` is what [`seal_device_entry`] takes,
/// with at most `max_stays` stays (a day with more is several entries); `keep` is the fixes of
/// the stays still open, for the next call.
#[wasm_bindgen(js_name = deviceStays)]
pub fn device_stays(
	seed: &[u8],
	fixes_json: &str,
	now: u64,
	max_stays: u32,
) -> Result<String, Error> {
	use epichain_primitives::stays::{settle, Fix, MergeRules};
	let seed = DeviceSeed::from_bytes(array("the device seed", seed)?);
	if max_stays == 0 {
		return refuse("an entry holds at least one stay (max_stays is 0)");
	}
	let parsed: Vec<FixJson> = serde_json::from_str(fixes_json)
		.map_err(|e| Error(format!("the fixes are not the expected JSON: {e}")))?;
	// Messages name the fix, never its place or time.
	let fixes = parsed
		.iter()
		.enumerate()
		.map(|(i, f)| {
			let cell = Geohash::parse(f.cell.as_bytes())
				.ok()
				.filter(|c| c.len() == epichain_primitives::geohash::POINT_PRECISION)
				.ok_or_else(|| Error(format!("fix {i}: the cell is not a 9-character geohash")))?;
			let day = epichain_primitives::day_of_secs(f.at);
			let owner = seed.pseudonym(day);
			Ok(Fix { owner, unix_secs: f.at, cell, source: source(&f.source)? })
		})
		.collect::<Result<Vec<_>, Error>>()?;
	let (over, kept) = settle(&fixes, now, &MergeRules::default());
	let stay_json = |s: &Stay| {
		serde_json::json!({
			"start": s.start, "end": s.end, "cell": s.geohash.as_str(), "source": format!("{:?}", s.source)
		})
	};
	// `over` is sorted by owner and start: each owner is one day.
	let mut entries = Vec::new();
	for day_stays in over.chunk_by(|a, b| a.owner == b.owner) {
		let day = epichain_primitives::day_of_secs(day_stays[0].stay.start);
		let owner = epichain_primitives::hex0x::encode(&day_stays[0].owner);
		for part in day_stays.chunks(max_stays as usize) {
			let stays: Vec<_> = part.iter().map(|s| stay_json(&s.stay)).collect();
			entries.push(
				serde_json::json!({ "day": day, "entry": { "owner": owner, "stays": stays } }),
			);
		}
	}
	let keep: Vec<FixJson> = kept
		.iter()
		.map(|f| FixJson {
			at: f.unix_secs,
			cell: f.cell.as_str().to_string(),
			source: format!("{:?}", f.source),
		})
		.collect();
	Ok(serde_json::json!({ "entries": entries, "keep": keep }).to_string())
}

/// The fields of an endorsement, in the order the chain encodes and the diagnostician signs
/// them.
type EndorsementFields =
	(CaseNullifier, DayWindow, Vec<ConsentedPseudonym>, Vec<SignedReport>, u32);

/// The `Endorsement` argument of `Diagnosis::endorse_case` (SCALE): case `nullifier`, infectious
/// days `first..=last`, the patient's `consented` pseudonyms (from [`consent`]), no TCN reports,
/// valid until block `valid_until`. Every consented day must lie in the window.
#[wasm_bindgen]
pub fn endorsement(
	nullifier: &[u8],
	first: DayIndex,
	last: DayIndex,
	consented: &[u8],
	valid_until: u32,
) -> Result<Vec<u8>, Error> {
	let nullifier: CaseNullifier = array("the case nullifier", nullifier)?;
	let pseudonyms: Vec<ConsentedPseudonym> = decode_all("the consent", consented)?;
	if let Some(p) = pseudonyms.iter().find(|p| p.day < first || p.day > last) {
		return refuse(format!("the consent of day {} is outside days {first}..={last}", p.day));
	}
	let fields: EndorsementFields =
		(nullifier, DayWindow { first, last }, pseudonyms, Vec::new(), valid_until);
	Ok(fields.encode())
}

/// What a diagnostician signs (sr25519) to endorse: the 32-byte payload of `endorsement` (from
/// [`endorsement`]) on the chain with genesis hash `genesis`.
#[wasm_bindgen(js_name = endorsementPayload)]
pub fn endorsement_payload(genesis: &[u8], endorsement: &[u8]) -> Result<Vec<u8>, Error> {
	let genesis: [u8; 32] = array("the genesis hash", genesis)?;
	let (nullifier, window, pseudonyms, reports, valid_until): EndorsementFields =
		decode_all("the endorsement", endorsement)?;
	Ok(signing::endorsement_payload(
		&genesis,
		&nullifier,
		&window,
		&pseudonyms,
		&reports,
		valid_until,
	)
	.to_vec())
}

/// What a diagnostician signs (sr25519) to revoke `case` for `reason` (the index of the chain's
/// `RevocationReason` variant) until block `valid_until`, on the chain with genesis hash
/// `genesis`.
#[wasm_bindgen(js_name = revocationPayload)]
pub fn revocation_payload(
	genesis: &[u8],
	case: u64,
	reason: u8,
	valid_until: u32,
) -> Result<Vec<u8>, Error> {
	let genesis: [u8; 32] = array("the genesis hash", genesis)?;
	Ok(signing::revocation_payload(&genesis, case, &reason, valid_until).to_vec())
}

/// One owner's stays of the day, as [`seal_batch`] reads them from JSON.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryJson {
	/// The owner's pseudonym of the day, hex (an optional `0x`).
	owner: String,
	stays: Vec<StayJson>,
}

/// One stay: unix seconds (inclusive), the 9-character geohash, the source's name.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct StayJson {
	start: u64,
	end: u64,
	cell: String,
	source: String,
}

fn source(name: &str) -> Result<Source, Error> {
	Source::ALL.into_iter().find(|s| format!("{s:?}") == name).ok_or_else(|| {
		let names: Vec<String> = Source::ALL.iter().map(|s| format!("{s:?}")).collect();
		Error(format!("unknown source {name:?} (one of {})", names.join(", ")))
	})
}

fn entries(json: &str) -> Result<Vec<EntryPlain>, Error> {
	let parsed: Vec<EntryJson> = serde_json::from_str(json)
		.map_err(|e| Error(format!("the entries are not the expected JSON: {e}")))?;
	parsed
		.into_iter()
		.enumerate()
		.map(|(i, e)| {
			let owner =
				epichain_primitives::hex0x::decode_array::<32>(&e.owner).map_err(|err| {
					Error(format!("entry {i}: the owner is a 32-byte pseudonym: {err:?}"))
				})?;
			// Messages name the entry and stay, never the place or time.
			let stays = e
				.stays
				.into_iter()
				.enumerate()
				.map(|(j, s)| {
					let geohash = Geohash::parse(s.cell.as_bytes()).map_err(|err| {
						Error(format!("entry {i}, stay {j}: the cell is not a geohash ({err:?})"))
					})?;
					Ok(Stay { start: s.start, end: s.end, geohash, source: source(&s.source)? })
				})
				.collect::<Result<_, Error>>()?;
			Ok(EntryPlain { owner, stays })
		})
		.collect()
}

fn sealed(result: Result<sealing::SealedBatch, sealing::SealError>) -> Result<SealedBatch, Error> {
	result.map(|inner| SealedBatch { inner }).map_err(seal_refused)
}

fn seal_refused(e: sealing::SealError) -> Error {
	Error(format!("sealing refused: {e:?}"))
}

/// A CSI batch sealed to a matcher: pass [`SealedBatch::batch`] as `Csi::submit_batch`'s `batch`
/// and the locator's sr25519 signature over [`SealedBatch::signing_payload`] as its `signature`.
#[wasm_bindgen]
pub struct SealedBatch {
	inner: sealing::SealedBatch,
}

#[wasm_bindgen]
impl SealedBatch {
	/// The SCALE-encoded `BatchHeader`: key id, one-time public key, day, cell prefix.
	pub fn header(&self) -> Vec<u8> {
		self.inner.header.encode()
	}

	/// How many entries (owners) the batch holds.
	#[wasm_bindgen(js_name = entryCount)]
	pub fn entry_count(&self) -> u32 {
		self.inner.entries.len() as u32
	}

	/// Entry `index`'s ciphertext.
	pub fn entry(&self, index: u32) -> Result<Vec<u8>, Error> {
		self.inner.entries.get(index as usize).cloned().ok_or_else(|| {
			Error(format!("no entry {index} in a batch of {}", self.inner.entries.len()))
		})
	}

	/// The SCALE-encoded `CsiBatch` (header and entries): `Csi::submit_batch`'s `batch` argument.
	pub fn batch(&self) -> Vec<u8> {
		(&self.inner.header, &self.inner.entries).encode()
	}

	/// What the locator signs (sr25519) to submit this batch on the chain with genesis hash
	/// `genesis`.
	#[wasm_bindgen(js_name = signingPayload)]
	pub fn signing_payload(&self, genesis: &[u8]) -> Result<Vec<u8>, Error> {
		let genesis: [u8; 32] = array("the genesis hash", genesis)?;
		Ok(signing::batch_payload(&genesis, &self.inner.header, &self.inner.entries).to_vec())
	}
}

/// Seals `entries_json` (a JSON array of `{"owner": hex pseudonym, "stays": [{"start": unix
/// seconds, "end": unix seconds, "cell": 9-character geohash, "source": "Gnss" | "WiFi" |
/// "TransitGate" | "VenueCheckIn" | "Camera" | "Bluetooth" | "Cellular" | "Manual"}]}`) of
/// day `day` in cell `cell_prefix` to matcher sealing key `key_id` (32-byte X25519
/// `matcher_public`), with a fresh one-time key. Every stay must lie in the day and the prefix.
#[wasm_bindgen(js_name = sealBatch)]
pub fn seal_batch(
	matcher_public: &[u8],
	key_id: u32,
	day: DayIndex,
	cell_prefix: &str,
	entries_json: &str,
) -> Result<SealedBatch, Error> {
	let matcher: [u8; 32] = array("the matcher's sealing key", matcher_public)?;
	let prefix = Geohash::parse(cell_prefix.as_bytes())
		.map_err(|e| Error(format!("cell prefix {cell_prefix:?}: {e:?}")))?;
	sealed(sealing::seal_batch(&matcher, key_id, day, prefix, &entries(entries_json)?))
}

/// [`seal_batch`] with the one-time secret `ephemeral_secret` given: only to check the
/// published test vectors. A one-time key used twice repeats nonces under one key, and the
/// chain refuses the second batch.
#[wasm_bindgen(js_name = sealBatchWithEphemeralForVectors)]
pub fn seal_batch_with_ephemeral(
	ephemeral_secret: &[u8],
	matcher_public: &[u8],
	key_id: u32,
	day: DayIndex,
	cell_prefix: &str,
	entries_json: &str,
) -> Result<SealedBatch, Error> {
	let ephemeral: [u8; 32] = array("the one-time secret", ephemeral_secret)?;
	let matcher: [u8; 32] = array("the matcher's sealing key", matcher_public)?;
	let prefix = Geohash::parse(cell_prefix.as_bytes())
		.map_err(|e| Error(format!("cell prefix {cell_prefix:?}: {e:?}")))?;
	sealed(sealing::seal_batch_with_ephemeral(
		ephemeral,
		&matcher,
		key_id,
		day,
		prefix,
		&entries(entries_json)?,
	))
}

/// Seals one owner's stays on their own device (`entry_json`: one `{"owner", "stays"}` object
/// as in [`seal_batch`]) for a locator to batch under matcher key `key_id` (`matcher_public`),
/// day `day` and cell prefix `cell_prefix`, with a fresh one-time key of the device's. The
/// returned device entry (`epichain_primitives::csi`, "Device-sealed entries") is what the app
/// hands to a venue or gateway: it cannot read it.
#[wasm_bindgen(js_name = sealDeviceEntry)]
pub fn seal_device_entry(
	matcher_public: &[u8],
	key_id: u32,
	day: DayIndex,
	cell_prefix: &str,
	entry_json: &str,
) -> Result<Vec<u8>, Error> {
	let (matcher, prefix, entry) = device_args(matcher_public, cell_prefix, entry_json)?;
	sealing::seal_device_entry(&matcher, key_id, day, prefix, &entry).map_err(seal_refused)
}

/// [`seal_device_entry`] with the one-time secret given: only to check the published vector.
#[wasm_bindgen(js_name = sealDeviceEntryWithSecretForVectors)]
pub fn seal_device_entry_with_secret(
	secret: &[u8],
	matcher_public: &[u8],
	key_id: u32,
	day: DayIndex,
	cell_prefix: &str,
	entry_json: &str,
) -> Result<Vec<u8>, Error> {
	let secret: [u8; 32] = array("the one-time secret", secret)?;
	let (matcher, prefix, entry) = device_args(matcher_public, cell_prefix, entry_json)?;
	sealing::seal_device_entry_with_ephemeral(secret, &matcher, key_id, day, prefix, &entry)
		.map_err(seal_refused)
}

fn device_args(
	matcher_public: &[u8],
	cell_prefix: &str,
	entry_json: &str,
) -> Result<([u8; 32], Geohash, EntryPlain), Error> {
	let matcher: [u8; 32] = array("the matcher's sealing key", matcher_public)?;
	let prefix = Geohash::parse(cell_prefix.as_bytes())
		.map_err(|e| Error(format!("cell prefix {cell_prefix:?}: {e:?}")))?;
	let mut one = entries(&format!("[{entry_json}]"))?;
	match one.pop() {
		Some(entry) if one.is_empty() => Ok((matcher, prefix, entry)),
		_ => refuse("the entry is one JSON object {\"owner\", \"stays\"}"),
	}
}

/// The longest pull query, in days (the enclave's own bound is 64 proofs).
pub const MAX_QUERY_DAYS: u32 = 64;

/// A pull query sealed to the matcher enclave: [`SealedQuery::body`] is what `POST /v1/query`
/// takes; [`SealedQuery::open`] opens the enclave's reply to it, and nothing else can.
#[wasm_bindgen]
pub struct SealedQuery {
	body: String,
	opener: epichain_primitives::query::ReplyOpener,
}

#[wasm_bindgen]
impl SealedQuery {
	/// The JSON body of `POST /v1/query`: `{"sealingKey", "ephemeral", "ciphertext"}`, 0x-hex.
	#[wasm_bindgen(getter)]
	pub fn body(&self) -> String {
		self.body.clone()
	}

	/// The enclave's answer (JSON text) from the `reply` bytes of its response. A reply that does
	/// not open did not come from the enclave the query was sealed to, and is refused.
	pub fn open(&self, reply: &[u8]) -> Result<String, Error> {
		let answer = self.opener.open(reply).map_err(|_| {
			Error(
				"the reply does not open: it is not from the enclave the query was sealed to"
					.into(),
			)
		})?;
		String::from_utf8(answer).map_err(|_| Error("the enclave's answer is not text".into()))
	}
}

/// Device `seed`'s pull query for its own exposures on days `first..=last`, at unix second
/// `issued_at`, to the matcher whose signing key is `matcher_signing_key` on the chain with
/// genesis hash `genesis`, sealed to its enclave's key `sealing_key` (both keys as the chain
/// holds them). Each day's pseudonym signs the query message; a fresh nonce and one-time key
/// are drawn for it.
#[wasm_bindgen(js_name = sealQuery)]
pub fn seal_query(
	seed: &[u8],
	genesis: &[u8],
	matcher_signing_key: &[u8],
	sealing_key: &[u8],
	issued_at: u64,
	first: DayIndex,
	last: DayIndex,
) -> Result<SealedQuery, Error> {
	use epichain_primitives::{hex0x, query};
	let seed = DeviceSeed::from_bytes(array("the device seed", seed)?);
	let genesis: [u8; 32] = array("the genesis hash", genesis)?;
	let matcher: [u8; 32] = array("the matcher's signing key", matcher_signing_key)?;
	let sealing: [u8; 32] = array("the matcher's sealing key", sealing_key)?;
	if first > last {
		return refuse(format!(
			"the query's days end (day {last}) before they start (day {first})"
		));
	}
	if last - first >= MAX_QUERY_DAYS {
		return refuse(format!(
			"a query of {} days is longer than {MAX_QUERY_DAYS}",
			last - first + 1
		));
	}
	let plain = query::QueryPlain::prove(&seed, &genesis, &matcher, issued_at, first..=last);
	let (sealed, opener) = query::seal_query(&genesis, &sealing, &plain).map_err(seal_refused)?;
	let body = serde_json::json!({
		"sealingKey": hex0x::encode(&sealed.sealing_key),
		"ephemeral": hex0x::encode(&sealed.ephemeral),
		"ciphertext": hex0x::encode(&sealed.ciphertext),
	})
	.to_string();
	Ok(SealedQuery { body, opener })
}

#[cfg(test)]
mod tests {
	use super::*;

	const PSEUDONYMS: &str = include_str!("../../primitives/test-vectors/pseudonym.txt");
	const SEALING: &str = include_str!("../../primitives/test-vectors/sealing.txt");
	const DAY: DayIndex = 20_778;
	const GENESIS: [u8; 32] = [7; 32];

	fn vector(name: &str) -> Vec<u8> {
		let line =
			SEALING.lines().find_map(|l| l.strip_prefix(name).and_then(|r| r.strip_prefix(' ')));
		hex_decode(line.unwrap_or_else(|| panic!("vector {name}")).trim())
	}

	fn hex_decode(text: &str) -> Vec<u8> {
		epichain_primitives::hex0x::decode(text).unwrap()
	}

	/// The entries of the published sealing vector (`primitives/test-vectors/generate.py`): one
	/// transit-gate passage of owner 0x11.., eight GNSS stays of owner 0x22.. in cell xn76u.
	fn vector_entries_json() -> String {
		let base = u64::from(DAY) * 86_400;
		let gnss: Vec<String> = (0..8)
			.map(|i| {
				format!(
					r#"{{"start":{},"end":{},"cell":"xn76urx6d","source":"Gnss"}}"#,
					base + 30_000 + 900 * i,
					base + 30_600 + 900 * i
				)
			})
			.collect();
		format!(
			r#"[{{"owner":"0x{}","stays":[{{"start":{t},"end":{t},"cell":"xn76urx66","source":"TransitGate"}}]}},
			    {{"owner":"{}","stays":[{}]}}]"#,
			"11".repeat(32),
			"22".repeat(32),
			gnss.join(","),
			t = base + 28_800,
		)
	}

	#[test]
	fn cell_bounds_match_the_published_geohash_example() {
		// Wikipedia's "Geohash" article: "ezs42" is the cell 42.583..42.627 N, 5.625..5.581 W.
		let b = cell_bounds("ezs42").unwrap();
		let expected = [42.583_007_812_5, -5.625, 42.626_953_125, -5.581_054_687_5];
		for (got, want) in b.iter().zip(expected) {
			assert!((got - want).abs() < 1e-9, "{b:?}");
		}
		assert!(cell_bounds("xn7a").unwrap_err().0.contains("not a geohash"));
	}

	#[test]
	fn pseudonyms_and_fingerprints_match_the_published_vectors() {
		let mut checked = 0;
		for line in PSEUDONYMS.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
			let f: Vec<&str> = line.split_whitespace().collect();
			let day: DayIndex = f[1].parse().unwrap();
			let p = pseudonym(&hex_decode(f[0]), day).unwrap();
			assert_eq!(p, hex_decode(f[2]), "{line}");
			assert_eq!(fingerprint(&p).unwrap(), hex_decode(f[3]), "{line}");
			checked += 1;
		}
		assert!(checked >= 3);
	}

	#[test]
	fn a_device_entry_of_the_published_vector_gives_its_bytes() {
		let base = u64::from(DAY) * 86_400;
		let visit = format!(
			r#"{{"owner":"{}","stays":[{{"start":{},"end":{},"cell":"xn76urx66","source":"VenueCheckIn"}}]}}"#,
			"33".repeat(32),
			base + 43_200,
			base + 45_600
		);
		let sealed = seal_device_entry_with_secret(
			&vector("device_secret"),
			&vector("matcher_public"),
			7,
			DAY,
			"xn76urx66",
			&visit,
		)
		.unwrap();
		assert_eq!(sealed, vector("device_entry"));
		let fresh =
			seal_device_entry(&vector("matcher_public"), 7, DAY, "xn76urx66", &visit).unwrap();
		assert_eq!(fresh.len(), sealed.len());
		assert_ne!(fresh, sealed, "a fresh one-time key each time");
		let two = format!("{visit},{visit}");
		assert!(seal_device_entry(&vector("matcher_public"), 7, DAY, "xn76urx66", &two).is_err());
		let elsewhere = seal_device_entry(&vector("matcher_public"), 7, DAY, "xn76urx6d", &visit);
		assert!(elsewhere.unwrap_err().0.contains("OutsidePrefix"));
	}

	#[test]
	fn sealing_the_published_vector_gives_its_ciphertexts() {
		let batch = seal_batch_with_ephemeral(
			&vector("ephemeral_secret"),
			&vector("matcher_public"),
			7,
			DAY,
			"xn76u",
			&vector_entries_json(),
		)
		.unwrap();
		assert_eq!(batch.entry_count(), 2);
		assert_eq!(batch.entry(0).unwrap(), vector("entry_0"));
		assert_eq!(batch.entry(1).unwrap(), vector("entry_1"));
		// The header carries the one-time public key of the vector.
		assert_eq!(batch.header()[4..36], vector("ephemeral_public")[..]);
		// `batch()` is header then entries, and the payload is the primitives' own.
		let entries = vec![vector("entry_0"), vector("entry_1")];
		assert_eq!(batch.batch(), [batch.header(), entries.encode()].concat());
		assert_eq!(
			batch.signing_payload(&GENESIS).unwrap(),
			signing::batch_payload(&GENESIS, &batch.inner.header, &entries).to_vec()
		);
		assert!(batch.entry(2).is_err());
	}

	#[test]
	fn a_sealed_query_opens_only_in_the_enclave_and_its_reply_only_on_the_device() {
		use epichain_primitives::{hex0x, query::SealedQuery as Carried, sealing::SealingSecret};
		let enclave = SealingSecret::from_bytes([9; 32]);
		let seed = [4u8; 32];
		let matcher = [5u8; 32];
		let sealed =
			seal_query(&seed, &GENESIS, &matcher, &enclave.public(), 1_795_262_400, DAY - 1, DAY)
				.unwrap();
		let body: serde_json::Value = serde_json::from_str(&sealed.body()).unwrap();
		let field = |name: &str| hex0x::decode(body[name].as_str().unwrap()).unwrap();
		let carried = Carried {
			sealing_key: field("sealingKey").try_into().unwrap(),
			ephemeral: field("ephemeral").try_into().unwrap(),
			ciphertext: field("ciphertext"),
		};
		let (query, reply) = enclave.open_query(&GENESIS, &carried).unwrap();
		// One proof per day, each by that day's pseudonym over the query message.
		let message = signing::query_message(&GENESIS, &matcher, 1_795_262_400);
		let device = DeviceSeed::from_bytes(seed);
		assert_eq!(query.proofs.len(), 2);
		for (proof, day) in query.proofs.iter().zip([DAY - 1, DAY]) {
			assert_eq!((proof.day, proof.pseudonym), (day, device.pseudonym(day)));
			assert!(epichain_primitives::pseudonym::verify(
				&proof.pseudonym,
				&message,
				&proof.signature
			));
		}
		assert_eq!(sealed.open(&reply.seal(br#"{"verified":2}"#)).unwrap(), r#"{"verified":2}"#);
		// Another enclave cannot open it; a reply from anyone else does not open.
		assert!(SealingSecret::from_bytes([8; 32]).open_query(&GENESIS, &carried).is_err());
		let mut forged = reply.seal(b"{}");
		forged[0] ^= 1;
		assert!(sealed.open(&forged).unwrap_err().0.contains("not from the enclave"));
		// Bad arguments are refused by name.
		let bad = |r: Result<SealedQuery, Error>| r.err().map(|e| e.0).unwrap_or_default();
		assert!(bad(seal_query(&seed, &GENESIS, &matcher, &[1; 31], 0, DAY, DAY))
			.contains("sealing key"));
		assert!(bad(seal_query(&seed, &GENESIS, &matcher, &enclave.public(), 0, DAY, DAY - 1))
			.contains("before they start"));
		assert!(bad(seal_query(&seed, &GENESIS, &matcher, &enclave.public(), 0, DAY - 64, DAY))
			.contains("longer than 64"));
	}

	#[test]
	fn a_fresh_seal_opens_with_the_matchers_secret() {
		let matcher = sealing::SealingSecret::from_bytes([9; 32]);
		let batch = seal_batch(&matcher.public(), 1, DAY, "xn76u", &vector_entries_json()).unwrap();
		let opener = matcher.batch_opener(&batch.inner.header).unwrap();
		let first = opener.open(0, &batch.entry(0).unwrap()).unwrap();
		assert_eq!(first.owner, [0x11; 32]);
		assert_eq!(opener.open(1, &batch.entry(1).unwrap()).unwrap().stays.len(), 8);
	}

	#[test]
	fn bad_stays_are_refused_by_name_without_echoing_them() {
		let public = sealing::SealingSecret::from_bytes([9; 32]).public();
		let seal = |json: &str| seal_batch(&public, 1, DAY, "xn76u", json).err().unwrap().0;
		let base = u64::from(DAY) * 86_400;
		let one = |start: u64, cell: &str, source: &str| {
			format!(
				r#"[{{"owner":"{}","stays":[{{"start":{start},"end":{start},"cell":"{cell}","source":"{source}"}}]}}]"#,
				"33".repeat(32)
			)
		};
		assert!(seal(&one(base, "xn76urx66", "Telepathy")).contains("unknown source \"Telepathy\""));
		let outside = seal(&one(base + 86_400, "xn76urx66", "Gnss"));
		assert!(outside.contains("OutsideDay"), "{outside}");
		assert!(seal(&one(base, "xn77urx66", "Gnss")).contains("OutsidePrefix"));
		let bad_cell = seal(&one(base, "xn76urx6a", "Gnss"));
		assert!(bad_cell.contains("entry 0, stay 0") && !bad_cell.contains("xn76"), "{bad_cell}");
		assert!(seal("{}").contains("not the expected JSON"));
		assert!(seal_batch(&[1; 31], 1, DAY, "xn76u", "[]").err().unwrap().0.contains("31"));
	}

	#[test]
	fn a_consent_is_signed_by_each_days_pseudonym_and_an_endorsement_keeps_it() {
		let seed = [5; 32];
		let nullifier = case_nullifier(b"lab-1", b"c-1");
		let scale = consent(&seed, &GENESIS, &[2; 32], &nullifier, DAY, DAY + 2).unwrap();
		let consented = Vec::<ConsentedPseudonym>::decode(&mut &scale[..]).unwrap();
		assert_eq!(consented.len(), 3);
		for c in &consented {
			let message = signing::consent_message(
				&GENESIS,
				&[2; 32],
				&nullifier.clone().try_into().unwrap(),
				c.day,
			);
			assert!(epichain_primitives::pseudonym::verify(&c.pseudonym, &message, &c.consent));
			assert_eq!(c.pseudonym.to_vec(), pseudonym(&seed, c.day).unwrap());
		}
		let e = endorsement(&nullifier, DAY, DAY + 2, &scale, 900).unwrap();
		let (n, window, pseudonyms, reports, until): EndorsementFields =
			Decode::decode(&mut &e[..]).unwrap();
		assert_eq!(
			(n.to_vec(), window, pseudonyms, reports.len(), until),
			(nullifier.clone(), DayWindow { first: DAY, last: DAY + 2 }, consented.clone(), 0, 900)
		);
		assert_eq!(
			endorsement_payload(&GENESIS, &e).unwrap(),
			signing::endorsement_payload(&GENESIS, &n, &window, &consented, &[], 900).to_vec()
		);
	}

	#[test]
	fn bad_consents_and_endorsements_are_refused_by_name() {
		let n = case_nullifier(b"lab-1", b"c-1");
		assert!(consent(&[5; 32], &GENESIS, &[2; 32], &n, DAY, DAY - 1)
			.unwrap_err()
			.0
			.contains("before it starts"));
		assert!(consent(&[5; 32], &GENESIS, &[2; 32], &n, DAY, DAY + 64)
			.unwrap_err()
			.0
			.contains("longer than 64"));
		assert!(consent(&[5; 31], &GENESIS, &[2; 32], &n, DAY, DAY)
			.unwrap_err()
			.0
			.contains("device seed"));
		let scale = consent(&[5; 32], &GENESIS, &[2; 32], &n, DAY, DAY + 2).unwrap();
		assert!(endorsement(&n, DAY + 1, DAY + 2, &scale, 9)
			.unwrap_err()
			.0
			.contains("outside days"));
		let mut long = scale.clone();
		long.push(0);
		assert!(endorsement(&n, DAY, DAY + 2, &long, 9).unwrap_err().0.contains("after its end"));
		assert!(endorsement(&n, DAY, DAY + 2, &[9, 9], 9).unwrap_err().0.contains("not SCALE"));
	}

	#[test]
	fn the_revocation_payload_is_the_primitives_own() {
		// `RevocationReason::Fraud` is variant 3: a unit enum encodes as its index.
		assert_eq!(
			revocation_payload(&GENESIS, 42, 3, 77).unwrap(),
			signing::payload(signing::REVOCATION_DOMAIN, &GENESIS, &(42u64, 3u8, 77u32)).to_vec()
		);
		assert!(revocation_payload(&GENESIS[..31], 42, 3, 77).is_err());
	}

	#[test]
	fn a_phones_fixes_become_its_finished_stays_and_the_open_one_waits_on_the_phone() {
		let seed = [3u8; 32];
		let base = u64::from(DAY) * 86_400 + 36_000;
		let fix = |at: u64, cell: &str| format!(r#"{{"at":{at},"cell":"{cell}","source":"Gnss"}}"#);
		// Four samples a minute apart at home, then two at the shop; now is the last sample.
		let fixes: Vec<String> = (0..4)
			.map(|m| fix(base + 60 * m, "xn76urx66"))
			.chain((6..8).map(|m| fix(base + 60 * m, "xn76urx67")))
			.collect();
		let json = format!("[{}]", fixes.join(","));
		let out: serde_json::Value =
			serde_json::from_str(&device_stays(&seed, &json, base + 7 * 60, 16).unwrap()).unwrap();
		let owner =
			epichain_primitives::hex0x::encode(&DeviceSeed::from_bytes(seed).pseudonym(DAY));
		assert_eq!(
			out["entries"],
			serde_json::json!([{ "day": DAY, "entry": { "owner": owner, "stays": [
				{ "start": base, "end": base + 180, "cell": "xn76urx66", "source": "Gnss" }
			] } }])
		);
		assert_eq!(
			out["keep"],
			serde_json::from_str::<serde_json::Value>(&format!("[{},{}]", fixes[4], fixes[5]))
				.unwrap()
		);
		// The entry is what the device seals, as it is.
		let entry = out["entries"][0]["entry"].to_string();
		assert!(seal_device_entry(&[9; 32], 0, DAY, "xn76", &entry).is_ok());
		// A day of more stays than an entry holds is several entries of one owner.
		let apart: Vec<String> = (0..5).map(|m| fix(base + 900 * m, "xn76urx66")).collect();
		let out: serde_json::Value = serde_json::from_str(
			&device_stays(&seed, &format!("[{}]", apart.join(",")), base + 86_000, 2).unwrap(),
		)
		.unwrap();
		let sizes: Vec<usize> = out["entries"]
			.as_array()
			.unwrap()
			.iter()
			.map(|e| e["entry"]["stays"].as_array().unwrap().len())
			.collect();
		assert_eq!(sizes, [2, 2, 1]);
	}

	#[test]
	fn fixes_that_are_not_a_phones_are_refused_by_name_without_their_place() {
		let refused = |json: &str| device_stays(&[3; 32], json, 0, 16).unwrap_err().0;
		assert!(refused(r#"[{"at":1,"cell":"xn76","source":"Gnss"}]"#).contains("fix 0"));
		assert!(!refused(r#"[{"at":1,"cell":"xn76","source":"Gnss"}]"#).contains("xn76"));
		assert!(
			refused(r#"[{"at":1,"cell":"xn76urx66","source":"Radar"}]"#).contains("unknown source")
		);
		assert!(refused("{}").contains("not the expected JSON"));
		assert!(device_stays(&[3; 32], "[]", 0, 0).unwrap_err().0.contains("at least one stay"));
		assert_eq!(cell_of(35.6, 139.7).unwrap().len(), 9);
		assert!(cell_of(91.0, 0.0).is_err());
	}
}

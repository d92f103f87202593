//! The chain follower: on every new finalized block, reads the retention window's new CSI
//! batches (the `CsiApi` runtime API says where they are), takes each batch's sealed entries
//! from its block body and hands them to the enclave. Drops stays older than the window.
//!
//! **Nothing skipped.** A day's cursor moves past a batch only once the batch is handed to the
//! enclave, or once the batch is known not to be where the chain says (counted and logged by
//! block and extrinsic index). A failed fetch (a timeout, a restarting node) ends the step with
//! its error; the next step starts again from the same batch.

use std::{
	collections::{BTreeMap, HashMap},
	sync::{Arc, RwLock},
};

use epichain_api::runtime;
use epichain_primitives::{
	csi::X25519Public, geohash::Geohash, DayIndex, RETENTION_DAYS, SECONDS_PER_DAY,
};

use epichain_enclave::{
	judge::{Cases, Materials, Registered},
	Enclave, IngestError,
};

use crate::chain::{as_primitive, csi_batch, last_key_part, At, Chain, ChainResult, H256};

/// Batches read per step of a day's list.
const PAGE: u32 = 1_000;

/// How far the follower got; shared with the HTTP service.
#[derive(Clone, Debug, Default)]
pub struct SyncState {
	/// The finalized block everything up to which is indexed.
	pub synced: Option<(u32, H256)>,
	/// The chain's time at that block, unix seconds.
	pub chain_now: u64,
	/// Registered locations' surface materials at that block.
	pub materials: Arc<Materials>,
	/// Registered locations at that block.
	pub registered: Arc<Registered>,
}

/// What one step indexed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StepReport {
	/// The finalized block reached.
	pub block: u32,
	/// Batches opened.
	pub batches: u32,
	/// Entries opened.
	pub entries: u64,
	/// Stays indexed.
	pub stays: u64,
	/// Entries that did not authenticate.
	pub rejected: u64,
	/// Batches sealed to a key the enclave never held, or whose secret it shredded.
	pub unopenable: u32,
	/// Batches sealed to a key the chain has already shredded and removed: past their
	/// lifetime, not handed to the enclave.
	pub expired: u32,
	/// Batches the chain lists that are not at their block and extrinsic index (a node that
	/// lies, or a runtime whose extrinsic the follower cannot decode): logged and counted.
	pub missing: u32,
	/// Stays dropped by retention.
	pub pruned: usize,
}

/// Follows one chain for one enclave.
pub struct Follower {
	chain: Chain,
	enclave: Arc<dyn Enclave>,
	sync: Arc<RwLock<SyncState>>,
	/// Next batch sequence number to read, per day.
	cursors: BTreeMap<DayIndex, u32>,
	/// Sealing keys' public halves and matchers by chain key id (immutable once registered;
	/// `None` once the chain removed a shredded key).
	keys: HashMap<u32, Option<(X25519Public, u32)>>,
	/// A replica's matcher id: a batch sealed to this matcher's key that the enclave does not
	/// know stops the step ([`ChainError::KeyNotHeld`](crate::chain::ChainError::KeyNotHeld)) instead of being counted unopenable.
	replica_of: Option<u32>,
}

impl Follower {
	/// A follower that starts from the beginning of the retention window.
	pub fn new(chain: Chain, enclave: Arc<dyn Enclave>, sync: Arc<RwLock<SyncState>>) -> Self {
		Self {
			chain,
			enclave,
			sync,
			cursors: BTreeMap::new(),
			keys: HashMap::new(),
			replica_of: None,
		}
	}

	/// The follower of a replica of matcher `id`, whose keys come from a running replica: it
	/// waits at a batch sealed to a key of `id` its enclave does not hold (the step fails with
	/// [`ChainError::KeyNotHeld`](crate::chain::ChainError::KeyNotHeld); once the key is provisioned the next step opens the batch).
	pub fn replica_of(mut self, id: u32) -> Self {
		self.replica_of = Some(id);
		self
	}

	/// Indexes everything new up to the current finalized block; `None` when nothing was
	/// finalized since the last step.
	pub async fn step(&mut self) -> ChainResult<Option<StepReport>> {
		let at = self.chain.finalized().await?;
		let (number, hash) = (at.block_number() as u32, at.block_hash());
		if self.sync.read().expect("sync lock").synced.map(|(n, _)| n) == Some(number) {
			return Ok(None);
		}
		let now = self.chain.now_secs(&at).await?;
		let today = (now / SECONDS_PER_DAY) as DayIndex;
		let first = today.saturating_sub(RETENTION_DAYS);
		self.cursors.retain(|d, _| *d >= first);
		let mut report = StepReport { block: number, ..Default::default() };
		// One block body at a time: a day's batches come in block order, so consecutive
		// batches share it; memory holds one body, never the window's. Each body is read with
		// the metadata of the runtime at its block.
		let mut body: Option<(u32, At, Vec<Vec<u8>>)> = None;
		// The first step after a start re-reads the whole retention window: say how far it got.
		let catching_up = self.sync.read().expect("sync lock").synced.is_none();
		// Each day's counters say which batches it holds, and each batch is read from proven
		// storage: a node can neither add a batch nor withhold one.
		let days = runtime::storage().csi().days();
		let stats = self.chain.fetch_many(&at, days, (first..=today).map(|d| (d,))).await?;
		for (day, stats) in (first..=today).zip(stats) {
			let before = (report.batches, report.stays);
			let (pruned, stored) = stats.map_or((0, 0), |s| (s.pruned, s.batches));
			loop {
				let from = self.cursors.get(&day).copied().unwrap_or(0).max(pruned);
				let seqs: Vec<u32> = (from..stored.min(from.saturating_add(PAGE))).collect();
				if seqs.is_empty() {
					break;
				}
				let next = from + seqs.len() as u32;
				let batches = runtime::storage().csi().batches();
				let metas =
					self.chain.fetch_many(&at, batches, seqs.iter().map(|seq| (day, *seq))).await?;
				// A batch pruned on its own (past its key's lifetime) is gone from the state.
				let refs = seqs.iter().zip(metas).filter_map(|(seq, meta)| Some((*seq, meta?)));
				for (seq, meta) in refs {
					if body.as_ref().map(|(n, ..)| *n) != Some(meta.block) {
						let block = self.chain.at_number(meta.block).await?;
						let xts = self.chain.block_body(block.block_hash()).await?;
						body = Some((meta.block, block, xts));
					}
					let batch = body
						.as_ref()
						.and_then(|(_, block, xts)| {
							csi_batch(block.metadata_ref(), xts.get(meta.extrinsic_index as usize)?)
						})
						.filter(|b| {
							b.batch.header.0.key_id == meta.key_id
								&& b.batch.header.0.ephemeral == meta.ephemeral
						});
					let Some(call) = batch else {
						tracing::warn!(
							"batch {day}/{} is not at block {} extrinsic {}",
							seq,
							meta.block,
							meta.extrinsic_index
						);
						report.missing += 1;
						self.cursors.insert(day, seq.saturating_add(1));
						continue;
					};
					let Some((public, holder)) = self.key(meta.key_id, &at).await? else {
						report.expired += 1;
						self.cursors.insert(day, seq.saturating_add(1));
						continue;
					};
					if self.replica_of == Some(holder) && !self.enclave.knows_sealing_key(&public) {
						return Err(crate::chain::ChainError::KeyNotHeld(meta.key_id));
					}
					let batch = &call.batch;
					match self.enclave.ingest(&batch.header.0, &public, meta.block, &batch.entries)
					{
						Ok(i) => {
							report.batches += 1;
							report.entries += i.entries as u64;
							report.stays += i.stays;
							report.rejected += i.rejected as u64;
						},
						Err(
							IngestError::UnknownKey | IngestError::Shredded | IngestError::WeakKey,
						) => report.unopenable += 1,
					}
					// Only now: a fetch that failed above leaves the cursor at this batch.
					self.cursors.insert(day, seq.saturating_add(1));
				}
				self.cursors.insert(day, next);
			}
			if catching_up && report.batches > before.0 {
				tracing::info!(
					"re-reading the retention window: day {day} ({} of {}): {} batches, {} stays",
					day - first + 1,
					today - first + 1,
					report.batches - before.0,
					report.stays - before.1
				);
			}
		}
		report.pruned = self.enclave.prune_before(first as u64 * SECONDS_PER_DAY);
		let materials = Arc::new(materials(&self.chain, &at).await?);
		let registered = Arc::new(registered(&self.chain, &at).await?);
		*self.sync.write().expect("sync lock") =
			SyncState { synced: Some((number, hash)), chain_now: now, materials, registered };
		Ok(Some(report))
	}

	async fn key(&mut self, key_id: u32, at: &At) -> ChainResult<Option<(X25519Public, u32)>> {
		if let Some(k) = self.keys.get(&key_id) {
			return Ok(*k);
		}
		let sealing_keys = runtime::storage().matchers().sealing_keys();
		let info = self.chain.fetch(at, sealing_keys, (key_id,)).await?;
		// A listed batch's key the chain no longer holds was shredded and removed: the batch is
		// past its lifetime by the chain's rule.
		let key = info.map(|i| (i.public, i.matcher));
		self.keys.insert(key_id, key);
		Ok(key)
	}
}

/// Every registered location's cell at `at`: the keys of `Locations::Locations`, read by name.
/// The record under each cell grew after the released runtime (spec 101), and the matcher needs
/// none of it, so the entry is not held to this runtime's record type.
///
/// The walk is proven complete ([`Chain::walk`]): a node can neither add a cell, which would
/// make a case's place public as registered, nor leave one out, which would keep its state
/// from being updated.
pub async fn registered(chain: &Chain, at: &At) -> ChainResult<Registered> {
	let locations = subxt::storage::dynamic::<
		(subxt::utils::Static<Geohash>,),
		subxt::dynamic::Value,
	>("Locations", "Locations");
	let walked = chain.walk(at, locations, ()).await?;
	walked
		.iter()
		.map(|(key, _)| last_key_part::<Geohash>(at, "Locations", "Locations", key))
		.collect()
}

/// Active cases' pseudonym-days of `days` at `at` (`Diagnosis::EndorsedFingerprints`, walked
/// complete): the people a result never names.
pub async fn cases(
	chain: &Chain,
	at: &At,
	days: std::ops::RangeInclusive<DayIndex>,
) -> ChainResult<Cases> {
	let mut all = Cases::new();
	for day in days {
		let endorsed = runtime::storage().diagnosis().endorsed_fingerprints();
		for (key, _) in chain.walk(at, endorsed, (day,)).await? {
			let fp = last_key_part::<[u8; 16]>(at, "Diagnosis", "EndorsedFingerprints", &key)?;
			all.insert((day, fp));
		}
	}
	Ok(all)
}

/// Every registered location with a known material at `at` (`Locations::Materials`, walked
/// complete).
pub async fn materials(chain: &Chain, at: &At) -> ChainResult<Materials> {
	let walked = chain.walk(at, runtime::storage().locations().materials(), ()).await?;
	walked
		.into_iter()
		.map(|(key, material)| {
			let cell = last_key_part::<Geohash>(at, "Locations", "Materials", &key)?;
			Ok((cell, as_primitive(&material, "material")?))
		})
		.collect()
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::finality::Checkpoint;
	use codec::Encode;
	use epichain_enclave::SimulatedEnclave;
	use serde_json::{json, Value};
	use std::sync::{Mutex, OnceLock};

	/// The runtime's metadata this matcher's interface was generated from: what a fake node
	/// serves, so that subxt reads it as it reads a real one.
	const METADATA: &[u8] = include_bytes!("../../api/metadata/epichain.scale");

	/// Block `n`'s hash in the fake nodes: `n` repeated (block 0, the genesis, is all zeros).
	fn block_hash(n: u8) -> H256 {
		H256::repeat_byte(n)
	}

	fn metadata() -> subxt::Metadata {
		codec::Decode::decode(&mut &METADATA[..]).unwrap()
	}

	/// What the lying node answers with: the fuzz case's bytes, one per answer.
	static LIES: Mutex<(Vec<u8>, usize)> = Mutex::new((Vec::new(), 0));

	fn next_lie() -> u8 {
		let mut lies = LIES.lock().unwrap();
		let (bytes, cursor) = &mut *lies;
		*cursor += 1;
		bytes.get(*cursor - 1).copied().unwrap_or(0)
	}

	fn hex(bytes: &[u8]) -> Value {
		json!(format!("0x{}", hex::encode(bytes)))
	}

	/// An extrinsic of `depth` nested `sudo` calls around a remark.
	fn nested(depth: usize) -> Vec<u8> {
		let sudo = metadata().pallet_by_name("Sudo").unwrap().call_index();
		let mut body = vec![4u8];
		(0..depth).for_each(|_| body.extend_from_slice(&[sudo, 0]));
		body.extend_from_slice(&[0, 0, 0]);
		let mut xt = codec::Compact(body.len() as u32).encode();
		xt.extend(body);
		xt
	}

	/// A bare `Csi::submit_batch` extrinsic carrying `sealed` (with a zero signature: the
	/// follower reads what the chain accepted; it does not re-check the locator's signature).
	fn submit_batch(sealed: &epichain_primitives::sealing::SealedBatch) -> Vec<u8> {
		let metadata = metadata();
		let csi = metadata.pallet_by_name("Csi").unwrap();
		let call = csi.call_variant_by_name("submit_batch").unwrap();
		let mut body = vec![4u8, csi.call_index(), call.index];
		body.extend([1u8; 32]);
		body.extend(sealed.header.encode());
		body.extend(sealed.entries.encode());
		body.push(1);
		body.extend([0u8; 64]);
		let mut xt = codec::Compact(body.len() as u32).encode();
		xt.extend(body);
		xt
	}

	/// A `BatchRef` as the runtime encodes it: day, seq, then the batch's meta.
	fn batch_ref(day: DayIndex, seq: u32, block: u32, index: u32, ephemeral: [u8; 32]) -> Vec<u8> {
		let prefix = Geohash::parse(b"xn76u").unwrap();
		(day, seq, ([1u8; 32], block, index, 0u32, ephemeral, prefix, 1u32, 3u32)).encode()
	}

	/// What any node answers before epichain's own reads: genesis, headers, runtime version and
	/// metadata. The finalized head is block `head`.
	fn substrate(method: &str, params: &Value, head: u8) -> Option<Value> {
		Some(match method {
			"chain_getFinalizedHead" => hex(block_hash(head).as_bytes()),
			"chain_getBlockHash" => hex(block_hash(params[0].as_u64()? as u8).as_bytes()),
			"chain_getHeader" => {
				let h = params[0].as_str().unwrap_or("0x06");
				let number = u8::from_str_radix(h.get(2..4)?, 16).ok()?;
				json!({
					"parentHash": hex(&[0; 32]), "number": format!("0x{number:x}"),
					"stateRoot": hex(&[0; 32]), "extrinsicsRoot": hex(&[0; 32]),
					"digest": {"logs": []}
				})
			},
			"state_call" => match params[0].as_str()? {
				"Core_version" => hex(&(
					"epichain",
					"epichain",
					1u32,
					102u32,
					0u32,
					Vec::<([u8; 8], u32)>::new(),
					1u32,
					1u8,
				)
					.encode()),
				"Metadata_metadata_versions" => hex(&vec![14u32, 15, 16].encode()),
				"Metadata_metadata_at_version" => hex(&Some(METADATA.to_vec()).encode()),
				_ => return None,
			},
			_ => return None,
		})
	}

	/// A plausible answer to `method`: what a node would say, so the follower gets further.
	fn plausible(method: &str, params: &Value) -> Value {
		let day = 20_778u32;
		if let Some(answer) = substrate(method, params, 5) {
			return answer;
		}
		match method {
			"state_getStorage" => hex(&(day as u64 * 86_400_000).encode()),
			"state_getKeysPaged" => json!([hex(&[0x22; 40])]),
			"chain_getBlock" => {
				let xt = match next_lie() % 3 {
					0 => nested(100_000),
					1 => vec![0x30, 0x04, 0x08, 0x04],
					_ => vec![],
				};
				json!({"block": {"extrinsics": [hex(&xt)]}})
			},
			// Trie nodes of the fuzz case's bytes: never a proof of the header's state.
			"state_getReadProof" => {
				let nodes: Vec<Value> = (0..next_lie() % 4)
					.map(|_| hex(&(0..next_lie()).map(|_| next_lie()).collect::<Vec<_>>()))
					.collect();
				json!({"at": params[1], "proof": nodes})
			},
			_ => Value::Null,
		}
	}

	/// Serves `app` on `listener` from a thread of its own, for the rest of the test process.
	fn serve(listener: std::net::TcpListener, app: axum::Router) {
		std::thread::spawn(move || {
			tokio::runtime::Runtime::new().unwrap().block_on(async move {
				listener.set_nonblocking(true).unwrap();
				let listener = tokio::net::TcpListener::from_std(listener).unwrap();
				axum::serve(listener, app).await.unwrap();
			})
		});
	}

	/// A JSON-RPC node whose every answer is chosen by [`next_lie`]: plausible, random hex,
	/// null, a number, an error object, or not JSON at all.
	fn lying_node() -> u16 {
		static PORT: OnceLock<u16> = OnceLock::new();
		*PORT.get_or_init(|| {
			let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
			let port = listener.local_addr().unwrap().port();
			let answer = |axum::Json(call): axum::Json<Value>| async move {
				let (method, params) =
					(call["method"].as_str().unwrap_or_default(), &call["params"]);
				let result = match next_lie() % 6 {
					0..=2 => plausible(method, params),
					3 => hex(&(0..next_lie()).map(|_| next_lie()).collect::<Vec<_>>()),
					4 => Value::Null,
					_ => return "}{".to_string(),
				};
				json!({"jsonrpc": "2.0", "id": call["id"], "result": result}).to_string()
			};
			serve(listener, axum::Router::new().route("/", axum::routing::post(answer)));
			port
		})
	}

	#[test]
	fn deeply_nested_calls_are_not_decoded_and_a_batch_is() {
		let metadata = metadata();
		assert!(csi_batch(&metadata, &nested(100_000)).is_none());
		assert!(csi_batch(&metadata, &nested(3)).is_none(), "a sudo call is not a batch");
		let day: DayIndex = 20_778;
		let enclave = SimulatedEnclave::new(day as u64 * 86_400, 86_400);
		let public: X25519Public =
			hex::decode(&enclave.attestation().sealing_key[2..]).unwrap().try_into().unwrap();
		let stay = epichain_primitives::csi::Stay {
			start: day as u64 * 86_400 + 3_600,
			end: day as u64 * 86_400 + 4_500,
			geohash: Geohash::parse(b"xn76u0000").unwrap(),
			source: epichain_primitives::csi::Source::Gnss,
		};
		let entry = epichain_primitives::csi::EntryPlain { owner: [7; 32], stays: vec![stay] };
		let sealed = epichain_primitives::sealing::seal_batch(
			&public,
			0,
			day,
			Geohash::parse(b"xn76u").unwrap(),
			&[entry],
		)
		.unwrap();
		let xt = submit_batch(&sealed);
		let call = csi_batch(&metadata, &xt).expect("a CSI batch decodes");
		assert_eq!((call.batch.header.0, call.batch.entries), (sealed.header, sealed.entries));
		// Without its length prefix too (as some nodes serve a block's extrinsics).
		assert!(csi_batch(&metadata, &xt[2..]).is_some());
		// One byte more or less than the call is not a batch.
		let mut longer = xt[2..].to_vec();
		longer.push(0);
		assert!(csi_batch(&metadata, &longer).is_none());
		assert!(csi_batch(&metadata, &xt[2..xt.len() - 1]).is_none());
	}

	proptest::proptest! {
		#![proptest_config(proptest::prelude::ProptestConfig {
			cases: 400,
			failure_persistence: None,
			..Default::default()
		})]

		/// A node answering with malformed blocks, keys, pages, headers, versions and metadata:
		/// each step of the follower ends (within 10 s) with a result or a named `ChainError`,
		/// never a panic, and the follower takes the next step.
		#[test]
		fn a_lying_node_gets_named_errors_from_the_follower(
			lies in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..200),
		) {
			*LIES.lock().unwrap() = (lies, 0);
			let url = format!("http://127.0.0.1:{}", lying_node());
			let genesis = Checkpoint::genesis(block_hash(0), crate::finality::tests::set(&[1]));
			let chain = Chain::with_checkpoint(&url, genesis).unwrap();
			let enclave = Arc::new(SimulatedEnclave::new(0, 86_400));
			let mut follower = Follower::new(chain, enclave, Default::default());
			let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
			for _ in 0..2 {
				let step = runtime.block_on(async {
					tokio::time::timeout(std::time::Duration::from_secs(10), follower.step()).await
				});
				proptest::prop_assert!(step.is_ok(), "the follower hung");
			}
		}
	}

	/// A node that fails every third fetch of a block body or a sealing key (a JSON-RPC error)
	/// in front of a chain of real sealed batches: the follower ends steps with errors, but
	/// every batch's stays reach the index, each once.
	#[test]
	fn a_node_failing_every_third_fetch_loses_no_batch() {
		use epichain_primitives::{
			csi::{EntryPlain, Source, Stay},
			sealing::seal_batch,
		};
		let day: DayIndex = 20_778;
		let enclave = Arc::new(SimulatedEnclave::new(day as u64 * 86_400, 86_400));
		let public: X25519Public =
			hex::decode(&enclave.attestation().sealing_key[2..]).unwrap().try_into().unwrap();
		let prefix = Geohash::parse(b"xn76u").unwrap();
		// 12 batches in blocks 1..=6 (two per block), one owner of 3 stays each.
		let mut blocks: BTreeMap<u8, Vec<Value>> = BTreeMap::new();
		let mut refs = Vec::new();
		for b in 0..12u32 {
			let cell = Geohash::from_bits((prefix.to_bits() << 20) | b as u64, 9).unwrap();
			let stays = (0..3)
				.map(|i| Stay {
					start: day as u64 * 86_400 + 3_600 * (b as u64 % 20) + 600 * i,
					end: day as u64 * 86_400 + 3_600 * (b as u64 % 20) + 600 * i + 300,
					geohash: cell,
					source: Source::Gnss,
				})
				.collect();
			let entry = EntryPlain { owner: [b as u8 + 1; 32], stays };
			let sealed = seal_batch(&public, 0, day, prefix, &[entry]).unwrap();
			let block = 1 + b / 2;
			let list = blocks.entry(block as u8).or_default();
			refs.push((b, batch_ref(day, b, block, list.len() as u32, sealed.header.ephemeral)));
			list.push(hex(&submit_batch(&sealed)));
		}
		// The state every block has: the chain's time and the sealing key.
		// SealingKeyInfo { matcher, public, registered_at, retired_at }.
		let key = (0u32, public, day as u64 * 86_400, None::<u64>).encode();
		let now = ((day as u64 * 86_400 + 80_000) * 1_000).encode();
		let timestamp_now =
			[sp_crypto_hashing::twox_128(b"Timestamp"), sp_crypto_hashing::twox_128(b"Now")]
				.concat();
		let map_key = |prefix: &[&[u8]], keys: &[Vec<u8>]| -> Vec<u8> {
			let mut key: Vec<u8> =
				prefix.iter().flat_map(|p| sp_crypto_hashing::twox_128(p)).collect();
			for k in keys {
				key.extend(sp_crypto_hashing::twox_64(k));
				key.extend(k);
			}
			key
		};
		let sealing_key_0 = map_key(&[b"Matchers", b"SealingKeys"], &[0u32.encode()]);
		// DayStats { batches, entries, stays, pruned }.
		let day_stats = (12u32, 12u64, 36u64, 0u32).encode();
		let mut entries = vec![
			(timestamp_now.clone(), now),
			(sealing_key_0, key),
			(map_key(&[b"Csi", b"Days"], &[day.encode()]), day_stats),
		];
		for (seq, r) in &refs {
			// A `BatchRef` is (day, seq, meta): the state holds the meta under (day, seq).
			let key = map_key(&[b"Csi", b"Batches"], &[day.encode(), seq.encode()]);
			entries.push((key, r[8..].to_vec()));
		}
		let (state_root, state_proof) = crate::chain::tests::state(&entries);
		// Each block's header commits to its body and the state, and the node serves the
		// header's own hash for it: the follower proves every body and value it reads. The
		// headers chain from the genesis by parent hash.
		let mut parent = block_hash(0);
		let headers: BTreeMap<H256, (u8, Value)> = blocks
			.iter()
			.map(|(&number, list)| {
				use sp_trie::TrieConfiguration;
				let body: Vec<Vec<u8>> =
					list.iter().map(|x| hex::decode(&x.as_str().unwrap()[2..]).unwrap()).collect();
				let header = crate::chain::Header {
					parent_hash: parent,
					number: number as u64,
					state_root,
					extrinsics_root: H256(
						sp_trie::LayoutV0::<sp_core::Blake2Hasher>::ordered_trie_root(&body).0,
					),
					digest: Default::default(),
				};
				let hash = H256(sp_crypto_hashing::blake2_256(&header.encode()));
				parent = hash;
				(hash, (number, serde_json::to_value(&header).unwrap()))
			})
			.collect();
		let head = headers.iter().find(|(_, (n, _))| *n == 6).map(|(h, _)| *h).unwrap();
		// GRANDPA's one voter finalized the head.
		let justification = crate::finality::tests::justify(&[1], 0, (head, 6)).encode();
		let justifications = json!([[b"FRNK", hex(&justification)]]);
		let sealing_keys =
			format!("0x{}", hex::encode(map_key(&[b"Matchers", b"SealingKeys"], &[])));
		let fetches = Arc::new(std::sync::atomic::AtomicUsize::new(0));
		let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
		let port = listener.local_addr().unwrap().port();
		let node = {
			let fetches = fetches.clone();
			move |axum::Json(call): axum::Json<Value>| {
				let (blocks, headers, state_proof, sealing_keys, fetches, justifications) = (
					blocks.clone(),
					headers.clone(),
					state_proof.clone(),
					sealing_keys.clone(),
					fetches.clone(),
					justifications.clone(),
				);
				async move {
					let params = &call["params"];
					let method = call["method"].as_str().unwrap_or_default();
					let fetch = method == "chain_getBlock"
						|| (method == "state_getReadProof"
							&& params[0][0].as_str().unwrap().starts_with(&sealing_keys));
					let n = if fetch {
						fetches.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
					} else {
						0
					};
					let result = match method {
						_ if n % 3 == 2 => {
							return json!({"jsonrpc": "2.0", "id": call["id"],
								"error": {"code": -32000, "message": "node restarting"}})
							.to_string()
						},
						"chain_getBlock" => {
							let hash: H256 = serde_json::from_value(params[0].clone()).unwrap();
							let (number, header) = &headers[&hash];
							let extrinsics = blocks.get(number).cloned().unwrap_or_default();
							json!({"block": {"header": header, "extrinsics": extrinsics},
								"justifications": (hash == head).then(|| justifications.clone())})
						},
						"chain_getBlockHash" => {
							let number = params[0].as_u64().unwrap() as u8;
							let hash = headers.iter().find(|(_, (n, _))| *n == number);
							hash.map_or_else(
								|| hex(block_hash(number).as_bytes()),
								|(h, _)| hex(h.as_bytes()),
							)
						},
						"chain_getHeader"
							if headers.contains_key(
								&serde_json::from_value::<H256>(params[0].clone())
									.unwrap_or_default(),
							) =>
						{
							let hash: H256 = serde_json::from_value(params[0].clone()).unwrap();
							headers[&hash].1.clone()
						},
						"state_getReadProof" => {
							json!({"at": params[1], "proof": state_proof})
						},
						"chain_getFinalizedHead" => hex(head.as_bytes()),
						"state_getKeysPaged" => json!([]),
						_ => substrate(method, params, 6).unwrap_or(Value::Null),
					};
					json!({"jsonrpc": "2.0", "id": call["id"], "result": result}).to_string()
				}
			}
		};
		serve(listener, axum::Router::new().route("/", axum::routing::post(node)));
		let genesis = Checkpoint::genesis(block_hash(0), crate::finality::tests::set(&[1]));
		let chain = Chain::with_checkpoint(&format!("http://127.0.0.1:{port}"), genesis).unwrap();
		let mut follower = Follower::new(chain, enclave.clone(), Default::default());
		let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
		let mut failed = 0;
		let report = loop {
			match runtime.block_on(follower.step()) {
				Ok(report) => break report.expect("a first step has a finalized block to reach"),
				Err(e) => {
					assert!(e.to_string().contains("node restarting"), "{e}");
					failed += 1
				},
			}
			assert!(failed < 100, "the follower never got through");
		};
		assert!(failed > 0, "the node did fail");
		assert_eq!(report.missing, 0);
		let stats = enclave.statistics();
		assert_eq!(
			(stats.batches, stats.stays),
			(12, 36),
			"every batch once ({failed} failed steps)"
		);
	}
}

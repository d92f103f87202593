//! The chain follower: on every new finalized block, reads the retention window's new CSI
//! batches (the `CsiApi` runtime API says where they are), takes each batch's sealed entries
//! from its block body and hands them to the enclave. Drops points older than the window.

use std::{
	collections::{BTreeMap, HashMap},
	sync::{Arc, RwLock},
};

use codec::Decode;
use epichain_primitives::{
	csi::X25519Public, geohash::Geohash, matching::SurfaceMaterial, DayIndex, RETENTION_DAYS,
	SECONDS_PER_DAY,
};
use epichain_runtime::{AccountId, BlockNumber, Runtime, UncheckedExtrinsic};
use sp_core::H256;

use crate::{
	chain::{csi_batch, Chain, ChainResult},
	enclave::{Enclave, IngestError},
	judge::{Materials, Registered},
};

/// Batches asked for per runtime API call (the API's own cap).
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
	/// Points indexed.
	pub points: u64,
	/// Entries that did not authenticate.
	pub rejected: u64,
	/// Batches sealed to an unknown or shredded key.
	pub unopenable: u32,
	/// Points dropped by retention.
	pub pruned: usize,
}

/// Follows one chain for one enclave.
pub struct Follower {
	chain: Chain,
	enclave: Arc<dyn Enclave>,
	sync: Arc<RwLock<SyncState>>,
	/// Next batch sequence number to read, per day.
	cursors: BTreeMap<DayIndex, u32>,
	/// Sealing keys' public halves by chain key id (immutable once registered).
	keys: HashMap<u32, X25519Public>,
}

impl Follower {
	/// A follower that starts from the beginning of the retention window.
	pub fn new(chain: Chain, enclave: Arc<dyn Enclave>, sync: Arc<RwLock<SyncState>>) -> Self {
		Self { chain, enclave, sync, cursors: BTreeMap::new(), keys: HashMap::new() }
	}

	/// Indexes everything new up to the current finalized block; `None` when nothing was
	/// finalized since the last step.
	pub async fn step(&mut self) -> ChainResult<Option<StepReport>> {
		let (number, hash) = self.chain.finalized().await?;
		if self.sync.read().expect("sync lock").synced.map(|(n, _)| n) == Some(number) {
			return Ok(None);
		}
		let now = self.chain.now_secs(hash).await?;
		let today = (now / SECONDS_PER_DAY) as DayIndex;
		let first = today.saturating_sub(RETENTION_DAYS);
		self.cursors.retain(|d, _| *d >= first);
		let mut report = StepReport { block: number, ..Default::default() };
		let mut blocks: HashMap<u32, Vec<UncheckedExtrinsic>> = HashMap::new();
		for day in first..=today {
			loop {
				let from = self.cursors.get(&day).copied().unwrap_or(0);
				let refs: Vec<pallet_csi::BatchRef<AccountId, BlockNumber>> =
					self.chain.state_call("CsiApi_batches_of_day", (day, from, PAGE), hash).await?;
				for r in &refs {
					self.cursors.insert(day, r.seq.saturating_add(1));
					if !blocks.contains_key(&r.meta.block) {
						let xts = self.chain.block_extrinsics(r.meta.block).await?;
						blocks.insert(r.meta.block, xts);
					}
					let batch = blocks[&r.meta.block]
						.get(r.meta.extrinsic_index as usize)
						.and_then(csi_batch)
						.filter(|b| {
							b.header.key_id == r.meta.key_id
								&& b.header.ephemeral == r.meta.ephemeral
						});
					let Some(batch) = batch else {
						tracing::warn!(
							"batch {day}/{} is not at block {} extrinsic {}",
							r.seq,
							r.meta.block,
							r.meta.extrinsic_index
						);
						continue;
					};
					let public = self.key(r.meta.key_id, hash).await?;
					match self.enclave.ingest(&batch.header, &public, r.meta.block, &batch.entries)
					{
						Ok(i) => {
							report.batches += 1;
							report.entries += i.entries as u64;
							report.points += i.points;
							report.rejected += i.rejected as u64;
						},
						Err(
							IngestError::UnknownKey | IngestError::Shredded | IngestError::WeakKey,
						) => report.unopenable += 1,
					}
				}
				if (refs.len() as u32) < PAGE {
					break;
				}
			}
		}
		report.pruned = self.enclave.prune_before(first as u64 * SECONDS_PER_DAY);
		let materials = Arc::new(self.materials(hash).await?);
		let registered = Arc::new(self.registered(hash).await?);
		*self.sync.write().expect("sync lock") =
			SyncState { synced: Some((number, hash)), chain_now: now, materials, registered };
		Ok(Some(report))
	}

	/// Every registered location's cell at `at`, from the keys of `Locations::Locations`
	/// (`Blake2_128Concat`: the SCALE cell follows the 16-byte hash).
	async fn registered(&self, at: H256) -> ChainResult<Registered> {
		let prefix = frame_support::storage::storage_prefix(b"Locations", b"Locations");
		let keys = self.chain.storage_keys(&prefix, at).await?;
		Ok(keys
			.iter()
			.filter_map(|k| k.get(prefix.len() + 16..))
			.filter_map(|mut cell| Geohash::decode(&mut cell).ok())
			.collect())
	}

	/// Every registered location with a known material, at `at`.
	async fn materials(&self, at: H256) -> ChainResult<Materials> {
		let mut all = Materials::new();
		let mut after: Option<Geohash> = None;
		loop {
			let page: Vec<(Geohash, SurfaceMaterial)> =
				self.chain.state_call("LocationsApi_materials", (after, PAGE), at).await?;
			after = page.last().map(|(c, _)| *c);
			let full = page.len() as u32 == PAGE;
			all.extend(page);
			if !full {
				return Ok(all);
			}
		}
	}

	async fn key(&mut self, key_id: u32, at: H256) -> ChainResult<X25519Public> {
		if let Some(k) = self.keys.get(&key_id) {
			return Ok(*k);
		}
		let info: Option<pallet_matchers::SealingKeyInfo> = self
			.chain
			.storage(pallet_matchers::SealingKeys::<Runtime>::hashed_key_for(key_id), at)
			.await?;
		// A key the chain does not know (pruned long ago) cannot match any of ours.
		let public = info.map_or([0; 32], |i| i.public);
		self.keys.insert(key_id, public);
		Ok(public)
	}
}

//! `csi_*` RPC methods: where a day's sealed batches are, for the matcher and for clients.
//!
//! The runtime API `CsiApi` answers in SCALE; these methods answer in JSON so any HTTP client
//! (the matcher, scripts, curl) can page through a day's batches and then fetch each batch's
//! block body to read its sealed entries.

use std::sync::Arc;

use epichain_primitives::DayIndex;
use epichain_runtime::{opaque::Block, AccountId, BlockNumber};
use jsonrpsee::{
	core::RpcResult,
	proc_macros::rpc,
	types::{error::ErrorObjectOwned, ErrorObject},
};
use pallet_csi::runtime_api::CsiApi as CsiRuntimeApi;
use serde::Serialize;
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_core::crypto::Ss58Codec;
use sp_runtime::traits::Block as BlockT;

/// The most batches one call returns (the runtime API's own cap).
pub const MAX_LIMIT: u32 = pallet_csi::MAX_BATCHES_PER_QUERY;

/// Error code when the runtime API call fails (unknown block, runtime without `CsiApi`).
pub const RUNTIME_ERROR: i32 = 8001;

/// A stored batch's metadata, in JSON.
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct BatchJson {
	/// Day index (days since the unix epoch, UTC).
	pub day: DayIndex,
	/// Sequence number within the day.
	pub seq: u32,
	/// The locator (SS58).
	pub locator: String,
	/// Number of the block holding the batch.
	pub block: BlockNumber,
	/// Index of the batch's extrinsic in that block.
	pub extrinsic_index: u32,
	/// Sealing key id.
	pub key_id: u32,
	/// The writer's one-time X25519 key (0x-hex).
	pub ephemeral: String,
	/// The geohash cell prefix the batch covers.
	pub cell_prefix: String,
	/// Entries (owners) in the batch.
	pub entries: u32,
	/// Stays in the batch.
	pub stays: u32,
}

/// A day's counters, in JSON.
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct DayStatsJson {
	/// Batches stored for the day.
	pub batches: u32,
	/// Entries in them.
	pub entries: u64,
	/// Stays in them.
	pub stays: u64,
	/// Batches already removed by retention pruning.
	pub pruned: u32,
}

/// The `csi_*` methods.
#[rpc(server, namespace = "csi")]
pub trait CsiRpc<BlockHash> {
	/// Up to `limit` (default and maximum 1,000) batches of `day` from sequence number `from`
	/// (default 0), at block `at` (default: best block).
	#[method(name = "batchesOfDay")]
	fn batches_of_day(
		&self,
		day: DayIndex,
		from: Option<u32>,
		limit: Option<u32>,
		at: Option<BlockHash>,
	) -> RpcResult<Vec<BatchJson>>;

	/// The counters of `day` at block `at` (default: best block); `null` if nothing was stored.
	#[method(name = "dayStats")]
	fn day_stats(&self, day: DayIndex, at: Option<BlockHash>) -> RpcResult<Option<DayStatsJson>>;
}

/// Serves the `csi_*` methods from the client's runtime API.
pub struct Csi<C> {
	client: Arc<C>,
}

impl<C> Csi<C> {
	/// Serves from `client`.
	pub fn new(client: Arc<C>) -> Self {
		Self { client }
	}
}

fn runtime_error(e: impl std::fmt::Display) -> ErrorObjectOwned {
	ErrorObject::owned(RUNTIME_ERROR, "CsiApi call failed", Some(e.to_string()))
}

impl<C> CsiRpcServer<<Block as BlockT>::Hash> for Csi<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: CsiRuntimeApi<Block, AccountId, BlockNumber>,
{
	fn batches_of_day(
		&self,
		day: DayIndex,
		from: Option<u32>,
		limit: Option<u32>,
		at: Option<<Block as BlockT>::Hash>,
	) -> RpcResult<Vec<BatchJson>> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let limit = limit.unwrap_or(MAX_LIMIT).min(MAX_LIMIT);
		let batches = self
			.client
			.runtime_api()
			.batches_of_day(at, day, from.unwrap_or(0), limit)
			.map_err(runtime_error)?;
		Ok(batches
			.into_iter()
			.map(|b| BatchJson {
				day: b.day,
				seq: b.seq,
				locator: b.meta.locator.to_ss58check(),
				block: b.meta.block,
				extrinsic_index: b.meta.extrinsic_index,
				key_id: b.meta.key_id,
				ephemeral: format!("0x{}", hex::encode(b.meta.ephemeral)),
				cell_prefix: b.meta.cell_prefix.to_string(),
				entries: b.meta.entries,
				stays: b.meta.stays,
			})
			.collect())
	}

	fn day_stats(
		&self,
		day: DayIndex,
		at: Option<<Block as BlockT>::Hash>,
	) -> RpcResult<Option<DayStatsJson>> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let stats = self.client.runtime_api().day_stats(at, day).map_err(runtime_error)?;
		Ok(stats.map(|s| DayStatsJson {
			batches: s.batches,
			entries: s.entries,
			stays: s.stays,
			pruned: s.pruned,
		}))
	}
}

//! `locations_*` RPC methods: location status by cell and by region, in JSON.

use std::sync::Arc;

use epichain_primitives::geohash::Geohash;
use epichain_runtime::{opaque::Block, AccountId};
use jsonrpsee::{
	core::RpcResult,
	proc_macros::rpc,
	types::{error::ErrorObjectOwned, ErrorObject},
};
use pallet_locations::{runtime_api::LocationsApi as LocationsRuntimeApi, CellState};
use serde::Serialize;
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_core::crypto::Ss58Codec;
use sp_runtime::traits::Block as BlockT;

/// Error code for a malformed geohash or prefix.
pub const BAD_GEOHASH: i32 = 8101;
/// Error code when the runtime API call fails.
pub const RUNTIME_ERROR: i32 = 8102;

/// A location's status, in JSON.
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct LocationJson {
	/// The cell.
	pub cell: String,
	/// `empty`, `infected` or `clean`, with decay applied at the queried block's time.
	pub state: &'static str,
	/// Since when (unix seconds): last infection, or when it became Clean.
	pub since: Option<u64>,
	/// Infections in the current Infected period.
	pub cases: Option<u32>,
	/// Who may mark it cleaned besides the authority (SS58).
	pub operator: Option<String>,
	/// Its surface material (`Unknown`, `Plastic`, `Steel`, ...), as `notifications_riskParams`
	/// names materials.
	pub material: String,
	/// Check-ins today.
	pub visits_today: u32,
}

/// The `locations_*` methods.
#[rpc(server, namespace = "locations")]
pub trait LocationsRpc<BlockHash> {
	/// The status of `cell` (a geohash) at block `at` (default: best), or `null` if it is not a
	/// registered location.
	#[method(name = "cell")]
	fn cell(&self, cell: String, at: Option<BlockHash>) -> RpcResult<Option<LocationJson>>;

	/// How many locations under `prefix` (geohash characters; "" for all) are Infected.
	#[method(name = "infectedCount")]
	fn infected_count(&self, prefix: String, at: Option<BlockHash>) -> RpcResult<u32>;

	/// Up to `limit` (default and maximum 1,000) Infected locations under `prefix`.
	#[method(name = "infectedCells")]
	fn infected_cells(
		&self,
		prefix: String,
		limit: Option<u32>,
		at: Option<BlockHash>,
	) -> RpcResult<Vec<String>>;
}

/// Serves the `locations_*` methods from the client's runtime API.
pub struct Locations<C> {
	client: Arc<C>,
}

impl<C> Locations<C> {
	/// Serves from `client`.
	pub fn new(client: Arc<C>) -> Self {
		Self { client }
	}
}

fn runtime_error(e: impl std::fmt::Display) -> ErrorObjectOwned {
	ErrorObject::owned(RUNTIME_ERROR, "LocationsApi call failed", Some(e.to_string()))
}

fn prefix(text: &str) -> RpcResult<Vec<u8>> {
	if text.is_empty() || Geohash::parse(text.as_bytes()).is_ok() {
		Ok(text.as_bytes().to_vec())
	} else {
		Err(ErrorObject::owned(BAD_GEOHASH, "not a geohash prefix", Some(text.to_string())))
	}
}

impl<C> LocationsRpcServer<<Block as BlockT>::Hash> for Locations<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: LocationsRuntimeApi<Block, AccountId>,
{
	fn cell(
		&self,
		cell: String,
		at: Option<<Block as BlockT>::Hash>,
	) -> RpcResult<Option<LocationJson>> {
		let geohash = Geohash::parse(cell.as_bytes())
			.map_err(|_| ErrorObject::owned(BAD_GEOHASH, "not a geohash", Some(cell.clone())))?;
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let view = self.client.runtime_api().location(at, geohash).map_err(runtime_error)?;
		Ok(view.map(|v| {
			let (state, since, cases) = match v.state {
				CellState::Empty => ("empty", None, None),
				CellState::Infected { since, cases } => ("infected", Some(since), Some(cases)),
				CellState::Clean { since } => ("clean", Some(since), None),
			};
			LocationJson {
				cell,
				state,
				since,
				cases,
				operator: v.operator.map(|o| o.to_ss58check()),
				material: format!("{:?}", v.material),
				visits_today: v.visits_today,
			}
		}))
	}

	fn infected_count(&self, text: String, at: Option<<Block as BlockT>::Hash>) -> RpcResult<u32> {
		let prefix = prefix(&text)?;
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		self.client.runtime_api().infected_count(at, prefix).map_err(runtime_error)
	}

	fn infected_cells(
		&self,
		text: String,
		limit: Option<u32>,
		at: Option<<Block as BlockT>::Hash>,
	) -> RpcResult<Vec<String>> {
		let prefix = prefix(&text)?;
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let cells = self
			.client
			.runtime_api()
			.infected_cells(at, prefix, limit.unwrap_or(1_000).min(1_000))
			.map_err(runtime_error)?;
		Ok(cells.iter().map(|c| c.to_string()).collect())
	}
}

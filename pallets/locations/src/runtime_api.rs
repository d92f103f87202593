//! The runtime API for location status: by cell, by many cells, and by region prefix.

use crate::{HistoryEntry, LocationView, SurfaceMaterial};
use alloc::vec::Vec;
use codec::Codec;
use epichain_primitives::geohash::Geohash;

sp_api::decl_runtime_apis! {
	/// Location status with Wait14Days applied at the time of the queried block.
	pub trait LocationsApi<AccountId>
	where
		AccountId: Codec,
	{
		/// One location.
		fn location(cell: Geohash) -> Option<LocationView<AccountId>>;
		/// Many locations at once (at most 1,000), in the order asked.
		fn locations(cells: Vec<Geohash>) -> Vec<Option<LocationView<AccountId>>>;
		/// How many locations under `prefix` (geohash characters; empty: all) are Infected.
		fn infected_count(prefix: Vec<u8>) -> u32;
		/// Up to `limit` (at most 1,000) Infected locations under `prefix`.
		fn infected_cells(prefix: Vec<u8>, limit: u32) -> Vec<Geohash>;
		/// A location's transitions inside the infection window, oldest first.
		fn history(cell: Geohash) -> Vec<HistoryEntry>;
		/// Up to `limit` (at most 1,000) locations with a known surface material, after cell
		/// `after` (a page's last; `None` from the start), in storage order.
		fn materials(after: Option<Geohash>, limit: u32) -> Vec<(Geohash, SurfaceMaterial)>;
	}
}

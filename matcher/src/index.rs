//! The spatiotemporal index: opened points by (minute, cell), owners by pseudonym.
//!
//! A point is filed under its minute (`unix_secs / 60`) and its cell at [`INDEX_PRECISION`]
//! (7 characters, about 150 m x 150 m). A query around a point looks at the minutes within
//! [`PAIR_TOLERANCE_SECS`] and the point's cell with its 8 neighbours, so contacts across a
//! cell border are found. Positions are the centres of the points' 9-character cells (about
//! 4.8 m x 4.8 m, the CSI resolution).

use rustc_hash::FxHashMap as HashMap;

use epichain_primitives::{
	csi::EntryPlain,
	geohash::{self, Geohash},
	pseudonym::Pseudonym,
};

/// Precision of the index's cells.
pub const INDEX_PRECISION: usize = 7;

/// Two points at most this many seconds apart count as simultaneous.
pub const PAIR_TOLERANCE_SECS: u64 = 60;

/// Mean Earth radius in metres.
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// Metres per degree of latitude on the mean sphere.
pub const METRES_PER_DEGREE: f64 = EARTH_RADIUS_M * core::f64::consts::PI / 180.0;

/// A point as the index keeps it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct IndexedPoint {
	/// Index of the owner in [`Index::owner`].
	pub owner: u32,
	/// Unix time in seconds.
	pub unix_secs: u64,
	/// The point's 9-character cell.
	pub cell: Geohash,
	/// Latitude of the cell's centre.
	pub lat: f64,
	/// Longitude of the cell's centre.
	pub lon: f64,
	/// The finalized block its batch arrived in (results are judged "as of" a block).
	pub block: u32,
}

/// Points by (minute, cell).
#[derive(Default)]
pub struct Index {
	owners: Vec<Pseudonym>,
	owner_ids: HashMap<Pseudonym, u32>,
	/// Keyed by [`bucket_key`]: one integer, so a lookup hashes one word.
	buckets: HashMap<u64, Vec<IndexedPoint>>,
	by_owner: HashMap<u32, Vec<IndexedPoint>>,
	points: usize,
}

impl Index {
	/// An empty index.
	pub fn new() -> Self {
		Self::default()
	}

	/// Files every point of an opened entry that arrived in block `block`.
	pub fn insert(&mut self, entry: &EntryPlain, block: u32) {
		let next = self.owners.len() as u32;
		let owner = *self.owner_ids.entry(entry.owner).or_insert(next);
		if owner == next {
			self.owners.push(entry.owner);
		}
		for p in &entry.points {
			let Ok(centre) = geohash::decode(p.geohash.as_bytes()) else { continue };
			let point = IndexedPoint {
				owner,
				unix_secs: p.unix_secs,
				cell: p.geohash,
				lat: centre.lat,
				lon: centre.lon,
				block,
			};
			let key = bucket_key(p.unix_secs / 60, p.geohash.truncate(INDEX_PRECISION).to_bits());
			self.buckets.entry(key).or_default().push(point);
			self.by_owner.entry(owner).or_default().push(point);
			self.points += 1;
		}
	}

	/// Number of points filed.
	pub fn len(&self) -> usize {
		self.points
	}

	/// True when nothing is filed.
	pub fn is_empty(&self) -> bool {
		self.points == 0
	}

	/// The pseudonym of owner `id`.
	pub fn owner(&self, id: u32) -> Pseudonym {
		self.owners[id as usize]
	}

	/// The points of `pseudonym`, in insertion order.
	pub fn points_of(&self, pseudonym: &Pseudonym) -> &[IndexedPoint] {
		self.owner_ids
			.get(pseudonym)
			.and_then(|id| self.by_owner.get(id))
			.map_or(&[], |v| v.as_slice())
	}

	/// Every point within [`PAIR_TOLERANCE_SECS`] of `around` in its cell or a neighbouring
	/// one (at [`INDEX_PRECISION`]), the point itself included.
	pub fn near(&self, around: &IndexedPoint) -> impl Iterator<Item = &IndexedPoint> {
		self.near_in(around, Self::area(&around.cell))
	}

	/// The index cell of `cell` and its 8 neighbours (the area [`Index::near`] reads), as
	/// cell bits ([`Geohash::to_bits`]).
	pub fn area(cell: &Geohash) -> [Option<u64>; 9] {
		let cell = cell.truncate(INDEX_PRECISION);
		let mut cells = [Some(cell.to_bits()); 9];
		if let Ok(n) = geohash::neighbours(cell.as_bytes()) {
			for (slot, c) in cells[1..].iter_mut().zip(n) {
				*slot = c.map(|c| c.to_bits());
			}
		}
		cells
	}

	/// [`Index::near`] with the area already computed (callers that judge many points in the
	/// same cells compute each area once).
	pub fn near_in(
		&self,
		around: &IndexedPoint,
		cells: [Option<u64>; 9],
	) -> impl Iterator<Item = &IndexedPoint> {
		let first = around.unix_secs.saturating_sub(PAIR_TOLERANCE_SECS) / 60;
		let last = (around.unix_secs + PAIR_TOLERANCE_SECS) / 60;
		let t = around.unix_secs;
		(first..=last)
			.flat_map(move |minute| cells.into_iter().flatten().map(move |c| bucket_key(minute, c)))
			.filter_map(|key| self.buckets.get(&key))
			.flatten()
			.filter(move |p| p.unix_secs.abs_diff(t) <= PAIR_TOLERANCE_SECS)
	}

	/// Removes every point before unix second `cutoff` (the retention window's start); returns
	/// how many were removed. Owner ids stay assigned.
	pub fn prune_before(&mut self, cutoff: u64) -> usize {
		let before = self.points;
		let first_minute = cutoff / 60;
		self.buckets.retain(|key, points| {
			if key >> CELL_BITS < first_minute {
				false
			} else {
				points.retain(|p| p.unix_secs >= cutoff);
				!points.is_empty()
			}
		});
		let mut left = 0;
		self.by_owner.retain(|_, points| {
			points.retain(|p| p.unix_secs >= cutoff);
			left += points.len();
			!points.is_empty()
		});
		self.points = left;
		before - left
	}

	/// Number of owners (pseudonyms) ever filed.
	pub fn owners(&self) -> usize {
		self.owners.len()
	}

	/// The owner id of `pseudonym`, if it has points here.
	pub fn owner_id(&self, pseudonym: &Pseudonym) -> Option<u32> {
		self.owner_ids.get(pseudonym).copied()
	}
}

/// Bits of a cell at [`INDEX_PRECISION`].
const CELL_BITS: u32 = 5 * INDEX_PRECISION as u32;

/// A bucket's key: the minute above the 35 bits of its 7-character cell (minutes since 1970 fit
/// in 29 bits for the next thousand years, so the key fits in 64).
fn bucket_key(minute: u64, cell_bits: u64) -> u64 {
	(minute << CELL_BITS) | cell_bits
}

/// Great-circle distance in metres between two positions (haversine).
pub fn distance_m(a: &IndexedPoint, b: &IndexedPoint) -> f64 {
	let (la, lb) = (a.lat.to_radians(), b.lat.to_radians());
	let dlat = lb - la;
	let dlon = (b.lon - a.lon).to_radians();
	let h = (dlat / 2.0).sin().powi(2) + la.cos() * lb.cos() * (dlon / 2.0).sin().powi(2);
	2.0 * EARTH_RADIUS_M * h.sqrt().asin()
}

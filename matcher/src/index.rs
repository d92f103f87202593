//! The spatiotemporal index: opened stays by (hour, cell), owners by pseudonym.
//!
//! A stay is filed under every hour it touches (`unix_secs / 3600`, from its start to its end)
//! and its cell at [`INDEX_PRECISION`] (7 characters, about 150 m x 150 m). A query for the
//! stays present during a time span near a cell looks at the span's hours and the cell with its
//! 8 neighbours, so contacts across a cell border are found; a stay that spans several hours is
//! returned once, from the first hour both it and the span cover. Positions are the centres of
//! the stays' 9-character cells (about 4.8 m x 4.8 m, the CSI resolution).

use rustc_hash::FxHashMap as HashMap;

use epichain_primitives::{
	csi::{EntryPlain, Source},
	geohash::{self, Geohash},
	pseudonym::Pseudonym,
};

/// Precision of the index's cells.
pub const INDEX_PRECISION: usize = 7;

/// Seconds of one time bucket.
pub const BUCKET_SECS: u64 = 3_600;

/// Mean Earth radius in metres.
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// Metres per degree of latitude on the mean sphere.
pub const METRES_PER_DEGREE: f64 = EARTH_RADIUS_M * core::f64::consts::PI / 180.0;

/// A stay as the index keeps it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct IndexedStay {
	/// Index of the owner in [`Index::owner`].
	pub owner: u32,
	/// First second, Unix time.
	pub start: u64,
	/// Last second, Unix time (inclusive).
	pub end: u64,
	/// The stay's 9-character cell.
	pub cell: Geohash,
	/// Where it came from.
	pub source: Source,
	/// Latitude of the cell's centre.
	pub lat: f64,
	/// Longitude of the cell's centre.
	pub lon: f64,
	/// The finalized block its batch arrived in (results are judged "as of" a block).
	pub block: u32,
}

/// Stays by (hour, cell).
#[derive(Default)]
pub struct Index {
	owners: Vec<Pseudonym>,
	owner_ids: HashMap<Pseudonym, u32>,
	/// Keyed by [`bucket_key`]: one integer, so a lookup hashes one word.
	buckets: HashMap<u64, Vec<IndexedStay>>,
	by_owner: HashMap<u32, Vec<IndexedStay>>,
	stays: usize,
}

impl Index {
	/// An empty index.
	pub fn new() -> Self {
		Self::default()
	}

	/// Files every stay of an opened entry that arrived in block `block`.
	pub fn insert(&mut self, entry: &EntryPlain, block: u32) {
		let next = self.owners.len() as u32;
		let owner = *self.owner_ids.entry(entry.owner).or_insert(next);
		if owner == next {
			self.owners.push(entry.owner);
		}
		for s in &entry.stays {
			let Ok(centre) = geohash::decode(s.geohash.as_bytes()) else { continue };
			let stay = IndexedStay {
				owner,
				start: s.start,
				end: s.end.max(s.start),
				cell: s.geohash,
				source: s.source,
				lat: centre.lat,
				lon: centre.lon,
				block,
			};
			let cell = s.geohash.truncate(INDEX_PRECISION).to_bits();
			for hour in stay.start / BUCKET_SECS..=stay.end / BUCKET_SECS {
				self.buckets.entry(bucket_key(hour, cell)).or_default().push(stay);
			}
			self.by_owner.entry(owner).or_default().push(stay);
			self.stays += 1;
		}
	}

	/// Number of stays filed.
	pub fn len(&self) -> usize {
		self.stays
	}

	/// True when nothing is filed.
	pub fn is_empty(&self) -> bool {
		self.stays == 0
	}

	/// The pseudonym of owner `id`.
	pub fn owner(&self, id: u32) -> Pseudonym {
		self.owners[id as usize]
	}

	/// The stays of `pseudonym`, in insertion order.
	pub fn stays_of(&self, pseudonym: &Pseudonym) -> &[IndexedStay] {
		self.owner_ids
			.get(pseudonym)
			.and_then(|id| self.by_owner.get(id))
			.map_or(&[], |v| v.as_slice())
	}

	/// The index cell of `cell` and its (up to) 8 neighbours, as cell bits
	/// ([`Geohash::to_bits`]): the area to read for stays near `cell`.
	pub fn area(cell: &Geohash) -> Vec<u64> {
		let cell = cell.truncate(INDEX_PRECISION);
		let mut cells = vec![cell.to_bits()];
		if let Ok(n) = geohash::neighbours(cell.as_bytes()) {
			cells.extend(n.into_iter().flatten().map(|c| c.to_bits()));
		}
		cells
	}

	/// Every stay in the index cells `cells` that is present at some second of `from..=to`,
	/// each once.
	pub fn present<'a>(
		&'a self,
		cells: &'a [u64],
		from: u64,
		to: u64,
	) -> impl Iterator<Item = &'a IndexedStay> + 'a {
		(from / BUCKET_SECS..=to / BUCKET_SECS)
			.flat_map(move |hour| cells.iter().map(move |&c| (hour, bucket_key(hour, c))))
			.filter_map(|(hour, key)| self.buckets.get(&key).map(|stays| (hour, stays)))
			.flat_map(move |(hour, stays)| {
				stays.iter().filter(move |s| {
					s.start <= to && s.end >= from && s.start.max(from) / BUCKET_SECS == hour
				})
			})
	}

	/// Removes every stay that ended before unix second `cutoff` (the retention window's
	/// start); returns how many were removed. Owner ids stay assigned.
	pub fn prune_before(&mut self, cutoff: u64) -> usize {
		let before = self.stays;
		let first_hour = cutoff / BUCKET_SECS;
		self.buckets.retain(|key, stays| {
			if key >> CELL_BITS < first_hour {
				false
			} else {
				stays.retain(|s| s.end >= cutoff);
				!stays.is_empty()
			}
		});
		let mut left = 0;
		self.by_owner.retain(|_, stays| {
			stays.retain(|s| s.end >= cutoff);
			left += stays.len();
			!stays.is_empty()
		});
		self.stays = left;
		before - left
	}

	/// Number of owners (pseudonyms) ever filed.
	pub fn owners(&self) -> usize {
		self.owners.len()
	}

	/// The owner id of `pseudonym`, if it has stays here.
	pub fn owner_id(&self, pseudonym: &Pseudonym) -> Option<u32> {
		self.owner_ids.get(pseudonym).copied()
	}
}

/// Bits of a cell at [`INDEX_PRECISION`].
const CELL_BITS: u32 = 5 * INDEX_PRECISION as u32;

/// A bucket's key: the hour above the 35 bits of its 7-character cell (hours since 1970 fit in
/// 29 bits for the next 60,000 years, so the key fits in 64).
fn bucket_key(hour: u64, cell_bits: u64) -> u64 {
	(hour << CELL_BITS) | cell_bits
}

/// Great-circle distance in metres between two positions (haversine).
pub fn distance_m(a: &IndexedStay, b: &IndexedStay) -> f64 {
	let (la, lb) = (a.lat.to_radians(), b.lat.to_radians());
	let dlat = lb - la;
	let dlon = (b.lon - a.lon).to_radians();
	let h = (dlat / 2.0).sin().powi(2) + la.cos() * lb.cos() * (dlon / 2.0).sin().powi(2);
	2.0 * EARTH_RADIUS_M * h.sqrt().asin()
}

#[cfg(test)]
mod tests {
	use super::*;
	use epichain_primitives::csi::Stay;

	#[test]
	fn a_stay_over_many_hours_is_found_once_by_any_span_it_meets() {
		let cell = geohash::encode(35.6581, 139.7017, 9).unwrap();
		let t = 1_795_251_600; // 09:00 UTC, on an hour
		let mut index = Index::new();
		index.insert(
			&EntryPlain {
				owner: [1; 32],
				stays: vec![Stay {
					start: t + 600,
					end: t + 5 * 3_600,
					geohash: cell,
					source: Source::WiFi,
				}],
			},
			1,
		);
		let area = Index::area(&cell);
		for (from, to) in
			[(t, t + 12 * 3_600), (t + 7_000, t + 7_001), (t + 5 * 3_600, t + 6 * 3_600)]
		{
			assert_eq!(index.present(&area, from, to).count(), 1, "{from}..{to}");
		}
		assert_eq!(index.present(&area, t, t + 599).count(), 0);
		assert_eq!(index.present(&area, t + 5 * 3_600 + 1, t + 9 * 3_600).count(), 0);
		assert_eq!(index.prune_before(t + 5 * 3_600), 0);
		assert_eq!(index.prune_before(t + 5 * 3_600 + 1), 1);
		assert!(index.is_empty());
	}
}

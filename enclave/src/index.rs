//! The spatiotemporal index: opened stays by (hour, cell), owners by fingerprint.
//!
//! A stay is filed under every hour it touches (`unix_secs / 3600`, from its start to its end)
//! and its cell at [`INDEX_PRECISION`] (7 characters, about 150 m x 150 m). A query for the
//! stays present during a time span near a cell looks at the span's hours and the cell with its
//! 8 neighbours, so contacts across a cell border are found; a stay that spans several hours is
//! returned once, from the first hour both it and the span cover. Positions are the centres of
//! the stays' 9-character cells (about 4.8 m x 4.8 m, the CSI resolution).
//!
//! ## Memory
//!
//! A large city's 14-day window is hundreds of millions of stays, so the layout is compact
//! (issue 18's goal: at most 32 bytes a stay):
//!
//! | what | bytes |
//! |---|---|
//! | a stay: cell, source, start, length, entry, and its link in its bucket's chain | 20 |
//! | a second hour's filing, for a stay that crosses one hour boundary | 8 |
//! | a bucket: its key and the head of its chain, in a hash table | about 14 |
//! | an entry: owner, block, its stays' range in the arena, the owner's previous entry | 20 |
//! | an owner: fingerprint, last entry, and its slot in the owner table | about 26 |
//!
//! Stays live once, in one arena, in arrival order, so an entry's stays are contiguous and an
//! owner's stays are found through its entries. A bucket is a chain threaded through the
//! stays themselves, with no list of its own. A stay that touches three or more hours (a
//! night at home, a working day) is filed once, under its day and cell, instead of under every
//! hour. Owners are kept by fingerprint (what results name), not by pseudonym.

use rustc_hash::FxHashMap as HashMap;

use epichain_primitives::{
	csi::{EntryPlain, Source},
	geohash::{self, Geohash, POINT_PRECISION},
	pseudonym::{fingerprint, Fingerprint, Pseudonym},
	SECONDS_PER_DAY,
};

/// Precision of the index's cells.
pub const INDEX_PRECISION: usize = 7;

/// Seconds of one time bucket.
pub const BUCKET_SECS: u64 = 3_600;

/// Mean Earth radius in metres.
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// Metres per degree of latitude on the mean sphere.
pub const METRES_PER_DEGREE: f64 = EARTH_RADIUS_M * core::f64::consts::PI / 180.0;

/// A stay as the index returns it (decoded from its packed form).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct IndexedStay {
	/// The owner's number (see [`Index::fingerprint_of`]).
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

/// Bits of a 9-character cell.
const STAY_CELL_BITS: u32 = 5 * POINT_PRECISION as u32;
/// A stay's length in seconds fits 17 bits (a stay never crosses midnight).
const LENGTH_BITS: u32 = 17;
/// Entry numbers fit 31 bits (two thousand million entries).
const ENTRY_BITS: u32 = 31;
/// A stay touching this many hours or more is filed under its day, not its hours.
const LONG_HOURS: u64 = 3;
/// The bit of a bucket key that marks a day bucket.
const DAY_BUCKET: u64 = 1 << 63;
/// The bit of a chain link that points into the second filings, not the arena.
const SECOND: u32 = 1 << 31;
/// The end of a chain.
const NONE: u32 = u32::MAX;

/// A stay in 160 bits: cell (45) | source (3) | start, unix seconds (32) | length (17) |
/// entry (31), and the next link of the first chain it is filed in.
#[derive(Clone, Copy)]
struct Packed {
	bits: [u32; 4],
	next: u32,
}

impl Packed {
	fn new(cell: u64, source: Source, start: u32, length: u32, entry: u32) -> Self {
		let mut v = cell as u128;
		v |= (source as u128) << STAY_CELL_BITS;
		v |= (start as u128) << (STAY_CELL_BITS + 3);
		v |= (length as u128) << (STAY_CELL_BITS + 3 + 32);
		v |= (entry as u128) << (STAY_CELL_BITS + 3 + 32 + LENGTH_BITS);
		let bits = [v as u32, (v >> 32) as u32, (v >> 64) as u32, (v >> 96) as u32];
		Packed { bits, next: NONE }
	}

	fn value(&self) -> u128 {
		let [a, b, c, d] = self.bits.map(u128::from);
		a | b << 32 | c << 64 | d << 96
	}

	fn cell(&self) -> u64 {
		(self.value() & ((1 << STAY_CELL_BITS) - 1)) as u64
	}

	fn source(&self) -> Source {
		Source::ALL[((self.value() >> STAY_CELL_BITS) & 0b111) as usize]
	}

	fn start(&self) -> u64 {
		((self.value() >> (STAY_CELL_BITS + 3)) as u32) as u64
	}

	fn end(&self) -> u64 {
		let length = (self.value() >> (STAY_CELL_BITS + 3 + 32)) as u64 & ((1 << LENGTH_BITS) - 1);
		self.start() + length
	}

	fn entry(&self) -> u32 {
		(self.value() >> (STAY_CELL_BITS + 3 + 32 + LENGTH_BITS)) as u32
	}
}

/// A stay's filing in a second hour's chain.
#[derive(Clone, Copy)]
struct Filing {
	stay: u32,
	next: u32,
}

/// One opened entry: one owner's stays of one batch.
#[derive(Clone, Copy)]
struct Entry {
	owner: u32,
	block: u32,
	/// Its first stay in the arena.
	first: u32,
	/// Its stays (at most a batch's bound per entry).
	count: u32,
	/// The owner's previous entry, or [`NONE`].
	previous: u32,
}

/// Stays by (hour, cell), long stays by (day, cell).
pub struct Index {
	/// Every stay once, entries' stays contiguous, in arrival order.
	arena: Vec<Packed>,
	/// Second filings of stays that cross one hour boundary.
	seconds: Vec<Filing>,
	entries: Vec<Entry>,
	/// Owners' fingerprints, by owner number.
	fingerprints: Vec<Fingerprint>,
	/// Each owner's last entry, or [`NONE`].
	last_entry: Vec<u32>,
	/// Owner numbers, found by fingerprint.
	owner_table: hashbrown::HashTable<u32>,
	/// The head of each bucket's chain, keyed by [`bucket_key`] (or [`day_key`]).
	heads: HashMap<u64, u32>,
	stays: usize,
	/// The earliest end of any stay filed (a prune with an earlier cutoff has nothing to do).
	earliest_end: u64,
}

impl Default for Index {
	fn default() -> Self {
		Self {
			arena: Vec::new(),
			seconds: Vec::new(),
			entries: Vec::new(),
			fingerprints: Vec::new(),
			last_entry: Vec::new(),
			owner_table: Default::default(),
			heads: Default::default(),
			stays: 0,
			earliest_end: u64::MAX,
		}
	}
}

/// The index cell of a stay's 9-character cell bits.
fn index_cell(cell: u64) -> u64 {
	cell >> (5 * (POINT_PRECISION - INDEX_PRECISION))
}

/// The table hash of a fingerprint (already a hash: its first 8 bytes).
fn hash_of(fp: &Fingerprint) -> u64 {
	u64::from_le_bytes(fp[..8].try_into().expect("16 > 8"))
}

impl Index {
	/// An empty index.
	pub fn new() -> Self {
		Self::default()
	}

	/// The owner number of `fp`, added if new.
	fn owner_of(&mut self, fp: Fingerprint) -> u32 {
		let Self { owner_table, fingerprints, last_entry, .. } = self;
		let hash = hash_of(&fp);
		if let Some(id) = owner_table.find(hash, |id| fingerprints[*id as usize] == fp) {
			return *id;
		}
		let id = fingerprints.len() as u32;
		fingerprints.push(fp);
		last_entry.push(NONE);
		owner_table.insert_unique(hash, id, |id| hash_of(&fingerprints[*id as usize]));
		id
	}

	/// Files every stay of an opened entry that arrived in block `block`.
	pub fn insert(&mut self, entry: &EntryPlain, block: u32) {
		let owner = self.owner_of(fingerprint(&entry.owner));
		let id = self.entries.len() as u32;
		if id >= 1 << ENTRY_BITS {
			// Beyond two thousand million entries the index is full; the enclave never gets
			// there within a retention window (counted as a rejected entry by its caller).
			return;
		}
		let first = self.arena.len() as u32;
		let mut count = 0;
		for s in &entry.stays {
			if s.geohash.len() != POINT_PRECISION {
				continue;
			}
			let (start, end) = (s.start, s.end.max(s.start));
			let (Ok(start32), Ok(length)) = (u32::try_from(start), u32::try_from(end - start))
			else {
				continue;
			};
			if length >= 1 << LENGTH_BITS {
				continue;
			}
			self.file(Packed::new(s.geohash.to_bits(), s.source, start32, length, id));
			count += 1;
		}
		self.push_entry(owner, block, first, count);
	}

	/// Records the entry of `owner`'s `count` stays just filed from arena position `first`
	/// (nothing when there are none).
	fn push_entry(&mut self, owner: u32, block: u32, first: u32, count: u32) {
		if count == 0 {
			return;
		}
		let previous = self.last_entry[owner as usize];
		self.last_entry[owner as usize] = self.entries.len() as u32;
		self.entries.push(Entry { owner, block, first, count, previous });
		self.stays += count as usize;
	}

	/// Appends `stay` to the arena and links it into its bucket chains.
	fn file(&mut self, mut stay: Packed) {
		let number = self.arena.len() as u32;
		let (start, end, cell) = (stay.start(), stay.end(), index_cell(stay.cell()));
		let (first_hour, last_hour) = (start / BUCKET_SECS, end / BUCKET_SECS);
		let first_key = if last_hour - first_hour + 1 >= LONG_HOURS {
			day_key(start / SECONDS_PER_DAY, cell)
		} else {
			bucket_key(first_hour, cell)
		};
		let head = self.heads.entry(first_key).or_insert(NONE);
		stay.next = std::mem::replace(head, number);
		self.arena.push(stay);
		self.earliest_end = self.earliest_end.min(end);
		if last_hour == first_hour + 1 {
			let filing = SECOND | self.seconds.len() as u32;
			let head = self.heads.entry(bucket_key(last_hour, cell)).or_insert(NONE);
			self.seconds.push(Filing { stay: number, next: std::mem::replace(head, filing) });
		}
	}

	/// The stays of one bucket's chain.
	fn chain(&self, key: u64) -> impl Iterator<Item = &Packed> + '_ {
		let mut link = self.heads.get(&key).copied().unwrap_or(NONE);
		std::iter::from_fn(move || {
			if link == NONE {
				return None;
			}
			let stay = if link & SECOND == 0 {
				let stay = &self.arena[link as usize];
				link = stay.next;
				stay
			} else {
				let filing = self.seconds[(link & !SECOND) as usize];
				link = filing.next;
				&self.arena[filing.stay as usize]
			};
			Some(stay)
		})
	}

	/// Number of stays filed.
	pub fn len(&self) -> usize {
		self.stays
	}

	/// True when nothing is filed.
	pub fn is_empty(&self) -> bool {
		self.stays == 0
	}

	/// The fingerprint of owner number `id`.
	pub fn fingerprint_of(&self, id: u32) -> Fingerprint {
		self.fingerprints[id as usize]
	}

	/// The owner number of `pseudonym`, if it ever had stays here.
	pub fn owner_id(&self, pseudonym: &Pseudonym) -> Option<u32> {
		let fp = fingerprint(pseudonym);
		self.owner_table.find(hash_of(&fp), |id| self.fingerprints[*id as usize] == fp).copied()
	}

	/// The stays of `pseudonym`, latest entry first.
	pub fn stays_of(&self, pseudonym: &Pseudonym) -> Vec<IndexedStay> {
		let Some(owner) = self.owner_id(pseudonym) else { return Vec::new() };
		let mut out = Vec::new();
		let mut e = self.last_entry[owner as usize];
		while e != NONE {
			let entry = self.entries[e as usize];
			let range = entry.first as usize..(entry.first + entry.count) as usize;
			out.extend(self.arena[range].iter().map(|p| self.view(p)));
			e = entry.previous;
		}
		out
	}

	/// The stay `p` with its entry's owner and block, and its cell's centre.
	fn view(&self, p: &Packed) -> IndexedStay {
		let entry = self.entries[p.entry() as usize];
		let cell = Geohash::from_bits(p.cell(), POINT_PRECISION).expect("45 bits; qed");
		let centre = geohash::decode(cell.as_bytes()).expect("a valid cell; qed");
		IndexedStay {
			owner: entry.owner,
			start: p.start(),
			end: p.end(),
			cell,
			source: p.source(),
			lat: centre.lat,
			lon: centre.lon,
			block: entry.block,
		}
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
	) -> impl Iterator<Item = IndexedStay> + 'a {
		let overlaps = move |s: &&Packed| s.start() <= to && s.end() >= from;
		// Short stays by hour: a stay in two hours' chains is returned from the first hour
		// both it and the span cover.
		let short = (from / BUCKET_SECS..=to / BUCKET_SECS)
			.flat_map(move |hour| cells.iter().map(move |&c| (hour, bucket_key(hour, c))))
			.flat_map(move |(hour, key)| {
				self.chain(key)
					.filter(overlaps)
					.filter(move |s| s.start().max(from) / BUCKET_SECS == hour)
			});
		// Long stays by day: each in one day's chain.
		let long = (from / SECONDS_PER_DAY..=to / SECONDS_PER_DAY)
			.flat_map(move |day| cells.iter().map(move |&c| day_key(day, c)))
			.flat_map(move |key| self.chain(key).filter(overlaps));
		short.chain(long).map(|p| self.view(p))
	}

	/// Removes every stay that ended before unix second `cutoff` (the retention window's
	/// start); returns how many were removed. Owner numbers stay assigned.
	pub fn prune_before(&mut self, cutoff: u64) -> usize {
		let before = self.stays;
		let keep = |p: &Packed| p.end() >= cutoff;
		if self.stays == 0 || cutoff <= self.earliest_end {
			return 0;
		}
		self.earliest_end = u64::MAX;
		// Rebuild: keep the surviving stays in order, renumbered, with their entries, in lists
		// sized for them (no spare capacity left from growth).
		// Owners are renumbered too: an owner with no stay left is forgotten.
		let arena = std::mem::take(&mut self.arena);
		let entries = std::mem::take(&mut self.entries);
		let fingerprints = std::mem::take(&mut self.fingerprints);
		let mut renumbered = vec![NONE; fingerprints.len()];
		self.arena.reserve_exact(arena.iter().filter(|p| keep(p)).count());
		self.seconds.clear();
		self.heads.clear();
		self.last_entry.clear();
		self.owner_table.clear();
		self.stays = 0;
		for entry in entries {
			let id = self.entries.len() as u32;
			let first = self.arena.len() as u32;
			let mut count = 0;
			for p in &arena[entry.first as usize..(entry.first + entry.count) as usize] {
				if !keep(p) {
					continue;
				}
				let length = (p.end() - p.start()) as u32;
				self.file(Packed::new(p.cell(), p.source(), p.start() as u32, length, id));
				count += 1;
			}
			if count == 0 {
				continue;
			}
			let owner = match renumbered[entry.owner as usize] {
				NONE => {
					let n = self.owner_of(fingerprints[entry.owner as usize]);
					renumbered[entry.owner as usize] = n;
					n
				},
				n => n,
			};
			self.push_entry(owner, entry.block, first, count);
		}
		self.fingerprints.shrink_to_fit();
		self.last_entry.shrink_to_fit();
		self.owner_table.shrink_to_fit(|id| hash_of(&self.fingerprints[*id as usize]));
		before - self.stays
	}

	/// Number of owners (fingerprints) with stays in the index.
	pub fn owners(&self) -> usize {
		self.fingerprints.len()
	}

	/// Heap bytes the index holds (capacities, not lengths), by part: stays, bucket chains
	/// (second filings and the head table), entries, owners.
	pub fn heap_bytes(&self) -> [usize; 4] {
		use std::mem::size_of;
		[
			self.arena.capacity() * size_of::<Packed>(),
			self.seconds.capacity() * size_of::<Filing>() + self.heads.capacity() * (8 + 4 + 1),
			self.entries.capacity() * size_of::<Entry>(),
			self.fingerprints.capacity() * 16
				+ self.last_entry.capacity() * 4
				+ self.owner_table.capacity() * (4 + 1),
		]
	}
}

/// Bits of a cell at [`INDEX_PRECISION`].
const CELL_BITS: u32 = 5 * INDEX_PRECISION as u32;

/// A bucket's key: the hour above the 35 bits of its 7-character cell (hours since 1970 fit in
/// 29 bits for the next 60,000 years, so the key fits in 64).
fn bucket_key(hour: u64, cell_bits: u64) -> u64 {
	(hour << CELL_BITS) | cell_bits
}

/// A day bucket's key: [`DAY_BUCKET`], then the day above the 35 bits of the cell.
fn day_key(day: u64, cell_bits: u64) -> u64 {
	DAY_BUCKET | (day << CELL_BITS) | cell_bits
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

	/// The packed form keeps every field of every stay exactly, whatever the source, and an
	/// owner's stays come back through its entries after a prune renumbered them.
	#[test]
	fn stays_come_back_exactly_as_filed_and_survive_a_prune() {
		let t = 1_795_219_200; // a midnight
		let mut index = Index::new();
		let mut filed = Vec::new();
		for (i, source) in Source::ALL.into_iter().enumerate() {
			let i = i as u64;
			let start = t + 3_000 * i;
			// The last one lasts until the day's last second (a 17-bit length).
			let end = if i == 7 { t + 86_399 } else { start + 600 + 1_000 * i };
			let stay = Stay {
				start,
				end,
				geohash: geohash::encode(35.0 + 0.01 * i as f64, 139.0, 9).unwrap(),
				source,
			};
			let owner = [i as u8 % 3; 32];
			index.insert(&EntryPlain { owner, stays: vec![stay] }, 10 + i as u32);
			filed.push((owner, stay, 10 + i as u32));
		}
		let check = |index: &Index, filed: &[(Pseudonym, Stay, u32)]| {
			for (owner, stay, block) in filed {
				let back = index.stays_of(owner);
				let got = back.iter().find(|s| s.start == stay.start).expect("filed");
				assert_eq!(
					(got.end, got.cell, got.source, got.block),
					(stay.end, stay.geohash, stay.source, *block)
				);
				assert_eq!(index.fingerprint_of(got.owner), fingerprint(owner));
			}
		};
		check(&index, &filed);
		assert_eq!((index.len(), index.owners()), (8, 3));
		assert_eq!(index.prune_before(t + 600), 0);
		// Stays 0, 1 and 2 end before 12,000 s into the day.
		assert_eq!(index.prune_before(t + 12_000), 3);
		filed.retain(|(_, s, _)| s.end >= t + 12_000);
		check(&index, &filed);
		assert_eq!((index.len(), index.owners()), (5, 3));
		let area = Index::area(&filed[0].1.geohash);
		assert_eq!(index.present(&area, t, t + 86_399).count(), 1);
		// Owner 2's only stay left is stay 5 (ending 20,600 s into the day): a prune past it
		// forgets the owner, and the others keep their stays under their new numbers.
		assert_eq!(index.prune_before(t + 20_601), 3);
		filed.retain(|(_, s, _)| s.end >= t + 20_601);
		check(&index, &filed);
		assert_eq!((index.len(), index.owners()), (2, 2));
		assert!(index.stays_of(&[2; 32]).is_empty());
		assert_eq!(index.prune_before(t + 86_400), 2);
		assert_eq!(index.owners(), 0, "no owner outlives its stays");
		assert!(index.stays_of(&[0; 32]).is_empty());
	}

	/// Every query of random spans over random stays (moments, stays across one hour
	/// boundary, stays of many hours) returns exactly the stays a brute-force scan finds,
	/// each once.
	#[test]
	fn present_matches_a_brute_force_scan() {
		let day0 = 1_795_219_200u64; // a midnight
		let base = geohash::encode(35.6581, 139.7017, 7).unwrap();
		let area = Index::area(&base);
		let mut seed = 0x9e37_79b9_7f4a_7c15u64;
		let mut next = move || {
			seed ^= seed << 13;
			seed ^= seed >> 7;
			seed ^= seed << 17;
			seed
		};
		let mut index = Index::new();
		let mut all = Vec::new();
		for i in 0..3_000u64 {
			let day = day0 + (next() % 3) * 86_400;
			let start = day + next() % 86_400;
			let length = match next() % 4 {
				0 => 0,
				1 => next() % 600,
				2 => next() % 7_200,
				_ => next() % 40_000,
			};
			let end = (start + length).min(day + 86_399);
			// Cells in the base cell, a neighbour, or far away.
			let cell7 = match next() % 3 {
				0 => base,
				1 => Geohash::from_bits(area[1 + (next() % 8) as usize], 7).unwrap(),
				_ => geohash::encode(35.0, 139.0, 7).unwrap(),
			};
			let cell = Geohash::from_bits((cell7.to_bits() << 10) | (next() % 1_024), 9).unwrap();
			let stay = Stay { start, end, geohash: cell, source: Source::ALL[(i % 8) as usize] };
			let mut owner = [0u8; 32];
			owner[..8].copy_from_slice(&i.to_le_bytes());
			index.insert(&EntryPlain { owner, stays: vec![stay] }, i as u32);
			all.push((fingerprint(&owner), stay));
		}
		for _ in 0..300 {
			let from = day0 + next() % (3 * 86_400);
			let to = from + next() % 20_000;
			let mut got: Vec<_> = index
				.present(&area, from, to)
				.map(|s| (index.fingerprint_of(s.owner), s.start, s.end))
				.collect();
			got.sort();
			let mut want: Vec<_> = all
				.iter()
				.filter(|(_, s)| {
					area.contains(&s.geohash.truncate(7).to_bits())
						&& s.start <= to && s.end >= from
				})
				.map(|(fp, s)| (*fp, s.start, s.end))
				.collect();
			want.sort();
			assert_eq!(got, want, "{from}..={to}");
		}
	}
}

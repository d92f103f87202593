//! Crypto-spatiotemporal information (Wen et al.): points, their compact wire form, and the
//! on-chain shape of a sealed batch.
//!
//! ## Wire format of a sealed entry
//!
//! An entry is one owner's points of one day, sealed as one AES-256-GCM message:
//!
//! ```text
//! plaintext  = pseudonym (32) || point (10) * n
//! point      = geohash bits (6, big-endian, 45 bits used) || second of day (3) || source (1)
//! ciphertext = AES-256-GCM(plaintext) || tag (16)          => 48 + 10 n bytes
//! ```
//!
//! On chain an entry is SCALE `Vec<u8>`, so it costs one or two more bytes of length prefix:
//! a one-point entry (a gate passage) is 59 bytes with its owner, an entry of 8 points (an hour
//! of an app's trajectory at one point every 7.5 minutes) is 130 bytes, 16.25 bytes per point;
//! Wen et al.'s record is 104 bytes per point. The time is stored as the second of the batch's
//! day, which the key derivation binds, so a point cannot be moved to another day.

use crate::{geohash, geohash::Geohash, pseudonym::Pseudonym, DayIndex, SECONDS_PER_DAY};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// Identifier of a matcher sealing key, assigned by the matchers pallet.
pub type SealingKeyId = u32;

/// An X25519 public key (a matcher's sealing key, a writer's ephemeral key).
pub type X25519Public = [u8; 32];

/// Bytes of one point in the sealed plaintext.
pub const POINT_WIRE_LEN: usize = 10;

/// Bytes of the owner's pseudonym at the head of the sealed plaintext.
pub const OWNER_LEN: usize = 32;

/// Bytes of the AES-GCM authentication tag.
pub const TAG_LEN: usize = 16;

/// Ciphertext bytes of an entry that are not points: owner and tag.
pub const ENTRY_OVERHEAD: usize = OWNER_LEN + TAG_LEN;

/// Ciphertext length of an entry of `points` points.
pub const fn entry_len(points: u32) -> u32 {
	ENTRY_OVERHEAD as u32 + POINT_WIRE_LEN as u32 * points
}

/// Number of points in a ciphertext of `len` bytes, or `None` if no entry has that length
/// (too short to hold an owner, a tag and a point, or not a whole number of points).
pub const fn points_in_entry(len: usize) -> Option<u32> {
	if len < ENTRY_OVERHEAD + POINT_WIRE_LEN || (len - ENTRY_OVERHEAD) % POINT_WIRE_LEN != 0 {
		return None;
	}
	Some(((len - ENTRY_OVERHEAD) / POINT_WIRE_LEN) as u32)
}

/// Transaction-pool slots of one locator.
///
/// The pool validates a batch against the best block, where nothing of the next block's
/// per-locator usage is known, and batches need no nonce, so without a bound one locator could
/// park any number of quota-sized batches in the pool and crowd every other locator out. Each
/// locator therefore has [`POOL_SLOTS`] slots, each standing for `1 / POOL_SLOTS` of its
/// per-block quota; a batch provides one pool tag per slot it occupies ([`PoolSlots`]), and the
/// pool admits no two transactions of equal priority that provide the same tag. What one
/// locator holds in the pool is therefore never more than one block takes from it.
pub const POOL_SLOTS: u32 = 16;

/// The pool slots a batch occupies: `count` consecutive slots, wrapping after
/// [`POOL_SLOTS`] - 1, from the slot its one-time key names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolSlots {
	/// The first slot: the first byte of the batch's one-time key, modulo [`POOL_SLOTS`].
	pub first: u32,
	/// How many slots: `ceil(points * POOL_SLOTS / quota)`, at least 1, at most
	/// [`POOL_SLOTS`].
	pub count: u32,
}

impl PoolSlots {
	/// The slots of a batch with one-time key `ephemeral` and `points` points, for a locator
	/// whose per-block quota is `quota` points.
	pub fn of(ephemeral: &X25519Public, points: u32, quota: u32) -> Self {
		PoolSlots { first: Self::first_of(ephemeral), count: Self::needed(points, quota) }
	}

	/// The slot a one-time key names.
	pub fn first_of(ephemeral: &X25519Public) -> u32 {
		ephemeral[0] as u32 % POOL_SLOTS
	}

	/// Slots that `points` points need under a per-block quota of `quota` points.
	pub fn needed(points: u32, quota: u32) -> u32 {
		let slots = (points as u64 * POOL_SLOTS as u64).div_ceil(quota.max(1) as u64);
		slots.clamp(1, POOL_SLOTS as u64) as u32
	}

	/// The slot numbers, from the first.
	pub fn iter(&self) -> impl Iterator<Item = u32> {
		let first = self.first;
		(0..self.count).map(move |i| (first + i) % POOL_SLOTS)
	}

	/// True when the two share a slot.
	pub fn overlaps(&self, other: &PoolSlots) -> bool {
		self.iter().any(|s| other.iter().any(|o| o == s))
	}
}

/// Where a point came from (Wen et al.'s locators, plus the trusted app's own sensors).
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Hash,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
#[repr(u8)]
pub enum Source {
	/// Satellite positioning on the user's device.
	Gnss = 0,
	/// A Wi-Fi access point saw the device.
	WiFi = 1,
	/// A transit gate (ticket barrier) passage.
	TransitGate = 2,
	/// A venue check-in.
	VenueCheckIn = 3,
	/// A camera-based sighting.
	Camera = 4,
	/// A Bluetooth beacon.
	Bluetooth = 5,
	/// A cellular network location.
	Cellular = 6,
	/// Entered by hand (for example a diary).
	Manual = 7,
}

impl Source {
	/// Every source, in tag order.
	pub const ALL: [Source; 8] = [
		Source::Gnss,
		Source::WiFi,
		Source::TransitGate,
		Source::VenueCheckIn,
		Source::Camera,
		Source::Bluetooth,
		Source::Cellular,
		Source::Manual,
	];

	/// The source with wire tag `tag`.
	pub fn from_tag(tag: u8) -> Option<Self> {
		Self::ALL.get(tag as usize).copied()
	}
}

/// Why a point or an entry plaintext could not be encoded or decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PointError {
	/// The geohash is not exactly [`geohash::POINT_PRECISION`] characters.
	WrongPrecision,
	/// The point's time is not inside the batch's day.
	OutsideDay,
	/// The point is not inside the batch's cell prefix.
	OutsidePrefix,
	/// Bytes that are not a point (bad geohash bits, second or source tag).
	Malformed,
	/// An entry with no points, or a plaintext of the wrong length.
	BadLength,
}

/// One plaintext trajectory point: when, where (geohash of length 9) and from which source.
/// It exists in the clear only on the writer's side and inside the matcher enclave.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CsiPoint {
	/// Unix time in seconds.
	pub unix_secs: u64,
	/// The 9-character cell (about 4.8 m x 4.8 m).
	pub geohash: Geohash,
	/// Where the point came from.
	pub source: Source,
}

impl CsiPoint {
	/// The day the point belongs to.
	pub fn day(&self) -> DayIndex {
		(self.unix_secs / SECONDS_PER_DAY) as DayIndex
	}

	/// The 10-byte wire form, relative to `day`.
	pub fn to_wire(&self, day: DayIndex) -> Result<[u8; POINT_WIRE_LEN], PointError> {
		if self.geohash.len() != geohash::POINT_PRECISION {
			return Err(PointError::WrongPrecision);
		}
		if self.day() != day {
			return Err(PointError::OutsideDay);
		}
		let second = (self.unix_secs % SECONDS_PER_DAY) as u32;
		let bits = self.geohash.to_bits();
		let mut out = [0u8; POINT_WIRE_LEN];
		out[..6].copy_from_slice(&bits.to_be_bytes()[2..]);
		out[6..9].copy_from_slice(&second.to_be_bytes()[1..]);
		out[9] = self.source as u8;
		Ok(out)
	}

	/// Decodes the wire form of a point of day `day`.
	pub fn from_wire(day: DayIndex, bytes: &[u8; POINT_WIRE_LEN]) -> Result<Self, PointError> {
		let mut bits = [0u8; 8];
		bits[2..].copy_from_slice(&bytes[..6]);
		let geohash = Geohash::from_bits(u64::from_be_bytes(bits), geohash::POINT_PRECISION)
			.map_err(|_| PointError::Malformed)?;
		let second = u32::from_be_bytes([0, bytes[6], bytes[7], bytes[8]]) as u64;
		if second >= SECONDS_PER_DAY {
			return Err(PointError::Malformed);
		}
		let source = Source::from_tag(bytes[9]).ok_or(PointError::Malformed)?;
		Ok(Self { unix_secs: day as u64 * SECONDS_PER_DAY + second, geohash, source })
	}
}

/// The public header of a sealed batch: everything the key derivation binds besides the
/// shared secret. The locator signs it together with the entries.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct BatchHeader {
	/// The matcher sealing key the batch was sealed to.
	pub key_id: SealingKeyId,
	/// The writer's one-time X25519 public key.
	pub ephemeral: X25519Public,
	/// The day every point of the batch belongs to.
	pub day: DayIndex,
	/// The cell every point of the batch lies in (a geohash prefix inside the locator's region).
	pub cell_prefix: Geohash,
}

/// One owner's points of one day, before sealing.
#[cfg(feature = "std")]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryPlain {
	/// The owner's pseudonym of the batch's day.
	pub owner: Pseudonym,
	/// The points, in the order written.
	pub points: Vec<CsiPoint>,
}

#[cfg(feature = "std")]
impl EntryPlain {
	/// The sealed plaintext: owner followed by the wire points, each checked against the
	/// header's day and cell prefix.
	pub fn to_plaintext(&self, header: &BatchHeader) -> Result<Vec<u8>, PointError> {
		if self.points.is_empty() {
			return Err(PointError::BadLength);
		}
		let mut out = Vec::with_capacity(OWNER_LEN + POINT_WIRE_LEN * self.points.len());
		out.extend_from_slice(&self.owner);
		for p in &self.points {
			if !p.geohash.is_within(header.cell_prefix.as_bytes()) {
				return Err(PointError::OutsidePrefix);
			}
			out.extend_from_slice(&p.to_wire(header.day)?);
		}
		Ok(out)
	}

	/// Parses a sealed plaintext of a batch with header `header`.
	pub fn from_plaintext(header: &BatchHeader, bytes: &[u8]) -> Result<Self, PointError> {
		if bytes.len() < OWNER_LEN + POINT_WIRE_LEN
			|| (bytes.len() - OWNER_LEN) % POINT_WIRE_LEN != 0
		{
			return Err(PointError::BadLength);
		}
		let mut owner = [0u8; OWNER_LEN];
		owner.copy_from_slice(&bytes[..OWNER_LEN]);
		let points = bytes[OWNER_LEN..]
			.chunks_exact(POINT_WIRE_LEN)
			.map(|c| {
				let p = CsiPoint::from_wire(header.day, c.try_into().expect("chunks_exact; qed"))?;
				if !p.geohash.is_within(header.cell_prefix.as_bytes()) {
					return Err(PointError::OutsidePrefix);
				}
				Ok(p)
			})
			.collect::<Result<_, _>>()?;
		Ok(Self { owner, points })
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn point(secs: u64, hash: &[u8], source: Source) -> CsiPoint {
		CsiPoint { unix_secs: secs, geohash: Geohash::parse(hash).unwrap(), source }
	}

	#[test]
	fn entry_sizes_meet_the_budget() {
		// One-point entry with its owner and SCALE length prefix: at most 64 bytes on chain.
		let one = entry_len(1) as usize;
		assert_eq!(one, 58);
		assert!(codec::Compact(one as u32).encoded_size() + one <= 64);
		// Eight points: at most 40 bytes per point, owner included.
		let eight = entry_len(8) as usize;
		assert!(codec::Compact(eight as u32).encoded_size() + eight <= 8 * 40);
		assert_eq!(points_in_entry(one), Some(1));
		assert_eq!(points_in_entry(eight), Some(8));
		for bad in [0, 47, 48, 57, 59, 67] {
			assert_eq!(points_in_entry(bad), None, "{bad}");
		}
	}

	#[test]
	fn points_round_trip_through_the_wire_form() {
		let day = 20_778;
		let base = day as u64 * SECONDS_PER_DAY;
		for (i, source) in Source::ALL.into_iter().enumerate() {
			let p = point(base + 86_399 - i as u64 * 3_600, b"xn76urx66", source);
			assert_eq!(CsiPoint::from_wire(day, &p.to_wire(day).unwrap()), Ok(p));
		}
		let p = point(base + 5, b"xn76urx66", Source::Gnss);
		assert_eq!(p.to_wire(day + 1), Err(PointError::OutsideDay));
		assert_eq!(
			point(base, b"xn76urx6", Source::Gnss).to_wire(day),
			Err(PointError::WrongPrecision)
		);
		let mut wire = p.to_wire(day).unwrap();
		wire[9] = 8;
		assert_eq!(CsiPoint::from_wire(day, &wire), Err(PointError::Malformed));
		let mut wire = p.to_wire(day).unwrap();
		wire[6..9].copy_from_slice(&[0x01, 0x51, 0x80]); // 86_400
		assert_eq!(CsiPoint::from_wire(day, &wire), Err(PointError::Malformed));
		let mut wire = p.to_wire(day).unwrap();
		wire[0] = 0x20; // bit 45 set: not a 9-character geohash
		assert_eq!(CsiPoint::from_wire(day, &wire), Err(PointError::Malformed));
	}

	#[test]
	fn plaintext_checks_day_and_prefix() {
		let day = 20_778;
		let header = BatchHeader {
			key_id: 1,
			ephemeral: [0; 32],
			day,
			cell_prefix: Geohash::parse(b"xn76").unwrap(),
		};
		let base = day as u64 * SECONDS_PER_DAY;
		let entry =
			EntryPlain { owner: [9; 32], points: vec![point(base, b"xn76urx66", Source::WiFi)] };
		let plain = entry.to_plaintext(&header).unwrap();
		assert_eq!(plain.len(), OWNER_LEN + POINT_WIRE_LEN);
		assert_eq!(EntryPlain::from_plaintext(&header, &plain), Ok(entry));
		let outside =
			EntryPlain { owner: [9; 32], points: vec![point(base, b"xn0m7m3hs", Source::WiFi)] };
		assert_eq!(outside.to_plaintext(&header), Err(PointError::OutsidePrefix));
		let empty = EntryPlain { owner: [9; 32], points: vec![] };
		assert_eq!(empty.to_plaintext(&header), Err(PointError::BadLength));
		assert_eq!(EntryPlain::from_plaintext(&header, &plain[..40]), Err(PointError::BadLength));
	}

	#[test]
	fn pool_slots_never_let_a_locator_hold_more_than_its_quota() {
		let quota = 16_384;
		assert_eq!(PoolSlots::needed(1, quota), 1);
		assert_eq!(PoolSlots::needed(1_024, quota), 1);
		assert_eq!(PoolSlots::needed(1_025, quota), 2);
		assert_eq!(PoolSlots::needed(quota, quota), POOL_SLOTS);
		assert_eq!(PoolSlots::needed(u32::MAX, quota), POOL_SLOTS);
		assert_eq!(PoolSlots::needed(5, 0), POOL_SLOTS);
		let wrapping = PoolSlots { first: 14, count: 4 };
		assert_eq!(wrapping.iter().collect::<Vec<_>>(), vec![14, 15, 0, 1]);
		assert!(wrapping.overlaps(&PoolSlots { first: 1, count: 1 }));
		assert!(!wrapping.overlaps(&PoolSlots { first: 2, count: 12 }));
		// Any set of batches with pairwise disjoint slots holds at most the quota, whatever
		// their sizes and first slots (exhaustive over small quotas and sizes).
		for quota in [1u32, 7, 16, 200, 1_000] {
			for points in 1..=quota.min(64) {
				let per_batch = PoolSlots::needed(points, quota);
				let fit = POOL_SLOTS / per_batch;
				assert!(fit * points <= quota, "quota {quota}, {points}-point batches");
			}
		}
		assert_eq!(PoolSlots::first_of(&[0x13; 32]), 3);
	}
}

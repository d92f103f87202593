//! Crypto-spatiotemporal information (Wen et al.), recorded as stays: where someone was from
//! when to when, its compact wire form, and the on-chain shape of a sealed batch.
//!
//! ## Wire format of a sealed entry (`epichain/csi/v2`)
//!
//! An entry is one owner's stays of one day, sealed as one AES-256-GCM message:
//!
//! ```text
//! plaintext  = pseudonym (32) || stay (11) * n
//! stay       = 88 bits, big-endian: geohash bits (45) | start (17) | end (17) | source (3) | 0 (6)
//! ciphertext = AES-256-GCM(plaintext) || tag (16)          => 48 + 11 n bytes
//! ```
//!
//! `start` and `end` are seconds of the batch's day, `start <= end <= 86_399`, both inclusive: a
//! single fix (a gate passage, one Wi-Fi sighting) is a stay of zero length, a venue visit
//! from check-in to check-out is one stay. A stay never crosses midnight: a writer splits it
//! into two days' batches. The day is bound by the key derivation, so a stay cannot be moved to
//! another day.
//!
//! ## Device-sealed entries (`epichain/csi-device/v1`)
//!
//! A phone that checks in at a venue, or hands its stays to an app gateway, seals its own entry
//! with a one-time key of its own, so the locator that batches and signs it never reads the
//! pseudonym, the place or the time inside:
//!
//! ```text
//! device entry = 0xDE || version 0x01 || device's one-time key E (32) || ciphertext (48 + 11 n)
//!                                                                    => 82 + 11 n bytes
//! ```
//!
//! (the key derivation is in [`crate::sealing`]). The kind of an entry is told by its first
//! bytes *and* its length: a locator-sealed entry is `48 + 11 n` bytes (4 modulo 11), a
//! device-sealed one `82 + 11 n` (5 modulo 11), so no length is both and an entry whose tag and
//! length disagree is malformed ([`EntryShape::of`]). A batch may hold both kinds. The chain
//! refuses a device entry whose one-time key was used before on its day, as it refuses a reused
//! batch key.
//!
//! On chain an entry is SCALE `Vec<u8>`, so it costs one or two more bytes of length prefix:
//! a one-stay entry is 60 bytes with its owner, an entry of 8 stays is 138 bytes, 17.25 bytes
//! per stay. A person's typical day is 10 to 30 stays; Wen et al.'s record is 104 bytes per
//! point at one point every 5 seconds.

use crate::{geohash, geohash::Geohash, pseudonym::Pseudonym, DayIndex, SECONDS_PER_DAY};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// Identifier of a matcher sealing key, assigned by the matchers pallet.
pub type SealingKeyId = u32;

/// An X25519 public key (a matcher's sealing key, a writer's ephemeral key).
pub type X25519Public = [u8; 32];

/// Bytes of one stay in the sealed plaintext.
pub const STAY_WIRE_LEN: usize = 11;

/// Bytes of the owner's pseudonym at the head of the sealed plaintext.
pub const OWNER_LEN: usize = 32;

/// Bytes of the AES-GCM authentication tag.
pub const TAG_LEN: usize = 16;

/// Ciphertext bytes of an entry that are not stays: owner and tag.
pub const ENTRY_OVERHEAD: usize = OWNER_LEN + TAG_LEN;

/// The last second of a day: a stay's `end` is at most this (inclusive).
pub const LAST_SECOND: u32 = SECONDS_PER_DAY as u32 - 1;

/// Ciphertext length of an entry of `stays` stays.
pub const fn entry_len(stays: u32) -> u32 {
	ENTRY_OVERHEAD as u32 + STAY_WIRE_LEN as u32 * stays
}

/// Number of stays in a ciphertext of `len` bytes, or `None` if no entry has that length
/// (too short to hold an owner, a tag and a stay, or not a whole number of stays).
pub const fn stays_in_entry(len: usize) -> Option<u32> {
	if len < ENTRY_OVERHEAD + STAY_WIRE_LEN || !(len - ENTRY_OVERHEAD).is_multiple_of(STAY_WIRE_LEN)
	{
		return None;
	}
	Some(((len - ENTRY_OVERHEAD) / STAY_WIRE_LEN) as u32)
}

/// The first two bytes of a device-sealed entry: its tag and the version of its layout.
pub const DEVICE_ENTRY_TAG: [u8; 2] = [0xDE, 0x01];

/// Bytes of a device-sealed entry before its ciphertext: tag, version and one-time key.
pub const DEVICE_HEAD_LEN: usize = DEVICE_ENTRY_TAG.len() + 32;

/// Length of a device-sealed entry of `stays` stays.
pub const fn device_entry_len(stays: u32) -> u32 {
	DEVICE_HEAD_LEN as u32 + entry_len(stays)
}

/// Who sealed an entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryKind {
	/// The locator, under the batch's one-time key.
	Locator,
	/// The owner's device, under the entry's own one-time key.
	Device,
}

/// What an entry's bytes say about it before it is opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EntryShape {
	/// Who sealed it.
	pub kind: EntryKind,
	/// How many stays it holds.
	pub stays: u32,
	/// A device entry's own one-time key (`None` for a locator entry).
	pub device_key: Option<X25519Public>,
}

impl EntryShape {
	/// The shape of entry `bytes`, or `None` when they are no entry: a length of neither kind,
	/// or a device-length entry without the device tag and version.
	pub fn of(bytes: &[u8]) -> Option<Self> {
		if let Some(stays) = stays_in_entry(bytes.len()) {
			return Some(Self { kind: EntryKind::Locator, stays, device_key: None });
		}
		let (head, ciphertext) = bytes.split_at_checked(DEVICE_HEAD_LEN)?;
		let stays = stays_in_entry(ciphertext.len())?;
		let (tag, key) = head.split_at(DEVICE_ENTRY_TAG.len());
		if tag != DEVICE_ENTRY_TAG {
			return None;
		}
		let key: X25519Public = key.try_into().ok()?;
		Some(Self { kind: EntryKind::Device, stays, device_key: Some(key) })
	}
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
	/// How many slots: `ceil(stays * POOL_SLOTS / quota)`, at least 1, at most
	/// [`POOL_SLOTS`].
	pub count: u32,
}

impl PoolSlots {
	/// The slots of a batch with one-time key `ephemeral` and `stays` stays, for a locator
	/// whose per-block quota is `quota` stays.
	pub fn of(ephemeral: &X25519Public, stays: u32, quota: u32) -> Self {
		PoolSlots { first: Self::first_of(ephemeral), count: Self::needed(stays, quota) }
	}

	/// The slot a one-time key names.
	pub fn first_of(ephemeral: &X25519Public) -> u32 {
		ephemeral[0] as u32 % POOL_SLOTS
	}

	/// Slots that `stays` stays need under a per-block quota of `quota` stays.
	pub fn needed(stays: u32, quota: u32) -> u32 {
		let slots = (stays as u64 * POOL_SLOTS as u64).div_ceil(quota.max(1) as u64);
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

/// Where a stay came from (Wen et al.'s locators, plus the trusted app's own sensors).
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

	/// True when the source places a person within a few metres (satellite positioning, a
	/// camera, a Bluetooth beacon's proximity). The others (a Wi-Fi access point, a venue, a
	/// gate, a cell tower, a diary) only say that the person was at that place: the stay's cell
	/// is the place's, not the person's position.
	pub fn is_precise(self) -> bool {
		matches!(self, Source::Gnss | Source::Camera | Source::Bluetooth)
	}
}

/// Why a stay or an entry plaintext could not be encoded or decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StayError {
	/// The geohash is not exactly [`geohash::POINT_PRECISION`] characters.
	WrongPrecision,
	/// The stay does not lie inside the batch's day (it starts on another day or crosses
	/// midnight).
	OutsideDay,
	/// The stay ends before it starts.
	EndsBeforeStart,
	/// The stay is not inside the batch's cell prefix.
	OutsidePrefix,
	/// Bytes that are not a stay (bad geohash bits, second, source tag or padding).
	Malformed,
	/// An entry with no stays, or a plaintext of the wrong length.
	BadLength,
}

/// One plaintext stay: where (geohash of length 9), from when to when (inclusive), and from
/// which source. A single fix is a stay with `start == end`. It exists in the clear only on
/// the writer's side and inside the matcher enclave.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Stay {
	/// The first second, Unix time.
	pub start: u64,
	/// The last second, Unix time, on the same day as `start`.
	pub end: u64,
	/// The 9-character cell (about 4.8 m x 4.8 m): the person's position for a precise
	/// [`Source`], the place's (access point, venue, gate) otherwise.
	pub geohash: Geohash,
	/// Where the stay came from.
	pub source: Source,
}

impl Stay {
	/// A single fix: a stay of zero length at `unix_secs`.
	pub fn fix(unix_secs: u64, geohash: Geohash, source: Source) -> Self {
		Self { start: unix_secs, end: unix_secs, geohash, source }
	}

	/// The day the stay belongs to (that of its start).
	pub fn day(&self) -> DayIndex {
		(self.start / SECONDS_PER_DAY) as DayIndex
	}

	/// How long the stay lasted, in seconds (0 for a single fix).
	pub fn duration_secs(&self) -> u64 {
		self.end.saturating_sub(self.start)
	}

	/// The 11-byte wire form, relative to `day`.
	pub fn to_wire(&self, day: DayIndex) -> Result<[u8; STAY_WIRE_LEN], StayError> {
		if self.geohash.len() != geohash::POINT_PRECISION {
			return Err(StayError::WrongPrecision);
		}
		if self.end < self.start {
			return Err(StayError::EndsBeforeStart);
		}
		if self.day() != day || (self.end / SECONDS_PER_DAY) as DayIndex != day {
			return Err(StayError::OutsideDay);
		}
		let (start, end) = (self.start % SECONDS_PER_DAY, self.end % SECONDS_PER_DAY);
		let packed = ((self.geohash.to_bits() as u128) << 43)
			| ((start as u128) << 26)
			| ((end as u128) << 9)
			| ((self.source as u128) << 6);
		let mut out = [0u8; STAY_WIRE_LEN];
		out.copy_from_slice(&packed.to_be_bytes()[16 - STAY_WIRE_LEN..]);
		Ok(out)
	}

	/// Decodes the wire form of a stay of day `day`.
	pub fn from_wire(day: DayIndex, bytes: &[u8; STAY_WIRE_LEN]) -> Result<Self, StayError> {
		let mut wide = [0u8; 16];
		wide[16 - STAY_WIRE_LEN..].copy_from_slice(bytes);
		let packed = u128::from_be_bytes(wide);
		let field = |shift: u32, bits: u32| ((packed >> shift) & ((1u128 << bits) - 1)) as u64;
		if field(0, 6) != 0 {
			return Err(StayError::Malformed);
		}
		let geohash = Geohash::from_bits(field(43, 45), geohash::POINT_PRECISION)
			.map_err(|_| StayError::Malformed)?;
		let (start, end) = (field(26, 17), field(9, 17));
		if start >= SECONDS_PER_DAY || end >= SECONDS_PER_DAY {
			return Err(StayError::Malformed);
		}
		if end < start {
			return Err(StayError::EndsBeforeStart);
		}
		let source = Source::from_tag(field(6, 3) as u8).ok_or(StayError::Malformed)?;
		let base = day as u64 * SECONDS_PER_DAY;
		Ok(Self { start: base + start, end: base + end, geohash, source })
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
	/// The day every stay of the batch belongs to.
	pub day: DayIndex,
	/// The cell every stay of the batch lies in (a geohash prefix inside the locator's region).
	pub cell_prefix: Geohash,
}

/// One owner's stays of one day, before sealing.
#[cfg(feature = "std")]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryPlain {
	/// The owner's pseudonym of the batch's day.
	pub owner: Pseudonym,
	/// The stays, in the order written.
	pub stays: Vec<Stay>,
}

#[cfg(feature = "std")]
impl EntryPlain {
	/// The sealed plaintext: owner followed by the wire stays, each checked against the
	/// header's day and cell prefix.
	pub fn to_plaintext(&self, header: &BatchHeader) -> Result<Vec<u8>, StayError> {
		if self.stays.is_empty() {
			return Err(StayError::BadLength);
		}
		let mut out = Vec::with_capacity(OWNER_LEN + STAY_WIRE_LEN * self.stays.len());
		out.extend_from_slice(&self.owner);
		for stay in &self.stays {
			if !stay.geohash.is_within(header.cell_prefix.as_bytes()) {
				return Err(StayError::OutsidePrefix);
			}
			out.extend_from_slice(&stay.to_wire(header.day)?);
		}
		Ok(out)
	}

	/// Parses a sealed plaintext of a batch with header `header`.
	pub fn from_plaintext(header: &BatchHeader, bytes: &[u8]) -> Result<Self, StayError> {
		if bytes.len() < OWNER_LEN + STAY_WIRE_LEN
			|| !(bytes.len() - OWNER_LEN).is_multiple_of(STAY_WIRE_LEN)
		{
			return Err(StayError::BadLength);
		}
		let mut owner = [0u8; OWNER_LEN];
		owner.copy_from_slice(&bytes[..OWNER_LEN]);
		let stays = bytes[OWNER_LEN..]
			.chunks_exact(STAY_WIRE_LEN)
			.map(|c| {
				let stay = Stay::from_wire(header.day, c.try_into().expect("chunks_exact; qed"))?;
				if !stay.geohash.is_within(header.cell_prefix.as_bytes()) {
					return Err(StayError::OutsidePrefix);
				}
				Ok(stay)
			})
			.collect::<Result<_, _>>()?;
		Ok(Self { owner, stays })
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn stay(start: u64, end: u64, hash: &[u8], source: Source) -> Stay {
		Stay { start, end, geohash: Geohash::parse(hash).unwrap(), source }
	}

	#[test]
	fn entry_sizes_meet_the_budget() {
		// At most 12 bytes per stay inside the ciphertext.
		const { assert!(STAY_WIRE_LEN <= 12) };
		let one = entry_len(1) as usize;
		assert_eq!(one, 59);
		// Eight stays with their owner and SCALE length prefix: at most 20 bytes per stay.
		let eight = entry_len(8) as usize;
		assert_eq!(codec::Compact(eight as u32).encoded_size() + eight, 138);
		assert!(codec::Compact(eight as u32).encoded_size() + eight <= 8 * 20);
		assert_eq!(stays_in_entry(one), Some(1));
		assert_eq!(stays_in_entry(eight), Some(8));
		for bad in [0, 47, 48, 58, 60, 69] {
			assert_eq!(stays_in_entry(bad), None, "{bad}");
		}
	}

	#[test]
	fn the_kind_of_an_entry_is_told_by_its_tag_and_length() {
		// No length is both a locator's and a device's entry.
		for n in 1..=2_000u32 {
			assert_eq!(stays_in_entry(device_entry_len(n) as usize), None, "{n}");
		}
		let mut device = vec![0u8; device_entry_len(2) as usize];
		device[..2].copy_from_slice(&DEVICE_ENTRY_TAG);
		device[2..34].copy_from_slice(&[7; 32]);
		assert_eq!(
			EntryShape::of(&device),
			Some(EntryShape { kind: EntryKind::Device, stays: 2, device_key: Some([7; 32]) })
		);
		assert_eq!(device_entry_len(1), 93);
		let locator = vec![0xDE; entry_len(3) as usize];
		assert_eq!(
			EntryShape::of(&locator),
			Some(EntryShape { kind: EntryKind::Locator, stays: 3, device_key: None })
		);
		// A device length with another tag or version, or a device head with no stay, is no
		// entry.
		let mut other_version = device.clone();
		other_version[1] = 0x02;
		assert_eq!(EntryShape::of(&other_version), None);
		let mut untagged = device.clone();
		untagged[0] = 0;
		assert_eq!(EntryShape::of(&untagged), None);
		assert_eq!(EntryShape::of(&device[..DEVICE_HEAD_LEN + ENTRY_OVERHEAD]), None);
		// A device entry cut by one byte has a locator entry's length: it is judged as one,
		// and its tag then fails (see `sealing`).
		assert_eq!(
			EntryShape::of(&device[..device.len() - 1]).map(|s| s.kind),
			Some(EntryKind::Locator)
		);
	}

	#[test]
	fn stays_round_trip_through_the_wire_form() {
		let day = 20_778;
		let base = day as u64 * SECONDS_PER_DAY;
		for (i, source) in Source::ALL.into_iter().enumerate() {
			let s = stay(base + 3_600 * i as u64, base + 86_399, b"xn76urx66", source);
			assert_eq!(Stay::from_wire(day, &s.to_wire(day).unwrap()), Ok(s));
		}
		let fix = Stay::fix(base, Geohash::parse(b"zzzzzzzzz").unwrap(), Source::Manual);
		assert_eq!(Stay::from_wire(day, &fix.to_wire(day).unwrap()), Ok(fix));
		assert_eq!(fix.duration_secs(), 0);
	}

	#[test]
	fn stays_that_are_not_of_one_day_or_run_backwards_are_refused() {
		let day = 20_778;
		let base = day as u64 * SECONDS_PER_DAY;
		let s = stay(base + 5, base + 900, b"xn76urx66", Source::Gnss);
		assert_eq!(s.to_wire(day + 1), Err(StayError::OutsideDay));
		let midnight = stay(base + 80_000, base + 90_000, b"xn76urx66", Source::Gnss);
		assert_eq!(midnight.to_wire(day), Err(StayError::OutsideDay));
		let backwards = stay(base + 900, base + 5, b"xn76urx66", Source::Gnss);
		assert_eq!(backwards.to_wire(day), Err(StayError::EndsBeforeStart));
		assert_eq!(
			stay(base, base, b"xn76urx6", Source::Gnss).to_wire(day),
			Err(StayError::WrongPrecision)
		);
		// Hand-made wire forms: the decoder checks every field.
		let wire = s.to_wire(day).unwrap();
		let with = |f: &dyn Fn(&mut u128)| {
			let mut wide = [0u8; 16];
			wide[5..].copy_from_slice(&wire);
			let mut v = u128::from_be_bytes(wide);
			f(&mut v);
			v.to_be_bytes()[5..].try_into().unwrap()
		};
		let padding: [u8; 11] = with(&|v| *v |= 1);
		assert_eq!(Stay::from_wire(day, &padding), Err(StayError::Malformed));
		let end_86400: [u8; 11] = with(&|v| *v = (*v & !(0x1ffff << 9)) | (86_400 << 9));
		assert_eq!(Stay::from_wire(day, &end_86400), Err(StayError::Malformed));
		let reversed: [u8; 11] = with(&|v| *v = (*v & !(0x1ffff << 9)) | (4 << 9));
		assert_eq!(Stay::from_wire(day, &reversed), Err(StayError::EndsBeforeStart));
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
		let entry = EntryPlain {
			owner: [9; 32],
			stays: vec![stay(base, base + 600, b"xn76urx66", Source::WiFi)],
		};
		let plain = entry.to_plaintext(&header).unwrap();
		assert_eq!(plain.len(), OWNER_LEN + STAY_WIRE_LEN);
		assert_eq!(EntryPlain::from_plaintext(&header, &plain), Ok(entry));
		let outside = EntryPlain {
			owner: [9; 32],
			stays: vec![stay(base, base, b"xn0m7m3hs", Source::WiFi)],
		};
		assert_eq!(outside.to_plaintext(&header), Err(StayError::OutsidePrefix));
		let empty = EntryPlain { owner: [9; 32], stays: vec![] };
		assert_eq!(empty.to_plaintext(&header), Err(StayError::BadLength));
		assert_eq!(EntryPlain::from_plaintext(&header, &plain[..40]), Err(StayError::BadLength));
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
			for stays in 1..=quota.min(64) {
				let per_batch = PoolSlots::needed(stays, quota);
				let fit = POOL_SLOTS / per_batch;
				assert!(fit * stays <= quota, "quota {quota}, {stays}-stay batches");
			}
		}
		assert_eq!(PoolSlots::first_of(&[0x13; 32]), 3);
	}
}

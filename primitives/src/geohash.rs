//! Geohash cells: encode, decode, neighbours, prefixes and the 45-bit packing CSI stays use.
//!
//! A geohash interleaves longitude and latitude bisection bits (longitude first) and writes them
//! five at a time in the alphabet `0123456789bcdefghjkmnpqrstuvwxyz`. A prefix of a geohash is the
//! cell containing it, which is how epichain expresses regions (a locator's area, a
//! diagnostician's jurisdiction) and the location hierarchy (Song et al.'s state / county / city /
//! location become prefix lengths). Agreement with the reference implementation is pinned by
//! `test-vectors/geohash.txt`.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// The geohash alphabet (base 32 without `a`, `i`, `l`, `o`).
pub const ALPHABET: &[u8; 32] = b"0123456789bcdefghjkmnpqrstuvwxyz";

/// Longest geohash epichain handles (12 characters, a few centimetres).
pub const MAX_PRECISION: usize = 12;

/// Precision of a CSI stay's cell: 9 characters, a cell of about 4.8 m x 4.8 m.
pub const POINT_PRECISION: usize = 9;

/// Why a geohash or a coordinate was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GeohashError {
	/// A character outside the geohash alphabet.
	InvalidCharacter,
	/// Empty, or longer than [`MAX_PRECISION`].
	InvalidLength,
	/// Latitude outside [-90, 90] or longitude outside [-180, 180], or not a number.
	CoordinateOutOfRange,
}

/// A geohash of 1 to [`MAX_PRECISION`] characters, stored inline (no allocation).
///
/// Decoding validates: bytes that are not a geohash (bad length, a character outside the
/// alphabet, or non-zero padding) fail to decode, so a runtime never holds a malformed one.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Encode, MaxEncodedLen, TypeInfo)]
pub struct Geohash {
	len: u8,
	chars: [u8; MAX_PRECISION],
}

impl Decode for Geohash {
	fn decode<I: codec::Input>(input: &mut I) -> Result<Self, codec::Error> {
		let len = u8::decode(input)?;
		let chars = <[u8; MAX_PRECISION]>::decode(input)?;
		let text = chars.get(..len as usize).ok_or("geohash longer than 12")?;
		let parsed = Geohash::parse(text).map_err(|_| "not a geohash")?;
		if parsed.chars != chars {
			return Err("geohash padding is not zero".into());
		}
		Ok(parsed)
	}
}

impl DecodeWithMemTracking for Geohash {}

impl Geohash {
	/// Parses and validates a geohash (lower case, as the reference implementations emit).
	pub fn parse(text: &[u8]) -> Result<Self, GeohashError> {
		if text.is_empty() || text.len() > MAX_PRECISION {
			return Err(GeohashError::InvalidLength);
		}
		let mut chars = [0u8; MAX_PRECISION];
		for (slot, &c) in chars.iter_mut().zip(text) {
			char_value(c).ok_or(GeohashError::InvalidCharacter)?;
			*slot = c;
		}
		Ok(Self { len: text.len() as u8, chars })
	}

	/// The geohash characters.
	pub fn as_bytes(&self) -> &[u8] {
		self.chars.get(..self.len as usize).unwrap_or_default()
	}

	/// The geohash as text.
	pub fn as_str(&self) -> &str {
		// Every byte was checked against the ASCII alphabet on construction.
		core::str::from_utf8(self.as_bytes()).unwrap_or_default()
	}

	/// Number of characters.
	pub fn len(&self) -> usize {
		self.len as usize
	}

	/// Always false: a geohash has at least one character.
	pub fn is_empty(&self) -> bool {
		self.len == 0
	}

	/// The enclosing cell of `precision` characters (itself when `precision >= len`).
	pub fn truncate(&self, precision: usize) -> Self {
		let mut out = *self;
		out.len = self.len.min(precision.max(1) as u8);
		out.chars[out.len as usize..].fill(0);
		out
	}

	/// True when this cell lies inside (or is) the cell `prefix`.
	pub fn is_within(&self, prefix: &[u8]) -> bool {
		is_within(self.as_bytes(), prefix)
	}

	/// The cell's integer coordinates: (latitude index, longitude index, latitude bits,
	/// longitude bits).
	fn indices(&self) -> (u64, u64, u32, u32) {
		let (mut lat, mut lon, mut lat_bits, mut lon_bits) = (0u64, 0u64, 0u32, 0u32);
		let mut is_lon = true;
		for &c in self.as_bytes() {
			let v = char_value(c).unwrap_or(0);
			for shift in (0..5).rev() {
				let bit = ((v >> shift) & 1) as u64;
				if is_lon {
					lon = (lon << 1) | bit;
					lon_bits += 1;
				} else {
					lat = (lat << 1) | bit;
					lat_bits += 1;
				}
				is_lon = !is_lon;
			}
		}
		(lat, lon, lat_bits, lon_bits)
	}

	fn from_indices(lat: u64, lon: u64, precision: usize) -> Self {
		let total = precision as u32 * 5;
		let (lat_bits, lon_bits) = (total / 2, total - total / 2);
		let mut chars = [0u8; MAX_PRECISION];
		let (mut lat_left, mut lon_left) = (lat_bits, lon_bits);
		for slot in chars.iter_mut().take(precision) {
			let mut v = 0u8;
			for _ in 0..5 {
				// Bit position `b` of the interleaved stream is a longitude bit when even.
				let is_lon = (lat_bits - lat_left) == (lon_bits - lon_left);
				let bit = if is_lon {
					lon_left -= 1;
					(lon >> lon_left) & 1
				} else {
					lat_left -= 1;
					(lat >> lat_left) & 1
				};
				v = (v << 1) | bit as u8;
			}
			*slot = ALPHABET[v as usize];
		}
		Self { len: precision as u8, chars }
	}

	/// Packs the geohash into its 5-bit-per-character integer (at most 60 bits).
	pub fn to_bits(&self) -> u64 {
		self.as_bytes().iter().fold(0u64, |acc, &c| (acc << 5) | char_value(c).unwrap_or(0) as u64)
	}

	/// Unpacks a geohash of `precision` characters from [`Geohash::to_bits`].
	pub fn from_bits(bits: u64, precision: usize) -> Result<Self, GeohashError> {
		if precision == 0 || precision > MAX_PRECISION {
			return Err(GeohashError::InvalidLength);
		}
		if precision < MAX_PRECISION && bits >> (5 * precision) != 0 {
			return Err(GeohashError::InvalidCharacter);
		}
		let mut chars = [0u8; MAX_PRECISION];
		for (i, slot) in chars.iter_mut().take(precision).enumerate() {
			let shift = 5 * (precision - 1 - i);
			*slot = ALPHABET[((bits >> shift) & 31) as usize];
		}
		Ok(Self { len: precision as u8, chars })
	}
}

impl core::fmt::Debug for Geohash {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		write!(f, "Geohash({})", self.as_str())
	}
}

impl core::fmt::Display for Geohash {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.write_str(self.as_str())
	}
}

/// The value (0..32) of a geohash character, or `None` outside the alphabet.
pub fn char_value(c: u8) -> Option<u8> {
	ALPHABET.iter().position(|&a| a == c).map(|p| p as u8)
}

/// True when `hash` is a well-formed geohash or prefix of 1 to [`MAX_PRECISION`] characters.
pub fn is_valid(hash: &[u8]) -> bool {
	Geohash::parse(hash).is_ok()
}

/// True when `cell` lies inside `prefix` (an empty prefix is the whole world).
pub fn is_within(cell: &[u8], prefix: &[u8]) -> bool {
	cell.starts_with(prefix)
}

/// Encodes a WGS84 coordinate at `precision` characters.
pub fn encode(lat: f64, lon: f64, precision: usize) -> Result<Geohash, GeohashError> {
	if precision == 0 || precision > MAX_PRECISION {
		return Err(GeohashError::InvalidLength);
	}
	if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
		return Err(GeohashError::CoordinateOutOfRange);
	}
	let (mut lat_lo, mut lat_hi, mut lon_lo, mut lon_hi) = (-90.0f64, 90.0f64, -180.0f64, 180.0f64);
	let mut chars = [0u8; MAX_PRECISION];
	let mut is_lon = true;
	for slot in chars.iter_mut().take(precision) {
		let mut v = 0u8;
		for _ in 0..5 {
			let (lo, hi, x) = if is_lon {
				(&mut lon_lo, &mut lon_hi, lon)
			} else {
				(&mut lat_lo, &mut lat_hi, lat)
			};
			let mid = (*lo + *hi) / 2.0;
			if x >= mid {
				v = (v << 1) | 1;
				*lo = mid;
			} else {
				v <<= 1;
				*hi = mid;
			}
			is_lon = !is_lon;
		}
		*slot = ALPHABET[v as usize];
	}
	Ok(Geohash { len: precision as u8, chars })
}

/// A decoded cell: its centre and half its height and width, in degrees.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cell {
	/// Latitude of the centre.
	pub lat: f64,
	/// Longitude of the centre.
	pub lon: f64,
	/// Half the cell's height.
	pub lat_err: f64,
	/// Half the cell's width.
	pub lon_err: f64,
}

/// Decodes a geohash to its cell.
pub fn decode(hash: &[u8]) -> Result<Cell, GeohashError> {
	let g = Geohash::parse(hash)?;
	let (lat, lon, lat_bits, lon_bits) = g.indices();
	let lat_size = 180.0 / (1u64 << lat_bits) as f64;
	let lon_size = 360.0 / (1u64 << lon_bits) as f64;
	Ok(Cell {
		lat: -90.0 + (lat as f64 + 0.5) * lat_size,
		lon: -180.0 + (lon as f64 + 0.5) * lon_size,
		lat_err: lat_size / 2.0,
		lon_err: lon_size / 2.0,
	})
}

/// The cells around `hash` at the same precision, in the order N, NE, E, SE, S, SW, W, NW.
///
/// Longitude wraps around the antimeridian; there is nothing north of the northernmost row or
/// south of the southernmost one, so those entries are `None`.
pub fn neighbours(hash: &[u8]) -> Result<[Option<Geohash>; 8], GeohashError> {
	let g = Geohash::parse(hash)?;
	let (lat, lon, lat_bits, lon_bits) = g.indices();
	let lat_max = (1u64 << lat_bits) - 1;
	let lon_mask = (1u64 << lon_bits) - 1;
	let at = |dlat: i8, dlon: i8| -> Option<Geohash> {
		let lat = match dlat {
			1 if lat == lat_max => return None,
			1 => lat + 1,
			-1 if lat == 0 => return None,
			-1 => lat - 1,
			_ => lat,
		};
		let lon = match dlon {
			1 => lon.wrapping_add(1) & lon_mask,
			-1 => lon.wrapping_sub(1) & lon_mask,
			_ => lon,
		};
		Some(Geohash::from_indices(lat, lon, g.len()))
	};
	Ok([at(1, 0), at(1, 1), at(0, 1), at(-1, 1), at(-1, 0), at(-1, -1), at(0, -1), at(1, -1)])
}

/// A region: a geohash prefix of 0 to [`MAX_PRECISION`] characters, as locators' and
/// diagnosticians' areas are written on chain. Empty is the whole world (dev chains).
pub type Region =
	bounded_collections::BoundedVec<u8, bounded_collections::ConstU32<{ MAX_PRECISION as u32 }>>;

/// True when `region` is empty or a well-formed geohash prefix.
pub fn is_valid_region(region: &[u8]) -> bool {
	region.is_empty() || is_valid(region)
}

#[cfg(test)]
mod tests {
	use super::*;

	const VECTORS: &str = include_str!("../test-vectors/geohash.txt");

	fn vectors(kind: &str) -> impl Iterator<Item = Vec<&'static str>> + '_ {
		VECTORS
			.lines()
			.filter(|l| !l.starts_with('#'))
			.map(|l| l.split_whitespace().collect::<Vec<_>>())
			.filter(move |f| f.first() == Some(&kind))
			.map(|f| f[1..].to_vec())
	}

	#[test]
	fn encode_matches_reference_vectors() {
		let mut n = 0;
		for f in vectors("encode") {
			let (lat, lon, p): (f64, f64, usize) =
				(f[0].parse().unwrap(), f[1].parse().unwrap(), f[2].parse().unwrap());
			assert_eq!(encode(lat, lon, p).unwrap().as_str(), f[3], "encode {lat} {lon} {p}");
			n += 1;
		}
		assert!(n >= 9);
	}

	#[test]
	fn decode_matches_reference_vectors() {
		for f in vectors("decode") {
			let cell = decode(f[0].as_bytes()).unwrap();
			let want: Vec<f64> = f[1..].iter().map(|x| x.parse().unwrap()).collect();
			for (got, want) in [cell.lat, cell.lon, cell.lat_err, cell.lon_err].iter().zip(&want) {
				assert!((got - want).abs() < 1e-9, "decode {}: {got} vs {want}", f[0]);
			}
		}
	}

	#[test]
	fn neighbours_match_reference_vectors() {
		for f in vectors("neighbours") {
			let mut got: Vec<String> = neighbours(f[0].as_bytes())
				.unwrap()
				.iter()
				.flatten()
				.map(|g| g.as_str().to_string())
				.collect();
			got.sort();
			assert_eq!(got, f[1..].to_vec(), "neighbours of {}", f[0]);
		}
	}

	#[test]
	fn neighbours_are_in_compass_order() {
		let [n, ne, e, se, s, sw, w, nw] = neighbours(b"ezs42").unwrap().map(Option::unwrap);
		assert_eq!(
			[n, ne, e, se, s, sw, w, nw].map(|g| g.to_string()),
			["ezs48", "ezs49", "ezs43", "ezs41", "ezs40", "ezefp", "ezefr", "ezefx"]
		);
	}

	#[test]
	fn refuses_malformed_input() {
		assert_eq!(Geohash::parse(b""), Err(GeohashError::InvalidLength));
		assert_eq!(Geohash::parse(b"0123456789bcd"), Err(GeohashError::InvalidLength));
		for bad in [&b"ezs4a"[..], b"ezs4i", b"ezs4l", b"ezs4o", b"EZS42", b"ezs 4"] {
			assert_eq!(Geohash::parse(bad), Err(GeohashError::InvalidCharacter));
		}
		assert_eq!(encode(90.1, 0.0, 9), Err(GeohashError::CoordinateOutOfRange));
		assert_eq!(encode(f64::NAN, 0.0, 9), Err(GeohashError::CoordinateOutOfRange));
		assert_eq!(encode(0.0, 0.0, 13), Err(GeohashError::InvalidLength));
	}

	#[test]
	fn bits_round_trip_and_prefixes_nest() {
		let g = Geohash::parse(b"xn76urx66").unwrap();
		assert_eq!(g.to_bits() >> 45, 0);
		assert_eq!(Geohash::from_bits(g.to_bits(), 9).unwrap(), g);
		assert_eq!(Geohash::from_bits(1 << 45, 9), Err(GeohashError::InvalidCharacter));
		assert!(g.is_within(b"xn76"));
		assert!(g.is_within(b""));
		assert!(!g.is_within(b"xn0m"));
		assert_eq!(g.truncate(7).as_str(), "xn76urx");
	}

	#[test]
	fn decoding_refuses_what_is_not_a_geohash() {
		use codec::{Decode, Encode};
		let g = Geohash::parse(b"xn76").unwrap();
		let bytes = g.encode();
		assert_eq!(bytes.len(), 13);
		assert_eq!(Geohash::decode(&mut &bytes[..]), Ok(g));
		for (i, v) in [(0, 0u8), (0, 13), (0, 200), (1, b'a'), (5, b'0')] {
			let mut bad = bytes.clone();
			bad[i] = v;
			assert!(Geohash::decode(&mut &bad[..]).is_err(), "byte {i} = {v}");
		}
	}
}

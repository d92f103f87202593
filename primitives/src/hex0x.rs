//! Bytes as `0x`-prefixed lower-case hex: how every epichain program writes keys, hashes and
//! pseudonyms for people and JSON, and reads them back (std only).

extern crate alloc;

use alloc::{string::String, vec::Vec};

/// Why text is not the bytes asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HexError {
	/// A character is not a hex digit, or the digits are odd in number.
	NotHex,
	/// The bytes are not as many as expected.
	WrongLength {
		/// Bytes expected.
		expected: usize,
		/// Bytes found.
		found: usize,
	},
}

impl core::fmt::Display for HexError {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		match self {
			Self::NotHex => f.write_str("not hex"),
			Self::WrongLength { expected, found } => {
				write!(f, "{found} bytes where {expected} are expected")
			},
		}
	}
}

impl std::error::Error for HexError {}

/// `0x` followed by the lower-case hex of `bytes`.
pub fn encode(bytes: &[u8]) -> String {
	let mut text = String::with_capacity(2 + 2 * bytes.len());
	text.push_str("0x");
	text.push_str(&hex::encode(bytes));
	text
}

/// The bytes of hex `text`: surrounding whitespace and one `0x` prefix are allowed.
pub fn decode(text: &str) -> Result<Vec<u8>, HexError> {
	let text = text.trim();
	let digits = text.strip_prefix("0x").unwrap_or(text);
	hex::decode(digits).map_err(|_| HexError::NotHex)
}

/// Exactly `N` bytes of hex `text` (as [`decode`]).
pub fn decode_array<const N: usize>(text: &str) -> Result<[u8; N], HexError> {
	let bytes = decode(text)?;
	let found = bytes.len();
	bytes.try_into().map_err(|_| HexError::WrongLength { expected: N, found })
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn round_trips_with_one_optional_prefix() {
		assert_eq!(encode(&[0xab, 0x01]), "0xab01");
		assert_eq!(decode("0xab01"), Ok(vec![0xab, 0x01]));
		assert_eq!(decode(" AB01\n"), Ok(vec![0xab, 0x01]));
		assert_eq!(decode("0x"), Ok(vec![]));
		assert_eq!(decode("0x0xab"), Err(HexError::NotHex), "one prefix, not a repeated one");
		assert_eq!(decode("0xabc"), Err(HexError::NotHex));
	}

	#[test]
	fn arrays_are_exactly_their_length() {
		assert_eq!(decode_array::<2>("0xab01"), Ok([0xab, 0x01]));
		assert_eq!(
			decode_array::<32>("0xab01"),
			Err(HexError::WrongLength { expected: 32, found: 2 })
		);
	}
}

//! The byte format of fuzz inputs: little-endian fields read in order, zeros once the input
//! runs out. [`Writer`] is its inverse, used to write the seed corpus.

/// Reads fields from a fuzz input.
pub struct Reader<'a> {
	bytes: &'a [u8],
}

impl<'a> Reader<'a> {
	/// A reader at the start of `bytes`.
	pub fn new(bytes: &'a [u8]) -> Self {
		Self { bytes }
	}

	/// Whether every byte has been read.
	pub fn is_empty(&self) -> bool {
		self.bytes.is_empty()
	}

	/// The next byte, or 0 past the end.
	pub fn u8(&mut self) -> u8 {
		match self.bytes.split_first() {
			Some((first, rest)) => {
				self.bytes = rest;
				*first
			},
			None => 0,
		}
	}

	/// The next two bytes, little-endian.
	pub fn u16(&mut self) -> u16 {
		u16::from_le_bytes([self.u8(), self.u8()])
	}

	/// The next four bytes, little-endian.
	pub fn u32(&mut self) -> u32 {
		u32::from_le_bytes([self.u8(), self.u8(), self.u8(), self.u8()])
	}

	/// A length-prefixed (u16) run of at most `max` bytes.
	pub fn bytes(&mut self, max: usize) -> Vec<u8> {
		let len = (self.u16() as usize).min(max).min(self.bytes.len());
		let (taken, rest) = self.bytes.split_at(len);
		self.bytes = rest;
		taken.to_vec()
	}

	/// Whatever is left.
	pub fn rest(&mut self) -> &'a [u8] {
		core::mem::take(&mut self.bytes)
	}
}

/// Writes fields in the order a [`Reader`] reads them.
#[derive(Default)]
pub struct Writer {
	bytes: Vec<u8>,
}

impl Writer {
	/// Appends one byte.
	pub fn u8(&mut self, v: u8) -> &mut Self {
		self.bytes.push(v);
		self
	}

	/// Appends two bytes, little-endian.
	pub fn u16(&mut self, v: u16) -> &mut Self {
		self.bytes.extend_from_slice(&v.to_le_bytes());
		self
	}

	/// Appends four bytes, little-endian.
	pub fn u32(&mut self, v: u32) -> &mut Self {
		self.bytes.extend_from_slice(&v.to_le_bytes());
		self
	}

	/// Appends a length-prefixed run (what [`Reader::bytes`] reads).
	pub fn bytes(&mut self, v: &[u8]) -> &mut Self {
		self.u16(v.len() as u16);
		self.bytes.extend_from_slice(v);
		self
	}

	/// The input written so far.
	pub fn finish(self) -> Vec<u8> {
		self.bytes
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_reader_reads_what_a_writer_wrote_and_zeros_after() {
		let mut w = Writer::default();
		w.u8(7).u16(0x1234).u32(0xdead_beef).bytes(b"abc");
		let input = w.finish();
		let mut r = Reader::new(&input);
		assert_eq!((r.u8(), r.u16(), r.u32()), (7, 0x1234, 0xdead_beef));
		assert_eq!(r.bytes(16), b"abc");
		assert!(r.is_empty());
		assert_eq!((r.u8(), r.u32()), (0, 0));
	}

	#[test]
	fn a_length_prefix_never_reads_past_the_end_or_the_cap() {
		let mut r = Reader::new(&[0xff, 0xff, 1, 2, 3]);
		assert_eq!(r.bytes(2), vec![1, 2]);
		assert_eq!(r.rest(), &[3]);
	}
}

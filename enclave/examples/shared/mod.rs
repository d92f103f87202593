//! What the matcher's benchmarks share.

use epichain_primitives::geohash::Geohash;

/// A small deterministic generator (xorshift64*), so runs are comparable.
pub struct Rng(pub u64);
impl Rng {
	/// The next 64 random bits.
	pub fn next(&mut self) -> u64 {
		self.0 ^= self.0 >> 12;
		self.0 ^= self.0 << 25;
		self.0 ^= self.0 >> 27;
		self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
	}
	/// A uniform float in [0, 1).
	#[allow(dead_code)]
	pub fn unit(&mut self) -> f64 {
		(self.next() >> 11) as f64 / (1u64 << 53) as f64
	}
}

/// A uniformly random 9-character cell inside the 4-character cell `area` (25 more bits
/// under its 20).
#[allow(dead_code)]
pub fn random_cell(rng: &mut Rng, area: Geohash) -> Geohash {
	Geohash::from_bits((area.to_bits() << 25) | (rng.next() & ((1 << 25) - 1)), 9).unwrap()
}

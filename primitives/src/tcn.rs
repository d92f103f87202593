//! TCN protocol reports (CoEpi / TCN Coalition): Bluetooth proximity reports beside location
//! tracing, as Song et al. suggest.
//!
//! Phones broadcast temporary contact numbers (TCNs) derived from a ratchet of temporary
//! contact keys (TCKs) under a report authorization key (RAK). A diagnosed user publishes a
//! signed report `rvk || tck_{j1-1} || j1 || j2 || memo_type || memo_len || memo || sig`; anyone
//! can recompute the TCNs from index `j1` on and compare them with the TCNs their phone heard,
//! locally. The runtime verifies the report's shape and its ed25519 signature by `rvk` (with
//! its host function) and stores it for phones to download; it never computes TCNs.
//!
//! Serialization and rules follow the reference implementation (the `tcn` crate): integers are
//! little-endian, `j1 > 0`, the memo is at most 255 bytes and its type is CoEpi v1 (0) or
//! CovidWatch v1 (1). epichain also requires `j1 <= j2` (a report that lets no TCN be checked
//! is refused).

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

extern crate alloc;
use alloc::vec::Vec;

/// Most bytes of a report's memo (its length is one byte).
pub const MAX_MEMO_LEN: u32 = 255;

/// Bytes of a signed report with an empty memo.
pub const SIGNED_REPORT_BASE_LEN: usize = 32 + 32 + 2 + 2 + 1 + 1 + 64;

/// A report's memo: at most [`MAX_MEMO_LEN`] bytes.
pub type Memo = bounded_collections::BoundedVec<u8, bounded_collections::ConstU32<MAX_MEMO_LEN>>;

/// What a report's memo holds (TCN memo types).
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum MemoType {
	/// The CoEpi symptom self-report format, version 1.
	CoEpiV1,
	/// The CovidWatch test data format, version 1.
	CovidWatchV1,
}

impl MemoType {
	/// The type's byte in the TCN serialization.
	pub fn to_byte(self) -> u8 {
		match self {
			Self::CoEpiV1 => 0,
			Self::CovidWatchV1 => 1,
		}
	}

	/// The memo type of a serialized byte.
	pub fn from_byte(byte: u8) -> Result<Self, ReportError> {
		match byte {
			0 => Ok(Self::CoEpiV1),
			1 => Ok(Self::CovidWatchV1),
			_ => Err(ReportError::UnknownMemoType),
		}
	}
}

/// Why a report is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportError {
	/// The bytes end early or carry trailing data.
	Malformed,
	/// The memo type is neither CoEpi v1 nor CovidWatch v1.
	UnknownMemoType,
	/// `j1` is 0 (it would disclose the first TCK, derived from the secret key) or above `j2`.
	InvalidIndexRange,
}

/// A signed TCN report.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct SignedReport {
	/// The report verification key (ed25519 public key of the RAK).
	pub rvk: [u8; 32],
	/// `tck_{j1 - 1}`: the key the disclosed ratchet starts from.
	pub tck: [u8; 32],
	/// Ratchet index of the first disclosed TCN (> 0).
	pub j1: u16,
	/// Ratchet index of the last TCN others should check.
	pub j2: u16,
	/// The memo's type.
	pub memo_type: MemoType,
	/// The memo.
	pub memo: Memo,
	/// ed25519 signature by `rvk` over [`SignedReport::report_bytes`].
	pub signature: [u8; 64],
}

impl SignedReport {
	/// The signed part of the report in TCN serialization.
	pub fn report_bytes(&self) -> Vec<u8> {
		let mut out = Vec::with_capacity(SIGNED_REPORT_BASE_LEN - 64 + self.memo.len());
		out.extend_from_slice(&self.rvk);
		out.extend_from_slice(&self.tck);
		out.extend_from_slice(&self.j1.to_le_bytes());
		out.extend_from_slice(&self.j2.to_le_bytes());
		out.push(self.memo_type.to_byte());
		// The memo is bounded to 255 bytes, so its length fits the length byte.
		out.push(self.memo.len() as u8);
		out.extend_from_slice(&self.memo);
		out
	}

	/// The whole signed report in TCN serialization (report bytes, then the signature).
	pub fn to_bytes(&self) -> Vec<u8> {
		let mut out = self.report_bytes();
		out.extend_from_slice(&self.signature);
		out
	}

	/// Parses a signed report in TCN serialization and checks its shape (not its signature).
	pub fn from_bytes(bytes: &[u8]) -> Result<Self, ReportError> {
		if bytes.len() < SIGNED_REPORT_BASE_LEN {
			return Err(ReportError::Malformed);
		}
		let memo_len = bytes[69] as usize;
		if bytes.len() != SIGNED_REPORT_BASE_LEN + memo_len {
			return Err(ReportError::Malformed);
		}
		let array32 = |at: usize| -> [u8; 32] {
			let mut a = [0u8; 32];
			a.copy_from_slice(&bytes[at..at + 32]);
			a
		};
		let mut signature = [0u8; 64];
		signature.copy_from_slice(&bytes[70 + memo_len..]);
		let report = Self {
			rvk: array32(0),
			tck: array32(32),
			j1: u16::from_le_bytes([bytes[64], bytes[65]]),
			j2: u16::from_le_bytes([bytes[66], bytes[67]]),
			memo_type: MemoType::from_byte(bytes[68])?,
			memo: Memo::try_from(bytes[70..70 + memo_len].to_vec())
				.map_err(|_| ReportError::Malformed)?,
			signature,
		};
		report.check_shape()?;
		Ok(report)
	}

	/// The TCN rules a report must follow besides its signature: `0 < j1 <= j2`.
	pub fn check_shape(&self) -> Result<(), ReportError> {
		if self.j1 == 0 || self.j1 > self.j2 {
			return Err(ReportError::InvalidIndexRange);
		}
		Ok(())
	}
}

#[cfg(feature = "std")]
pub use phone::*;

#[cfg(feature = "std")]
mod phone {
	use super::*;
	use sha2::{Digest, Sha256};

	/// A temporary contact number, as phones broadcast them.
	pub type TemporaryContactNumber = [u8; 16];

	const H_TCK: &[u8] = b"H_TCK";
	const H_TCN: &[u8] = b"H_TCN";

	fn ratchet(rvk: &[u8; 32], tck: &[u8; 32]) -> [u8; 32] {
		Sha256::new().chain_update(H_TCK).chain_update(rvk).chain_update(tck).finalize().into()
	}

	fn tcn(index: u16, tck: &[u8; 32]) -> TemporaryContactNumber {
		let digest =
			Sha256::new().chain_update(H_TCN).chain_update(index.to_le_bytes()).chain_update(tck);
		let mut out = [0u8; 16];
		out.copy_from_slice(&digest.finalize()[..16]);
		out
	}

	impl SignedReport {
		/// The TCNs the report discloses for checking, indices `j1..j2` (the phone side of
		/// matching: compare them with the TCNs the phone heard).
		pub fn temporary_contact_numbers(&self) -> Vec<TemporaryContactNumber> {
			let mut tck = self.tck;
			(self.j1..self.j2)
				.map(|index| {
					tck = ratchet(&self.rvk, &tck);
					tcn(index, &tck)
				})
				.collect()
		}

		/// True when the signature by `rvk` verifies (std side; the runtime uses its host
		/// function).
		pub fn verify(&self) -> bool {
			crate::pseudonym::verify(&self.rvk, &self.report_bytes(), &self.signature)
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	const VECTORS: &str = include_str!("../test-vectors/tcn.txt");

	fn vector(name: &str) -> Vec<u8> {
		let line = VECTORS
			.lines()
			.find(|l| l.split_whitespace().next() == Some(name))
			.unwrap_or_else(|| panic!("vector {name}"));
		hex::decode(line.split_whitespace().nth(1).unwrap()).unwrap()
	}

	#[test]
	fn the_specifications_report_parses_verifies_and_discloses_its_tcns() {
		let bytes = vector("signed_report");
		let report = SignedReport::from_bytes(&bytes).expect("the reference report is well formed");
		assert_eq!(report.rvk.to_vec(), vector("rvk"));
		assert_eq!(report.tck.to_vec(), vector("tck_1"));
		assert_eq!((report.j1, report.j2), (2, 10));
		assert_eq!(report.memo_type, MemoType::CoEpiV1);
		assert_eq!(&report.memo[..], b"symptom data");
		assert_eq!(report.to_bytes(), bytes, "serialization round-trips");
		assert!(report.verify());
		let tcns = report.temporary_contact_numbers();
		assert_eq!(tcns.len(), 8);
		for (i, tcn) in tcns.iter().enumerate() {
			assert_eq!(tcn.to_vec(), vector(&format!("tcn_{}", i + 2)), "tcn_{}", i + 2);
		}
	}

	#[test]
	fn altered_reports_fail_verification_or_parsing() {
		let bytes = vector("signed_report");
		for at in [0, 40, 64, 66, 70, bytes.len() - 1] {
			let mut altered = bytes.clone();
			altered[at] ^= 1;
			if let Ok(report) = SignedReport::from_bytes(&altered) {
				assert!(!report.verify(), "flipping byte {at} must break the signature");
			}
		}
		assert_eq!(
			SignedReport::from_bytes(&bytes[..bytes.len() - 1]),
			Err(ReportError::Malformed)
		);
		let mut longer = bytes.clone();
		longer.push(0);
		assert_eq!(SignedReport::from_bytes(&longer), Err(ReportError::Malformed));
		let mut memo_type = bytes.clone();
		memo_type[68] = 0xff;
		assert_eq!(SignedReport::from_bytes(&memo_type), Err(ReportError::UnknownMemoType));
		let mut j1_zero = bytes.clone();
		j1_zero[64] = 0;
		assert_eq!(SignedReport::from_bytes(&j1_zero), Err(ReportError::InvalidIndexRange));
	}
}

/// Reports made by the reference implementation (the `tcn` crate, through
/// `test-vectors/tcn-reference/`) parse, verify and disclose the same TCNs here.
#[cfg(test)]
mod reference {
	use super::*;

	const REPORTS: &str = include_str!("../test-vectors/tcn-reference.txt");

	#[test]
	fn reports_of_the_reference_implementation_agree() {
		let mut seen = 0;
		for line in REPORTS.lines().filter(|l| l.starts_with("report ")) {
			let fields: Vec<&str> = line.split_whitespace().collect();
			let (j1, j2): (u16, u16) = (fields[2].parse().unwrap(), fields[3].parse().unwrap());
			let bytes = hex::decode(fields[5]).unwrap();
			let theirs: Vec<[u8; 16]> = fields[6]
				.split(',')
				.filter(|t| *t != "-")
				.map(|t| hex::decode(t).unwrap().try_into().expect("16-byte TCN"))
				.collect();
			let ours = SignedReport::from_bytes(&bytes).expect("reference reports are well formed");
			assert!(ours.verify(), "{line}");
			assert_eq!(ours.to_bytes(), bytes);
			assert_eq!((ours.j1, ours.j2), (j1, j2));
			assert_eq!(ours.memo_type, MemoType::CovidWatchV1);
			assert_eq!(ours.temporary_contact_numbers(), theirs);
			seen += 1;
		}
		assert_eq!(seen, 3, "the three reference reports are all checked");
	}
}

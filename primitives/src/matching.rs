//! Matching results and risk parameters: what the TEE matcher signs and the chain stores.
//!
//! A matcher enclave judges an endorsed case against everyone's points and signs a
//! [`MatchResult`] with its registered ed25519 signing key over
//! [`result_signing_payload`]`(genesis, result)`. The result names exposed fingerprints (never
//! pseudonyms, points or times) with a risk level, an infection probability and the exposure
//! day, and the location cells the case made Infected. Results are deterministic for a given
//! chain state (`as_of` names the finalized block the matcher judged at), so any validator's
//! off-chain worker may relay one.
//!
//! [`RiskParams`] are the public rule every matcher applies: close contact is within
//! `distance_cm` for at least `min_duration_secs`; Song et al.'s logistic form scores an
//! infection probability from duration, distance and the place's surface material.

use crate::{
	diagnosis::CaseId, geohash::Geohash, pseudonym::Fingerprint, traits::InfectionSource, DayIndex,
};
use bounded_collections::{BoundedVec, ConstU32, Get};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// Domain separator of a matcher's signature over a result.
pub const RESULT_SIGNING_DOMAIN: &[u8] = b"epichain/match-result/v1";

/// Public health guidance's risk levels.
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
pub enum RiskLevel {
	/// Near the case, but shorter than the close-contact duration.
	Low,
	/// Within the close-contact distance for at least the close-contact duration.
	High,
}

/// One exposed person-day.
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
pub struct Exposure {
	/// The exposed pseudonym's fingerprint.
	pub fingerprint: Fingerprint,
	/// The day of the exposure (the pseudonym's day).
	pub day: DayIndex,
	/// High or low.
	pub risk: RiskLevel,
	/// Infection probability in parts per million.
	pub probability_ppm: u32,
}

/// A location cell the case was at during its window.
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
pub struct InfectedCell {
	/// The cell, at the locations pallet's precision.
	pub cell: Geohash,
	/// Before or after the endorsement (Song et al.'s two infecting transitions).
	pub source: InfectionSource,
}

/// A matcher's answer to one round of a case's matching job.
#[derive(Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
#[scale_info(skip_type_params(MaxExposures, MaxCells))]
#[codec(mel_bound())]
pub struct MatchResult<MaxExposures: Get<u32>, MaxCells: Get<u32>> {
	/// The endorsed case.
	pub case: CaseId,
	/// The job's round this answers (0, 1, ...: standing matching while the window is open).
	pub round: u32,
	/// The finalized block number the matcher judged at.
	pub as_of: u32,
	/// The matcher's signing key (must be an active matcher's registered key).
	pub signer: [u8; 32],
	/// Exposed person-days found in this round.
	pub exposures: BoundedVec<Exposure, MaxExposures>,
	/// Cells the case visited, found in this round.
	pub cells: BoundedVec<InfectedCell, MaxCells>,
}

impl<E: Get<u32>, C: Get<u32>> Clone for MatchResult<E, C> {
	fn clone(&self) -> Self {
		Self {
			case: self.case,
			round: self.round,
			as_of: self.as_of,
			signer: self.signer,
			exposures: self.exposures.clone(),
			cells: self.cells.clone(),
		}
	}
}

impl<E: Get<u32>, C: Get<u32>> PartialEq for MatchResult<E, C> {
	fn eq(&self, other: &Self) -> bool {
		self.encode() == other.encode()
	}
}

impl<E: Get<u32>, C: Get<u32>> Eq for MatchResult<E, C> {}

impl<E: Get<u32>, C: Get<u32>> core::fmt::Debug for MatchResult<E, C> {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.debug_struct("MatchResult")
			.field("case", &self.case)
			.field("round", &self.round)
			.field("as_of", &self.as_of)
			.field("exposures", &self.exposures.len())
			.field("cells", &self.cells.len())
			.finish()
	}
}

/// The 32-byte message a matcher signs for `result` on the chain with genesis hash `genesis`.
pub fn result_signing_payload<E: Get<u32>, C: Get<u32>>(
	genesis: &[u8],
	result: &MatchResult<E, C>,
) -> [u8; 32] {
	crate::signing_payload(RESULT_SIGNING_DOMAIN, genesis, result)
}

/// What an off-chain worker asks the matcher: judge round `round` of case `case`'s job.
///
/// Sent SCALE-encoded in the body of `POST /v1/jobs`. The matcher answers `200` with the
/// SCALE-encoded `(MatchResult, [u8; 64])` (the result and its signature), `204` when a later
/// round has nothing new, `409` when its finalized view of the job is at another round, and
/// `503` while it is still catching up with the chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct JobRequest {
	/// The endorsed case.
	pub case: CaseId,
	/// The round the chain expects next.
	pub round: u32,
}

/// The matcher's HTTP path for [`JobRequest`]s.
pub const JOB_PATH: &str = "/v1/jobs";

/// A place's surface material (Song et al.: how long the virus stays active on it).
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
pub enum SurfaceMaterial {
	/// Not known (open air, unregistered place).
	Unknown,
	/// Copper surfaces.
	Copper,
	/// Cardboard and paper.
	Cardboard,
	/// Fabric and upholstery.
	Fabric,
	/// Wood.
	Wood,
	/// Glass.
	Glass,
	/// Stainless steel.
	Steel,
	/// Plastic.
	Plastic,
}

/// The public risk rule. Coefficients are in thousandths: the logit of the infection
/// probability is `(intercept + per_minute * minutes + per_metre * metres + material) / 1000`.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct RiskParams {
	/// Close-contact distance in centimetres (default 200).
	pub distance_cm: u32,
	/// Close-contact duration in seconds (default 900).
	pub min_duration_secs: u32,
	/// Logistic intercept (thousandths).
	pub intercept_milli: i32,
	/// Logistic coefficient per minute of contact (thousandths).
	pub per_minute_milli: i32,
	/// Logistic coefficient per metre of distance (thousandths; negative: farther is safer).
	pub per_metre_milli: i32,
	/// Logistic coefficient of each surface material (thousandths); materials not listed add 0.
	pub materials: BoundedVec<(SurfaceMaterial, i32), ConstU32<8>>,
}

impl Default for RiskParams {
	/// 2 m for 15 min. The logistic coefficients are illustrative defaults an authority is
	/// expected to replace with its own fit (Song et al. fit them with IRLS on ground truth):
	/// 15 minutes at 1 m on an unknown surface scores about 50 %.
	fn default() -> Self {
		Self {
			distance_cm: 200,
			min_duration_secs: 900,
			intercept_milli: -2_000,
			per_minute_milli: 200,
			per_metre_milli: -1_000,
			materials: BoundedVec::truncate_from(alloc::vec![
				(SurfaceMaterial::Plastic, 400),
				(SurfaceMaterial::Steel, 400),
				(SurfaceMaterial::Glass, 200),
				(SurfaceMaterial::Copper, -300),
			]),
		}
	}
}

extern crate alloc;

impl RiskParams {
	/// True when the parameters make sense: positive distance and duration, each material
	/// listed at most once.
	pub fn is_valid(&self) -> bool {
		let unique = self
			.materials
			.iter()
			.enumerate()
			.all(|(i, (m, _))| self.materials.iter().skip(i + 1).all(|(n, _)| n != m));
		self.distance_cm > 0 && self.min_duration_secs > 0 && unique
	}

	/// The logit (thousandths) of a contact of `minutes` at `metres` on `material`.
	pub fn logit_milli(&self, minutes: u32, metres_milli: u32, material: SurfaceMaterial) -> i64 {
		let material = self.materials.iter().find(|(m, _)| *m == material).map_or(0, |(_, c)| *c);
		self.intercept_milli as i64
			+ self.per_minute_milli as i64 * minutes as i64
			+ self.per_metre_milli as i64 * metres_milli as i64 / 1_000
			+ material as i64
	}

	/// Song et al.'s logistic infection probability, in parts per million (std: the matcher's
	/// side; the chain only stores the parameters).
	#[cfg(feature = "std")]
	pub fn probability_ppm(
		&self,
		minutes: u32,
		metres_milli: u32,
		material: SurfaceMaterial,
	) -> u32 {
		let logit = self.logit_milli(minutes, metres_milli, material) as f64 / 1_000.0;
		let p = 1.0 / (1.0 + (-logit).exp());
		(p * 1_000_000.0).round() as u32
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn default_rule_is_two_metres_for_fifteen_minutes_and_scores_like_a_logistic() {
		let p = RiskParams::default();
		assert!(p.is_valid());
		assert_eq!((p.distance_cm, p.min_duration_secs), (200, 900));
		// logit = -2 + 0.2 * 15 - 1 * 1 = 0: one half.
		assert_eq!(p.probability_ppm(15, 1_000, SurfaceMaterial::Unknown), 500_000);
		assert!(p.probability_ppm(30, 500, SurfaceMaterial::Plastic) > 900_000);
		assert!(p.probability_ppm(1, 2_000, SurfaceMaterial::Copper) < 50_000);
		let mut twice = p.clone();
		twice.materials = BoundedVec::truncate_from(vec![
			(SurfaceMaterial::Glass, 1),
			(SurfaceMaterial::Glass, 2),
		]);
		assert!(!twice.is_valid());
	}
}

//! Matching results and risk parameters: what the TEE matcher signs and the chain stores.
//!
//! A matcher enclave judges an endorsed case against everyone's stays and signs a
//! [`MatchResult`] with its registered ed25519 signing key over
//! [`crate::signing::result_payload`]`(genesis, result)`. The result names exposed fingerprints (never
//! pseudonyms, stays or times) with a risk level, an infection probability and the exposure
//! day, and the location cells the case made Infected. Results are deterministic for a given
//! chain state (`as_of` names the finalized block the matcher judged at), so any validator's
//! off-chain worker may relay one.
//!
//! [`RiskParams`] are the public rule every matcher applies:
//! - **close contact**: two precise stays (satellite, camera, beacon) within `distance_cm` of
//!   each other; **High** from `min_duration_secs` of overlap on one day, **Low** below;
//! - **venue co-presence**: when either stay comes from a place-level source (a Wi-Fi access
//!   point, a venue check-in, a gate, a cell tower, a diary), the cell names the place, not the
//!   person, so no distance can be judged: the two are co-present when their cells agree to
//!   `venue_precision` characters, High from `venue_min_duration_secs` of overlap, and their
//!   probability assumes `venue_distance_cm`;
//! - **place-based (indirect) exposure** (Song et al.): presence at a place the case occupied,
//!   after the case left and within the survival time of the place's surface material
//!   (`survival_secs`); its own level, [`RiskLevel::Indirect`], below Low.
//!
//! Song et al.'s logistic form scores an infection probability from duration, distance, the
//! place's surface material and, for place-based exposure, the time since the case left.

use crate::{
	diagnosis::CaseId, geohash::Geohash, pseudonym::Fingerprint, traits::InfectionSource, DayIndex,
};
use bounded_collections::{BoundedVec, ConstU32, Get};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

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
	/// Near the case (or at the same venue), but shorter than the close-contact duration.
	Low,
	/// Within the close-contact distance (or at the same venue) for at least the close-contact
	/// duration.
	High,
	/// At a place the case had left, while the virus could still survive there (Song et al.'s
	/// place-based exposure). Below Low.
	Indirect,
}

impl RiskLevel {
	/// Rank for combining exposures of one person-day: the higher level wins.
	pub fn rank(self) -> u8 {
		match self {
			RiskLevel::Indirect => 0,
			RiskLevel::Low => 1,
			RiskLevel::High => 2,
		}
	}
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
	/// High, low or indirect.
	pub risk: RiskLevel,
	/// Infection probability in parts per million.
	pub probability_ppm: u32,
}

/// A registered location the case was at during its window.
///
/// The location is Infected from the case's visit, to the day: its infection ends
/// `RetentionDays` after the end of `day` (the last day the case was there), however late the
/// result reaches the chain. Only the day is published, as for exposures, never a time.
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
	/// The last day of the window the case was there.
	pub day: DayIndex,
}

/// A matcher's answer to one round of a case's matching job, or one part of it.
///
/// A round finds every exposure and cell that is new since the last round. When they do not
/// fit one result (`MaxExposuresPerResult`, `MaxCellsPerResult`), the matcher pages them,
/// highest risk first, into `parts` results judged at the same `as_of`; each part is signed
/// and valid on its own, and the round is complete when its last part is accepted. Nothing a
/// judgement finds is ever cut.
#[derive(Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
#[scale_info(skip_type_params(MaxExposures, MaxCells))]
#[codec(mel_bound())]
pub struct MatchResult<MaxExposures: Get<u32>, MaxCells: Get<u32>> {
	/// The endorsed case.
	pub case: CaseId,
	/// The job's round this answers (0, 1, ...: standing matching while the window is open).
	pub round: u32,
	/// This result's part of the round (0, 1, ... `parts - 1`).
	pub part: u32,
	/// How many parts the round has (at least 1).
	pub parts: u32,
	/// The finalized block number the matcher judged at (the same for every part of a round).
	pub as_of: u32,
	/// The matcher's signing key (must be an active matcher's registered key).
	pub signer: [u8; 32],
	/// Exposed person-days found in this round (this part's page of them).
	pub exposures: BoundedVec<Exposure, MaxExposures>,
	/// Cells the case visited, found in this round (this part's page of them).
	pub cells: BoundedVec<InfectedCell, MaxCells>,
}

impl<E: Get<u32>, C: Get<u32>> Clone for MatchResult<E, C> {
	fn clone(&self) -> Self {
		Self {
			case: self.case,
			round: self.round,
			part: self.part,
			parts: self.parts,
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
			.field("part", &self.part)
			.field("parts", &self.parts)
			.field("as_of", &self.as_of)
			.field("exposures", &self.exposures.len())
			.field("cells", &self.cells.len())
			.finish()
	}
}

/// A matcher's signed statement that it cannot judge a round of a case whole: `batches` batches
/// of days `first_day..=last_day`, in the case's window and written by block `as_of`, are
/// sealed to keys it does not hold.
///
/// A result claims every stay of the window was judged, so the matcher signs none; the job
/// stays open for a matcher that holds the keys. The statement puts the gap on chain
/// (`Notifications::report_gap`), where the authority sees it. It carries counts and days
/// only, as results do: never a place, a time or a pseudonym.
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
pub struct CoverageGap {
	/// The endorsed case.
	pub case: CaseId,
	/// The job's round that could not be judged.
	pub round: u32,
	/// The finalized block number the matcher looked at.
	pub as_of: u32,
	/// The matcher's signing key (must be an active matcher's registered key).
	pub signer: [u8; 32],
	/// How many batches of the window it cannot open (at least 1).
	pub batches: u32,
	/// The earliest of their days.
	pub first_day: DayIndex,
	/// The latest of their days.
	pub last_day: DayIndex,
}

/// What an off-chain worker asks the matcher: judge part `part` of round `round` of case
/// `case`'s job.
///
/// Sent SCALE-encoded in the body of `POST /v1/jobs`. The matcher answers `200` with the
/// SCALE-encoded `(MatchResult, [u8; 64])` (the result and its signature), `204` when a later
/// round has nothing new, `409` when its finalized view of the job is at another round or
/// part, `422` with the SCALE-encoded `(CoverageGap, [u8; 64])` when batches of the window are
/// sealed to keys it does not hold, and `503` while it is still catching up with the chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct JobRequest {
	/// The endorsed case.
	pub case: CaseId,
	/// The round the chain expects next.
	pub round: u32,
	/// The part of that round the chain expects next (0 when the round has not started).
	pub part: u32,
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
/// probability is `(intercept + per_minute * minutes + per_metre * metres + material) / 1000`,
/// plus `per_lag_hour * hours since the case left` for place-based exposure (which has no
/// distance term).
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
	/// Venue co-presence: cells that agree to this many characters are one place
	/// ([`MIN_VENUE_PRECISION`] to 9; default 8, about 38 m x 19 m).
	pub venue_precision: u8,
	/// Venue co-presence counts High from this much overlap, in seconds (default 900).
	pub venue_min_duration_secs: u32,
	/// The distance a venue co-presence's probability assumes, in centimetres (default 300).
	pub venue_distance_cm: u32,
	/// How long the virus survives on each surface material, in seconds (Song et al.'s table).
	/// A material not listed survives as long as `Unknown`; if `Unknown` is not listed either,
	/// [`DEFAULT_SURVIVAL_SECS`].
	pub survival_secs: BoundedVec<(SurfaceMaterial, u32), ConstU32<8>>,
	/// Logistic coefficient per hour since the case left, for place-based exposure
	/// (thousandths; negative: later is safer).
	pub per_lag_hour_milli: i32,
}

/// The coarsest venue precision: the matcher's index cell, so one place never spans two.
pub const MIN_VENUE_PRECISION: u8 = 7;

/// The survival time of an unknown surface (airborne, in aerosol): 3 hours.
pub const DEFAULT_SURVIVAL_SECS: u32 = 3 * 3_600;

/// The longest survival time the chain accepts: 7 days.
pub const MAX_SURVIVAL_SECS: u32 = 7 * 86_400;

impl Default for RiskParams {
	/// 2 m for 15 min. The logistic coefficients are illustrative defaults an authority is
	/// expected to replace with its own fit (Song et al. fit them with IRLS on ground truth):
	/// 15 minutes at 1 m on an unknown surface scores about 50 %. Survival times are Song et
	/// al.'s: aerosol (unknown) 3 h, copper 4 h, cardboard 24 h, other surfaces 30 h, steel
	/// 48 h, plastic 72 h.
	fn default() -> Self {
		const H: u32 = 3_600;
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
			venue_precision: 8,
			venue_min_duration_secs: 900,
			venue_distance_cm: 300,
			survival_secs: BoundedVec::truncate_from(alloc::vec![
				(SurfaceMaterial::Unknown, 3 * H),
				(SurfaceMaterial::Copper, 4 * H),
				(SurfaceMaterial::Cardboard, 24 * H),
				(SurfaceMaterial::Fabric, 30 * H),
				(SurfaceMaterial::Wood, 30 * H),
				(SurfaceMaterial::Glass, 30 * H),
				(SurfaceMaterial::Steel, 48 * H),
				(SurfaceMaterial::Plastic, 72 * H),
			]),
			per_lag_hour_milli: -100,
		}
	}
}

extern crate alloc;

impl RiskParams {
	/// True when the parameters make sense: positive distances and durations, a venue
	/// precision from [`MIN_VENUE_PRECISION`] to 9, survival times of at most
	/// [`MAX_SURVIVAL_SECS`], each material listed at most once in each table.
	pub fn is_valid(&self) -> bool {
		fn unique<V>(table: &[(SurfaceMaterial, V)]) -> bool {
			table
				.iter()
				.enumerate()
				.all(|(i, (m, _))| table.iter().skip(i + 1).all(|(n, _)| n != m))
		}
		self.distance_cm > 0
			&& self.min_duration_secs > 0
			&& self.venue_min_duration_secs > 0
			&& self.venue_distance_cm > 0
			&& (MIN_VENUE_PRECISION..=9).contains(&self.venue_precision)
			&& self.survival_secs.iter().all(|(_, s)| *s <= MAX_SURVIVAL_SECS)
			&& unique(&self.materials)
			&& unique(&self.survival_secs)
	}

	/// How long the virus survives on `material`, in seconds.
	pub fn survival_of(&self, material: SurfaceMaterial) -> u32 {
		let of = |m: SurfaceMaterial| self.survival_secs.iter().find(|(n, _)| *n == m);
		of(material)
			.or_else(|| of(SurfaceMaterial::Unknown))
			.map_or(DEFAULT_SURVIVAL_SECS, |(_, s)| *s)
	}

	/// The longest survival time of any material: how far after a case's stay a place-based
	/// exposure can begin.
	pub fn longest_survival(&self) -> u32 {
		self.survival_secs
			.iter()
			.map(|(_, s)| *s)
			.fold(self.survival_of(SurfaceMaterial::Unknown), u32::max)
	}

	fn material_milli(&self, material: SurfaceMaterial) -> i64 {
		self.materials.iter().find(|(m, _)| *m == material).map_or(0, |(_, c)| *c) as i64
	}

	/// The logit (thousandths) of a contact of `minutes` at `metres` on `material`.
	pub fn logit_milli(&self, minutes: u32, metres_milli: u32, material: SurfaceMaterial) -> i64 {
		self.intercept_milli as i64
			+ self.per_minute_milli as i64 * minutes as i64
			+ self.per_metre_milli as i64 * metres_milli as i64 / 1_000
			+ self.material_milli(material)
	}

	/// The logit (thousandths) of `minutes` of presence at a place on `material`, starting
	/// `lag_secs` after the case left (place-based exposure: no distance term).
	pub fn indirect_logit_milli(
		&self,
		minutes: u32,
		lag_secs: u32,
		material: SurfaceMaterial,
	) -> i64 {
		self.intercept_milli as i64
			+ self.per_minute_milli as i64 * minutes as i64
			+ self.per_lag_hour_milli as i64 * lag_secs as i64 / 3_600
			+ self.material_milli(material)
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
		logistic_ppm(self.logit_milli(minutes, metres_milli, material))
	}

	/// The probability of a place-based exposure, in parts per million: it falls with the
	/// time since the case left (Song et al.'s time-lag term).
	#[cfg(feature = "std")]
	pub fn indirect_probability_ppm(
		&self,
		minutes: u32,
		lag_secs: u32,
		material: SurfaceMaterial,
	) -> u32 {
		logistic_ppm(self.indirect_logit_milli(minutes, lag_secs, material))
	}
}

/// The logistic function of a logit in thousandths, in parts per million.
#[cfg(feature = "std")]
fn logistic_ppm(logit_milli: i64) -> u32 {
	let logit = logit_milli as f64 / 1_000.0;
	((1.0 / (1.0 + (-logit).exp())) * 1_000_000.0).round() as u32
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

	#[test]
	fn survival_follows_song_et_al_and_place_based_risk_falls_with_the_lag() {
		let p = RiskParams::default();
		let hours = |m| p.survival_of(m) / 3_600;
		assert_eq!(hours(SurfaceMaterial::Unknown), 3);
		assert_eq!(hours(SurfaceMaterial::Copper), 4);
		assert_eq!(hours(SurfaceMaterial::Cardboard), 24);
		assert_eq!(hours(SurfaceMaterial::Steel), 48);
		assert_eq!(hours(SurfaceMaterial::Plastic), 72);
		assert_eq!(p.longest_survival(), 72 * 3_600);
		// A table without `Unknown` falls back to aerosol.
		let bare = RiskParams { survival_secs: BoundedVec::new(), ..p.clone() };
		assert_eq!(bare.survival_of(SurfaceMaterial::Wood), DEFAULT_SURVIVAL_SECS);
		assert!(bare.is_valid());
		let m = SurfaceMaterial::Unknown;
		assert!(
			p.indirect_probability_ppm(30, 0, m) > p.indirect_probability_ppm(30, 2 * 3_600, m)
		);
		for bad in [
			RiskParams { venue_precision: 6, ..p.clone() },
			RiskParams { venue_precision: 10, ..p.clone() },
			RiskParams { venue_distance_cm: 0, ..p.clone() },
			RiskParams {
				survival_secs: BoundedVec::truncate_from(vec![(m, MAX_SURVIVAL_SECS + 1)]),
				..p.clone()
			},
			RiskParams {
				survival_secs: BoundedVec::truncate_from(vec![(m, 1), (m, 2)]),
				..p.clone()
			},
		] {
			assert!(!bad.is_valid(), "{bad:?}");
		}
	}
}

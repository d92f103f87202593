//! Types of the notifications pallet: jobs and notifications.

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use epichain_primitives::{
	diagnosis::{CaseId, DayWindow},
	matching::RiskLevel,
	pseudonym::{Fingerprint, Pseudonym},
	DayIndex, RETENTION_DAYS,
};
use frame_support::{traits::ConstU32, BoundedVec};
use scale_info::TypeInfo;

/// Whether a job still matches.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum JobStatus {
	/// Matching until `closes_on`.
	Open,
	/// The case was revoked.
	Cancelled,
}

/// A case's matching job.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct Job {
	/// The infectious window.
	pub window: DayWindow,
	/// The case's pseudonyms by day (public by the patient's consent), which the matcher
	/// looks for among the sealed entries.
	pub pseudonyms: BoundedVec<(DayIndex, Pseudonym), ConstU32<RETENTION_DAYS>>,
	/// The last day results are accepted (the window's last day plus the grace days).
	pub closes_on: DayIndex,
	/// The round the next result must answer.
	pub next_round: u32,
	/// Open or cancelled.
	pub status: JobStatus,
	/// Exposures accepted so far.
	pub exposures: u32,
	/// The block the last complete round was judged at (0 before the first): the next round
	/// reports only what is new since then.
	pub last_as_of: u32,
	/// The block the job was opened in (the endorsement's): the case's own stays written
	/// after it never count, so no locator can add whereabouts to a case.
	pub opened_at: u32,
	/// The round `next_round` while some but not all of its parts are accepted.
	pub in_progress: Option<RoundInProgress>,
}

/// A round whose results come in several parts, some accepted.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct RoundInProgress {
	/// The block the round was judged at: every part names it.
	pub as_of: u32,
	/// How many parts the round has.
	pub parts: u32,
	/// The part the next result must be.
	pub next_part: u32,
}

/// A stored notification.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct NotificationRecord {
	/// High, low or indirect (place-based).
	pub risk: RiskLevel,
	/// Infection probability in parts per million.
	pub probability_ppm: u32,
	/// The job round that issued it.
	pub round: u32,
}

/// Public counts of one exposure day.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Default,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct DayCount {
	/// High-risk notifications.
	pub high: u32,
	/// Low-risk notifications.
	pub low: u32,
	/// Place-based (indirect) notifications.
	pub indirect: u32,
}

impl DayCount {
	/// The counter of `level`.
	pub fn of_mut(&mut self, level: RiskLevel) -> &mut u32 {
		match level {
			RiskLevel::High => &mut self.high,
			RiskLevel::Low => &mut self.low,
			RiskLevel::Indirect => &mut self.indirect,
		}
	}
}

/// A notification as apps read it.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct NotificationView {
	/// The exposed pseudonym's fingerprint.
	pub fingerprint: Fingerprint,
	/// The exposure day.
	pub exposure_day: DayIndex,
	/// The case that exposed it.
	pub case: CaseId,
	/// High, low or indirect (place-based).
	pub risk: RiskLevel,
	/// Infection probability in parts per million.
	pub probability_ppm: u32,
	/// True when the case was revoked since.
	pub revoked: bool,
}

impl NotificationView {
	/// Where a page that ends with this notification leaves off: the next page starts after it.
	pub fn cursor(&self) -> DayCursor {
		DayCursor { fingerprint: self.fingerprint, case: self.case }
	}
}

/// A place in one exposure day's notifications, in their storage order: the notification
/// `(fingerprint, case)` that a page ended with. The next page starts right after it, whether
/// or not that notification is still there.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct DayCursor {
	/// The fingerprint of the notification the page ended with.
	pub fingerprint: Fingerprint,
	/// Its case.
	pub case: CaseId,
}

/// A job as the matcher and off-chain workers read it.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct JobView {
	/// The case.
	pub case: CaseId,
	/// The infectious window.
	pub window: DayWindow,
	/// The case's pseudonyms by day.
	pub pseudonyms: Vec<(DayIndex, Pseudonym)>,
	/// The last day results are accepted.
	pub closes_on: DayIndex,
	/// The round the next result must answer.
	pub next_round: u32,
	/// Open or cancelled.
	pub status: JobStatus,
	/// Exposures accepted so far.
	pub exposures: u32,
	/// The block the last complete round was judged at (0 before the first).
	pub last_as_of: u32,
	/// The block the job was opened in: the case's own stays written later never count.
	pub opened_at: u32,
	/// The round under way when some but not all of its parts are accepted.
	pub in_progress: Option<RoundInProgress>,
}

impl JobView {
	/// The part the chain expects next (0 when no round is under way).
	pub fn next_part(&self) -> u32 {
		self.in_progress.map_or(0, |p| p.next_part)
	}
}

//! The traits epichain pallets use to talk to each other. A pallet reads another only through
//! these, so each can be tested against a mock and replaced without touching its users.

use crate::csi::SealingKeyId;

/// An ed25519 public key a matcher enclave signs its results with.
pub type MatcherSigningKey = [u8; 32];

/// Whether writers may seal to a matcher key right now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SealingKeyStatus {
	/// The key is accepted: its matcher is active and it is either the current key or a
	/// rotated one still inside its grace period.
	Current,
	/// No key has this id.
	Unknown,
	/// The key was rotated out and its grace period is over.
	Retired,
	/// The key is older than the retention window: never accepted again (crypto-shredding).
	Shredded,
	/// The key's matcher is revoked or outside its validity window.
	MatcherInactive,
}

/// "Is this sealing key id current?"
pub trait SealingKeys {
	/// The status of sealing key `key_id` now.
	fn sealing_key_status(key_id: SealingKeyId) -> SealingKeyStatus;

	/// True when writers may seal to `key_id` now.
	fn is_current(key_id: SealingKeyId) -> bool {
		Self::sealing_key_status(key_id) == SealingKeyStatus::Current
	}

	/// Registers whatever a benchmark needs for a current key and returns its id.
	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_current_key() -> SealingKeyId;
}

/// "Is this the registered signing key of an active matcher?"
pub trait MatcherSigners {
	/// True when `key` is the signing key of a matcher that is registered, not revoked and
	/// inside its validity window.
	fn is_active_signer(key: &MatcherSigningKey) -> bool;
}

/// How the matcher learnt that an endorsed case was at a location (Song et al.'s two infecting
/// transitions; the chain learns either only from a signed matcher result).
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	codec::Encode,
	codec::Decode,
	codec::DecodeWithMemTracking,
	codec::MaxEncodedLen,
	scale_info::TypeInfo,
)]
pub enum InfectionSource {
	/// The visit came before the endorsement (InfectedUserUpdate).
	VisitBeforeEndorsement,
	/// The visit came after the endorsement, inside the infectious window (InfectedUserCheckin).
	VisitAfterEndorsement,
	/// The authority declared the place a cluster site by hand.
	Authority,
}

/// Venue check-ins reported by the CSI pallet: a venue locator's batch for a cell counts one
/// check-in per entry. Nothing but the count reaches the receiver.
pub trait CheckIns {
	/// `visits` check-ins were written at `cell` on `day`.
	fn on_check_ins(cell: &crate::geohash::Geohash, day: crate::DayIndex, visits: u32);
}

impl CheckIns for () {
	fn on_check_ins(_: &crate::geohash::Geohash, _: crate::DayIndex, _: u32) {}
}

/// Why [`LocationInfections::infect`] changed nothing: the cell is not a registered location.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnknownLocation;

/// Why [`CaseJobs::open`] opened no job: the job table is full, or the case has one already.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JobRefused;

/// Location infections, driven by matcher results (the notifications pallet).
pub trait LocationInfections {
	/// Marks `cell` Infected from case `case`'s visit on `day` (or extends its infection): the
	/// infection lasts until the infection window after the end of `day`. `Ok(false)` when
	/// that is already over (nothing changes); [`UnknownLocation`] if the cell is not a
	/// registered location.
	fn infect(
		cell: &crate::geohash::Geohash,
		source: InfectionSource,
		day: crate::DayIndex,
		case: crate::diagnosis::CaseId,
	) -> Result<bool, UnknownLocation>;

	/// Case `case`, whose visits fell in `visits` (its infectious window), was revoked: every
	/// infection it caused is withdrawn, and a cell that only it kept Infected returns to the
	/// state it had before. May complete in later blocks.
	fn withdraw(case: crate::diagnosis::CaseId, visits: crate::diagnosis::DayWindow);
}

/// "Is this account an active venue locator, and where?" (implemented by the CSI pallet's
/// locator whitelist). A suspended or removed venue has no region: it loses its rights at once.
pub trait VenueLocators<AccountId> {
	/// The region of `who` while it is an active locator of kind venue; `None` otherwise.
	fn active_venue_region(who: &AccountId) -> Option<crate::geohash::Region>;

	/// True when `who` is an active locator of kind venue whose region contains `cell`.
	fn is_active_venue_for(who: &AccountId, cell: &crate::geohash::Geohash) -> bool {
		Self::active_venue_region(who).is_some_and(|region| cell.is_within(&region))
	}
}

/// Matching jobs of endorsed cases (implemented by the notifications pallet): the diagnosis
/// pallet opens one per endorsement and cancels it on revocation.
pub trait CaseJobs {
	/// Opens the matching job of case `case`, infectious over `window`, whose records are owned
	/// by `pseudonyms` (day, pseudonym). [`JobRefused`] if no job can be opened now.
	fn open(
		case: crate::diagnosis::CaseId,
		window: crate::diagnosis::DayWindow,
		pseudonyms: &[(crate::DayIndex, crate::pseudonym::Pseudonym)],
	) -> Result<(), JobRefused>;

	/// Case `case` was revoked: cancels its job if it was not matched yet (results already
	/// issued are marked revoked by the implementer).
	fn cancel(case: crate::diagnosis::CaseId);
}

impl CaseJobs for () {
	fn open(
		_: crate::diagnosis::CaseId,
		_: crate::diagnosis::DayWindow,
		_: &[(crate::DayIndex, crate::pseudonym::Pseudonym)],
	) -> Result<(), JobRefused> {
		Ok(())
	}

	fn cancel(_: crate::diagnosis::CaseId) {}
}

/// "Is this pseudonym-day an active case's?" (implemented by the diagnosis pallet's index of
/// endorsed fingerprints). A case's own exposures are never published: joined with its
/// endorsement they would say which case exposed which.
pub trait CaseFingerprints {
	/// True when `fingerprint` is the fingerprint of an active case's pseudonym of `day`.
	fn is_case(day: crate::DayIndex, fingerprint: &crate::pseudonym::Fingerprint) -> bool;
}

impl CaseFingerprints for () {
	fn is_case(_: crate::DayIndex, _: &crate::pseudonym::Fingerprint) -> bool {
		false
	}
}

/// The clock handle benchmarks use to move time (every epichain pallet that reads the time
/// takes one as its `BenchmarkHelper`, so a runtime implements it once).
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkClock {
	/// Sets the clock the pallets read to unix second `secs`.
	fn set_time(secs: u64);
}

/// The location handle benchmarks use: pallets whose worst case touches a registered location
/// (venue check-ins, infected cells) have the runtime register one.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkLocations {
	/// Makes `cell` a registered location.
	fn register_location(cell: &crate::geohash::Geohash);
}

/// The signing handle benchmarks use for accounts that sign what they submit (locators,
/// diagnosticians): the runtime signs in its benchmark keystore.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkSigner<AccountId, Signature> {
	/// An account and its signature over `payload`.
	fn sign(payload: &[u8]) -> (AccountId, Signature);
}

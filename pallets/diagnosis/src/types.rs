//! Types of the diagnosis pallet: diagnosticians, endorsements and what state keeps about them.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use epichain_primitives::{
	diagnosis::{CaseId, CaseNullifier, ConsentedPseudonym, DayWindow},
	pseudonym::Fingerprint,
	tcn::SignedReport,
	DayIndex,
};
use frame_support::{
	pallet_prelude::Get, BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use scale_info::TypeInfo;
use sp_core::H256;

pub use epichain_primitives::geohash::{is_valid_region, Region};

/// Whether a diagnostician may endorse.
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
pub enum DiagnosticianStatus {
	/// Endorsements and its own revocations are accepted.
	Active,
	/// Refused until the authority resumes it (for example while a key leak is investigated).
	Suspended,
}

/// A registered diagnostician (a hospital or lab).
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct DiagnosticianInfo {
	/// The geohash prefix it serves; its endorsements count there in public statistics.
	pub jurisdiction: Region,
	/// Hash of its accreditation certificate (kept off chain).
	pub certificate_hash: H256,
	/// Active or suspended.
	pub status: DiagnosticianStatus,
}

/// A case endorsement as the diagnostician submits it.
#[derive(
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
#[scale_info(skip_type_params(MaxPseudonyms, MaxReports))]
#[codec(mel_bound())]
pub struct Endorsement<MaxPseudonyms: Get<u32>, MaxReports: Get<u32>> {
	/// Hash of the lab's case id (see `epichain_primitives::diagnosis::case_nullifier`).
	pub nullifier: CaseNullifier,
	/// The infectious window.
	pub window: DayWindow,
	/// The patient's pseudonyms for days of the window, in increasing day order, each with
	/// its consent signature.
	pub pseudonyms: BoundedVec<ConsentedPseudonym, MaxPseudonyms>,
	/// TCN proximity reports from the patient's phone (may be empty).
	pub reports: BoundedVec<SignedReport, MaxReports>,
	/// The last block at which the signed endorsement may be included (at most
	/// `MaxSignedValidity` blocks ahead): a signed endorsement held back expires.
	pub valid_until: u32,
}

/// Why an endorsement was revoked.
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
pub enum RevocationReason {
	/// The test result was wrong.
	FalsePositive,
	/// The endorsement was entered in error (wrong patient, wrong window).
	EnteredInError,
	/// The patient withdrew consent.
	ConsentWithdrawn,
	/// The authority found the endorsement fraudulent.
	Fraud,
}

/// Whether an endorsed case still counts.
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
pub enum CaseStatus {
	/// The case counts: its job is open or matched.
	Active,
	/// The case was revoked.
	Revoked {
		/// Why.
		reason: RevocationReason,
		/// True when the authority revoked it, false when its diagnostician did.
		by_authority: bool,
	},
}

/// What state keeps about an endorsed case for the retention window. The pseudonyms
/// themselves are handed to the matching job and stay in the block body; state keeps their
/// fingerprints, to answer "which fingerprints are endorsed on a day" and to undo them on
/// revocation.
#[derive(
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
#[scale_info(skip_type_params(MaxPseudonyms))]
#[codec(mel_bound(AccountId: MaxEncodedLen))]
// `mel_bound` adds `AccountId: MaxEncodedLen` where the derive expands, next to these bounds.
#[allow(clippy::multiple_bound_locations)]
pub struct CaseRecord<AccountId: Clone + PartialEq + Eq + core::fmt::Debug, MaxPseudonyms: Get<u32>>
{
	/// The diagnostician that endorsed it.
	pub diagnostician: AccountId,
	/// The diagnostician's jurisdiction when it endorsed.
	pub jurisdiction: Region,
	/// The case nullifier.
	pub nullifier: CaseNullifier,
	/// The infectious window.
	pub window: DayWindow,
	/// The day it was endorsed (its retention runs from this day).
	pub endorsed_day: DayIndex,
	/// (day, fingerprint) of each endorsed pseudonym.
	pub fingerprints: BoundedVec<(DayIndex, Fingerprint), MaxPseudonyms>,
	/// Number of proximity reports it carried.
	pub reports: u32,
	/// Active or revoked.
	pub status: CaseStatus,
}

/// The cases endorsed on one day: ids `first..first + count` (ids grow with time).
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
pub struct DayCases {
	/// The first case id of the day.
	pub first: CaseId,
	/// How many cases were endorsed that day.
	pub count: u32,
}

/// A case as the runtime API shows it: no pseudonyms and no fingerprints, so a case cannot be
/// used to link one day's pseudonym to another's.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct CaseView<AccountId> {
	/// The case id.
	pub case: CaseId,
	/// The endorsing diagnostician.
	pub diagnostician: AccountId,
	/// Its jurisdiction.
	pub jurisdiction: Region,
	/// The infectious window.
	pub window: DayWindow,
	/// The day of endorsement.
	pub endorsed_day: DayIndex,
	/// Number of endorsed pseudonyms (days).
	pub pseudonyms: u32,
	/// Number of proximity reports.
	pub reports: u32,
	/// Active or revoked.
	pub status: CaseStatus,
}

/// Public statistics: cases endorsed in a jurisdiction on a day, and how many of those were
/// revoked since.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct JurisdictionCount {
	/// The jurisdiction (geohash prefix).
	pub jurisdiction: Region,
	/// Cases endorsed there that day.
	pub endorsed: u32,
	/// Of those, revoked.
	pub revoked: u32,
}

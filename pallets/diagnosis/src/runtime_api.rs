//! The runtime API apps, phones and public dashboards use to read endorsements.

use crate::{CaseView, DiagnosticianInfo, JurisdictionCount};
use alloc::vec::Vec;
use codec::Codec;
use epichain_primitives::{
	diagnosis::{CaseId, CaseNullifier},
	pseudonym::Fingerprint,
	tcn::SignedReport,
	DayIndex,
};

sp_api::decl_runtime_apis! {
	/// Reading diagnosticians, endorsed cases, proximity reports and public counts.
	pub trait DiagnosisApi<AccountId>
	where
		AccountId: Codec,
	{
		/// A diagnostician's registration.
		fn diagnostician(who: AccountId) -> Option<DiagnosticianInfo>;
		/// A case in the retention window (no pseudonyms, no fingerprints).
		fn case(case: CaseId) -> Option<CaseView<AccountId>>;
		/// The case a nullifier opened, if it was ever endorsed (and the case is not pruned).
		fn case_of_nullifier(nullifier: CaseNullifier) -> Option<CaseId>;
		/// Fingerprints of the endorsed pseudonyms of `day` (active cases), sorted.
		fn endorsed_fingerprints(day: DayIndex) -> Vec<Fingerprint>;
		/// TCN proximity reports of the active cases endorsed on `day`.
		fn proximity_reports(day: DayIndex) -> Vec<SignedReport>;
		/// Cases endorsed on `day` per jurisdiction, and how many were revoked since.
		fn jurisdiction_counts(day: DayIndex) -> Vec<JurisdictionCount>;
	}
}

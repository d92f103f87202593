//! The runtime API apps, the matcher and off-chain workers use to read jobs and notifications.

use crate::{DayCount, JobView, NotificationView};
use alloc::vec::Vec;
use epichain_primitives::{
	diagnosis::CaseId, matching::RiskParams, pseudonym::Fingerprint, DayIndex,
};

sp_api::decl_runtime_apis! {
	/// Reading notifications, jobs and the risk rule.
	pub trait NotificationsApi {
		/// Up to `limit` (at most 10,000) notifications of exposure day `day`, skipping the
		/// first `skip` (pages). Apps download whole days and match locally.
		fn notifications_of_day(day: DayIndex, skip: u32, limit: u32) -> Vec<NotificationView>;
		/// Notifications in the retention window addressed to any of `fingerprints` (at most
		/// 64). Reveals to the node which fingerprints are asked about: prefer whole days.
		fn lookup(fingerprints: Vec<Fingerprint>) -> Vec<NotificationView>;
		/// Public counts of exposure day `day`.
		fn day_counts(day: DayIndex) -> DayCount;
		/// A case's matching job.
		fn job(case: CaseId) -> Option<JobView>;
		/// Up to `limit` open jobs from case `from` on.
		fn open_jobs(from: CaseId, limit: u32) -> Vec<CaseId>;
		/// The public risk rule.
		fn risk_params() -> RiskParams;
	}
}

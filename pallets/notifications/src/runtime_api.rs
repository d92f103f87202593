//! The runtime API apps, the matcher and off-chain workers use to read jobs and notifications.

use crate::{DayCount, DayCursor, JobView, NotificationView};
use alloc::vec::Vec;
use epichain_primitives::{
	diagnosis::CaseId, matching::RiskParams, pseudonym::Fingerprint, DayIndex,
};

sp_api::decl_runtime_apis! {
	/// Reading notifications, jobs and the risk rule.
	///
	/// Version 2 adds [`notifications_of_day_after`](NotificationsApi::notifications_of_day_after):
	/// pages by cursor, whose proofs do not grow with their place in the day.
	#[api_version(2)]
	pub trait NotificationsApi {
		/// Up to `limit` (at most 10,000) notifications of exposure day `day`, skipping the
		/// first `skip`. A late page's proof holds every key before it (quadratic for a whole
		/// day): read pages with `notifications_of_day_after`.
		fn notifications_of_day(day: DayIndex, skip: u32, limit: u32) -> Vec<NotificationView>;
		/// Up to `limit` (at most 10,000) notifications of exposure day `day` after `after`
		/// (the previous page's last, `NotificationView::cursor`; `None` for the first page).
		/// Apps download whole days this way and match locally.
		#[api_version(2)]
		fn notifications_of_day_after(
			day: DayIndex,
			after: Option<DayCursor>,
			limit: u32,
		) -> Vec<NotificationView>;
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

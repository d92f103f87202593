//! The runtime API the matcher and clients use to find a day's batches.

use crate::{BatchRef, DayStats, LocatorInfo};
use alloc::vec::Vec;
use codec::Codec;
use epichain_primitives::DayIndex;

sp_api::decl_runtime_apis! {
	/// Reading CSI batch metadata. The sealed entries themselves are in the block bodies, at
	/// the (block, extrinsic index) each [`BatchRef`] names.
	pub trait CsiApi<AccountId, BlockNumber>
	where
		AccountId: Codec,
		BlockNumber: Codec,
	{
		/// Up to `limit` (at most 1,000) batches of `day`, from sequence number `from` on, in
		/// order. Page by passing the last `seq + 1` as the next `from`.
		fn batches_of_day(day: DayIndex, from: u32, limit: u32) -> Vec<BatchRef<AccountId, BlockNumber>>;
		/// The counters of `day`, if anything was stored for it.
		fn day_stats(day: DayIndex) -> Option<DayStats>;
		/// A locator's registration.
		fn locator(who: AccountId) -> Option<LocatorInfo>;
	}
}

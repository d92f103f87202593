//! # Notifications pallet: matching jobs, signed matcher results, exposure notifications
//!
//! An endorsed case (pallet-diagnosis) opens a **matching job** through the `CaseJobs` trait.
//! A TEE matcher judges the case against everyone's sealed stays and signs a
//! [`MatchResult`](epichain_primitives::matching::MatchResult) with its registered key; anyone
//! (an off-chain worker on any validator) relays it with [`Pallet::submit_result`]. The chain
//! stores one **notification** per exposed person-day, addressed to the fingerprint of that
//! day's pseudonym, and moves the cells the case visited to Infected (pallet-locations). Apps
//! download a day's list and match their own fingerprints locally, as BeepTrace and GAEN do.
//!
//! ## Jobs
//!
//! A job stays open for standing matching until `JobGraceDays` after the last day of its
//! window (late uploads of that day are still matched); each accepted result is one **round**.
//! A revoked case cancels its job; its notifications already issued read as revoked.
//!
//! ## Results are authorized transactions
//!
//! `submit_result(result, signature)` is a `#[pallet::authorize]` call: no funded account. The
//! pool checks the signer is an active matcher's registered key (pallet-matchers), the job is
//! open, the round and part are the next ones (an earlier one is `StaleResult`; the pool's
//! `provides` tag (case, round, part) keeps two relays of the same result from both entering),
//! the bounds and the ed25519 signature over `(genesis, result)`.
//!
//! ## A gap in coverage is public
//!
//! A matcher that cannot open some batches of a case's window (sealed to keys it never held:
//! a replacement that lost its predecessor's keys) signs no result, since a result claims the
//! whole window was judged. It signs a [`CoverageGap`](epichain_primitives::matching::CoverageGap) instead, which any off-chain worker
//! relays with [`Pallet::report_gap`] (authorized like a result). The chain keeps the latest
//! gap of each job in [`CoverageGaps`] and says so in `CoverageGapReported`; the job stays
//! open for a matcher that holds the keys, and the gap is closed (`CoverageGapClosed`) when a
//! later round is accepted. A gap still open when the job closes stays with the job until it
//! is pruned: the authority can see which cases were never judged whole.
//!
//! ## Nothing found is cut
//!
//! A round that finds more exposures or cells than one result holds arrives in **parts**,
//! highest risk first, all judged at the same block. Each part is checked and stored on its
//! own; the job records the round under way ([`RoundInProgress`]) and moves to the next round
//! only when the last part is accepted.
//!
//! ## Infected from the visit
//!
//! Each cell of a result names the last day the case was there; pallet-locations counts the
//! infection from the end of that day, not from the result's block.
//!
//! ## A case's own exposures stay private
//!
//! An endorsement makes the case's pseudonyms public, so a notification addressed to one of
//! them would tell everyone "case B was exposed to case A on day d". So:
//! - a result's exposure of an active case's pseudonym-day is not stored (the matcher leaves
//!   them out as of the block it judged at; the chain drops any that a case endorsed since
//!   adds);
//! - when a case is endorsed, notifications already addressed to its pseudonym-days are
//!   withdrawn ([`Withdrawals`], normally at the end of the endorsement's own block), and the
//!   day counts with them;
//! - a revoked case's job forgets its pseudonyms.
//!
//! What this does not undo: a result included *before* the case's endorsement stays in its
//! block's body, and the withdrawal itself is a state change; whoever kept those can still
//! join them. Chain state never holds the link after the endorsement's block. Closing the
//! history too needs notification addresses that the endorsement does not reveal (a per-device
//! notification key sealed next to the pseudonym), a CSI entry format change.
//!
//! ## Risk parameters
//!
//! [`RiskParams`](epichain_primitives::matching::RiskParams): close-contact distance and
//! duration, Song et al.'s logistic coefficients and surface-material factors, set by the
//! authority and public, so the rule every matcher applies is on chain.
//!
//! ## Retention
//!
//! Notifications are kept per exposure day for `RetentionDays`; jobs until their notifications
//! have expired. Both are removed in bounded `on_idle` steps.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use relay::{RelayError, RelayState, MATCHER_URL_KEY};
pub use types::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
pub mod relay;
pub mod runtime_api;
#[cfg(test)]
mod tests;
mod types;
pub mod weights;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use epichain_primitives::{
		diagnosis::{CaseId, DayWindow},
		matching::{CoverageGap, RiskParams},
		pseudonym::fingerprint,
		pseudonym::{Fingerprint, Pseudonym},
		traits::{CaseFingerprints, LocationInfections, MatcherSigners},
		DayIndex, SECONDS_PER_DAY,
	};
	use frame_support::{pallet_prelude::*, traits::UnixTime};
	use frame_system::pallet_prelude::*;
	use sp_runtime::{traits::Zero, SaturatedConversion};

	/// A matcher result of a runtime.
	pub type MatchResultOf<T> = epichain_primitives::matching::MatchResult<
		<T as Config>::MaxExposuresPerResult,
		<T as Config>::MaxCellsPerResult,
	>;

	/// The layout of this pallet's storage. Every change to it bumps this and ships a
	/// migration (see docs/DESIGN.md, "Runtime upgrades").
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config:
		frame_system::Config<RuntimeEvent: From<Event<Self>>>
		+ frame_system::offchain::CreateAuthorizedTransaction<Call<Self>>
	{
		/// Who sets the risk parameters (the regional health authority).
		type AuthorityOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Which ed25519 keys are active matchers' signing keys.
		type MatcherSigners: MatcherSigners;
		/// Where the cells a case visited turn Infected.
		type LocationInfections: LocationInfections;
		/// Which pseudonym-days are active cases' (never notified: see the crate docs).
		type CaseFingerprints: CaseFingerprints;
		/// Wall-clock time, to know today's day index.
		type UnixTime: UnixTime;
		/// Most jobs in state (open, cancelled or closed but not yet pruned).
		#[pallet::constant]
		type MaxJobs: Get<u32>;
		/// Most exposures in one result.
		#[pallet::constant]
		type MaxExposuresPerResult: Get<u32>;
		/// Most cells in one result.
		#[pallet::constant]
		type MaxCellsPerResult: Get<u32>;
		/// Days after the window's last day during which the job keeps matching.
		#[pallet::constant]
		type JobGraceDays: Get<u32>;
		/// Days a notification is kept after its exposure day.
		#[pallet::constant]
		type RetentionDays: Get<u32>;
		/// Priority of results in the transaction pool.
		#[pallet::constant]
		type ResultPriority: Get<TransactionPriority>;
		/// Blocks between two off-chain queries of one job once it has its first round
		/// (standing matching: later uploads and check-ins of the window).
		#[pallet::constant]
		type RelayIntervalBlocks: Get<u32>;
		/// Most jobs one off-chain worker run asks the matcher about (round-robin).
		#[pallet::constant]
		type MaxRelaysPerBlock: Get<u32>;
		/// Deadline of each off-chain HTTP request to the matcher, in milliseconds.
		#[pallet::constant]
		type MatcherDeadlineMillis: Get<u64>;
		/// Weights of this pallet's calls and hooks.
		type WeightInfo: WeightInfo;
		/// What benchmarks need from the runtime.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper;
	}

	/// The risk rule before the authority sets one (`RiskParams::default()`).
	#[pallet::type_value]
	pub fn DefaultRiskParams() -> RiskParams {
		RiskParams::default()
	}

	/// The public risk rule matchers apply.
	#[pallet::storage]
	pub type Params<T> = StorageValue<_, RiskParams, ValueQuery, DefaultRiskParams>;

	/// Matching jobs, by case.
	// Hasher: Twox64Concat — case ids are assigned by the chain.
	#[pallet::storage]
	pub type Jobs<T: Config> = StorageMap<_, Twox64Concat, CaseId, Job>;

	/// Number of jobs in state.
	#[pallet::storage]
	pub type JobCount<T> = StorageValue<_, u32, ValueQuery>;

	/// Every job of a case id below this one has been pruned.
	#[pallet::storage]
	pub type OldestJob<T> = StorageValue<_, CaseId, ValueQuery>;

	/// Notifications: (exposure day, fingerprint, case) -> what the person should know.
	// Hashers: Twox64Concat for chain-assigned days and cases; Blake2_128Concat for
	// fingerprints, which users' keys determine.
	#[pallet::storage]
	pub type Notifications<T> = StorageNMap<
		_,
		(
			NMapKey<Twox64Concat, DayIndex>,
			NMapKey<Blake2_128Concat, Fingerprint>,
			NMapKey<Twox64Concat, CaseId>,
		),
		NotificationRecord,
	>;

	/// Public counts of notifications per exposure day.
	// Hasher: Twox64Concat — days are checked against jobs' windows.
	#[pallet::storage]
	pub type DayCounts<T> = StorageMap<_, Twox64Concat, DayIndex, DayCount, ValueQuery>;

	/// The oldest exposure day that may still hold notifications.
	#[pallet::storage]
	pub type OldestDay<T> = StorageValue<_, DayIndex>;

	/// Pseudonym-days of newly endorsed cases whose earlier notifications are still to be
	/// withdrawn, by `on_idle` (normally in the endorsement's own block).
	// Hashers: Twox64Concat for the day; Blake2_128Concat for fingerprints, which users' keys
	// determine.
	#[pallet::storage]
	pub type Withdrawals<T> =
		StorageDoubleMap<_, Twox64Concat, DayIndex, Blake2_128Concat, Fingerprint, ()>;

	/// The latest coverage gap reported for a job's next round, by case: batches of its window
	/// that the reporting matcher cannot open. Removed when a later round is accepted, when the
	/// case is revoked and when the job is pruned, so at most one per job.
	// Hasher: Twox64Concat — case ids are assigned by the chain.
	#[pallet::storage]
	pub type CoverageGaps<T> = StorageMap<_, Twox64Concat, CaseId, CoverageGap>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// The authority changed the risk rule.
		RiskParamsSet {
			/// The new risk rule.
			params: RiskParams,
		},
		/// An endorsed case's matching job was opened.
		JobOpened {
			/// The endorsed case.
			case: CaseId,
			/// The last day results are accepted (day index).
			closes_on: DayIndex,
		},
		/// A revoked case's job was cancelled; its notifications read as revoked.
		JobCancelled {
			/// The revoked case.
			case: CaseId,
		},
		/// A matcher's result (one part of a round) was accepted. `cells_expired` counts
		/// cells whose visit is so old that its infection is already over.
		ResultAccepted {
			/// The case the result answers.
			case: CaseId,
			/// The job's round the result answers.
			round: u32,
			/// This result's part of the round (from 0).
			part: u32,
			/// How many parts the round has.
			parts: u32,
			/// Exposures stored as notifications (those of since-endorsed cases are skipped).
			exposures: u32,
			/// Cells marked Infected (or whose infection was extended).
			cells_infected: u32,
			/// Cells that are not registered locations, left unchanged.
			cells_unregistered: u32,
			/// Cells whose infection was already over, left unchanged.
			cells_expired: u32,
		},
		/// A matcher cannot judge a job's round whole: `batches` batches of days
		/// `first_day..=last_day` of the case's window are sealed to keys it does not hold.
		/// The job stays open for a matcher that holds them.
		CoverageGapReported {
			/// The case whose round could not be judged.
			case: CaseId,
			/// The round.
			round: u32,
			/// The reporting matcher's signing key.
			matcher: [u8; 32],
			/// How many batches it cannot open.
			batches: u32,
			/// The earliest of their days (day index).
			first_day: DayIndex,
			/// The latest of their days (day index).
			last_day: DayIndex,
		},
		/// A round of a job with a reported coverage gap was accepted: a matcher judged the
		/// window whole.
		CoverageGapClosed {
			/// The case.
			case: CaseId,
			/// The round that was accepted.
			round: u32,
		},
		/// An exposure day left the retention window; its notifications were removed.
		DayPruned {
			/// The pruned exposure day (day index).
			day: DayIndex,
		},
		/// A job left state.
		JobPruned {
			/// The case of the pruned job.
			case: CaseId,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The risk parameters are not valid (zero distance or duration, a material twice, a
		/// venue precision outside 7..=9, or a survival time longer than `JobGraceDays`).
		InvalidRiskParams,
		/// The signer is not an active matcher's registered signing key.
		UnknownMatcher,
		/// No job for this case.
		UnknownJob,
		/// The case was revoked; its job is cancelled.
		JobCancelled,
		/// The job's matching period is over.
		JobClosed,
		/// The result answers a round or part that was already answered, or was judged before
		/// the last complete round.
		StaleResult,
		/// The result answers a round, or a part of the round, after the next one.
		FutureRound,
		/// The result was judged at a block that does not exist yet.
		FutureBlock,
		/// An exposure's day is outside the job's matching period.
		ExposureOutsideWindow,
		/// The matcher's signature does not verify.
		BadSignature,
		/// The job table is full.
		TooManyJobs,
		/// The result's part is not below its number of parts.
		BadPart,
		/// A later part of a round names another block or number of parts than its first.
		PartMismatch,
		/// A cell's visit day is outside the job's matching period.
		VisitOutsideWindow,
		/// A coverage gap names no batch, or its first day is after its last.
		EmptyGap,
		/// A coverage gap's days end before the case's window begins.
		GapOutsideWindow,
		/// The same gap (round, batches and days) is already on chain for this job.
		GapKnown,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_idle(_n: BlockNumberFor<T>, remaining: Weight) -> Weight {
			Self::prune(remaining)
		}

		fn offchain_worker(n: BlockNumberFor<T>) {
			Self::relay_jobs(n);
		}

		fn integrity_test() {
			assert!(T::MaxExposuresPerResult::get() > 0 && T::MaxJobs::get() > 0);
			assert!(
				Pallet::<T>::survival_fits_the_grace(&RiskParams::default()),
				"JobGraceDays must cover the default longest survival time"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Set the public risk rule.
		///
		/// ## Dispatch Origin
		/// [`Config::AuthorityOrigin`].
		///
		/// ## Errors
		/// [`Error::InvalidRiskParams`].
		///
		/// ## Events
		/// `RiskParamsSet`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::set_risk_params())]
		pub fn set_risk_params(origin: OriginFor<T>, params: RiskParams) -> DispatchResult {
			T::AuthorityOrigin::ensure_origin(origin)?;
			ensure!(
				params.is_valid() && Self::survival_fits_the_grace(&params),
				Error::<T>::InvalidRiskParams
			);
			Params::<T>::put(params.clone());
			Self::deposit_event(Event::RiskParamsSet { params });
			Ok(())
		}

		/// Accept a matcher's signed result: store its notifications, infect its cells.
		///
		/// ## Dispatch Origin
		/// _Authorized_: a general transaction validated by [`Pallet::validate_result`] in the
		/// pool. No fee, no nonce, no account.
		///
		/// ## Errors
		/// In the pool (as `InvalidTransaction::Custom(error index)`): [`Error::UnknownMatcher`],
		/// [`Error::UnknownJob`], [`Error::JobCancelled`], [`Error::JobClosed`],
		/// [`Error::StaleResult`], [`Error::FutureRound`], [`Error::BadPart`],
		/// [`Error::PartMismatch`], [`Error::FutureBlock`], [`Error::ExposureOutsideWindow`],
		/// [`Error::VisitOutsideWindow`]; a bad signature as `BadProof`.
		///
		/// ## Events
		/// `ResultAccepted`.
		#[pallet::call_index(1)]
		// Measured at its worst: each exposure checked against the cases' pseudonym-days, each
		// cell a precision-9 location re-infected.
		#[pallet::weight(T::WeightInfo::submit_result(
			result.exposures.len() as u32,
			result.cells.len() as u32,
		))]
		#[pallet::authorize(|_source, result, signature| {
			Pallet::<T>::validate_result(result, signature).map(|v| (v, Weight::zero()))
		})]
		#[pallet::weight_of_authorize(T::WeightInfo::authorize_submit_result(
			result.exposures.len() as u32,
			result.cells.len() as u32,
		))]
		pub fn submit_result(
			origin: OriginFor<T>,
			result: MatchResultOf<T>,
			signature: [u8; 64],
		) -> DispatchResult {
			frame_system::ensure_authorized(origin)?;
			let _ = signature;
			let job = Self::check_result(&result)?;
			Self::store_result(result, job);
			Ok(())
		}

		/// Record a matcher's signed statement that it cannot judge a job's next round whole.
		///
		/// ## Dispatch Origin
		/// _Authorized_: a general transaction validated by [`Pallet::validate_gap`] in the
		/// pool. No fee, no nonce, no account.
		///
		/// ## Errors
		/// In the pool (as `InvalidTransaction::Custom(error index)`): [`Error::UnknownMatcher`],
		/// [`Error::UnknownJob`], [`Error::JobCancelled`], [`Error::JobClosed`],
		/// [`Error::StaleResult`], [`Error::FutureRound`], [`Error::FutureBlock`],
		/// [`Error::EmptyGap`], [`Error::GapOutsideWindow`], [`Error::GapKnown`]; a bad
		/// signature as `BadProof`.
		///
		/// ## Events
		/// `CoverageGapReported`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::report_gap())]
		#[pallet::authorize(|_source, gap, signature| {
			Pallet::<T>::validate_gap(gap, signature).map(|v| (v, Weight::zero()))
		})]
		#[pallet::weight_of_authorize(T::WeightInfo::authorize_report_gap())]
		pub fn report_gap(
			origin: OriginFor<T>,
			gap: CoverageGap,
			signature: [u8; 64],
		) -> DispatchResult {
			frame_system::ensure_authorized(origin)?;
			let _ = signature;
			Self::check_gap(&gap)?;
			CoverageGaps::<T>::insert(gap.case, gap);
			Self::deposit_event(Event::CoverageGapReported {
				case: gap.case,
				round: gap.round,
				matcher: gap.signer,
				batches: gap.batches,
				first_day: gap.first_day,
				last_day: gap.last_day,
			});
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// Today's day index by the runtime clock.
		pub fn today() -> DayIndex {
			epichain_primitives::day_of_millis(T::UnixTime::now().as_millis() as u64)
		}

		/// Every check of a result except its signature; returns its job.
		pub fn check_result(result: &MatchResultOf<T>) -> Result<Job, Error<T>> {
			ensure!(
				T::MatcherSigners::is_active_signer(&result.signer),
				Error::<T>::UnknownMatcher
			);
			let job = Jobs::<T>::get(result.case).ok_or(Error::<T>::UnknownJob)?;
			ensure!(job.status == JobStatus::Open, Error::<T>::JobCancelled);
			ensure!(Self::today() <= job.closes_on, Error::<T>::JobClosed);
			ensure!(result.round >= job.next_round, Error::<T>::StaleResult);
			ensure!(result.round == job.next_round, Error::<T>::FutureRound);
			ensure!(result.part < result.parts, Error::<T>::BadPart);
			let next_part = job.in_progress.map_or(0, |p| p.next_part);
			ensure!(result.part >= next_part, Error::<T>::StaleResult);
			ensure!(result.part == next_part, Error::<T>::FutureRound);
			if let Some(p) = job.in_progress {
				ensure!(
					result.as_of == p.as_of && result.parts == p.parts,
					Error::<T>::PartMismatch
				);
			}
			let now: u32 = frame_system::Pallet::<T>::block_number().try_into().unwrap_or(u32::MAX);
			ensure!(result.as_of <= now, Error::<T>::FutureBlock);
			ensure!(result.as_of >= job.last_as_of, Error::<T>::StaleResult);
			let in_period = |day: DayIndex| job.window.first <= day && day <= job.closes_on;
			for e in &result.exposures {
				ensure!(in_period(e.day), Error::<T>::ExposureOutsideWindow);
			}
			for c in &result.cells {
				ensure!(in_period(c.day), Error::<T>::VisitOutsideWindow);
			}
			Ok(job)
		}

		/// Every check of a coverage gap except its signature: a registered matcher, the job's
		/// next round, a block that exists and is no older than the last round's, a non-empty
		/// gap reaching into the window, and not the gap already on chain.
		pub fn check_gap(gap: &CoverageGap) -> Result<(), Error<T>> {
			ensure!(T::MatcherSigners::is_active_signer(&gap.signer), Error::<T>::UnknownMatcher);
			let job = Jobs::<T>::get(gap.case).ok_or(Error::<T>::UnknownJob)?;
			ensure!(job.status == JobStatus::Open, Error::<T>::JobCancelled);
			ensure!(Self::today() <= job.closes_on, Error::<T>::JobClosed);
			ensure!(gap.round >= job.next_round, Error::<T>::StaleResult);
			ensure!(gap.round == job.next_round, Error::<T>::FutureRound);
			let now: u32 = frame_system::Pallet::<T>::block_number().try_into().unwrap_or(u32::MAX);
			ensure!(gap.as_of <= now, Error::<T>::FutureBlock);
			ensure!(gap.as_of >= job.last_as_of, Error::<T>::StaleResult);
			ensure!(gap.batches > 0 && gap.first_day <= gap.last_day, Error::<T>::EmptyGap);
			ensure!(gap.last_day >= job.window.first, Error::<T>::GapOutsideWindow);
			let known = CoverageGaps::<T>::get(gap.case).is_some_and(|g| {
				(g.round, g.batches, g.first_day, g.last_day)
					== (gap.round, gap.batches, gap.first_day, gap.last_day)
			});
			ensure!(!known, Error::<T>::GapKnown);
			Ok(())
		}

		/// The transaction-pool verdict on a coverage gap. Its tag is the gap itself (case,
		/// round, count and days), so every validator's relay of one gap enters once.
		pub fn validate_gap(
			gap: &CoverageGap,
			signature: &[u8; 64],
		) -> Result<ValidTransaction, TransactionValidityError> {
			Self::check_gap(gap)
				.map_err(|e| InvalidTransaction::Custom(epichain_primitives::error_index(&e)))?;
			let genesis = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
			let payload = epichain_primitives::signing::gap_payload(genesis.as_ref(), gap);
			let valid = sp_io::crypto::ed25519_verify(
				&sp_core::ed25519::Signature::from_raw(*signature),
				&payload,
				&sp_core::ed25519::Public::from_raw(gap.signer),
			);
			if !valid {
				return Err(InvalidTransaction::BadProof.into());
			}
			ValidTransaction::with_tag_prefix("epichain-coverage-gap")
				.priority(T::ResultPriority::get())
				.and_provides((gap.case, gap.round, gap.batches, gap.first_day, gap.last_day))
				.longevity(64)
				.propagate(true)
				.build()
		}

		/// The transaction-pool verdict on a result.
		pub fn validate_result(
			result: &MatchResultOf<T>,
			signature: &[u8; 64],
		) -> Result<ValidTransaction, TransactionValidityError> {
			Self::check_result(result)
				.map_err(|e| InvalidTransaction::Custom(epichain_primitives::error_index(&e)))?;
			let genesis = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
			let payload = epichain_primitives::signing::result_payload(genesis.as_ref(), result);
			let valid = sp_io::crypto::ed25519_verify(
				&sp_core::ed25519::Signature::from_raw(*signature),
				&payload,
				&sp_core::ed25519::Public::from_raw(result.signer),
			);
			if !valid {
				return Err(InvalidTransaction::BadProof.into());
			}
			ValidTransaction::with_tag_prefix("epichain-match-result")
				.priority(T::ResultPriority::get())
				.and_provides((result.case, result.round, result.part))
				.longevity(64)
				.propagate(true)
				.build()
		}

		/// True when every place-based exposure `params` can find falls inside a job's
		/// matching period: the longest survival time is at most `JobGraceDays` days.
		pub fn survival_fits_the_grace(params: &RiskParams) -> bool {
			params.longest_survival() as u64 <= T::JobGraceDays::get() as u64 * SECONDS_PER_DAY
		}

		fn store_result(result: MatchResultOf<T>, mut job: Job) {
			let (case, round, part, parts) = (result.case, result.round, result.part, result.parts);
			let mut exposures = 0u32;
			for e in &result.exposures {
				// A case endorsed since the matcher judged: its exposure is not published.
				if T::CaseFingerprints::is_case(e.day, &e.fingerprint) {
					continue;
				}
				exposures += 1;
				let key = (e.day, e.fingerprint, case);
				let before = Notifications::<T>::get(key).map(|n| n.risk);
				Notifications::<T>::insert(
					key,
					NotificationRecord { risk: e.risk, probability_ppm: e.probability_ppm, round },
				);
				// A later round may raise an exposure's level (more stays were uploaded).
				if before != Some(e.risk) {
					DayCounts::<T>::mutate(e.day, |c| {
						if let Some(before) = before {
							let n = c.of_mut(before);
							*n = n.saturating_sub(1);
						}
						let n = c.of_mut(e.risk);
						*n = n.saturating_add(1);
					});
				}
				if before.is_none() && OldestDay::<T>::get().is_none_or(|d| e.day < d) {
					OldestDay::<T>::put(e.day);
				}
			}
			let (mut infected, mut unregistered, mut expired) = (0u32, 0u32, 0u32);
			for c in &result.cells {
				match T::LocationInfections::infect(&c.cell, c.source, c.day, case) {
					Ok(true) => infected += 1,
					Ok(false) => expired += 1,
					Err(epichain_primitives::traits::UnknownLocation) => unregistered += 1,
				}
			}
			if part.saturating_add(1) >= parts {
				job.next_round = round.saturating_add(1);
				job.last_as_of = result.as_of;
				job.in_progress = None;
				// The round was judged whole: any gap reported for it is closed.
				if CoverageGaps::<T>::take(case).is_some() {
					Self::deposit_event(Event::CoverageGapClosed { case, round });
				}
			} else {
				job.in_progress =
					Some(RoundInProgress { as_of: result.as_of, parts, next_part: part + 1 });
			}
			job.exposures = job.exposures.saturating_add(exposures);
			Jobs::<T>::insert(case, job);
			Self::deposit_event(Event::ResultAccepted {
				case,
				round,
				part,
				parts,
				exposures,
				cells_infected: infected,
				cells_unregistered: unregistered,
				cells_expired: expired,
			});
		}

		/// Removes expired notification days and jobs while `remaining` allows; returns the
		/// weight used.
		pub fn prune(remaining: Weight) -> Weight {
			let step = Self::idle_step();
			let mut used = T::DbWeight::get().reads(2);
			let fits = |used: Weight| !remaining.any_lt(used.saturating_add(step));
			if !fits(used) {
				return Weight::zero();
			}
			// Withdrawals first: a newly endorsed case's notifications leave state at once.
			used = Self::withdraw(remaining, used);
			if !fits(used) {
				return used;
			}
			let today = Self::today();
			let retention = T::RetentionDays::get();
			// Notifications: one per step, oldest day first, through one iterator per day. (A
			// fresh iterator per key would walk every key already removed in this block: k
			// removals would cost O(k^2) while the weight charges k steps.)
			while let Some(day) = OldestDay::<T>::get() {
				if day.saturating_add(retention) > today || !fits(used) {
					break;
				}
				let budget = Self::steps_left(remaining, used);
				let keys: Vec<_> =
					Notifications::<T>::iter_key_prefix((day,)).take(budget as usize).collect();
				for &(fingerprint, case) in &keys {
					Notifications::<T>::remove((day, fingerprint, case));
				}
				used = used.saturating_add(step.saturating_mul(keys.len() as u64));
				if keys.len() as u32 == budget {
					// Out of weight; the day may hold more.
					break;
				}
				// The day is empty: closing it is one more step, which `budget` left room for.
				used = used.saturating_add(step);
				DayCounts::<T>::remove(day);
				Self::deposit_event(Event::DayPruned { day });
				// An expired day is before today, so the next day exists.
				OldestDay::<T>::put(day.saturating_add(1));
			}
			// Jobs: once every notification they could have made has expired.
			let mut oldest = OldestJob::<T>::get();
			while let Some(job) = Jobs::<T>::get(oldest) {
				if job.closes_on.saturating_add(retention) > today || !fits(used) {
					break;
				}
				used = used.saturating_add(step);
				Jobs::<T>::remove(oldest);
				CoverageGaps::<T>::remove(oldest);
				JobCount::<T>::mutate(|n| *n = n.saturating_sub(1));
				Self::deposit_event(Event::JobPruned { case: oldest });
				oldest = oldest.saturating_add(1);
			}
			OldestJob::<T>::put(oldest);
			used
		}

		/// One `on_idle` step: removing a notification or a job, whichever costs more.
		fn idle_step() -> Weight {
			T::WeightInfo::prune_notification().max(T::WeightInfo::prune_job())
		}

		/// How many [`Self::idle_step`]s fit in `remaining` once `used` is spent (no limit for a
		/// zero-weight step).
		fn steps_left(remaining: Weight, used: Weight) -> u32 {
			remaining
				.saturating_sub(used)
				.checked_div_per_component(&Self::idle_step())
				.map_or(u32::MAX, |n| n.min(u32::MAX as u64) as u32)
		}

		/// Withdraws the queued pseudonym-days' notifications while `remaining` allows, one
		/// notification per step and one step to close each pseudonym-day; returns `used` plus
		/// what it used. Each pseudonym-day is read through one iterator.
		fn withdraw(remaining: Weight, mut used: Weight) -> Weight {
			let step = Self::idle_step();
			let steps = |used: Weight| Self::steps_left(remaining, used);
			let queued: Vec<(DayIndex, Fingerprint)> =
				Withdrawals::<T>::iter_keys().take(steps(used) as usize).collect();
			for (day, fp) in queued {
				let budget = steps(used);
				if budget == 0 {
					break;
				}
				let cases: Vec<CaseId> =
					Notifications::<T>::iter_key_prefix((day, fp)).take(budget as usize).collect();
				for &case in &cases {
					if let Some(n) = Notifications::<T>::take((day, fp, case)) {
						DayCounts::<T>::mutate(day, |c| {
							let n = c.of_mut(n.risk);
							*n = n.saturating_sub(1);
						});
					}
				}
				used = used.saturating_add(step.saturating_mul(cases.len() as u64));
				if cases.len() as u32 == budget {
					// Out of weight; the pseudonym-day may hold more.
					break;
				}
				Withdrawals::<T>::remove(day, fp);
				used = used.saturating_add(step);
			}
			used
		}

		/// Invariants: the job count matches the table; jobs lie at or above `OldestJob`; a
		/// round under way has accepted some but not all of its parts, judged no earlier than
		/// the last complete round; a coverage gap is its open job's next round;
		/// every notification names a job and a day inside its matching period, and no day
		/// older than `OldestDay` holds any; day counts match the notifications.
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			let oldest = OldestJob::<T>::get();
			let mut jobs = 0u32;
			for (case, job) in Jobs::<T>::iter() {
				ensure!(case >= oldest, "job below OldestJob");
				if let Some(p) = job.in_progress {
					ensure!(
						0 < p.next_part && p.next_part < p.parts && job.last_as_of <= p.as_of,
						"a round under way is between its first and last part"
					);
				}
				jobs += 1;
			}
			ensure!(jobs == JobCount::<T>::get(), "JobCount does not match the table");
			for (case, gap) in CoverageGaps::<T>::iter() {
				let job = Jobs::<T>::get(case).ok_or("coverage gap of no job")?;
				ensure!(
					gap.case == case
						&& job.status == JobStatus::Open
						&& gap.round == job.next_round
						&& gap.batches > 0 && gap.first_day <= gap.last_day,
					"a coverage gap is its open job's next round, and names a batch"
				);
			}
			let mut counts = alloc::collections::BTreeMap::<DayIndex, DayCount>::new();
			for ((day, _, case), n) in Notifications::<T>::iter() {
				let job = Jobs::<T>::get(case).ok_or("notification of no job")?;
				ensure!(
					job.window.first <= day && day <= job.closes_on,
					"notification outside its job's period"
				);
				ensure!(OldestDay::<T>::get().is_some_and(|d| d <= day), "day below OldestDay");
				*counts.entry(day).or_default().of_mut(n.risk) += 1;
			}
			for ((day, fp, _), _) in Notifications::<T>::iter() {
				ensure!(
					!T::CaseFingerprints::is_case(day, &fp)
						|| Withdrawals::<T>::contains_key(day, fp),
					"a case's pseudonym-day is notified and not being withdrawn"
				);
			}
			for (_, job) in Jobs::<T>::iter() {
				ensure!(
					job.status == JobStatus::Open || job.pseudonyms.is_empty(),
					"a revoked case's job keeps its pseudonyms"
				);
			}
			let retention = T::RetentionDays::get();
			let today = Self::today();
			for (day, c) in counts {
				let stored = DayCounts::<T>::get(day);
				if day.saturating_add(retention) <= today {
					// Being pruned: notifications go first, the counts with the last of them.
					ensure!(
						c.high <= stored.high
							&& c.low <= stored.low
							&& c.indirect <= stored.indirect,
						"day counts too low"
					);
				} else {
					ensure!(stored == c, "day counts do not match");
				}
			}
			Ok(())
		}

		/// A notification as apps read it.
		fn view(
			day: DayIndex,
			fingerprint: Fingerprint,
			case: CaseId,
			n: NotificationRecord,
		) -> NotificationView {
			let revoked = Jobs::<T>::get(case).is_none_or(|j| j.status == JobStatus::Cancelled);
			NotificationView {
				fingerprint,
				exposure_day: day,
				case,
				risk: n.risk,
				probability_ppm: n.probability_ppm,
				revoked,
			}
		}

		/// Up to `limit` notifications of exposure day `day`, after `(fingerprint, case)` key
		/// order position `skip` (a page). Reading walks past the `skip` notifications before
		/// the page, so a light client's proof of a late page holds every key before it: apps
		/// page with [`Self::notifications_of_day_after`].
		pub fn notifications_of_day(day: DayIndex, skip: u32, limit: u32) -> Vec<NotificationView> {
			Notifications::<T>::iter_prefix((day,))
				.skip(skip as usize)
				.take(limit.min(MAX_NOTIFICATIONS_PER_QUERY) as usize)
				.map(|((fp, case), n)| Self::view(day, fp, case, n))
				.collect()
		}

		/// Up to `limit` notifications of exposure day `day` that come after `after` in storage
		/// order, from the day's first when `None` (a page; the next starts after this page's
		/// last, [`NotificationView::cursor`]). Reading starts at `after`'s own storage key, so a
		/// page's proof holds that page's keys and the path to them, wherever it is in the day.
		pub fn notifications_of_day_after(
			day: DayIndex,
			after: Option<DayCursor>,
			limit: u32,
		) -> Vec<NotificationView> {
			let page = match after {
				None => Notifications::<T>::iter_prefix((day,)),
				Some(c) => Notifications::<T>::iter_prefix_from(
					(day,),
					Notifications::<T>::hashed_key_for((day, c.fingerprint, c.case)),
				),
			};
			page.take(limit.min(MAX_NOTIFICATIONS_PER_QUERY) as usize)
				.map(|((fp, case), n)| Self::view(day, fp, case, n))
				.collect()
		}

		/// Every notification in the retention window addressed to one of `fingerprints`.
		pub fn lookup(fingerprints: &[Fingerprint]) -> Vec<NotificationView> {
			let today = Self::today();
			let first = today.saturating_sub(T::RetentionDays::get());
			let mut out = Vec::new();
			for fp in fingerprints.iter().take(MAX_LOOKUP_FINGERPRINTS as usize) {
				for day in first..=today.saturating_add(T::JobGraceDays::get()) {
					for (case, n) in Notifications::<T>::iter_prefix((day, *fp)) {
						out.push(Self::view(day, *fp, case, n));
					}
				}
			}
			out
		}

		/// The job of `case`, as the matcher and the off-chain worker read it.
		pub fn job_view(case: CaseId) -> Option<JobView> {
			Jobs::<T>::get(case).map(|j| JobView {
				case,
				window: j.window,
				pseudonyms: j.pseudonyms.into_inner(),
				closes_on: j.closes_on,
				next_round: j.next_round,
				status: j.status,
				exposures: j.exposures,
				last_as_of: j.last_as_of,
				opened_at: j.opened_at,
				in_progress: j.in_progress,
			})
		}

		/// Up to `limit` open jobs (still matching) from case `from` on.
		pub fn open_jobs(from: CaseId, limit: u32) -> Vec<CaseId> {
			let today = Self::today();
			(from.max(OldestJob::<T>::get())..)
				.map_while(|case| Jobs::<T>::get(case).map(|j| (case, j)))
				.filter(|(_, j)| j.status == JobStatus::Open && today <= j.closes_on)
				.map(|(case, _)| case)
				.take(limit.min(MAX_JOBS_PER_QUERY) as usize)
				.collect()
		}
	}

	impl<T: Config> epichain_primitives::traits::CaseJobs for Pallet<T> {
		fn open(
			case: CaseId,
			window: DayWindow,
			pseudonyms: &[(DayIndex, Pseudonym)],
		) -> Result<(), epichain_primitives::traits::JobRefused> {
			use epichain_primitives::traits::JobRefused;
			if JobCount::<T>::get() >= T::MaxJobs::get() || Jobs::<T>::contains_key(case) {
				return Err(JobRefused);
			}
			let owned = BoundedVec::try_from(pseudonyms.to_vec()).map_err(|_| JobRefused)?;
			let closes_on = window.last.saturating_add(T::JobGraceDays::get());
			Jobs::<T>::insert(
				case,
				Job {
					window,
					pseudonyms: owned,
					closes_on,
					next_round: 0,
					status: JobStatus::Open,
					exposures: 0,
					last_as_of: 0,
					opened_at: frame_system::Pallet::<T>::block_number().saturated_into(),
					in_progress: None,
				},
			);
			JobCount::<T>::mutate(|n| *n = n.saturating_add(1));
			// Notifications already addressed to the case's pseudonym-days are withdrawn.
			for (day, pseudonym) in pseudonyms {
				Withdrawals::<T>::insert(day, fingerprint(pseudonym), ());
			}
			Self::deposit_event(Event::JobOpened { case, closes_on });
			Ok(())
		}

		fn cancel(case: CaseId) {
			Jobs::<T>::mutate(case, |job| {
				if let Some(job) = job {
					job.status = JobStatus::Cancelled;
					// The revoked case's pseudonyms leave state (its endorsement's block body
					// still holds them until validators prune it).
					job.pseudonyms = Default::default();
					// A revoked case needs no matcher: its gap is no longer anyone's concern.
					CoverageGaps::<T>::remove(case);
					// And so do the infections its results caused.
					T::LocationInfections::withdraw(case, job.window);
					Self::deposit_event(Event::JobCancelled { case });
				}
			});
		}
	}

	/// The most notifications one query returns.
	pub const MAX_NOTIFICATIONS_PER_QUERY: u32 = 10_000;
	/// The most fingerprints one lookup takes (a phone's 14 days, several devices).
	pub const MAX_LOOKUP_FINGERPRINTS: u32 = 64;
	/// The most job ids one query returns.
	pub const MAX_JOBS_PER_QUERY: u32 = 1_000;
}

/// What benchmarks need from the runtime.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper:
	epichain_primitives::traits::BenchmarkClock + epichain_primitives::traits::BenchmarkLocations
{
	/// Makes `key` an active matcher's signing key.
	fn register_signer(key: &[u8; 32]);
}

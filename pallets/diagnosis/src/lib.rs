//! # Diagnosis pallet: diagnosticians and consent-verified case endorsements
//!
//! BeepTrace steps 7-8: a diagnosed patient hands their daily pseudonyms to a diagnostician
//! (a hospital or lab), proving with a signature by each pseudonym that they hold it and
//! consent to its endorsement; the diagnostician endorses the case on the tracing chain, and
//! the endorsement opens a matching job.
//!
//! ## What an endorsement carries
//!
//! - a **case nullifier**: a hash of the lab's case id. It can be used once, ever, on the
//!   chain: a case is endorsed at most once, whichever diagnostician tries;
//! - the **infectious window** (by default two days before onset up to isolation), at most
//!   [`Config::RetentionDays`] long and inside the retention window;
//! - the patient's **pseudonyms** for days of the window, each with a **consent signature** by
//!   that pseudonym over `(genesis hash, diagnostician, nullifier, day)` (see
//!   [`epichain_primitives::signing::consent_message`]). Every signature is verified with the
//!   runtime's ed25519 host function and one bad signature rejects the whole endorsement;
//! - optional **TCN proximity reports** from the patient's phone, verified against the TCN
//!   signature rules, for phones that exchanged TCNs over Bluetooth to match locally.
//!
//! Consent makes the patient's pseudonyms of the window public, by the patient's choice. State
//! keeps only their fingerprints (the handles notifications use); nothing on chain names a
//! pseudonym next to a place.
//!
//! ## Who may write, and how junk is kept out of blocks
//!
//! `endorse_case` and `revoke_endorsement` are **authorized** calls (`#[pallet::authorize]`):
//! the diagnostician signs the call's content with the chain's genesis hash and anyone relays
//! it as a general transaction. Every check (registered and active diagnostician, daily rate
//! limit, unused nullifier, window, pseudonym order, consents, reports, signature) runs in the
//! transaction pool, so calls from non-diagnosticians, replays and forged consents never take
//! block space, and diagnosticians need no funds. Pool refusals are
//! `InvalidTransaction::Custom(i)` where `i` is the index of the [`Error`] variant, except a bad
//! diagnostician signature, which is `BadProof`. The authority may revoke any case with
//! [`Pallet::force_revoke`].
//!
//! ## Everything signed expires
//!
//! An endorsement carries, and a revocation signs, `valid_until`: the last block at which it
//! may be included, at most [`Config::MaxSignedValidity`] blocks ahead of the block it is
//! validated for. A stale one is refused in the pool (`Expired`), one that reaches too far
//! (`ValidityTooLong`) too, and the pool drops either once its block passes (its longevity
//! ends there). A diagnostician's signature held back, leaked or queued by a relay is worth
//! nothing an hour later.
//!
//! ## Retention
//!
//! A case's record, fingerprints and reports are removed [`Config::RetentionDays`] after its
//! endorsement day, in bounded `on_idle` steps. Nullifiers are kept for ever (80 bytes of
//! state per endorsed case; the daily rate limit bounds how fast they grow).
//!
//! ## Pallet API
//!
//! Registry calls (from [`Config::AuthorityOrigin`]): [`Pallet::register_diagnostician`],
//! [`Pallet::suspend_diagnostician`], [`Pallet::resume_diagnostician`],
//! [`Pallet::remove_diagnostician`]. Endorsing: [`Pallet::endorse_case`]; revoking:
//! [`Pallet::revoke_endorsement`], [`Pallet::force_revoke`]. Reading: the
//! [`runtime_api::DiagnosisApi`] runtime API.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
pub mod runtime_api;
#[cfg(test)]
mod tests;
mod types;
pub mod weights;

use epichain_primitives::diagnosis::CaseId;

/// The 32-byte message a diagnostician signs for `endorsement` on the chain with genesis hash
/// `genesis` ([`epichain_primitives::signing::endorsement_payload`] of its fields).
pub fn endorsement_signing_payload<P, R>(
	genesis: &[u8],
	endorsement: &Endorsement<P, R>,
) -> [u8; 32]
where
	P: frame_support::traits::Get<u32>,
	R: frame_support::traits::Get<u32>,
{
	epichain_primitives::signing::endorsement_payload(
		genesis,
		&endorsement.nullifier,
		&endorsement.window,
		&endorsement.pseudonyms,
		&endorsement.reports,
		endorsement.valid_until,
	)
}

/// The 32-byte message a diagnostician signs to revoke `case` for `reason` until block
/// `valid_until` ([`epichain_primitives::signing::revocation_payload`]).
pub fn revocation_signing_payload(
	genesis: &[u8],
	case: CaseId,
	reason: RevocationReason,
	valid_until: u32,
) -> [u8; 32] {
	epichain_primitives::signing::revocation_payload(genesis, case, &reason, valid_until)
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use codec::Encode;
	use epichain_primitives::{
		diagnosis::CaseNullifier,
		pseudonym::{fingerprint, Fingerprint},
		signing::consent_message,
		tcn::SignedReport,
		traits::CaseJobs,
		DayIndex,
	};
	use frame_support::{
		pallet_prelude::*,
		traits::{BuildGenesisConfig, UnixTime},
	};
	use frame_system::pallet_prelude::*;
	use sp_core::H256;
	use sp_runtime::traits::{IdentifyAccount, Verify, Zero};

	/// The endorsement type of a runtime.
	pub type EndorsementOf<T> =
		Endorsement<<T as Config>::MaxPseudonyms, <T as Config>::MaxReportsPerCase>;

	/// The case record type of a runtime.
	pub type CaseRecordOf<T> =
		CaseRecord<<T as frame_system::Config>::AccountId, <T as Config>::MaxPseudonyms>;

	/// The layout of this pallet's storage. Every change to it bumps this and ships a
	/// migration (see docs/DESIGN.md, "Runtime upgrades").
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// Who manages the diagnostician registry and may revoke any case (the regional health
		/// authority).
		type AuthorityOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// The signature a diagnostician puts on its endorsements and revocations.
		type DiagnosticianSignature: Verify<Signer: IdentifyAccount<AccountId = Self::AccountId>>
			+ Parameter;
		/// Matching jobs: opened by an endorsement, cancelled by its revocation.
		type CaseJobs: CaseJobs;
		/// Wall-clock time, to know today's day index.
		type UnixTime: UnixTime;
		/// Most pseudonyms (days) in one endorsement; at least the retention window's days.
		#[pallet::constant]
		type MaxPseudonyms: Get<u32>;
		/// Most TCN proximity reports in one endorsement.
		#[pallet::constant]
		type MaxReportsPerCase: Get<u32>;
		/// Most endorsements one diagnostician may make per day (so a leaked key cannot flood
		/// the chain).
		#[pallet::constant]
		type MaxEndorsementsPerDay: Get<u32>;
		/// Days an endorsement stays in state, and the longest infectious window.
		#[pallet::constant]
		type RetentionDays: Get<u32>;
		/// Most blocks ahead a signed endorsement or revocation may be valid for.
		#[pallet::constant]
		type MaxSignedValidity: Get<u32>;
		/// Priority of endorsements and revocations in the transaction pool.
		#[pallet::constant]
		type EndorsementPriority: Get<TransactionPriority>;
		/// Weights of this pallet's calls and hooks.
		type WeightInfo: WeightInfo;
		/// What benchmarks need from the runtime: a clock and a diagnostician's signatures.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: epichain_primitives::traits::BenchmarkClock
			+ epichain_primitives::traits::BenchmarkSigner<
				Self::AccountId,
				Self::DiagnosticianSignature,
			>;
	}

	/// Registered diagnosticians.
	// Hasher: Blake2_128Concat — account ids are chosen by their owners.
	#[pallet::storage]
	pub type Diagnosticians<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, DiagnosticianInfo>;

	/// Number of registered diagnosticians.
	#[pallet::storage]
	pub type DiagnosticianCount<T> = StorageValue<_, u32, ValueQuery>;

	/// Every nullifier ever endorsed, with the case it opened. Never pruned.
	// Hasher: Blake2_128Concat — nullifiers are chosen by diagnosticians.
	#[pallet::storage]
	pub type Nullifiers<T> = StorageMap<_, Blake2_128Concat, CaseNullifier, CaseId>;

	/// The id the next endorsed case gets.
	#[pallet::storage]
	pub type NextCaseId<T> = StorageValue<_, CaseId, ValueQuery>;

	/// Cases inside the retention window.
	// Hasher: Twox64Concat — case ids are assigned by the chain.
	#[pallet::storage]
	pub type Cases<T: Config> = StorageMap<_, Twox64Concat, CaseId, CaseRecordOf<T>>;

	/// Every case id below this one has been pruned.
	#[pallet::storage]
	pub type OldestCase<T> = StorageValue<_, CaseId, ValueQuery>;

	/// The cases endorsed on each day of the retention window.
	// Hasher: Twox64Concat — days are assigned by the chain.
	#[pallet::storage]
	pub type Days<T> = StorageMap<_, Twox64Concat, DayIndex, DayCases>;

	/// Fingerprints of the pseudonyms of active cases, by the pseudonym's day.
	// Hasher: Twox64Concat for days; Blake2_128Concat for fingerprints, which patients' keys
	// determine.
	#[pallet::storage]
	pub type EndorsedFingerprints<T> =
		StorageDoubleMap<_, Twox64Concat, DayIndex, Blake2_128Concat, Fingerprint, CaseId>;

	/// TCN proximity reports of active cases.
	// Hasher: Twox64Concat — case ids are assigned by the chain.
	#[pallet::storage]
	pub type ProximityReports<T: Config> =
		StorageMap<_, Twox64Concat, CaseId, BoundedVec<SignedReport, T::MaxReportsPerCase>>;

	/// Endorsements each diagnostician made today: (day, count).
	// Hasher: Blake2_128Concat — account ids are chosen by their owners.
	#[pallet::storage]
	pub type DailyEndorsements<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, (DayIndex, u32)>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Diagnosticians registered from genesis: (account, jurisdiction prefix).
		pub diagnosticians: Vec<(T::AccountId, Vec<u8>)>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			for (who, jurisdiction) in &self.diagnosticians {
				let jurisdiction: Region =
					jurisdiction.clone().try_into().expect("genesis jurisdiction too long");
				assert!(is_valid_region(&jurisdiction), "genesis jurisdiction is not a prefix");
				Pallet::<T>::do_register(who, jurisdiction, H256::zero())
					.expect("genesis diagnosticians are unique");
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A diagnostician was registered for a jurisdiction.
		DiagnosticianRegistered {
			/// The diagnostician's account.
			diagnostician: T::AccountId,
			/// The geohash prefix it may endorse cases in.
			jurisdiction: Region,
		},
		/// A diagnostician's endorsements are refused until it is resumed.
		DiagnosticianSuspended {
			/// The diagnostician's account.
			diagnostician: T::AccountId,
		},
		/// A suspended diagnostician may endorse again.
		DiagnosticianResumed {
			/// The diagnostician's account.
			diagnostician: T::AccountId,
		},
		/// A diagnostician left the registry (its cases stay).
		DiagnosticianRemoved {
			/// The diagnostician's account.
			diagnostician: T::AccountId,
		},
		/// A case was endorsed and its matching job opened.
		CaseEndorsed {
			/// The id the chain gave the case.
			case: CaseId,
			/// The diagnostician that endorsed it.
			diagnostician: T::AccountId,
			/// The diagnostician's jurisdiction when it endorsed the case.
			jurisdiction: Region,
			/// Number of the patient's daily pseudonyms handed to the matching job.
			pseudonyms: u32,
			/// Number of TCN proximity reports stored with the case.
			reports: u32,
		},
		/// A case was revoked: its job is cancelled, its fingerprints and reports withdrawn.
		CaseRevoked {
			/// The revoked case.
			case: CaseId,
			/// Why it was revoked.
			reason: RevocationReason,
			/// True when the authority revoked it, false when its diagnostician did.
			by_authority: bool,
		},
		/// A case left the retention window.
		CasePruned {
			/// The pruned case.
			case: CaseId,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The account is already a diagnostician.
		AlreadyDiagnostician,
		/// The account is not a registered diagnostician.
		NotDiagnostician,
		/// The diagnostician is suspended.
		DiagnosticianSuspended,
		/// The diagnostician is not suspended.
		NotSuspended,
		/// The jurisdiction is not a geohash prefix.
		InvalidJurisdiction,
		/// The diagnostician made `MaxEndorsementsPerDay` endorsements today.
		RateLimited,
		/// This case nullifier was already endorsed.
		NullifierUsed,
		/// The window is longer than the retention window.
		WindowTooLong,
		/// The window ends in the future, starts after it ends, or starts before the retention
		/// window.
		WindowOutOfRange,
		/// The endorsement carries no pseudonym.
		NoPseudonyms,
		/// The pseudonyms' days are not strictly increasing.
		PseudonymsUnordered,
		/// A pseudonym's day is outside the window.
		PseudonymOutsideWindow,
		/// A pseudonym is already endorsed by an active case.
		AlreadyEndorsed,
		/// A consent signature does not verify.
		BadConsent,
		/// A proximity report breaks the TCN rules (`0 < j1 <= j2`).
		InvalidProximityReport,
		/// A proximity report's signature does not verify.
		BadProximityReport,
		/// No case in the retention window has this id.
		UnknownCase,
		/// The case is already revoked.
		AlreadyRevoked,
		/// Only the diagnostician that endorsed a case (or the authority) may revoke it.
		NotEndorser,
		/// The matching-job queue refused the case.
		JobRefused,
		/// The signed endorsement or revocation is past its `valid_until` block.
		Expired,
		/// `valid_until` is more than `MaxSignedValidity` blocks ahead.
		ValidityTooLong,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_idle(_n: BlockNumberFor<T>, remaining: Weight) -> Weight {
			Self::prune(remaining)
		}

		fn integrity_test() {
			assert!(T::MaxPseudonyms::get() >= T::RetentionDays::get());
			assert!(T::MaxEndorsementsPerDay::get() > 0 && T::RetentionDays::get() > 0);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Register `diagnostician` for `jurisdiction` (a geohash prefix).
		///
		/// ## Dispatch Origin
		/// [`Config::AuthorityOrigin`].
		///
		/// ## Errors
		/// [`Error::AlreadyDiagnostician`], [`Error::InvalidJurisdiction`].
		///
		/// ## Events
		/// `DiagnosticianRegistered`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_diagnostician())]
		pub fn register_diagnostician(
			origin: OriginFor<T>,
			diagnostician: T::AccountId,
			jurisdiction: Region,
			certificate_hash: H256,
		) -> DispatchResult {
			T::AuthorityOrigin::ensure_origin(origin)?;
			ensure!(is_valid_region(&jurisdiction), Error::<T>::InvalidJurisdiction);
			Self::do_register(&diagnostician, jurisdiction, certificate_hash)
		}

		/// Refuse `diagnostician`'s endorsements and revocations until it is resumed.
		///
		/// ## Dispatch Origin
		/// [`Config::AuthorityOrigin`].
		///
		/// ## Errors
		/// [`Error::NotDiagnostician`], [`Error::DiagnosticianSuspended`] (already suspended).
		///
		/// ## Events
		/// `DiagnosticianSuspended`.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::suspend_diagnostician())]
		pub fn suspend_diagnostician(
			origin: OriginFor<T>,
			diagnostician: T::AccountId,
		) -> DispatchResult {
			T::AuthorityOrigin::ensure_origin(origin)?;
			Self::set_status(
				&diagnostician,
				DiagnosticianStatus::Active,
				DiagnosticianStatus::Suspended,
				Error::<T>::DiagnosticianSuspended,
			)?;
			Self::deposit_event(Event::DiagnosticianSuspended { diagnostician });
			Ok(())
		}

		/// Let a suspended diagnostician endorse again.
		///
		/// ## Dispatch Origin
		/// [`Config::AuthorityOrigin`].
		///
		/// ## Errors
		/// [`Error::NotDiagnostician`], [`Error::NotSuspended`].
		///
		/// ## Events
		/// `DiagnosticianResumed`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::resume_diagnostician())]
		pub fn resume_diagnostician(
			origin: OriginFor<T>,
			diagnostician: T::AccountId,
		) -> DispatchResult {
			T::AuthorityOrigin::ensure_origin(origin)?;
			Self::set_status(
				&diagnostician,
				DiagnosticianStatus::Suspended,
				DiagnosticianStatus::Active,
				Error::<T>::NotSuspended,
			)?;
			Self::deposit_event(Event::DiagnosticianResumed { diagnostician });
			Ok(())
		}

		/// Remove `diagnostician` from the registry. Its cases stay; only the authority can
		/// revoke them from now on.
		///
		/// ## Dispatch Origin
		/// [`Config::AuthorityOrigin`].
		///
		/// ## Errors
		/// [`Error::NotDiagnostician`].
		///
		/// ## Events
		/// `DiagnosticianRemoved`.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::remove_diagnostician())]
		pub fn remove_diagnostician(
			origin: OriginFor<T>,
			diagnostician: T::AccountId,
		) -> DispatchResult {
			T::AuthorityOrigin::ensure_origin(origin)?;
			Diagnosticians::<T>::take(&diagnostician).ok_or(Error::<T>::NotDiagnostician)?;
			DiagnosticianCount::<T>::mutate(|n| *n = n.saturating_sub(1));
			DailyEndorsements::<T>::remove(&diagnostician);
			Self::deposit_event(Event::DiagnosticianRemoved { diagnostician });
			Ok(())
		}

		/// Endorse a confirmed case: `diagnostician` signed
		/// [`endorsement_signing_payload`]`(genesis, endorsement)`, and each pseudonym in it
		/// signed its consent. Opens the case's matching job.
		///
		/// ## Dispatch Origin
		/// _Authorized_: a general transaction validated by [`Pallet::validate_endorsement`] in
		/// the transaction pool. No fee, no nonce.
		///
		/// ## Errors
		/// In the pool (as `InvalidTransaction::Custom(error index)`): [`Error::Expired`],
		/// [`Error::ValidityTooLong`], [`Error::NotDiagnostician`],
		/// [`Error::DiagnosticianSuspended`], [`Error::RateLimited`], [`Error::NullifierUsed`],
		/// [`Error::WindowTooLong`], [`Error::WindowOutOfRange`], [`Error::NoPseudonyms`],
		/// [`Error::PseudonymsUnordered`], [`Error::PseudonymOutsideWindow`],
		/// [`Error::AlreadyEndorsed`], [`Error::InvalidProximityReport`], [`Error::BadConsent`],
		/// [`Error::BadProximityReport`]; a bad diagnostician signature as `BadProof`. At dispatch:
		/// [`Error::JobRefused`].
		///
		/// ## Events
		/// `CaseEndorsed`.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::endorse_case(
			endorsement.pseudonyms.len() as u32,
			endorsement.reports.len() as u32,
		))]
		#[pallet::authorize(|_source, diagnostician, endorsement, signature| {
			Pallet::<T>::validate_endorsement(diagnostician, endorsement, signature)
				.map(|v| (v, Weight::zero()))
		})]
		#[pallet::weight_of_authorize(T::WeightInfo::authorize_endorse_case(
			endorsement.pseudonyms.len() as u32,
			endorsement.reports.len() as u32,
		))]
		pub fn endorse_case(
			origin: OriginFor<T>,
			diagnostician: T::AccountId,
			endorsement: EndorsementOf<T>,
			signature: T::DiagnosticianSignature,
		) -> DispatchResult {
			frame_system::ensure_authorized(origin)?;
			let _ = signature;
			let checked = Self::check_endorsement(&diagnostician, &endorsement)?;
			Self::store_case(diagnostician, endorsement, checked)
		}

		/// Revoke case `case`, endorsed by `diagnostician`, who signed
		/// [`revocation_signing_payload`]`(genesis, case, reason, valid_until)`.
		///
		/// ## Dispatch Origin
		/// _Authorized_: a general transaction validated by [`Pallet::validate_revocation`] in
		/// the transaction pool. No fee, no nonce.
		///
		/// ## Errors
		/// In the pool: [`Error::Expired`], [`Error::ValidityTooLong`],
		/// [`Error::NotDiagnostician`], [`Error::DiagnosticianSuspended`], [`Error::UnknownCase`],
		/// [`Error::NotEndorser`], [`Error::AlreadyRevoked`]; a bad signature as `BadProof`.
		///
		/// ## Events
		/// `CaseRevoked`.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::revoke_endorsement(T::MaxPseudonyms::get()))]
		#[pallet::authorize(|_source, diagnostician, case, reason, valid_until, signature| {
			Pallet::<T>::validate_revocation(diagnostician, *case, *reason, *valid_until, signature)
				.map(|v| (v, Weight::zero()))
		})]
		#[pallet::weight_of_authorize(T::WeightInfo::authorize_revoke_endorsement())]
		pub fn revoke_endorsement(
			origin: OriginFor<T>,
			diagnostician: T::AccountId,
			case: CaseId,
			reason: RevocationReason,
			valid_until: u32,
			signature: T::DiagnosticianSignature,
		) -> DispatchResultWithPostInfo {
			frame_system::ensure_authorized(origin)?;
			let _ = signature;
			let record = Self::check_revocation(&diagnostician, case, valid_until)?;
			let pseudonyms = Self::revoke(case, record, reason, false);
			Ok(Some(T::WeightInfo::revoke_endorsement(pseudonyms)).into())
		}

		/// Revoke any active case.
		///
		/// ## Dispatch Origin
		/// [`Config::AuthorityOrigin`].
		///
		/// ## Errors
		/// [`Error::UnknownCase`], [`Error::AlreadyRevoked`].
		///
		/// ## Events
		/// `CaseRevoked`.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::force_revoke(T::MaxPseudonyms::get()))]
		pub fn force_revoke(
			origin: OriginFor<T>,
			case: CaseId,
			reason: RevocationReason,
		) -> DispatchResultWithPostInfo {
			T::AuthorityOrigin::ensure_origin(origin)?;
			let record = Self::active_case(case)?;
			let pseudonyms = Self::revoke(case, record, reason, true);
			Ok(Some(T::WeightInfo::force_revoke(pseudonyms)).into())
		}
	}

	/// What [`Pallet::check_endorsement`] learnt about an endorsement.
	#[derive(Clone, Debug, PartialEq, Eq)]
	pub struct CheckedEndorsement {
		/// The diagnostician's jurisdiction.
		pub jurisdiction: Region,
		/// Today.
		pub today: DayIndex,
		/// The diagnostician's endorsements today once this one is stored.
		pub endorsed_today: u32,
	}

	impl<T: Config> Pallet<T> {
		/// Today's day index by the runtime clock.
		pub fn today() -> DayIndex {
			epichain_primitives::day_of_millis(T::UnixTime::now().as_millis() as u64)
		}

		fn genesis_hash() -> T::Hash {
			frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero())
		}

		/// Registers `diagnostician` (genesis, the registry call and benchmarks).
		pub fn do_register(
			diagnostician: &T::AccountId,
			jurisdiction: Region,
			certificate_hash: H256,
		) -> DispatchResult {
			ensure!(
				!Diagnosticians::<T>::contains_key(diagnostician),
				Error::<T>::AlreadyDiagnostician
			);
			Diagnosticians::<T>::insert(
				diagnostician,
				DiagnosticianInfo {
					jurisdiction: jurisdiction.clone(),
					certificate_hash,
					status: DiagnosticianStatus::Active,
				},
			);
			DiagnosticianCount::<T>::mutate(|n| *n = n.saturating_add(1));
			Self::deposit_event(Event::DiagnosticianRegistered {
				diagnostician: diagnostician.clone(),
				jurisdiction,
			});
			Ok(())
		}

		fn set_status(
			diagnostician: &T::AccountId,
			from: DiagnosticianStatus,
			to: DiagnosticianStatus,
			not_from: Error<T>,
		) -> DispatchResult {
			Diagnosticians::<T>::try_mutate(diagnostician, |info| {
				let info = info.as_mut().ok_or(Error::<T>::NotDiagnostician)?;
				ensure!(info.status == from, not_from);
				info.status = to;
				Ok(())
			})
		}

		/// The block the chain is at (the pool validates for the next one).
		fn block_now() -> u32 {
			frame_system::Pallet::<T>::block_number().try_into().unwrap_or(u32::MAX)
		}

		/// `valid_until` is not past, and at most `MaxSignedValidity` blocks ahead.
		pub fn check_validity(valid_until: u32) -> Result<(), Error<T>> {
			let now = Self::block_now();
			ensure!(now <= valid_until, Error::<T>::Expired);
			ensure!(valid_until - now <= T::MaxSignedValidity::get(), Error::<T>::ValidityTooLong);
			Ok(())
		}

		/// How long the pool keeps a transaction valid until block `valid_until`.
		fn longevity(valid_until: u32) -> u64 {
			(valid_until.saturating_sub(Self::block_now()) as u64).saturating_add(1)
		}

		fn active_diagnostician(who: &T::AccountId) -> Result<DiagnosticianInfo, Error<T>> {
			let info = Diagnosticians::<T>::get(who).ok_or(Error::<T>::NotDiagnostician)?;
			ensure!(info.status == DiagnosticianStatus::Active, Error::<T>::DiagnosticianSuspended);
			Ok(info)
		}

		/// Every state and shape check of an endorsement except its signatures.
		pub fn check_endorsement(
			diagnostician: &T::AccountId,
			endorsement: &EndorsementOf<T>,
		) -> Result<CheckedEndorsement, Error<T>> {
			Self::check_validity(endorsement.valid_until)?;
			let info = Self::active_diagnostician(diagnostician)?;
			let today = Self::today();
			let endorsed_today = match DailyEndorsements::<T>::get(diagnostician) {
				Some((day, n)) if day == today => n,
				_ => 0,
			};
			ensure!(endorsed_today < T::MaxEndorsementsPerDay::get(), Error::<T>::RateLimited);
			ensure!(
				!Nullifiers::<T>::contains_key(endorsement.nullifier),
				Error::<T>::NullifierUsed
			);
			let window = endorsement.window;
			ensure!(window.first <= window.last, Error::<T>::WindowOutOfRange);
			ensure!(window.days() <= T::RetentionDays::get(), Error::<T>::WindowTooLong);
			ensure!(
				window.last <= today
					&& window.first.saturating_add(T::RetentionDays::get()) > today,
				Error::<T>::WindowOutOfRange
			);
			ensure!(!endorsement.pseudonyms.is_empty(), Error::<T>::NoPseudonyms);
			let mut previous: Option<DayIndex> = None;
			for p in &endorsement.pseudonyms {
				ensure!(previous.is_none_or(|d| d < p.day), Error::<T>::PseudonymsUnordered);
				ensure!(window.contains(p.day), Error::<T>::PseudonymOutsideWindow);
				ensure!(
					!EndorsedFingerprints::<T>::contains_key(p.day, fingerprint(&p.pseudonym)),
					Error::<T>::AlreadyEndorsed
				);
				previous = Some(p.day);
			}
			for report in &endorsement.reports {
				report.check_shape().map_err(|_| Error::<T>::InvalidProximityReport)?;
			}
			Ok(CheckedEndorsement {
				jurisdiction: info.jurisdiction,
				today,
				endorsed_today: endorsed_today.saturating_add(1),
			})
		}

		/// The signature checks of an endorsement: every consent, every proximity report.
		/// (The diagnostician's own signature is checked by [`Pallet::validate_endorsement`].)
		pub fn check_endorsement_signatures(
			diagnostician: &T::AccountId,
			endorsement: &EndorsementOf<T>,
		) -> Result<(), Error<T>> {
			let genesis = Self::genesis_hash();
			let diagnostician = diagnostician.encode();
			for p in &endorsement.pseudonyms {
				let message = consent_message(
					genesis.as_ref(),
					&diagnostician,
					&endorsement.nullifier,
					p.day,
				);
				ensure!(ed25519_verify(&p.pseudonym, &message, &p.consent), Error::<T>::BadConsent);
			}
			for report in &endorsement.reports {
				ensure!(
					ed25519_verify(&report.rvk, &report.report_bytes(), &report.signature),
					Error::<T>::BadProximityReport
				);
			}
			Ok(())
		}

		/// The transaction-pool verdict on an endorsement: the state and shape checks, the
		/// diagnostician's signature, then every consent and report signature.
		pub fn validate_endorsement(
			diagnostician: &T::AccountId,
			endorsement: &EndorsementOf<T>,
			signature: &T::DiagnosticianSignature,
		) -> Result<ValidTransaction, TransactionValidityError> {
			Self::check_endorsement(diagnostician, endorsement).map_err(Self::refusal)?;
			let payload = endorsement_signing_payload(Self::genesis_hash().as_ref(), endorsement);
			if !signature.verify(&payload[..], diagnostician) {
				return Err(InvalidTransaction::BadProof.into());
			}
			Self::check_endorsement_signatures(diagnostician, endorsement)
				.map_err(Self::refusal)?;
			ValidTransaction::with_tag_prefix("epichain-endorsement")
				.priority(T::EndorsementPriority::get())
				.and_provides(endorsement.nullifier)
				.longevity(Self::longevity(endorsement.valid_until))
				.propagate(true)
				.build()
		}

		fn refusal(e: Error<T>) -> TransactionValidityError {
			InvalidTransaction::Custom(epichain_primitives::error_index(&e)).into()
		}

		fn store_case(
			diagnostician: T::AccountId,
			endorsement: EndorsementOf<T>,
			checked: CheckedEndorsement,
		) -> DispatchResult {
			let case = NextCaseId::<T>::get();
			let pseudonyms: Vec<_> =
				endorsement.pseudonyms.iter().map(|p| (p.day, p.pseudonym)).collect();
			T::CaseJobs::open(case, endorsement.window, &pseudonyms)
				.map_err(|_| Error::<T>::JobRefused)?;
			NextCaseId::<T>::put(case.saturating_add(1));
			Nullifiers::<T>::insert(endorsement.nullifier, case);
			let mut fingerprints = BoundedVec::new();
			for (day, pseudonym) in &pseudonyms {
				let fp = fingerprint(pseudonym);
				EndorsedFingerprints::<T>::insert(day, fp, case);
				// Same bound as the endorsement's pseudonyms.
				let _ = fingerprints.try_push((*day, fp));
			}
			let reports = endorsement.reports.len() as u32;
			if !endorsement.reports.is_empty() {
				ProximityReports::<T>::insert(case, endorsement.reports);
			}
			Days::<T>::mutate(checked.today, |d| match d {
				Some(d) => d.count = d.count.saturating_add(1),
				None => *d = Some(DayCases { first: case, count: 1 }),
			});
			DailyEndorsements::<T>::insert(&diagnostician, (checked.today, checked.endorsed_today));
			let count = fingerprints.len() as u32;
			Cases::<T>::insert(
				case,
				CaseRecord {
					diagnostician: diagnostician.clone(),
					jurisdiction: checked.jurisdiction.clone(),
					nullifier: endorsement.nullifier,
					window: endorsement.window,
					endorsed_day: checked.today,
					fingerprints,
					reports,
					status: CaseStatus::Active,
				},
			);
			Self::deposit_event(Event::CaseEndorsed {
				case,
				diagnostician,
				jurisdiction: checked.jurisdiction,
				pseudonyms: count,
				reports,
			});
			Ok(())
		}

		fn active_case(case: CaseId) -> Result<CaseRecordOf<T>, Error<T>> {
			let record = Cases::<T>::get(case).ok_or(Error::<T>::UnknownCase)?;
			ensure!(record.status == CaseStatus::Active, Error::<T>::AlreadyRevoked);
			Ok(record)
		}

		/// Every state check of a diagnostician's revocation except its signature.
		pub fn check_revocation(
			diagnostician: &T::AccountId,
			case: CaseId,
			valid_until: u32,
		) -> Result<CaseRecordOf<T>, Error<T>> {
			Self::check_validity(valid_until)?;
			Self::active_diagnostician(diagnostician)?;
			let record = Self::active_case(case)?;
			ensure!(&record.diagnostician == diagnostician, Error::<T>::NotEndorser);
			Ok(record)
		}

		/// The transaction-pool verdict on a diagnostician's revocation.
		pub fn validate_revocation(
			diagnostician: &T::AccountId,
			case: CaseId,
			reason: RevocationReason,
			valid_until: u32,
			signature: &T::DiagnosticianSignature,
		) -> Result<ValidTransaction, TransactionValidityError> {
			Self::check_revocation(diagnostician, case, valid_until).map_err(Self::refusal)?;
			let payload = revocation_signing_payload(
				Self::genesis_hash().as_ref(),
				case,
				reason,
				valid_until,
			);
			if !signature.verify(&payload[..], diagnostician) {
				return Err(InvalidTransaction::BadProof.into());
			}
			ValidTransaction::with_tag_prefix("epichain-revocation")
				.priority(T::EndorsementPriority::get())
				.and_provides(case)
				.longevity(Self::longevity(valid_until))
				.propagate(true)
				.build()
		}

		/// Marks `case` revoked, withdraws its fingerprints and reports and cancels its job.
		/// Returns the number of fingerprints withdrawn.
		fn revoke(
			case: CaseId,
			mut record: CaseRecordOf<T>,
			reason: RevocationReason,
			by_authority: bool,
		) -> u32 {
			for (day, fp) in &record.fingerprints {
				EndorsedFingerprints::<T>::remove(day, fp);
			}
			ProximityReports::<T>::remove(case);
			record.status = CaseStatus::Revoked { reason, by_authority };
			let withdrawn = record.fingerprints.len() as u32;
			Cases::<T>::insert(case, record);
			T::CaseJobs::cancel(case);
			Self::deposit_event(Event::CaseRevoked { case, reason, by_authority });
			withdrawn
		}

		/// True when a case endorsed on `day` has left the retention window.
		pub fn is_expired(day: DayIndex) -> bool {
			day.saturating_add(T::RetentionDays::get()) <= Self::today()
		}

		/// Removes expired cases, oldest first, while `remaining` allows; returns the weight
		/// used. Each case is one step, weighed at its worst (most pseudonyms and reports).
		pub fn prune(remaining: Weight) -> Weight {
			let step =
				T::WeightInfo::prune_case(T::MaxPseudonyms::get(), T::MaxReportsPerCase::get());
			let mut used = T::DbWeight::get().reads(2);
			if remaining.any_lt(used.saturating_add(step)) {
				return Weight::zero();
			}
			let next = NextCaseId::<T>::get();
			let mut oldest = OldestCase::<T>::get();
			while oldest < next && !remaining.any_lt(used.saturating_add(step)) {
				if let Some(record) = Cases::<T>::get(oldest) {
					if !Self::is_expired(record.endorsed_day) {
						break;
					}
					Self::remove_case(oldest, record);
				}
				oldest += 1;
				used = used.saturating_add(step);
			}
			OldestCase::<T>::put(oldest);
			used
		}

		fn remove_case(case: CaseId, record: CaseRecordOf<T>) {
			Cases::<T>::remove(case);
			if record.status == CaseStatus::Active {
				for (day, fp) in &record.fingerprints {
					EndorsedFingerprints::<T>::remove(day, fp);
				}
				ProximityReports::<T>::remove(case);
			}
			if let Some(d) = Days::<T>::get(record.endorsed_day) {
				if case.saturating_add(1) >= d.first.saturating_add(d.count as CaseId) {
					Days::<T>::remove(record.endorsed_day);
				}
			}
			Self::deposit_event(Event::CasePruned { case });
		}

		/// Invariants: the diagnostician count matches the registry; stored cases lie in
		/// `OldestCase..NextCaseId`, their nullifiers point back to them, and each active
		/// case's fingerprints and reports are indexed (a revoked case's are not); every
		/// fingerprint belongs to an active case; each day's range holds that day's cases.
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			ensure!(
				Diagnosticians::<T>::iter().count() as u32 == DiagnosticianCount::<T>::get(),
				"DiagnosticianCount does not match the registry"
			);
			let (oldest, next) = (OldestCase::<T>::get(), NextCaseId::<T>::get());
			ensure!(oldest <= next, "OldestCase beyond NextCaseId");
			let mut active_fingerprints = 0usize;
			for (case, record) in Cases::<T>::iter() {
				ensure!(oldest <= case && case < next, "case id out of range");
				ensure!(Nullifiers::<T>::get(record.nullifier) == Some(case), "nullifier mismatch");
				let day =
					Days::<T>::get(record.endorsed_day).ok_or("case of a day without range")?;
				ensure!(
					day.first <= case && case < day.first + day.count as CaseId,
					"case outside its day's range"
				);
				let reports = ProximityReports::<T>::get(case).map_or(0, |r| r.len() as u32);
				if record.status == CaseStatus::Active {
					for (d, fp) in &record.fingerprints {
						ensure!(
							EndorsedFingerprints::<T>::get(d, fp) == Some(case),
							"active case's fingerprint not indexed"
						);
					}
					active_fingerprints += record.fingerprints.len();
					ensure!(reports == record.reports, "report count mismatch");
				} else {
					ensure!(reports == 0, "revoked case still has reports");
				}
			}
			ensure!(
				EndorsedFingerprints::<T>::iter().count() == active_fingerprints,
				"fingerprint index holds entries of no active case"
			);
			for (case, _) in ProximityReports::<T>::iter() {
				ensure!(Cases::<T>::contains_key(case), "reports of no case");
			}
			Ok(())
		}

		/// A case as the runtime API shows it.
		pub fn case_view(case: CaseId) -> Option<CaseView<T::AccountId>> {
			Cases::<T>::get(case).map(|r| CaseView {
				case,
				diagnostician: r.diagnostician,
				jurisdiction: r.jurisdiction,
				window: r.window,
				endorsed_day: r.endorsed_day,
				pseudonyms: r.fingerprints.len() as u32,
				reports: r.reports,
				status: r.status,
			})
		}

		/// Fingerprints of the endorsed pseudonyms of `day` (active cases only), sorted so
		/// that their order links no two days.
		pub fn endorsed_fingerprints(day: DayIndex) -> Vec<Fingerprint> {
			let mut fps: Vec<Fingerprint> =
				EndorsedFingerprints::<T>::iter_key_prefix(day).collect();
			fps.sort_unstable();
			fps
		}

		fn cases_of_day(day: DayIndex) -> impl Iterator<Item = (CaseId, CaseRecordOf<T>)> {
			let range = Days::<T>::get(day).map_or(0..0, |d| d.first..d.first + d.count as CaseId);
			range.filter_map(|case| Cases::<T>::get(case).map(|r| (case, r)))
		}

		/// The proximity reports of the active cases endorsed on `day`.
		pub fn proximity_reports(day: DayIndex) -> Vec<SignedReport> {
			Self::cases_of_day(day)
				.filter_map(|(case, _)| ProximityReports::<T>::get(case))
				.flatten()
				.collect()
		}

		/// Cases endorsed on `day` per jurisdiction, and how many of them were revoked.
		pub fn jurisdiction_counts(day: DayIndex) -> Vec<JurisdictionCount> {
			let mut counts: Vec<JurisdictionCount> = Vec::new();
			for (_, record) in Self::cases_of_day(day) {
				let revoked = u32::from(record.status != CaseStatus::Active);
				match counts.iter_mut().find(|c| c.jurisdiction == record.jurisdiction) {
					Some(c) => {
						c.endorsed += 1;
						c.revoked += revoked;
					},
					None => counts.push(JurisdictionCount {
						jurisdiction: record.jurisdiction,
						endorsed: 1,
						revoked,
					}),
				}
			}
			counts.sort_by(|a, b| a.jurisdiction.cmp(&b.jurisdiction));
			counts
		}
	}

	impl<T: Config> epichain_primitives::traits::CaseFingerprints for Pallet<T> {
		fn is_case(day: DayIndex, fingerprint: &Fingerprint) -> bool {
			EndorsedFingerprints::<T>::contains_key(day, fingerprint)
		}
	}

	/// ed25519 verification with the runtime's host function.
	fn ed25519_verify(public: &[u8; 32], message: &[u8], signature: &[u8; 64]) -> bool {
		sp_io::crypto::ed25519_verify(
			&sp_core::ed25519::Signature::from_raw(*signature),
			message,
			&sp_core::ed25519::Public::from_raw(*public),
		)
	}
}

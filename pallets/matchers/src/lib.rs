//! # Matchers pallet: the registry of TEE matcher enclaves
//!
//! Wen et al. judge close contacts inside an SGX enclave; this pallet is the chain's list of
//! enclaves it trusts. The authority registers each matcher with:
//!
//! - its **signing key** (ed25519), which signs matching results;
//! - its **sealing key** (X25519) under a chain-assigned key id, which locators seal CSI to;
//! - its **measurement** and the hash of its **attestation evidence**, both from evidence the
//!   chain checks itself (below);
//! - a **validity window** (unix seconds) outside which the matcher is inactive.
//!
//! ## Attestation the chain checks
//! `register_matcher` and `renew_attestation` take [`Evidence`]: an Intel SGX or TDX DCAP quote
//! with its collateral, or SIMULATION. [`epichain_attestation::admit`] is the rule, run here at
//! the chain's clock:
//! - the quote verifies up to Intel's root CA, with collateral in date;
//! - the platform's TCB status is one the region accepts ([`AttestationPolicy`]);
//! - the measurement is on the region's allow-list ([`AttestationPolicy`]);
//! - the report data binds the signing and sealing keys being registered.
//!
//! Each refusal is a named error. Simulation evidence is admitted only where genesis set
//! [`SimulationAllowed`] (dev and local chains); events name what was admitted ([`Tee`]).
//! The authority sets the allow-list and the accepted TCB statuses with
//! [`Pallet::set_attestation_policy`].
//!
//! ## Sealing-key lifecycle and crypto-shredding
//!
//! `rotate_sealing_key` makes a new key current. The old key stays acceptable for
//! [`Config::RotationGrace`] seconds (batches in flight still land), then it is *Retired*. Any key
//! older than [`Config::SealingKeyLifetime`] days (the retention window) is *Shredded*: never
//! accepted again, and removed from state in bounded `on_idle` steps. The matcher destroys the
//! secret of such a key, so ciphertexts left in old block bodies (which archive nodes keep)
//! become unreadable: that is the retention story for data the chain cannot delete.
//!
//! ## One matcher at a time
//!
//! Locators seal to the newest active matcher's key and off-chain workers send jobs to one
//! matcher, so two matchers serving at once would split a region's data: each would judge
//! cases against part of the stays. The registry therefore never lets two matchers' validity
//! windows overlap ([`Error::AnotherMatcherServes`]). A successor is registered either after
//! the authority revokes the serving matcher, or with a window that starts when the serving
//! one's ends (a scheduled handover, at most [`MAX_LINEUP`] matchers serving now or later).
//! More capacity comes from replicas of the one identity, never from a second identity.
//!
//! Other pallets read this registry only through [`epichain_primitives::traits::SealingKeys`]
//! and [`epichain_primitives::traits::MatcherSigners`].
//!
//! ## Pallet API
//!
//! Calls (all from [`Config::AuthorityOrigin`]): [`Pallet::register_matcher`],
//! [`Pallet::rotate_sealing_key`], [`Pallet::renew_attestation`], [`Pallet::revoke_matcher`],
//! [`Pallet::set_attestation_policy`].
//! Reading: the [`runtime_api::MatchersApi`] runtime API (the key to seal to, a matcher's
//! record, the matcher of a signing key).

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use epichain_attestation::{Admitted, Evidence, Policy, Refusal, TcbStatus, Tee};
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

use epichain_primitives::{
	csi::{SealingKeyId, X25519Public},
	traits::{MatcherSigningKey, SealingKeyStatus},
	SECONDS_PER_DAY,
};

/// The most matchers serving now or scheduled to serve later (see [`pallet::Lineup`]).
pub const MAX_LINEUP: u32 = 4;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::{boxed::Box, vec::Vec};
	use frame_support::{pallet_prelude::*, traits::UnixTime};
	use frame_system::pallet_prelude::*;
	use sp_core::H256;

	/// The layout of this pallet's storage. Every change to it bumps this and ships a
	/// migration (see docs/DESIGN.md, "Runtime upgrades").
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// Who registers, rotates, renews and revokes matchers (the regional health authority).
		type AuthorityOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Wall-clock time (the timestamp pallet).
		type UnixTime: UnixTime;
		/// Seconds a rotated-out sealing key is still accepted.
		#[pallet::constant]
		type RotationGrace: Get<u64>;
		/// Days after registration when a sealing key is shredded (the retention window).
		#[pallet::constant]
		type SealingKeyLifetime: Get<u32>;
		/// Weights of this pallet's calls and hooks.
		type WeightInfo: WeightInfo;
		/// Moves the clock in benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: epichain_primitives::traits::BenchmarkClock;
	}

	/// The id the next registered matcher gets.
	#[pallet::storage]
	pub type NextMatcherId<T> = StorageValue<_, MatcherId, ValueQuery>;

	/// Registered matchers, revoked ones included (they are few and their keys must stay unique).
	// Hasher: Twox64Concat — ids are assigned by the chain, not chosen by users.
	#[pallet::storage]
	pub type Matchers<T> = StorageMap<_, Twox64Concat, MatcherId, MatcherInfo>;

	/// Signing key -> matcher, so a result's signer is found in one read.
	// Hasher: Blake2_128Concat — keys are supplied by the authority's caller.
	#[pallet::storage]
	pub type MatcherBySigner<T> = StorageMap<_, Blake2_128Concat, MatcherSigningKey, MatcherId>;

	/// The id the next sealing key gets. Ids below it that are not in [`SealingKeys`] were
	/// shredded.
	#[pallet::storage]
	pub type NextKeyId<T> = StorageValue<_, SealingKeyId, ValueQuery>;

	/// The lowest sealing key id still in [`SealingKeys`] (everything below was shredded).
	#[pallet::storage]
	pub type OldestKeyId<T> = StorageValue<_, SealingKeyId, ValueQuery>;

	/// Sealing keys that are not shredded yet.
	// Hasher: Twox64Concat — ids are assigned by the chain.
	#[pallet::storage]
	pub type SealingKeys<T> = StorageMap<_, Twox64Concat, SealingKeyId, SealingKeyInfo>;

	/// Matchers that serve now or later: not revoked, and their window was not over when the
	/// lineup last changed. Their validity windows never overlap.
	#[pallet::storage]
	pub type Lineup<T> = StorageValue<_, BoundedVec<MatcherId, ConstU32<MAX_LINEUP>>, ValueQuery>;

	/// Whether SIMULATION evidence (no hardware isolation) is admitted. Set at genesis only:
	/// development and local chains set it; a region's chain never does.
	#[pallet::storage]
	pub type SimulationAllowed<T> = StorageValue<_, bool, ValueQuery>;

	/// What the region admits as a matcher: the measurements of the builds it runs, and the
	/// platform TCB statuses it accepts. Set by the authority ([`Pallet::set_attestation_policy`]).
	#[pallet::storage]
	pub type AttestationPolicy<T> = StorageValue<_, Policy, ValueQuery>;

	/// The attestation rules a chain starts with.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Admit SIMULATION evidence (development and local chains only).
		pub allow_simulation: bool,
		/// Measurements of the matcher builds the region runs (at most
		/// [`epichain_attestation::MAX_MEASUREMENTS`]); the accepted TCB statuses start as
		/// [`Policy::default`]'s.
		pub measurements: Vec<[u8; 32]>,
		#[serde(skip)]
		#[doc(hidden)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			SimulationAllowed::<T>::put(self.allow_simulation);
			let policy = Policy {
				measurements: BoundedVec::try_from(self.measurements.clone())
					.expect("genesis names at most MAX_MEASUREMENTS measurements"),
				..Policy::default()
			};
			AttestationPolicy::<T>::put(policy);
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A matcher enclave was registered with its first sealing key.
		MatcherRegistered {
			/// The id the chain gave the matcher.
			matcher: MatcherId,
			/// The ed25519 key that signs its matching results.
			signing_key: MatcherSigningKey,
			/// The id of its first sealing key, which locators seal to.
			key_id: SealingKeyId,
			/// What its evidence showed: SGX, TDX, or SIMULATION; the measurement; the
			/// platform's TCB status.
			admitted: Admitted,
			/// Start of the validity window (unix seconds, inclusive).
			valid_from: u64,
			/// End of the validity window (unix seconds, exclusive).
			valid_until: u64,
		},
		/// A matcher got a new current sealing key; the old one is accepted until
		/// `old_accepted_until` (unix seconds).
		SealingKeyRotated {
			/// The matcher whose sealing key was rotated.
			matcher: MatcherId,
			/// The sealing key rotated out.
			old_key: SealingKeyId,
			/// The new current sealing key.
			new_key: SealingKeyId,
			/// Until when the old key is still accepted (unix seconds).
			old_accepted_until: u64,
		},
		/// A matcher presented new attestation evidence and validity window.
		AttestationRenewed {
			/// The matcher that renewed its attestation.
			matcher: MatcherId,
			/// What the new evidence showed.
			admitted: Admitted,
			/// Hash of the new evidence.
			attestation_hash: H256,
			/// New end of the validity window (unix seconds, exclusive).
			valid_until: u64,
		},
		/// A matcher was revoked: its keys are refused from now on.
		MatcherRevoked {
			/// The revoked matcher.
			matcher: MatcherId,
		},
		/// The authority set what the region admits as a matcher.
		AttestationPolicySet {
			/// The new policy.
			policy: Policy,
		},
		/// A sealing key older than the retention window left state; it is never accepted again.
		SealingKeyShredded {
			/// The shredded sealing key.
			key_id: SealingKeyId,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No matcher has this id.
		UnknownMatcher,
		/// The matcher is revoked.
		MatcherRevoked,
		/// Another matcher already signs with this key.
		SigningKeyInUse,
		/// The sealing key is all zeroes, or the same as the key it would replace.
		InvalidSealingKey,
		/// The validity window is empty or already over.
		InvalidValidityWindow,
		/// The id counter is exhausted.
		Overflow,
		/// The validity window overlaps another matcher's, which is not revoked: a region has
		/// one matcher at a time. Revoke it first, or start the window when its window ends.
		AnotherMatcherServes,
		/// [`MAX_LINEUP`] matchers already serve now or later.
		LineupFull,
		/// SIMULATION evidence, and this chain's genesis does not allow simulation.
		SimulationNotAllowed,
		/// The quote does not verify up to Intel's root CA: malformed, a signature or
		/// certificate that does not check out, revoked, a debug enclave, or collateral for
		/// another platform.
		QuoteInvalid,
		/// A PEM chain or JSON document of the collateral is not UTF-8.
		CollateralMalformed,
		/// The collateral is past its date at the chain's clock: fetch fresh collateral.
		CollateralExpired,
		/// The collateral was issued after the chain's clock.
		CollateralNotYetValid,
		/// The platform's TCB status is not one the region accepts.
		TcbStatusRefused,
		/// The enclave's measurement is not on the region's allow-list.
		MeasurementNotAllowed,
		/// The quote's report data does not bind the signing and sealing keys being registered.
		ReportDataMismatch,
		/// The new sealing key's endorsement is not the matcher's signing key's signature of
		/// the keys' binding.
		SealingKeyNotEndorsed,
	}

	impl<T> From<Refusal> for Error<T> {
		fn from(refusal: Refusal) -> Self {
			match refusal {
				Refusal::SimulationNotAllowed => Self::SimulationNotAllowed,
				Refusal::QuoteInvalid => Self::QuoteInvalid,
				Refusal::CollateralMalformed => Self::CollateralMalformed,
				Refusal::CollateralExpired => Self::CollateralExpired,
				Refusal::CollateralNotYetValid => Self::CollateralNotYetValid,
				Refusal::TcbStatusRefused => Self::TcbStatusRefused,
				Refusal::MeasurementNotAllowed => Self::MeasurementNotAllowed,
				Refusal::ReportDataMismatch => Self::ReportDataMismatch,
			}
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_idle(_n: BlockNumberFor<T>, remaining: Weight) -> Weight {
			Self::shred_expired_keys(remaining)
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Register a matcher enclave and its first sealing key, on attestation evidence that
		/// binds both keys (see the module docs).
		///
		/// ## Dispatch Origin
		/// [`Config::AuthorityOrigin`].
		///
		/// ## Errors
		/// [`Error::SigningKeyInUse`], [`Error::InvalidSealingKey`],
		/// [`Error::InvalidValidityWindow`], every refusal of the evidence
		/// ([`Error::SimulationNotAllowed`] to [`Error::ReportDataMismatch`]),
		/// [`Error::AnotherMatcherServes`], [`Error::LineupFull`], [`Error::Overflow`].
		///
		/// ## Events
		/// `MatcherRegistered` (its `key_id` is what locators seal to).
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_matcher()
			.saturating_add(Pallet::<T>::evidence_weight(evidence))
			.saturating_add(Pallet::<T>::lineup_weight()))]
		pub fn register_matcher(
			origin: OriginFor<T>,
			signing_key: MatcherSigningKey,
			sealing_key: X25519Public,
			evidence: Box<Evidence>,
			valid_from: u64,
			valid_until: u64,
		) -> DispatchResult {
			T::AuthorityOrigin::ensure_origin(origin)?;
			ensure!(!MatcherBySigner::<T>::contains_key(signing_key), Error::<T>::SigningKeyInUse);
			ensure!(sealing_key != [0u8; 32], Error::<T>::InvalidSealingKey);
			ensure!(
				valid_from < valid_until && valid_until > Self::now(),
				Error::<T>::InvalidValidityWindow
			);
			let admitted = Self::admit(&evidence, &signing_key, &sealing_key)?;
			let matcher = NextMatcherId::<T>::get();
			let mut lineup = Self::lineup_without_overlap(valid_from, valid_until, None)?;
			lineup.try_push(matcher).map_err(|_| Error::<T>::LineupFull)?;
			let next_matcher = matcher.checked_add(1).ok_or(Error::<T>::Overflow)?;
			let key_id = Self::next_key_id()?;
			SealingKeys::<T>::insert(
				key_id,
				SealingKeyInfo {
					matcher,
					public: sealing_key,
					registered_at: Self::now(),
					retired_at: None,
				},
			);
			Matchers::<T>::insert(
				matcher,
				MatcherInfo {
					signing_key,
					measurement: admitted.measurement,
					attestation_hash: H256(evidence.hash()),
					valid_from,
					valid_until,
					current_key: key_id,
					revoked: false,
				},
			);
			MatcherBySigner::<T>::insert(signing_key, matcher);
			NextMatcherId::<T>::put(next_matcher);
			Lineup::<T>::put(lineup);
			Self::deposit_event(Event::MatcherRegistered {
				matcher,
				signing_key,
				key_id,
				admitted,
				valid_from,
				valid_until,
			});
			Ok(())
		}

		/// Give a matcher a new current sealing key, endorsed by the matcher's attested signing
		/// key, so the key stays bound to the enclave the evidence showed: `endorsement` is the
		/// ed25519 signature of
		/// [`matcher_report_data`](epichain_primitives::signing::matcher_report_data)`(signing
		/// key, sealing_key)` by the signing key (the binding a quote's report data carries at
		/// registration). No one but the enclave can add a key writers seal to. The old key
		/// stays acceptable for [`Config::RotationGrace`] seconds.
		///
		/// ## Dispatch Origin
		/// [`Config::AuthorityOrigin`].
		///
		/// ## Errors
		/// [`Error::UnknownMatcher`], [`Error::MatcherRevoked`], [`Error::InvalidSealingKey`],
		/// [`Error::SealingKeyNotEndorsed`], [`Error::Overflow`].
		///
		/// ## Events
		/// `SealingKeyRotated`.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::rotate_sealing_key())]
		pub fn rotate_sealing_key(
			origin: OriginFor<T>,
			matcher: MatcherId,
			sealing_key: X25519Public,
			endorsement: [u8; 64],
		) -> DispatchResult {
			T::AuthorityOrigin::ensure_origin(origin)?;
			let mut info = Matchers::<T>::get(matcher).ok_or(Error::<T>::UnknownMatcher)?;
			ensure!(!info.revoked, Error::<T>::MatcherRevoked);
			ensure!(sealing_key != [0u8; 32], Error::<T>::InvalidSealingKey);
			ensure!(
				sp_io::crypto::ed25519_verify(
					&sp_core::ed25519::Signature::from_raw(endorsement),
					&epichain_primitives::signing::matcher_report_data(
						&info.signing_key,
						&sealing_key
					),
					&sp_core::ed25519::Public::from_raw(info.signing_key),
				),
				Error::<T>::SealingKeyNotEndorsed
			);
			let now = Self::now();
			let old_key = info.current_key;
			let old = SealingKeys::<T>::get(old_key);
			ensure!(
				old.as_ref().is_none_or(|k| k.public != sealing_key),
				Error::<T>::InvalidSealingKey
			);
			let new_key = Self::next_key_id()?;
			if let Some(mut old) = old {
				old.retired_at = Some(now);
				SealingKeys::<T>::insert(old_key, old);
			}
			SealingKeys::<T>::insert(
				new_key,
				SealingKeyInfo {
					matcher,
					public: sealing_key,
					registered_at: now,
					retired_at: None,
				},
			);
			info.current_key = new_key;
			Matchers::<T>::insert(matcher, info);
			Self::deposit_event(Event::SealingKeyRotated {
				matcher,
				old_key,
				new_key,
				old_accepted_until: now.saturating_add(T::RotationGrace::get()),
			});
			Ok(())
		}

		/// Record a matcher's new attestation evidence and extend its validity window. The
		/// evidence must bind the matcher's signing key and its current sealing key, and pass
		/// the region's policy as it stands now.
		///
		/// ## Dispatch Origin
		/// [`Config::AuthorityOrigin`].
		///
		/// ## Errors
		/// [`Error::UnknownMatcher`], [`Error::MatcherRevoked`], [`Error::InvalidValidityWindow`],
		/// [`Error::InvalidSealingKey`] (its current key was shredded: rotate first), every
		/// refusal of the evidence, [`Error::AnotherMatcherServes`] (the new end runs into a
		/// successor's window).
		///
		/// ## Events
		/// `AttestationRenewed`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::renew_attestation()
			.saturating_add(Pallet::<T>::evidence_weight(evidence))
			.saturating_add(Pallet::<T>::lineup_weight()))]
		pub fn renew_attestation(
			origin: OriginFor<T>,
			matcher: MatcherId,
			evidence: Box<Evidence>,
			valid_until: u64,
		) -> DispatchResult {
			T::AuthorityOrigin::ensure_origin(origin)?;
			let mut info = Matchers::<T>::get(matcher).ok_or(Error::<T>::UnknownMatcher)?;
			ensure!(!info.revoked, Error::<T>::MatcherRevoked);
			ensure!(
				info.valid_from < valid_until && valid_until > Self::now(),
				Error::<T>::InvalidValidityWindow
			);
			let sealing_key = SealingKeys::<T>::get(info.current_key)
				.ok_or(Error::<T>::InvalidSealingKey)?
				.public;
			let admitted = Self::admit(&evidence, &info.signing_key, &sealing_key)?;
			let lineup = Self::lineup_without_overlap(info.valid_from, valid_until, Some(matcher))?;
			let attestation_hash = H256(evidence.hash());
			info.measurement = admitted.measurement;
			info.attestation_hash = attestation_hash;
			info.valid_until = valid_until;
			Matchers::<T>::insert(matcher, info);
			Lineup::<T>::put(lineup);
			Self::deposit_event(Event::AttestationRenewed {
				matcher,
				admitted,
				attestation_hash,
				valid_until,
			});
			Ok(())
		}

		/// Revoke a matcher: its sealing keys and signing key are refused from now on.
		///
		/// ## Dispatch Origin
		/// [`Config::AuthorityOrigin`].
		///
		/// ## Errors
		/// [`Error::UnknownMatcher`], [`Error::MatcherRevoked`] (already revoked).
		///
		/// ## Events
		/// `MatcherRevoked`.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::revoke_matcher())]
		pub fn revoke_matcher(origin: OriginFor<T>, matcher: MatcherId) -> DispatchResult {
			T::AuthorityOrigin::ensure_origin(origin)?;
			let mut info = Matchers::<T>::get(matcher).ok_or(Error::<T>::UnknownMatcher)?;
			ensure!(!info.revoked, Error::<T>::MatcherRevoked);
			info.revoked = true;
			Matchers::<T>::insert(matcher, info);
			Lineup::<T>::mutate(|l| l.retain(|m| *m != matcher));
			Self::deposit_event(Event::MatcherRevoked { matcher });
			Ok(())
		}

		/// Set what the region admits as a matcher from now on: the measurements of the builds
		/// it runs and the TCB statuses it accepts. Matchers already registered keep serving;
		/// their next renewal is judged by the new policy.
		///
		/// ## Dispatch Origin
		/// [`Config::AuthorityOrigin`].
		///
		/// ## Events
		/// `AttestationPolicySet`.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::set_attestation_policy())]
		pub fn set_attestation_policy(origin: OriginFor<T>, policy: Policy) -> DispatchResult {
			T::AuthorityOrigin::ensure_origin(origin)?;
			AttestationPolicy::<T>::put(&policy);
			Self::deposit_event(Event::AttestationPolicySet { policy });
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// Unix seconds now.
		pub fn now() -> u64 {
			T::UnixTime::now().as_secs()
		}

		/// Admits `evidence` for a matcher with these keys by the region's rule, at the chain's
		/// clock.
		fn admit(
			evidence: &Evidence,
			signing_key: &MatcherSigningKey,
			sealing_key: &X25519Public,
		) -> Result<Admitted, Error<T>> {
			epichain_attestation::admit(
				evidence,
				signing_key,
				sealing_key,
				&AttestationPolicy::<T>::get(),
				SimulationAllowed::<T>::get(),
				Self::now(),
			)
			.map_err(Into::into)
		}

		/// What checking `evidence` costs on top of a call's benchmarked weight: the quote's
		/// verification for DCAP evidence, nothing more for SIMULATION.
		pub fn evidence_weight(evidence: &Evidence) -> Weight {
			match evidence {
				Evidence::Simulation { .. } => Weight::zero(),
				Evidence::Dcap { .. } => T::WeightInfo::verify_dcap_quote(),
			}
		}

		fn next_key_id() -> Result<SealingKeyId, Error<T>> {
			let id = NextKeyId::<T>::get();
			NextKeyId::<T>::put(id.checked_add(1).ok_or(Error::<T>::Overflow)?);
			Ok(id)
		}

		/// Seconds a sealing key lives before it is shredded.
		pub fn key_lifetime_secs() -> u64 {
			T::SealingKeyLifetime::get() as u64 * SECONDS_PER_DAY
		}

		/// The lineup without matchers that are revoked or whose window is over, once the window
		/// `[from, until)` (of `except`, or of a new matcher) is checked against every other's.
		fn lineup_without_overlap(
			from: u64,
			until: u64,
			except: Option<MatcherId>,
		) -> Result<BoundedVec<MatcherId, ConstU32<MAX_LINEUP>>, Error<T>> {
			let now = Self::now();
			let mut lineup = Lineup::<T>::get();
			lineup.retain(|id| {
				Matchers::<T>::get(*id).is_some_and(|m| !m.revoked && m.valid_until > now)
			});
			for id in lineup.iter().filter(|id| Some(**id) != except) {
				let other = Matchers::<T>::get(*id).ok_or(Error::<T>::UnknownMatcher)?;
				ensure!(
					until <= other.valid_from || other.valid_until <= from,
					Error::<T>::AnotherMatcherServes
				);
			}
			Ok(lineup)
		}

		/// What checking the lineup reads and writes, on top of a call's benchmarked weight.
		pub fn lineup_weight() -> Weight {
			T::DbWeight::get().reads_writes(2 + 2 * MAX_LINEUP as u64, 1)
		}

		/// True when matcher `info` is not revoked and `now` is inside its validity window.
		pub fn is_active(info: &MatcherInfo, now: u64) -> bool {
			!info.revoked && info.valid_from <= now && now < info.valid_until
		}

		/// The sealing key writers seal to at unix second `now`: the current key of the
		/// serving matcher (one at a time: see the module docs), if that key is
		/// [`SealingKeyStatus::Current`]. Locators and apps read it through
		/// [`crate::runtime_api::MatchersApi::current_sealing_key`].
		pub fn current_sealing_key_at(now: u64) -> Option<CurrentSealingKey> {
			Lineup::<T>::get().into_iter().find_map(|matcher| {
				let info = Matchers::<T>::get(matcher).filter(|m| Self::is_active(m, now))?;
				let key = SealingKeys::<T>::get(info.current_key)?;
				(Self::key_status_at(info.current_key, now) == SealingKeyStatus::Current).then_some(
					CurrentSealingKey { matcher, key_id: info.current_key, public: key.public },
				)
			})
		}

		/// The status of sealing key `key_id` at unix second `now`.
		pub fn key_status_at(key_id: SealingKeyId, now: u64) -> SealingKeyStatus {
			if key_id >= NextKeyId::<T>::get() {
				return SealingKeyStatus::Unknown;
			}
			let Some(key) = SealingKeys::<T>::get(key_id) else {
				return SealingKeyStatus::Shredded;
			};
			if now >= key.registered_at.saturating_add(Self::key_lifetime_secs()) {
				return SealingKeyStatus::Shredded;
			}
			match Matchers::<T>::get(key.matcher) {
				Some(m) if Self::is_active(&m, now) => {},
				_ => return SealingKeyStatus::MatcherInactive,
			}
			match key.retired_at {
				Some(at) if now >= at.saturating_add(T::RotationGrace::get()) => {
					SealingKeyStatus::Retired
				},
				_ => SealingKeyStatus::Current,
			}
		}

		/// Removes shredded keys from the front of the id range while `remaining` allows;
		/// returns the weight used.
		pub fn shred_expired_keys(remaining: Weight) -> Weight {
			let step = T::WeightInfo::shred_sealing_key();
			let mut used = T::DbWeight::get().reads(2);
			if remaining.any_lt(used.saturating_add(step)) {
				return Weight::zero();
			}
			let (now, next) = (Self::now(), NextKeyId::<T>::get());
			let mut cursor = OldestKeyId::<T>::get();
			while cursor < next && !remaining.any_lt(used.saturating_add(step)) {
				match SealingKeys::<T>::get(cursor) {
					Some(k) if now < k.registered_at.saturating_add(Self::key_lifetime_secs()) => {
						break
					},
					Some(_) => {
						SealingKeys::<T>::remove(cursor);
						Self::deposit_event(Event::SealingKeyShredded { key_id: cursor });
					},
					None => {},
				}
				used = used.saturating_add(step);
				cursor = cursor.saturating_add(1);
			}
			OldestKeyId::<T>::put(cursor);
			used
		}

		/// Invariants: the signer index and the matchers agree both ways; every stored key
		/// belongs to a known matcher and lies in `[OldestKeyId, NextKeyId)`; every matcher's
		/// current key id was issued.
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			let (oldest, next) = (OldestKeyId::<T>::get(), NextKeyId::<T>::get());
			ensure!(oldest <= next, "OldestKeyId beyond NextKeyId");
			for (id, m) in Matchers::<T>::iter() {
				ensure!(id < NextMatcherId::<T>::get(), "matcher id beyond NextMatcherId");
				ensure!(
					MatcherBySigner::<T>::get(m.signing_key) == Some(id),
					"signing key not indexed"
				);
				ensure!(m.current_key < next, "current key never issued");
			}
			// One matcher at a time: every matcher not revoked and not over is in the lineup,
			// and no two windows in the lineup overlap.
			let now = Self::now();
			let lineup = Lineup::<T>::get();
			for (id, m) in Matchers::<T>::iter() {
				if !m.revoked && m.valid_until > now {
					ensure!(lineup.contains(&id), "a serving matcher outside the lineup");
				}
			}
			for (i, a) in lineup.iter().enumerate() {
				let a = Matchers::<T>::get(a).ok_or("lineup names no matcher")?;
				ensure!(!a.revoked, "a revoked matcher in the lineup");
				for b in lineup.iter().skip(i + 1) {
					let b = Matchers::<T>::get(b).ok_or("lineup names no matcher")?;
					ensure!(
						a.valid_until <= b.valid_from || b.valid_until <= a.valid_from,
						"two matchers serve at once"
					);
				}
			}
			for (key, id) in MatcherBySigner::<T>::iter() {
				ensure!(
					Matchers::<T>::get(id).map(|m| m.signing_key) == Some(key),
					"stale signer index entry"
				);
			}
			for (id, k) in SealingKeys::<T>::iter() {
				ensure!(oldest <= id && id < next, "sealing key outside the live id range");
				ensure!(Matchers::<T>::contains_key(k.matcher), "sealing key of unknown matcher");
			}
			Ok(())
		}
	}
}

impl<T: Config> epichain_primitives::traits::SealingKeys for Pallet<T> {
	fn sealing_key_status(key_id: SealingKeyId) -> SealingKeyStatus {
		Self::key_status_at(key_id, Self::now())
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_current_key() -> SealingKeyId {
		benchmarking::register_current_matcher::<T>().1
	}
}

impl<T: Config> epichain_primitives::traits::MatcherSigners for Pallet<T> {
	fn is_active_signer(key: &MatcherSigningKey) -> bool {
		MatcherBySigner::<T>::get(key)
			.and_then(Matchers::<T>::get)
			.is_some_and(|m| Self::is_active(&m, Self::now()))
	}
}

//! # Validators pallet
//!
//! The region's validator set, changed by the health authority.
//!
//! ## Overview
//!
//! A region's validators are run by its health authorities and their contractors; nobody stakes
//! to become one. This pallet is `pallet-session`'s session manager: the authority adds and
//! removes validators, and the next session rotation hands the new set to `pallet-session`,
//! which hands it to Aura and GRANDPA one rotation later.
//!
//! A validator joins in three steps:
//! 1. its operator makes session keys in the node's own keystore and registers them from the
//!    validator's account (`author_rotateKeysWithOwner`, then `Session::set_keys` with the
//!    ownership proof; `epichain validator set-keys` does both);
//! 2. the authority calls [`Pallet::add_validator`], which refuses an account without keys
//!    (`NoSessionKeys`);
//! 3. within two sessions the validator authors blocks and votes in GRANDPA.
//!
//! [`Pallet::remove_validator`] takes one out the same way. The set never falls below
//! [`Config::MinValidators`]: with fewer than four GRANDPA voters, one failure stops finality.
//!
//! ## Pallet API
//!
//! - [`Pallet::add_validator`], [`Pallet::remove_validator`]: `AuthorityOrigin` only.
//! - [`Planned`]: the set the next rotation hands over, while a change is pending.
//! - The current set is `pallet-session`'s (`Session::Validators`).
//!
//! ## Low level
//!
//! `SessionManager::new_session` takes [`Planned`]: `Some(set)` once per change, then `None`
//! (the set stays as it is). `new_session_genesis` returns `None`, so the genesis set is the one
//! `pallet-session`'s genesis keys name.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod weights;

pub use weights::WeightInfo;

/// Registers session keys for an account in benchmarks (the runtime writes them straight into
/// `pallet-session`'s storage).
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Makes `who` an account with registered session keys.
	fn register_keys(who: &AccountId);
}

#[frame_support::pallet]
pub mod pallet {
	use super::WeightInfo;
	use alloc::vec::Vec;
	use frame_support::{
		pallet_prelude::*,
		traits::{ValidatorRegistration, ValidatorSet},
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::traits::{One, Zero};

	/// The layout of this release's storage.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;

		/// The health authority: adds and removes validators.
		type AuthorityOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The session pallet: the current set, and who has registered session keys.
		type Sessions: ValidatorSet<Self::AccountId, ValidatorId = Self::AccountId>
			+ ValidatorRegistration<Self::AccountId>;

		/// The set never shrinks below this many validators.
		#[pallet::constant]
		type MinValidators: Get<u32>;

		/// Most validators (Aura's and GRANDPA's `MaxAuthorities`).
		#[pallet::constant]
		type MaxValidators: Get<u32>;

		/// Blocks per session when genesis names none.
		#[pallet::constant]
		type DefaultSessionLength: Get<BlockNumberFor<Self>>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;

		/// Session keys for benchmark accounts.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: super::BenchmarkHelper<Self::AccountId>;
	}

	/// The set the next session rotation hands to `pallet-session`; absent when no change is
	/// pending.
	#[pallet::storage]
	pub type Planned<T: Config> =
		StorageValue<_, BoundedVec<T::AccountId, T::MaxValidators>, OptionQuery>;

	/// The session length when genesis names none: [`Config::DefaultSessionLength`].
	#[pallet::type_value]
	pub fn SessionLengthDefault<T: Config>() -> BlockNumberFor<T> {
		T::DefaultSessionLength::get()
	}

	/// Blocks per session (set at genesis). `pallet-session` reserves a rotation block whole
	/// (its rotation claims the block's whole weight), so shorter sessions cost capacity: one
	/// block in ten for the local test chain's minute, one in 600 for a region's hour.
	#[pallet::storage]
	pub type SessionLength<T: Config> =
		StorageValue<_, BlockNumberFor<T>, ValueQuery, SessionLengthDefault<T>>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Blocks per session; zero keeps `DefaultSessionLength`.
		pub session_length: BlockNumberFor<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			if !self.session_length.is_zero() {
				SessionLength::<T>::put(self.session_length);
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// `validator` joins the set from the session after next.
		ValidatorAdded {
			/// The validator's account (its session keys' owner).
			validator: T::AccountId,
		},
		/// `validator` leaves the set from the session after next.
		ValidatorRemoved {
			/// The validator's account.
			validator: T::AccountId,
		},
		/// The planned set was handed to `pallet-session`; it is active from `session`.
		ValidatorSetPlanned {
			/// The session the set is for.
			session: u32,
			/// How many validators it has.
			validators: u32,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The account has no registered session keys: its operator runs
		/// `epichain validator set-keys` first.
		NoSessionKeys,
		/// The account is in the set already (or planned to be).
		AlreadyValidator,
		/// The account is not in the set (nor planned to be).
		NotValidator,
		/// The set is at `MaxValidators`.
		TooManyValidators,
		/// The set would fall below `MinValidators`.
		TooFewValidators,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Adds `validator` to the set from the session after next.
		///
		/// ## Dispatch Origin
		/// `AuthorityOrigin`.
		///
		/// ## Errors
		/// [`Error::NoSessionKeys`], [`Error::AlreadyValidator`], [`Error::TooManyValidators`].
		///
		/// ## Events
		/// `ValidatorAdded`.
		#[pallet::call_index(0)]
		// Measured with a planned set; with none, the session's set is read too.
		#[pallet::weight(T::WeightInfo::add_validator(T::MaxValidators::get())
			.saturating_add(T::DbWeight::get().reads(1)))]
		pub fn add_validator(origin: OriginFor<T>, validator: T::AccountId) -> DispatchResult {
			T::AuthorityOrigin::ensure_origin(origin)?;
			ensure!(T::Sessions::is_registered(&validator), Error::<T>::NoSessionKeys);
			let mut set = Self::next_set();
			ensure!(!set.contains(&validator), Error::<T>::AlreadyValidator);
			set.try_push(validator.clone()).map_err(|_| Error::<T>::TooManyValidators)?;
			Planned::<T>::put(set);
			Self::deposit_event(Event::ValidatorAdded { validator });
			Ok(())
		}

		/// Removes `validator` from the set from the session after next.
		///
		/// ## Dispatch Origin
		/// `AuthorityOrigin`.
		///
		/// ## Errors
		/// [`Error::NotValidator`], [`Error::TooFewValidators`].
		///
		/// ## Events
		/// `ValidatorRemoved`.
		#[pallet::call_index(1)]
		// Measured with a planned set; with none, the session's set is read too.
		#[pallet::weight(T::WeightInfo::remove_validator(T::MaxValidators::get())
			.saturating_add(T::DbWeight::get().reads(1)))]
		pub fn remove_validator(origin: OriginFor<T>, validator: T::AccountId) -> DispatchResult {
			T::AuthorityOrigin::ensure_origin(origin)?;
			let mut set = Self::next_set();
			let at = set.iter().position(|v| *v == validator).ok_or(Error::<T>::NotValidator)?;
			ensure!(set.len() as u32 > T::MinValidators::get(), Error::<T>::TooFewValidators);
			set.remove(at);
			Planned::<T>::put(set);
			Self::deposit_event(Event::ValidatorRemoved { validator });
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// The set the next rotation will hand over: the planned one, or the current one.
		pub fn next_set() -> BoundedVec<T::AccountId, T::MaxValidators> {
			Planned::<T>::get().unwrap_or_else(|| {
				// The session pallet holds at most `MaxAuthorities` validators, which is
				// `MaxValidators` in the runtime; a longer list is cut rather than panicking.
				BoundedVec::truncate_from(T::Sessions::validators())
			})
		}

		/// Invariants: sessions have a length; a planned set has no duplicates and at least
		/// `MinValidators` members.
		#[cfg(any(feature = "try-runtime", test))]
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			ensure!(!SessionLength::<T>::get().is_zero(), "sessions have no length");
			if let Some(set) = Planned::<T>::get() {
				ensure!(
					set.len() as u32 >= T::MinValidators::get(),
					"planned set below the minimum"
				);
				let mut sorted: Vec<_> = set.iter().collect();
				sorted.sort();
				sorted.dedup();
				ensure!(sorted.len() == set.len(), "a validator is planned twice");
			}
			Ok(())
		}
	}

	/// The session length, as `pallet_session::PeriodicSessions` takes it.
	pub struct SessionLengthOf<T>(core::marker::PhantomData<T>);

	impl<T: Config> Get<BlockNumberFor<T>> for SessionLengthOf<T> {
		fn get() -> BlockNumberFor<T> {
			// Never zero: genesis ignores zero and nothing else writes it.
			SessionLength::<T>::get().max(One::one())
		}
	}

	impl<T: Config> pallet_session::SessionManager<T::AccountId> for Pallet<T> {
		fn new_session(new_index: u32) -> Option<Vec<T::AccountId>> {
			let set = Planned::<T>::take()?;
			Self::deposit_event(Event::ValidatorSetPlanned {
				session: new_index,
				validators: set.len() as u32,
			});
			Some(set.into_inner())
		}

		fn new_session_genesis(_new_index: u32) -> Option<Vec<T::AccountId>> {
			// The genesis set is the one pallet-session's genesis keys name.
			None
		}

		fn end_session(_end_index: u32) {}

		fn start_session(_start_index: u32) {}
	}
}

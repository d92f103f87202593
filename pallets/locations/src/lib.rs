//! # Locations pallet: Song et al.'s location state machine on geohash cells
//!
//! A location is a geohash cell (precision [`Config::MinPrecision`] to
//! [`Config::MaxPrecision`]); coarser prefixes are the hierarchy (Song et al.'s state / county /
//! city contracts). Each location is in one of three states, moved by Song et al.'s events:
//!
//! | from \ event | register | check-in | infected (matcher or authority) | cleaned | 14 days pass |
//! |---|---|---|---|---|---|
//! | (none) | Empty | - | - | - | - |
//! | Empty | `LocationExists` | Clean | Infected (cases 1) | `NotInfected` | Empty |
//! | Infected | `LocationExists` | Infected | Infected (cases + 1, window restarts) | Clean | Clean |
//! | Clean | `LocationExists` | Clean | Infected (cases 1) | `NotInfected` | Clean |
//!
//! - **Check-ins** are a venue locator's sealed CSI batches (see `pallet-csi`): the public side is
//!   a per-cell, per-day visit counter. Nothing here links a pseudonym to a place.
//! - **Infection** comes from a matcher's signed result through
//!   [`epichain_primitives::traits::LocationInfections`] (visit before or after the
//!   endorsement), counted from the end of the case's visit day, or from the authority
//!   declaring a cluster site, counted from now.
//! - **Cleaning an Empty or Clean cell is an error** (`NotInfected`), so an operator who cleans
//!   the wrong cell learns it; it changes nothing.
//! - **Wait14Days is lazy**: an Infected cell whose window ([`Config::InfectionWindow`]) is over
//!   reads as Clean and becomes Clean in storage on its next write. Region counts stay exact
//!   without visiting cells: every infection is filed under its expiry day for each prefix of
//!   its cell ([`InfectedByExpiry`]), a count sums the buckets after today plus the exact
//!   expiries of today's, and stale buckets leave state in bounded `on_idle` steps.
//!
//!
//! ## A location's lifecycle
//!
//! - **Who registers.** The authority registers any cell. A venue locator registers cells inside
//!   its own region, and only when that region is at least
//!   [`Config::MinVenueRegionPrecision`] characters: the authority consents to a venue's cells
//!   when it whitelists the venue with a region the size of its premises. A venue whitelisted
//!   for a whole district or city (`VenueRegionTooCoarse`) asks the authority instead, so no
//!   venue can claim a busy public cell (a station, a square) and then clean it.
//! - **Who operates.** A location's operator may mark it cleaned only while the operator is an
//!   active venue locator whose region holds the cell. Suspending or removing the locator in
//!   `pallet-csi` takes the right away at once; resuming it gives it back. The authority may
//!   name only such a venue as operator (`OperatorNotVenue`).
//! - **Changes.** The authority removes a location ([`Pallet::remove_location`]: its state,
//!   history, material and any running infection filing leave state; the day counters of its
//!   check-ins leave with their day), and changes its operator ([`Pallet::set_operator`]) or
//!   material ([`Pallet::set_material`]). Each change is an event.
//!
//! ## Pallet API
//! Calls: [`Pallet::register_location`], [`Pallet::mark_cleaned`], [`Pallet::mark_infected`],
//! [`Pallet::remove_location`], [`Pallet::set_operator`], [`Pallet::set_material`].
//! Queries: the [`runtime_api::LocationsApi`] runtime API.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
pub mod migrations;
#[cfg(test)]
mod mock;
pub mod runtime_api;
#[cfg(test)]
mod tests;
mod types;
pub mod weights;

use alloc::vec::Vec;
pub use epichain_primitives::matching::SurfaceMaterial;
use epichain_primitives::{
	diagnosis::{CaseId, DayWindow},
	geohash::Geohash,
	traits::InfectionSource,
	DayIndex, SECONDS_PER_DAY,
};

/// The most materials one [`Pallet::materials`] page returns.
pub const MAX_MATERIALS_PER_QUERY: u32 = 1_000;

/// How many `step`s fit in `remaining` once `used` is spent (a zero-weight step: no limit).
fn steps_left(
	remaining: frame_support::weights::Weight,
	used: frame_support::weights::Weight,
	step: frame_support::weights::Weight,
) -> u32 {
	remaining
		.saturating_sub(used)
		.checked_div_per_component(&step)
		.map_or(u32::MAX, |n| n.min(u32::MAX as u64) as u32)
}

/// The state machine: the state after `event` at `now`, or why the event does not apply.
/// `state` must already have decay applied. For an infection, `now` is the time it counts
/// from (the end of the visit's day).
pub fn transition(
	state: CellState,
	event: Transition,
	now: u64,
) -> Result<CellState, TransitionError> {
	use CellState::*;
	match (state, event) {
		(_, Transition::Registered) => Err(TransitionError::LocationExists),
		(Empty, Transition::CheckedIn) => Ok(Clean { since: now }),
		(s, Transition::CheckedIn) => Ok(s),
		// A visit older than the last one recorded adds a case, never shortens the infection.
		(Infected { since, cases }, Transition::Infected(_)) => {
			Ok(Infected { since: since.max(now), cases: cases.saturating_add(1) })
		},
		(_, Transition::Infected(_)) => Ok(Infected { since: now, cases: 1 }),
		(Infected { .. }, Transition::Cleaned) => Ok(Clean { since: now }),
		(_, Transition::Cleaned) => Err(TransitionError::NotInfected),
		// Decay happens when the window is over; a withdrawal is the revocation's own path.
		(_, Transition::Decayed | Transition::Withdrawn) => Err(TransitionError::NotExpired),
	}
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use epichain_primitives::traits::VenueLocators;
	use frame_support::{pallet_prelude::*, traits::UnixTime};
	use frame_system::pallet_prelude::*;

	/// The layout of this pallet's storage. Every change to it bumps this and ships a
	/// migration (see docs/DESIGN.md, "Runtime upgrades").
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The health authority: registers, infects (cluster sites) and cleans any cell.
		type AuthorityOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Wall-clock time.
		type UnixTime: UnixTime;
		/// Which accounts are venue locators for a cell (they may register it).
		type VenueLocators: VenueLocators<Self::AccountId>;
		/// Seconds after the last infection when a cell decays to Clean (Song et al.: 14 days).
		#[pallet::constant]
		type InfectionWindow: Get<u64>;
		/// Shortest geohash a location may have.
		#[pallet::constant]
		type MinPrecision: Get<u32>;
		/// Longest geohash a location may have (at most 12).
		#[pallet::constant]
		type MaxPrecision: Get<u32>;
		/// Shortest region a venue locator may have and still register cells in it on its
		/// own: the authority's consent to a venue's cells is the region it whitelisted the
		/// venue for.
		#[pallet::constant]
		type MinVenueRegionPrecision: Get<u32>;
		/// History entries kept per cell (older ones, and those outside the window, drop out).
		#[pallet::constant]
		type MaxHistory: Get<u32>;
		/// Days a per-cell visit counter is kept.
		#[pallet::constant]
		type VisitRetentionDays: Get<u32>;
		/// Weights of this pallet's calls and hooks.
		type WeightInfo: WeightInfo;
		/// Moves the clock in benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: epichain_primitives::traits::BenchmarkClock;
	}

	/// The registered locations whose material is known (not `Unknown`): what the matcher reads
	/// to weigh contacts by surface.
	// Hasher: Blake2_128Concat — cells are chosen by callers.
	#[pallet::storage]
	pub type Materials<T: Config> = StorageMap<_, Blake2_128Concat, Geohash, SurfaceMaterial>;

	/// Registered locations.
	// Hasher: Blake2_128Concat — cells are chosen by callers.
	#[pallet::storage]
	pub type Locations<T: Config> =
		StorageMap<_, Blake2_128Concat, Geohash, LocationInfo<T::AccountId>>;

	/// Number of registered locations.
	#[pallet::storage]
	pub type LocationCount<T> = StorageValue<_, u32, ValueQuery>;

	/// Infected cells by the day their infection expires: (expiry day, cell) -> expiry (unix s).
	// Hasher: Twox64Concat for the day (chain clock), Blake2_128Concat for the cell.
	#[pallet::storage]
	pub type Expiring<T> =
		StorageDoubleMap<_, Twox64Concat, DayIndex, Blake2_128Concat, Geohash, u64>;

	/// Region aggregates: (expiry day, prefix) -> infected cells under the prefix expiring that
	/// day. Every prefix of a cell, the empty one (the world) included, is counted.
	// Hasher: Twox64Concat for the day, Blake2_128Concat for the prefix.
	#[pallet::storage]
	pub type InfectedByExpiry<T> =
		StorageDoubleMap<_, Twox64Concat, DayIndex, Blake2_128Concat, Prefix, u32, ValueQuery>;

	/// Check-ins per (day, cell).
	// Hasher: Twox64Concat for the day, Blake2_128Concat for the cell.
	#[pallet::storage]
	pub type Visits<T> =
		StorageDoubleMap<_, Twox64Concat, DayIndex, Blake2_128Concat, Geohash, u32, ValueQuery>;

	/// Each cell's recent transitions (inside the infection window).
	// Hasher: Blake2_128Concat — cells are chosen by callers.
	#[pallet::storage]
	pub type History<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		Geohash,
		BoundedVec<HistoryEntry, T::MaxHistory>,
		ValueQuery,
	>;

	/// The oldest expiry day that may still have buckets in state.
	#[pallet::storage]
	pub type BucketCursor<T> = StorageValue<_, DayIndex>;

	/// The oldest day that may still have visit counters in state.
	#[pallet::storage]
	pub type VisitCursor<T> = StorageValue<_, DayIndex>;

	/// Which cells each case infected, by the day that infection expires: (expiry day, case,
	/// cell). What a revocation withdraws; a day's entries leave state with the day.
	// Hasher: Twox64Concat for the day and the case (chain-assigned), Blake2_128Concat for the
	// cell.
	#[pallet::storage]
	pub type CaseCells<T> = StorageNMap<
		_,
		(
			NMapKey<Twox64Concat, DayIndex>,
			NMapKey<Twox64Concat, CaseId>,
			NMapKey<Blake2_128Concat, Geohash>,
		),
		(),
	>;

	/// Revoked cases whose infections are being withdrawn: case -> (the next expiry day to
	/// withdraw, the last one). Worked through by `on_idle`, normally in the revocation's
	/// own block.
	// Hasher: Twox64Concat — cases are chain-assigned.
	#[pallet::storage]
	pub type Withdrawing<T> = StorageMap<_, Twox64Concat, CaseId, (DayIndex, DayIndex)>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// GenerateContract: a cell became a location (Empty).
		LocationRegistered {
			/// The location's geohash cell.
			cell: Geohash,
			/// The venue locator that may mark it cleaned (`None`: only the authority).
			operator: Option<T::AccountId>,
			/// Its surface material.
			material: SurfaceMaterial,
		},
		/// NormalUserCheckin: `visits` check-ins at `cell` on `day`.
		CheckedIn {
			/// The location's geohash cell.
			cell: Geohash,
			/// The day of the check-ins (day index).
			day: DayIndex,
			/// Number of check-ins.
			visits: u32,
			/// The cell's state after the check-ins.
			state: CellState,
		},
		/// A case was at the location: Infected until `until` (unix seconds).
		LocationInfected {
			/// The location's geohash cell.
			cell: Geohash,
			/// What reported the infection: a matcher's finding or the authority.
			source: InfectionSource,
			/// Infections since the cell was last not Infected, this one included.
			cases: u32,
			/// When the infection window ends (unix seconds).
			until: u64,
		},
		/// LocationisCleaned.
		LocationCleaned {
			/// The location's geohash cell.
			cell: Geohash,
		},
		/// Wait14Days: the infection window ended (recorded on the cell's next write).
		LocationDecayed {
			/// The location's geohash cell.
			cell: Geohash,
			/// When the infection window ended (unix seconds).
			at: u64,
		},
		/// The authority removed a location; a running infection there no longer counts.
		LocationRemoved {
			/// The removed location's geohash cell.
			cell: Geohash,
		},
		/// A revoked case's infection of the cell was withdrawn; `state` is the cell's state
		/// now (what it was before the infection, if nothing else keeps it Infected).
		InfectionWithdrawn {
			/// The location's geohash cell.
			cell: Geohash,
			/// The revoked case whose infection was withdrawn.
			case: CaseId,
			/// The cell's state after the withdrawal.
			state: CellState,
		},
		/// The authority named another operator (or none).
		OperatorChanged {
			/// The location's geohash cell.
			cell: Geohash,
			/// The new operator (`None`: only the authority may mark it cleaned).
			operator: Option<T::AccountId>,
		},
		/// The authority changed a location's surface material.
		MaterialChanged {
			/// The location's geohash cell.
			cell: Geohash,
			/// The new surface material.
			material: SurfaceMaterial,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The cell is already a location.
		LocationExists,
		/// The cell is not a registered location.
		UnknownLocation,
		/// The cell's precision is outside `MinPrecision..=MaxPrecision`.
		BadPrecision,
		/// The caller is neither the authority nor a venue locator for the cell.
		NotAllowed,
		/// The caller is neither the authority nor the cell's operator.
		NotOperator,
		/// Only an Infected cell can be cleaned.
		NotInfected,
		/// The venue's region is coarser than `MinVenueRegionPrecision`: the authority
		/// registers its cells.
		VenueRegionTooCoarse,
		/// An operator must be an active venue locator whose region holds the cell.
		OperatorNotVenue,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_idle(_n: BlockNumberFor<T>, remaining: Weight) -> Weight {
			// Withdrawals first: a revoked case's cells leave their infection at once.
			let used = Self::withdraw_queued(remaining);
			used.saturating_add(Self::prune(remaining.saturating_sub(used)))
		}

		fn integrity_test() {
			assert!(T::MinPrecision::get() >= 1);
			assert!(T::MinVenueRegionPrecision::get() <= T::MaxPrecision::get());
			assert!(
				T::MinPrecision::get() <= T::MaxPrecision::get() && T::MaxPrecision::get() <= 12
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Register `cell` as a location (GenerateContract), naming who may mark it cleaned and
		/// its surface `material` (`Unknown` when not known).
		///
		/// ## Dispatch Origin
		/// [`Config::AuthorityOrigin`], or _Signed_ by an active venue locator whose region holds
		/// the cell and is at least [`Config::MinVenueRegionPrecision`] long (the venue becomes
		/// the operator if none is named).
		///
		/// ## Errors
		/// [`Error::NotAllowed`], [`Error::VenueRegionTooCoarse`], [`Error::OperatorNotVenue`],
		/// [`Error::BadPrecision`], [`Error::LocationExists`].
		///
		/// ## Events
		/// `LocationRegistered`.
		#[pallet::call_index(0)]
		// Measured from the authority; a venue's own registration reads its locator entry too.
		#[pallet::weight(T::WeightInfo::register_location().saturating_add(T::DbWeight::get().reads(1)))]
		pub fn register_location(
			origin: OriginFor<T>,
			cell: Geohash,
			operator: Option<T::AccountId>,
			material: SurfaceMaterial,
		) -> DispatchResult {
			let operator = match T::AuthorityOrigin::try_origin(origin) {
				Ok(_) => operator,
				Err(origin) => {
					let who = ensure_signed(origin)?;
					let region = T::VenueLocators::active_venue_region(&who)
						.ok_or(Error::<T>::NotAllowed)?;
					ensure!(cell.is_within(&region), Error::<T>::NotAllowed);
					ensure!(
						region.len() as u32 >= T::MinVenueRegionPrecision::get(),
						Error::<T>::VenueRegionTooCoarse
					);
					operator.or(Some(who))
				},
			};
			Self::ensure_operator_may_act(&cell, operator.as_ref())?;
			Self::do_register(cell, operator, material)
		}

		/// Mark an Infected location cleaned (LocationisCleaned).
		///
		/// ## Dispatch Origin
		/// [`Config::AuthorityOrigin`], or _Signed_ by the cell's operator while it is an active
		/// venue locator whose region holds the cell.
		///
		/// ## Errors
		/// [`Error::UnknownLocation`], [`Error::NotOperator`], [`Error::NotInfected`] (Empty and
		/// Clean cells, including Infected ones whose window is over: there is nothing to clean).
		///
		/// ## Events
		/// `LocationCleaned` (after `LocationDecayed` if the window had ended).
		#[pallet::call_index(1)]
		// Measured from the authority; an operator's cleaning reads its locator entry too.
		#[pallet::weight(T::WeightInfo::mark_cleaned().saturating_add(T::DbWeight::get().reads(1)))]
		pub fn mark_cleaned(origin: OriginFor<T>, cell: Geohash) -> DispatchResult {
			let info = Locations::<T>::get(cell).ok_or(Error::<T>::UnknownLocation)?;
			if let Err(origin) = T::AuthorityOrigin::try_origin(origin) {
				let who = ensure_signed(origin)?;
				ensure!(
					info.operator.as_ref() == Some(&who)
						&& T::VenueLocators::is_active_venue_for(&who, &cell),
					Error::<T>::NotOperator
				);
			}
			Self::apply(cell, Transition::Cleaned).map(|_| ())
		}

		/// Declare `cell` a cluster site: Infected now (or its window restarts).
		///
		/// ## Dispatch Origin
		/// [`Config::AuthorityOrigin`]. Matchers' findings arrive through
		/// [`epichain_primitives::traits::LocationInfections`] instead.
		///
		/// ## Errors
		/// [`Error::UnknownLocation`].
		///
		/// ## Events
		/// `LocationInfected`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::mark_infected())]
		pub fn mark_infected(origin: OriginFor<T>, cell: Geohash) -> DispatchResult {
			T::AuthorityOrigin::ensure_origin(origin)?;
			Self::apply_at(
				cell,
				Transition::Infected(InfectionSource::Authority),
				Self::now(),
				None,
			)
			.map(|_| ())
		}

		/// Remove a location: its state, history and material leave state, and an infection
		/// running there stops counting in the region aggregates. Its check-in counters leave
		/// with their day.
		///
		/// ## Dispatch Origin
		/// [`Config::AuthorityOrigin`].
		///
		/// ## Errors
		/// [`Error::UnknownLocation`].
		///
		/// ## Events
		/// `LocationRemoved`.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::remove_location())]
		pub fn remove_location(origin: OriginFor<T>, cell: Geohash) -> DispatchResult {
			T::AuthorityOrigin::ensure_origin(origin)?;
			let info = Locations::<T>::take(cell).ok_or(Error::<T>::UnknownLocation)?;
			if let CellState::Infected { since, .. } = info.state {
				Self::unfile(cell, since.saturating_add(T::InfectionWindow::get()));
			}
			Materials::<T>::remove(cell);
			History::<T>::remove(cell);
			LocationCount::<T>::mutate(|n| *n = n.saturating_sub(1));
			Self::deposit_event(Event::LocationRemoved { cell });
			Ok(())
		}

		/// Name another operator for a location, or none (only the authority cleans it then).
		///
		/// ## Dispatch Origin
		/// [`Config::AuthorityOrigin`].
		///
		/// ## Errors
		/// [`Error::UnknownLocation`], [`Error::OperatorNotVenue`].
		///
		/// ## Events
		/// `OperatorChanged`.
		#[pallet::call_index(4)]
		// Measured naming no operator; naming one reads its locator entry.
		#[pallet::weight(T::WeightInfo::set_operator().saturating_add(T::DbWeight::get().reads(1)))]
		pub fn set_operator(
			origin: OriginFor<T>,
			cell: Geohash,
			operator: Option<T::AccountId>,
		) -> DispatchResult {
			T::AuthorityOrigin::ensure_origin(origin)?;
			Self::ensure_operator_may_act(&cell, operator.as_ref())?;
			Locations::<T>::try_mutate(cell, |info| -> DispatchResult {
				let info = info.as_mut().ok_or(Error::<T>::UnknownLocation)?;
				info.operator = operator.clone();
				Ok(())
			})?;
			Self::deposit_event(Event::OperatorChanged { cell, operator });
			Ok(())
		}

		/// Change a location's surface material (the matcher reads it from the next block).
		///
		/// ## Dispatch Origin
		/// [`Config::AuthorityOrigin`].
		///
		/// ## Errors
		/// [`Error::UnknownLocation`].
		///
		/// ## Events
		/// `MaterialChanged`.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::set_material())]
		pub fn set_material(
			origin: OriginFor<T>,
			cell: Geohash,
			material: SurfaceMaterial,
		) -> DispatchResult {
			T::AuthorityOrigin::ensure_origin(origin)?;
			Locations::<T>::try_mutate(cell, |info| -> DispatchResult {
				let info = info.as_mut().ok_or(Error::<T>::UnknownLocation)?;
				info.material = material;
				Ok(())
			})?;
			if material == SurfaceMaterial::Unknown {
				Materials::<T>::remove(cell);
			} else {
				Materials::<T>::insert(cell, material);
			}
			Self::deposit_event(Event::MaterialChanged { cell, material });
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// Unix seconds now.
		pub fn now() -> u64 {
			T::UnixTime::now().as_secs()
		}

		/// An operator the authority names must be able to act: an active venue locator whose
		/// region holds the cell (none at all is always fine).
		fn ensure_operator_may_act(
			cell: &Geohash,
			operator: Option<&T::AccountId>,
		) -> DispatchResult {
			if let Some(operator) = operator {
				ensure!(
					T::VenueLocators::is_active_venue_for(operator, cell),
					Error::<T>::OperatorNotVenue
				);
			}
			Ok(())
		}

		/// `state` with Wait14Days applied at `now`.
		pub fn effective_state(state: CellState, now: u64) -> CellState {
			match state {
				CellState::Infected { since, .. }
					if now >= since.saturating_add(T::InfectionWindow::get()) =>
				{
					CellState::Clean { since: since.saturating_add(T::InfectionWindow::get()) }
				},
				s => s,
			}
		}

		/// Registers `cell` with `operator` and `material` (no origin check: callers have done
		/// it).
		pub fn do_register(
			cell: Geohash,
			operator: Option<T::AccountId>,
			material: SurfaceMaterial,
		) -> DispatchResult {
			let len = cell.len() as u32;
			ensure!(
				T::MinPrecision::get() <= len && len <= T::MaxPrecision::get(),
				Error::<T>::BadPrecision
			);
			ensure!(!Locations::<T>::contains_key(cell), Error::<T>::LocationExists);
			Locations::<T>::insert(
				cell,
				LocationInfo {
					state: CellState::Empty,
					operator: operator.clone(),
					material,
					infection: None,
				},
			);
			if material != SurfaceMaterial::Unknown {
				Materials::<T>::insert(cell, material);
			}
			LocationCount::<T>::mutate(|n| *n = n.saturating_add(1));
			let now = Self::now();
			Self::record(
				cell,
				now,
				&[HistoryEntry { at: now, transition: Transition::Registered }],
			);
			Self::deposit_event(Event::LocationRegistered { cell, operator, material });
			Ok(())
		}

		/// Applies `event` to `cell` now: lazy decay first, then the state machine, the region
		/// aggregates, the history and the events. Returns the new state.
		pub(crate) fn apply(cell: Geohash, event: Transition) -> Result<CellState, DispatchError> {
			Self::apply_at(cell, event, Self::now(), None)
		}

		/// [`Self::apply`] for an event that counts from `at` (an infection from the end of
		/// the visit's day), recorded now; an infection names the `case` behind it (`None`:
		/// the authority's, never withdrawn).
		pub(crate) fn apply_at(
			cell: Geohash,
			event: Transition,
			at: u64,
			case: Option<CaseId>,
		) -> Result<CellState, DispatchError> {
			let mut info = Locations::<T>::get(cell).ok_or(Error::<T>::UnknownLocation)?;
			let now = Self::now();
			let effective = Self::effective_state(info.state, now);
			let mut history = Vec::with_capacity(2);
			if let CellState::Infected { since, .. } = info.state {
				if effective != info.state {
					let at = since.saturating_add(T::InfectionWindow::get());
					history.push(HistoryEntry { at, transition: Transition::Decayed });
					Self::deposit_event(Event::LocationDecayed { cell, at });
				}
			}
			let next = transition(effective, event, at).map_err(|e| match e {
				TransitionError::LocationExists => Error::<T>::LocationExists,
				TransitionError::NotInfected | TransitionError::NotExpired => {
					Error::<T>::NotInfected
				},
			})?;
			// Leaving the stored Infected state (decayed, cleaned or re-infected): unfile it.
			if let CellState::Infected { since, .. } = info.state {
				if next != info.state {
					Self::unfile(cell, since.saturating_add(T::InfectionWindow::get()));
				}
			}
			if let CellState::Infected { since, cases } = next {
				if next != info.state {
					let until = since.saturating_add(T::InfectionWindow::get());
					Self::file(cell, until);
					if let Transition::Infected(source) = event {
						Self::deposit_event(Event::LocationInfected { cell, source, cases, until });
					}
				}
			}
			if event == Transition::Cleaned {
				Self::deposit_event(Event::LocationCleaned { cell });
			}
			if event != Transition::CheckedIn || next != effective {
				history.push(HistoryEntry { at: now, transition: event });
			}
			Self::record(cell, now, &history);
			info.infection = match (next, event) {
				(CellState::Infected { .. }, Transition::Infected(_)) => {
					let mut infection = match (effective, info.infection.take()) {
						(CellState::Infected { .. }, Some(infection)) => infection,
						_ => {
							Infection { before: effective, cases: Default::default(), pinned: None }
						},
					};
					infection.add(case, at);
					if let Some(case) = case {
						Self::attribute(cell, case, at);
					}
					Some(infection)
				},
				(CellState::Infected { .. }, _) => info.infection.take(),
				_ => None,
			};
			info.state = next;
			Locations::<T>::insert(cell, info);
			Ok(next)
		}

		/// Records that `case` infected `cell` from `at`, under the day that infection expires.
		fn attribute(cell: Geohash, case: CaseId, at: u64) {
			let day = (at.saturating_add(T::InfectionWindow::get()) / SECONDS_PER_DAY) as DayIndex;
			CaseCells::<T>::insert((day, case, cell), ());
			if BucketCursor::<T>::get().is_none_or(|c| day < c) {
				BucketCursor::<T>::put(day);
			}
		}

		/// The expiry days of the infections of a case whose visits fell in `visits`.
		pub fn expiry_days(visits: DayWindow) -> (DayIndex, DayIndex) {
			let window_days = (T::InfectionWindow::get() / SECONDS_PER_DAY) as DayIndex;
			// A visit on day d infects until the window after the end of d.
			let expiry = |d: DayIndex| d.saturating_add(1).saturating_add(window_days);
			(expiry(visits.first), expiry(visits.last))
		}

		/// Withdraws `case`'s infection of `cell`. A cell that nothing else keeps Infected
		/// returns to the state it had before; otherwise its infection counts from the latest
		/// of the others. Nothing happens if the case's infection is no longer there (the cell
		/// was cleaned, decayed, removed, or re-infected since by so many cases that this one's
		/// was pinned).
		pub(crate) fn withdraw_infection(cell: Geohash, case: CaseId) {
			let Some(mut info) = Locations::<T>::get(cell) else { return };
			let now = Self::now();
			let CellState::Infected { since, cases } = Self::effective_state(info.state, now)
			else {
				return;
			};
			let Some(infection) = info.infection.as_mut() else { return };
			let Some(i) = infection.cases.iter().position(|(c, _)| *c == case) else { return };
			infection.cases.remove(i);
			let window = T::InfectionWindow::get();
			let latest = infection.since();
			if latest != Some(since) {
				Self::unfile(cell, since.saturating_add(window));
				if let Some(until) = latest.map(|l| l.saturating_add(window)).filter(|u| *u > now) {
					Self::file(cell, until);
				}
			}
			let next = match latest {
				Some(latest) => {
					CellState::Infected { since: latest, cases: cases.saturating_sub(1).max(1) }
				},
				None => infection.before,
			};
			if !matches!(next, CellState::Infected { .. }) {
				info.infection = None;
			}
			info.state = next;
			Locations::<T>::insert(cell, info);
			Self::record(cell, now, &[HistoryEntry { at: now, transition: Transition::Withdrawn }]);
			Self::deposit_event(Event::InfectionWithdrawn { cell, case, state: next });
		}

		/// Works through the revoked cases' infections while `remaining` allows, one cell per
		/// step; returns the weight used.
		pub fn withdraw_queued(remaining: Weight) -> Weight {
			let step = T::WeightInfo::withdraw_step();
			let mut used = T::DbWeight::get().reads(1);
			if remaining.any_lt(used.saturating_add(step)) {
				return Weight::zero();
			}
			// One iterator per block over the queue, and one per (day, case) prefix: removing
			// as it goes, so each key is walked once.
			// Each case takes at least one step (closing a day), so no more are read than can
			// move.
			let most = steps_left(remaining, used, step);
			let queued: Vec<(CaseId, (DayIndex, DayIndex))> =
				Withdrawing::<T>::iter().take(most as usize).collect();
			for (case, (mut day, last)) in queued {
				loop {
					if remaining.any_lt(used.saturating_add(step)) {
						Withdrawing::<T>::insert(case, (day, last));
						return used;
					}
					let budget = steps_left(remaining, used, step);
					let cells: Vec<Geohash> = CaseCells::<T>::iter_key_prefix((day, case))
						.take(budget as usize)
						.collect();
					for cell in &cells {
						CaseCells::<T>::remove((day, case, *cell));
						Self::withdraw_infection(*cell, case);
					}
					used = used.saturating_add(step.saturating_mul(cells.len() as u64));
					if cells.len() as u32 == budget {
						Withdrawing::<T>::insert(case, (day, last));
						return used;
					}
					// The day is done: one step moves to the next.
					used = used.saturating_add(step);
					if day >= last {
						Withdrawing::<T>::remove(case);
						break;
					}
					day = day.saturating_add(1);
				}
			}
			used
		}

		fn prefixes(cell: &Geohash) -> impl Iterator<Item = Prefix> + '_ {
			(0..=cell.len()).map(move |l| Prefix::truncate_from(cell.as_bytes()[..l].to_vec()))
		}

		/// Files an infection expiring at `until` under every prefix of `cell`.
		pub(crate) fn file(cell: Geohash, until: u64) {
			let day = (until / SECONDS_PER_DAY) as DayIndex;
			Expiring::<T>::insert(day, cell, until);
			for p in Self::prefixes(&cell) {
				InfectedByExpiry::<T>::mutate(day, p, |n| *n = n.saturating_add(1));
			}
			if BucketCursor::<T>::get().is_none_or(|c| day < c) {
				BucketCursor::<T>::put(day);
			}
		}

		/// Removes the infection of `cell` expiring at `until`, if still filed.
		fn unfile(cell: Geohash, until: u64) {
			let day = (until / SECONDS_PER_DAY) as DayIndex;
			if Expiring::<T>::take(day, cell).is_some() {
				for p in Self::prefixes(&cell) {
					InfectedByExpiry::<T>::mutate_exists(day, p, |n| {
						*n = n.and_then(|n| n.checked_sub(1)).filter(|n| *n > 0)
					});
				}
			}
		}

		/// Appends `entries` to the cell's history in one write, keeping only what is inside
		/// the window at `now` and at most `MaxHistory` entries (oldest dropped first).
		fn record(cell: Geohash, now: u64, entries: &[HistoryEntry]) {
			if entries.is_empty() {
				return;
			}
			let window = T::InfectionWindow::get();
			let live = |e: &HistoryEntry| e.at.saturating_add(window) > now;
			History::<T>::mutate(cell, |h| {
				h.retain(|e| live(e));
				for entry in entries.iter().filter(|e| live(e)) {
					if h.is_full() {
						h.remove(0);
					}
					let _ = h.try_push(*entry);
				}
			});
		}

		/// Counts `visits` check-ins at `cell` on `day`; cells that are not locations are
		/// ignored (a check-in never fails: it applies to every state).
		pub(crate) fn check_in(cell: &Geohash, day: DayIndex, visits: u32) {
			let Ok(state) = Self::apply(*cell, Transition::CheckedIn) else { return };
			Visits::<T>::mutate(day, cell, |n| *n = n.saturating_add(visits));
			if VisitCursor::<T>::get().is_none_or(|c| day < c) {
				VisitCursor::<T>::put(day);
			}
			Self::deposit_event(Event::CheckedIn { cell: *cell, day, visits, state });
		}

		/// A location as a query at `now` sees it.
		pub fn view(cell: &Geohash, now: u64) -> Option<LocationView<T::AccountId>> {
			let info = Locations::<T>::get(cell)?;
			Some(LocationView {
				state: Self::effective_state(info.state, now),
				operator: info.operator,
				material: info.material,
				visits_today: Visits::<T>::get((now / SECONDS_PER_DAY) as DayIndex, cell),
			})
		}

		/// Up to `limit` (at most [`MAX_MATERIALS_PER_QUERY`]) locations with a known material,
		/// in storage order, after `after` (a page's last cell; `None` from the start).
		pub fn materials(after: Option<Geohash>, limit: u32) -> Vec<(Geohash, SurfaceMaterial)> {
			let iter = match after {
				Some(cell) => Materials::<T>::iter_from(Materials::<T>::hashed_key_for(cell)),
				None => Materials::<T>::iter(),
			};
			iter.take(limit.min(MAX_MATERIALS_PER_QUERY) as usize).collect()
		}

		/// Days whose buckets may hold infections that are still running at `now`.
		fn live_days(now: u64) -> core::ops::RangeInclusive<DayIndex> {
			let today = (now / SECONDS_PER_DAY) as DayIndex;
			let window_days = T::InfectionWindow::get().div_ceil(SECONDS_PER_DAY) as DayIndex;
			today..=today.saturating_add(window_days).saturating_add(1)
		}

		/// Cells under `prefix` (empty: everywhere) that are Infected at `now`: the sum of the
		/// buckets expiring after today, plus today's cells whose expiry is still ahead.
		pub fn infected_count(prefix: &[u8], now: u64) -> u32 {
			let Ok(key) = Prefix::try_from(prefix.to_vec()) else { return 0 };
			let days = Self::live_days(now);
			let today = *days.start();
			let later: u32 = days
				.skip(1)
				.map(|d| InfectedByExpiry::<T>::get(d, &key))
				.fold(0, |a, n| a.saturating_add(n));
			let today_live = Expiring::<T>::iter_prefix(today)
				.filter(|(cell, until)| cell.is_within(prefix) && *until > now)
				.count() as u32;
			later.saturating_add(today_live)
		}

		/// Up to `limit` cells under `prefix` Infected at `now`.
		pub fn infected_cells(prefix: &[u8], now: u64, limit: u32) -> Vec<Geohash> {
			Self::live_days(now)
				.flat_map(Expiring::<T>::iter_prefix)
				.filter(|(cell, until)| cell.is_within(prefix) && *until > now)
				.map(|(cell, _)| cell)
				.take(limit as usize)
				.collect()
		}

		/// Removes stale buckets (expired before today) and old visit counters while
		/// `remaining` allows; returns the weight used.
		pub fn prune(remaining: Weight) -> Weight {
			let step = T::WeightInfo::prune_step();
			let mut used = T::DbWeight::get().reads(2);
			if remaining.any_lt(used.saturating_add(step)) {
				return Weight::zero();
			}
			let today = (Self::now() / SECONDS_PER_DAY) as DayIndex;
			let fits = |used: Weight| !remaining.any_lt(used.saturating_add(step));
			let steps = |used: Weight| steps_left(remaining, used, step);
			// One key per step: a day's filings first, then its buckets, then one step to move
			// to the next day. Each map's day is read through one iterator: a fresh iterator
			// per key would walk every key already removed in this block, so k removals would
			// cost O(k^2) while the weight charges k steps.
			while let Some(day) = BucketCursor::<T>::get().filter(|d| *d < today) {
				if !fits(used) {
					return used;
				}
				let budget = steps(used);
				let filings: Vec<Geohash> =
					Expiring::<T>::iter_key_prefix(day).take(budget as usize).collect();
				for cell in &filings {
					Expiring::<T>::remove(day, cell);
				}
				let left = budget - filings.len() as u32;
				let buckets: Vec<Prefix> =
					InfectedByExpiry::<T>::iter_key_prefix(day).take(left as usize).collect();
				for prefix in &buckets {
					InfectedByExpiry::<T>::remove(day, prefix);
				}
				// The day's case attributions: those infections are over, nothing to withdraw.
				let left = left - buckets.len() as u32;
				let attributions: Vec<(CaseId, Geohash)> =
					CaseCells::<T>::iter_key_prefix((day,)).take(left as usize).collect();
				for (case, cell) in &attributions {
					CaseCells::<T>::remove((day, *case, *cell));
				}
				let removed = (filings.len() + buckets.len() + attributions.len()) as u64;
				used = used.saturating_add(step.saturating_mul(removed));
				if removed == budget as u64 {
					return used;
				}
				used = used.saturating_add(step);
				BucketCursor::<T>::put(day.saturating_add(1));
			}
			let keep = T::VisitRetentionDays::get();
			while let Some(day) =
				VisitCursor::<T>::get().filter(|d| d.saturating_add(keep) <= today)
			{
				if !fits(used) {
					return used;
				}
				let budget = steps(used);
				let cells: Vec<Geohash> =
					Visits::<T>::iter_key_prefix(day).take(budget as usize).collect();
				for cell in &cells {
					Visits::<T>::remove(day, cell);
				}
				used = used.saturating_add(step.saturating_mul(cells.len() as u64));
				if cells.len() as u32 == budget {
					return used;
				}
				used = used.saturating_add(step);
				VisitCursor::<T>::put(day.saturating_add(1));
			}
			used
		}

		/// Invariants: the location count; every live filed infection belongs to an Infected
		/// cell with that exact expiry; every live region bucket equals the cells filed under it;
		/// every cell Infected now is filed.
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			for (cell, info) in Locations::<T>::iter() {
				ensure!(
					Materials::<T>::get(cell)
						== (info.material != SurfaceMaterial::Unknown).then_some(info.material),
					"Materials does not mirror the locations' known materials"
				);
			}
			ensure!(
				Materials::<T>::iter_keys().all(Locations::<T>::contains_key),
				"a material of no location"
			);
			ensure!(
				Locations::<T>::iter().count() as u32 == LocationCount::<T>::get(),
				"LocationCount does not match the locations"
			);
			let now = Self::now();
			let today = (now / SECONDS_PER_DAY) as DayIndex;
			let window = T::InfectionWindow::get();
			for (day, cell, until) in Expiring::<T>::iter().filter(|(d, _, _)| *d >= today) {
				ensure!((until / SECONDS_PER_DAY) as DayIndex == day, "filed under the wrong day");
				match Locations::<T>::get(cell).map(|l| l.state) {
					Some(CellState::Infected { since, .. }) => {
						ensure!(since.saturating_add(window) == until, "filed expiry mismatch")
					},
					_ => return Err("a filed infection of a cell that is not Infected".into()),
				}
			}
			for (day, prefix, n) in InfectedByExpiry::<T>::iter().filter(|(d, _, _)| *d >= today) {
				let cells =
					Expiring::<T>::iter_prefix(day).filter(|(c, _)| c.is_within(&prefix)).count();
				ensure!(cells as u32 == n, "region aggregate differs from its cells");
			}
			for (_, info) in Locations::<T>::iter() {
				match (&info.state, &info.infection) {
					(CellState::Infected { since, .. }, Some(infection)) => ensure!(
						infection.since() == Some(*since),
						"an Infected cell's state does not count from its latest infection"
					),
					(CellState::Infected { .. }, None) => {
						return Err("an Infected cell names nothing that infected it".into())
					},
					(_, Some(_)) => {
						return Err("a cell that is not Infected keeps infections".into())
					},
					(_, None) => {},
				}
			}
			for (cell, info) in Locations::<T>::iter() {
				if let CellState::Infected { since, .. } = info.state {
					let until = since.saturating_add(window);
					if until > now {
						ensure!(
							Expiring::<T>::get((until / SECONDS_PER_DAY) as DayIndex, cell)
								== Some(until),
							"an Infected cell is not filed"
						);
					}
				}
			}
			Ok(())
		}
	}
}

impl<T: Config> epichain_primitives::traits::CheckIns for Pallet<T> {
	fn on_check_ins(cell: &Geohash, day: DayIndex, visits: u32) {
		Self::check_in(cell, day, visits)
	}
}

impl<T: Config> epichain_primitives::traits::LocationInfections for Pallet<T> {
	fn infect(
		cell: &Geohash,
		source: InfectionSource,
		day: DayIndex,
		case: CaseId,
	) -> Result<bool, epichain_primitives::traits::UnknownLocation> {
		use epichain_primitives::traits::UnknownLocation;
		if !Locations::<T>::contains_key(cell) {
			return Err(UnknownLocation);
		}
		// Infected from the visit, to the day: until the window after the visit's day ends.
		let at = (day as u64).saturating_add(1).saturating_mul(SECONDS_PER_DAY);
		if at.saturating_add(<T::InfectionWindow as frame_support::traits::Get<u64>>::get())
			<= Self::now()
		{
			return Ok(false);
		}
		Self::apply_at(*cell, Transition::Infected(source), at, Some(case))
			.map(|_| true)
			.map_err(|_| UnknownLocation)
	}

	fn withdraw(case: CaseId, visits: DayWindow) {
		let (first, last) = Self::expiry_days(visits);
		// Days already over hold nothing to withdraw.
		let today = (Self::now() / SECONDS_PER_DAY) as DayIndex;
		Withdrawing::<T>::insert(case, (first.max(today), last));
	}
}

//! Storage migrations of the locations pallet.
//!
//! Each migration moves the pallet's storage from one [`crate::STORAGE_VERSION`] to the next
//! and runs once: [`frame_support::migrations::VersionedMigration`] checks the on-chain version
//! before and sets it after. The runtime lists the migrations of the releases a live region may
//! still run (docs/DESIGN.md, "Runtime upgrades").

/// Version 0 to 1: every location learns who keeps it Infected.
///
/// A version-0 location holds its state, operator and material. Version 1 adds
/// [`crate::LocationInfo::infection`]: the cases behind a running infection, so that revoking a
/// case withdraws its infections. Infections recorded before the upgrade named no case, so
/// they migrate as *pinned* (never withdrawn by a revocation, and running their full window).
/// State, operator and material carry over unchanged.
///
/// Cost: one read and one write per registered location, in the upgrade's block.
pub mod v1 {
	use crate::{CellState, Config, Infection, LocationInfo, Locations, Pallet, SurfaceMaterial};
	use codec::{Decode, Encode};
	use frame_support::{
		migrations::VersionedMigration,
		traits::{Get, UncheckedOnRuntimeUpgrade},
		weights::Weight,
	};
	#[cfg(feature = "try-runtime")]
	use {
		alloc::vec::Vec, epichain_primitives::geohash::Geohash, frame_support::ensure,
		sp_runtime::TryRuntimeError,
	};

	/// A location as storage version 0 held it.
	#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
	pub struct LocationInfoV0<AccountId> {
		/// Its state as last written.
		pub state: CellState,
		/// Who may mark it cleaned besides the authority.
		pub operator: Option<AccountId>,
		/// Its surfaces.
		pub material: SurfaceMaterial,
	}

	impl<AccountId> LocationInfoV0<AccountId> {
		/// The version-1 record: the same location, its running infection pinned.
		pub fn migrate(self) -> LocationInfo<AccountId> {
			let infection = match self.state {
				CellState::Infected { since, .. } => Some(Infection {
					before: CellState::Empty,
					cases: Default::default(),
					pinned: Some(since),
				}),
				_ => None,
			};
			LocationInfo {
				state: self.state,
				operator: self.operator,
				material: self.material,
				infection,
			}
		}
	}

	/// The migration itself, without the version check: use [`MigrateV0ToV1`].
	pub struct InnerMigrateV0ToV1<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV0ToV1<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut n = 0u64;
			Locations::<T>::translate::<LocationInfoV0<T::AccountId>, _>(|_, old| {
				n += 1;
				Some(old.migrate())
			});
			T::DbWeight::get().reads_writes(n, n)
		}

		/// Every version-0 location, to compare with what the migration made of it.
		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, TryRuntimeError> {
			let before: Vec<(Geohash, LocationInfoV0<T::AccountId>)> = Locations::<T>::iter_keys()
				.map(|cell| {
					let raw = frame_support::storage::unhashed::get_raw(
						&Locations::<T>::hashed_key_for(cell),
					)
					.ok_or("a listed location has no value")?;
					let old = LocationInfoV0::<T::AccountId>::decode(&mut &raw[..])
						.map_err(|_| "a location does not decode as version 0")?;
					Ok((cell, old))
				})
				.collect::<Result<_, TryRuntimeError>>()?;
			Ok(before.encode())
		}

		/// Every location is still there, with the same state, operator and material, and a
		/// running infection is pinned.
		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: Vec<u8>) -> Result<(), TryRuntimeError> {
			let before = Vec::<(Geohash, LocationInfoV0<T::AccountId>)>::decode(&mut &state[..])
				.map_err(|_| "pre_upgrade's record does not decode")?;
			ensure!(
				Locations::<T>::iter_keys().count() == before.len(),
				"the number of locations changed"
			);
			for (cell, old) in before {
				let new = Locations::<T>::get(cell).ok_or("a location was lost")?;
				ensure!(
					new.state == old.state
						&& new.operator == old.operator
						&& new.material == old.material,
					"a location's state, operator or material changed"
				);
				let pinned = match old.state {
					CellState::Infected { since, .. } => Some(since),
					_ => None,
				};
				ensure!(
					new.infection.as_ref().and_then(|i| i.pinned) == pinned
						&& new.infection.as_ref().is_none_or(|i| i.cases.is_empty()),
					"a running infection is not pinned"
				);
			}
			Pallet::<T>::do_try_state()
		}
	}

	/// Version 0 to 1, run once.
	pub type MigrateV0ToV1<T> = VersionedMigration<
		0,
		1,
		InnerMigrateV0ToV1<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}

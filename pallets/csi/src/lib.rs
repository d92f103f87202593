//! # CSI pallet: whitelisted locators and sealed crypto-spatiotemporal batches
//!
//! Wen et al.'s locators (transit gates, Wi-Fi access points, venues, trusted-app gateways) write
//! trajectory stays sealed to the matcher enclave. This pallet keeps the whitelist of
//! locators and accepts their batches.
//!
//! ## What the chain sees
//!
//! A batch names the sealing key it used, the writer's one-time X25519 key, the day and the
//! cell prefix it covers; its entries are opaque AES-GCM ciphertexts, each holding one owner's
//! pseudonym and stays. Nothing public ties a pseudonym to a locator or a place.
//!
//! An entry is sealed either by the locator, under the batch's one-time key, or by the owner's
//! own device under a one-time key of the device's (`epichain_primitives::csi`, "Device-sealed
//! entries"): a venue or an app gateway then batches and signs entries it cannot read. The chain
//! treats both alike except that it records each device entry's one-time key for its day
//! ([`UsedDeviceKeys`]) and refuses it a second time, in the pool and in the block. The entries
//! travel in the block body; state keeps only a small [`BatchMeta`] per batch and per-day
//! [`DayStats`], and both are removed when the day leaves the retention window.
//!
//! ## Who may write, and how junk is kept out of blocks
//!
//! `submit_batch` is an **authorized** call (`#[pallet::authorize]`): the locator signs the
//! batch (with the chain's genesis hash, so it cannot be replayed on another region's chain)
//! and anyone may relay it as a general transaction. The transaction pool runs every check
//! before the transaction is admitted: registered and active locator, cell inside the
//! locator's region, day in range, sealing key current, one-time key unused, bounds, quota and
//! signature. A refused batch never takes block space. Pool refusals are
//! `InvalidTransaction::Custom(i)` where `i` is the index of the [`Error`] variant in this
//! pallet's metadata, except the per-block quota, which is `ExhaustsResources` so the batch
//! waits for the next block.
//!
//! ## A fair pool
//!
//! Locators need no funds and no nonce, and the pool validates against the best block, where
//! the next block's per-locator usage is not known. So that no locator can fill the pool and
//! crowd the others out, every batch provides, besides its one-time key's tag, one tag per
//! *pool slot* it occupies ([`epichain_primitives::csi::PoolSlots`]): a locator has 16 slots,
//! each worth 1/16 of [`Config::MaxStaysPerLocatorPerBlock`], and the pool admits no two batches
//! of equal priority with a tag in common. What a locator holds in the pool is therefore never
//! more than one block takes from it, and flooding (or re-sending) only refuses the flooder's
//! own surplus, with the pool's "priority is too low" error. A locator with several batches in
//! flight seals each in its own slots (`epichain_primitives::sealing::seal_batch_in_slot`).
//!
//! ## Retention
//!
//! Days older than [`Config::RetentionDays`] are removed in bounded `on_idle` steps, oldest
//! first. Validators should run with `--blocks-pruning` of at least 14 days of blocks so they
//! hold no older ciphertexts either; archive nodes keep them, but their sealing keys are
//! shredded (see `pallet-matchers`).
//!
//! ## Pallet API
//!
//! Registry calls (from [`Config::AuthorityOrigin`]): [`Pallet::register_locator`],
//! [`Pallet::suspend_locator`], [`Pallet::resume_locator`], [`Pallet::remove_locator`].
//! Writing: [`Pallet::submit_batch`]. Reading: the [`runtime_api::CsiApi`] runtime API.

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

use alloc::vec::Vec;
use epichain_primitives::{csi, DayIndex};

/// First field of a batch's pool tag for its one-time key: `(this, day, one-time key)`.
pub const POOL_TAG_ONE_TIME_KEY: u8 = 0;
/// First field of a batch's pool tags for its locator's slots: `(this, locator, slot)`, one per
/// slot of [`csi::PoolSlots`].
pub const POOL_TAG_SLOT: u8 = 1;
/// First field of a batch's pool tags for its device entries: `(this, day, device's one-time
/// key)`, one per device entry, so two pending batches never carry the same device entry.
pub const POOL_TAG_DEVICE_KEY: u8 = 2;

/// The 32-byte message a locator signs for `batch` on the chain with genesis hash `genesis`
/// ([`epichain_primitives::signing::batch_payload`] of its header and entries).
pub fn batch_signing_payload(genesis: &[u8], batch: &CsiBatch) -> [u8; 32] {
	epichain_primitives::signing::batch_payload(genesis, &batch.header, &batch.entries)
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use epichain_primitives::traits::{SealingKeyStatus, SealingKeys};
	use frame_support::{
		pallet_prelude::*,
		traits::{BuildGenesisConfig, UnixTime},
	};
	use frame_system::pallet_prelude::*;
	use sp_core::H256;
	use sp_runtime::traits::{IdentifyAccount, Verify, Zero};

	/// The layout of this pallet's storage. Every change to it bumps this and ships a
	/// migration (see docs/DESIGN.md, "Runtime upgrades").
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// Who manages the locator whitelist (the regional health authority).
		type AuthorityOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// The signature a locator puts on its batches.
		type LocatorSignature: Verify<Signer: IdentifyAccount<AccountId = Self::AccountId>>
			+ Parameter;
		/// The matcher registry: which sealing keys are current.
		type SealingKeys: SealingKeys;
		/// Told how many check-ins each venue locator's batch holds (one per entry).
		type CheckIns: epichain_primitives::traits::CheckIns;
		/// Wall-clock time, to know today's day index.
		type UnixTime: UnixTime;
		/// Most entries (owners) in one batch.
		#[pallet::constant]
		type MaxEntriesPerBatch: Get<u32>;
		/// Most stays in one entry.
		#[pallet::constant]
		type MaxStaysPerEntry: Get<u32>;
		/// Most stays one locator may write in one block (its quota); also the most in a batch.
		#[pallet::constant]
		type MaxStaysPerLocatorPerBlock: Get<u32>;
		/// How many days back a batch may be dated (0: today only). Must be below the retention.
		#[pallet::constant]
		type MaxBatchAgeDays: Get<u32>;
		/// Days a batch's metadata stays in state.
		#[pallet::constant]
		type RetentionDays: Get<u32>;
		/// Priority of batches in the transaction pool.
		#[pallet::constant]
		type BatchPriority: Get<TransactionPriority>;
		/// Weights of this pallet's calls and hooks.
		type WeightInfo: WeightInfo;
		/// What benchmarks need from the runtime.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId, Self::LocatorSignature>;
	}

	/// Whitelisted locators.
	// Hasher: Blake2_128Concat — account ids are chosen by their owners.
	#[pallet::storage]
	pub type Locators<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, LocatorInfo>;

	/// Number of whitelisted locators.
	#[pallet::storage]
	pub type LocatorCount<T> = StorageValue<_, u32, ValueQuery>;

	/// Metadata of stored batches, by day and sequence number.
	// Hasher: Twox64Concat — day and sequence numbers are assigned by the chain.
	#[pallet::storage]
	pub type Batches<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		DayIndex,
		Twox64Concat,
		u32,
		BatchMeta<T::AccountId, BlockNumberFor<T>>,
	>;

	/// One-time writer keys already used, by day: a key used twice would repeat AES-GCM nonces.
	// Hasher: Twox64Concat for the day; Blake2_128Concat for the key, which writers choose.
	#[pallet::storage]
	pub type UsedEphemeralKeys<T> =
		StorageDoubleMap<_, Twox64Concat, DayIndex, Blake2_128Concat, csi::X25519Public, ()>;

	/// One-time keys of device-sealed entries already stored, by day: an entry replayed in
	/// another batch would be judged twice.
	// Hasher: Twox64Concat for the day; Blake2_128Concat for the key, which devices choose.
	#[pallet::storage]
	pub type UsedDeviceKeys<T> =
		StorageDoubleMap<_, Twox64Concat, DayIndex, Blake2_128Concat, csi::X25519Public, ()>;

	/// Number of [`UsedDeviceKeys`] of each day (pruning and `try_state` count them).
	// Hasher: Twox64Concat — days are bounded by the runtime's clock checks.
	#[pallet::storage]
	pub type DeviceKeyCount<T> = StorageMap<_, Twox64Concat, DayIndex, u32, ValueQuery>;

	/// Per-day counters.
	// Hasher: Twox64Concat — days are bounded by the runtime's clock checks.
	#[pallet::storage]
	pub type Days<T> = StorageMap<_, Twox64Concat, DayIndex, DayStats>;

	/// The oldest day that may still hold batches (`None`: nothing stored yet).
	#[pallet::storage]
	pub type OldestDay<T> = StorageValue<_, DayIndex>;

	/// Stays each locator wrote in the current block: (block, stays).
	// Hasher: Blake2_128Concat — account ids are chosen by their owners.
	#[pallet::storage]
	pub type BlockUsage<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, (BlockNumberFor<T>, u32)>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Locators whitelisted from genesis: (account, kind, region prefix).
		pub locators: Vec<(T::AccountId, LocatorKind, Vec<u8>)>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			for (who, kind, region) in &self.locators {
				let region: Region = region.clone().try_into().expect("genesis region too long");
				assert!(is_valid_region(&region), "genesis region is not a geohash prefix");
				Pallet::<T>::do_register(who, *kind, region, H256::zero())
					.expect("genesis locators are unique");
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A locator was whitelisted for a region.
		LocatorRegistered {
			/// The locator's account.
			locator: T::AccountId,
			/// What kind of locator it is.
			kind: LocatorKind,
			/// The geohash prefix it may write in.
			region: Region,
		},
		/// A locator's writes are refused until it is resumed.
		LocatorSuspended {
			/// The locator's account.
			locator: T::AccountId,
		},
		/// A suspended locator may write again.
		LocatorResumed {
			/// The locator's account.
			locator: T::AccountId,
		},
		/// A locator left the whitelist.
		LocatorRemoved {
			/// The locator's account.
			locator: T::AccountId,
		},
		/// A sealed batch was stored (its entries are in this block's body).
		BatchSubmitted {
			/// The locator that wrote and signed the batch.
			locator: T::AccountId,
			/// The day the batch is dated (day index).
			day: DayIndex,
			/// The batch's sequence number within its day.
			seq: u32,
			/// The matcher sealing key the batch was sealed to.
			key_id: csi::SealingKeyId,
			/// Number of entries (owners) in the batch.
			entries: u32,
			/// Number of stays in the batch.
			stays: u32,
		},
		/// A day left the retention window; its batch metadata was removed.
		DayPruned {
			/// The pruned day (day index).
			day: DayIndex,
			/// Number of batches that had been stored for the day.
			batches: u32,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The account is already a locator.
		AlreadyLocator,
		/// The account is not a whitelisted locator.
		NotLocator,
		/// The locator is suspended.
		LocatorSuspended,
		/// The locator is not suspended.
		NotSuspended,
		/// The region is not a geohash prefix.
		InvalidRegion,
		/// The batch's cell prefix is not inside the locator's region.
		OutsideRegion,
		/// The batch has no entries.
		EmptyBatch,
		/// More entries than `MaxEntriesPerBatch`.
		TooManyEntries,
		/// An entry's length is not that of a sealed entry (owner, whole stays, tag).
		MalformedEntry,
		/// An entry holds more than `MaxStaysPerEntry` stays.
		EntryTooLarge,
		/// The batch holds more stays than a locator may write in a block.
		BatchTooLarge,
		/// The batch's day is in the future or more than `MaxBatchAgeDays` old.
		DayOutOfRange,
		/// No matcher sealing key has this id.
		UnknownSealingKey,
		/// The sealing key was rotated out or shredded.
		ExpiredSealingKey,
		/// The sealing key's matcher is revoked or outside its validity window.
		MatcherInactive,
		/// This one-time key was already used for this day.
		EphemeralKeyReused,
		/// The locator's per-block quota is used up.
		LocatorQuotaExceeded,
		/// The locator's signature does not verify.
		BadSignature,
		/// The batch's cell prefix is finer than a stay's cell (more than 9 characters), so it could
		/// hold no stay.
		PrefixTooPrecise,
		/// A device-sealed entry's one-time key was already used on this day (in this batch or an
		/// earlier one): the entry is a replay.
		DeviceKeyReused,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_idle(_n: BlockNumberFor<T>, remaining: Weight) -> Weight {
			Self::prune(remaining)
		}

		fn integrity_test() {
			assert!(T::MaxBatchAgeDays::get() < T::RetentionDays::get());
			assert!(T::MaxEntriesPerBatch::get() > 0 && T::MaxStaysPerEntry::get() > 0);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Whitelist `locator` to write batches inside `region` (a geohash prefix).
		///
		/// ## Dispatch Origin
		/// [`Config::AuthorityOrigin`].
		///
		/// ## Errors
		/// [`Error::AlreadyLocator`], [`Error::InvalidRegion`].
		///
		/// ## Events
		/// `LocatorRegistered`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_locator())]
		pub fn register_locator(
			origin: OriginFor<T>,
			locator: T::AccountId,
			kind: LocatorKind,
			region: Region,
			metadata_hash: H256,
		) -> DispatchResult {
			T::AuthorityOrigin::ensure_origin(origin)?;
			ensure!(is_valid_region(&region), Error::<T>::InvalidRegion);
			Self::do_register(&locator, kind, region, metadata_hash)
		}

		/// Refuse `locator`'s writes until it is resumed.
		///
		/// ## Dispatch Origin
		/// [`Config::AuthorityOrigin`].
		///
		/// ## Errors
		/// [`Error::NotLocator`], [`Error::LocatorSuspended`] (already suspended).
		///
		/// ## Events
		/// `LocatorSuspended`.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::suspend_locator())]
		pub fn suspend_locator(origin: OriginFor<T>, locator: T::AccountId) -> DispatchResult {
			T::AuthorityOrigin::ensure_origin(origin)?;
			Locators::<T>::try_mutate(&locator, |info| {
				let info = info.as_mut().ok_or(Error::<T>::NotLocator)?;
				ensure!(info.status == LocatorStatus::Active, Error::<T>::LocatorSuspended);
				info.status = LocatorStatus::Suspended;
				Ok::<_, Error<T>>(())
			})?;
			Self::deposit_event(Event::LocatorSuspended { locator });
			Ok(())
		}

		/// Let a suspended locator write again.
		///
		/// ## Dispatch Origin
		/// [`Config::AuthorityOrigin`].
		///
		/// ## Errors
		/// [`Error::NotLocator`], [`Error::NotSuspended`].
		///
		/// ## Events
		/// `LocatorResumed`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::resume_locator())]
		pub fn resume_locator(origin: OriginFor<T>, locator: T::AccountId) -> DispatchResult {
			T::AuthorityOrigin::ensure_origin(origin)?;
			Locators::<T>::try_mutate(&locator, |info| {
				let info = info.as_mut().ok_or(Error::<T>::NotLocator)?;
				ensure!(info.status == LocatorStatus::Suspended, Error::<T>::NotSuspended);
				info.status = LocatorStatus::Active;
				Ok::<_, Error<T>>(())
			})?;
			Self::deposit_event(Event::LocatorResumed { locator });
			Ok(())
		}

		/// Remove `locator` from the whitelist. Its stored batches stay until retention.
		///
		/// ## Dispatch Origin
		/// [`Config::AuthorityOrigin`].
		///
		/// ## Errors
		/// [`Error::NotLocator`].
		///
		/// ## Events
		/// `LocatorRemoved`.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::remove_locator())]
		pub fn remove_locator(origin: OriginFor<T>, locator: T::AccountId) -> DispatchResult {
			T::AuthorityOrigin::ensure_origin(origin)?;
			Locators::<T>::take(&locator).ok_or(Error::<T>::NotLocator)?;
			LocatorCount::<T>::mutate(|n| *n = n.saturating_sub(1));
			BlockUsage::<T>::remove(&locator);
			Self::deposit_event(Event::LocatorRemoved { locator });
			Ok(())
		}

		/// Store a sealed batch written by `locator`, who signed
		/// [`batch_signing_payload`]`(genesis, batch)`.
		///
		/// ## Dispatch Origin
		/// _Authorized_: a general transaction validated by [`Pallet::validate_batch`] in the
		/// transaction pool. No fee, no nonce.
		///
		/// ## Errors
		/// In the pool (as `InvalidTransaction::Custom(error index)`): [`Error::NotLocator`],
		/// [`Error::LocatorSuspended`], [`Error::OutsideRegion`], [`Error::EmptyBatch`],
		/// [`Error::TooManyEntries`], [`Error::MalformedEntry`], [`Error::EntryTooLarge`],
		/// [`Error::BatchTooLarge`], [`Error::DayOutOfRange`], [`Error::UnknownSealingKey`],
		/// [`Error::ExpiredSealingKey`], [`Error::MatcherInactive`], [`Error::EphemeralKeyReused`],
		/// [`Error::BadSignature`], [`Error::PrefixTooPrecise`], [`Error::DeviceKeyReused`];
		/// [`Error::LocatorQuotaExceeded`] as `ExhaustsResources`.
		///
		/// ## Events
		/// `BatchSubmitted`.
		#[pallet::call_index(4)]
		#[pallet::weight(
			T::WeightInfo::submit_batch(batch.entries.len() as u32)
				.saturating_add(Pallet::<T>::device_entries_weight(batch, true))
		)]
		#[pallet::authorize(|_source, locator, batch, signature| {
			Pallet::<T>::authorize_batch(locator, batch, signature)
		})]
		#[pallet::weight_of_authorize(
			T::WeightInfo::authorize_submit_batch(batch.entries.len() as u32)
				.saturating_add(T::WeightInfo::hash_batch(Pallet::<T>::batch_kib(batch)))
				.saturating_add(Pallet::<T>::device_entries_weight(batch, false))
		)]
		pub fn submit_batch(
			origin: OriginFor<T>,
			locator: T::AccountId,
			batch: CsiBatch,
			signature: T::LocatorSignature,
		) -> DispatchResult {
			frame_system::ensure_authorized(origin)?;
			let _ = signature;
			let checked = Self::check_batch(&locator, &batch)?;
			Self::store_batch(locator, &batch, checked);
			Ok(())
		}
	}

	/// What [`Pallet::check_batch`] learnt about a batch.
	#[derive(Clone, Debug, PartialEq, Eq)]
	pub struct CheckedBatch {
		/// Stays in the batch.
		pub stays: u32,
		/// The one-time keys of its device-sealed entries, in entry order (all distinct).
		pub device_keys: Vec<csi::X25519Public>,
		/// Stays the locator will have written in this block once it is stored.
		pub usage_after: u32,
		/// The locator is a venue: each entry is a check-in.
		pub venue: bool,
	}

	impl<T: Config> Pallet<T> {
		/// Today's day index by the runtime clock.
		pub fn today() -> DayIndex {
			epichain_primitives::day_of_millis(T::UnixTime::now().as_millis() as u64)
		}

		fn do_register(
			locator: &T::AccountId,
			kind: LocatorKind,
			region: Region,
			metadata_hash: H256,
		) -> DispatchResult {
			ensure!(!Locators::<T>::contains_key(locator), Error::<T>::AlreadyLocator);
			Locators::<T>::insert(
				locator,
				LocatorInfo {
					kind,
					region: region.clone(),
					metadata_hash,
					status: LocatorStatus::Active,
				},
			);
			LocatorCount::<T>::mutate(|n| *n = n.saturating_add(1));
			Self::deposit_event(Event::LocatorRegistered {
				locator: locator.clone(),
				kind,
				region,
			});
			Ok(())
		}

		/// The batch's entry bytes in KiB, rounded up: the size its signature check hashes.
		/// The authorization weight is `authorize_submit_batch(entries)` (the checks, benchmarked
		/// with one-stay entries) plus `hash_batch(KiB)` (hashing, benchmarked per KiB).
		pub fn batch_kib(batch: &CsiBatch) -> u32 {
			let bytes = batch.entries.iter().fold(0u64, |n, e| n.saturating_add(e.len() as u64));
			bytes.div_ceil(1024).min(u32::MAX as u64) as u32
		}

		/// The storage weight of a batch's device entries beyond what `submit_batch` (and its
		/// authorization) were benchmarked with, which is locator entries only: per device entry,
		/// one read of [`UsedDeviceKeys`] (its check), and when `storing`, one write of it, plus
		/// one read and write of [`DeviceKeyCount`].
		pub fn device_entries_weight(batch: &CsiBatch, storing: bool) -> Weight {
			let devices = batch
				.entries
				.iter()
				.filter(|e| {
					csi::EntryShape::of(e).is_some_and(|s| s.kind == csi::EntryKind::Device)
				})
				.count() as u64;
			match (devices, storing) {
				(0, _) => Weight::zero(),
				(n, false) => T::DbWeight::get().reads(n),
				(n, true) => T::DbWeight::get().reads_writes(n + 1, n + 1),
			}
		}

		/// Every state and shape check of a batch except its signature.
		pub fn check_batch(
			locator: &T::AccountId,
			batch: &CsiBatch,
		) -> Result<CheckedBatch, Error<T>> {
			let info = Locators::<T>::get(locator).ok_or(Error::<T>::NotLocator)?;
			ensure!(info.status == LocatorStatus::Active, Error::<T>::LocatorSuspended);
			let header = &batch.header;
			ensure!(header.cell_prefix.is_within(&info.region), Error::<T>::OutsideRegion);
			ensure!(
				header.cell_prefix.len() <= epichain_primitives::geohash::POINT_PRECISION,
				Error::<T>::PrefixTooPrecise
			);
			ensure!(!batch.entries.is_empty(), Error::<T>::EmptyBatch);
			ensure!(
				batch.entries.len() <= T::MaxEntriesPerBatch::get() as usize,
				Error::<T>::TooManyEntries
			);
			let quota = T::MaxStaysPerLocatorPerBlock::get();
			let mut stays = 0u32;
			let mut device_keys = Vec::new();
			for entry in &batch.entries {
				let shape = csi::EntryShape::of(entry).ok_or(Error::<T>::MalformedEntry)?;
				ensure!(shape.stays <= T::MaxStaysPerEntry::get(), Error::<T>::EntryTooLarge);
				stays = stays.saturating_add(shape.stays);
				device_keys.extend(shape.device_key);
			}
			ensure!(stays <= quota, Error::<T>::BatchTooLarge);
			let today = Self::today();
			ensure!(
				header.day <= today && today - header.day <= T::MaxBatchAgeDays::get(),
				Error::<T>::DayOutOfRange
			);
			match T::SealingKeys::sealing_key_status(header.key_id) {
				SealingKeyStatus::Current => {},
				SealingKeyStatus::Unknown => return Err(Error::<T>::UnknownSealingKey),
				SealingKeyStatus::Retired | SealingKeyStatus::Shredded => {
					return Err(Error::<T>::ExpiredSealingKey)
				},
				SealingKeyStatus::MatcherInactive => return Err(Error::<T>::MatcherInactive),
			}
			ensure!(
				!UsedEphemeralKeys::<T>::contains_key(header.day, header.ephemeral),
				Error::<T>::EphemeralKeyReused
			);
			let mut distinct = alloc::collections::BTreeSet::new();
			for key in &device_keys {
				ensure!(
					distinct.insert(*key) && !UsedDeviceKeys::<T>::contains_key(header.day, key),
					Error::<T>::DeviceKeyReused
				);
			}
			let now = frame_system::Pallet::<T>::block_number();
			let used = match BlockUsage::<T>::get(locator) {
				Some((block, used)) if block == now => used,
				_ => 0,
			};
			let usage_after = used.saturating_add(stays);
			ensure!(usage_after <= quota, Error::<T>::LocatorQuotaExceeded);
			Ok(CheckedBatch {
				stays,
				device_keys,
				usage_after,
				venue: info.kind == LocatorKind::Venue,
			})
		}

		/// True when `signature` is `locator`'s signature over the batch on this chain.
		pub fn signature_is_valid(
			locator: &T::AccountId,
			batch: &CsiBatch,
			signature: &T::LocatorSignature,
		) -> bool {
			let genesis = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
			let payload = batch_signing_payload(genesis.as_ref(), batch);
			signature.verify(&payload[..], locator)
		}

		/// The transaction-pool verdict on a batch: every check of [`Pallet::check_batch`],
		/// then the signature.
		pub fn validate_batch(
			locator: &T::AccountId,
			batch: &CsiBatch,
			signature: &T::LocatorSignature,
		) -> Result<ValidTransaction, TransactionValidityError> {
			let checked =
				Self::check_batch(locator, batch).map_err(|e| -> TransactionValidityError {
					match e {
						Error::<T>::LocatorQuotaExceeded => {
							InvalidTransaction::ExhaustsResources.into()
						},
						e => {
							InvalidTransaction::Custom(epichain_primitives::error_index(&e)).into()
						},
					}
				})?;
			if !Self::signature_is_valid(locator, batch, signature) {
				return Err(InvalidTransaction::BadProof.into());
			}
			let mut valid = ValidTransaction::with_tag_prefix("epichain-csi")
				.priority(T::BatchPriority::get())
				.and_provides((POOL_TAG_ONE_TIME_KEY, batch.header.day, batch.header.ephemeral));
			let slots = csi::PoolSlots::of(
				&batch.header.ephemeral,
				checked.stays,
				T::MaxStaysPerLocatorPerBlock::get(),
			);
			for slot in slots.iter() {
				valid = valid.and_provides((POOL_TAG_SLOT, locator, slot));
			}
			for key in &checked.device_keys {
				valid = valid.and_provides((POOL_TAG_DEVICE_KEY, batch.header.day, key));
			}
			valid.longevity(64).propagate(true).build()
		}

		fn authorize_batch(
			locator: &T::AccountId,
			batch: &CsiBatch,
			signature: &T::LocatorSignature,
		) -> TransactionValidityWithRefund {
			Self::validate_batch(locator, batch, signature).map(|v| (v, Weight::zero()))
		}

		fn store_batch(locator: T::AccountId, batch: &CsiBatch, checked: CheckedBatch) {
			let header = &batch.header;
			let day = header.day;
			let mut stats = Days::<T>::get(day).unwrap_or_default();
			let seq = stats.batches;
			let entries = batch.entries.len() as u32;
			let block = frame_system::Pallet::<T>::block_number();
			Batches::<T>::insert(
				day,
				seq,
				BatchMeta {
					locator: locator.clone(),
					block,
					extrinsic_index: frame_system::Pallet::<T>::extrinsic_index().unwrap_or(0),
					key_id: header.key_id,
					ephemeral: header.ephemeral,
					cell_prefix: header.cell_prefix,
					entries,
					stays: checked.stays,
				},
			);
			UsedEphemeralKeys::<T>::insert(day, header.ephemeral, ());
			if !checked.device_keys.is_empty() {
				for key in &checked.device_keys {
					UsedDeviceKeys::<T>::insert(day, key, ());
				}
				DeviceKeyCount::<T>::mutate(day, |n| {
					*n = n.saturating_add(checked.device_keys.len() as u32)
				});
			}
			stats.batches = seq.saturating_add(1);
			stats.entries = stats.entries.saturating_add(entries as u64);
			stats.stays = stats.stays.saturating_add(checked.stays as u64);
			Days::<T>::insert(day, stats);
			if OldestDay::<T>::get().is_none_or(|oldest| day < oldest) {
				OldestDay::<T>::put(day);
			}
			BlockUsage::<T>::insert(&locator, (block, checked.usage_after));
			if checked.venue {
				use epichain_primitives::traits::CheckIns as _;
				T::CheckIns::on_check_ins(&header.cell_prefix, day, entries);
			}
			Self::deposit_event(Event::BatchSubmitted {
				locator,
				day,
				seq,
				key_id: header.key_id,
				entries,
				stays: checked.stays,
			});
		}

		/// True when `day` has left the retention window.
		pub fn is_expired(day: DayIndex) -> bool {
			day.saturating_add(T::RetentionDays::get()) <= Self::today()
		}

		/// Removes expired days' batches, oldest first, while `remaining` allows; returns the
		/// weight used. Each batch is one step, then each device entry's one-time key (weighed as
		/// a batch step, which reads and writes more); finishing a day is one more.
		pub fn prune(remaining: Weight) -> Weight {
			let batch_step = T::WeightInfo::prune_batch();
			let day_step = T::WeightInfo::prune_day();
			let mut used = T::DbWeight::get().reads(1);
			if remaining.any_lt(used.saturating_add(batch_step.max(day_step))) {
				return Weight::zero();
			}
			let Some(mut day) = OldestDay::<T>::get() else { return used };
			let today = Self::today();
			while Self::is_expired(day)
				&& !remaining.any_lt(used.saturating_add(batch_step.max(day_step)))
			{
				match Days::<T>::get(day) {
					Some(mut stats) if stats.pruned < stats.batches => {
						if let Some(meta) = Batches::<T>::take(day, stats.pruned) {
							UsedEphemeralKeys::<T>::remove(day, meta.ephemeral);
						}
						stats.pruned += 1;
						Days::<T>::insert(day, stats);
						used = used.saturating_add(batch_step);
					},
					_ if DeviceKeyCount::<T>::get(day) > 0 => {
						match UsedDeviceKeys::<T>::iter_key_prefix(day).next() {
							Some(key) => {
								UsedDeviceKeys::<T>::remove(day, key);
								let left = DeviceKeyCount::<T>::get(day).saturating_sub(1);
								match left {
									0 => DeviceKeyCount::<T>::remove(day),
									n => DeviceKeyCount::<T>::insert(day, n),
								}
							},
							None => DeviceKeyCount::<T>::remove(day),
						}
						used = used.saturating_add(batch_step);
					},
					stats => {
						Days::<T>::remove(day);
						if let Some(stats) = stats {
							Self::deposit_event(Event::DayPruned { day, batches: stats.batches });
						}
						day = day.saturating_add(1);
						used = used.saturating_add(day_step);
						if day > today {
							OldestDay::<T>::kill();
							return used;
						}
						OldestDay::<T>::put(day);
					},
				}
			}
			used
		}

		/// Invariants: each day's counters match its stored batches and one-time keys; no day
		/// older than [`OldestDay`] holds anything; the locator count matches the whitelist.
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			ensure!(
				Locators::<T>::iter().count() as u32 == LocatorCount::<T>::get(),
				"LocatorCount does not match the whitelist"
			);
			let oldest = OldestDay::<T>::get();
			for (day, stats) in Days::<T>::iter() {
				ensure!(oldest.is_some_and(|o| o <= day), "a day older than OldestDay");
				ensure!(stats.pruned <= stats.batches, "pruned more batches than stored");
				let (mut n, mut entries, mut stays) = (0u32, 0u64, 0u64);
				for (seq, meta) in Batches::<T>::iter_prefix(day) {
					ensure!(stats.pruned <= seq && seq < stats.batches, "batch seq out of range");
					ensure!(
						UsedEphemeralKeys::<T>::contains_key(day, meta.ephemeral),
						"batch without its one-time key"
					);
					n += 1;
					entries += meta.entries as u64;
					stays += meta.stays as u64;
				}
				ensure!(n == stats.batches - stats.pruned, "batch count mismatch");
				ensure!(
					UsedEphemeralKeys::<T>::iter_prefix(day).count() as u32 == n,
					"one-time key count mismatch"
				);
				ensure!(
					UsedDeviceKeys::<T>::iter_prefix(day).count() as u32
						== DeviceKeyCount::<T>::get(day),
					"device key count mismatch"
				);
				ensure!(
					stats.pruned > 0 || DeviceKeyCount::<T>::get(day) as u64 <= stats.entries,
					"more device keys than entries"
				);
				if stats.pruned == 0 {
					ensure!(
						entries == stats.entries && stays == stats.stays,
						"day totals mismatch"
					);
				}
			}
			for (day, _, _) in Batches::<T>::iter() {
				ensure!(Days::<T>::contains_key(day), "batch of a day without counters");
			}
			for (day, _) in DeviceKeyCount::<T>::iter() {
				ensure!(Days::<T>::contains_key(day), "device keys of a day without counters");
			}
			Ok(())
		}

		/// Up to `limit` batches of `day` from sequence number `from` on.
		pub fn batches_of_day(
			day: DayIndex,
			from: u32,
			limit: u32,
		) -> Vec<BatchRef<T::AccountId, BlockNumberFor<T>>> {
			let Some(stats) = Days::<T>::get(day) else { return Vec::new() };
			(from.max(stats.pruned)..stats.batches)
				.filter_map(|seq| {
					Batches::<T>::get(day, seq).map(|meta| BatchRef { day, seq, meta })
				})
				.take(limit.min(MAX_BATCHES_PER_QUERY) as usize)
				.collect()
		}
	}

	/// The most batches one runtime-API query returns.
	pub const MAX_BATCHES_PER_QUERY: u32 = 1_000;
}

impl<T: Config> epichain_primitives::traits::VenueLocators<T::AccountId> for Pallet<T> {
	fn active_venue_region(who: &T::AccountId) -> Option<epichain_primitives::geohash::Region> {
		Locators::<T>::get(who)
			.filter(|l| l.kind == LocatorKind::Venue && l.status == LocatorStatus::Active)
			.map(|l| l.region)
	}
}

/// What benchmarks need from the runtime: a clock, a locator's signatures, and a registered
/// location whose check-ins a venue's batch counts (its worst case).
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId, Signature>:
	epichain_primitives::traits::BenchmarkClock
	+ epichain_primitives::traits::BenchmarkSigner<AccountId, Signature>
	+ epichain_primitives::traits::BenchmarkLocations
{
}

#[cfg(feature = "runtime-benchmarks")]
impl<AccountId, Signature, H> BenchmarkHelper<AccountId, Signature> for H where
	H: epichain_primitives::traits::BenchmarkClock
		+ epichain_primitives::traits::BenchmarkSigner<AccountId, Signature>
		+ epichain_primitives::traits::BenchmarkLocations
{
}

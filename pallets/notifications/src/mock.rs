//! A mock runtime: the timestamp pallet as the clock, the real matcher registry and the real
//! location cells.

use crate as pallet_notifications;
use epichain_primitives::{
	pseudonym::{fingerprint, Fingerprint, Pseudonym},
	DayIndex,
};
use frame_support::{derive_impl, parameter_types, traits::ConstU32};
use frame_system::EnsureRoot;
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Test;

	#[runtime::pallet_index(0)]
	pub type System = frame_system::Pallet<Test>;
	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp::Pallet<Test>;
	#[runtime::pallet_index(2)]
	pub type MatcherRegistry = pallet_matchers::Pallet<Test>;
	#[runtime::pallet_index(3)]
	pub type Locations = pallet_locations::Pallet<Test>;
	#[runtime::pallet_index(4)]
	pub type Notify = pallet_notifications::Pallet<Test>;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

#[derive_impl(pallet_timestamp::config_preludes::TestDefaultConfig)]
impl pallet_timestamp::Config for Test {}

parameter_types! {
	pub const RotationGrace: u64 = 3_600;
}

impl pallet_matchers::Config for Test {
	type AuthorityOrigin = EnsureRoot<u64>;
	type UnixTime = Timestamp;
	type RotationGrace = RotationGrace;
	type SealingKeyLifetime = ConstU32<14>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockHelper;
}

std::thread_local! {
	/// The pseudonym-days the diagnosis pallet would hold as active cases'.
	static CASES: core::cell::RefCell<Vec<(DayIndex, Fingerprint)>> =
		const { core::cell::RefCell::new(Vec::new()) };
}

/// Active cases' pseudonym-days, as the diagnosis pallet's endorsed fingerprints.
pub struct MockCases;
impl MockCases {
	/// The pseudonym-days of `pseudonyms` become an active case's.
	pub fn endorse(pseudonyms: &[(DayIndex, Pseudonym)]) {
		CASES.with(|c| c.borrow_mut().extend(pseudonyms.iter().map(|(d, p)| (*d, fingerprint(p)))));
	}
}
impl epichain_primitives::traits::CaseFingerprints for MockCases {
	fn is_case(day: DayIndex, fp: &Fingerprint) -> bool {
		CASES.with(|c| c.borrow().contains(&(day, *fp)))
	}
}

/// No venue locators in this mock.
pub struct NoVenues;
impl epichain_primitives::traits::VenueLocators<u64> for NoVenues {
	fn active_venue_region(_: &u64) -> Option<epichain_primitives::geohash::Region> {
		None
	}
}

impl pallet_locations::Config for Test {
	type AuthorityOrigin = EnsureRoot<u64>;
	type UnixTime = Timestamp;
	type VenueLocators = NoVenues;
	type InfectionWindow = frame_support::traits::ConstU64<{ 14 * 86_400 }>;
	type MinPrecision = ConstU32<6>;
	type MaxPrecision = ConstU32<9>;
	type MinVenueRegionPrecision = ConstU32<6>;
	type MaxHistory = ConstU32<8>;
	type VisitRetentionDays = ConstU32<14>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockHelper;
}

impl pallet_notifications::Config for Test {
	type AuthorityOrigin = EnsureRoot<u64>;
	type MatcherSigners = MatcherRegistry;
	type LocationInfections = Locations;
	type CaseFingerprints = MockCases;
	type UnixTime = Timestamp;
	type MaxJobs = ConstU32<4>;
	type MaxExposuresPerResult = ConstU32<16>;
	type MaxCellsPerResult = ConstU32<4>;
	type JobGraceDays = ConstU32<3>;
	type RetentionDays = ConstU32<14>;
	type ResultPriority = frame_support::traits::ConstU64<1_000>;
	type RelayIntervalBlocks = ConstU32<5>;
	type MaxRelaysPerBlock = ConstU32<2>;
	type MatcherDeadlineMillis = frame_support::traits::ConstU64<2_000>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockHelper;
}

/// Transactions the off-chain worker builds: general (authorized), no extension.
pub type Extrinsic = frame_system::mocking::MockUncheckedExtrinsic<Test>;

impl<C> frame_system::offchain::CreateTransactionBase<C> for Test
where
	RuntimeCall: From<C>,
{
	type Extrinsic = Extrinsic;
	type RuntimeCall = RuntimeCall;
}

impl<C> frame_system::offchain::CreateTransaction<C> for Test
where
	RuntimeCall: From<C>,
{
	type Extension = ();
	fn create_transaction(call: RuntimeCall, extension: ()) -> Extrinsic {
		Extrinsic::new_transaction(call, extension)
	}
}

impl<C> frame_system::offchain::CreateAuthorizedTransaction<C> for Test
where
	RuntimeCall: From<C>,
{
	fn create_extension() {}
}

/// Benchmarks' handle on the mock clock, matcher registry and locations.
#[cfg(feature = "runtime-benchmarks")]
pub struct MockHelper;
#[cfg(feature = "runtime-benchmarks")]
impl epichain_primitives::traits::BenchmarkClock for MockHelper {
	fn set_time(secs: u64) {
		set_time(secs)
	}
}
#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper for MockHelper {
	fn register_signer(key: &[u8; 32]) {
		register_matcher(*key);
	}
}
#[cfg(feature = "runtime-benchmarks")]
impl epichain_primitives::traits::BenchmarkLocations for MockHelper {
	fn register_location(cell: &epichain_primitives::geohash::Geohash) {
		let _ = Locations::do_register(*cell, None, pallet_locations::SurfaceMaterial::Unknown);
	}
}

/// 2026-11-21T00:00:00Z: day 20778.
pub const T0: u64 = 1_795_219_200;
/// The day of [`T0`].
pub const DAY0: u32 = 20_778;

/// Sets the clock to unix second `secs`.
pub fn set_time(secs: u64) {
	pallet_timestamp::Now::<Test>::put(secs * 1000);
}

/// Registers a matcher whose signing key is `signing_key`, valid for 60 days around [`T0`].
pub fn register_matcher(signing_key: [u8; 32]) {
	// SIMULATION evidence, as on a dev chain.
	pallet_matchers::SimulationAllowed::<Test>::put(true);
	pallet_matchers::Pallet::<Test>::register_matcher(
		RuntimeOrigin::root(),
		signing_key,
		[signing_key[0] ^ 0x55; 32],
		Box::new(pallet_matchers::Evidence::Simulation { measurement: [1; 32] }),
		0,
		T0 + 60 * 86_400,
	)
	.expect("a fresh matcher registers");
}

/// Externalities at block 10, time [`T0`] + 12 h; runs the pallets' invariants after the test.
pub fn new_test_ext(test: impl FnOnce()) {
	let storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let mut ext: sp_io::TestExternalities = storage.into();
	ext.execute_with(|| {
		System::set_block_number(10);
		set_time(T0 + 12 * 3_600);
		test();
		Notify::do_try_state().expect("notifications invariants hold");
		Locations::do_try_state().expect("locations invariants hold");
	});
}

/// Externalities for the benchmark test suite, with a keystore for the matcher's key.
#[cfg(feature = "runtime-benchmarks")]
pub fn bench_ext() -> sp_io::TestExternalities {
	let mut ext: sp_io::TestExternalities =
		frame_system::GenesisConfig::<Test>::default().build_storage().unwrap().into();
	ext.register_extension(sp_keystore::KeystoreExt::new(
		sp_keystore::testing::MemoryKeystore::new(),
	));
	ext
}

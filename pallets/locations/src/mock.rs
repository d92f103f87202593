//! A mock runtime: the timestamp pallet as the clock; accounts 10..20 are venue locators for
//! region `xn76ur`, account 20 one for the coarse region `xn7`.

use crate as pallet_locations;
use epichain_primitives::{geohash::Region, traits::VenueLocators};
use frame_support::{derive_impl, traits::ConstU32};
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
	pub type LocationsPallet = pallet_locations::Pallet<Test>;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

#[derive_impl(pallet_timestamp::config_preludes::TestDefaultConfig)]
impl pallet_timestamp::Config for Test {}

/// Accounts 10..20 are venues of region `xn76ur`; account 20 is a venue of the coarse region
/// `xn7` (a whole city: too coarse to register cells on its own).
pub struct MockVenues;

std::thread_local! {
	/// Venues the CSI pallet would have suspended or removed.
	static SUSPENDED: core::cell::RefCell<Vec<u64>> = const { core::cell::RefCell::new(Vec::new()) };
}

/// `who` stops being an active venue locator (suspended or removed in `pallet-csi`).
pub fn suspend_venue(who: u64) {
	SUSPENDED.with(|s| s.borrow_mut().push(who));
}

/// `who` is an active venue locator again.
pub fn resume_venue(who: u64) {
	SUSPENDED.with(|s| s.borrow_mut().retain(|v| *v != who));
}

impl VenueLocators<u64> for MockVenues {
	fn active_venue_region(who: &u64) -> Option<Region> {
		if SUSPENDED.with(|s| s.borrow().contains(who)) {
			return None;
		}
		let region: &[u8] = match who {
			10..20 => b"xn76ur",
			20 => b"xn7",
			_ => return None,
		};
		Some(Region::truncate_from(region.to_vec()))
	}
}

/// Song et al.'s 14 days.
pub const WINDOW: u64 = 14 * 86_400;

impl pallet_locations::Config for Test {
	type AuthorityOrigin = EnsureRoot<u64>;
	type UnixTime = Timestamp;
	type VenueLocators = MockVenues;
	type InfectionWindow = frame_support::traits::ConstU64<WINDOW>;
	type MinPrecision = ConstU32<5>;
	type MaxPrecision = ConstU32<9>;
	type MinVenueRegionPrecision = ConstU32<6>;
	type MaxHistory = ConstU32<8>;
	type VisitRetentionDays = ConstU32<14>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockClock;
}

/// The benchmarks' handle on the mock clock.
#[cfg(feature = "runtime-benchmarks")]
pub struct MockClock;
#[cfg(feature = "runtime-benchmarks")]
impl epichain_primitives::traits::BenchmarkClock for MockClock {
	fn set_time(secs: u64) {
		set_time(secs)
	}
}

/// 2026-11-21T00:00:00Z.
pub const T0: u64 = 1_795_219_200;

/// Sets the clock to unix second `secs`.
pub fn set_time(secs: u64) {
	pallet_timestamp::Now::<Test>::put(secs * 1000);
}

/// Externalities at block 1, time [`T0`] + 10 h; runs the invariants after the test.
pub fn new_test_ext(test: impl FnOnce()) {
	let mut ext: sp_io::TestExternalities =
		frame_system::GenesisConfig::<Test>::default().build_storage().unwrap().into();
	ext.execute_with(|| {
		System::set_block_number(1);
		set_time(T0 + 10 * 3_600);
		test();
		LocationsPallet::do_try_state().expect("invariants hold");
	});
}

/// Externalities for the benchmark test suite.
#[cfg(feature = "runtime-benchmarks")]
pub fn bench_ext() -> sp_io::TestExternalities {
	frame_system::GenesisConfig::<Test>::default().build_storage().unwrap().into()
}

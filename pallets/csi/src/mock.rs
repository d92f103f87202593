//! A mock runtime: the timestamp pallet as the clock, the real matcher registry, and test
//! signatures (`TestSignature(signer, message)` verifies when both match).

use crate as pallet_csi;
use frame_support::{derive_impl, parameter_types, traits::ConstU32};
use frame_system::EnsureRoot;
use sp_runtime::{testing::TestSignature, BuildStorage};

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
	pub type Csi = pallet_csi::Pallet<Test>;
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

impl pallet_csi::Config for Test {
	type AuthorityOrigin = EnsureRoot<u64>;
	type LocatorSignature = TestSignature;
	type SealingKeys = MatcherRegistry;
	type CheckIns = RecordedCheckIns;
	type UnixTime = Timestamp;
	type MaxEntriesPerBatch = ConstU32<16>;
	type MaxStaysPerEntry = ConstU32<64>;
	type MaxStaysPerLocatorPerBlock = ConstU32<200>;
	type MaxBatchAgeDays = ConstU32<2>;
	type RetentionDays = ConstU32<14>;
	type BatchPriority = frame_support::traits::ConstU64<1_000>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockHelper;
}

/// Benchmarks' handle on the mock clock and test signatures.
#[cfg(feature = "runtime-benchmarks")]
pub struct MockHelper;
#[cfg(feature = "runtime-benchmarks")]
impl epichain_primitives::traits::BenchmarkClock for MockHelper {
	fn set_time(secs: u64) {
		set_time(secs)
	}
}
#[cfg(feature = "runtime-benchmarks")]
impl epichain_primitives::traits::BenchmarkLocations for MockHelper {
	fn register_location(_: &epichain_primitives::geohash::Geohash) {}
}
#[cfg(feature = "runtime-benchmarks")]
impl epichain_primitives::traits::BenchmarkSigner<u64, TestSignature> for MockHelper {
	fn sign(payload: &[u8]) -> (u64, TestSignature) {
		(77, TestSignature(77, payload.to_vec()))
	}
}

std::thread_local! {
	/// Check-ins the pallet reported: (cell, day, visits).
	pub static CHECK_INS: core::cell::RefCell<Vec<(epichain_primitives::geohash::Geohash, u32, u32)>> =
		const { core::cell::RefCell::new(Vec::new()) };
}

/// Records check-ins for the tests.
pub struct RecordedCheckIns;
impl epichain_primitives::traits::CheckIns for RecordedCheckIns {
	fn on_check_ins(cell: &epichain_primitives::geohash::Geohash, day: u32, visits: u32) {
		CHECK_INS.with(|c| c.borrow_mut().push((*cell, day, visits)));
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

/// Externalities at block 1, time [`T0`] + 12 h, with `locators` whitelisted at genesis;
/// runs both pallets' invariants after the test.
pub fn new_test_ext(locators: Vec<(u64, crate::LocatorKind, Vec<u8>)>, test: impl FnOnce()) {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_csi::GenesisConfig::<Test> { locators }.assimilate_storage(&mut storage).unwrap();
	let mut ext: sp_io::TestExternalities = storage.into();
	ext.execute_with(|| {
		System::set_block_number(1);
		set_time(T0 + 12 * 3_600);
		test();
		Csi::do_try_state().expect("csi invariants hold");
		MatcherRegistry::do_try_state().expect("matcher invariants hold");
	});
}

/// Externalities for the benchmark test suite.
#[cfg(feature = "runtime-benchmarks")]
pub fn bench_ext() -> sp_io::TestExternalities {
	frame_system::GenesisConfig::<Test>::default().build_storage().unwrap().into()
}

//! A mock runtime with the timestamp pallet as the clock.

use crate as pallet_matchers;
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
	type BenchmarkHelper = MockClock;
}

/// 2026-11-21T00:00:00Z, the start of the synthetic scenarios.
pub const T0: u64 = 1_795_219_200;

/// The benchmarks' handle on the mock clock.
#[cfg(feature = "runtime-benchmarks")]
pub struct MockClock;
#[cfg(feature = "runtime-benchmarks")]
impl epichain_primitives::traits::BenchmarkClock for MockClock {
	fn set_time(secs: u64) {
		set_time(secs)
	}
}

/// Sets the clock to unix second `secs`.
pub fn set_time(secs: u64) {
	pallet_timestamp::Now::<Test>::put(secs * 1000);
}

/// Storage from a genesis that allows SIMULATION evidence, as dev and local chains do.
fn genesis() -> sp_runtime::Storage {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_matchers::GenesisConfig::<Test> { allow_simulation: true, ..Default::default() }
		.assimilate_storage(&mut storage)
		.unwrap();
	storage
}

/// Externalities at block 1, time [`T0`], simulation allowed; runs the invariants after the
/// test.
pub fn new_test_ext(test: impl FnOnce()) {
	let mut ext: sp_io::TestExternalities = genesis().into();
	ext.execute_with(|| {
		System::set_block_number(1);
		set_time(T0);
		test();
		MatcherRegistry::do_try_state().expect("invariants hold");
	});
}

/// Externalities for the benchmark test suite.
#[cfg(feature = "runtime-benchmarks")]
pub fn bench_ext() -> sp_io::TestExternalities {
	genesis().into()
}

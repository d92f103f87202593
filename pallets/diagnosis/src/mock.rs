//! A mock runtime: the timestamp pallet as the clock, test signatures for diagnosticians
//! (`TestSignature(signer, message)` verifies when both match), real ed25519 consent
//! signatures, and a recording job queue.

use crate as pallet_diagnosis;
use epichain_primitives::{
	diagnosis::{CaseId, DayWindow},
	pseudonym::Pseudonym,
	DayIndex,
};
use frame_support::{derive_impl, traits::ConstU32};
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
	pub type Diagnosis = pallet_diagnosis::Pallet<Test>;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

#[derive_impl(pallet_timestamp::config_preludes::TestDefaultConfig)]
impl pallet_timestamp::Config for Test {}

impl pallet_diagnosis::Config for Test {
	type AuthorityOrigin = EnsureRoot<u64>;
	type DiagnosticianSignature = TestSignature;
	type CaseJobs = RecordedJobs;
	type UnixTime = Timestamp;
	type MaxPseudonyms = ConstU32<14>;
	type MaxReportsPerCase = ConstU32<4>;
	type MaxEndorsementsPerDay = ConstU32<3>;
	type RetentionDays = ConstU32<14>;
	type EndorsementPriority = frame_support::traits::ConstU64<1_000>;
	type MaxSignedValidity = ConstU32<600>;
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
impl epichain_primitives::traits::BenchmarkSigner<u64, TestSignature> for MockHelper {
	fn sign(payload: &[u8]) -> (u64, TestSignature) {
		(77, TestSignature(77, payload.to_vec()))
	}
}

/// What the job queue was asked to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JobCall {
	/// A job was opened for a case.
	Open(CaseId, DayWindow, Vec<(DayIndex, Pseudonym)>),
	/// A case's job was cancelled.
	Cancel(CaseId),
}

std::thread_local! {
	/// Calls the pallet made on the job queue.
	pub static JOBS: core::cell::RefCell<Vec<JobCall>> = const { core::cell::RefCell::new(Vec::new()) };
	/// When set, the job queue refuses new jobs.
	pub static JOBS_FULL: core::cell::Cell<bool> = const { core::cell::Cell::new(false) };
}

/// A job queue that records what it is told (the notifications pallet's stand-in).
pub struct RecordedJobs;
impl epichain_primitives::traits::CaseJobs for RecordedJobs {
	fn open(
		case: CaseId,
		window: DayWindow,
		pseudonyms: &[(DayIndex, Pseudonym)],
	) -> Result<(), epichain_primitives::traits::JobRefused> {
		if JOBS_FULL.with(|f| f.get()) {
			return Err(epichain_primitives::traits::JobRefused);
		}
		JOBS.with(|j| j.borrow_mut().push(JobCall::Open(case, window, pseudonyms.to_vec())));
		Ok(())
	}

	fn cancel(case: CaseId) {
		JOBS.with(|j| j.borrow_mut().push(JobCall::Cancel(case)));
	}
}

/// The job-queue calls so far.
pub fn jobs() -> Vec<JobCall> {
	JOBS.with(|j| j.borrow().clone())
}

/// 2026-11-21T00:00:00Z: day 20778.
pub const T0: u64 = 1_795_219_200;
/// The day of [`T0`].
pub const DAY0: u32 = 20_778;

/// Sets the clock to unix second `secs`.
pub fn set_time(secs: u64) {
	pallet_timestamp::Now::<Test>::put(secs * 1000);
}

/// Externalities at block 1, time [`T0`] + 12 h, with `diagnosticians` registered at genesis;
/// runs the pallet's invariants after the test.
pub fn new_test_ext(diagnosticians: Vec<(u64, Vec<u8>)>, test: impl FnOnce()) {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_diagnosis::GenesisConfig::<Test> { diagnosticians }
		.assimilate_storage(&mut storage)
		.unwrap();
	let mut ext: sp_io::TestExternalities = storage.into();
	ext.execute_with(|| {
		JOBS.with(|j| j.borrow_mut().clear());
		JOBS_FULL.with(|f| f.set(false));
		System::set_block_number(1);
		set_time(T0 + 12 * 3_600);
		test();
		Diagnosis::do_try_state().expect("diagnosis invariants hold");
	});
}

/// Externalities for the benchmark test suite, with a keystore for the benchmarks' ed25519
/// keys.
#[cfg(feature = "runtime-benchmarks")]
pub fn bench_ext() -> sp_io::TestExternalities {
	let mut ext: sp_io::TestExternalities =
		frame_system::GenesisConfig::<Test>::default().build_storage().unwrap().into();
	ext.register_extension(sp_keystore::KeystoreExt::new(
		sp_keystore::testing::MemoryKeystore::new(),
	));
	ext
}

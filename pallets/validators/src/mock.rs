//! A mock runtime whose "session pallet" is two lists: the current set and the accounts with
//! registered keys.

use crate as pallet_validators;
use core::cell::RefCell;
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU32, ConstU64, ValidatorRegistration, ValidatorSet},
};
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
	pub type Validators = pallet_validators::Pallet<Test>;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

thread_local! {
	/// The session's current validators.
	pub static CURRENT: RefCell<Vec<u64>> = RefCell::new(vec![1, 2, 3, 4]);
	/// Accounts with registered session keys.
	pub static REGISTERED: RefCell<Vec<u64>> = RefCell::new(vec![1, 2, 3, 4, 5, 6]);
}

/// The mock session pallet.
pub struct Sessions;

impl ValidatorSet<u64> for Sessions {
	type ValidatorId = u64;
	type ValidatorIdOf = sp_runtime::traits::ConvertInto;

	fn session_index() -> u32 {
		0
	}

	fn validators() -> Vec<u64> {
		CURRENT.with(|c| c.borrow().clone())
	}
}

impl ValidatorRegistration<u64> for Sessions {
	fn is_registered(id: &u64) -> bool {
		REGISTERED.with(|r| r.borrow().contains(id))
	}
}

parameter_types! {
	pub const MinValidators: u32 = 3;
}

impl pallet_validators::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type AuthorityOrigin = EnsureRoot<u64>;
	type Sessions = Sessions;
	type MinValidators = MinValidators;
	type MaxValidators = ConstU32<6>;
	type DefaultSessionLength = ConstU64<600>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = Sessions;
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<u64> for Sessions {
	fn register_keys(who: &u64) {
		REGISTERED.with(|r| r.borrow_mut().push(*who));
	}
}

/// Block 1, the session at validators 1..=4, accounts 1..=6 with keys; invariants checked after.
pub fn new_test_ext() -> sp_io::TestExternalities {
	CURRENT.with(|c| *c.borrow_mut() = vec![1, 2, 3, 4]);
	REGISTERED.with(|r| *r.borrow_mut() = vec![1, 2, 3, 4, 5, 6]);
	let storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

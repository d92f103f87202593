//! The validator set as the authority changes it, and as pallet-session receives it.

use crate::{mock::*, Error, Event, Planned};
use frame_support::{assert_noop, assert_ok};
use pallet_session::SessionManager;
use sp_runtime::DispatchError;

fn root() -> RuntimeOrigin {
	RuntimeOrigin::root()
}

fn run(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Validators::do_try_state().expect("invariants hold");
	});
}

#[test]
fn a_validator_with_session_keys_joins_at_the_next_rotation_and_only_once() {
	run(|| {
		assert_ok!(Validators::add_validator(root(), 5));
		System::assert_last_event(Event::ValidatorAdded { validator: 5 }.into());
		assert_eq!(<Validators as SessionManager<u64>>::new_session(2), Some(vec![1, 2, 3, 4, 5]));
		System::assert_last_event(Event::ValidatorSetPlanned { session: 2, validators: 5 }.into());
		// Handed over once; later rotations keep the set the session pallet has.
		assert_eq!(Planned::<Test>::get(), None);
		assert_eq!(<Validators as SessionManager<u64>>::new_session(3), None);
	});
}

#[test]
fn only_the_authority_changes_the_set() {
	run(|| {
		assert_noop!(
			Validators::add_validator(RuntimeOrigin::signed(1), 5),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Validators::remove_validator(RuntimeOrigin::signed(1), 4),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn an_account_without_session_keys_cannot_join() {
	run(|| {
		assert_noop!(Validators::add_validator(root(), 9), Error::<Test>::NoSessionKeys);
	});
}

#[test]
fn a_validator_is_in_the_set_once() {
	run(|| {
		assert_noop!(Validators::add_validator(root(), 1), Error::<Test>::AlreadyValidator);
		assert_ok!(Validators::add_validator(root(), 5));
		assert_noop!(Validators::add_validator(root(), 5), Error::<Test>::AlreadyValidator);
	});
}

#[test]
fn the_set_is_bounded_above() {
	run(|| {
		assert_ok!(Validators::add_validator(root(), 5));
		assert_ok!(Validators::add_validator(root(), 6));
		REGISTERED.with(|r| r.borrow_mut().push(7));
		assert_noop!(Validators::add_validator(root(), 7), Error::<Test>::TooManyValidators);
	});
}

#[test]
fn a_validator_leaves_at_the_next_rotation_but_never_below_the_minimum() {
	run(|| {
		assert_ok!(Validators::remove_validator(root(), 2));
		System::assert_last_event(Event::ValidatorRemoved { validator: 2 }.into());
		assert_noop!(Validators::remove_validator(root(), 2), Error::<Test>::NotValidator);
		// Three left: GRANDPA's smallest set that survives no failure, and the minimum.
		assert_noop!(Validators::remove_validator(root(), 1), Error::<Test>::TooFewValidators);
		assert_eq!(<Validators as SessionManager<u64>>::new_session(2), Some(vec![1, 3, 4]));
	});
}

#[test]
fn changes_before_a_rotation_compose() {
	run(|| {
		// A validator is replaced: the new one joins, the old one leaves, in one rotation.
		assert_ok!(Validators::add_validator(root(), 5));
		assert_ok!(Validators::remove_validator(root(), 4));
		assert_noop!(Validators::remove_validator(root(), 4), Error::<Test>::NotValidator);
		assert_eq!(<Validators as SessionManager<u64>>::new_session(2), Some(vec![1, 2, 3, 5]));
	});
}

#[test]
fn the_genesis_set_is_the_session_pallets_own() {
	run(|| {
		assert_eq!(<Validators as SessionManager<u64>>::new_session_genesis(0), None);
	});
}

#[test]
fn genesis_sets_the_session_length_and_zero_keeps_the_default() {
	use crate::{GenesisConfig, SessionLength, SessionLengthOf};
	use frame_support::traits::{BuildGenesisConfig, Get};
	run(|| {
		assert_eq!(SessionLength::<Test>::get(), 600);
		GenesisConfig::<Test> { session_length: 0 }.build();
		assert_eq!(<SessionLengthOf<Test> as Get<u64>>::get(), 600);
		GenesisConfig::<Test> { session_length: 10 }.build();
		assert_eq!(<SessionLengthOf<Test> as Get<u64>>::get(), 10);
	});
}

//! Behaviour of the matcher registry.

use crate::{mock::*, pallet::*, CurrentSealingKey, Event as MatchersEvent};
use epichain_primitives::{
	traits::{MatcherSigners, SealingKeyStatus, SealingKeys as _},
	SECONDS_PER_DAY,
};
use frame_support::{assert_noop, assert_ok, traits::Hooks, weights::Weight};
use sp_core::H256;
use sp_runtime::DispatchError;

const SIGNER: [u8; 32] = [0xA1; 32];
const SEAL_1: [u8; 32] = [0x51; 32];
const SEAL_2: [u8; 32] = [0x52; 32];
const DAY: u64 = SECONDS_PER_DAY;

fn register() -> (crate::MatcherId, u32) {
	assert_ok!(MatcherRegistry::register_matcher(
		RuntimeOrigin::root(),
		SIGNER,
		SEAL_1,
		[1; 32],
		H256::repeat_byte(2),
		T0 - DAY,
		T0 + 60 * DAY,
	));
	let id = NextMatcherId::<Test>::get() - 1;
	(id, Matchers::<Test>::get(id).unwrap().current_key)
}

fn status(key: u32) -> SealingKeyStatus {
	<MatcherRegistry as epichain_primitives::traits::SealingKeys>::sealing_key_status(key)
}

#[test]
fn authority_registers_a_matcher_with_a_current_key() {
	new_test_ext(|| {
		let (matcher, key) = register();
		System::assert_last_event(
			MatchersEvent::MatcherRegistered {
				matcher,
				signing_key: SIGNER,
				key_id: key,
				measurement: [1; 32],
				valid_from: T0 - DAY,
				valid_until: T0 + 60 * DAY,
			}
			.into(),
		);
		assert_eq!(status(key), SealingKeyStatus::Current);
		assert!(MatcherRegistry::is_current(key));
		assert!(MatcherRegistry::is_active_signer(&SIGNER));
		assert!(!MatcherRegistry::is_active_signer(&[0xA2; 32]));
		assert_eq!(status(key + 1), SealingKeyStatus::Unknown);
	});
}

#[test]
fn registration_refuses_bad_input_and_changes_nothing() {
	new_test_ext(|| {
		let reg = |origin, signer, seal, from, until| {
			MatcherRegistry::register_matcher(
				origin,
				signer,
				seal,
				[1; 32],
				H256::zero(),
				from,
				until,
			)
		};
		assert_noop!(
			reg(RuntimeOrigin::signed(1), SIGNER, SEAL_1, 0, u64::MAX),
			DispatchError::BadOrigin
		);
		assert_noop!(
			reg(RuntimeOrigin::root(), SIGNER, [0; 32], 0, u64::MAX),
			Error::<Test>::InvalidSealingKey
		);
		assert_noop!(
			reg(RuntimeOrigin::root(), SIGNER, SEAL_1, T0, T0),
			Error::<Test>::InvalidValidityWindow
		);
		assert_noop!(
			reg(RuntimeOrigin::root(), SIGNER, SEAL_1, 0, T0),
			Error::<Test>::InvalidValidityWindow
		);
		register();
		assert_noop!(
			reg(RuntimeOrigin::root(), SIGNER, SEAL_2, 0, u64::MAX),
			Error::<Test>::SigningKeyInUse
		);
	});
}

#[test]
fn rotated_key_is_accepted_for_the_grace_period_then_retired() {
	new_test_ext(|| {
		let (matcher, old) = register();
		assert_ok!(MatcherRegistry::rotate_sealing_key(RuntimeOrigin::root(), matcher, SEAL_2));
		let new = Matchers::<Test>::get(matcher).unwrap().current_key;
		System::assert_last_event(
			MatchersEvent::SealingKeyRotated {
				matcher,
				old_key: old,
				new_key: new,
				old_accepted_until: T0 + 3_600,
			}
			.into(),
		);
		assert_eq!(status(old), SealingKeyStatus::Current);
		set_time(T0 + 3_599);
		assert_eq!(status(old), SealingKeyStatus::Current);
		set_time(T0 + 3_600);
		assert_eq!(status(old), SealingKeyStatus::Retired);
		assert_eq!(status(new), SealingKeyStatus::Current);
	});
}

#[test]
fn rotation_refuses_unknown_revoked_and_repeated_keys() {
	new_test_ext(|| {
		assert_noop!(
			MatcherRegistry::rotate_sealing_key(RuntimeOrigin::root(), 9, SEAL_2),
			Error::<Test>::UnknownMatcher
		);
		let (matcher, _) = register();
		assert_noop!(
			MatcherRegistry::rotate_sealing_key(RuntimeOrigin::signed(1), matcher, SEAL_2),
			DispatchError::BadOrigin
		);
		assert_noop!(
			MatcherRegistry::rotate_sealing_key(RuntimeOrigin::root(), matcher, SEAL_1),
			Error::<Test>::InvalidSealingKey
		);
		assert_ok!(MatcherRegistry::revoke_matcher(RuntimeOrigin::root(), matcher));
		assert_noop!(
			MatcherRegistry::rotate_sealing_key(RuntimeOrigin::root(), matcher, SEAL_2),
			Error::<Test>::MatcherRevoked
		);
	});
}

#[test]
fn revoked_or_expired_matchers_are_inactive() {
	new_test_ext(|| {
		let (matcher, key) = register();
		set_time(T0 + 60 * DAY);
		assert_eq!(status(key), SealingKeyStatus::Shredded);
		set_time(T0 + 13 * DAY);
		assert_ok!(MatcherRegistry::renew_attestation(
			RuntimeOrigin::root(),
			matcher,
			H256::repeat_byte(3),
			T0 + 13 * DAY + 1
		));
		System::assert_last_event(
			MatchersEvent::AttestationRenewed {
				matcher,
				attestation_hash: H256::repeat_byte(3),
				valid_until: T0 + 13 * DAY + 1,
			}
			.into(),
		);
		assert_eq!(status(key), SealingKeyStatus::Current);
		set_time(T0 + 13 * DAY + 1);
		assert_eq!(status(key), SealingKeyStatus::MatcherInactive);
		assert!(!MatcherRegistry::is_active_signer(&SIGNER));
		set_time(T0);
		assert_ok!(MatcherRegistry::revoke_matcher(RuntimeOrigin::root(), matcher));
		System::assert_last_event(MatchersEvent::MatcherRevoked { matcher }.into());
		assert_eq!(status(key), SealingKeyStatus::MatcherInactive);
		assert!(!MatcherRegistry::is_active_signer(&SIGNER));
		assert_noop!(
			MatcherRegistry::revoke_matcher(RuntimeOrigin::root(), matcher),
			Error::<Test>::MatcherRevoked
		);
		assert_noop!(
			MatcherRegistry::renew_attestation(
				RuntimeOrigin::root(),
				matcher,
				H256::zero(),
				u64::MAX
			),
			Error::<Test>::MatcherRevoked
		);
	});
}

#[test]
fn not_yet_valid_matcher_is_inactive() {
	new_test_ext(|| {
		assert_ok!(MatcherRegistry::register_matcher(
			RuntimeOrigin::root(),
			SIGNER,
			SEAL_1,
			[1; 32],
			H256::zero(),
			T0 + 10,
			T0 + DAY
		));
		assert_eq!(status(0), SealingKeyStatus::MatcherInactive);
		set_time(T0 + 10);
		assert_eq!(status(0), SealingKeyStatus::Current);
	});
}

#[test]
fn keys_older_than_retention_are_shredded_even_if_current() {
	new_test_ext(|| {
		let (matcher, first) = register();
		set_time(T0 + DAY);
		assert_ok!(MatcherRegistry::rotate_sealing_key(RuntimeOrigin::root(), matcher, SEAL_2));
		let second = first + 1;
		set_time(T0 + 14 * DAY - 1);
		assert_eq!(status(first), SealingKeyStatus::Retired);
		set_time(T0 + 14 * DAY);
		assert_eq!(status(first), SealingKeyStatus::Shredded);
		assert_eq!(status(second), SealingKeyStatus::Current);

		// on_idle removes exactly the expired key, then status stays Shredded.
		MatcherRegistry::on_idle(2, Weight::MAX);
		assert!(!SealingKeys::<Test>::contains_key(first));
		assert!(SealingKeys::<Test>::contains_key(second));
		assert_eq!(OldestKeyId::<Test>::get(), second);
		System::assert_has_event(MatchersEvent::SealingKeyShredded { key_id: first }.into());
		assert_eq!(status(first), SealingKeyStatus::Shredded);

		set_time(T0 + 15 * DAY);
		assert_eq!(status(second), SealingKeyStatus::Shredded);
		MatcherRegistry::on_idle(3, Weight::MAX);
		assert_eq!(SealingKeys::<Test>::iter().count(), 0);
	});
}

#[test]
fn shredding_stops_when_idle_weight_runs_out() {
	new_test_ext(|| {
		let (matcher, _) = register();
		for i in 0..5u8 {
			assert_ok!(MatcherRegistry::rotate_sealing_key(
				RuntimeOrigin::root(),
				matcher,
				[0x60 + i; 32]
			));
		}
		set_time(T0 + 30 * DAY);
		assert_eq!(MatcherRegistry::on_idle(2, Weight::zero()), Weight::zero());
		assert_eq!(SealingKeys::<Test>::iter().count(), 6);
		let step = <() as crate::WeightInfo>::shred_sealing_key();
		let overhead = <<Test as frame_system::Config>::DbWeight as frame_support::traits::Get<
			frame_support::weights::RuntimeDbWeight,
		>>::get()
		.reads(2);
		let used = MatcherRegistry::on_idle(2, overhead + step * 2);
		assert_eq!(used, overhead + step * 2);
		assert_eq!(SealingKeys::<Test>::iter().count(), 4);
		MatcherRegistry::on_idle(3, Weight::MAX);
		assert_eq!(SealingKeys::<Test>::iter().count(), 0);
	});
}

/// A second matcher serving beside the first would split the region's data: each would see
/// only the stays sealed to its own keys. The registry allows one at a time.
#[test]
fn a_region_has_one_matcher_at_a_time() {
	new_test_ext(|| {
		let reg = |signer: u8, from: u64, until: u64| {
			MatcherRegistry::register_matcher(
				RuntimeOrigin::root(),
				[signer; 32],
				[signer; 32],
				[1; 32],
				H256::zero(),
				from,
				until,
			)
		};
		// The first serves from T0 - 1 day to T0 + 60 days.
		let (first, _) = register();
		// Overlapping its window, from either side or inside it: refused.
		for (from, until) in
			[(T0, T0 + DAY), (T0 - 2 * DAY, T0 + 1), (T0 + 59 * DAY, T0 + 90 * DAY)]
		{
			assert_noop!(reg(0xB1, from, until), Error::<Test>::AnotherMatcherServes);
		}
		// A scheduled handover: the successor's window starts when the first one's ends.
		assert_ok!(reg(0xB2, T0 + 60 * DAY, T0 + 120 * DAY));
		let second = NextMatcherId::<Test>::get() - 1;
		assert_eq!(Lineup::<Test>::get().into_inner(), vec![first, second]);
		// The first cannot be renewed into its successor's window.
		assert_noop!(
			MatcherRegistry::renew_attestation(
				RuntimeOrigin::root(),
				first,
				H256::zero(),
				T0 + 61 * DAY
			),
			Error::<Test>::AnotherMatcherServes
		);
		// Revoking the first frees its window for a replacement.
		assert_ok!(MatcherRegistry::revoke_matcher(RuntimeOrigin::root(), first));
		assert_eq!(Lineup::<Test>::get().into_inner(), vec![second]);
		assert_ok!(reg(0xB3, T0, T0 + 60 * DAY));
		assert!(MatcherRegistry::is_active_signer(&[0xB3; 32]));
		assert!(!MatcherRegistry::is_active_signer(&SIGNER));
		// The lineup is bounded: two more scheduled windows fill it.
		assert_ok!(reg(0xB4, T0 + 120 * DAY, T0 + 130 * DAY));
		assert_ok!(reg(0xB5, T0 + 130 * DAY, T0 + 140 * DAY));
		assert_noop!(reg(0xB6, T0 + 140 * DAY, T0 + 150 * DAY), Error::<Test>::LineupFull);
		// Once a window is over, its matcher leaves the lineup at the next change.
		set_time(T0 + 60 * DAY);
		assert_ok!(reg(0xB6, T0 + 140 * DAY, T0 + 150 * DAY));
		// (The replacement's window, T0 .. T0 + 60 days, is over.)
		assert_eq!(
			Lineup::<Test>::get().into_inner(),
			vec![second, second + 2, second + 3, second + 4]
		);
	});
}

#[test]
fn the_key_to_seal_to_is_the_serving_matchers_current_one() {
	new_test_ext(|| {
		let now = || MatcherRegistry::current_sealing_key_at(MatcherRegistry::now());
		assert_eq!(now(), None, "no matcher registered");
		let (matcher, first) = register();
		assert_eq!(now(), Some(CurrentSealingKey { matcher, key_id: first, public: SEAL_1 }));
		// After a rotation writers seal to the new key at once, though the old one is still
		// accepted for the grace period.
		assert_ok!(MatcherRegistry::rotate_sealing_key(RuntimeOrigin::root(), matcher, SEAL_2));
		let second = Matchers::<Test>::get(matcher).unwrap().current_key;
		assert_eq!(status(first), SealingKeyStatus::Current);
		assert_eq!(now(), Some(CurrentSealingKey { matcher, key_id: second, public: SEAL_2 }));
		// Outside the validity window, shredded by age, or revoked: nothing to seal to.
		assert_eq!(MatcherRegistry::current_sealing_key_at(T0 - DAY - 1), None);
		assert_eq!(MatcherRegistry::current_sealing_key_at(T0 + 60 * DAY), None);
		set_time(T0 + 30 * DAY);
		assert_eq!(now(), None, "the current key outlived the retention window");
		set_time(T0);
		assert_ok!(MatcherRegistry::revoke_matcher(RuntimeOrigin::root(), matcher));
		assert_eq!(now(), None);
	});
}

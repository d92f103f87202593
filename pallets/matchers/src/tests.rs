//! Behaviour of the matcher registry.

use crate::{
	mock::*, pallet::*, Admitted, CurrentSealingKey, Event as MatchersEvent, Evidence, Tee,
};
use epichain_primitives::{
	traits::{MatcherSigners, SealingKeyStatus, SealingKeys as _},
	SECONDS_PER_DAY,
};
use frame_support::{assert_noop, assert_ok, traits::Hooks, weights::Weight};
use sp_core::H256;
use sp_runtime::DispatchError;

/// The matcher's signing key: the ed25519 public key of seed `[0xA1; 32]` ([`endorse`] signs
/// with it; `the_signer_is_the_test_seeds_key` checks the bytes).
const SIGNER: [u8; 32] = [
	0xbc, 0x7c, 0xbc, 0xb5, 0x63, 0x63, 0x75, 0xfa, 0x1d, 0x82, 0x43, 0x4d, 0x46, 0x67, 0x24, 0xd9,
	0x23, 0x77, 0xf5, 0x3b, 0x98, 0x06, 0x95, 0xdd, 0x49, 0xd2, 0x6d, 0x0c, 0xe1, 0x22, 0x05, 0xa5,
];
const SEAL_1: [u8; 32] = [0x51; 32];
const SEAL_2: [u8; 32] = [0x52; 32];
const DAY: u64 = SECONDS_PER_DAY;

/// The matcher's endorsement of `sealing_key`: its signing key's signature of the keys' binding.
fn endorse(sealing_key: [u8; 32]) -> [u8; 64] {
	use sp_core::Pair;
	let pair = sp_core::ed25519::Pair::from_seed(&[0xA1; 32]);
	pair.sign(&epichain_primitives::signing::matcher_report_data(&SIGNER, &sealing_key)).0
}

/// SIMULATION evidence (the mock's genesis allows it).
fn sim() -> Box<Evidence> {
	Box::new(Evidence::Simulation { measurement: [1; 32] })
}

/// What [`sim`] admits.
fn simulated() -> Admitted {
	Admitted { tee: Tee::Simulation, measurement: [1; 32], tcb: None }
}

fn register() -> (crate::MatcherId, u32) {
	assert_ok!(MatcherRegistry::register_matcher(
		RuntimeOrigin::root(),
		SIGNER,
		SEAL_1,
		sim(),
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
				admitted: simulated(),
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
			MatcherRegistry::register_matcher(origin, signer, seal, sim(), from, until)
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
		assert_ok!(MatcherRegistry::rotate_sealing_key(
			RuntimeOrigin::root(),
			matcher,
			SEAL_2,
			endorse(SEAL_2)
		));
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
			MatcherRegistry::rotate_sealing_key(RuntimeOrigin::root(), 9, SEAL_2, endorse(SEAL_2)),
			Error::<Test>::UnknownMatcher
		);
		let (matcher, _) = register();
		assert_noop!(
			MatcherRegistry::rotate_sealing_key(
				RuntimeOrigin::signed(1),
				matcher,
				SEAL_2,
				endorse(SEAL_2)
			),
			DispatchError::BadOrigin
		);
		assert_noop!(
			MatcherRegistry::rotate_sealing_key(
				RuntimeOrigin::root(),
				matcher,
				SEAL_1,
				endorse(SEAL_1)
			),
			Error::<Test>::InvalidSealingKey
		);
		assert_ok!(MatcherRegistry::revoke_matcher(RuntimeOrigin::root(), matcher));
		assert_noop!(
			MatcherRegistry::rotate_sealing_key(
				RuntimeOrigin::root(),
				matcher,
				SEAL_2,
				endorse(SEAL_2)
			),
			Error::<Test>::MatcherRevoked
		);
	});
}

#[test]
fn the_signer_is_the_test_seeds_key() {
	use sp_core::Pair;
	assert_eq!(sp_core::ed25519::Pair::from_seed(&[0xA1; 32]).public().0, SIGNER);
}

#[cfg(feature = "runtime-benchmarks")]
#[test]
fn the_benchmarks_endorsement_is_sp_cores_signature() {
	use crate::benchmarking::{ENDORSEMENT_OF_9S, ENDORSING_SIGNER};
	use sp_core::Pair;
	let pair = sp_core::ed25519::Pair::from_seed(&[0x4d; 32]);
	assert_eq!(pair.public().0, ENDORSING_SIGNER);
	let message = epichain_primitives::signing::matcher_report_data(&ENDORSING_SIGNER, &[9; 32]);
	assert_eq!(pair.sign(&message).0, ENDORSEMENT_OF_9S);
}

/// Only the enclave can add a key writers seal to: the authority cannot slip in its own.
#[test]
fn a_sealing_key_the_matcher_did_not_endorse_is_refused() {
	new_test_ext(|| {
		let (matcher, first) = register();
		let rotate = |key, endorsement| {
			MatcherRegistry::rotate_sealing_key(RuntimeOrigin::root(), matcher, key, endorsement)
		};
		// Endorsing another key, a changed byte, another signer's endorsement, none at all.
		assert_noop!(rotate(SEAL_2, endorse([0x53; 32])), Error::<Test>::SealingKeyNotEndorsed);
		let mut changed = endorse(SEAL_2);
		changed[10] ^= 1;
		assert_noop!(rotate(SEAL_2, changed), Error::<Test>::SealingKeyNotEndorsed);
		let stranger = {
			use sp_core::Pair;
			let pair = sp_core::ed25519::Pair::from_seed(&[0xB2; 32]);
			pair.sign(&epichain_primitives::signing::matcher_report_data(&SIGNER, &SEAL_2)).0
		};
		assert_noop!(rotate(SEAL_2, stranger), Error::<Test>::SealingKeyNotEndorsed);
		assert_noop!(rotate(SEAL_2, [0; 64]), Error::<Test>::SealingKeyNotEndorsed);
		assert_eq!(Matchers::<Test>::get(matcher).unwrap().current_key, first);
		assert_ok!(rotate(SEAL_2, endorse(SEAL_2)));
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
			sim(),
			T0 + 13 * DAY + 1
		));
		System::assert_last_event(
			MatchersEvent::AttestationRenewed {
				matcher,
				admitted: simulated(),
				attestation_hash: H256(sim().hash()),
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
			MatcherRegistry::renew_attestation(RuntimeOrigin::root(), matcher, sim(), u64::MAX),
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
			sim(),
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
		assert_ok!(MatcherRegistry::rotate_sealing_key(
			RuntimeOrigin::root(),
			matcher,
			SEAL_2,
			endorse(SEAL_2)
		));
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
				[0x60 + i; 32],
				endorse([0x60 + i; 32])
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
				sim(),
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
			MatcherRegistry::renew_attestation(RuntimeOrigin::root(), first, sim(), T0 + 61 * DAY),
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
		assert_ok!(MatcherRegistry::rotate_sealing_key(
			RuntimeOrigin::root(),
			matcher,
			SEAL_2,
			endorse(SEAL_2)
		));
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

mod attestation {
	//! The registry checks attestation evidence itself: real Intel quotes
	//! ([`epichain_attestation::samples`]), at a chain clock inside their collateral's dates.
	use super::*;
	use crate::{Policy, TcbStatus};
	use epichain_attestation::{samples, verify_quote, DcapCollateral};
	use frame_support::{dispatch::GetDispatchInfo, BoundedVec};
	use sp_runtime::BuildStorage;

	fn dcap(quote: &[u8], collateral: &[u8]) -> Box<Evidence> {
		Box::new(Evidence::Dcap {
			quote: BoundedVec::truncate_from(quote.to_vec()),
			collateral: samples::collateral(collateral),
		})
	}

	fn sgx() -> Box<Evidence> {
		dcap(samples::SGX_QUOTE, samples::SGX_COLLATERAL)
	}

	/// The SGX sample's measurement, read by the verifier.
	fn sgx_measurement() -> [u8; 32] {
		let collateral: DcapCollateral = samples::collateral(samples::SGX_COLLATERAL);
		verify_quote(samples::SGX_QUOTE, &collateral, samples::IN_DATE).unwrap().measurement
	}

	/// A policy that admits the SGX sample's platform and build.
	fn admitting_the_sample() -> Policy {
		Policy {
			measurements: BoundedVec::truncate_from(vec![sgx_measurement()]),
			accepted_tcb: BoundedVec::truncate_from(vec![
				TcbStatus::ConfigurationAndSwHardeningNeeded,
			]),
		}
	}

	fn register(evidence: Box<Evidence>) -> frame_support::dispatch::DispatchResult {
		MatcherRegistry::register_matcher(
			RuntimeOrigin::root(),
			SIGNER,
			SEAL_1,
			evidence,
			0,
			u64::MAX,
		)
	}

	#[test]
	fn a_real_quote_is_verified_on_chain_and_refused_only_for_not_binding_the_keys() {
		new_test_ext(|| {
			set_time(samples::IN_DATE);
			AttestationPolicy::<Test>::put(admitting_the_sample());
			// Intel's sample binds "Hello, world!", not these keys: every other check passed.
			assert_noop!(register(sgx()), Error::<Test>::ReportDataMismatch);
		});
	}

	#[test]
	fn every_forgery_of_dcap_evidence_is_refused_by_name_and_changes_nothing() {
		new_test_ext(|| {
			set_time(samples::IN_DATE);
			AttestationPolicy::<Test>::put(admitting_the_sample());
			let mut tampered = samples::SGX_QUOTE.to_vec();
			tampered[112] ^= 1; // the MRENCLAVE's first byte
			assert_noop!(
				register(dcap(&tampered, samples::SGX_COLLATERAL)),
				Error::<Test>::QuoteInvalid
			);
			assert_noop!(
				register(dcap(samples::SGX_QUOTE, samples::TDX_COLLATERAL)),
				Error::<Test>::QuoteInvalid
			);
			// The chain's clock past the collateral's next update (2025-07-19).
			set_time(samples::IN_DATE + 30 * DAY);
			assert_noop!(register(sgx()), Error::<Test>::CollateralExpired);
			set_time(samples::IN_DATE - 60 * DAY);
			assert_noop!(register(sgx()), Error::<Test>::CollateralNotYetValid);
			set_time(samples::IN_DATE);
			// A build the region does not run.
			let mut other_build = admitting_the_sample();
			other_build.measurements = BoundedVec::truncate_from(vec![[0x42; 32]]);
			AttestationPolicy::<Test>::put(other_build);
			assert_noop!(register(sgx()), Error::<Test>::MeasurementNotAllowed);
			// The default policy accepts only UpToDate and SWHardeningNeeded platforms.
			let strict = Policy {
				measurements: BoundedVec::truncate_from(vec![sgx_measurement()]),
				..Policy::default()
			};
			AttestationPolicy::<Test>::put(strict);
			assert_noop!(register(sgx()), Error::<Test>::TcbStatusRefused);
			assert!(Matchers::<Test>::iter().next().is_none());
		});
	}

	#[test]
	fn simulation_is_refused_where_genesis_does_not_allow_it() {
		new_test_ext(|| {
			SimulationAllowed::<Test>::put(false);
			assert_noop!(register(sim()), Error::<Test>::SimulationNotAllowed);
		});
	}

	#[test]
	fn renewal_checks_the_evidence_against_the_matchers_own_keys() {
		new_test_ext(|| {
			let (matcher, _) = super::register();
			set_time(samples::IN_DATE);
			AttestationPolicy::<Test>::put(admitting_the_sample());
			assert_noop!(
				MatcherRegistry::renew_attestation(RuntimeOrigin::root(), matcher, sgx(), u64::MAX),
				Error::<Test>::ReportDataMismatch
			);
			SimulationAllowed::<Test>::put(false);
			assert_noop!(
				MatcherRegistry::renew_attestation(RuntimeOrigin::root(), matcher, sim(), u64::MAX),
				Error::<Test>::SimulationNotAllowed
			);
		});
	}

	#[test]
	fn the_authority_sets_the_policy_and_no_one_else() {
		new_test_ext(|| {
			let policy = admitting_the_sample();
			assert_noop!(
				MatcherRegistry::set_attestation_policy(RuntimeOrigin::signed(1), policy.clone()),
				DispatchError::BadOrigin
			);
			assert_eq!(AttestationPolicy::<Test>::get(), Policy::default());
			assert_ok!(MatcherRegistry::set_attestation_policy(
				RuntimeOrigin::root(),
				policy.clone()
			));
			assert_eq!(AttestationPolicy::<Test>::get(), policy);
			System::assert_last_event(MatchersEvent::AttestationPolicySet { policy }.into());
		});
	}

	#[test]
	fn genesis_sets_simulation_and_the_allow_list() {
		let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		crate::GenesisConfig::<Test> {
			allow_simulation: false,
			measurements: vec![[7; 32], [8; 32]],
			..Default::default()
		}
		.assimilate_storage(&mut storage)
		.unwrap();
		sp_io::TestExternalities::new(storage).execute_with(|| {
			assert!(!SimulationAllowed::<Test>::get());
			let policy = AttestationPolicy::<Test>::get();
			assert_eq!(policy.measurements.into_inner(), vec![[7; 32], [8; 32]]);
			assert_eq!(policy.accepted_tcb, Policy::default().accepted_tcb);
		});
	}

	#[test]
	fn dcap_evidence_weighs_a_quote_verification_more_than_simulation() {
		let call = |evidence| crate::Call::<Test>::register_matcher {
			signing_key: SIGNER,
			sealing_key: SEAL_1,
			evidence,
			valid_from: 0,
			valid_until: u64::MAX,
		};
		let simulated = call(sim()).get_dispatch_info().call_weight;
		let quoted = call(sgx()).get_dispatch_info().call_weight;
		assert_eq!(
			quoted,
			simulated.saturating_add(<() as crate::WeightInfo>::verify_dcap_quote())
		);
	}
}

//! Behaviour of the diagnostician registry, endorsements, revocation and retention.

use crate::{mock::*, *};
use codec::Encode;
use epichain_primitives::{
	diagnosis::{case_nullifier, CaseNullifier, ConsentedPseudonym, DayWindow},
	pseudonym::{fingerprint, DeviceSeed},
	tcn::SignedReport,
	SECONDS_PER_DAY,
};
use frame_support::{
	assert_noop, assert_ok,
	pallet_prelude::{InvalidTransaction, TransactionSource, TransactionValidityError},
	traits::{Authorize, Hooks, UnfilteredDispatchable},
	weights::{RuntimeDbWeight, Weight},
};
use sp_core::{Get, H256};
use sp_runtime::{testing::TestSignature, DispatchError};

const HOSPITAL: u64 = 20;
const CLINIC: u64 = 21;
const STRANGER: u64 = 99;

fn tokyo_diagnosticians() -> Vec<(u64, Vec<u8>)> {
	vec![(HOSPITAL, b"xn7".to_vec()), (CLINIC, b"xn76".to_vec())]
}

fn genesis() -> H256 {
	System::block_hash(0)
}

/// A synthetic patient's device.
fn patient(n: u8) -> DeviceSeed {
	DeviceSeed::from_bytes([n; 32])
}

fn nullifier(case: &str) -> CaseNullifier {
	case_nullifier(b"synthetic-lab", case.as_bytes())
}

/// `patient`'s endorsement for `diagnostician`, one consented pseudonym per window day (the
/// last 14 days of a longer window).
fn endorsement(
	diagnostician: u64,
	patient: &DeviceSeed,
	nullifier: CaseNullifier,
	window: DayWindow,
) -> EndorsementOf<Test> {
	let pseudonyms = (window.first.max(window.last.saturating_sub(13))..=window.last)
		.map(|day| {
			ConsentedPseudonym::sign(
				&patient.pseudonym_key(day),
				genesis().as_ref(),
				&diagnostician.encode(),
				&nullifier,
			)
		})
		.collect::<Vec<_>>();
	Endorsement {
		nullifier,
		window,
		pseudonyms: pseudonyms.try_into().expect("window within bounds"),
		reports: Default::default(),
		valid_until: VALID_UNTIL,
	}
}

/// The default window of a case with onset yesterday, isolated today: 4 days.
fn window() -> DayWindow {
	DayWindow::from_onset(DAY0 - 1, DAY0)
}

/// `e` with its pseudonyms edited by `f`.
fn edited(
	mut e: EndorsementOf<Test>,
	f: impl FnOnce(&mut Vec<ConsentedPseudonym>),
) -> EndorsementOf<Test> {
	let mut pseudonyms = e.pseudonyms.into_inner();
	f(&mut pseudonyms);
	e.pseudonyms = pseudonyms.try_into().expect("edits keep the bound");
	e
}

fn sign(diagnostician: u64, e: &EndorsementOf<Test>) -> TestSignature {
	TestSignature(diagnostician, endorsement_signing_payload(genesis().as_ref(), e).to_vec())
}

/// The transaction pool's verdict, through the same `authorize` path `AuthorizeCall` takes.
fn pool_signed(
	diagnostician: u64,
	e: &EndorsementOf<Test>,
	signature: TestSignature,
) -> Result<(), TransactionValidityError> {
	let call = Call::<Test>::endorse_case { diagnostician, endorsement: e.clone(), signature };
	call.authorize(TransactionSource::External).expect("endorse_case is authorized").map(|_| ())
}

fn pool(diagnostician: u64, e: &EndorsementOf<Test>) -> Result<(), TransactionValidityError> {
	pool_signed(diagnostician, e, sign(diagnostician, e))
}

fn rejected(e: Error<Test>) -> Result<(), TransactionValidityError> {
	Err(InvalidTransaction::Custom(e.encode()[0]).into())
}

/// Pool check, then dispatch with the authorized origin, as a block would.
fn endorse(diagnostician: u64, e: EndorsementOf<Test>) -> Result<(), TransactionValidityError> {
	pool(diagnostician, &e)?;
	let signature = sign(diagnostician, &e);
	Diagnosis::endorse_case(
		frame_system::RawOrigin::Authorized.into(),
		diagnostician,
		e,
		signature,
	)
	.expect("an endorsement the pool accepts dispatches");
	Ok(())
}

/// The block signed messages of these tests are valid until: an hour of 6 s blocks ahead.
const VALID_UNTIL: u32 = 600;

fn revocation_call(diagnostician: u64, case: u64, reason: RevocationReason) -> Call<Test> {
	revocation_call_until(diagnostician, case, reason, VALID_UNTIL)
}

fn revocation_call_until(
	diagnostician: u64,
	case: u64,
	reason: RevocationReason,
	valid_until: u32,
) -> Call<Test> {
	let payload = revocation_signing_payload(genesis().as_ref(), case, reason, valid_until);
	Call::<Test>::revoke_endorsement {
		diagnostician,
		case,
		reason,
		valid_until,
		signature: TestSignature(diagnostician, payload.to_vec()),
	}
}

fn pool_revocation(diagnostician: u64, case: u64) -> Result<(), TransactionValidityError> {
	revocation_call(diagnostician, case, RevocationReason::FalsePositive)
		.authorize(TransactionSource::External)
		.expect("revoke_endorsement is authorized")
		.map(|_| ())
}

/// The reference implementation's signed report (TCN test vector).
fn tcn_vector() -> SignedReport {
	let line = include_str!("../../../primitives/test-vectors/tcn.txt")
		.lines()
		.find(|l| l.starts_with("signed_report "))
		.expect("the vector file has the signed report");
	let bytes = hex::decode(line.split_whitespace().nth(1).unwrap()).unwrap();
	SignedReport::from_bytes(&bytes).expect("the vector parses")
}

#[test]
fn authority_manages_the_diagnostician_registry() {
	new_test_ext(vec![], || {
		let jurisdiction: Region = b"xn76".to_vec().try_into().unwrap();
		assert_noop!(
			Diagnosis::register_diagnostician(
				RuntimeOrigin::signed(HOSPITAL),
				HOSPITAL,
				jurisdiction.clone(),
				H256::zero()
			),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Diagnosis::register_diagnostician(
				RuntimeOrigin::root(),
				HOSPITAL,
				b"xn7a".to_vec().try_into().unwrap(),
				H256::zero()
			),
			Error::<Test>::InvalidJurisdiction
		);
		assert_ok!(Diagnosis::register_diagnostician(
			RuntimeOrigin::root(),
			HOSPITAL,
			jurisdiction.clone(),
			H256::repeat_byte(7)
		));
		System::assert_last_event(
			Event::DiagnosticianRegistered { diagnostician: HOSPITAL, jurisdiction }.into(),
		);
		assert_noop!(
			Diagnosis::register_diagnostician(
				RuntimeOrigin::root(),
				HOSPITAL,
				Region::default(),
				H256::zero()
			),
			Error::<Test>::AlreadyDiagnostician
		);
		assert_noop!(
			Diagnosis::suspend_diagnostician(RuntimeOrigin::signed(HOSPITAL), HOSPITAL),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Diagnosis::resume_diagnostician(RuntimeOrigin::root(), HOSPITAL),
			Error::<Test>::NotSuspended
		);
		assert_ok!(Diagnosis::suspend_diagnostician(RuntimeOrigin::root(), HOSPITAL));
		System::assert_last_event(Event::DiagnosticianSuspended { diagnostician: HOSPITAL }.into());
		assert_noop!(
			Diagnosis::suspend_diagnostician(RuntimeOrigin::root(), HOSPITAL),
			Error::<Test>::DiagnosticianSuspended
		);
		assert_ok!(Diagnosis::resume_diagnostician(RuntimeOrigin::root(), HOSPITAL));
		System::assert_last_event(Event::DiagnosticianResumed { diagnostician: HOSPITAL }.into());
		assert_noop!(
			Diagnosis::remove_diagnostician(RuntimeOrigin::signed(1), HOSPITAL),
			DispatchError::BadOrigin
		);
		assert_ok!(Diagnosis::remove_diagnostician(RuntimeOrigin::root(), HOSPITAL));
		System::assert_last_event(Event::DiagnosticianRemoved { diagnostician: HOSPITAL }.into());
		assert_eq!(DiagnosticianCount::<Test>::get(), 0);
		for call in [
			Diagnosis::suspend_diagnostician,
			Diagnosis::resume_diagnostician,
			Diagnosis::remove_diagnostician,
		] {
			assert_noop!(call(RuntimeOrigin::root(), STRANGER), Error::<Test>::NotDiagnostician);
		}
	});
}

#[test]
fn a_consented_endorsement_opens_a_job_and_publishes_fingerprints_only() {
	new_test_ext(tokyo_diagnosticians(), || {
		let alice = patient(1);
		let e = endorsement(HOSPITAL, &alice, nullifier("case-1"), window());
		assert_eq!(e.pseudonyms.len(), 4);
		assert_eq!(endorse(HOSPITAL, e.clone()), Ok(()));
		System::assert_last_event(
			Event::CaseEndorsed {
				case: 0,
				diagnostician: HOSPITAL,
				jurisdiction: b"xn7".to_vec().try_into().unwrap(),
				pseudonyms: 4,
				reports: 0,
			}
			.into(),
		);
		let pseudonyms: Vec<_> = (DAY0 - 3..=DAY0).map(|d| (d, alice.pseudonym(d))).collect();
		assert_eq!(jobs(), vec![JobCall::Open(0, window(), pseudonyms)]);
		for day in DAY0 - 3..=DAY0 {
			assert_eq!(
				Diagnosis::endorsed_fingerprints(day),
				vec![fingerprint(&alice.pseudonym(day))]
			);
		}
		assert!(Diagnosis::endorsed_fingerprints(DAY0 - 4).is_empty());
		assert_eq!(Nullifiers::<Test>::get(nullifier("case-1")), Some(0));
		let view = Diagnosis::case_view(0).unwrap();
		assert_eq!((view.pseudonyms, view.status), (4, CaseStatus::Active));
		assert_eq!(
			Diagnosis::jurisdiction_counts(DAY0),
			vec![JurisdictionCount {
				jurisdiction: b"xn7".to_vec().try_into().unwrap(),
				endorsed: 1,
				revoked: 0
			}]
		);
		// The diagnostician paid nothing and used no nonce: there is nothing to pay with.
		assert_eq!(System::account_nonce(HOSPITAL), 0);
	});
}

#[test]
fn a_replayed_nullifier_is_refused_whoever_endorses_it() {
	new_test_ext(tokyo_diagnosticians(), || {
		let first = endorsement(HOSPITAL, &patient(1), nullifier("case-1"), window());
		assert_eq!(endorse(HOSPITAL, first.clone()), Ok(()));
		// The same transaction again, and the same case by another diagnostician for another
		// patient: both refused in the pool.
		assert_eq!(pool(HOSPITAL, &first), rejected(Error::<Test>::NullifierUsed));
		let other = endorsement(CLINIC, &patient(2), nullifier("case-1"), window());
		assert_eq!(pool(CLINIC, &other), rejected(Error::<Test>::NullifierUsed));
		assert_noop!(
			Diagnosis::endorse_case(
				frame_system::RawOrigin::Authorized.into(),
				CLINIC,
				other.clone(),
				sign(CLINIC, &other)
			),
			Error::<Test>::NullifierUsed
		);
		// A patient endorsed already cannot be endorsed again for the same days under a new
		// nullifier while the first case is active.
		let again = endorsement(CLINIC, &patient(1), nullifier("case-2"), window());
		assert_eq!(pool(CLINIC, &again), rejected(Error::<Test>::AlreadyEndorsed));
	});
}

#[test]
fn non_diagnosticians_and_suspended_ones_are_refused_in_the_pool() {
	new_test_ext(tokyo_diagnosticians(), || {
		let e = endorsement(STRANGER, &patient(1), nullifier("case-1"), window());
		assert_eq!(pool(STRANGER, &e), rejected(Error::<Test>::NotDiagnostician));
		assert_noop!(
			Diagnosis::endorse_case(
				RuntimeOrigin::signed(HOSPITAL),
				HOSPITAL,
				e.clone(),
				sign(HOSPITAL, &e)
			),
			DispatchError::BadOrigin
		);
		assert_ok!(Diagnosis::suspend_diagnostician(RuntimeOrigin::root(), HOSPITAL));
		let e = endorsement(HOSPITAL, &patient(1), nullifier("case-1"), window());
		assert_eq!(pool(HOSPITAL, &e), rejected(Error::<Test>::DiagnosticianSuspended));
		assert!(jobs().is_empty());
	});
}

#[test]
fn forged_signatures_are_refused() {
	new_test_ext(tokyo_diagnosticians(), || {
		let e = endorsement(HOSPITAL, &patient(1), nullifier("case-1"), window());
		// Signed by another account than the one it names.
		let forged = TestSignature(CLINIC, sign(HOSPITAL, &e).1);
		assert_eq!(pool_signed(HOSPITAL, &e, forged), Err(InvalidTransaction::BadProof.into()));
		// The consents were given to HOSPITAL: CLINIC cannot reuse them.
		assert_eq!(pool(CLINIC, &e), rejected(Error::<Test>::BadConsent));
		// One bad consent among four spoils the whole endorsement.
		let one_bad = edited(e.clone(), |p| p[2].consent[10] ^= 1);
		assert_eq!(pool(HOSPITAL, &one_bad), rejected(Error::<Test>::BadConsent));
		// A consent signed by another key than the pseudonym it accompanies.
		let wrong_key = edited(e.clone(), |p| p[1].pseudonym = patient(2).pseudonym(p[1].day));
		assert_eq!(pool(HOSPITAL, &wrong_key), rejected(Error::<Test>::BadConsent));
		// A consent moved to another day's slot.
		let mut moved = edited(e.clone(), |p| p[0].day = DAY0 - 4);
		moved.window.first = DAY0 - 4;
		assert_eq!(pool(HOSPITAL, &moved), rejected(Error::<Test>::BadConsent));
		assert!(Cases::<Test>::iter().next().is_none());
	});
}

#[test]
fn windows_must_fit_the_retention_window_and_hold_their_pseudonyms() {
	new_test_ext(tokyo_diagnosticians(), || {
		let alice = patient(1);
		let refused = |window: DayWindow| {
			pool(HOSPITAL, &endorsement(HOSPITAL, &alice, nullifier("w"), window))
		};
		assert_eq!(
			refused(DayWindow { first: DAY0 - 14, last: DAY0 }),
			rejected(Error::<Test>::WindowTooLong)
		);
		assert_eq!(
			refused(DayWindow { first: DAY0 - 14, last: DAY0 - 2 }),
			rejected(Error::<Test>::WindowOutOfRange)
		);
		assert_eq!(
			refused(DayWindow { first: DAY0, last: DAY0 + 1 }),
			rejected(Error::<Test>::WindowOutOfRange)
		);
		// The longest window: 14 days ending today.
		assert_eq!(refused(DayWindow { first: DAY0 - 13, last: DAY0 }), Ok(()));

		let e = edited(endorsement(HOSPITAL, &alice, nullifier("w"), window()), |p| p.swap(0, 1));
		assert_eq!(pool(HOSPITAL, &e), rejected(Error::<Test>::PseudonymsUnordered));
		let mut e = endorsement(HOSPITAL, &alice, nullifier("w"), window());
		e.window.first += 1;
		assert_eq!(pool(HOSPITAL, &e), rejected(Error::<Test>::PseudonymOutsideWindow));
		let e = edited(endorsement(HOSPITAL, &alice, nullifier("w"), window()), |p| p.clear());
		assert_eq!(pool(HOSPITAL, &e), rejected(Error::<Test>::NoPseudonyms));
		// A patient whose phone was off some days endorses the days it has.
		let e = edited(endorsement(HOSPITAL, &alice, nullifier("w"), window()), |p| {
			p.remove(1);
		});
		assert_eq!(endorse(HOSPITAL, e), Ok(()));
		assert!(Diagnosis::endorsed_fingerprints(DAY0 - 2).is_empty());
	});
}

#[test]
fn a_diagnostician_is_rate_limited_per_day() {
	new_test_ext(tokyo_diagnosticians(), || {
		for n in 0..3u8 {
			let e = endorsement(HOSPITAL, &patient(n), nullifier(&format!("c{n}")), window());
			assert_eq!(endorse(HOSPITAL, e), Ok(()));
		}
		let fourth = endorsement(HOSPITAL, &patient(9), nullifier("c9"), window());
		assert_eq!(pool(HOSPITAL, &fourth), rejected(Error::<Test>::RateLimited));
		// Others are not affected, and the limit resets the next day.
		let clinic = endorsement(CLINIC, &patient(8), nullifier("c8"), window());
		assert_eq!(endorse(CLINIC, clinic), Ok(()));
		set_time(T0 + SECONDS_PER_DAY + 3_600);
		let next_day = DayWindow::from_onset(DAY0, DAY0 + 1);
		let fourth = endorsement(HOSPITAL, &patient(9), nullifier("c9"), next_day);
		assert_eq!(endorse(HOSPITAL, fourth), Ok(()));
		assert_eq!(DailyEndorsements::<Test>::get(HOSPITAL), Some((DAY0 + 1, 1)));
	});
}

#[test]
fn the_specifications_tcn_report_verifies_on_chain() {
	new_test_ext(tokyo_diagnosticians(), || {
		let report = tcn_vector();
		let mut e = endorsement(HOSPITAL, &patient(1), nullifier("bt"), window());
		e.reports.try_push(report.clone()).unwrap();
		assert_eq!(endorse(HOSPITAL, e), Ok(()));
		assert_eq!(Diagnosis::proximity_reports(DAY0), vec![report.clone()]);
		assert_eq!(Diagnosis::case_view(0).unwrap().reports, 1);
		// Phones recompute the TCNs from what the chain serves.
		assert_eq!(
			hex::encode(Diagnosis::proximity_reports(DAY0)[0].temporary_contact_numbers()[0]),
			"135eeaa6482b8852fea3544edf6eabf0"
		);
	});
}

#[test]
fn a_proximity_report_with_a_bad_signature_or_shape_is_refused() {
	new_test_ext(tokyo_diagnosticians(), || {
		let with_report = |report: SignedReport| {
			let mut e = endorsement(HOSPITAL, &patient(1), nullifier("bt"), window());
			e.reports.try_push(report).unwrap();
			pool(HOSPITAL, &e)
		};
		let mut altered_memo = tcn_vector();
		altered_memo.memo[0] ^= 1;
		assert_eq!(with_report(altered_memo), rejected(Error::<Test>::BadProximityReport));
		let mut altered_range = tcn_vector();
		altered_range.j2 = 11;
		assert_eq!(with_report(altered_range), rejected(Error::<Test>::BadProximityReport));
		let mut j1_zero = tcn_vector();
		j1_zero.j1 = 0;
		assert_eq!(with_report(j1_zero), rejected(Error::<Test>::InvalidProximityReport));
		let mut inverted = tcn_vector();
		inverted.j2 = 1;
		assert_eq!(with_report(inverted), rejected(Error::<Test>::InvalidProximityReport));
	});
}

#[test]
fn the_endorser_revokes_its_case_and_the_pending_job_is_cancelled() {
	new_test_ext(tokyo_diagnosticians(), || {
		let alice = patient(1);
		let mut e = endorsement(HOSPITAL, &alice, nullifier("case-1"), window());
		e.reports.try_push(tcn_vector()).unwrap();
		assert_eq!(endorse(HOSPITAL, e), Ok(()));
		// Another diagnostician, a stranger, an unknown case: refused in the pool.
		assert_eq!(pool_revocation(CLINIC, 0), rejected(Error::<Test>::NotEndorser));
		assert_eq!(pool_revocation(STRANGER, 0), rejected(Error::<Test>::NotDiagnostician));
		assert_eq!(pool_revocation(HOSPITAL, 7), rejected(Error::<Test>::UnknownCase));
		let mut forged = revocation_call(HOSPITAL, 0, RevocationReason::FalsePositive);
		if let Call::revoke_endorsement { signature, .. } = &mut forged {
			signature.0 = CLINIC;
		}
		assert_eq!(
			forged.authorize(TransactionSource::External).unwrap().map(|_| ()),
			Err(InvalidTransaction::BadProof.into())
		);
		// A signed origin is not the authorized one.
		assert_noop!(
			Diagnosis::revoke_endorsement(
				RuntimeOrigin::signed(HOSPITAL),
				HOSPITAL,
				0,
				RevocationReason::FalsePositive,
				VALID_UNTIL,
				TestSignature(HOSPITAL, vec![])
			),
			DispatchError::BadOrigin
		);

		assert_eq!(pool_revocation(HOSPITAL, 0), Ok(()));
		let call = revocation_call(HOSPITAL, 0, RevocationReason::FalsePositive);
		assert_ok!(call.dispatch_bypass_filter(frame_system::RawOrigin::Authorized.into()));
		System::assert_last_event(
			Event::CaseRevoked {
				case: 0,
				reason: RevocationReason::FalsePositive,
				by_authority: false,
			}
			.into(),
		);
		assert_eq!(jobs().last(), Some(&JobCall::Cancel(0)));
		let view = Diagnosis::case_view(0).unwrap();
		assert_eq!(
			view.status,
			CaseStatus::Revoked { reason: RevocationReason::FalsePositive, by_authority: false }
		);
		assert!(Diagnosis::endorsed_fingerprints(DAY0).is_empty());
		assert!(Diagnosis::proximity_reports(DAY0).is_empty());
		assert_eq!(Diagnosis::jurisdiction_counts(DAY0)[0].revoked, 1);
		// Replaying the revocation is refused; the nullifier stays used.
		assert_eq!(pool_revocation(HOSPITAL, 0), rejected(Error::<Test>::AlreadyRevoked));
		let again = endorsement(HOSPITAL, &alice, nullifier("case-1"), window());
		assert_eq!(pool(HOSPITAL, &again), rejected(Error::<Test>::NullifierUsed));
		// The patient's pseudonyms are free again for a correct endorsement.
		let corrected = endorsement(HOSPITAL, &alice, nullifier("case-1-retest"), window());
		assert_eq!(endorse(HOSPITAL, corrected), Ok(()));
	});
}

#[test]
fn the_authority_revokes_any_case_and_nobody_else_does() {
	new_test_ext(tokyo_diagnosticians(), || {
		let e = endorsement(CLINIC, &patient(1), nullifier("case-1"), window());
		assert_eq!(endorse(CLINIC, e), Ok(()));
		assert_noop!(
			Diagnosis::force_revoke(RuntimeOrigin::signed(CLINIC), 0, RevocationReason::Fraud),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Diagnosis::force_revoke(RuntimeOrigin::root(), 5, RevocationReason::Fraud),
			Error::<Test>::UnknownCase
		);
		// Removing the diagnostician leaves its case; the authority can still revoke it.
		assert_ok!(Diagnosis::remove_diagnostician(RuntimeOrigin::root(), CLINIC));
		assert_eq!(pool_revocation(CLINIC, 0), rejected(Error::<Test>::NotDiagnostician));
		assert_ok!(Diagnosis::force_revoke(RuntimeOrigin::root(), 0, RevocationReason::Fraud));
		System::assert_last_event(
			Event::CaseRevoked { case: 0, reason: RevocationReason::Fraud, by_authority: true }
				.into(),
		);
		assert_eq!(jobs().last(), Some(&JobCall::Cancel(0)));
		assert_noop!(
			Diagnosis::force_revoke(RuntimeOrigin::root(), 0, RevocationReason::Fraud),
			Error::<Test>::AlreadyRevoked
		);
	});
}

#[test]
fn a_full_job_queue_refuses_the_endorsement_and_changes_nothing() {
	new_test_ext(tokyo_diagnosticians(), || {
		JOBS_FULL.with(|f| f.set(true));
		let e = endorsement(HOSPITAL, &patient(1), nullifier("case-1"), window());
		assert_noop!(
			Diagnosis::endorse_case(
				frame_system::RawOrigin::Authorized.into(),
				HOSPITAL,
				e.clone(),
				sign(HOSPITAL, &e)
			),
			Error::<Test>::JobRefused
		);
	});
}

#[test]
fn cases_leave_state_after_the_retention_window_in_bounded_steps() {
	new_test_ext(tokyo_diagnosticians(), || {
		for n in 0..3u8 {
			let mut e = endorsement(HOSPITAL, &patient(n), nullifier(&format!("c{n}")), window());
			if n == 0 {
				e.reports.try_push(tcn_vector()).unwrap();
			}
			assert_eq!(endorse(HOSPITAL, e), Ok(()));
		}
		assert_ok!(Diagnosis::force_revoke(RuntimeOrigin::root(), 1, RevocationReason::Fraud));
		// Nothing expires before 14 days.
		set_time(T0 + 13 * SECONDS_PER_DAY);
		Diagnosis::on_idle(2, Weight::MAX);
		assert_eq!(Cases::<Test>::iter().count(), 3);
		Diagnosis::do_try_state().unwrap();

		set_time(T0 + 14 * SECONDS_PER_DAY);
		// A budget of one step removes one case.
		let one = <() as WeightInfo>::prune_case(14, 4).saturating_add(
			<<Test as frame_system::Config>::DbWeight as Get<RuntimeDbWeight>>::get().reads(2),
		);
		Diagnosis::on_idle(2, one);
		assert_eq!(Cases::<Test>::iter().count(), 2);
		System::assert_last_event(Event::CasePruned { case: 0 }.into());
		Diagnosis::do_try_state().unwrap();
		// Too small a budget does nothing.
		assert_eq!(Diagnosis::on_idle(2, Weight::from_parts(1, 1)), Weight::zero());
		Diagnosis::on_idle(3, Weight::MAX);
		assert_eq!(Cases::<Test>::iter().count(), 0);
		assert_eq!(EndorsedFingerprints::<Test>::iter().count(), 0);
		assert_eq!(ProximityReports::<Test>::iter().count(), 0);
		assert!(Days::<Test>::get(DAY0).is_none());
		assert_eq!(OldestCase::<Test>::get(), 3);
		// Nullifiers are kept for ever: an old case cannot be endorsed again.
		assert_eq!(Nullifiers::<Test>::iter().count(), 3);
	});
}

#[test]
fn a_month_of_endorsements_keeps_state_at_the_retention_window() {
	new_test_ext(tokyo_diagnosticians(), || {
		let mut peak = 0;
		for day in 0..30u64 {
			set_time(T0 + day * SECONDS_PER_DAY + 3_600);
			let today = DAY0 + day as u32;
			for n in 0..2u8 {
				let mut bytes = [1u8; 32];
				(bytes[0], bytes[1]) = (day as u8, n);
				let seed = DeviceSeed::from_bytes(bytes);
				let e = endorsement(
					HOSPITAL,
					&seed,
					nullifier(&format!("d{day}n{n}")),
					DayWindow::from_onset(today, today),
				);
				assert_eq!(endorse(HOSPITAL, e), Ok(()));
			}
			Diagnosis::on_idle(day + 2, Weight::MAX);
			Diagnosis::do_try_state().unwrap();
			peak = peak.max(Cases::<Test>::iter().count());
		}
		assert_eq!(peak, 28, "14 days of 2 cases");
		assert_eq!(Cases::<Test>::iter().count(), 28);
		assert_eq!(Days::<Test>::iter().count(), 14);
	});
}

#[test]
fn a_signed_endorsement_or_revocation_held_back_past_its_block_is_refused_by_name() {
	new_test_ext(tokyo_diagnosticians(), || {
		let mut e = endorsement(HOSPITAL, &patient(1), nullifier("case-1"), window());
		e.valid_until = 40;
		// Valid up to and including block 40; the pool there keeps it until then.
		System::set_block_number(40);
		let call = Call::<Test>::endorse_case {
			diagnostician: HOSPITAL,
			endorsement: e.clone(),
			signature: sign(HOSPITAL, &e),
		};
		let (valid, _) = call.authorize(TransactionSource::External).unwrap().unwrap();
		assert_eq!(valid.longevity, 1);
		System::set_block_number(41);
		assert_eq!(pool(HOSPITAL, &e), rejected(Error::<Test>::Expired));
		assert_noop!(
			Diagnosis::endorse_case(
				frame_system::RawOrigin::Authorized.into(),
				HOSPITAL,
				e.clone(),
				sign(HOSPITAL, &e)
			),
			Error::<Test>::Expired
		);
		// A window reaching further than an hour of blocks is refused too.
		e.valid_until = 41 + 601;
		assert_eq!(pool(HOSPITAL, &e), rejected(Error::<Test>::ValidityTooLong));
		e.valid_until = 41 + 600;
		assert_eq!(endorse(HOSPITAL, e), Ok(()));

		// The same for a revocation: its block is signed, so it cannot be moved.
		let stale = revocation_call_until(HOSPITAL, 0, RevocationReason::FalsePositive, 40);
		assert_eq!(
			stale.authorize(TransactionSource::External).unwrap().map(|_| ()),
			rejected(Error::<Test>::Expired)
		);
		let mut moved = stale;
		if let Call::revoke_endorsement { valid_until, .. } = &mut moved {
			*valid_until = 50;
		}
		assert_eq!(
			moved.authorize(TransactionSource::External).unwrap().map(|_| ()),
			Err(InvalidTransaction::BadProof.into())
		);
		let fresh = revocation_call_until(HOSPITAL, 0, RevocationReason::FalsePositive, 50);
		let (valid, _) = fresh.authorize(TransactionSource::External).unwrap().unwrap();
		assert_eq!(valid.longevity, 10);
	});
}

//! Behaviour of jobs, matcher results, notifications and the risk rule.

use crate::{mock::*, *};
use codec::Encode;
use epichain_primitives::{
	diagnosis::DayWindow,
	geohash::Geohash,
	matching::{
		result_signing_payload, Exposure, InfectedCell, RiskLevel, RiskParams, SurfaceMaterial,
	},
	traits::{CaseJobs, InfectionSource},
	SECONDS_PER_DAY,
};
use frame_support::{
	assert_noop, assert_ok,
	pallet_prelude::{InvalidTransaction, TransactionSource, TransactionValidityError},
	traits::{Authorize, Hooks},
	weights::Weight,
	BoundedVec,
};
use pallet_locations::CellState;
use sp_core::{ed25519, Pair};
use sp_runtime::DispatchError;

fn matcher_key() -> ed25519::Pair {
	ed25519::Pair::from_seed(&[0x4d; 32])
}

/// A job for case `case`: a 4-day window ending today, pseudonyms of synthetic bytes.
fn open_job(case: u64) {
	let window = DayWindow::from_onset(DAY0 - 1, DAY0);
	let pseudonyms: Vec<_> = (window.first..=window.last).map(|d| (d, [d as u8; 32])).collect();
	assert_eq!(<Notify as CaseJobs>::open(case, window, &pseudonyms), Ok(()));
}

fn exposure(n: u8, day: u32, risk: RiskLevel) -> Exposure {
	Exposure { fingerprint: [n; 16], day, risk, probability_ppm: 600_000 }
}

fn result(
	case: u64,
	round: u32,
	exposures: Vec<Exposure>,
	cells: Vec<InfectedCell>,
) -> MatchResultOf<Test> {
	MatchResultOf::<Test> {
		case,
		round,
		as_of: 9,
		signer: matcher_key().public().0,
		exposures: BoundedVec::truncate_from(exposures),
		cells: BoundedVec::truncate_from(cells),
	}
}

fn sign_with(key: &ed25519::Pair, r: &MatchResultOf<Test>) -> [u8; 64] {
	key.sign(&result_signing_payload(System::block_hash(0).as_ref(), r)).0
}

fn pool_signed(
	r: &MatchResultOf<Test>,
	signature: [u8; 64],
) -> Result<(), TransactionValidityError> {
	Call::<Test>::submit_result { result: r.clone(), signature }
		.authorize(TransactionSource::External)
		.expect("submit_result is authorized")
		.map(|_| ())
}

fn pool(r: &MatchResultOf<Test>) -> Result<(), TransactionValidityError> {
	pool_signed(r, sign_with(&matcher_key(), r))
}

fn rejected(e: Error<Test>) -> Result<(), TransactionValidityError> {
	Err(InvalidTransaction::Custom(e.encode()[0]).into())
}

/// Pool check, then dispatch with the authorized origin, as a block would.
fn submit(r: MatchResultOf<Test>) -> Result<(), TransactionValidityError> {
	pool(&r)?;
	let signature = sign_with(&matcher_key(), &r);
	Notify::submit_result(frame_system::RawOrigin::Authorized.into(), r, signature)
		.expect("a result the pool accepts dispatches");
	Ok(())
}

fn cell(s: &[u8]) -> Geohash {
	Geohash::parse(s).unwrap()
}

#[test]
fn the_authority_sets_a_valid_public_risk_rule() {
	new_test_ext(|| {
		assert_eq!(Params::<Test>::get(), RiskParams::default());
		let mut params = RiskParams::default();
		params.min_duration_secs = 600;
		assert_noop!(
			Notify::set_risk_params(RuntimeOrigin::signed(1), params.clone()),
			DispatchError::BadOrigin
		);
		let mut zero = params.clone();
		zero.distance_cm = 0;
		assert_noop!(
			Notify::set_risk_params(RuntimeOrigin::root(), zero),
			Error::<Test>::InvalidRiskParams
		);
		let mut twice = params.clone();
		twice.materials =
			BoundedVec::truncate_from(vec![(SurfaceMaterial::Wood, 1), (SurfaceMaterial::Wood, 2)]);
		assert_noop!(
			Notify::set_risk_params(RuntimeOrigin::root(), twice),
			Error::<Test>::InvalidRiskParams
		);
		assert_ok!(Notify::set_risk_params(RuntimeOrigin::root(), params.clone()));
		System::assert_last_event(Event::RiskParamsSet { params: params.clone() }.into());
		assert_eq!(Params::<Test>::get(), params);
	});
}

#[test]
fn a_signed_result_issues_notifications_and_infects_the_cases_cells() {
	new_test_ext(|| {
		register_matcher(matcher_key().public().0);
		open_job(7);
		System::assert_last_event(Event::JobOpened { case: 7, closes_on: DAY0 + 2 }.into());
		let venue = cell(b"xn76urx");
		assert_ok!(Locations::register_location(RuntimeOrigin::root(), venue, None));
		let r = result(
			7,
			0,
			vec![exposure(1, DAY0, RiskLevel::High), exposure(2, DAY0 - 1, RiskLevel::Low)],
			vec![
				InfectedCell { cell: venue, source: InfectionSource::VisitBeforeEndorsement },
				InfectedCell {
					cell: cell(b"xn76zzz"),
					source: InfectionSource::VisitBeforeEndorsement,
				},
			],
		);
		assert_eq!(submit(r), Ok(()));
		System::assert_last_event(
			Event::ResultAccepted {
				case: 7,
				round: 0,
				exposures: 2,
				cells_infected: 1,
				cells_unregistered: 1,
			}
			.into(),
		);
		let day = Notify::notifications_of_day(DAY0, 0, 100);
		assert_eq!(day.len(), 1);
		assert_eq!(
			day[0],
			NotificationView {
				fingerprint: [1; 16],
				exposure_day: DAY0,
				case: 7,
				risk: RiskLevel::High,
				probability_ppm: 600_000,
				revoked: false
			}
		);
		assert_eq!(DayCounts::<Test>::get(DAY0), DayCount { high: 1, low: 0 });
		assert_eq!(DayCounts::<Test>::get(DAY0 - 1), DayCount { high: 0, low: 1 });
		// A phone looks up its own fingerprints; others' are not returned.
		let mine = Notify::lookup(&[[2; 16], [9; 16]]);
		assert_eq!(mine.len(), 1);
		assert_eq!((mine[0].fingerprint, mine[0].risk), ([2; 16], RiskLevel::Low));
		assert!(matches!(
			pallet_locations::Pallet::<Test>::view(&venue, Locations::now()).unwrap().state,
			CellState::Infected { .. }
		));
		// Standing matching: the next round is accepted, the same round again is stale.
		assert_eq!(Notify::job_view(7).unwrap().next_round, 1);
		let again = result(7, 0, vec![exposure(3, DAY0, RiskLevel::High)], vec![]);
		assert_eq!(pool(&again), rejected(Error::<Test>::StaleResult));
		let next = result(7, 1, vec![exposure(3, DAY0, RiskLevel::High)], vec![]);
		assert_eq!(submit(next), Ok(()));
		assert_eq!(Notify::notifications_of_day(DAY0, 0, 100).len(), 2);
	});
}

#[test]
fn forged_replayed_and_stale_results_are_refused_in_the_pool() {
	new_test_ext(|| {
		register_matcher(matcher_key().public().0);
		open_job(7);
		open_job(8);
		let r = result(7, 0, vec![exposure(1, DAY0, RiskLevel::High)], vec![]);
		// Signed by a key no matcher registered.
		let stranger = ed25519::Pair::from_seed(&[0x66; 32]);
		let mut by_stranger = r.clone();
		by_stranger.signer = stranger.public().0;
		assert_eq!(
			pool_signed(&by_stranger, sign_with(&stranger, &by_stranger)),
			rejected(Error::<Test>::UnknownMatcher)
		);
		// The registered key named, another key signing.
		assert_eq!(
			pool_signed(&r, sign_with(&stranger, &r)),
			Err(InvalidTransaction::BadProof.into())
		);
		// An altered body.
		let signature = sign_with(&matcher_key(), &r);
		let mut altered = r.clone();
		altered.exposures[0].risk = RiskLevel::Low;
		assert_eq!(pool_signed(&altered, signature), Err(InvalidTransaction::BadProof.into()));
		// Replayed for another job.
		let mut other_job = r.clone();
		other_job.case = 8;
		assert_eq!(pool_signed(&other_job, signature), Err(InvalidTransaction::BadProof.into()));
		// Unknown job, a round ahead, a block ahead, an exposure outside the window.
		assert_eq!(pool(&result(99, 0, vec![], vec![])), rejected(Error::<Test>::UnknownJob));
		assert_eq!(pool(&result(7, 1, vec![], vec![])), rejected(Error::<Test>::FutureRound));
		let mut ahead = result(7, 0, vec![], vec![]);
		ahead.as_of = 11;
		assert_eq!(pool(&ahead), rejected(Error::<Test>::FutureBlock));
		let outside = result(7, 0, vec![exposure(1, DAY0 - 4, RiskLevel::High)], vec![]);
		assert_eq!(pool(&outside), rejected(Error::<Test>::ExposureOutsideWindow));
		// A revoked matcher's results are refused.
		assert_ok!(pallet_matchers::Pallet::<Test>::revoke_matcher(RuntimeOrigin::root(), 0));
		assert_eq!(pool(&r), rejected(Error::<Test>::UnknownMatcher));
		assert_eq!(Notify::notifications_of_day(DAY0, 0, 10).len(), 0);
	});
}

#[test]
fn revocation_cancels_the_job_and_marks_its_notifications_revoked() {
	new_test_ext(|| {
		register_matcher(matcher_key().public().0);
		open_job(7);
		assert_eq!(submit(result(7, 0, vec![exposure(1, DAY0, RiskLevel::High)], vec![])), Ok(()));
		<Notify as CaseJobs>::cancel(7);
		System::assert_last_event(Event::JobCancelled { case: 7 }.into());
		assert!(Notify::notifications_of_day(DAY0, 0, 10)[0].revoked);
		assert_eq!(
			pool(&result(7, 1, vec![exposure(2, DAY0, RiskLevel::High)], vec![])),
			rejected(Error::<Test>::JobCancelled)
		);
		assert!(Notify::open_jobs(0, 10).is_empty());
	});
}

#[test]
fn a_job_closes_after_its_grace_days_and_the_table_is_bounded() {
	new_test_ext(|| {
		register_matcher(matcher_key().public().0);
		for case in 0..4 {
			open_job(case);
		}
		let window = DayWindow::from_onset(DAY0, DAY0);
		assert_eq!(<Notify as CaseJobs>::open(4, window, &[]), Err(()));
		assert_eq!(Notify::open_jobs(0, 10), vec![0, 1, 2, 3]);
		set_time(T0 + 2 * SECONDS_PER_DAY + 3_600);
		assert_eq!(pool(&result(0, 0, vec![], vec![])), Ok(()));
		set_time(T0 + 3 * SECONDS_PER_DAY + 3_600);
		assert_eq!(pool(&result(0, 0, vec![], vec![])), rejected(Error::<Test>::JobClosed));
		assert!(Notify::open_jobs(0, 10).is_empty());
	});
}

#[test]
fn notifications_and_jobs_leave_state_after_the_retention_window() {
	new_test_ext(|| {
		register_matcher(matcher_key().public().0);
		open_job(0);
		let exposures =
			(0..10).map(|n| exposure(n, DAY0 - (n as u32 % 4), RiskLevel::High)).collect();
		assert_eq!(submit(result(0, 0, exposures, vec![])), Ok(()));
		assert_eq!(Notify::notifications_of_day(DAY0, 0, 100).len(), 3);
		// Day DAY0 - 3 expires first, one notification per step.
		set_time(T0 + 11 * SECONDS_PER_DAY);
		let one = <() as WeightInfo>::prune_notification().max(<() as WeightInfo>::prune_job());
		Notify::on_idle(11, one);
		assert_eq!(Notify::notifications_of_day(DAY0 - 3, 0, 100).len(), 1);
		Notify::do_try_state().unwrap();
		Notify::on_idle(12, Weight::MAX);
		assert!(Notify::notifications_of_day(DAY0 - 3, 0, 100).is_empty());
		assert_eq!(Notify::notifications_of_day(DAY0 - 2, 0, 100).len(), 2);
		Notify::do_try_state().unwrap();
		// After the job's last day plus retention, everything is gone.
		set_time(T0 + 17 * SECONDS_PER_DAY);
		Notify::on_idle(13, Weight::MAX);
		assert_eq!(crate::Notifications::<Test>::iter().count(), 0);
		assert_eq!(Jobs::<Test>::iter().count(), 0);
		assert_eq!(JobCount::<Test>::get(), 0);
		assert_eq!(OldestJob::<Test>::get(), 1);
		assert!(DayCounts::<Test>::iter().next().is_none());
	});
}

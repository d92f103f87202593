//! Behaviour of jobs, matcher results, notifications and the risk rule.

use crate::{mock::*, *};
use codec::Encode;
use epichain_primitives::{
	diagnosis::DayWindow,
	geohash::Geohash,
	matching::{CoverageGap, Exposure, InfectedCell, RiskLevel, RiskParams, SurfaceMaterial},
	traits::{CaseJobs, InfectionSource},
	DayIndex, SECONDS_PER_DAY,
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
use sp_runtime::{BuildStorage, DispatchError};

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
		part: 0,
		parts: 1,
		as_of: 9,
		signer: matcher_key().public().0,
		exposures: BoundedVec::truncate_from(exposures),
		cells: BoundedVec::truncate_from(cells),
	}
}

/// The authority registers `cells` as locations of unknown material.
fn register_locations(cells: &[Geohash]) {
	for c in cells {
		assert_ok!(Locations::register_location(
			RuntimeOrigin::root(),
			*c,
			None,
			SurfaceMaterial::Unknown
		));
	}
}

fn sign_with(key: &ed25519::Pair, r: &MatchResultOf<Test>) -> [u8; 64] {
	key.sign(&epichain_primitives::signing::result_payload(System::block_hash(0).as_ref(), r)).0
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
		let params = RiskParams { min_duration_secs: 600, ..RiskParams::default() };
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
		System::assert_last_event(Event::JobOpened { case: 7, closes_on: DAY0 + 3 }.into());
		let venue = cell(b"xn76urx");
		register_locations(&[venue]);
		let r = result(
			7,
			0,
			vec![exposure(1, DAY0, RiskLevel::High), exposure(2, DAY0 - 1, RiskLevel::Low)],
			vec![
				InfectedCell {
					cell: venue,
					source: InfectionSource::VisitBeforeEndorsement,
					day: DAY0,
				},
				InfectedCell {
					cell: cell(b"xn76zzz"),
					source: InfectionSource::VisitBeforeEndorsement,
					day: DAY0,
				},
			],
		);
		assert_eq!(submit(r), Ok(()));
		System::assert_last_event(
			Event::ResultAccepted {
				case: 7,
				round: 0,
				part: 0,
				parts: 1,
				exposures: 2,
				cells_infected: 1,
				cells_unregistered: 1,
				cells_expired: 0,
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
		assert_eq!(DayCounts::<Test>::get(DAY0), DayCount { high: 1, low: 0, indirect: 0 });
		assert_eq!(DayCounts::<Test>::get(DAY0 - 1), DayCount { high: 0, low: 1, indirect: 0 });
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
		assert!(!Notify::job_view(7).unwrap().pseudonyms.is_empty());
		<Notify as CaseJobs>::cancel(7);
		System::assert_last_event(Event::JobCancelled { case: 7 }.into());
		// What the case made public leaves state: its pseudonyms.
		assert!(Notify::job_view(7).unwrap().pseudonyms.is_empty());
		assert!(Notify::notifications_of_day(DAY0, 0, 10)[0].revoked);
		assert_eq!(
			pool(&result(7, 1, vec![exposure(2, DAY0, RiskLevel::High)], vec![])),
			rejected(Error::<Test>::JobCancelled)
		);
		assert!(Notify::open_jobs(0, 10).is_empty());
	});
}

/// A gap of case `case`'s round `round`: 52 batches of days DAY0 - 1 ..= DAY0, as of block 9.
fn gap(case: u64, round: u32) -> CoverageGap {
	CoverageGap {
		case,
		round,
		as_of: 9,
		signer: matcher_key().public().0,
		batches: 52,
		first_day: DAY0 - 1,
		last_day: DAY0,
	}
}

fn sign_gap_with(key: &ed25519::Pair, g: &CoverageGap) -> [u8; 64] {
	key.sign(&epichain_primitives::signing::gap_payload(System::block_hash(0).as_ref(), g)).0
}

fn pool_gap_signed(g: &CoverageGap, signature: [u8; 64]) -> Result<(), TransactionValidityError> {
	Call::<Test>::report_gap { gap: *g, signature }
		.authorize(TransactionSource::External)
		.expect("report_gap is authorized")
		.map(|_| ())
}

/// Pool check, then dispatch with the authorized origin, as a block would.
fn report(g: CoverageGap) -> Result<(), TransactionValidityError> {
	let signature = sign_gap_with(&matcher_key(), &g);
	pool_gap_signed(&g, signature)?;
	Notify::report_gap(frame_system::RawOrigin::Authorized.into(), g, signature)
		.expect("a gap the pool accepts dispatches");
	Ok(())
}

#[test]
fn a_matcher_that_cannot_open_part_of_a_window_puts_the_gap_on_chain_and_the_job_stays_open() {
	new_test_ext(|| {
		register_matcher(matcher_key().public().0);
		open_job(0);
		assert_eq!(report(gap(0, 0)), Ok(()));
		System::assert_last_event(
			Event::CoverageGapReported {
				case: 0,
				round: 0,
				matcher: matcher_key().public().0,
				batches: 52,
				first_day: DAY0 - 1,
				last_day: DAY0,
			}
			.into(),
		);
		assert_eq!(CoverageGaps::<Test>::get(0), Some(gap(0, 0)));
		// Nothing was judged: the job still waits for its first round.
		assert_eq!(Notify::job_view(0).unwrap().next_round, 0);
		assert_eq!(Notify::open_jobs(0, 10), vec![0]);
		// Every validator relays the same gap: one enters; a grown gap is news.
		assert_eq!(report(gap(0, 0)), rejected(Error::<Test>::GapKnown));
		let grown = CoverageGap { batches: 60, as_of: 10, ..gap(0, 0) };
		assert_eq!(report(grown), Ok(()));
		assert_eq!(CoverageGaps::<Test>::get(0), Some(grown));
		// A matcher that holds the keys judges the round: the gap is closed.
		assert_eq!(submit(result(0, 0, vec![exposure(1, DAY0, RiskLevel::High)], vec![])), Ok(()));
		System::assert_has_event(Event::CoverageGapClosed { case: 0, round: 0 }.into());
		assert_eq!(CoverageGaps::<Test>::get(0), None);
	});
}

#[test]
fn forged_stale_and_empty_gaps_are_refused_in_the_pool_and_change_nothing() {
	new_test_ext(|| {
		register_matcher(matcher_key().public().0);
		open_job(7);
		open_job(8);
		let g = gap(7, 0);
		let stranger = ed25519::Pair::from_seed(&[0x66; 32]);
		let by_stranger = CoverageGap { signer: stranger.public().0, ..g };
		assert_eq!(
			pool_gap_signed(&by_stranger, sign_gap_with(&stranger, &by_stranger)),
			rejected(Error::<Test>::UnknownMatcher)
		);
		assert_eq!(
			pool_gap_signed(&g, sign_gap_with(&stranger, &g)),
			Err(InvalidTransaction::BadProof.into())
		);
		// A result's signature is not a gap's: the domains differ.
		let as_result = result(7, 0, vec![], vec![]);
		assert_eq!(
			pool_gap_signed(&g, sign_with(&matcher_key(), &as_result)),
			Err(InvalidTransaction::BadProof.into())
		);
		let signature = sign_gap_with(&matcher_key(), &g);
		for altered in [CoverageGap { case: 8, ..g }, CoverageGap { batches: 1, ..g }] {
			assert_eq!(
				pool_gap_signed(&altered, signature),
				Err(InvalidTransaction::BadProof.into())
			);
		}
		assert_eq!(report(gap(99, 0)), rejected(Error::<Test>::UnknownJob));
		assert_eq!(report(gap(7, 1)), rejected(Error::<Test>::FutureRound));
		assert_eq!(report(CoverageGap { as_of: 11, ..g }), rejected(Error::<Test>::FutureBlock));
		assert_eq!(report(CoverageGap { batches: 0, ..g }), rejected(Error::<Test>::EmptyGap));
		assert_eq!(
			report(CoverageGap { first_day: DAY0, last_day: DAY0 - 1, ..g }),
			rejected(Error::<Test>::EmptyGap)
		);
		assert_eq!(
			report(CoverageGap { first_day: DAY0 - 9, last_day: DAY0 - 5, ..g }),
			rejected(Error::<Test>::GapOutsideWindow)
		);
		// Round 0 judged: a gap of round 0 is stale.
		assert_eq!(submit(result(7, 0, vec![], vec![])), Ok(()));
		assert_eq!(report(g), rejected(Error::<Test>::StaleResult));
		assert_eq!(CoverageGaps::<Test>::iter().count(), 0);
		// A revoked case's gap leaves with it; a new one is refused.
		assert_eq!(report(gap(8, 0)), Ok(()));
		<Notify as CaseJobs>::cancel(8);
		assert_eq!(CoverageGaps::<Test>::get(8), None);
		assert_eq!(
			report(CoverageGap { batches: 9, ..gap(8, 0) }),
			rejected(Error::<Test>::JobCancelled)
		);
	});
}

#[test]
fn a_gap_still_open_when_the_job_closes_stays_until_the_job_is_pruned() {
	new_test_ext(|| {
		register_matcher(matcher_key().public().0);
		open_job(0);
		Notify::on_idle(1, Weight::MAX);
		assert_eq!(report(gap(0, 0)), Ok(()));
		// Past the job's last day: closed, never judged whole, and the chain still says so.
		set_time(T0 + 4 * SECONDS_PER_DAY + 3_600);
		assert_eq!(
			report(CoverageGap { batches: 53, ..gap(0, 0) }),
			rejected(Error::<Test>::JobClosed)
		);
		Notify::on_idle(11, Weight::MAX);
		assert_eq!(CoverageGaps::<Test>::get(0), Some(gap(0, 0)));
		Notify::do_try_state().unwrap();
		set_time(T0 + 17 * SECONDS_PER_DAY);
		Notify::on_idle(12, Weight::MAX);
		assert_eq!(Jobs::<Test>::get(0), None);
		assert_eq!(CoverageGaps::<Test>::get(0), None);
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
		assert_eq!(
			<Notify as CaseJobs>::open(4, window, &[]),
			Err(epichain_primitives::traits::JobRefused)
		);
		assert_eq!(Notify::open_jobs(0, 10), vec![0, 1, 2, 3]);
		set_time(T0 + 3 * SECONDS_PER_DAY + 3_600);
		assert_eq!(pool(&result(0, 0, vec![], vec![])), Ok(()));
		set_time(T0 + 4 * SECONDS_PER_DAY + 3_600);
		assert_eq!(pool(&result(0, 0, vec![], vec![])), rejected(Error::<Test>::JobClosed));
		assert!(Notify::open_jobs(0, 10).is_empty());
	});
}

#[test]
fn notifications_and_jobs_leave_state_after_the_retention_window() {
	new_test_ext(|| {
		register_matcher(matcher_key().public().0);
		open_job(0);
		// The endorsement's block ends: its (empty) withdrawals are done.
		Notify::on_idle(1, Weight::MAX);
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

#[test]
fn a_later_round_raises_a_low_exposure_to_high_and_the_counts_follow() {
	new_test_ext(|| {
		register_matcher(matcher_key().public().0);
		open_job(0);
		assert_ok!(submit(result(0, 0, vec![exposure(7, DAY0, RiskLevel::Low)], vec![])));
		assert_eq!(DayCounts::<Test>::get(DAY0), DayCount { high: 0, low: 1, indirect: 0 });
		let mut later = result(0, 1, vec![exposure(7, DAY0, RiskLevel::High)], vec![]);
		later.as_of = 8;
		// Judged before the last accepted round (as of block 9): stale.
		assert_eq!(pool(&later), rejected(Error::<Test>::StaleResult));
		later.as_of = 10;
		assert_ok!(submit(later));
		assert_eq!(DayCounts::<Test>::get(DAY0), DayCount { high: 1, low: 0, indirect: 0 });
		assert_eq!(Jobs::<Test>::get(0).unwrap().last_as_of, 10);
	});
}

#[test]
fn place_based_exposures_are_counted_as_their_own_level_and_a_direct_one_replaces_them() {
	new_test_ext(|| {
		register_matcher(matcher_key().public().0);
		open_job(0);
		let first = vec![exposure(7, DAY0, RiskLevel::Indirect), exposure(8, DAY0, RiskLevel::Low)];
		assert_ok!(submit(result(0, 0, first, vec![])));
		assert_eq!(DayCounts::<Test>::get(DAY0), DayCount { high: 0, low: 1, indirect: 1 });
		let mut later = result(0, 1, vec![exposure(7, DAY0, RiskLevel::High)], vec![]);
		later.as_of = 10;
		assert_ok!(submit(later));
		assert_eq!(DayCounts::<Test>::get(DAY0), DayCount { high: 1, low: 1, indirect: 0 });
		assert_eq!(
			Notifications::<Test>::get((DAY0, [7; 16], 0)).map(|n| n.risk),
			Some(RiskLevel::High)
		);
	});
}

/// `parts` results of round `round` of case `case`, judged as of block 9, each with its own
/// page of `exposures`.
fn parts_of(
	case: u64,
	round: u32,
	exposures: &[Exposure],
	per_part: usize,
) -> Vec<MatchResultOf<Test>> {
	let pages: Vec<_> = exposures.chunks(per_part).collect();
	pages
		.iter()
		.enumerate()
		.map(|(i, page)| {
			let mut r = result(case, round, page.to_vec(), vec![]);
			(r.part, r.parts) = (i as u32, pages.len() as u32);
			r
		})
		.collect()
}

#[test]
fn a_round_too_large_for_one_result_arrives_in_parts_and_completes_with_the_last() {
	new_test_ext(|| {
		register_matcher(matcher_key().public().0);
		open_job(0);
		open_job(1);
		// 40 exposures, 16 to a result (the mock's bound): three parts.
		let all: Vec<_> = (0..40).map(|n| exposure(n, DAY0, RiskLevel::High)).collect();
		let parts = parts_of(0, 0, &all, 16);
		assert_eq!(parts.len(), 3);
		// Parts come in order: the second before the first is ahead of the job.
		assert_eq!(pool(&parts[1]), rejected(Error::<Test>::FutureRound));
		// A part must be below its count.
		let mut beyond = parts[2].clone();
		beyond.part = 3;
		assert_eq!(pool(&beyond), rejected(Error::<Test>::BadPart));
		assert_ok!(submit(parts[0].clone()));
		System::assert_last_event(
			Event::ResultAccepted {
				case: 0,
				round: 0,
				part: 0,
				parts: 3,
				exposures: 16,
				cells_infected: 0,
				cells_unregistered: 0,
				cells_expired: 0,
			}
			.into(),
		);
		let job = Notify::job_view(0).unwrap();
		assert_eq!((job.next_round, job.next_part(), job.last_as_of), (0, 1, 0));
		assert_eq!(job.in_progress, Some(RoundInProgress { as_of: 9, parts: 3, next_part: 1 }));
		// The first part again is stale; a later part judged at another block, or paged
		// another way, does not belong to this round.
		assert_eq!(pool(&parts[0]), rejected(Error::<Test>::StaleResult));
		let mut other_block = parts[1].clone();
		other_block.as_of = 10;
		assert_eq!(pool(&other_block), rejected(Error::<Test>::PartMismatch));
		let mut other_count = parts[1].clone();
		other_count.parts = 4;
		assert_eq!(pool(&other_count), rejected(Error::<Test>::PartMismatch));
		// The next round cannot start while this one is under way.
		let mut next_round = result(0, 1, vec![], vec![]);
		next_round.as_of = 10;
		assert_eq!(pool(&next_round), rejected(Error::<Test>::FutureRound));
		assert_ok!(submit(parts[1].clone()));
		assert_eq!(Notify::job_view(0).unwrap().next_round, 0);
		assert_ok!(submit(parts[2].clone()));
		let job = Notify::job_view(0).unwrap();
		assert_eq!((job.next_round, job.next_part(), job.last_as_of), (1, 0, 9));
		assert_eq!(job.in_progress, None);
		// Every exposure of the round is on chain: none was cut.
		assert_eq!(Notify::notifications_of_day(DAY0, 0, 100).len(), 40);
		assert_eq!(DayCounts::<Test>::get(DAY0).high, 40);
		assert_eq!(job.exposures, 40);
		// A single-part result of another job is untouched by all this.
		assert_ok!(submit(result(1, 0, vec![], vec![])));
	});
}

#[test]
fn each_part_has_its_own_pool_tag() {
	new_test_ext(|| {
		register_matcher(matcher_key().public().0);
		open_job(0);
		let all: Vec<_> = (0..20).map(|n| exposure(n, DAY0, RiskLevel::Low)).collect();
		let parts = parts_of(0, 0, &all, 16);
		let tag = |r: &MatchResultOf<Test>| {
			Notify::validate_result(r, &sign_with(&matcher_key(), r)).unwrap().provides
		};
		let first = tag(&parts[0]);
		assert_ok!(submit(parts[0].clone()));
		assert_ne!(tag(&parts[1]), first);
	});
}

#[test]
fn a_cell_is_infected_from_the_cases_visit_and_an_expired_visit_is_counted() {
	new_test_ext(|| {
		register_matcher(matcher_key().public().0);
		open_job(0);
		let (fresh, old) = (cell(b"xn76urx"), cell(b"xn76ury"));
		register_locations(&[fresh, old]);
		let visit =
			|cell, day| InfectedCell { cell, source: InfectionSource::VisitBeforeEndorsement, day };
		// A visit day outside the job's period is refused.
		let outside = result(0, 0, vec![], vec![visit(fresh, DAY0 - 4)]);
		assert_eq!(pool(&outside), rejected(Error::<Test>::VisitOutsideWindow));
		assert_ok!(submit(result(0, 0, vec![], vec![visit(fresh, DAY0 - 1)])));
		let infected_until =
			|c| match pallet_locations::Pallet::<Test>::view(&c, Locations::now()).unwrap().state {
				CellState::Infected { since, .. } => since + 14 * SECONDS_PER_DAY,
				other => panic!("{other:?}"),
			};
		// Counted from the end of the visit's day, not from the result.
		assert_eq!(infected_until(fresh), (DAY0 as u64) * SECONDS_PER_DAY + 14 * SECONDS_PER_DAY);
		// A case infectious for fourteen days, matched two days after its endorsement: its
		// visit on the window's first day stopped infecting at midnight, so nothing changes
		// and the event counts it.
		let window = DayWindow { first: DAY0 - 13, last: DAY0 };
		assert_eq!(<Notify as CaseJobs>::open(1, window, &[(DAY0, [1; 32])]), Ok(()));
		set_time(T0 + 2 * SECONDS_PER_DAY + 3_600);
		assert_ok!(submit(result(1, 0, vec![], vec![visit(old, DAY0 - 13)])));
		System::assert_last_event(
			Event::ResultAccepted {
				case: 1,
				round: 0,
				part: 0,
				parts: 1,
				exposures: 0,
				cells_infected: 0,
				cells_unregistered: 0,
				cells_expired: 1,
			}
			.into(),
		);
		assert_eq!(
			pallet_locations::Pallet::<Test>::view(&old, Locations::now()).unwrap().state,
			CellState::Empty
		);
	});
}

/// A place-based exposure can begin up to the longest survival time after the case left; a
/// job accepts exposures until `JobGraceDays` after its window. A survival time longer than
/// that would find exposures no result could carry, so the rule refuses it.
#[test]
fn a_survival_time_beyond_the_jobs_grace_is_refused() {
	new_test_ext(|| {
		let grace = <<Test as Config>::JobGraceDays as frame_support::traits::Get<u32>>::get();
		let with = |secs: u32| RiskParams {
			survival_secs: BoundedVec::truncate_from(vec![(SurfaceMaterial::Plastic, secs)]),
			..RiskParams::default()
		};
		assert_noop!(
			Notify::set_risk_params(RuntimeOrigin::root(), with(grace * 86_400 + 1)),
			Error::<Test>::InvalidRiskParams
		);
		assert_ok!(Notify::set_risk_params(RuntimeOrigin::root(), with(grace * 86_400)));
		let params = RiskParams { venue_precision: 6, ..RiskParams::default() };
		assert_noop!(
			Notify::set_risk_params(RuntimeOrigin::root(), params),
			Error::<Test>::InvalidRiskParams
		);
	});
}

/// The off-chain worker against a scripted matcher.
mod worker {
	use super::*;
	use crate::relay::{backoff, RelayError, RelayState, Relayed, MATCHER_URL_KEY};
	use codec::{Decode, MaxEncodedLen};
	use epichain_primitives::matching::JobRequest;
	use sp_core::offchain::{
		testing::{
			OffchainState, PendingRequest, PoolState, TestOffchainExt, TestTransactionPoolExt,
		},
		Externalities, HttpError, HttpRequestId, HttpRequestStatus, OffchainDbExt,
		OffchainWorkerExt, OpaqueNetworkState, StorageKind, Timestamp, TransactionPoolExt,
	};
	use sp_runtime::offchain::storage::StorageValueRef;
	use sp_runtime::BuildStorage;
	use std::sync::Arc;

	const URL: &str = "http://matcher.test";

	/// A second matcher replica's URL, for failover.
	const REPLICA: &str = "http://replica.test";

	/// The stock test externalities answer every request with 200; this one answers with
	/// `status` (`None`: the deadline passes with no answer), or with the status scripted for a
	/// URL in `by_url`, and refuses connections to the URLs in `refused`.
	#[derive(Default)]
	struct Script {
		by_url: Vec<(&'static str, Option<u16>)>,
		refused: Vec<&'static str>,
		/// Every URL a request was started to, in order (refused ones too).
		asked: Vec<String>,
		started: std::collections::HashMap<HttpRequestId, String>,
	}

	struct Scripted {
		inner: TestOffchainExt,
		status: Option<u16>,
		script: Arc<parking_lot::Mutex<Script>>,
	}

	/// The part of `uri` before its path.
	fn base(uri: &str) -> &str {
		uri.strip_suffix("/v1/jobs").unwrap_or(uri)
	}

	impl Externalities for Scripted {
		fn is_validator(&self) -> bool {
			self.inner.is_validator()
		}
		fn network_state(&self) -> Result<OpaqueNetworkState, ()> {
			self.inner.network_state()
		}
		fn timestamp(&mut self) -> Timestamp {
			self.inner.timestamp()
		}
		fn sleep_until(&mut self, deadline: Timestamp) {
			self.inner.sleep_until(deadline)
		}
		fn random_seed(&mut self) -> [u8; 32] {
			self.inner.random_seed()
		}
		fn http_request_start(
			&mut self,
			method: &str,
			uri: &str,
			meta: &[u8],
		) -> Result<HttpRequestId, ()> {
			let mut script = self.script.lock();
			script.asked.push(base(uri).to_string());
			if script.refused.contains(&base(uri)) {
				return Err(());
			}
			let id = self.inner.http_request_start(method, uri, meta)?;
			script.started.insert(id, base(uri).to_string());
			Ok(id)
		}
		fn http_request_add_header(
			&mut self,
			id: HttpRequestId,
			name: &str,
			value: &str,
		) -> Result<(), ()> {
			self.inner.http_request_add_header(id, name, value)
		}
		fn http_request_write_body(
			&mut self,
			id: HttpRequestId,
			chunk: &[u8],
			deadline: Option<Timestamp>,
		) -> Result<(), HttpError> {
			self.inner.http_request_write_body(id, chunk, deadline)
		}
		fn http_response_wait(
			&mut self,
			ids: &[HttpRequestId],
			_deadline: Option<Timestamp>,
		) -> Vec<HttpRequestStatus> {
			let script = self.script.lock();
			ids.iter()
				.map(|id| {
					let url = script.started.get(id).map(String::as_str).unwrap_or_default();
					let status = script
						.by_url
						.iter()
						.find(|(u, _)| *u == url)
						.map_or(self.status, |(_, s)| *s);
					match status {
						Some(code) => HttpRequestStatus::Finished(code),
						None => HttpRequestStatus::DeadlineReached,
					}
				})
				.collect()
		}
		fn http_response_headers(&mut self, id: HttpRequestId) -> Vec<(Vec<u8>, Vec<u8>)> {
			self.inner.http_response_headers(id)
		}
		fn http_response_read_body(
			&mut self,
			id: HttpRequestId,
			buffer: &mut [u8],
			deadline: Option<Timestamp>,
		) -> Result<usize, HttpError> {
			self.inner.http_response_read_body(id, buffer, deadline)
		}
		fn set_authorized_nodes(
			&mut self,
			nodes: Vec<sp_core::OpaquePeerId>,
			authorized_only: bool,
		) {
			self.inner.set_authorized_nodes(nodes, authorized_only)
		}
	}

	struct World {
		http: Arc<parking_lot::RwLock<OffchainState>>,
		pool: Arc<parking_lot::RwLock<PoolState>>,
		script: Arc<parking_lot::Mutex<Script>>,
	}

	/// Runs `test` at block 10 with a registered matcher, job 0 open, the matcher URL set and
	/// the matcher answering with `status`.
	fn with_worker(status: Option<u16>, test: impl FnOnce(&World)) {
		let (offchain, http) = TestOffchainExt::new();
		let (pool, pool_state) = TestTransactionPoolExt::new();
		let script = Arc::new(parking_lot::Mutex::new(Script::default()));
		let mut ext: sp_io::TestExternalities =
			frame_system::GenesisConfig::<Test>::default().build_storage().unwrap().into();
		ext.register_extension(OffchainDbExt::new(offchain.clone()));
		ext.register_extension(OffchainWorkerExt::new(Scripted {
			inner: offchain,
			status,
			script: script.clone(),
		}));
		ext.register_extension(TransactionPoolExt::new(pool));
		ext.execute_with(|| {
			System::set_block_number(10);
			set_time(T0 + 12 * 3_600);
			register_matcher(matcher_key().public().0);
			open_job(0);
			sp_io::offchain::local_storage_set(
				StorageKind::PERSISTENT,
				MATCHER_URL_KEY,
				URL.as_bytes(),
			);
			test(&World { http, pool: pool_state, script });
		});
	}

	/// The matcher will be asked for part `part` of round `round` of case 0 and answer `body`.
	fn expect_part(world: &World, round: u32, part: u32, body: Vec<u8>) {
		expect_at(world, URL, round, part, body)
	}

	/// The matcher at `url` will be asked for part `part` of round `round` of case 0 and
	/// answer `body`.
	fn expect_at(world: &World, url: &str, round: u32, part: u32, body: Vec<u8>) {
		world.http.write().expect_request(PendingRequest {
			method: "POST".into(),
			uri: format!("{url}/v1/jobs"),
			headers: vec![("Content-Type".into(), "application/octet-stream".into())],
			body: JobRequest { case: 0, round, part }.encode(),
			response: Some(body),
			sent: true,
			..Default::default()
		});
	}

	/// The matcher will be asked for round `round` of case 0 and answer `body`.
	fn expect_job(world: &World, round: u32, body: Vec<u8>) {
		expect_part(world, round, 0, body)
	}

	fn state() -> RelayState {
		let key = [b"epichain/notifications/relay/".as_slice(), &0u64.to_le_bytes()].concat();
		StorageValueRef::persistent(&key).get().unwrap().unwrap_or_default()
	}

	#[test]
	fn the_worker_posts_the_job_and_submits_the_signed_result_once() {
		with_worker(Some(200), |w| {
			let r = result(0, 0, vec![exposure(7, DAY0, RiskLevel::High)], vec![]);
			let signature = sign_with(&matcher_key(), &r);
			expect_job(w, 0, (r.clone(), signature).encode());
			Notify::offchain_worker(10);
			let pool = w.pool.read();
			assert_eq!(pool.transactions.len(), 1);
			let xt = Extrinsic::decode(&mut &pool.transactions[0][..]).unwrap();
			assert!(!xt.is_inherent() && !xt.is_signed());
			assert_eq!(
				xt.function,
				RuntimeCall::Notify(Call::submit_result { result: r, signature })
			);
			drop(pool);
			// Not due again until the relay interval has passed: the next blocks send nothing
			// (the test externalities would panic on a request nobody scripted).
			assert_eq!(state(), RelayState { next_attempt: 15, failures: 0 });
			Notify::offchain_worker(11);
			assert_eq!(w.pool.read().transactions.len(), 1);
		});
	}

	#[test]
	fn after_a_part_that_is_not_the_last_the_next_part_is_asked_for_at_the_next_block() {
		with_worker(Some(200), |w| {
			let all: Vec<_> = (0..20).map(|n| exposure(n, DAY0, RiskLevel::High)).collect();
			let parts = parts_of(0, 0, &all, 16);
			let signature = sign_with(&matcher_key(), &parts[0]);
			expect_part(w, 0, 0, (parts[0].clone(), signature).encode());
			assert_eq!(
				Notify::relay_job(&[URL], 0, 10),
				Ok(Relayed::Submitted { round: 0, part: 0, parts: 2, exposures: 16 })
			);
			assert_eq!(state(), RelayState { next_attempt: 11, failures: 0 });
			// The part is in a block: the worker asks for the second part, and an answer for
			// another part is not submitted.
			Notify::submit_result(
				frame_system::RawOrigin::Authorized.into(),
				parts[0].clone(),
				signature,
			)
			.unwrap();
			let wrong = parts[0].clone();
			expect_part(w, 0, 1, (wrong.clone(), sign_with(&matcher_key(), &wrong)).encode());
			assert_eq!(Notify::relay_job(&[URL], 0, 11), Err(RelayError::Malformed));
			let signature = sign_with(&matcher_key(), &parts[1]);
			expect_part(w, 0, 1, (parts[1].clone(), signature).encode());
			assert_eq!(
				Notify::relay_job(&[URL], 0, 13),
				Ok(Relayed::Submitted { round: 0, part: 1, parts: 2, exposures: 4 })
			);
			// The round is complete: due again after the relay interval.
			assert_eq!(state(), RelayState { next_attempt: 18, failures: 0 });
		});
	}

	#[test]
	fn without_a_matcher_url_the_worker_does_nothing() {
		with_worker(Some(200), |w| {
			sp_io::offchain::local_storage_clear(StorageKind::PERSISTENT, MATCHER_URL_KEY);
			Notify::offchain_worker(10);
			assert!(w.pool.read().transactions.is_empty());
			assert_eq!(state(), RelayState::default());
		});
	}

	#[test]
	fn timeouts_and_error_statuses_back_off_exponentially() {
		with_worker(None, |w| {
			for (attempt, now) in [(0u32, 10u32), (1, 11), (2, 13)] {
				expect_job(w, 0, vec![]);
				assert_eq!(Notify::relay_job(&[URL], 0, now), Err(RelayError::Timeout));
				assert_eq!(
					state(),
					RelayState { next_attempt: now + backoff(attempt), failures: attempt + 1 }
				);
			}
			// Not due before the backoff ends.
			assert_eq!(Notify::relay_job(&[URL], 0, 16), Ok(Relayed::Skipped));
			assert!(w.pool.read().transactions.is_empty());
		});
		assert_eq!((backoff(0), backoff(3), backoff(40)), (1, 8, 64));
		for (status, error) in [(500, RelayError::Status(500)), (400, RelayError::Status(400))] {
			with_worker(Some(status), |w| {
				expect_job(w, 0, vec![]);
				assert_eq!(Notify::relay_job(&[URL], 0, 10), Err(error));
				assert!(w.pool.read().transactions.is_empty());
				assert_eq!(state(), RelayState { next_attempt: 11, failures: 1 });
			});
		}
		// The matcher's finalized view is behind the best block: asked again next block, with
		// no backoff.
		for status in [404, 409, 503] {
			with_worker(Some(status), |w| {
				expect_job(w, 0, vec![]);
				assert_eq!(Notify::relay_job(&[URL], 0, 10), Err(RelayError::NotReady));
				assert_eq!(state(), RelayState { next_attempt: 11, failures: 0 });
			});
		}
	}

	#[test]
	fn nothing_new_waits_for_the_relay_interval() {
		with_worker(Some(204), |w| {
			expect_job(w, 0, vec![]);
			assert_eq!(Notify::relay_job(&[URL], 0, 10), Ok(Relayed::NothingNew));
			assert_eq!(state(), RelayState { next_attempt: 15, failures: 0 });
			assert!(w.pool.read().transactions.is_empty());
		});
	}

	#[test]
	fn malformed_forged_misaddressed_and_oversize_answers_are_not_submitted() {
		let good = || result(0, 0, vec![exposure(7, DAY0, RiskLevel::High)], vec![]);
		let forger = ed25519::Pair::from_seed(&[0x66; 32]);
		let cases: Vec<(Box<dyn Fn() -> Vec<u8>>, RelayError)> = vec![
			(Box::new(|| b"not scale".to_vec()), RelayError::Malformed),
			(
				Box::new(|| {
					let r = good();
					(r.clone(), sign_with(&matcher_key(), &r), 0u8).encode()
				}),
				RelayError::Malformed,
			),
			(
				Box::new(|| {
					let r = result(0, 1, vec![], vec![]);
					(r.clone(), sign_with(&matcher_key(), &r)).encode()
				}),
				RelayError::Malformed,
			),
			(
				Box::new(move || {
					let mut r = good();
					r.signer = forger.public().0;
					(r.clone(), sign_with(&forger, &r)).encode()
				}),
				RelayError::Invalid(InvalidTransaction::Custom(
					Error::<Test>::UnknownMatcher.encode()[0],
				)),
			),
			(
				Box::new(|| {
					let r = good();
					let mut signature = sign_with(&matcher_key(), &r);
					signature[0] ^= 1;
					(r, signature).encode()
				}),
				RelayError::Invalid(InvalidTransaction::BadProof),
			),
			(
				Box::new(|| vec![0u8; MatchResultOf::<Test>::max_encoded_len() + 65]),
				RelayError::Oversize,
			),
		];
		for (body, error) in cases {
			with_worker(Some(200), |w| {
				expect_job(w, 0, body());
				assert_eq!(Notify::relay_job(&[URL], 0, 10), Err(error));
				assert!(w.pool.read().transactions.is_empty());
				assert_eq!(state().failures, 1);
			});
		}
	}

	/// A valid signed answer for round 0 of case 0.
	fn good_answer() -> (MatchResultOf<Test>, [u8; 64]) {
		let r = result(0, 0, vec![exposure(7, DAY0, RiskLevel::High)], vec![]);
		let signature = sign_with(&matcher_key(), &r);
		(r, signature)
	}

	fn preferred() -> Option<u32> {
		StorageValueRef::persistent(crate::relay::PREFERRED_KEY).get().unwrap()
	}

	#[test]
	fn a_node_given_two_matchers_fails_over_to_the_second_when_the_first_refuses() {
		with_worker(Some(200), |w| {
			// The node's `--matcher-url` given twice: one URL per line.
			sp_io::offchain::local_storage_set(
				StorageKind::PERSISTENT,
				MATCHER_URL_KEY,
				format!("{URL}\n{REPLICA}").as_bytes(),
			);
			w.script.lock().refused.push(URL);
			expect_at(w, REPLICA, 0, 0, good_answer().encode());
			Notify::offchain_worker(10);
			// In the same run: the result reached the pool through the replica.
			assert_eq!(w.pool.read().transactions.len(), 1);
			assert_eq!(w.script.lock().asked, vec![URL.to_string(), REPLICA.to_string()]);
			assert_eq!(state(), RelayState { next_attempt: 15, failures: 0 });
			// The replica that answered is asked first from now on.
			assert_eq!(preferred(), Some(1));
		});
	}

	#[test]
	fn a_silent_failing_behind_or_lying_first_matcher_is_passed_over_in_the_same_run() {
		let forger = ed25519::Pair::from_seed(&[0x66; 32]);
		let forged = || {
			let (r, mut signature) = good_answer();
			signature[0] ^= 1;
			(r, signature).encode()
		};
		// (the first matcher's status, its body)
		let first: Vec<(Option<u16>, Box<dyn Fn() -> Vec<u8>>)> = vec![
			(None, Box::new(Vec::new)),
			(Some(500), Box::new(Vec::new)),
			(Some(503), Box::new(Vec::new)),
			(Some(200), Box::new(|| b"not scale".to_vec())),
			(Some(200), Box::new(forged)),
			(
				Some(200),
				Box::new(move || {
					let (mut r, _) = good_answer();
					r.signer = forger.public().0;
					(r.clone(), sign_with(&forger, &r)).encode()
				}),
			),
		];
		for (status, body) in first {
			with_worker(Some(200), |w| {
				w.script.lock().by_url.push((URL, status));
				expect_at(w, URL, 0, 0, body());
				expect_at(w, REPLICA, 0, 0, good_answer().encode());
				let relayed = Notify::relay_job(&[URL, REPLICA], 0, 10);
				assert_eq!(
					relayed,
					Ok(Relayed::Submitted { round: 0, part: 0, parts: 1, exposures: 1 }),
					"first matcher answering {status:?}"
				);
				assert_eq!(w.pool.read().transactions.len(), 1);
				assert_eq!(state().failures, 0);
			});
		}
	}

	/// The matcher's `422` answer: its signed gap of round 0 of case 0.
	fn gap_answer() -> Vec<u8> {
		let g = CoverageGap { as_of: 10, ..gap(0, 0) };
		(g, sign_gap_with(&matcher_key(), &g)).encode()
	}

	#[test]
	fn a_matcher_missing_keys_has_its_signed_gap_put_on_chain_once_and_the_job_backs_off() {
		with_worker(Some(422), |w| {
			expect_job(w, 0, gap_answer());
			assert_eq!(Notify::relay_job(&[URL], 0, 10), Err(RelayError::IncompleteCoverage));
			let pool = w.pool.read();
			assert_eq!(pool.transactions.len(), 1);
			let xt = Extrinsic::decode(&mut &pool.transactions[0][..]).unwrap();
			let (g, signature) = <(CoverageGap, [u8; 64])>::decode(&mut &gap_answer()[..]).unwrap();
			assert_eq!(xt.function, RuntimeCall::Notify(Call::report_gap { gap: g, signature }));
			drop(pool);
			// Asked again after a backoff, not at the relay interval: the job is not judged.
			assert_eq!(state(), RelayState { next_attempt: 11, failures: 1 });
			// Once the gap is on chain, the same answer is not submitted again.
			Notify::report_gap(frame_system::RawOrigin::Authorized.into(), g, signature).unwrap();
			expect_job(w, 0, gap_answer());
			assert_eq!(Notify::relay_job(&[URL], 0, 11), Err(RelayError::IncompleteCoverage));
			assert_eq!(w.pool.read().transactions.len(), 1);
			assert_eq!(state(), RelayState { next_attempt: 13, failures: 2 });
		});
	}

	#[test]
	fn a_replica_that_holds_the_keys_answers_for_one_that_does_not_and_no_gap_is_reported() {
		with_worker(Some(200), |w| {
			w.script.lock().by_url.push((URL, Some(422)));
			expect_at(w, URL, 0, 0, gap_answer());
			expect_at(w, REPLICA, 0, 0, good_answer().encode());
			assert_eq!(
				Notify::relay_job(&[URL, REPLICA], 0, 10),
				Ok(Relayed::Submitted { round: 0, part: 0, parts: 1, exposures: 1 })
			);
			let pool = w.pool.read();
			assert_eq!(pool.transactions.len(), 1);
			let xt = Extrinsic::decode(&mut &pool.transactions[0][..]).unwrap();
			assert!(matches!(xt.function, RuntimeCall::Notify(Call::submit_result { .. })));
		});
	}

	#[test]
	fn a_forged_misaddressed_or_malformed_gap_is_not_submitted() {
		let forged = || {
			let g = CoverageGap { as_of: 10, ..gap(0, 0) };
			let mut signature = sign_gap_with(&matcher_key(), &g);
			signature[0] ^= 1;
			(g, signature).encode()
		};
		let other_round = || {
			let g = CoverageGap { as_of: 10, ..gap(0, 1) };
			(g, sign_gap_with(&matcher_key(), &g)).encode()
		};
		let cases: Vec<(Box<dyn Fn() -> Vec<u8>>, RelayError)> = vec![
			(Box::new(forged), RelayError::Invalid(InvalidTransaction::BadProof)),
			(Box::new(other_round), RelayError::Malformed),
			(Box::new(|| b"not scale".to_vec()), RelayError::Malformed),
			(Box::new(|| vec![0; CoverageGap::max_encoded_len() + 65]), RelayError::Oversize),
		];
		for (body, error) in cases {
			with_worker(Some(422), |w| {
				expect_job(w, 0, body());
				assert_eq!(Notify::relay_job(&[URL], 0, 10), Err(error));
				assert!(w.pool.read().transactions.is_empty());
				assert_eq!(CoverageGaps::<Test>::get(0), None);
			});
		}
	}

	#[test]
	fn when_every_matcher_fails_the_worker_reports_one_error_and_backs_off_once() {
		// Both fail: the first one's error, one backoff step.
		with_worker(Some(200), |w| {
			w.script.lock().by_url.extend([(URL, Some(500)), (REPLICA, None)]);
			expect_at(w, URL, 0, 0, vec![]);
			expect_at(w, REPLICA, 0, 0, vec![]);
			assert_eq!(Notify::relay_job(&[URL, REPLICA], 0, 10), Err(RelayError::Status(500)));
			assert_eq!(state(), RelayState { next_attempt: 11, failures: 1 });
			assert!(w.pool.read().transactions.is_empty());
		});
		// One is only behind the finalized head: asked again at the next block, no backoff.
		with_worker(Some(200), |w| {
			w.script.lock().by_url.extend([(URL, Some(500)), (REPLICA, Some(409))]);
			expect_at(w, URL, 0, 0, vec![]);
			expect_at(w, REPLICA, 0, 0, vec![]);
			assert_eq!(Notify::relay_job(&[URL, REPLICA], 0, 10), Err(RelayError::NotReady));
			assert_eq!(state(), RelayState { next_attempt: 11, failures: 0 });
		});
	}
}

/// Case 2's pseudonyms: the four days of the window of [`open_job`].
fn second_case() -> Vec<(DayIndex, epichain_primitives::pseudonym::Pseudonym)> {
	let window = DayWindow::from_onset(DAY0 - 1, DAY0);
	(window.first..=window.last).map(|d| (d, [0xB0 ^ d as u8; 32])).collect()
}

/// Case 2 is endorsed: the diagnosis pallet indexes its pseudonym-days and opens its job.
fn endorse_second_case() {
	MockCases::endorse(&second_case());
	let window = DayWindow::from_onset(DAY0 - 1, DAY0);
	assert_eq!(<Notify as CaseJobs>::open(2, window, &second_case()), Ok(()));
}

/// An exposure of case 2's pseudonym of `day`.
fn exposure_of_second_case(day: DayIndex) -> Exposure {
	let (_, pseudonym) = second_case().into_iter().find(|(d, _)| *d == day).unwrap();
	Exposure {
		fingerprint: epichain_primitives::pseudonym::fingerprint(&pseudonym),
		day,
		risk: RiskLevel::High,
		probability_ppm: 700_000,
	}
}

#[test]
fn a_case_endorsed_before_the_result_is_never_notified_of_its_exposure() {
	new_test_ext(|| {
		register_matcher(matcher_key().public().0);
		open_job(1);
		endorse_second_case();
		let stranger = exposure(9, DAY0, RiskLevel::Low);
		assert_eq!(
			submit(result(1, 0, vec![exposure_of_second_case(DAY0), stranger], vec![])),
			Ok(())
		);
		// Only the stranger is notified: nothing in state says case 2 met case 1.
		let day = Notify::notifications_of_day(DAY0, 0, 10);
		assert_eq!(day.iter().map(|n| n.fingerprint).collect::<Vec<_>>(), vec![[9; 16]]);
		assert_eq!(DayCounts::<Test>::get(DAY0), DayCount { high: 0, low: 1, indirect: 0 });
		assert_eq!(Jobs::<Test>::get(1).unwrap().exposures, 1);
	});
}

#[test]
fn an_endorsement_withdraws_the_notifications_already_addressed_to_the_case() {
	new_test_ext(|| {
		register_matcher(matcher_key().public().0);
		open_job(1);
		let stranger = exposure(9, DAY0, RiskLevel::Low);
		let earlier = exposure_of_second_case(DAY0 - 1);
		assert_eq!(
			submit(result(1, 0, vec![earlier, exposure_of_second_case(DAY0), stranger], vec![])),
			Ok(())
		);
		assert_eq!(Notify::notifications_of_day(DAY0, 0, 10).len(), 2);

		endorse_second_case();
		Notify::on_idle(2, Weight::MAX);
		// The case's two notified pseudonym-days are withdrawn, with the counts; the
		// stranger's stays.
		assert!(Notify::notifications_of_day(DAY0 - 1, 0, 10).is_empty());
		let day = Notify::notifications_of_day(DAY0, 0, 10);
		assert_eq!(day.iter().map(|n| n.fingerprint).collect::<Vec<_>>(), vec![[9; 16]]);
		assert_eq!(DayCounts::<Test>::get(DAY0 - 1), DayCount::default());
		assert_eq!(DayCounts::<Test>::get(DAY0), DayCount { high: 0, low: 1, indirect: 0 });
		assert_eq!(Notify::lookup(&[earlier.fingerprint]), vec![]);
		assert_eq!(Withdrawals::<Test>::iter().count(), 0);
	});
}

#[test]
fn withdrawals_go_in_bounded_steps_within_the_weight_given() {
	new_test_ext(|| {
		register_matcher(matcher_key().public().0);
		open_job(1);
		assert_eq!(submit(result(1, 0, vec![exposure_of_second_case(DAY0)], vec![])), Ok(()));
		endorse_second_case();
		// Four pseudonym-days queued: one removal and four closings are five steps, so two
		// steps leave some of the queue for the next block.
		let step = <() as WeightInfo>::prune_notification().max(<() as WeightInfo>::prune_job());
		let two_steps = step.saturating_mul(2);
		assert!(Notify::on_idle(2, two_steps).all_lte(two_steps));
		assert!(Withdrawals::<Test>::iter().count() > 0);
		Notify::on_idle(3, Weight::MAX);
		assert_eq!(Withdrawals::<Test>::iter().count(), 0);
		assert!(Notify::notifications_of_day(DAY0, 0, 10).is_empty());
	});
}

#[test]
fn revocation_withdraws_the_cells_only_the_case_infected() {
	new_test_ext(|| {
		register_matcher(matcher_key().public().0);
		let (only_seven, also_eight) = (cell(b"xn76urx"), cell(b"xn76ury"));
		register_locations(&[only_seven, also_eight]);
		let visit =
			|cell, day| InfectedCell { cell, source: InfectionSource::VisitBeforeEndorsement, day };
		open_job(7);
		open_job(8);
		assert_ok!(submit(result(
			7,
			0,
			vec![],
			vec![visit(only_seven, DAY0), visit(also_eight, DAY0)]
		)));
		assert_ok!(submit(result(8, 0, vec![], vec![visit(also_eight, DAY0 - 1)])));
		let state = |c| pallet_locations::Pallet::<Test>::view(&c, Locations::now()).unwrap().state;

		<Notify as CaseJobs>::cancel(7);
		Locations::on_idle(1, Weight::MAX);
		// The cell only case 7 infected is as it was before; case 8's still counts from its visit.
		assert_eq!(state(only_seven), CellState::Empty);
		assert_eq!(
			state(also_eight),
			CellState::Infected { since: DAY0 as u64 * SECONDS_PER_DAY, cases: 1 }
		);
	});
}

/// Externalities holding `n` notifications on day [`DAY0`], under synthetic fingerprints, with
/// their storage committed so that a read can be proven.
fn a_day_of(n: u32) -> sp_io::TestExternalities {
	let mut ext: sp_io::TestExternalities =
		frame_system::GenesisConfig::<Test>::default().build_storage().unwrap().into();
	ext.execute_with(|| {
		for i in 0..n {
			let fingerprint = sp_io::hashing::blake2_128(&i.to_le_bytes());
			let record =
				NotificationRecord { risk: RiskLevel::Low, probability_ppm: 100_000, round: 0 };
			Notifications::<Test>::insert((DAY0, fingerprint, 1u64), record);
		}
	});
	ext.commit_all().unwrap();
	ext
}

/// The storage proof a light client downloads for `read`.
fn proof_of<R>(ext: &mut sp_io::TestExternalities, read: impl FnOnce() -> R) -> (R, usize) {
	let (value, proof) = ext.execute_and_prove(read);
	(value, proof.encoded_size())
}

#[test]
fn a_late_page_of_a_day_costs_a_light_client_no_more_than_the_first() {
	let mut ext = a_day_of(3_000);
	let (first, first_bytes) =
		proof_of(&mut ext, || Notify::notifications_of_day_after(DAY0, None, 500));
	let last_of_first = first.last().map(NotificationView::cursor);
	let mut after = last_of_first;
	let mut late_bytes = 0;
	for _ in 1..5 {
		let (page, bytes) =
			proof_of(&mut ext, || Notify::notifications_of_day_after(DAY0, after, 500));
		assert_eq!(page.len(), 500);
		after = page.last().map(NotificationView::cursor);
		late_bytes = bytes;
	}
	println!("page 1's proof: {first_bytes} bytes; page 5's: {late_bytes} bytes");
	// The fifth page's proof holds its own 500 keys and the path to them, not the 2,000
	// keys before it (reading by skip, it held all 2,500: about five times the first's).
	assert!(
		late_bytes * 10 <= first_bytes * 12,
		"page 5's proof is {late_bytes} bytes, page 1's {first_bytes}"
	);
}

#[test]
fn paging_a_day_by_cursor_reads_every_notification_once_even_when_the_cursor_is_withdrawn() {
	let mut ext = a_day_of(1_050);
	ext.execute_with(|| {
		let whole: Vec<_> = Notifications::<Test>::iter_key_prefix((DAY0,)).collect();
		assert_eq!(whole.len(), 1_050);
		let mut read = Vec::new();
		let mut after = None;
		loop {
			let page = Notify::notifications_of_day_after(DAY0, after, 100);
			read.extend(page.iter().map(|n| (n.fingerprint, n.case)));
			let Some(last) = page.last() else { break };
			after = Some(last.cursor());
			// The entry the cursor names goes away between two pages (an endorsement
			// withdraws it): the next page still starts right after it.
			Notifications::<Test>::remove((DAY0, last.fingerprint, last.case));
			if page.len() < 100 {
				break;
			}
		}
		assert_eq!(read, whole);
		// Another day's notifications are never read.
		assert!(Notify::notifications_of_day_after(DAY0 + 1, None, 100).is_empty());
	});
}

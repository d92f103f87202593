//! Behaviour of the location state machine, check-ins and region aggregates.

use crate::{mock::*, *};
use codec::Encode;
use epichain_primitives::diagnosis::{CaseId, DayWindow};
use epichain_primitives::traits::{CheckIns, InfectionSource, LocationInfections};
use frame_support::{assert_noop, assert_ok, traits::Hooks, weights::Weight};
use sp_runtime::{DispatchError, DispatchResult};

const VENUE: u64 = 10;
const STRANGER: u64 = 99;
const DAY: u64 = 86_400;

fn cell(s: &[u8]) -> Geohash {
	Geohash::parse(s).unwrap()
}

fn now() -> u64 {
	LocationsPallet::now()
}

fn state(c: Geohash) -> CellState {
	LocationsPallet::view(&c, now()).unwrap().state
}

fn register(c: Geohash) {
	assert_ok!(LocationsPallet::register_location(
		RuntimeOrigin::root(),
		c,
		None,
		SurfaceMaterial::Unknown
	));
}

/// The authority declares `c` a cluster site now.
fn infect(c: Geohash) -> DispatchResult {
	LocationsPallet::mark_infected(RuntimeOrigin::root(), c)
}

/// A matcher's result: case 1 visited `c` on day `day`.
fn visited(c: Geohash, day: u64) -> Result<bool, epichain_primitives::traits::UnknownLocation> {
	visited_by(c, day, 1)
}

/// A matcher's result: case `case` visited `c` on day `day`.
fn visited_by(
	c: Geohash,
	day: u64,
	case: CaseId,
) -> Result<bool, epichain_primitives::traits::UnknownLocation> {
	<LocationsPallet as LocationInfections>::infect(
		&c,
		InfectionSource::VisitBeforeEndorsement,
		day as DayIndex,
		case,
	)
}

/// Case `case`, infectious over days `first..=last`, is revoked; `on_idle` runs with room.
fn revoke(case: CaseId, first: u64, last: u64) {
	let window = DayWindow { first: first as DayIndex, last: last as DayIndex };
	<LocationsPallet as LocationInfections>::withdraw(case, window);
	LocationsPallet::on_idle(1, Weight::MAX);
	assert_eq!(Withdrawing::<Test>::iter().count(), 0, "the withdrawal finished");
}

fn withdrawn_events() -> Vec<(Geohash, CaseId, CellState)> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::LocationsPallet(Event::InfectionWithdrawn { cell, case, state }) => {
				Some((cell, case, state))
			},
			_ => None,
		})
		.collect()
}

fn check_in(c: Geohash) {
	<LocationsPallet as CheckIns>::on_check_ins(&c, (now() / DAY) as u32, 1)
}

/// The states a cell can be in before an event, and how to get there.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Start {
	Unregistered,
	Empty,
	Infected,
	Clean,
}

fn prepare(c: Geohash, start: Start) {
	match start {
		Start::Unregistered => {},
		Start::Empty => register(c),
		Start::Infected => {
			register(c);
			infect(c).unwrap();
		},
		Start::Clean => {
			register(c);
			check_in(c);
		},
	}
}

/// Song et al.'s Fig. 2, every (state, event) pair: the state after the event, or the error.
#[test]
fn the_state_machine_table() {
	use CellState as S;
	type Outcome = Result<fn(u64) -> S, DispatchError>;
	let exists: DispatchError = Error::<Test>::LocationExists.into();
	let unknown: DispatchError = Error::<Test>::UnknownLocation.into();
	let not_infected: DispatchError = Error::<Test>::NotInfected.into();
	let table: Vec<(Start, &str, Outcome)> = vec![
		(Start::Unregistered, "register", Ok(|_| S::Empty)),
		(Start::Unregistered, "infect", Err(unknown)),
		(Start::Unregistered, "clean", Err(unknown)),
		(Start::Empty, "register", Err(exists)),
		(Start::Empty, "check-in", Ok(|t| S::Clean { since: t })),
		(Start::Empty, "infect", Ok(|t| S::Infected { since: t, cases: 1 })),
		(Start::Empty, "clean", Err(not_infected)),
		(Start::Empty, "wait 14 days", Ok(|_| S::Empty)),
		(Start::Infected, "register", Err(exists)),
		(Start::Infected, "check-in", Ok(|t| S::Infected { since: t, cases: 1 })),
		(Start::Infected, "infect", Ok(|t| S::Infected { since: t, cases: 2 })),
		(Start::Infected, "clean", Ok(|t| S::Clean { since: t })),
		(Start::Infected, "wait 14 days", Ok(|t| S::Clean { since: t })),
		(Start::Clean, "register", Err(exists)),
		(Start::Clean, "check-in", Ok(|t| S::Clean { since: t })),
		(Start::Clean, "infect", Ok(|t| S::Infected { since: t, cases: 1 })),
		(Start::Clean, "clean", Err(not_infected)),
		(Start::Clean, "wait 14 days", Ok(|t| S::Clean { since: t })),
	];
	for (start, event, expected) in table {
		new_test_ext(|| {
			let c = cell(b"xn76urx");
			let t0 = now();
			prepare(c, start);
			let t = if event == "wait 14 days" { t0 + WINDOW } else { t0 + 60 };
			set_time(t);
			let result: Result<(), DispatchError> = match event {
				"register" => LocationsPallet::register_location(
					RuntimeOrigin::root(),
					c,
					None,
					SurfaceMaterial::Unknown,
				),
				"check-in" => {
					check_in(c);
					Ok(())
				},
				"infect" => infect(c).map_err(|_| unknown),
				"clean" => LocationsPallet::mark_cleaned(RuntimeOrigin::root(), c),
				_ => Ok(()),
			};
			match expected {
				Err(e) => assert_eq!(result, Err(e), "{start:?} + {event}"),
				Ok(f) => {
					assert_eq!(result, Ok(()), "{start:?} + {event}");
					// Check-ins keep the first Clean time; waiting reports the decay moment.
					let at = match (start, event) {
						(Start::Clean, "check-in") | (Start::Clean, "wait 14 days") => t0,
						(Start::Infected, "check-in") => t0,
						(Start::Infected, "wait 14 days") => t0 + WINDOW,
						_ => t,
					};
					assert_eq!(state(c), f(at), "{start:?} + {event}");
				},
			}
		});
	}
}

#[test]
fn decay_happens_exactly_fourteen_days_after_the_last_infection() {
	new_test_ext(|| {
		let c = cell(b"xn76urx");
		register(c);
		let t0 = now();
		infect(c).unwrap();
		set_time(t0 + 3 * DAY);
		infect(c).unwrap(); // re-infection restarts the window
		let last = t0 + 3 * DAY;
		set_time(last + WINDOW - 1);
		assert_eq!(state(c), CellState::Infected { since: last, cases: 2 });
		assert_eq!(LocationsPallet::infected_count(b"xn76", now()), 1);
		set_time(last + WINDOW);
		assert_eq!(state(c), CellState::Clean { since: last + WINDOW });
		assert_eq!(LocationsPallet::infected_count(b"xn76", now()), 0);
		// The stored state decays on the next write, with its own event.
		check_in(c);
		System::assert_has_event(Event::LocationDecayed { cell: c, at: last + WINDOW }.into());
		assert_eq!(
			Locations::<Test>::get(c).unwrap().state,
			CellState::Clean { since: last + WINDOW }
		);
		// A Clean cell can be infected again: cases restart.
		infect(c).unwrap();
		assert_eq!(state(c), CellState::Infected { since: now(), cases: 1 });
	});
}

#[test]
fn venues_register_their_cells_and_operators_clean_them() {
	new_test_ext(|| {
		let c = cell(b"xn76urx6");
		assert_noop!(
			LocationsPallet::register_location(
				RuntimeOrigin::signed(STRANGER),
				c,
				None,
				SurfaceMaterial::Unknown
			),
			Error::<Test>::NotAllowed
		);
		assert_noop!(
			LocationsPallet::register_location(
				RuntimeOrigin::signed(VENUE),
				cell(b"xn0m7m3"),
				None,
				SurfaceMaterial::Unknown
			),
			Error::<Test>::NotAllowed
		);
		assert_noop!(
			LocationsPallet::register_location(
				RuntimeOrigin::root(),
				cell(b"xn76"),
				None,
				SurfaceMaterial::Unknown
			),
			Error::<Test>::BadPrecision
		);
		assert_noop!(
			LocationsPallet::register_location(
				RuntimeOrigin::root(),
				cell(b"xn76urx66k"),
				None,
				SurfaceMaterial::Unknown
			),
			Error::<Test>::BadPrecision
		);
		assert_ok!(LocationsPallet::register_location(
			RuntimeOrigin::signed(VENUE),
			c,
			None,
			SurfaceMaterial::Plastic
		));
		System::assert_last_event(
			Event::LocationRegistered {
				cell: c,
				operator: Some(VENUE),
				material: SurfaceMaterial::Plastic,
			}
			.into(),
		);
		// A known material is listed for the matcher; an unknown one is not.
		assert_eq!(LocationsPallet::materials(None, 10), vec![(c, SurfaceMaterial::Plastic)]);
		assert_eq!(
			LocationsPallet::view(&c, LocationsPallet::now()).unwrap().material,
			SurfaceMaterial::Plastic
		);
		assert_ok!(LocationsPallet::mark_infected(RuntimeOrigin::root(), c));
		assert_noop!(
			LocationsPallet::mark_infected(RuntimeOrigin::signed(VENUE), c),
			DispatchError::BadOrigin
		);
		assert_noop!(
			LocationsPallet::mark_cleaned(RuntimeOrigin::signed(STRANGER), c),
			Error::<Test>::NotOperator
		);
		assert_ok!(LocationsPallet::mark_cleaned(RuntimeOrigin::signed(VENUE), c));
		System::assert_last_event(Event::LocationCleaned { cell: c }.into());
		assert_noop!(
			LocationsPallet::mark_cleaned(RuntimeOrigin::root(), c),
			Error::<Test>::NotInfected
		);
		assert_noop!(
			LocationsPallet::mark_cleaned(RuntimeOrigin::root(), cell(b"xn76zzz")),
			Error::<Test>::UnknownLocation
		);
	});
}

#[test]
fn check_ins_count_visits_per_day_and_ignore_unregistered_cells() {
	new_test_ext(|| {
		let c = cell(b"xn76urx");
		<LocationsPallet as CheckIns>::on_check_ins(&c, 20_778, 5);
		assert_eq!(Visits::<Test>::iter().count(), 0);
		register(c);
		<LocationsPallet as CheckIns>::on_check_ins(&c, 20_778, 5);
		<LocationsPallet as CheckIns>::on_check_ins(&c, 20_778, 2);
		assert_eq!(Visits::<Test>::get(20_778, c), 7);
		assert_eq!(LocationsPallet::view(&c, now()).unwrap().visits_today, 7);
		System::assert_last_event(
			Event::CheckedIn {
				cell: c,
				day: 20_778,
				visits: 2,
				state: CellState::Clean { since: now() },
			}
			.into(),
		);
		// Counters leave state after the retention window.
		set_time(now() + 14 * DAY);
		LocationsPallet::on_idle(2, Weight::MAX);
		assert_eq!(Visits::<Test>::iter().count(), 0);
	});
}

#[test]
fn history_keeps_the_window_and_its_bound() {
	new_test_ext(|| {
		let c = cell(b"xn76urx");
		register(c);
		for i in 0..10 {
			set_time(now() + 60);
			if i % 2 == 0 {
				infect(c).unwrap();
			} else {
				assert_ok!(LocationsPallet::mark_cleaned(RuntimeOrigin::root(), c));
			}
		}
		let history = History::<Test>::get(c);
		assert_eq!(history.len(), 8);
		assert_eq!(history.last().unwrap().transition, Transition::Cleaned);
		set_time(now() + WINDOW + 1);
		infect(c).unwrap();
		assert_eq!(History::<Test>::get(c).len(), 1);
	});
}

/// Many transitions over 40 days on cells in two cities, with lazy decay and pruning: every
/// region count equals a brute-force recount of the cells' states.
#[test]
fn region_aggregates_match_a_brute_force_recount() {
	new_test_ext(|| {
		let cells: Vec<Geohash> = (0..24u64)
			.map(|i| {
				let city = if i % 3 == 0 { b"xn0m7" } else { b"xn76u" };
				Geohash::from_bits(
					(Geohash::parse(city).unwrap().to_bits() << 10) | (i * 37 % 1024),
					7,
				)
				.unwrap()
			})
			.collect();
		for c in &cells {
			register(*c);
		}
		let mut seed = 0x2545_f491_4f6c_dd1du64;
		let mut next = || {
			seed ^= seed << 13;
			seed ^= seed >> 7;
			seed ^= seed << 17;
			seed
		};
		for _ in 0..600 {
			set_time(now() + next() % (4 * 3_600));
			let c = cells[(next() % cells.len() as u64) as usize];
			match next() % 4 {
				0 | 1 => infect(c).unwrap(),
				2 => {
					let _ = LocationsPallet::mark_cleaned(RuntimeOrigin::root(), c);
				},
				_ => check_in(c),
			}
			if next() % 10 == 0 {
				LocationsPallet::on_idle(2, Weight::MAX);
			}
			for prefix in [
				&b""[..],
				b"xn",
				b"xn76",
				b"xn76u",
				b"xn0m7",
				c.truncate(6).as_bytes(),
				c.as_bytes(),
			] {
				let brute = cells
					.iter()
					.filter(|x| {
						x.is_within(prefix) && matches!(state(**x), CellState::Infected { .. })
					})
					.count() as u32;
				assert_eq!(
					LocationsPallet::infected_count(prefix, now()),
					brute,
					"prefix {prefix:?}"
				);
				let listed = LocationsPallet::infected_cells(prefix, now(), 1_000);
				assert_eq!(listed.len() as u32, brute);
			}
			LocationsPallet::do_try_state().unwrap();
		}
	});
}

#[test]
fn stale_buckets_leave_state_in_bounded_steps() {
	new_test_ext(|| {
		for i in 0..5u64 {
			let c = Geohash::from_bits((Geohash::parse(b"xn76u").unwrap().to_bits() << 10) | i, 7)
				.unwrap();
			register(c);
			infect(c).unwrap();
		}
		assert_eq!(Expiring::<Test>::iter().count(), 5);
		set_time(now() + WINDOW + 2 * DAY);
		assert_eq!(LocationsPallet::on_idle(2, Weight::zero()), Weight::zero());
		let step = <() as WeightInfo>::prune_step();
		let base = <<Test as frame_system::Config>::DbWeight as frame_support::traits::Get<
			frame_support::weights::RuntimeDbWeight,
		>>::get()
		.reads(2);
		assert_eq!(LocationsPallet::on_idle(2, base + step * 3), base + step * 3);
		assert_eq!(Expiring::<Test>::iter().count(), 2);
		LocationsPallet::on_idle(3, Weight::MAX);
		assert_eq!(Expiring::<Test>::iter().count(), 0);
		assert_eq!(InfectedByExpiry::<Test>::iter().count(), 0);
		assert_eq!(LocationsPallet::infected_count(b"", now()), 0);
	});
}

#[test]
fn a_case_visit_infects_from_its_day_not_from_the_result() {
	new_test_ext(|| {
		let c = cell(b"xn76urx");
		register(c);
		let today = now() / DAY;
		// The result arrives today for a visit ten days ago.
		assert_eq!(visited(c, today - 10), Ok(true));
		let end_of_visit_day = (today - 9) * DAY;
		assert_eq!(state(c), CellState::Infected { since: end_of_visit_day, cases: 1 });
		System::assert_has_event(
			Event::LocationInfected {
				cell: c,
				source: InfectionSource::VisitBeforeEndorsement,
				cases: 1,
				until: end_of_visit_day + WINDOW,
			}
			.into(),
		);
		// It decays the window after the visit's day, four days from now, not fourteen.
		set_time(end_of_visit_day + WINDOW - 1);
		assert!(matches!(state(c), CellState::Infected { .. }));
		assert_eq!(LocationsPallet::infected_count(b"xn76", now()), 1);
		set_time(end_of_visit_day + WINDOW);
		assert_eq!(state(c), CellState::Clean { since: end_of_visit_day + WINDOW });
		assert_eq!(LocationsPallet::infected_count(b"xn76", now()), 0);
	});
}

#[test]
fn a_visit_whose_infection_is_already_over_changes_nothing() {
	new_test_ext(|| {
		let c = cell(b"xn76urx");
		register(c);
		let today = now() / DAY;
		let window_days = WINDOW / DAY;
		System::reset_events();
		assert_eq!(visited(c, today - window_days - 1), Ok(false));
		assert_eq!(state(c), CellState::Empty);
		assert!(System::events().is_empty());
		assert_eq!(LocationsPallet::infected_count(b"", now()), 0);
		// An unregistered cell is an error, whatever the day.
		assert_eq!(
			visited(cell(b"xn76urz"), today),
			Err(epichain_primitives::traits::UnknownLocation)
		);
	});
}

#[test]
fn an_older_visit_adds_a_case_and_never_shortens_the_infection() {
	new_test_ext(|| {
		let c = cell(b"xn76urx");
		register(c);
		let today = now() / DAY;
		assert_eq!(visited(c, today - 1), Ok(true));
		assert_eq!(visited(c, today - 5), Ok(true));
		assert_eq!(state(c), CellState::Infected { since: today * DAY, cases: 2 });
		// A visit today counts until the window after tonight.
		assert_eq!(visited(c, today), Ok(true));
		assert_eq!(state(c), CellState::Infected { since: (today + 1) * DAY, cases: 3 });
		assert_eq!(Expiring::<Test>::iter().count(), 1);
	});
}

#[test]
fn an_operator_suspended_or_removed_as_a_locator_loses_its_rights_at_once() {
	new_test_ext(|| {
		let c = cell(b"xn76urx6");
		assert_ok!(LocationsPallet::register_location(
			RuntimeOrigin::signed(VENUE),
			c,
			None,
			SurfaceMaterial::Unknown
		));
		infect(c).unwrap();
		suspend_venue(VENUE);
		assert_noop!(
			LocationsPallet::mark_cleaned(RuntimeOrigin::signed(VENUE), c),
			Error::<Test>::NotOperator
		);
		// Resumed, it may clean again; the authority always may.
		resume_venue(VENUE);
		assert_ok!(LocationsPallet::mark_cleaned(RuntimeOrigin::signed(VENUE), c));
		assert_eq!(state(c), CellState::Clean { since: now() });
	});
}

#[test]
fn a_venue_registers_only_inside_a_premises_sized_region_of_its_own() {
	new_test_ext(|| {
		const CITY_WIDE_VENUE: u64 = 20;
		// Inside its region, but the region is a whole city: the authority must register.
		assert_noop!(
			LocationsPallet::register_location(
				RuntimeOrigin::signed(CITY_WIDE_VENUE),
				cell(b"xn76urx6"),
				None,
				SurfaceMaterial::Unknown
			),
			Error::<Test>::VenueRegionTooCoarse
		);
		// Outside its region.
		assert_noop!(
			LocationsPallet::register_location(
				RuntimeOrigin::signed(VENUE),
				cell(b"xn76vrx6"),
				None,
				SurfaceMaterial::Unknown
			),
			Error::<Test>::NotAllowed
		);
		// A suspended venue registers nothing.
		suspend_venue(VENUE);
		assert_noop!(
			LocationsPallet::register_location(
				RuntimeOrigin::signed(VENUE),
				cell(b"xn76urx6"),
				None,
				SurfaceMaterial::Unknown
			),
			Error::<Test>::NotAllowed
		);
		// A venue can name another venue of the cell as operator, never a stranger.
		resume_venue(VENUE);
		assert_noop!(
			LocationsPallet::register_location(
				RuntimeOrigin::signed(VENUE),
				cell(b"xn76urx6"),
				Some(STRANGER),
				SurfaceMaterial::Unknown
			),
			Error::<Test>::OperatorNotVenue
		);
		assert_ok!(LocationsPallet::register_location(
			RuntimeOrigin::signed(VENUE),
			cell(b"xn76urx6"),
			Some(VENUE + 1),
			SurfaceMaterial::Unknown
		));
	});
}

#[test]
fn the_authority_names_and_changes_operators_and_materials() {
	new_test_ext(|| {
		let c = cell(b"xn76urx6");
		assert_noop!(
			LocationsPallet::register_location(
				RuntimeOrigin::root(),
				c,
				Some(STRANGER),
				SurfaceMaterial::Unknown
			),
			Error::<Test>::OperatorNotVenue
		);
		assert_ok!(LocationsPallet::register_location(
			RuntimeOrigin::root(),
			c,
			Some(VENUE),
			SurfaceMaterial::Unknown
		));
		// Only the authority changes a location.
		assert_noop!(
			LocationsPallet::set_operator(RuntimeOrigin::signed(VENUE), c, None),
			DispatchError::BadOrigin
		);
		assert_noop!(
			LocationsPallet::set_material(RuntimeOrigin::signed(VENUE), c, SurfaceMaterial::Steel),
			DispatchError::BadOrigin
		);
		assert_noop!(
			LocationsPallet::set_operator(RuntimeOrigin::root(), c, Some(STRANGER)),
			Error::<Test>::OperatorNotVenue
		);
		assert_noop!(
			LocationsPallet::set_operator(RuntimeOrigin::root(), cell(b"xn76zzzz"), None),
			Error::<Test>::UnknownLocation
		);

		// The operator is replaced: the old one may no longer clean, the new one may.
		assert_ok!(LocationsPallet::set_operator(RuntimeOrigin::root(), c, Some(VENUE + 1)));
		System::assert_last_event(
			Event::OperatorChanged { cell: c, operator: Some(VENUE + 1) }.into(),
		);
		infect(c).unwrap();
		assert_noop!(
			LocationsPallet::mark_cleaned(RuntimeOrigin::signed(VENUE), c),
			Error::<Test>::NotOperator
		);
		assert_ok!(LocationsPallet::mark_cleaned(RuntimeOrigin::signed(VENUE + 1), c));

		// The material the matcher reads follows the location's.
		assert_ok!(LocationsPallet::set_material(RuntimeOrigin::root(), c, SurfaceMaterial::Steel));
		System::assert_last_event(
			Event::MaterialChanged { cell: c, material: SurfaceMaterial::Steel }.into(),
		);
		assert_eq!(LocationsPallet::materials(None, 10), vec![(c, SurfaceMaterial::Steel)]);
		assert_ok!(LocationsPallet::set_material(
			RuntimeOrigin::root(),
			c,
			SurfaceMaterial::Unknown
		));
		assert_eq!(LocationsPallet::materials(None, 10), vec![]);
		assert_eq!(LocationsPallet::view(&c, now()).unwrap().material, SurfaceMaterial::Unknown);
	});
}

#[test]
fn a_removed_location_leaves_state_and_the_region_counts() {
	new_test_ext(|| {
		let (c, other) = (cell(b"xn76urx6"), cell(b"xn76urx7"));
		assert_ok!(LocationsPallet::register_location(
			RuntimeOrigin::root(),
			c,
			Some(VENUE),
			SurfaceMaterial::Plastic
		));
		register(other);
		infect(c).unwrap();
		infect(other).unwrap();
		assert_eq!(LocationsPallet::infected_count(b"xn76", now()), 2);
		assert_noop!(
			LocationsPallet::remove_location(RuntimeOrigin::signed(VENUE), c),
			DispatchError::BadOrigin
		);

		assert_ok!(LocationsPallet::remove_location(RuntimeOrigin::root(), c));
		System::assert_last_event(Event::LocationRemoved { cell: c }.into());
		assert_eq!(LocationsPallet::view(&c, now()), None);
		assert_eq!(LocationsPallet::infected_count(b"xn76", now()), 1);
		assert_eq!(LocationsPallet::infected_cells(b"", now(), 10), vec![other]);
		assert_eq!(LocationsPallet::materials(None, 10), vec![]);
		assert!(History::<Test>::get(c).is_empty());
		assert_eq!(LocationCount::<Test>::get(), 1);
		// Nothing of it is left to act on; a matcher's later visit there is unregistered.
		assert_noop!(
			LocationsPallet::mark_cleaned(RuntimeOrigin::signed(VENUE), c),
			Error::<Test>::UnknownLocation
		);
		assert_eq!(visited(c, now() / DAY), Err(epichain_primitives::traits::UnknownLocation));
		assert_noop!(
			LocationsPallet::remove_location(RuntimeOrigin::root(), c),
			Error::<Test>::UnknownLocation
		);
		// The cell is free again.
		register(c);
		assert_eq!(state(c), CellState::Empty);
	});
}

#[test]
fn revoking_the_only_case_that_infected_a_cell_returns_it_to_its_state_before() {
	new_test_ext(|| {
		let today = now() / DAY;
		let (visited_clean, never_visited) = (cell(b"xn76urx"), cell(b"xn76ury"));
		for c in [visited_clean, never_visited] {
			register(c);
		}
		check_in(visited_clean);
		let clean_before = state(visited_clean);
		assert!(matches!(clean_before, CellState::Clean { .. }));
		visited_by(visited_clean, today - 1, 7).unwrap();
		visited_by(never_visited, today - 3, 7).unwrap();
		assert_eq!(LocationsPallet::infected_count(b"xn76", now()), 2);

		revoke(7, today - 5, today - 1);
		assert_eq!(state(visited_clean), clean_before);
		assert_eq!(state(never_visited), CellState::Empty);
		assert_eq!(LocationsPallet::infected_count(b"xn76", now()), 0);
		assert_eq!(LocationsPallet::infected_count(b"", now()), 0);
		let mut events = withdrawn_events();
		events.sort_by_key(|(c, _, _)| *c);
		assert_eq!(
			events,
			vec![(visited_clean, 7, clean_before), (never_visited, 7, CellState::Empty)]
		);
		assert_eq!(CaseCells::<Test>::iter().count(), 0, "the case's attributions are gone");
		let last = *History::<Test>::get(never_visited).last().unwrap();
		assert_eq!(last.transition, Transition::Withdrawn);
	});
}

#[test]
fn a_cell_another_case_also_infected_stays_infected_from_that_case_alone() {
	new_test_ext(|| {
		let today = now() / DAY;
		let c = cell(b"xn76urx");
		register(c);
		visited_by(c, today - 4, 8).unwrap();
		visited_by(c, today - 1, 7).unwrap();
		// The infection counts from the later visit: case 7's.
		assert_eq!(state(c), CellState::Infected { since: today * DAY, cases: 2 });

		revoke(7, today - 2, today - 1);
		// Case 8's visit alone keeps it Infected, from the end of that visit's day.
		let since = (today - 3) * DAY;
		assert_eq!(state(c), CellState::Infected { since, cases: 1 });
		let expiry_day = ((since + WINDOW) / DAY) as DayIndex;
		assert_eq!(Expiring::<Test>::get(expiry_day, c), Some(since + WINDOW));
		assert_eq!(LocationsPallet::infected_count(b"xn76ur", now()), 1);
		// It decays when case 8's window ends, not case 7's.
		set_time(since + WINDOW);
		assert!(matches!(state(c), CellState::Clean { .. }));
	});
}

#[test]
fn an_infection_the_authority_declared_is_never_withdrawn() {
	new_test_ext(|| {
		let today = now() / DAY;
		let c = cell(b"xn76urx");
		register(c);
		assert_ok!(infect(c));
		let declared = now();
		visited_by(c, today, 7).unwrap();
		revoke(7, today, today);
		assert_eq!(state(c), CellState::Infected { since: declared, cases: 1 });
		assert_eq!(LocationsPallet::infected_count(b"xn76ur", now()), 1);
	});
}

#[test]
fn a_withdrawal_skips_cells_cleaned_or_removed_since_and_other_cases_cells() {
	new_test_ext(|| {
		let today = now() / DAY;
		let (cleaned, removed, others) = (cell(b"xn76urx"), cell(b"xn76ury"), cell(b"xn76urz"));
		for c in [cleaned, removed, others] {
			register(c);
			visited_by(c, today - 1, 7).unwrap();
		}
		visited_by(others, today - 1, 9).unwrap();
		assert_ok!(LocationsPallet::mark_cleaned(RuntimeOrigin::root(), cleaned));
		let cleaned_state = state(cleaned);
		assert_ok!(LocationsPallet::remove_location(RuntimeOrigin::root(), removed));

		revoke(9, today - 1, today - 1);
		assert_eq!(state(cleaned), cleaned_state);
		assert!(LocationsPallet::view(&removed, now()).is_none());
		assert!(matches!(state(others), CellState::Infected { cases: 1, .. }));
		assert_eq!(withdrawn_events().len(), 1);
	});
}

#[test]
fn a_cell_remembers_its_latest_cases_by_name_and_pins_older_ones() {
	new_test_ext(|| {
		let today = now() / DAY;
		let c = cell(b"xn76urx");
		register(c);
		// One more case than a cell names: the oldest visit's case is pinned.
		for case in 0..=MAX_ATTRIBUTED_CASES as u64 {
			visited_by(c, today - 12 + case % 12, case).unwrap();
		}
		let info = Locations::<Test>::get(c).unwrap();
		let infection = info.infection.unwrap();
		assert_eq!(infection.cases.len() as u32, MAX_ATTRIBUTED_CASES);
		assert_eq!(infection.pinned, Some((today - 11) * DAY));
		assert!(!infection.cases.iter().any(|(case, _)| *case == 0));
		// Revoking every named case leaves the pinned infection.
		for case in 1..=MAX_ATTRIBUTED_CASES as u64 {
			revoke(case, today - 12, today);
		}
		assert_eq!(state(c), CellState::Infected { since: (today - 11) * DAY, cases: 1 });
	});
}

#[test]
fn a_revoked_cases_large_withdrawal_spreads_over_blocks_within_the_budget() {
	new_test_ext(|| {
		let today = now() / DAY;
		let cells: Vec<Geohash> =
			(0..40u64).map(|i| Geohash::from_bits(0x1234_5678 + i, 7).unwrap()).collect();
		for c in &cells {
			register(*c);
			visited_by(*c, today - 1, 7).unwrap();
		}
		<LocationsPallet as LocationInfections>::withdraw(
			7,
			DayWindow { first: (today - 1) as DayIndex, last: (today - 1) as DayIndex },
		);
		let step = <() as WeightInfo>::withdraw_step();
		let db = <<Test as frame_system::Config>::DbWeight as frame_support::traits::Get<
			frame_support::weights::RuntimeDbWeight,
		>>::get();
		let budget = db.reads(1) + step * 10;
		let mut blocks = 0;
		while Withdrawing::<Test>::iter().count() > 0 {
			let used = LocationsPallet::on_idle(1, budget);
			assert!(used.all_lte(budget), "{used:?} within {budget:?}");
			blocks += 1;
			assert!(blocks < 10, "the withdrawal progresses");
		}
		assert_eq!(blocks, 5, "10 steps a block: 40 cells and the day's close");
		assert!(cells.iter().all(|c| state(*c) == CellState::Empty));
	});
}

#[test]
fn a_case_attribution_leaves_state_with_its_expiry_day() {
	new_test_ext(|| {
		let today = now() / DAY;
		let c = cell(b"xn76urx");
		register(c);
		visited_by(c, today - 1, 7).unwrap();
		assert_eq!(CaseCells::<Test>::iter().count(), 1);
		set_time(now() + WINDOW + 2 * DAY);
		LocationsPallet::on_idle(1, Weight::MAX);
		assert_eq!(CaseCells::<Test>::iter().count(), 0);
	});
}

#[test]
fn version_0_locations_migrate_with_their_running_infections_pinned() {
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	use migrations::v1::{LocationInfoV0, MigrateV0ToV1};
	new_test_ext(|| {
		let (empty, infected, clean) = (cell(b"xn76urx"), cell(b"xn76ury"), cell(b"xn76urz"));
		let since = now() - DAY;
		let old = [
			(
				empty,
				LocationInfoV0 {
					state: CellState::Empty,
					operator: Some(VENUE),
					material: SurfaceMaterial::Steel,
				},
			),
			(
				infected,
				LocationInfoV0 {
					state: CellState::Infected { since, cases: 3 },
					operator: None,
					material: SurfaceMaterial::Unknown,
				},
			),
			(
				clean,
				LocationInfoV0 {
					state: CellState::Clean { since },
					operator: None,
					material: SurfaceMaterial::Unknown,
				},
			),
		];
		for (c, info) in &old {
			frame_support::storage::unhashed::put_raw(
				&Locations::<Test>::hashed_key_for(c),
				&info.encode(),
			);
		}
		LocationCount::<Test>::put(3);
		Materials::<Test>::insert(empty, SurfaceMaterial::Steel);
		LocationsPallet::file(infected, since + WINDOW);
		StorageVersion::new(0).put::<LocationsPallet>();

		#[cfg(feature = "try-runtime")]
		let pre = <MigrateV0ToV1<Test> as OnRuntimeUpgrade>::pre_upgrade().unwrap();
		MigrateV0ToV1::<Test>::on_runtime_upgrade();
		#[cfg(feature = "try-runtime")]
		<MigrateV0ToV1<Test> as OnRuntimeUpgrade>::post_upgrade(pre).unwrap();

		assert_eq!(LocationsPallet::on_chain_storage_version(), 1);
		for (c, info) in old {
			assert_eq!(Locations::<Test>::get(c), Some(info.migrate()));
		}
		let pinned = Locations::<Test>::get(infected).unwrap().infection.unwrap();
		assert_eq!(pinned.pinned, Some(since));
		// A revocation never withdraws what was recorded before infections were attributed.
		revoke(1, now() / DAY - 2, now() / DAY);
		assert_eq!(state(infected), CellState::Infected { since, cases: 3 });
		// Run once: a second upgrade changes nothing.
		let before = Locations::<Test>::get(infected);
		MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert_eq!(Locations::<Test>::get(infected), before);
	});
}

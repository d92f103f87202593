//! A synthetic population: people at places from when to when, what locators would have seen
//! of it, and the ground truth of who was with whom, taken from the presences themselves.
//!
//! Everything is drawn from one seed (ChaCha8), so a seed always gives the same people,
//! presences, observations and truth. Places are random cells inside the region's geohash
//! prefix: no real place or person is modelled.
//!
//! ## What happens (the presences)
//! A day of one person:
//! - **work** at their own workplace (nobody else's) from between 07:00 and 09:00 until
//!   between 16:00 and 18:00, interrupted by
//! - **lunch** of 20 to 60 minutes from between 12:00 and 13:00 at one of the venues;
//! - with probability 0.4, an **evening** at a venue of 30 to 120 minutes from 18:30;
//! - **planted meetings** between 21:00 and 23:00 (each person in at most one a day) at a
//!   table somewhere: both at one table (close: 20 to 40 minutes, brief: 5 to 10 minutes), or
//!   at two tables one cell apart, about 4.8 m, beyond the close-contact distance (far).
//!
//! A venue is one room in one 9-character cell, so everyone in it at once is together; every
//! workplace and venue lies in its own 8-character cell, so no two places are confused.
//!
//! ## The truth
//! Two people were together while both were present at one place (a venue, or one table). A
//! [`Contact`] is the union of such overlaps of one pair on one day, in seconds. Place-based
//! exposure (someone at a place after the case left) is a question of which places are
//! registered and what they are made of; the presences to answer it are in the truth too.
//!
//! ## What locators see (the rendering, by [`Mix`])
//! - **dense**: a phone's satellite fix every 30 seconds wherever the person is (Bluetooth at
//!   meeting tables);
//! - **sparse**: the workplace's and venues' Wi-Fi access points sight the phone every 3 to 10
//!   minutes at random (never aligned between people); half of the venue visits are instead a
//!   check-in and a check-out; at meeting tables the phone's app logs the stay itself (start
//!   and end);
//! - **mixed**: each person is dense or sparse at random.
//!
//! Every observation lies inside its presence, so what the judge can see of an overlap is never
//! more than the truth: a sparse rendering can shorten a contact by up to one sighting gap at
//! each end, never lengthen it.

use std::collections::BTreeMap;

use anyhow::{bail, Result};
use epichain_primitives::{
	csi::{Source, Stay},
	geohash::{self, Geohash, POINT_PRECISION},
	pseudonym::DeviceSeed,
	DayIndex, SECONDS_PER_DAY,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::{
	stays::OwnedStay,
	trajectory::{Fix, Trajectory},
};

/// How the population's presences are observed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Mix {
	/// A satellite fix every 30 seconds.
	Dense,
	/// Wi-Fi sightings every 3 to 10 minutes, check-in/check-out pairs, app-logged stays.
	Sparse,
	/// Each person dense or sparse at random.
	Mixed,
}

/// What to generate.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Spec {
	/// Seed of everything.
	pub seed: u64,
	/// Region: the geohash prefix everyone lives in.
	pub region: String,
	/// People.
	pub people: u32,
	/// Days, ending on `last_day`.
	pub days: u32,
	/// The last simulated day.
	pub last_day: DayIndex,
	/// Venues (lunch and evening places).
	pub venues: u32,
	/// Planted close meetings per day (one table, 20 to 40 minutes).
	pub close_meetings: u32,
	/// Planted brief meetings per day (one table, 5 to 10 minutes).
	pub brief_meetings: u32,
	/// Planted far meetings per day (tables one cell apart, 30 minutes).
	pub far_meetings: u32,
	/// How locators observe the presences.
	pub mix: Mix,
}

/// What kind of place.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PlaceKind {
	/// One person's workplace.
	Work,
	/// A venue (a room in one cell).
	Venue,
	/// A table of a planted meeting.
	Table,
}

/// A place.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
	/// What it is.
	pub kind: PlaceKind,
	/// Its 9-character cell.
	pub cell: String,
}

/// One person at one place from `from` to `to` (Unix seconds, inclusive, one day).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Presence {
	/// The person (index).
	pub person: u32,
	/// The day.
	pub day: DayIndex,
	/// The place (index into the places).
	pub place: u32,
	/// Arrival.
	pub from: u64,
	/// Departure.
	pub to: u64,
}

/// A planted meeting.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meeting {
	/// Day of the meeting.
	pub day: DayIndex,
	/// The two people (indices).
	pub people: (u32, u32),
	/// Minutes they spent there.
	pub minutes: u32,
	/// `close`, `brief` or `far`.
	pub kind: String,
}

/// Time `other` spent at one place with `case` on `day`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Contact {
	/// The person whose presence is the reference (a potential case).
	pub case: u32,
	/// The other person.
	pub other: u32,
	/// Day.
	pub day: DayIndex,
	/// Seconds together (the union of the overlaps).
	pub seconds: u64,
	/// The same, in whole minutes (rounded to the nearest).
	pub minutes: u32,
}

/// One observation a locator makes: a fix, or a stay an app logged (`end > start`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Observation {
	/// The person observed.
	pub person: u32,
	/// What was observed, owned by the person's pseudonym of the day.
	pub record: OwnedStay,
}

/// The generated population.
pub struct Population {
	/// The spec it came from.
	pub spec: Spec,
	/// Each person's device seed (synthetic).
	pub seeds: Vec<DeviceSeed>,
	/// Every place.
	pub places: Vec<Place>,
	/// Every presence, by person and time.
	pub presences: Vec<Presence>,
	/// What locators saw.
	pub observations: Vec<Observation>,
	/// Planted meetings.
	pub meetings: Vec<Meeting>,
	/// Contacts, sorted.
	pub contacts: Vec<Contact>,
}

impl Population {
	/// Generates the population `spec` describes.
	pub fn generate(spec: Spec) -> Result<Self> {
		let region = Geohash::parse(spec.region.as_bytes())
			.map_err(|_| anyhow::anyhow!("{:?} is not a geohash prefix", spec.region))?;
		if region.is_empty() || region.len() > 6 {
			bail!("the region must be a 1- to 6-character geohash prefix");
		}
		if spec.people < 2 || spec.days == 0 || spec.venues == 0 {
			bail!("a population needs at least 2 people, 1 day and 1 venue");
		}
		// Every workplace and venue is a distinct 8-character cell drawn from the middle 90 %
		// of the region: ask for at most 90 % of those cells, or drawing a free one takes
		// forever.
		let cells = 0.81 * 32f64.powi(8 - region.len() as i32);
		let places = spec.people as f64 + spec.venues as f64;
		if places > 0.9 * cells {
			bail!(
				"the region {} holds about {} distinct places (8-character cells); {} people \
				 and venues need a larger region (a shorter prefix)",
				spec.region,
				cells as u64,
				places as u64
			);
		}
		let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
		let seeds: Vec<DeviceSeed> =
			(0..spec.people).map(|_| DeviceSeed::from_bytes(rng.gen())).collect();
		let box_ = geohash::decode(region.as_bytes()).expect("parsed above");
		let random_cell = |rng: &mut ChaCha8Rng| -> Geohash {
			let lat = box_.lat + rng.gen_range(-0.45..0.45) * box_.lat_err * 2.0;
			let lon = box_.lon + rng.gen_range(-0.45..0.45) * box_.lon_err * 2.0;
			geohash::encode(lat, lon, POINT_PRECISION).expect("inside the region")
		};
		let mut places: Vec<(PlaceKind, Geohash)> = Vec::new();
		let mut taken = std::collections::HashSet::new();
		let mut own_place = |rng: &mut ChaCha8Rng, kind| loop {
			let cell = random_cell(rng);
			if taken.insert(cell.truncate(8)) {
				places.push((kind, cell));
				return places.len() as u32 - 1;
			}
		};
		let workplaces: Vec<u32> =
			(0..spec.people).map(|_| own_place(&mut rng, PlaceKind::Work)).collect();
		let venues: Vec<u32> =
			(0..spec.venues).map(|_| own_place(&mut rng, PlaceKind::Venue)).collect();
		let dense: Vec<bool> = (0..spec.people)
			.map(|_| match spec.mix {
				Mix::Dense => true,
				Mix::Sparse => false,
				Mix::Mixed => rng.gen_bool(0.5),
			})
			.collect();
		let first_day = spec.last_day + 1 - spec.days;
		let mut presences = Vec::new();
		let mut meetings = Vec::new();
		for day in first_day..=spec.last_day {
			let midnight = day as u64 * SECONDS_PER_DAY;
			let at = |minute: u64| midnight + minute * 60;
			for person in 0..spec.people {
				let mut stay = |place: u32, from_min: u64, minutes: u64| {
					presences.push(Presence {
						person,
						day,
						place,
						from: at(from_min),
						to: at(from_min + minutes),
					});
				};
				let start = rng.gen_range(7 * 60..9 * 60);
				let end = rng.gen_range(16 * 60..18 * 60);
				let lunch = rng.gen_range(12 * 60..13 * 60);
				let lunch_len = rng.gen_range(20..=60);
				let venue = venues[rng.gen_range(0..venues.len())];
				let work = workplaces[person as usize];
				// Leaving work at `lunch` and coming back after it: a minute apart from each
				// edge, so no presence touches the next.
				stay(work, start, lunch - start - 1);
				stay(venue, lunch, lunch_len);
				stay(work, lunch + lunch_len + 1, end - lunch - lunch_len - 1);
				if rng.gen_bool(0.4) {
					let venue = venues[rng.gen_range(0..venues.len())];
					stay(venue, 18 * 60 + 30, rng.gen_range(30..=120));
				}
			}
			// Planted meetings between 21:00 and 23:00; each person is in at most one a day.
			let mut order: Vec<u32> = (0..spec.people).collect();
			for i in (1..order.len()).rev() {
				order.swap(i, rng.gen_range(0..=i));
			}
			let mut pairs = order.chunks_exact(2).map(|p| (p[0], p[1]));
			let plans = [
				("close", spec.close_meetings, 20..=40u64),
				("brief", spec.brief_meetings, 5..=10),
				("far", spec.far_meetings, 30..=30),
			];
			for (kind, count, minutes) in plans {
				for _ in 0..count {
					let Some((a, b)) = pairs.next() else {
						bail!("more planted meetings a day than pairs of people");
					};
					let minutes = rng.gen_range(minutes.clone());
					let start = rng.gen_range(21 * 60..22 * 60);
					let cell = random_cell(&mut rng);
					places.push((PlaceKind::Table, cell));
					let table = places.len() as u32 - 1;
					let other_table = if kind == "far" {
						let east = geohash::neighbours(cell.as_bytes()).expect("a valid cell")[2]
							.unwrap_or(cell);
						places.push((PlaceKind::Table, east));
						places.len() as u32 - 1
					} else {
						table
					};
					for (person, place) in [(a, table), (b, other_table)] {
						presences.push(Presence {
							person,
							day,
							place,
							from: at(start),
							to: at(start + minutes),
						});
					}
					let people = (a, b);
					meetings.push(Meeting {
						day,
						people,
						minutes: minutes as u32,
						kind: kind.into(),
					});
				}
			}
		}
		presences.sort_by_key(|p| (p.person, p.from));
		let observations = render(&presences, &places, &seeds, &dense, &mut rng);
		let contacts = contacts(&presences);
		let places = places
			.into_iter()
			.map(|(kind, cell)| Place { kind, cell: cell.as_str().to_string() })
			.collect();
		Ok(Self { spec, seeds, places, presences, observations, meetings, contacts })
	}

	/// Contacts of `case` (every other person and day with time together).
	pub fn contacts_of(&self, case: u32) -> impl Iterator<Item = &Contact> {
		self.contacts.iter().filter(move |c| c.case == case)
	}

	/// What the locators saw, as a trajectory: fixes, and the stays apps logged.
	pub fn trajectory(&self) -> Trajectory {
		let mut out = Trajectory::default();
		for o in &self.observations {
			let s = o.record.stay;
			if s.start == s.end {
				let fix = Fix {
					owner: o.record.owner,
					unix_secs: s.start,
					cell: s.geohash,
					source: s.source,
				};
				out.fixes.push(fix);
			} else {
				out.stays.push(o.record);
			}
		}
		out
	}

	/// The observations of the people `keep` selects, as a trajectory.
	pub fn trajectory_of(&self, keep: impl Fn(u32) -> bool) -> Trajectory {
		let mut all = self.trajectory();
		let owners: std::collections::HashSet<_> =
			self.observations.iter().filter(|o| keep(o.person)).map(|o| o.record.owner).collect();
		all.fixes.retain(|f| owners.contains(&f.owner));
		all.stays.retain(|s| owners.contains(&s.owner));
		all
	}
}

/// What locators see of `presences` (see the module documentation).
fn render(
	presences: &[Presence],
	places: &[(PlaceKind, Geohash)],
	seeds: &[DeviceSeed],
	dense: &[bool],
	rng: &mut ChaCha8Rng,
) -> Vec<Observation> {
	let mut out = Vec::new();
	for p in presences {
		let owner = seeds[p.person as usize].pseudonym(p.day);
		let (kind, cell) = places[p.place as usize];
		let mut push = |start: u64, end: u64, source: Source| {
			let record = OwnedStay { owner, stay: Stay { start, end, geohash: cell, source } };
			out.push(Observation { person: p.person, record });
		};
		if dense[p.person as usize] {
			let source = if kind == PlaceKind::Table { Source::Bluetooth } else { Source::Gnss };
			let mut t = p.from + rng.gen_range(0..30).min(p.to - p.from);
			while t <= p.to {
				push(t, t, source);
				t += 30;
			}
			continue;
		}
		match kind {
			PlaceKind::Table => push(p.from, p.to, Source::Gnss),
			PlaceKind::Venue if rng.gen_bool(0.5) => {
				push(p.from, p.from, Source::VenueCheckIn);
				push(p.to, p.to, Source::VenueCheckIn);
			},
			PlaceKind::Work | PlaceKind::Venue => {
				let mut t = p.from + rng.gen_range(0..=600u64.min(p.to - p.from));
				while t <= p.to {
					push(t, t, Source::WiFi);
					t += rng.gen_range(180..=600);
				}
			},
		}
	}
	out
}

/// The truth: for every pair at one place at once, the union of their overlaps per day.
pub fn contacts(presences: &[Presence]) -> Vec<Contact> {
	let mut by_place: BTreeMap<u32, Vec<&Presence>> = BTreeMap::new();
	for p in presences {
		by_place.entry(p.place).or_default().push(p);
	}
	let mut together: BTreeMap<(u32, u32, DayIndex), Vec<(u64, u64)>> = BTreeMap::new();
	for here in by_place.values() {
		for a in here {
			for b in here {
				if a.person == b.person {
					continue;
				}
				let (from, to) = (a.from.max(b.from), a.to.min(b.to));
				if from <= to {
					together.entry((a.person, b.person, b.day)).or_default().push((from, to));
				}
			}
		}
	}
	together
		.into_iter()
		.map(|((case, other, day), mut spans)| {
			spans.sort();
			let mut seconds = 0;
			let mut current: Option<(u64, u64)> = None;
			for (from, to) in spans {
				current = match current {
					Some((f, t)) if from <= t => Some((f, t.max(to))),
					Some((f, t)) => {
						seconds += t - f;
						Some((from, to))
					},
					None => Some((from, to)),
				};
			}
			seconds += current.map_or(0, |(f, t)| t - f);
			Contact { case, other, day, seconds, minutes: ((seconds + 30) / 60) as u32 }
		})
		.collect()
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::stays::MergeRules;

	fn spec(seed: u64, mix: Mix) -> Spec {
		Spec {
			seed,
			region: "xn76u".into(),
			people: 40,
			days: 2,
			last_day: 20_000,
			venues: 3,
			close_meetings: 3,
			brief_meetings: 2,
			far_meetings: 2,
			mix,
		}
	}

	#[test]
	fn a_region_too_small_for_the_population_is_a_named_error() {
		let crowded = Spec { people: 20_000, region: "xn76ur".into(), ..spec(1, Mix::Mixed) };
		let Err(error) = Population::generate(crowded) else { panic!("20,000 places fit") };
		let error = error.to_string();
		assert!(error.contains("need a larger region"), "{error}");
	}

	#[test]
	fn the_same_seed_gives_the_same_population_and_truth() {
		let (a, b) = (
			Population::generate(spec(7, Mix::Mixed)).unwrap(),
			Population::generate(spec(7, Mix::Mixed)).unwrap(),
		);
		assert_eq!(a.observations, b.observations);
		assert_eq!(a.contacts, b.contacts);
		assert_eq!(a.meetings, b.meetings);
		let other = Population::generate(spec(8, Mix::Mixed)).unwrap();
		assert_ne!(a.observations, other.observations);
	}

	#[test]
	fn planted_meetings_are_in_the_truth_as_planted() {
		let population = Population::generate(spec(3, Mix::Mixed)).unwrap();
		for meeting in &population.meetings {
			let (a, b) = meeting.people;
			let found = population
				.contacts_of(a)
				.find(|c| c.other == b && c.day == meeting.day)
				.map(|c| c.seconds)
				.unwrap_or(0);
			match meeting.kind.as_str() {
				// Meeting at a venue over lunch the same day only adds time.
				"close" | "brief" => assert!(found >= meeting.minutes as u64 * 60, "{meeting:?}"),
				_ => assert!(found < meeting.minutes as u64 * 60, "far apart: {meeting:?}"),
			}
		}
		assert!(population.places.iter().all(|p| p.cell.starts_with("xn76u")));
	}

	/// The truth's overlaps counted again second by second: a second way to count them.
	#[test]
	fn the_truth_agrees_with_counting_shared_seconds_by_brute_force() {
		let mut small = spec(11, Mix::Dense);
		small.people = 16;
		small.days = 1;
		let population = Population::generate(small).unwrap();
		assert!(!population.contacts.is_empty());
		for c in &population.contacts {
			let mine: Vec<&Presence> =
				population.presences.iter().filter(|p| p.person == c.case).collect();
			let theirs: Vec<&Presence> = population
				.presences
				.iter()
				.filter(|p| p.person == c.other && p.day == c.day)
				.collect();
			// Seconds s (as half-open [s, s+1)) both were at one place.
			let shared = (c.day as u64 * SECONDS_PER_DAY..(c.day as u64 + 1) * SECONDS_PER_DAY)
				.filter(|s| {
					theirs.iter().any(|t| {
						t.from <= *s
							&& *s < t.to && mine
							.iter()
							.any(|m| m.place == t.place && m.from <= *s && *s < m.to)
					})
				})
				.count() as u64;
			assert_eq!(shared, c.seconds, "{c:?}");
		}
	}

	#[test]
	fn every_observation_lies_inside_its_presence_and_becomes_one_stay_per_presence() {
		for mix in [Mix::Dense, Mix::Sparse, Mix::Mixed] {
			let population = Population::generate(spec(5, mix)).unwrap();
			let stays = population.trajectory().stays(&MergeRules::default());
			// Each presence is one stay (the merge gaps cover the rendering's gaps), except a
			// check-in whose check-out came at the same second, which is still one.
			assert_eq!(stays.len(), population.presences.len(), "{mix:?}");
			let owner = |p: &Presence| population.seeds[p.person as usize].pseudonym(p.day);
			for (p, s) in population.presences.iter().zip(population.presences.iter().map(|p| {
				stays
					.iter()
					.find(|s| s.owner == owner(p) && p.from <= s.stay.start && s.stay.end <= p.to)
			})) {
				assert!(s.is_some(), "{mix:?}: no stay inside {p:?}");
			}
		}
	}
}

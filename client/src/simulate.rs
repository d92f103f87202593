//! A synthetic population: people moving through a region for some days, planted meetings,
//! and the ground truth of who was near whom for how long.
//!
//! Everything is drawn from one seed (ChaCha8), so a seed always gives the same people,
//! trajectories and truth. Coordinates are random cells inside the region's geohash prefix: no
//! real place or person is modelled.
//!
//! A day of one person, one fix a minute while they are somewhere a locator sees:
//! - a **work** stay at their own workplace cell, starting between 07:00 and 09:00, until
//!   between 16:00 and 18:00, interrupted by
//! - a **lunch** stay of 20 to 60 minutes at one of the cells of a random venue (venues are
//!   3x3 blocks of cells, so people share cells and meet by chance);
//! - with probability 0.4, an **evening** venue stay of 30 to 120 minutes from 18:30;
//! - **planted meetings** between 21:00 and 23:00 (each person in at most one a day): pairs
//!   that meet in one cell (close: 20 to 40 minutes,
//!   brief: 5 to 10 minutes) or in adjacent cells, beyond the close-contact distance (far).
//!
//! Ground truth follows the matcher's rule (`epichain-matcher`'s judge): a minute of person `o`
//! is a contact minute with person `c` when one of `o`'s fixes in that minute is within 60 s of
//! a fix of `c` in the same 9-character cell (distinct cells' centres are at least 3.8 m apart,
//! beyond the default 2 m). It is computed by bucketing fixes by cell and minute; the tests
//! check it against a brute-force pairwise comparison.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use anyhow::{bail, Result};
use epichain_primitives::{
	csi::Source,
	geohash::{self, Geohash, POINT_PRECISION},
	pseudonym::DeviceSeed,
	DayIndex, SECONDS_PER_DAY,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::trajectory::Fix;

/// Seconds within which two fixes pair up (`epichain-matcher`'s `PAIR_TOLERANCE_SECS`).
pub const PAIR_TOLERANCE_SECS: u64 = 60;

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
	/// Planted close meetings per day (same cell, 20 to 40 minutes).
	pub close_meetings: u32,
	/// Planted brief meetings per day (same cell, 5 to 10 minutes).
	pub brief_meetings: u32,
	/// Planted far meetings per day (adjacent cells, 30 minutes).
	pub far_meetings: u32,
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

/// Contact minutes of `other` with `case` on `day` (the matcher's rule).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Contact {
	/// The person whose fixes are the reference (a potential case).
	pub case: u32,
	/// The person whose minutes are counted.
	pub other: u32,
	/// Day.
	pub day: DayIndex,
	/// Distinct contact minutes.
	pub minutes: u32,
}

/// The generated population.
pub struct Population {
	/// The spec it came from.
	pub spec: Spec,
	/// Each person's device seed (synthetic).
	pub seeds: Vec<DeviceSeed>,
	/// Every fix, tagged with its person.
	pub fixes: Vec<(u32, Fix)>,
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
		let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
		let seeds: Vec<DeviceSeed> =
			(0..spec.people).map(|_| DeviceSeed::from_bytes(rng.gen())).collect();
		let box_ = geohash::decode(region.as_bytes()).expect("parsed above");
		let random_cell = |rng: &mut ChaCha8Rng| -> Geohash {
			let lat = box_.lat + rng.gen_range(-0.45..0.45) * box_.lat_err * 2.0;
			let lon = box_.lon + rng.gen_range(-0.45..0.45) * box_.lon_err * 2.0;
			geohash::encode(lat, lon, POINT_PRECISION).expect("inside the region")
		};
		let workplaces: Vec<Geohash> = (0..spec.people).map(|_| random_cell(&mut rng)).collect();
		let venues: Vec<Vec<Geohash>> =
			(0..spec.venues).map(|_| block_around(random_cell(&mut rng))).collect();
		let first_day = spec.last_day + 1 - spec.days;
		let mut fixes = Vec::new();
		let mut meetings = Vec::new();
		for day in first_day..=spec.last_day {
			let midnight = day as u64 * SECONDS_PER_DAY;
			for person in 0..spec.people {
				let owner = seeds[person as usize].pseudonym(day);
				let mut stay = |from_min: u64, minutes: u64, cell: Geohash, source: Source| {
					for m in 0..minutes {
						let unix_secs = midnight + (from_min + m) * 60;
						fixes.push((person, Fix { owner, unix_secs, cell, source }));
					}
				};
				let start = rng.gen_range(7 * 60..9 * 60);
				let end = rng.gen_range(16 * 60..18 * 60);
				let lunch = rng.gen_range(12 * 60..13 * 60);
				let lunch_len = rng.gen_range(20..=60);
				let venue = &venues[rng.gen_range(0..venues.len())];
				let lunch_cell = venue[rng.gen_range(0..venue.len())];
				stay(start, lunch - start, workplaces[person as usize], Source::WiFi);
				stay(lunch, lunch_len, lunch_cell, Source::VenueCheckIn);
				stay(
					lunch + lunch_len,
					end - lunch - lunch_len,
					workplaces[person as usize],
					Source::WiFi,
				);
				if rng.gen_bool(0.4) {
					let venue = &venues[rng.gen_range(0..venues.len())];
					let cell = venue[rng.gen_range(0..venue.len())];
					stay(18 * 60 + 30, rng.gen_range(30..=120), cell, Source::VenueCheckIn);
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
					let other_cell = if kind == "far" { block_around(cell)[5] } else { cell };
					for (person, cell) in [(a, cell), (b, other_cell)] {
						let owner = seeds[person as usize].pseudonym(day);
						for m in 0..minutes {
							let unix_secs = midnight + (start + m) * 60;
							let source = Source::Bluetooth;
							fixes.push((person, Fix { owner, unix_secs, cell, source }));
						}
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
		let contacts = contacts(&fixes);
		Ok(Self { spec, seeds, fixes, meetings, contacts })
	}

	/// Contacts of `case` (every other person and day with at least one contact minute).
	pub fn contacts_of(&self, case: u32) -> impl Iterator<Item = &Contact> {
		self.contacts.iter().filter(move |c| c.case == case)
	}
}

/// The 3x3 block of cells centred on `cell` (index 4 is `cell`, 5 its east neighbour).
fn block_around(cell: Geohash) -> Vec<Geohash> {
	let n = geohash::neighbours(cell.as_bytes()).expect("a valid cell");
	// neighbours: n, ne, e, se, s, sw, w, nw
	let pick = |i: usize| n[i].unwrap_or(cell);
	vec![pick(7), pick(0), pick(1), pick(6), cell, pick(2), pick(5), pick(4), pick(3)]
}

/// Contact minutes by the matcher's rule, through buckets of (cell, minute).
pub fn contacts(fixes: &[(u32, Fix)]) -> Vec<Contact> {
	let mut buckets: HashMap<(Geohash, u64), Vec<(u32, u64)>> = HashMap::new();
	for (person, fix) in fixes {
		buckets.entry((fix.cell, fix.unix_secs / 60)).or_default().push((*person, fix.unix_secs));
	}
	let mut minutes: BTreeMap<(u32, u32, DayIndex), BTreeSet<u64>> = BTreeMap::new();
	for (other, fix) in fixes {
		let minute = fix.unix_secs / 60;
		for m in minute.saturating_sub(1)..=minute + 1 {
			for (case, t) in buckets.get(&(fix.cell, m)).into_iter().flatten() {
				if case != other && t.abs_diff(fix.unix_secs) <= PAIR_TOLERANCE_SECS {
					minutes.entry((*case, *other, fix.day())).or_default().insert(minute);
				}
			}
		}
	}
	minutes
		.into_iter()
		.map(|((case, other, day), set)| Contact { case, other, day, minutes: set.len() as u32 })
		.collect()
}

#[cfg(test)]
mod tests {
	use super::*;

	fn spec(seed: u64) -> Spec {
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
		}
	}

	/// The matcher's rule, pair by pair, with distances from the cells' decoded centres.
	fn brute_force(fixes: &[(u32, Fix)]) -> Vec<Contact> {
		let centre = |g: &Geohash| {
			let c = geohash::decode(g.as_bytes()).unwrap();
			(c.lat, c.lon)
		};
		let mut minutes: BTreeMap<(u32, u32, DayIndex), BTreeSet<u64>> = BTreeMap::new();
		for (other, o) in fixes {
			for (case, c) in fixes {
				if case == other || o.unix_secs.abs_diff(c.unix_secs) > PAIR_TOLERANCE_SECS {
					continue;
				}
				let ((la, lo), (lb, lob)) = (centre(&o.cell), centre(&c.cell));
				let dy = (la - lb) * 111_195.0;
				let dx = (lo - lob) * 111_195.0 * la.to_radians().cos();
				if (dx * dx + dy * dy).sqrt() <= 2.0 {
					minutes.entry((*case, *other, o.day())).or_default().insert(o.unix_secs / 60);
				}
			}
		}
		minutes
			.into_iter()
			.map(|((case, other, day), s)| Contact { case, other, day, minutes: s.len() as u32 })
			.collect()
	}

	#[test]
	fn the_same_seed_gives_the_same_population_and_truth() {
		let (a, b) =
			(Population::generate(spec(7)).unwrap(), Population::generate(spec(7)).unwrap());
		assert_eq!(a.fixes, b.fixes);
		assert_eq!(a.contacts, b.contacts);
		assert_eq!(a.meetings, b.meetings);
		let other = Population::generate(spec(8)).unwrap();
		assert_ne!(a.fixes, other.fixes);
	}

	#[test]
	fn the_truth_agrees_with_a_brute_force_pairwise_check() {
		let mut small = spec(11);
		small.people = 16;
		small.days = 1;
		let population = Population::generate(small).unwrap();
		assert!(!population.contacts.is_empty());
		assert_eq!(population.contacts, brute_force(&population.fixes));
	}

	#[test]
	fn planted_meetings_show_in_the_truth_as_planted() {
		let population = Population::generate(spec(3)).unwrap();
		for meeting in &population.meetings {
			let (a, b) = meeting.people;
			let found = population
				.contacts_of(a)
				.find(|c| c.other == b && c.day == meeting.day)
				.map(|c| c.minutes)
				.unwrap_or(0);
			match meeting.kind.as_str() {
				// Chance meetings of the same pair elsewhere that day only add minutes.
				"close" | "brief" => assert!(found >= meeting.minutes, "{meeting:?}: {found}"),
				_ => assert!(found < meeting.minutes, "far apart: {meeting:?}: {found}"),
			}
		}
		assert!(population.fixes.iter().all(|(_, f)| f.cell.is_within(b"xn76u")));
	}
}

//! A large city's 14-day window in the matcher (issue 18): N stays (default 100,000,000) of a
//! synthetic population living ordinary days, sealed to the enclave's key in batches of 1,000
//! entries and ingested through [`Enclave::ingest`] (open + index); then cases with a 14-day
//! window are judged against the whole index.
//!
//! Each person-day is 10 stays, as locators would write them: the night at home and the
//! evening at home (Wi-Fi), a transit gate in and out (moments), three walks (satellite, 5 to
//! 10 minutes), the working day at an office (Wi-Fi), lunch at a venue (check-in) and a shop
//! (beacon). Homes are spread uniformly over a 4-character cell (about 39 km x 20 km); 20,000
//! offices, 10,000 venues and 5,000 shops are shared. Venues and shops are registered places
//! (place-based exposure is judged too). Every day has fresh pseudonyms.
//!
//! Prints the ingest rate (open + index, sealing excluded), the memory the index takes
//! (resident-set growth and the index's own accounting, per stay) and the judgement time of
//! each case.
//!
//! `cargo run --release -p epichain-enclave --example city_bench [N]`

use std::time::Instant;

use epichain_enclave::{judge::Registered, Enclave, JudgeRequest, SimulatedEnclave, Verdict};
use epichain_primitives::{
	csi::{EntryPlain, Source, Stay},
	diagnosis::DayWindow,
	geohash::Geohash,
	matching::RiskParams,
	sealing::seal_batch,
};

mod shared;
use shared::{random_cell, Rng};

/// 2026-11-08T00:00:00Z, day 20765: the window's first day.
const T0: u64 = 1_794_096_000;
const DAY0: u32 = 20_765;
const DAYS: u32 = 14;
const STAYS_PER_DAY: usize = 10;
/// The synthetic city: a 4-character cell.
const AREA: &[u8] = b"xn76";

/// The pseudonym of `person` on day `day` (synthetic bytes).
fn pseudonym(person: u64, day: u32) -> [u8; 32] {
	let mut p = [0u8; 32];
	p[..8].copy_from_slice(&person.to_le_bytes());
	p[8..12].copy_from_slice(&day.to_le_bytes());
	p[12] = 0xC1;
	p
}

struct City {
	area: Geohash,
	offices: Vec<Geohash>,
	venues: Vec<Geohash>,
	shops: Vec<Geohash>,
	stations: Vec<Geohash>,
}

impl City {
	fn new(rng: &mut Rng) -> City {
		let area = Geohash::parse(AREA).unwrap();
		let mut cells = |n: usize| (0..n).map(|_| random_cell(rng, area)).collect::<Vec<_>>();
		City {
			area,
			offices: cells(20_000),
			venues: cells(10_000),
			shops: cells(5_000),
			stations: cells(300),
		}
	}

	/// Person `person`'s day `day` (0-based): 10 stays.
	fn day(&self, person: u64, day: u32) -> EntryPlain {
		// The person's fixed places, then this day's times.
		let mut fixed = Rng(0x9e37_79b9 ^ person.wrapping_mul(0x2545_f491_4f6c_dd1d));
		let home = random_cell(&mut fixed, self.area);
		let office = self.offices[(fixed.next() % self.offices.len() as u64) as usize];
		let (from, to) = (
			self.stations[(fixed.next() % 300) as usize],
			self.stations[(fixed.next() % 300) as usize],
		);
		let mut r = Rng(person.wrapping_mul(31).wrapping_add(day as u64 + 1) | 1);
		let midnight = T0 + day as u64 * 86_400;
		let at = |h: u64, m: u64| midnight + h * 3_600 + m * 60;
		let leave = at(7, r.next() % 60);
		let work = at(8, 30 + r.next() % 60);
		let off = at(17, r.next() % 60);
		let lunch = at(12, r.next() % 60);
		let shop_at = off + 1_800 + r.next() % 3_600;
		let back = shop_at + 1_200 + 600 + r.next() % 1_800;
		let venue = self.venues[(r.next() % self.venues.len() as u64) as usize];
		let shop = self.shops[(r.next() % self.shops.len() as u64) as usize];
		let walk = |r: &mut Rng, start: u64| Stay {
			start,
			end: start + 300 + r.next() % 300,
			geohash: random_cell(r, self.area),
			source: Source::Gnss,
		};
		let stay = |start: u64, end: u64, geohash: Geohash, source: Source| Stay {
			start,
			end,
			geohash,
			source,
		};
		EntryPlain {
			owner: pseudonym(person, day),
			stays: vec![
				stay(midnight, leave, home, Source::WiFi),
				stay(leave + 600, leave + 600, from, Source::TransitGate),
				walk(&mut r, leave + 1_200),
				stay(work - 300, work - 300, to, Source::TransitGate),
				stay(work, off, office, Source::WiFi),
				stay(lunch, lunch + 2_700, venue, Source::VenueCheckIn),
				walk(&mut r, off + 300),
				stay(shop_at, shop_at + 1_200, shop, Source::Bluetooth),
				walk(&mut r, shop_at + 1_260),
				stay(back, midnight + 86_399, home, Source::WiFi),
			],
		}
	}
}

/// This process's resident set, in bytes (Linux).
fn rss() -> u64 {
	let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
	status
		.lines()
		.find_map(|l| l.strip_prefix("VmRSS:"))
		.and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
		.map_or(0, |kb| kb * 1_024)
}

fn main() {
	let n: usize = std::env::args()
		.nth(1)
		.and_then(|a| a.replace(',', "").parse().ok())
		.unwrap_or(100_000_000);
	let persons = (n / (DAYS as usize * STAYS_PER_DAY)) as u64;
	let mut rng = Rng(0xc17e_5eed);
	let city = City::new(&mut rng);
	let registered: Registered = city.venues.iter().chain(&city.shops).copied().collect();
	let enclave = SimulatedEnclave::new(T0, 30 * 86_400);
	let key: [u8; 32] =
		hex::decode(&enclave.attestation().sealing_key[2..]).unwrap().try_into().unwrap();
	let before = rss();
	eprintln!(
		"{persons} people x {DAYS} days x {STAYS_PER_DAY} stays = {} stays; resident before: {} MB",
		persons * DAYS as u64 * STAYS_PER_DAY as u64,
		before / 1_000_000
	);
	let (mut ingest, mut stays, mut block) = (0.0, 0u64, 0u32);
	let started = Instant::now();
	for day in 0..DAYS {
		let mut first = 0;
		while first < persons {
			let last = (first + 1_000).min(persons);
			let entries: Vec<_> = (first..last).map(|p| city.day(p, day)).collect();
			let sealed = seal_batch(&key, 0, DAY0 + day, city.area, &entries).unwrap();
			let t = Instant::now();
			stays += enclave.ingest(&sealed.header, &key, block, &sealed.entries).unwrap().stays;
			ingest += t.elapsed().as_secs_f64();
			block += 1;
			first = last;
		}
		eprintln!(
			"day {}: {stays} stays indexed, ingest {:.0} stays/s, resident {} MB ({:.0} s so far)",
			day + 1,
			stays as f64 / ingest,
			rss() / 1_000_000,
			started.elapsed().as_secs_f64()
		);
	}
	let grown = rss().saturating_sub(before);
	let [arena, chains, entries, owners] = enclave.index_heap_bytes();
	let heap = arena + chains + entries + owners;
	let per = |b: usize| b as f64 / stays as f64;

	// Cases: people whose 14-day window is the whole index.
	let mut judged = Vec::new();
	for c in 0..10u64 {
		let person = (c * 7_919) % persons;
		let request = JudgeRequest {
			genesis: [0; 32],
			case: c,
			round: 0,
			part: 0,
			window: DayWindow { first: DAY0, last: DAY0 + DAYS - 1 },
			pseudonyms: (0..DAYS).map(|d| (DAY0 + d, pseudonym(person, d))).collect(),
			endorsed_at: T0 + DAYS as u64 * 86_400,
			as_of: u32::MAX,
			since: None,
			opened_at: u32::MAX,
			params: RiskParams::default(),
			materials: Default::default(),
			materials_at: 0,
			registered: std::sync::Arc::new(registered.clone()),
			cases: Default::default(),
			max_exposures: 1_024,
			max_cells: 256,
		};
		let t = Instant::now();
		let Verdict::Signed { result, .. } = enclave.judge(&request) else { unreachable!() };
		let ms = t.elapsed().as_secs_f64() * 1_000.0;
		// The other parts page the same (cached) judgement.
		let mut exposures = result.exposures.len();
		for part in 1..result.parts {
			let request = JudgeRequest { part, ..request.clone() };
			let Verdict::Signed { result, .. } = enclave.judge(&request) else { unreachable!() };
			exposures += result.exposures.len();
		}
		judged.push((ms, result.parts, exposures));
	}
	let mut times: Vec<f64> = judged.iter().map(|j| j.0).collect();
	times.sort_by(f64::total_cmp);

	println!("| stays | ingest (open + index) | stays/s | resident growth | per stay | index's own accounting | per stay |");
	println!("|---|---|---|---|---|---|---|");
	println!(
		"| {stays} | {ingest:.1} s | {:.0} | {:.2} GB | {:.1} B | {:.2} GB | {:.1} B |",
		stays as f64 / ingest,
		grown as f64 / 1e9,
		per(grown as usize),
		heap as f64 / 1e9,
		per(heap),
	);
	println!(
		"\nindex parts per stay: stays {:.1} B, bucket chains {:.1} B, entries {:.1} B, owners {:.1} B",
		per(arena),
		per(chains),
		per(entries),
		per(owners)
	);
	println!(
		"\njudging a case with a 14-day window ({} stays) against all of it, 10 cases: median {:.1} ms, max {:.1} ms",
		DAYS as usize * STAYS_PER_DAY,
		times[times.len() / 2],
		times[times.len() - 1]
	);
	for (ms, parts, exposures) in &judged {
		println!("  {ms:.1} ms: {exposures} exposures in {parts} part(s)");
	}
}

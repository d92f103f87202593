//! SafeTrace v2's anchor (4 M stays: insert 3,000 s, overlap query 27.9 s) on the matcher:
//! N synthetic stays of one minute (default 4,000,000: 62,500 owners x 64 stays, uniformly over a 4-character
//! geohash cell of about 39 km x 20 km and one day) are sealed to the enclave's key in batches of
//! 1,000 entries, then
//!
//! - **ingest**: the enclave opens every batch (X25519 + HKDF per batch, AES-256-GCM per entry),
//!   parses and indexes the stays;
//! - **overlap query**: one case's day (1,440 one-minute stays, walking through the same area)
//!   is judged against everything indexed: every stay of another owner within 2 m that
//!   overlaps it in time, and place-based presence after it.
//!
//! `cargo run --release -p epichain-enclave --example ingest_bench [N]`

use std::time::Instant;

use epichain_enclave::{Enclave, JudgeRequest, SimulatedEnclave, Verdict};
use epichain_primitives::{
	csi::{EntryPlain, Source, Stay},
	diagnosis::DayWindow,
	geohash::Geohash,
	matching::RiskParams,
	sealing::seal_batch,
};

/// 2026-11-21T00:00:00Z, day 20778.
const T0: u64 = 1_795_219_200;
const DAY: u32 = 20_778;
/// The synthetic area: a 4-character cell.
const AREA: &[u8] = b"xn76";

mod shared;
use shared::{random_cell, Rng};

fn main() {
	let n: usize =
		std::env::args().nth(1).and_then(|a| a.replace(',', "").parse().ok()).unwrap_or(4_000_000);
	let area = Geohash::parse(AREA).unwrap();
	let enclave = SimulatedEnclave::new(T0, 30 * 86_400);
	let key: [u8; 32] =
		hex::decode(&enclave.attestation().sealing_key[2..]).unwrap().try_into().unwrap();
	let mut rng = Rng(0x5afe_7ace);
	let owners = n / 64;
	eprintln!("sealing {n} stays ({owners} owners x 64) in batches of 1,000 entries...");
	let started = Instant::now();
	let batches: Vec<_> = (0..owners)
		.map(|i| {
			let mut owner = [0u8; 32];
			owner[..8].copy_from_slice(&(i as u64).to_le_bytes());
			let start = T0 + rng.next() % (86_400 - 64 * 60);
			EntryPlain {
				owner,
				stays: (0..64)
					.map(|m| Stay {
						start: start + 60 * m,
						end: start + 60 * m + 59,
						geohash: random_cell(&mut rng, area),
						source: Source::WiFi,
					})
					.collect(),
			}
		})
		.collect::<Vec<_>>()
		.chunks(1_000)
		.map(|entries| seal_batch(&key, 0, DAY, area, entries).unwrap())
		.collect();
	eprintln!("sealed in {:.1} s", started.elapsed().as_secs_f64());

	let started = Instant::now();
	let mut stays = 0;
	for (block, b) in batches.iter().enumerate() {
		stays += enclave.ingest(&b.header, &key, block as u32, &b.entries).unwrap().stays;
	}
	let ingest = started.elapsed().as_secs_f64();
	assert_eq!(stays as usize, owners * 64);

	// The case walks through the area all day, one point a minute.
	let case = [0xCA; 32];
	let walk = EntryPlain {
		owner: case,
		stays: (0..1_440)
			.map(|m| Stay {
				start: T0 + 60 * m,
				end: T0 + 60 * m + 59,
				geohash: random_cell(&mut rng, area),
				source: Source::Gnss,
			})
			.collect(),
	};
	let walk: Vec<_> =
		walk.stays.chunks(64).map(|p| EntryPlain { owner: case, stays: p.to_vec() }).collect();
	let sealed = seal_batch(&key, 0, DAY, area, &walk).unwrap();
	enclave.ingest(&sealed.header, &key, batches.len() as u32, &sealed.entries).unwrap();
	let request = JudgeRequest {
		genesis: [0; 32],
		case: 0,
		round: 0,
		part: 0,
		window: DayWindow { first: DAY, last: DAY },
		pseudonyms: vec![(DAY, case)],
		endorsed_at: T0,
		as_of: u32::MAX,
		since: None,
		opened_at: u32::MAX,
		params: RiskParams::default(),
		materials: Default::default(),
		materials_at: 0,
		registered: Default::default(),
		cases: Default::default(),
		max_exposures: 1_024,
		max_cells: 256,
	};
	let started = Instant::now();
	let Verdict::Signed { result, .. } = enclave.judge(&request) else { unreachable!() };
	let query = started.elapsed().as_secs_f64();
	println!("| stays | ingest (open + index) | stays/s | overlap query (1,440-stay day) | exposures | cells |");
	println!("|---|---|---|---|---|---|");
	println!(
		"| {stays} | {ingest:.2} s | {:.0} | {:.1} ms | {} | {} |",
		stays as f64 / ingest,
		query * 1_000.0,
		result.exposures.len(),
		result.cells.len()
	);
}

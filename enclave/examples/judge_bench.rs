//! Close-contact judgement at Wen et al.'s Fig. 11 sizes: a case of K stays judged against an
//! index of N stays of other owners (synthetic, uniformly spread over a 10 km x 10 km area
//! and one day, 100 stays per owner). Prints index build time and judgement time per size.
//!
//! `cargo run --release -p epichain-enclave --example judge_bench [N...]`
//! (default N: 100,000 1,000,000 10,000,000; K: 4,000 45,000 100,000).

use std::time::Instant;

use epichain_enclave::{
	index::Index,
	judge::{judge, Case},
};
use epichain_primitives::{
	csi::{EntryPlain, Source, Stay},
	diagnosis::DayWindow,
	geohash,
	matching::RiskParams,
};

/// 2026-11-21T00:00:00Z, day 20778.
const T0: u64 = 1_795_219_200;
const DAY: u32 = 20_778;

mod shared;
use shared::Rng;

/// `n` one-minute stays of `owner`, uniformly over the area and the day.
fn entry(rng: &mut Rng, owner: [u8; 32], n: usize) -> EntryPlain {
	EntryPlain {
		owner,
		stays: (0..n)
			.map(|_| {
				let start = T0 + rng.next() % (86_400 - 60);
				Stay {
					start,
					end: start + 59,
					geohash: geohash::encode(
						35.60 + 0.09 * rng.unit(),
						139.65 + 0.11 * rng.unit(),
						9,
					)
					.expect("valid coordinates"),
					source: Source::Gnss,
				}
			})
			.collect(),
	}
}

fn owner(i: u64) -> [u8; 32] {
	let mut o = [0u8; 32];
	o[..8].copy_from_slice(&i.to_le_bytes());
	o[8] = 1;
	o
}

fn main() {
	let sizes: Vec<usize> =
		std::env::args().skip(1).filter_map(|a| a.replace(',', "").parse().ok()).collect();
	let sizes = if sizes.is_empty() { vec![100_000, 1_000_000, 10_000_000] } else { sizes };
	println!("| index stays N | build | K = 4,000 | K = 45,000 | K = 100,000 | exposures at K = 100,000 |");
	println!("|---|---|---|---|---|---|");
	for n in sizes {
		let mut build = 0.0;
		let mut cells = Vec::new();
		let mut last = 0;
		for k in [4_000usize, 45_000, 100_000] {
			// The same N stays for every K (same seed), then the case's K stays.
			let mut rng = Rng(0x5eed_0000 + n as u64);
			let started = Instant::now();
			let mut index = Index::new();
			for i in 0..(n / 100) as u64 {
				index.insert(&entry(&mut rng, owner(i), 100), 1);
			}
			build = started.elapsed().as_secs_f64();
			let case_owner = [0xCA; 32];
			index.insert(&entry(&mut rng, case_owner, k), 1);
			let pseudonyms = [(DAY, case_owner)];
			let case = Case {
				window: DayWindow { first: DAY, last: DAY },
				pseudonyms: &pseudonyms,
				endorsed_at: T0,
				up_to: u32::MAX,
				frozen_at: u32::MAX,
				materials: &Default::default(),
				registered: &Default::default(),
			};
			let t = Instant::now();
			let j = judge(&index, &case, &RiskParams::default());
			cells.push(format!("{:.1} ms", t.elapsed().as_secs_f64() * 1_000.0));
			last = j.exposures.len();
		}
		println!("| {n} | {build:.1} s | {} | {} | {} | {last} |", cells[0], cells[1], cells[2]);
	}
}

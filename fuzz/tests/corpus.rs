//! Replays the fuzz corpus on stable Rust, with no fuzzer: the seeds, everything libFuzzer
//! kept in `fuzz/corpus`, every past finding in `fuzz/regressions`, and a batch of
//! pseudo-random programs. A finding is a panic, so each test passes only if none is found.

use epichain_fuzz::{decoders, ops, runtime, seeds};
use std::path::{Path, PathBuf};

/// The package's directory as cargo gives it when the test runs, not when it was compiled: a
/// shared target directory may hold a test binary built in another clone, perhaps deleted.
fn manifest_dir() -> PathBuf {
	std::env::var_os("CARGO_MANIFEST_DIR")
		.map_or_else(|| env!("CARGO_MANIFEST_DIR").into(), Into::into)
}

fn dir(name: &str) -> PathBuf {
	manifest_dir().join(name)
}

fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
	let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
	let mut files: Vec<_> = entries
		.map(|e| e.expect("a corpus entry").path())
		.filter(|p| p.is_file())
		.map(|p| (p.display().to_string(), std::fs::read(&p).expect("readable")))
		.collect();
	files.sort();
	files
}

/// The committed seed files are what [`seeds`] writes (`EPICHAIN_WRITE_SEEDS=1` rewrites them).
#[test]
fn the_committed_seeds_are_the_generated_ones() {
	for (target, seeds) in [("runtime", seeds::runtime()), ("decoders", seeds::decoders())] {
		let dir = dir("corpus").join(target);
		for (name, bytes) in seeds {
			let path = dir.join(format!("seed-{name}"));
			if std::env::var_os("EPICHAIN_WRITE_SEEDS").is_some() {
				std::fs::create_dir_all(&dir).unwrap();
				std::fs::write(&path, &bytes).unwrap();
			}
			assert_eq!(
				std::fs::read(&path).ok().as_ref(),
				Some(&bytes),
				"{} is stale: EPICHAIN_WRITE_SEEDS=1 cargo test -p epichain-fuzz",
				path.display()
			);
		}
	}
}

/// Each seed reads back as the program it was written from.
#[test]
fn seeds_read_back_as_their_programs() {
	for (name, bytes) in seeds::runtime() {
		let again = ops::program(&ops::ops_of(&bytes));
		assert_eq!(again, bytes, "seed {name}");
	}
}

/// The seeds reach the pallets: every epichain pallet deposits events, calls are included and
/// others refused, and every seed spans more than one block.
#[test]
fn the_seeds_reach_every_pallet() {
	let pallets = runtime::epichain_pallets();
	assert_eq!(pallets.len(), 5, "the runtime's tracing pallets");
	let mut events = vec![0u32; pallets.len()];
	for (name, bytes) in seeds::runtime() {
		let outcome = runtime::run(&bytes);
		println!("{name}: {outcome:?}");
		assert!(outcome.blocks >= 1 && outcome.calls > 0, "{name}: {outcome:?}");
		events.iter_mut().zip(outcome.events).for_each(|(all, e)| *all += e);
	}
	for (pallet, n) in pallets.iter().zip(events) {
		assert!(n > 0, "no seed reached {}", pallet.name);
	}
}

/// Known behaviour of one seed, pinned: the CSI seed lands 3 batches (today's, the first use of
/// a fixed ephemeral key, and yesterday's) and refuses the 11 others (the replayed ephemeral
/// key, a forged signature, a non-locator, an empty batch, each of the three bounds, a stray
/// byte, an unknown key, tomorrow, and three days ago).
#[test]
fn the_csi_seed_lands_three_batches_and_refuses_the_rest() {
	let (_, bytes) = seeds::runtime().into_iter().find(|(n, _)| *n == "csi-batches").unwrap();
	let outcome = runtime::run(&bytes);
	assert_eq!((outcome.calls, outcome.included), (14, 3), "{outcome:?}");
	assert_eq!(outcome.events[1], 3, "one BatchStored per landed batch: {outcome:?}");
}

#[test]
fn the_committed_corpus_and_regressions_replay_without_findings() {
	let mut replayed = 0;
	for target in ["runtime", "decoders"] {
		let inputs = [files(&dir("corpus").join(target)), files(&dir("regressions").join(target))];
		for (path, bytes) in inputs.into_iter().flatten() {
			println!("replaying {path}");
			match target {
				"runtime" => drop(runtime::run(&bytes)),
				_ => decoders::run(&bytes),
			}
			replayed += 1;
		}
	}
	assert!(replayed >= seeds::runtime().len() + seeds::decoders().len());
}

/// xorshift64*: deterministic pseudo-random bytes.
fn noise(seed: u64, len: usize) -> Vec<u8> {
	let mut x = seed | 1;
	(0..len)
		.map(|_| {
			x ^= x >> 12;
			x ^= x << 25;
			x ^= x >> 27;
			(x.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 56) as u8
		})
		.collect()
}

#[test]
fn random_programs_hold_the_invariants() {
	let mut calls = 0;
	for seed in 0..300u64 {
		calls += runtime::run(&noise(seed, 16 + (seed as usize * 7) % 600)).calls;
	}
	assert!(calls > 300, "random programs make calls: {calls}");
}

#[test]
fn random_bytes_never_panic_a_decoder() {
	for seed in 0..5_000u64 {
		decoders::run(&noise(seed, (seed as usize * 13) % 300));
	}
}

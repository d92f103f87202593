//! What proving what it reads costs the matcher's follower:
//!
//! - **bodies:** `verify_body` (the header's hash, then the ordered trie root of the extrinsics
//!   against the header's extrinsics root) on bodies of CSI-sized extrinsics, from one batch to
//!   a block at the 5 MiB length limit;
//! - **state:** `verify_read` on read proofs out of a state of 100,000 entries: one key (the
//!   chain's time, a sealing key), and 512 keys (one proof of a day's batches);
//! - **walks:** `verify_walk` of a map of 1,000 and of 10,000 entries (registered cells) in
//!   that state, from the proof of its prefix and every key under it;
//! - **finality:** `verify_justification` of a GRANDPA justification with precommits from
//!   two thirds (plus one) of 1, 4, 10 and 100 authorities (each signature checked).
//!
//! Bytes are pseudo-random: the costs depend on the number and size of the items, not on their
//! content.
//!
//! `cargo run --release --locked -p epichain-matcher --example proof_bench`

use std::time::Instant;

use codec::Encode;
use epichain_matcher::chain::{verify_body, verify_read, verify_walk, Header, H256};
use sp_trie::{trie_types::TrieDBMutBuilderV1, TrieConfiguration, TrieMut};

type Hasher = sp_core::Blake2Hasher;

/// A linear congruential generator: reproducible filler bytes.
struct Filler(u64);

impl Filler {
	fn bytes(&mut self, n: usize) -> Vec<u8> {
		(0..n)
			.map(|_| {
				self.0 = self
					.0
					.wrapping_mul(6_364_136_223_846_793_005)
					.wrapping_add(1_442_695_040_888_963_407);
				(self.0 >> 56) as u8
			})
			.collect()
	}
}

/// The median of 21 timings of `f`, in milliseconds.
fn median_millis(mut f: impl FnMut()) -> f64 {
	let mut times: Vec<f64> = (0..21)
		.map(|_| {
			let started = Instant::now();
			f();
			started.elapsed().as_secs_f64() * 1_000.0
		})
		.collect();
	times.sort_by(f64::total_cmp);
	times[times.len() / 2]
}

fn header(extrinsics_root: H256, state_root: H256) -> (H256, Header) {
	let header = Header {
		parent_hash: H256::repeat_byte(1),
		number: 7,
		state_root,
		extrinsics_root,
		digest: Default::default(),
	};
	(H256(sp_crypto_hashing::blake2_256(&header.encode())), header)
}

fn bodies() {
	// (what, extrinsics, bytes each): a batch of 100 entries of 4 stays is about 24 KiB.
	let cases = [
		("a timestamp and one batch", 2, 24 * 1024),
		("10 batches", 10, 24 * 1024),
		("5 MiB in 24 KiB batches", 213, 24 * 1024),
		("5 MiB in 2 KiB batches", 2_560, 2 * 1024),
	];
	println!("| body | extrinsics | bytes | `verify_body`, median of 21 | MiB/s |");
	println!("|---|---|---|---|---|");
	for (what, count, size) in cases {
		let mut filler = Filler(count as u64);
		let body: Vec<Vec<u8>> = (0..count).map(|_| filler.bytes(size)).collect();
		let root = sp_trie::LayoutV0::<Hasher>::ordered_trie_root(&body);
		let (hash, header) = header(H256(root.0), H256::zero());
		let millis = median_millis(|| verify_body(hash, &header, &body).expect("the body"));
		let bytes = count * size;
		println!(
			"| {what} | {count} | {bytes} | {millis:.3} ms | {:.0} |",
			bytes as f64 / (millis / 1_000.0) / (1024.0 * 1024.0)
		);
	}
}

fn reads() {
	// A map entry's key (two 16-byte prefixes, a 16-byte hash and a 9-byte cell) and a
	// location record's size.
	const ENTRIES: usize = 100_000;
	let mut filler = Filler(7);
	let entries: Vec<(Vec<u8>, Vec<u8>)> =
		(0..ENTRIES).map(|_| (filler.bytes(57), filler.bytes(40))).collect();
	let mut db = sp_trie::MemoryDB::<Hasher>::default();
	let mut root = Default::default();
	{
		let mut trie = TrieDBMutBuilderV1::<Hasher>::new(&mut db, &mut root).build();
		for (key, value) in &entries {
			trie.insert(key, value).unwrap();
		}
	}
	let proof_of = |keys: &[Vec<u8>]| -> Vec<Vec<u8>> {
		let recorder = sp_trie::recorder::Recorder::<Hasher>::default();
		{
			let mut trie_recorder = recorder.as_trie_recorder(root);
			for key in keys {
				sp_trie::read_trie_value::<sp_trie::LayoutV1<Hasher>, _>(
					&db,
					&root,
					key,
					Some(&mut trie_recorder),
					None,
				)
				.unwrap();
			}
		}
		recorder.drain_storage_proof().into_iter_nodes().collect()
	};
	println!();
	println!("| read proof out of {ENTRIES} entries | keys | proof nodes | proof bytes | `verify_read`, median of 21 |");
	println!("|---|---|---|---|---|");
	for keys in [1usize, 512] {
		let keys: Vec<Vec<u8>> =
			entries.iter().step_by(ENTRIES / keys).take(keys).map(|(k, _)| k.clone()).collect();
		let proof = proof_of(&keys);
		let bytes: usize = proof.iter().map(Vec::len).sum();
		let (block, state_root) = (H256::repeat_byte(3), H256(root.0));
		let millis = median_millis(|| {
			let read = verify_read(block, state_root, proof.clone(), &keys).expect("proven");
			assert!(read.iter().all(Option::is_some));
		});
		println!("| | {} | {} | {bytes} | {millis:.3} ms |", keys.len(), proof.len());
	}
}

fn walks() {
	// A map of `cells` entries under one 32-byte prefix (a 16-byte hash and a 9-byte cell
	// after it), among 100,000 other entries.
	println!();
	println!("| walk of a map among 100,000 entries | entries | proof nodes | proof bytes | `verify_walk`, median of 21 |");
	println!("|---|---|---|---|---|");
	for cells in [1_000usize, 10_000] {
		let mut filler = Filler(cells as u64);
		let prefix = filler.bytes(32);
		let mut entries: Vec<(Vec<u8>, Vec<u8>)> =
			(0..100_000).map(|_| (filler.bytes(57), filler.bytes(40))).collect();
		let map: Vec<(Vec<u8>, Vec<u8>)> = (0..cells)
			.map(|_| ([prefix.clone(), filler.bytes(25)].concat(), filler.bytes(60)))
			.collect();
		entries.extend(map.iter().cloned());
		let mut db = sp_trie::MemoryDB::<Hasher>::default();
		let mut root = Default::default();
		{
			let mut trie = TrieDBMutBuilderV1::<Hasher>::new(&mut db, &mut root).build();
			for (key, value) in &entries {
				trie.insert(key, value).unwrap();
			}
		}
		let recorder = sp_trie::recorder::Recorder::<Hasher>::default();
		{
			let mut recording = recorder.as_trie_recorder(root);
			for key in std::iter::once(&prefix).chain(map.iter().map(|(k, _)| k)) {
				sp_trie::read_trie_value::<sp_trie::LayoutV1<Hasher>, _>(
					&db,
					&root,
					key,
					Some(&mut recording),
					None,
				)
				.unwrap();
			}
		}
		let proof: Vec<Vec<u8>> = recorder.drain_storage_proof().into_iter_nodes().collect();
		let bytes: usize = proof.iter().map(Vec::len).sum();
		let (block, state_root) = (H256::repeat_byte(3), H256(root.0));
		let millis = median_millis(|| {
			let walked = verify_walk(block, state_root, proof.clone(), &prefix).expect("whole");
			assert_eq!(walked.len(), cells);
		});
		println!("| | {cells} | {} | {bytes} | {millis:.3} ms |", proof.len());
	}
}

/// `verify_justification` for authority sets of growing size, each precommit signed.
fn justifications() {
	use epichain_matcher::finality::{verify_justification, AuthorityList, Justification};
	use sp_core::{ed25519, Pair};
	println!("\n| justification | authorities | precommits | bytes | median |");
	println!("|---|---|---|---|---|");
	for n in [1u32, 4, 10, 100] {
		let pairs: Vec<ed25519::Pair> =
			(0..n).map(|i| ed25519::Pair::from_seed(&[i as u8 + 1; 32])).collect();
		let authorities: AuthorityList = pairs.iter().map(|p| (p.public(), 1)).collect();
		let (target, set_id, round) = (H256::repeat_byte(7), 3u64, 11u64);
		let precommit =
			finality_grandpa::Precommit { target_hash: target, target_number: 1_000u32 };
		let signers = n - (n - 1) / 3;
		let precommits = pairs[..signers as usize]
			.iter()
			.map(|p| {
				let message = finality_grandpa::Message::Precommit(precommit.clone());
				finality_grandpa::SignedPrecommit {
					precommit: precommit.clone(),
					signature: p.sign(&(message, round, set_id).encode()),
					id: p.public(),
				}
			})
			.collect();
		let justification = Justification {
			round,
			commit: finality_grandpa::Commit {
				target_hash: target,
				target_number: 1_000,
				precommits,
			},
			votes_ancestries: vec![],
		}
		.encode();
		let millis = median_millis(|| {
			let block = verify_justification(set_id, &authorities, &justification).unwrap();
			assert_eq!(block, (target, 1_000));
		});
		println!("| | {n} | {signers} | {} | {millis:.3} ms |", justification.len());
	}
}

fn main() {
	bodies();
	reads();
	walks();
	justifications();
}

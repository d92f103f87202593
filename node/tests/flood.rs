//! A flood of invalid transactions from many accounts against a live dev node while a locator
//! writes valid batches. The pool refuses every junk transaction, none takes block space, and
//! valid batches keep landing. The test prints valid throughput with and without the flood;
//! docs/BENCHMARKS.md quotes it
//! (`cargo test --release -p epichain-node --test flood -- --nocapture`).

mod common;

use std::{
	sync::{
		atomic::{AtomicBool, AtomicUsize, Ordering},
		Arc,
	},
	time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

use codec::Decode;
use common::{
	csi::{register_matcher, sealed, submission},
	http,
	tx::{submit, sudo_and_wait, Chain},
	Node,
};
use epichain_primitives::{sealing::SealingSecret, SECONDS_PER_DAY};
use epichain_runtime::{Hash, RuntimeCall, UncheckedExtrinsic};
use serde_json::json;
use sp_core::Pair;
use sp_keyring::Sr25519Keyring;

/// Junk submitters (threads) and junk accounts.
const FLOODERS: usize = 2;
const JUNK_ACCOUNTS: u32 = 200;
/// How long each phase offers valid batches.
const PHASE: Duration = Duration::from_secs(36);

/// Junk account `i` (synthetic, never funded).
fn junk_account(i: u32) -> sp_core::sr25519::Pair {
	sp_core::sr25519::Pair::from_string(&format!("//flood//{i}"), None).unwrap()
}

/// A remark signed by junk account `i % JUNK_ACCOUNTS`, different for every `i`.
fn junk_remark(chain: &(Hash, u32, u32), i: usize) -> String {
	let call = RuntimeCall::System(frame_system::Call::remark {
		remark: (i as u64).to_le_bytes().to_vec(),
	});
	let pair = junk_account(i as u32 % JUNK_ACCOUNTS);
	let xt = epichain_runtime::signed_transaction(call, &pair, 0, chain.0, chain.1, chain.2);
	format!("0x{}", hex::encode(codec::Encode::encode(&xt)))
}

/// Points of `day` stored at the best block.
fn stored_points(node: &Node, day: u32) -> u64 {
	node.rpc("csi_dayStats", json!([day])).and_then(|s| s["points"].as_u64()).unwrap_or(0)
}

/// Offers Eve's valid batches (2 per block, 32 owners x 32 points) for [`PHASE`], while
/// `flood` junk submitters run; the valid points stored over the phase and the junk count.
fn phase(
	node: &mut Node,
	chain: &Chain,
	key: &SealingSecret,
	day: u32,
	junk: &Arc<Vec<String>>,
	flood: bool,
) -> (u64, usize, usize) {
	let stop = Arc::new(AtomicBool::new(false));
	let (sent, accepted) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
	let flooders: Vec<_> = (0..if flood { FLOODERS } else { 0 })
		.map(|t| {
			let (stop, sent, accepted, junk) =
				(stop.clone(), sent.clone(), accepted.clone(), junk.clone());
			let port = node.rpc_port;
			let versions = (chain.genesis, chain.spec_version, chain.tx_version);
			std::thread::spawn(move || {
				let mut i = t;
				while !stop.load(Ordering::Relaxed) {
					let xt = if i % 2 == 0 {
						junk_remark(&versions, i)
					} else {
						junk[i % junk.len()].clone()
					};
					let body = json!({"jsonrpc": "2.0", "id": 1,
						"method": "author_submitExtrinsic", "params": [xt]});
					if let Some((_, answer)) = http(port, "POST", "/", &body.to_string()) {
						sent.fetch_add(1, Ordering::Relaxed);
						if answer.contains("\"result\"") {
							accepted.fetch_add(1, Ordering::Relaxed);
						}
					}
					i += FLOODERS;
				}
			})
		})
		.collect();
	let before = stored_points(node, day);
	let started = Instant::now();
	let mut last_block = 0;
	while started.elapsed() < PHASE {
		let best = node.best_number().unwrap_or(last_block);
		if best > last_block {
			last_block = best;
			for _ in 0..2 {
				let batch = sealed(key, 0, day, b"xn76u", 32, 32);
				let eve = Sr25519Keyring::Eve;
				submit(node, &submission(chain, eve, eve, batch));
			}
		}
		std::thread::sleep(Duration::from_millis(200));
	}
	stop.store(true, Ordering::Relaxed);
	for f in flooders {
		f.join().unwrap();
	}
	// What was offered lands within two blocks.
	let end = node.best_number().unwrap();
	node.wait_for("two more blocks", Duration::from_secs(30), |n| {
		n.best_number().filter(|b| *b >= end + 2)
	});
	(
		stored_points(node, day) - before,
		sent.load(Ordering::Relaxed),
		accepted.load(Ordering::Relaxed),
	)
}

#[test]
fn a_flood_of_invalid_transactions_does_not_stop_valid_batches() {
	let mut node = Node::start(&["--dev", "--tmp"]);
	let chain = Chain::of(&mut node);
	let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
	let day = (now / SECONDS_PER_DAY) as u32;
	let key = SealingSecret::generate();
	let register = register_matcher(&key, now);
	let eve = Sr25519Keyring::Eve;
	sudo_and_wait(&mut node, &chain, 0, register, "the matcher", |n| {
		submit(n, &submission(&chain, eve, eve, sealed(&key, 0, day, b"xn76u", 1, 1)))
			.get("result")
			.is_some()
	});

	// Junk from 200 synthetic accounts: batches from accounts that are no locator, and (made
	// by the flooders, every one different) remarks from accounts that hold nothing, refused
	// for the fee after the signature check.
	let junk: Arc<Vec<String>> = Arc::new(
		(0..JUNK_ACCOUNTS)
			.map(|i| {
				let batch = sealed(&key, 0, day, b"xn76u", 4, 8);
				let payload = pallet_csi::batch_signing_payload(chain.genesis.as_ref(), &batch);
				let pair = junk_account(i);
				common::tx::general(RuntimeCall::Csi(pallet_csi::Call::submit_batch {
					locator: pair.public().into(),
					batch,
					signature: sp_runtime::MultiSignature::Sr25519(pair.sign(&payload)),
				}))
			})
			.collect(),
	);
	let flood_from = node.best_number().unwrap();

	let (quiet, _, _) = phase(&mut node, &chain, &key, day, &junk, false);
	let flood_start = node.best_number().unwrap();
	let (flooded, sent, accepted) = phase(&mut node, &chain, &key, day, &junk, true);
	let flood_end = node.best_number().unwrap();

	assert_eq!(accepted, 0, "the pool accepted junk");
	assert!(sent > 100, "the flood reached the node ({sent} submissions)");
	assert!(flooded > 0, "valid batches landed during the flood");
	// No junk took block space: every extrinsic of every block is the timestamp or Eve's batch.
	for number in flood_from + 1..=flood_end {
		let hash = node.rpc("chain_getBlockHash", json!([number])).unwrap();
		let block = node.rpc("chain_getBlock", json!([hash])).unwrap();
		for x in block["block"]["extrinsics"].as_array().unwrap() {
			let bytes = hex::decode(&x.as_str().unwrap()[2..]).unwrap();
			let xt = UncheckedExtrinsic::decode(&mut &bytes[..]).unwrap();
			match &xt.function {
				RuntimeCall::Timestamp(_) => {},
				RuntimeCall::Csi(pallet_csi::Call::submit_batch { locator, .. }) => {
					assert_eq!(*locator, eve.to_account_id(), "block #{number}")
				},
				other => panic!("block #{number} holds {other:?}"),
			}
		}
	}
	let secs = PHASE.as_secs_f64();
	eprintln!(
		"valid points stored: {quiet} without the flood, {flooded} with it ({:.0} and {:.0} \
		 points/s over {secs:.0} s; ratio {:.2}); flood: {sent} junk submissions ({:.0}/s) from \
		 {JUNK_ACCOUNTS} accounts, {accepted} accepted, blocks #{flood_start}-#{flood_end}",
		quiet as f64 / secs,
		flooded as f64 / secs,
		flooded as f64 / quiet.max(1) as f64,
		sent as f64 / secs,
	);
	node.stop(Duration::from_secs(20));
}

//! Floods against a live dev node, and what they cost the honest writers:
//! - invalid transactions from many accounts while a locator writes valid batches: the pool
//!   refuses every junk transaction, none takes block space, and valid batches keep landing;
//! - one locator re-sending valid, quota-sized batches as fast as the node takes them while
//!   three others write at their normal rate: its pool slots hold one block's quota at most, so
//!   the others' batches land as they do without the flood;
//! - 32 locators offering twice the valid batches a block holds, with and without the junk
//!   flood: how far the flood lowers the top ingest rate.
//!
//! Each prints its throughput figures, which docs/BENCHMARKS.md quotes
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
use pallet_csi::CsiBatch;
use serde_json::json;
use sp_core::{crypto::Ss58Codec, Get, Pair};
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

/// `batch` as a submission of the synthetic account `pair`, signed by it.
fn submission_of(chain: &Chain, pair: &sp_core::sr25519::Pair, batch: CsiBatch) -> String {
	let payload = pallet_csi::batch_signing_payload(chain.genesis.as_ref(), &batch);
	common::tx::general(RuntimeCall::Csi(pallet_csi::Call::submit_batch {
		locator: pair.public().into(),
		batch,
		signature: sp_runtime::MultiSignature::Sr25519(pair.sign(&payload)),
	}))
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

/// Stays of `day` stored at the best block.
fn stored_stays(node: &Node, day: u32) -> u64 {
	node.rpc("csi_dayStats", json!([day])).and_then(|s| s["stays"].as_u64()).unwrap_or(0)
}

/// Offers Eve's valid batches (2 per block, 32 owners x 32 stays) for [`PHASE`], while
/// `flood` junk submitters run; the valid stays stored over the phase and the junk count.
fn phase(
	node: &mut Node,
	chain: &Chain,
	key: &SealingSecret,
	day: u32,
	junk: &Arc<Vec<String>>,
	flood: bool,
) -> (u64, usize, usize) {
	let flood = Flood::start(node, chain, junk, flood);
	let before = stored_stays(node, day);
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
	let (sent, accepted) = flood.stop();
	// What was offered lands within two blocks.
	let end = node.best_number().unwrap();
	node.wait_for("two more blocks", Duration::from_secs(30), |n| {
		n.best_number().filter(|b| *b >= end + 2)
	});
	(stored_stays(node, day) - before, sent, accepted)
}

/// Junk submitters: [`FLOODERS`] threads sending, in turn, a fresh remark from an account that
/// holds nothing and one of `junk`'s transactions, over RPC, as fast as the node answers.
struct Flood {
	stop: Arc<AtomicBool>,
	sent: Arc<AtomicUsize>,
	accepted: Arc<AtomicUsize>,
	threads: Vec<std::thread::JoinHandle<()>>,
}

impl Flood {
	/// Starts the flood (none at all unless `on`).
	fn start(node: &Node, chain: &Chain, junk: &Arc<Vec<String>>, on: bool) -> Flood {
		let stop = Arc::new(AtomicBool::new(false));
		let (sent, accepted) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
		let threads = (0..if on { FLOODERS } else { 0 })
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
		Flood { stop, sent, accepted, threads }
	}

	/// Stops it: (junk submissions, junk the pool accepted).
	fn stop(self) -> (usize, usize) {
		self.stop.store(true, Ordering::Relaxed);
		for t in self.threads {
			t.join().unwrap();
		}
		(self.sent.load(Ordering::Relaxed), self.accepted.load(Ordering::Relaxed))
	}
}

/// Batches claimed by [`JUNK_ACCOUNTS`] accounts that are no locator (`NotLocator`).
fn junk_batches(chain: &Chain, key: &SealingSecret, day: u32) -> Arc<Vec<String>> {
	Arc::new(
		(0..JUNK_ACCOUNTS)
			.map(|i| submission_of(chain, &junk_account(i), sealed(key, 0, day, b"xn76u", 4, 8)))
			.collect(),
	)
}

/// A dev node started with `args` and a matcher sealing key registered (Eve's first batch
/// sealed to it has landed): the node, its chain, today and the key.
fn dev_node_with_matcher(args: &[&str]) -> (Node, Chain, u32, SealingSecret) {
	let mut node = Node::start(&[&["--dev", "--tmp"][..], args].concat());
	let chain = Chain::of(&mut node);
	let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
	let day = (now / SECONDS_PER_DAY) as u32;
	let key = SealingSecret::generate();
	let eve = Sr25519Keyring::Eve;
	sudo_and_wait(&mut node, &chain, 0, register_matcher(&key, now), "the matcher", |n| {
		submit(n, &submission(&chain, eve, eve, sealed(&key, 0, day, b"xn76u", 1, 1)))
			.get("result")
			.is_some()
	});
	(node, chain, day, key)
}

/// The tests of this file measure throughput: one at a time.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

#[test]
fn a_flood_of_invalid_transactions_does_not_stop_valid_batches() {
	let _alone = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
	let (mut node, chain, day, key) = dev_node_with_matcher(&[]);
	let eve = Sr25519Keyring::Eve;

	// Junk from 200 synthetic accounts: batches from accounts that are no locator, and (made
	// by the flooders, every one different) remarks from accounts that hold nothing, refused
	// for the fee after the signature check.
	let junk = junk_batches(&chain, &key, day);
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
		"valid stays stored: {quiet} without the flood, {flooded} with it ({:.0} and {:.0} \
		 stays/s over {secs:.0} s; ratio {:.2}); flood: {sent} junk submissions ({:.0}/s) from \
		 {JUNK_ACCOUNTS} accounts, {accepted} accepted, blocks #{flood_start}-#{flood_end}",
		quiet as f64 / secs,
		flooded as f64 / secs,
		flooded as f64 / quiet.max(1) as f64,
		sent as f64 / secs,
	);
	node.stop(Duration::from_secs(20));
}

/// Each stored batch of `day`: (locator SS58, block, stays).
fn stored_batches(node: &Node, day: u32) -> Vec<(String, u64, u64)> {
	let (mut all, mut from) = (Vec::new(), 0u64);
	loop {
		let page = node.rpc("csi_batchesOfDay", json!([day, from, 500])).unwrap();
		let page = page.as_array().unwrap().clone();
		for b in &page {
			all.push((
				b["locator"].as_str().unwrap().to_string(),
				b["block"].as_u64().unwrap(),
				b["stays"].as_u64().unwrap(),
			));
		}
		match page.last() {
			Some(last) if page.len() == 500 => from = last["seq"].as_u64().unwrap() + 1,
			_ => return all,
		}
	}
}

/// The three honest writers of the fair-pool test.
const WRITERS: [Sr25519Keyring; 3] =
	[Sr25519Keyring::Bob, Sr25519Keyring::Charlie, Sr25519Keyring::Dave];

/// Stays of `who`'s batches waiting in the node's transaction pool.
fn pooled_stays(node: &Node, who: Sr25519Keyring) -> u64 {
	let pending = node.rpc("author_pendingExtrinsics", json!([])).expect("the pool's contents");
	let mut stays = 0;
	for x in pending.as_array().unwrap() {
		let bytes = hex::decode(&x.as_str().unwrap()[2..]).unwrap();
		let xt = UncheckedExtrinsic::decode(&mut &bytes[..]).unwrap();
		if let RuntimeCall::Csi(pallet_csi::Call::submit_batch { locator, batch, .. }) =
			&xt.function
		{
			if *locator == who.to_account_id() {
				stays += batch
					.entries
					.iter()
					.map(|e| epichain_primitives::csi::stays_in_entry(e.len()).unwrap_or(0) as u64)
					.sum::<u64>();
			}
		}
	}
	stays
}

/// What one phase of the fair-pool test saw.
struct FairPhase {
	/// The first block of the phase.
	first: u64,
	/// Its last block: two after the last offer, by when every offer has landed.
	last: u64,
	/// Eve's submissions.
	sent: usize,
	/// Honest submissions the pool refused.
	refused: usize,
	/// The most stays of Eve's batches the pool held at once (sampled every 5 s).
	pooled: u64,
}

/// Bob, Charlie and Dave each offer one batch of 1,024 stays per block for [`PHASE`]
/// while, with `flood`, Eve re-sends valid quota-sized batches as fast as the node takes them.
fn fair_phase(
	node: &mut Node,
	chain: &Chain,
	key: &SealingSecret,
	day: u32,
	flood: bool,
) -> FairPhase {
	let stop = Arc::new(AtomicBool::new(false));
	let sent = Arc::new(AtomicUsize::new(0));
	let flooder = flood.then(|| {
		// 100 distinct batches of Eve's whole per-block quota (256 owners x 64 stays, 26 MB
		// in all, more than the pool's default 20 MiB), re-sent in turn: what a greedy gateway,
		// or a careless one uploading a backlog, would do.
		let eve = Sr25519Keyring::Eve;
		let batches: Vec<String> = (0..100)
			.map(|_| submission(chain, eve, eve, sealed(key, 0, day, b"xn76u", 256, 64)))
			.collect();
		let (stop, sent, port) = (stop.clone(), sent.clone(), node.rpc_port);
		std::thread::spawn(move || {
			let mut i = 0;
			while !stop.load(Ordering::Relaxed) {
				let body = json!({"jsonrpc": "2.0", "id": 1,
					"method": "author_submitExtrinsic", "params": [batches[i % batches.len()]]});
				if http(port, "POST", "/", &body.to_string()).is_some() {
					sent.fetch_add(1, Ordering::Relaxed);
				}
				i += 1;
			}
		})
	});
	let first = node.best_number().unwrap() + 1;
	let started = Instant::now();
	let mut last_block = first - 1;
	let (mut refused, mut pooled, mut sampled) = (0, 0, Instant::now());
	while started.elapsed() < PHASE {
		if flood && sampled.elapsed() >= Duration::from_secs(5) {
			pooled = pooled.max(pooled_stays(node, Sr25519Keyring::Eve));
			sampled = Instant::now();
		}
		let best = node.best_number().unwrap_or(last_block);
		if best > last_block {
			last_block = best;
			for who in WRITERS {
				let batch = sealed(key, 0, day, b"xn76u", 32, 32);
				if submit(node, &submission(chain, who, who, batch)).get("result").is_none() {
					refused += 1;
				}
			}
		}
		std::thread::sleep(Duration::from_millis(200));
	}
	let last = node.best_number().unwrap();
	stop.store(true, Ordering::Relaxed);
	if let Some(f) = flooder {
		f.join().unwrap();
	}
	// What the writers offered lands within two blocks.
	node.wait_for("two more blocks", Duration::from_secs(30), |n| {
		n.best_number().filter(|b| *b >= last + 2)
	});
	FairPhase { first, last: last + 2, sent: sent.load(Ordering::Relaxed), refused, pooled }
}

#[test]
fn a_locator_flooding_valid_batches_takes_nothing_from_the_others() {
	let _alone = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
	// Room for the whole pool in one `author_pendingExtrinsics` answer (default 10 MB).
	let (mut node, chain, day, key) = dev_node_with_matcher(&["--rpc-max-response-size", "100"]);
	let eve = Sr25519Keyring::Eve;
	// Bob, Charlie and Dave become app gateways for the whole world.
	for (nonce, who) in WRITERS.into_iter().enumerate() {
		let register = RuntimeCall::Csi(pallet_csi::Call::register_locator {
			locator: who.to_account_id(),
			kind: pallet_csi::LocatorKind::AppGateway,
			region: Default::default(),
			metadata_hash: Hash::zero(),
		});
		sudo_and_wait(&mut node, &chain, 1 + nonce as u32, register, "a locator", |n| {
			submit(n, &submission(&chain, who, who, sealed(&key, 0, day, b"xn76u", 1, 1)))
				.get("result")
				.is_some()
		});
	}
	let quota: u32 =
		<epichain_runtime::Runtime as pallet_csi::Config>::MaxStaysPerLocatorPerBlock::get();
	let quota = quota as u64;

	let quiet = fair_phase(&mut node, &chain, &key, day, false);
	let flooded = fair_phase(&mut node, &chain, &key, day, true);

	let batches = stored_batches(&node, day);
	let writers: Vec<String> = WRITERS.iter().map(|w| w.to_account_id().to_ss58check()).collect();
	let honest = |phase: &FairPhase| -> u64 {
		batches
			.iter()
			.filter(|(who, block, _)| {
				writers.contains(who) && (phase.first..=phase.last).contains(block)
			})
			.map(|(_, _, stays)| stays)
			.sum()
	};
	let (honest_quiet, honest_flooded) = (honest(&quiet), honest(&flooded));
	let mut eve_per_block = std::collections::BTreeMap::<u64, u64>::new();
	for (who, block, stays) in &batches {
		if *who == eve.to_account_id().to_ss58check()
			&& (flooded.first..=flooded.last).contains(block)
		{
			*eve_per_block.entry(*block).or_default() += stays;
		}
	}
	let ratio = honest_flooded as f64 / honest_quiet.max(1) as f64;
	eprintln!(
		"fair pool: honest writers stored {honest_quiet} stays without the flood (blocks \
		 #{}-#{}) and {honest_flooded} with it (#{}-#{}), ratio {ratio:.2}, {} and {} of their \
		 submissions refused; the flooder sent {} submissions, the pool held at most {} of its \
		 stays at once, and it landed {} stays in {} blocks, at most {} in one (quota {quota})",
		quiet.first,
		quiet.last,
		flooded.first,
		flooded.last,
		quiet.refused,
		flooded.refused,
		flooded.sent,
		flooded.pooled,
		eve_per_block.values().sum::<u64>(),
		eve_per_block.len(),
		eve_per_block.values().max().copied().unwrap_or(0),
	);
	assert!(flooded.sent > 100, "the flood reached the node ({} submissions)", flooded.sent);
	assert!(flooded.pooled <= quota, "the pool held {} stays of the flooder", flooded.pooled);
	assert!(!eve_per_block.is_empty(), "the flooder's valid batches land too");
	assert!(eve_per_block.values().all(|p| *p <= quota), "the flooder got more than its quota");
	assert!(ratio >= 0.95, "the flood cost the honest writers: ratio {ratio:.2}");
	node.stop(Duration::from_secs(20));
}

/// Synthetic app gateways of the top-ingest test: at their quota, twice what a block holds.
const TOP_WRITERS: u32 = 32;

/// Top-ingest writer `i` (synthetic; a general transaction needs no funds).
fn top_writer(i: u32) -> sp_core::sr25519::Pair {
	sp_core::sr25519::Pair::from_string(&format!("//writer//{i}"), None).unwrap()
}

/// What one phase of the top-ingest test saw: its blocks and the flood's counts.
struct TopPhase {
	first: u64,
	last: u64,
	sent: usize,
	accepted: usize,
}

/// Every writer offers one whole-quota batch (256 owners x 64 stays) at every new block for
/// [`PHASE`], more than a block holds, while, with `flood`, the junk flood runs. Batches are
/// sealed and signed before the phase, so the test's own work does not compete with the node.
fn top_phase(
	node: &mut Node,
	chain: &Chain,
	key: &SealingSecret,
	day: u32,
	junk: &Arc<Vec<String>>,
	flood: bool,
) -> TopPhase {
	let per_writer = (PHASE.as_secs() / 6 + 3) as usize;
	let mut queues: Vec<std::collections::VecDeque<String>> = (0..TOP_WRITERS)
		.map(|i| {
			let pair = top_writer(i);
			(0..per_writer)
				.map(|_| submission_of(chain, &pair, sealed(key, 0, day, b"xn76u", 256, 64)))
				.collect()
		})
		.collect();
	let flood = Flood::start(node, chain, junk, flood);
	let first = node.best_number().unwrap() + 1;
	let started = Instant::now();
	let mut last_block = first - 1;
	while started.elapsed() < PHASE {
		let best = node.best_number().unwrap_or(last_block);
		if best > last_block {
			last_block = best;
			// A writer whose last batch still waits in the pool is refused (its slots are
			// taken) and offers the same batch at the next block.
			for queue in &mut queues {
				if let Some(xt) = queue.front() {
					if submit(node, xt).get("result").is_some() {
						queue.pop_front();
					}
				}
			}
		}
		std::thread::sleep(Duration::from_millis(200));
	}
	let last = node.best_number().unwrap();
	let (sent, accepted) = flood.stop();
	// What the pool holds lands within three blocks.
	node.wait_for("three more blocks", Duration::from_secs(40), |n| {
		n.best_number().filter(|b| *b >= last + 3)
	});
	TopPhase { first, last: last + 3, sent, accepted }
}

#[test]
fn the_top_ingest_under_a_junk_flood() {
	let _alone = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
	let (mut node, chain, day, key) = dev_node_with_matcher(&[]);
	// App gateways for the whole world, registered in one block.
	let writers: Vec<String> = (0..TOP_WRITERS)
		.map(|i| {
			let who = top_writer(i).public();
			let register = RuntimeCall::Csi(pallet_csi::Call::register_locator {
				locator: who.into(),
				kind: pallet_csi::LocatorKind::AppGateway,
				region: Default::default(),
				metadata_hash: Hash::zero(),
			});
			let sudo = RuntimeCall::Sudo(pallet_sudo::Call::sudo { call: Box::new(register) });
			let xt = common::tx::signed(&chain, Sr25519Keyring::Alice, 1 + i, sudo);
			assert!(submit(&node, &xt).get("result").is_some(), "registering writer {i}");
			sp_runtime::AccountId32::from(who).to_ss58check()
		})
		.collect();
	// Registered once the last writer's probe batch is accepted.
	let last = top_writer(TOP_WRITERS - 1);
	node.wait_for("the writers' registration", Duration::from_secs(60), |n| {
		let probe = submission_of(&chain, &last, sealed(&key, 0, day, b"xn76u", 1, 1));
		submit(n, &probe).get("result").map(|_| ())
	});
	let junk = junk_batches(&chain, &key, day);

	let quiet = top_phase(&mut node, &chain, &key, day, &junk, false);
	let flooded = top_phase(&mut node, &chain, &key, day, &junk, true);

	let batches = stored_batches(&node, day);
	// (stays, blocks, the fullest block's stays) of a phase.
	let stays = |phase: &TopPhase| -> (u64, u64, u64) {
		let mut per_block = std::collections::BTreeMap::<u64, u64>::new();
		for (who, block, stays) in &batches {
			if writers.contains(who) && (phase.first..=phase.last).contains(block) {
				*per_block.entry(*block).or_default() += stays;
			}
		}
		let blocks = phase.last - phase.first + 1;
		(per_block.values().sum(), blocks, per_block.values().max().copied().unwrap_or(0))
	};
	let ((quiet_stays, quiet_blocks, quiet_top), (flooded_stays, flooded_blocks, flooded_top)) =
		(stays(&quiet), stays(&flooded));
	let rate = |s: u64, b: u64| s as f64 / (b as f64 * 6.0);
	let ratio = rate(flooded_stays, flooded_blocks) / rate(quiet_stays, quiet_blocks).max(1.0);
	eprintln!(
		"top ingest: {quiet_stays} stays in {quiet_blocks} blocks without the flood ({:.0} \
		 stays/s, at most {quiet_top} in a block), {flooded_stays} in {flooded_blocks} blocks \
		 with it ({:.0} stays/s, at most {flooded_top} in a block), ratio {ratio:.2}; the \
		 flood sent {} junk submissions ({:.0}/s), {} accepted",
		rate(quiet_stays, quiet_blocks),
		rate(flooded_stays, flooded_blocks),
		flooded.sent,
		flooded.sent as f64 / PHASE.as_secs_f64(),
		flooded.accepted,
	);
	assert_eq!(quiet.accepted + flooded.accepted, 0, "the pool accepted junk");
	assert!(flooded.sent > 100, "the flood reached the node ({} submissions)", flooded.sent);
	assert!(quiet_stays > 0 && flooded_stays > 0, "valid batches landed in both phases");
	node.stop(Duration::from_secs(20));
}

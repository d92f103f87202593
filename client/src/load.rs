//! `epichain load`: many locators submitting sealed batches of a synthetic population to a
//! running region, and what the region sustained.
//!
//! Each locator submits its share of the population's fixes in batches sized to the
//! per-locator, per-block quota, keeping up to `--in-flight` of them in the pool at once (batches
//! carry no nonce, so a locator's next batch waits in the pool for the next block instead of
//! being sealed after the last one lands), at a target rate or as fast as blocks take them.
//! A follower of finalized blocks timestamps finality; a batch's latency is from its
//! submission to the first finalized head at or above its block. Reported: finalized stays
//! per second over the run, batches per block, block fullness by weight and by length, and
//! latency p50 / p95 / p99, live on standard error and as a final table (or `--json`).
//!
//! The population is made `--chunk` people at a time, day by day (`--days`, oldest first), and
//! each chunk's batches go to the locators through bounded queues: memory holds one chunk and
//! the queues, whatever the population's size.

use std::{
	collections::BTreeMap,
	sync::{
		atomic::{AtomicUsize, Ordering},
		Arc, Mutex,
	},
	time::{Duration, Instant},
};

use anyhow::{anyhow, Result};
use clap::Args;
use epichain_primitives::{csi::PoolSlots, DayIndex};
use serde_json::{json, Value};
use subxt_signer::sr25519::Keypair;
use tokio::sync::mpsc;

use crate::{
	batches::{self, Bounds, Plan},
	connection::{self, Connection, Wait},
	output::emit,
	runtime,
	simulate::{Mix, Population, Spec},
	submit::{self, MatcherKey, Summary},
};

/// `load` options.
#[derive(Args, Clone, Debug)]
pub struct LoadArgs {
	/// Locators submitting in parallel (registered by the authority when missing).
	#[arg(long, default_value_t = 4)]
	pub locators: u32,
	/// The authority's secret URI (registers the load's locators).
	#[arg(long, default_value = "//Alice")]
	pub authority: String,
	/// People in the synthetic population, on each day written.
	#[arg(long, default_value_t = 400)]
	pub people: u32,
	/// Days written, ending today (at most the chain's `Csi::MaxBatchAgeDays` + 1: the chain
	/// refuses batches dated earlier). Each day's population is the same people.
	#[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
	pub days: u32,
	/// People made at once: the population is generated and planned a chunk at a time, so
	/// memory holds one chunk however many people there are.
	#[arg(long, default_value_t = 20_000, value_parser = clap::value_parser!(u32).range(1..))]
	pub chunk: u32,
	/// Seed of the population.
	#[arg(long, default_value_t = 1)]
	pub seed: u64,
	/// The population's region (geohash prefix).
	#[arg(long, default_value = "xn76u")]
	pub region: String,
	/// Target stays per second over all locators (default: as fast as the chain takes them).
	#[arg(long)]
	pub rate: Option<f64>,
	/// Stop submitting after this many seconds.
	#[arg(long)]
	pub duration_secs: Option<u64>,
	/// Batches each locator keeps in the pool at once (1: wait for each to land).
	#[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=16))]
	pub in_flight: u32,
	/// Characters of the cell prefix each batch covers (as `locator submit --prefix-len`; at
	/// least the region's). A coarser prefix makes fewer, larger batches.
	#[arg(long, default_value_t = 5)]
	pub prefix_len: usize,
	/// How the locators observe the population (as `epichain simulate --mix`). The chain sees
	/// stays either way; `dense` holds every person's 30-second fixes in memory first.
	#[arg(long, value_enum, default_value_t = Mix::Mixed)]
	pub mix: Mix,
}

/// One accepted batch.
#[derive(Clone, Copy, Debug)]
struct Landed {
	submitted: Instant,
	block: u64,
	stays: usize,
}

/// The secret URI of load locator `i`.
pub fn locator_suri(i: u32) -> String {
	format!("//epichain-load//{i}")
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
	if sorted.is_empty() {
		return 0.0;
	}
	let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
	sorted[rank.min(sorted.len() - 1)]
}

/// Runs `load`: registers the locators, plans their shares of a synthetic population, submits
/// them while following finality, and reports what the region sustained.
pub async fn run(chain: &Connection, args: LoadArgs, json_mode: bool) -> Result<()> {
	let bounds = batches::bounds(chain)?;
	if args.days > bounds.max_age_days + 1 {
		return Err(anyhow!(
			"--days {}: the chain takes batches dated up to {} days back (Csi::MaxBatchAgeDays), \
			 so at most {} days can be written",
			args.days,
			bounds.max_age_days,
			bounds.max_age_days + 1
		));
	}
	let signers = load_locators(chain, &args).await?;
	let today = chain.today().await?;
	let key = submit::matcher_key(chain).await?;
	let planned = Arc::new(AtomicUsize::new(0));
	let (senders, queues): (Vec<_>, Vec<_>) =
		(0..args.locators).map(|_| mpsc::channel::<Plan>(QUEUED_PLANS)).unzip();
	let producer = {
		let (args, planned) = (args.clone(), planned.clone());
		tokio::task::spawn_blocking(move || {
			plan_population(&args, today, bounds, &senders, &planned)
		})
	};

	let finality = Finality::follow(chain).await?;
	let start = Instant::now();
	let run = Run {
		stop_at: args.duration_secs.map(|s| start + Duration::from_secs(s)),
		per_locator_rate: args.rate.map(|r| r / args.locators as f64),
		in_flight: args.in_flight as usize,
		bounds,
		key,
		landed: Arc::default(),
		summary: Arc::default(),
	};
	let tasks = signers
		.into_iter()
		.zip(queues)
		.map(|(signer, plans)| tokio::spawn(run.clone().locator(chain.clone(), signer, plans)))
		.collect();
	run.report_progress(futures_join(tasks), start, json_mode).await;
	producer.await.map_err(|e| anyhow!("planning the population: {e}"))??;
	let total_stays = planned.load(Ordering::Relaxed);

	let landed = run.landed.lock().expect("not poisoned").clone();
	let last_block = landed.iter().map(|l| l.block).max().unwrap_or(0);
	let finalized = finality.until(last_block, Duration::from_secs(120)).await?;
	let summary = run.summary.lock().expect("not poisoned").clone();
	let report = measure(chain, &args, total_stays, start, &landed, &finalized, &summary).await?;
	emit(json_mode, &report, || text_report(&report));
	Ok(())
}

/// The load's locators, registered (as app gateways writing everywhere) by the authority where
/// the chain does not know them yet.
async fn load_locators(chain: &Connection, args: &LoadArgs) -> Result<Vec<Keypair>> {
	let authority = connection::keypair(&args.authority)?;
	let mut signers = Vec::new();
	for i in 0..args.locators {
		let signer = connection::keypair(&locator_suri(i))?;
		let account = signer.public_key().to_account_id();
		if submit::locator_region(chain, &account).await.is_err() {
			let call = runtime::Call::Csi(
				runtime::runtime_types::pallet_csi::pallet::Call::register_locator {
					locator: account,
					kind: runtime::runtime_types::pallet_csi::types::LocatorKind::AppGateway,
					region: runtime::runtime_types::bounded_collections::bounded_vec::BoundedVec(
						Vec::new(),
					),
					metadata_hash: subxt::utils::H256([0; 32]),
				},
			);
			chain.sudo(&authority, call, Wait::InBlock).await?;
		}
		signers.push(signer);
	}
	Ok(signers)
}

/// Plans a locator may have waiting in its queue: enough to keep `--in-flight` batches in the
/// pool while the next chunk is made, few enough to bound memory.
const QUEUED_PLANS: usize = 64;

/// The seed of chunk `chunk` of a population seeded `seed` (chunk 0's is `seed` itself, so a
/// population of one chunk is the one `epichain simulate` makes from that seed).
fn chunk_seed(seed: u64, chunk: u32) -> u64 {
	seed.wrapping_add(u64::from(chunk).wrapping_mul(0x9e37_79b9_7f4a_7c15))
}

/// Makes the population `--chunk` people at a time, for each day from the oldest to `today`,
/// and hands each locator its batches: locator `i` observes the people whose number in their
/// chunk is `i` modulo the locator count. Stops early when every locator has stopped taking
/// batches (`--duration-secs`). Adds the stays planned to `planned`.
fn plan_population(
	args: &LoadArgs,
	today: DayIndex,
	bounds: Bounds,
	queues: &[mpsc::Sender<Plan>],
	planned: &AtomicUsize,
) -> Result<()> {
	let rules = crate::stays::MergeRules::default();
	for day in (today + 1 - args.days)..=today {
		for (chunk, first) in (0..args.people).step_by(args.chunk as usize).enumerate() {
			let people = args.chunk.min(args.people - first);
			let population = Population::generate(Spec {
				seed: chunk_seed(args.seed, chunk as u32),
				region: args.region.clone(),
				people,
				days: 1,
				last_day: day,
				venues: (people / 25).max(1),
				close_meetings: 0,
				brief_meetings: 0,
				far_meetings: 0,
				mix: args.mix,
			})?;
			let mut shares: Vec<_> = (0..args.locators)
				.map(|i| {
					let stays = population
						.trajectory_of(|person| person % args.locators == i)
						.stays(&rules);
					batches::plan(&stays, b"", today, args.prefix_len, bounds).0.into_iter()
				})
				.collect();
			drop(population);
			// Round robin, so that every locator has batches while the others' queues are full.
			loop {
				let mut sent = false;
				for (share, queue) in shares.iter_mut().zip(queues) {
					let Some(plan) = share.next() else { continue };
					let stays = plan.stays();
					if queue.blocking_send(plan).is_ok() {
						planned.fetch_add(stays, Ordering::Relaxed);
						sent = true;
					}
				}
				if !sent {
					break;
				}
			}
			if queues.iter().all(mpsc::Sender::is_closed) {
				return Ok(());
			}
		}
	}
	Ok(())
}

/// When each finalized block was first seen.
struct Finality {
	seen: Arc<Mutex<BTreeMap<u64, Instant>>>,
	follower: tokio::task::JoinHandle<()>,
}

impl Finality {
	/// Starts following finalized blocks.
	async fn follow(chain: &Connection) -> Result<Self> {
		let seen: Arc<Mutex<BTreeMap<u64, Instant>>> = Arc::default();
		let mut blocks = chain.api.stream_blocks().await?;
		let follower = {
			let seen = seen.clone();
			tokio::spawn(async move {
				while let Some(Ok(block)) = blocks.next().await {
					seen.lock().expect("not poisoned").insert(block.number(), Instant::now());
				}
			})
		};
		Ok(Self { seen, follower })
	}

	/// Waits until block `number` or a later one is finalized, then stops following and returns
	/// what was seen.
	async fn until(self, number: u64, patience: Duration) -> Result<BTreeMap<u64, Instant>> {
		let deadline = Instant::now() + patience;
		while self.seen.lock().expect("not poisoned").range(number..).next().is_none() {
			if Instant::now() > deadline {
				return Err(anyhow!(
					"block #{number} was not finalized within {} s",
					patience.as_secs()
				));
			}
			tokio::time::sleep(Duration::from_millis(200)).await;
		}
		self.follower.abort();
		let seen = self.seen.lock().expect("not poisoned").clone();
		Ok(seen)
	}
}

/// What every locator's task shares.
#[derive(Clone)]
struct Run {
	stop_at: Option<Instant>,
	per_locator_rate: Option<f64>,
	in_flight: usize,
	bounds: Bounds,
	key: MatcherKey,
	landed: Arc<Mutex<Vec<Landed>>>,
	summary: Arc<Mutex<Summary>>,
}

impl Run {
	/// One locator submitting its batches: up to `in_flight` in the pool at once, each holding
	/// its own pool slots (the pool admits no two of a locator's batches in one slot), paced to
	/// the rate when one is set.
	async fn locator(self, chain: Connection, signer: Keypair, mut plans: mpsc::Receiver<Plan>) {
		let slots = Arc::new(tokio::sync::Semaphore::new(self.in_flight));
		let pool_slots = Arc::new(batches::SlotBook::default());
		let begun = Instant::now();
		let mut sent_stays = 0usize;
		let mut in_pool = tokio::task::JoinSet::new();
		while let Some(plan) = plans.recv().await {
			if self.stop_at.is_some_and(|s| Instant::now() >= s) {
				break;
			}
			if let Some(rate) = self.per_locator_rate {
				let due = begun + Duration::from_secs_f64(sent_stays as f64 / rate);
				tokio::time::sleep_until(due.into()).await;
			}
			let Ok(slot) = slots.clone().acquire_owned().await else { break };
			let reserved = pool_slots
				.reserve(PoolSlots::needed(plan.stays() as u32, self.bounds.stays_per_batch))
				.await;
			sent_stays += plan.stays();
			let (run, chain, signer) = (self.clone(), chain.clone(), signer.clone());
			in_pool.spawn(async move {
				let submitted = Instant::now();
				let mut local = Summary::default();
				let result = submit::submit_plan(
					&chain,
					&plan,
					run.key,
					&signer,
					Wait::InBlock,
					5,
					Some(reserved.first()),
					&mut local,
				)
				.await;
				drop(reserved);
				drop(slot);
				run.summary.lock().expect("not poisoned").absorb(local);
				if let Ok(Some(block)) = result {
					run.landed.lock().expect("not poisoned").push(Landed {
						submitted,
						block,
						stays: plan.stays(),
					});
				}
			});
		}
		while in_pool.join_next().await.is_some() {}
	}

	/// Prints progress every 10 seconds (people's mode) until `all_done` completes.
	async fn report_progress(
		&self,
		all_done: impl std::future::Future<Output = ()>,
		start: Instant,
		json_mode: bool,
	) {
		tokio::pin!(all_done);
		loop {
			tokio::select! {
				_ = &mut all_done => break,
				_ = tokio::time::sleep(Duration::from_secs(10)) => {
					if !json_mode {
						let l = self.landed.lock().expect("not poisoned");
						let stays: usize = l.iter().map(|b| b.stays).sum();
						eprintln!(
							"[{:>4.0} s] {} batches, {} stays in blocks ({:.0} stays/s)",
							start.elapsed().as_secs_f64(), l.len(), stays,
							stays as f64 / start.elapsed().as_secs_f64()
						);
					}
				}
			}
		}
	}
}

/// The run's figures, as `--json` prints them.
async fn measure(
	chain: &Connection,
	args: &LoadArgs,
	total_stays: usize,
	start: Instant,
	landed: &[Landed],
	finalized: &BTreeMap<u64, Instant>,
	summary: &Summary,
) -> Result<Value> {
	let finality_of =
		|block: u64| finalized.range(block..).next().map(|(_, t)| *t).expect("waited for it");
	let mut latencies: Vec<f64> = landed
		.iter()
		.map(|l| finality_of(l.block).duration_since(l.submitted).as_secs_f64())
		.collect();
	latencies.sort_by(|a, b| a.total_cmp(b));
	let end = landed.iter().map(|l| finality_of(l.block)).max().unwrap_or(start);
	let elapsed = end.duration_since(start).as_secs_f64().max(1e-9);
	let stays: usize = landed.iter().map(|l| l.stays).sum();
	let mut per_block: BTreeMap<u64, usize> = BTreeMap::new();
	for l in landed {
		*per_block.entry(l.block).or_default() += 1;
	}
	let (weight, length) = fullness(chain, per_block.keys().copied()).await?;
	Ok(json!({
		"locators": args.locators,
		"inFlight": args.in_flight,
		"populationStays": total_stays,
		"finalizedStays": stays,
		"batches": landed.len(),
		"seconds": elapsed,
		"finalizedStaysPerSecond": stays as f64 / elapsed,
		"blocksWithBatches": per_block.len(),
		"batchesPerBlock": landed.len() as f64 / per_block.len().max(1) as f64,
		"blockFullnessWeight": weight,
		"blockFullnessLength": length,
		"latencySecs": {
			"p50": percentile(&latencies, 50.0),
			"p95": percentile(&latencies, 95.0),
			"p99": percentile(&latencies, 99.0),
		},
		"rejected": summary.rejected,
		"retries": summary.retries,
	}))
}

/// The figures as a table for people.
fn text_report(r: &Value) -> String {
	let f = |v: &Value| v.as_f64().unwrap_or(0.0);
	format!(
		"load: {} locators ({} batches in flight each), {} of {} stays finalized in {} batches\n\
		 finalized stays/s      {:>10.0}\n\
		 batches per block       {:>10.2} ({} blocks)\n\
		 block fullness, weight  {:>9.1} %\n\
		 block fullness, length  {:>9.1} %\n\
		 latency to finality p50 {:>9.1} s\n\
		 latency to finality p95 {:>9.1} s\n\
		 latency to finality p99 {:>9.1} s\n\
		 rejected {}, retries {}",
		r["locators"],
		r["inFlight"],
		r["finalizedStays"],
		r["populationStays"],
		r["batches"],
		f(&r["finalizedStaysPerSecond"]),
		f(&r["batchesPerBlock"]),
		r["blocksWithBatches"],
		f(&r["blockFullnessWeight"]) * 100.0,
		f(&r["blockFullnessLength"]) * 100.0,
		f(&r["latencySecs"]["p50"]),
		f(&r["latencySecs"]["p95"]),
		f(&r["latencySecs"]["p99"]),
		r["rejected"],
		r["retries"]
	)
}

async fn futures_join(tasks: Vec<tokio::task::JoinHandle<()>>) {
	for t in tasks {
		let _ = t.await;
	}
}

/// Mean fullness of `blocks` by normal-class weight (ref time) and by encoded length.
async fn fullness(chain: &Connection, blocks: impl Iterator<Item = u64>) -> Result<(f64, f64)> {
	let (mut weight, mut length, mut n) = (0.0, 0.0, 0usize);
	let max_length = block_length(chain)? as f64;
	let limits: runtime::runtime_types::frame_system::limits::BlockWeights =
		chain.constant("System", "BlockWeights")?;
	let max_ref_time = limits.max_block.ref_time as f64;
	for number in blocks {
		let at = chain.api.at_block(number).await?;
		let used =
			at.storage().fetch(runtime::storage().system().block_weight(), ()).await?.decode()?;
		weight += (used.normal.ref_time + used.operational.ref_time + used.mandatory.ref_time)
			as f64 / max_ref_time;
		let extrinsics = at.extrinsics().fetch().await?;
		let bytes: usize = extrinsics.iter().filter_map(|e| e.ok()).map(|e| e.bytes().len()).sum();
		length += bytes as f64 / max_length;
		n += 1;
	}
	Ok(if n == 0 { (0.0, 0.0) } else { (weight / n as f64, length / n as f64) })
}

/// The chain's block length limit (`System::BlockLength`, the largest of its classes' limits),
/// from its metadata.
pub fn block_length(chain: &Connection) -> Result<u32> {
	let limits: runtime::runtime_types::frame_system::limits::BlockLength =
		chain.constant("System", "BlockLength")?;
	Ok(limits.max.normal.max(limits.max.operational).max(limits.max.mandatory))
}

#[cfg(test)]
mod tests {
	use super::*;
	use clap::Parser;
	use std::collections::BTreeSet;

	#[derive(Parser)]
	struct Line {
		#[command(flatten)]
		load: LoadArgs,
	}

	/// `epichain load`'s options as a command line gives them.
	fn options(line: &[&str]) -> LoadArgs {
		Line::parse_from(std::iter::once("load").chain(line.iter().copied())).load
	}

	const TODAY: DayIndex = 20_000;
	const BOUNDS: Bounds =
		Bounds { max_entries: 16, max_stays_per_entry: 32, stays_per_batch: 64, max_age_days: 2 };

	/// Runs the planner into queues of `capacity` plans, drained by one thread per locator; what
	/// each locator received, and the stays the planner counted.
	fn planned_into_queues(load: &LoadArgs, capacity: usize) -> (Vec<Vec<Plan>>, usize) {
		let (senders, receivers): (Vec<_>, Vec<_>) =
			(0..load.locators).map(|_| mpsc::channel::<Plan>(capacity)).unzip();
		let readers: Vec<_> = receivers
			.into_iter()
			.map(|mut queue| {
				std::thread::spawn(move || {
					let mut got = Vec::new();
					while let Some(plan) = queue.blocking_recv() {
						got.push(plan);
					}
					got
				})
			})
			.collect();
		let planned = AtomicUsize::new(0);
		plan_population(load, TODAY, BOUNDS, &senders, &planned).expect("a population");
		drop(senders);
		(readers.into_iter().map(|r| r.join().expect("reader")).collect(), planned.into_inner())
	}

	/// The owners of `day` in `plans`.
	fn owners(plans: &[Vec<Plan>], day: DayIndex) -> BTreeSet<[u8; 32]> {
		plans
			.iter()
			.flatten()
			.filter(|p| p.group.day == day)
			.flat_map(|p| p.entries.iter().map(|e| e.owner))
			.collect()
	}

	#[test]
	fn a_population_made_in_chunks_reaches_the_locators_whole_through_queues_of_one_plan() {
		let load = options(&["--people", "50", "--chunk", "20", "--days", "2", "--locators", "3"]);
		let (chunked, planned) = planned_into_queues(&load, 1);
		// Nothing is lost between the planner and the locators, and each has its share.
		assert_eq!(chunked.iter().flatten().map(Plan::stays).sum::<usize>(), planned);
		assert!(chunked.iter().all(|share| !share.is_empty()));
		// Every day holds the people of all three chunks (20, 20 and 10), each chunk its own
		// people: as many owners as the same 50 made in one chunk.
		let whole = options(&["--people", "50", "--chunk", "50", "--days", "2", "--locators", "3"]);
		let (at_once, _) = planned_into_queues(&whole, 1);
		for day in [TODAY - 1, TODAY] {
			let (chunks, one) = (owners(&chunked, day), owners(&at_once, day));
			assert!(!one.is_empty());
			assert_eq!(chunks.len(), one.len(), "day {day}");
		}
		// Nothing outside the two days.
		assert!(chunked.iter().flatten().all(|p| p.group.day + 1 >= TODAY));
	}

	#[test]
	fn the_first_chunk_keeps_the_seed_and_each_later_chunk_has_its_own() {
		assert_eq!(chunk_seed(7, 0), 7);
		assert_ne!(chunk_seed(7, 1), chunk_seed(7, 2));
	}
}

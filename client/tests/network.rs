//! A region of four validators on zombienet (native provider): propagation, a crashed and a
//! wiped validator, the end-to-end case across the network with a privacy scan of everything
//! the chain holds, and two regions side by side.
//!
//! The networks are spawned by `zombienet/run.sh`; one runs at a time. Set
//! `EPICHAIN_SKIP_ZOMBIENET=1` to skip them. Populations are synthetic (`epichain simulate`).

mod support;

use std::{
	collections::{BTreeMap, BTreeSet},
	fs::File,
	path::Path,
	process::{Child, Command, Stdio},
	time::Instant,
};

use epichain_client::{
	connection::{self, Connection},
	keys, runtime,
};
use epichain_primitives::{geohash::Geohash, pseudonym::fingerprint};
use serde_json::{json, Value};
use support::{
	allowed_notifications, check_notifications, eventually, free_port, scratch, seed_file, sibling,
	zombienet::{self, Network},
	Cli, Processes,
};

const VALIDATORS: [&str; 4] = ["alice", "bob", "charlie", "dave"];

/// A local region: four validators that all run the off-chain worker against one matcher.
struct TestRegion {
	network: Network,
	_matcher: Processes,
	cli: Cli,
}

impl TestRegion {
	fn start(label: &str, dir: &Path) -> TestRegion {
		TestRegion::start_on(label, "local", dir)
	}

	/// A region on chain `chain` (an id, or a plain spec's path; see [`Network::spawn`]).
	fn start_on(label: &str, chain: &str, dir: &Path) -> TestRegion {
		let (region, ..) = TestRegion::start_with_replicas(label, chain, dir, 1);
		region
	}

	/// [`TestRegion::start_on`] with `replicas` matcher replicas: the first registers itself
	/// (through alice), each other is provisioned from it by attestation (`--provision-from`,
	/// reading the chain through bob); every validator is given every replica's URL. The
	/// replicas' URLs, and the processes of all but the first (the region's own).
	fn start_with_replicas(
		label: &str,
		chain: &str,
		dir: &Path,
		replicas: usize,
	) -> (TestRegion, Vec<String>, Vec<Child>) {
		let urls: Vec<String> =
			(0..replicas).map(|_| format!("http://127.0.0.1:{}", free_port())).collect();
		let args = vec![
			"--offchain-worker=always".to_string(),
			format!("--matcher-url={}", urls.join(",")),
			"-lruntime=info,notifications::relay=debug".to_string(),
		];
		let network = Network::spawn(label, chain, &VALIDATORS, &args);
		let mut children = Vec::new();
		for (i, url) in urls.iter().enumerate() {
			let name = if i == 0 { "matcher".to_string() } else { format!("matcher-{}", i + 1) };
			let log = File::create(network.dir.join(format!("{name}.log"))).unwrap();
			let mut command = Command::new(sibling("epichain-matcher"));
			command.args(["--enclave", "simulation"]);
			if i == 0 {
				command.args(["--authority-suri", "//Alice", "--chain-rpc"]);
				command.arg(&network.node("alice").http);
			} else {
				command.args(["--provision-from", &urls[0], "--chain-rpc"]);
				command.arg(&network.node("bob").http);
			}
			let matcher = command
				// The raw spec zombienet made and started the network from: what the matcher
				// trusts.
				.arg("--chain-spec")
				.arg(network.dir.join("local-raw.json"))
				.arg("--base-path")
				.arg(network.dir.join(&name))
				.arg("--listen")
				.arg(url.trim_start_matches("http://"))
				.stdout(log.try_clone().unwrap())
				.stderr(log)
				.stdin(Stdio::null())
				.spawn()
				.expect("the matcher starts");
			children.push(matcher);
		}
		let cli = Cli { url: network.node("alice").ws.clone(), dir: dir.to_path_buf() };
		let first = children.remove(0);
		(TestRegion { network, _matcher: Processes(vec![first]), cli }, urls, children)
	}

	/// Stops the matcher: no more results, so the chain's state changes only by what the test
	/// does.
	fn stop_matcher(&mut self) {
		self._matcher = Processes::default();
	}

	/// The command line against node `name`.
	fn at(&self, name: &str) -> Cli {
		self.cli.at(&self.network.node(name).ws)
	}

	/// Eve (the local chain's gateway) submits `csv` through node `name`, retrying until the
	/// matcher has registered its sealing key; the summary.
	fn submit(&self, name: &str, csv: &str) -> Value {
		let cli = self.at(name);
		let summary = eventually("the matcher's registration and the submission", 240, || {
			let out = cli.run(&["--json", "locator", "submit", "--suri", "//Eve", csv]);
			out.status.success().then(|| serde_json::from_slice::<Value>(&out.stdout).unwrap())
		});
		assert_eq!(summary["staysStored"], summary["staysPlanned"], "{summary}");
		summary
	}

	/// Node `name`'s CSI batches of `day` at block `at`.
	fn batches(&self, name: &str, day: u64, at: &str) -> Value {
		self.network
			.rpc(name, "csi_batchesOfDay", vec![day.into(), Value::Null, 1000.into(), at.into()])
			.unwrap()
	}

	/// Stays of `day` stored as of node `name`'s finalized head.
	fn finalized_stays(&self, name: &str, day: u64) -> u64 {
		let Some((_, head)) = self.network.finalized(name) else { return 0 };
		let stats = self.network.rpc(name, "csi_dayStats", vec![day.into(), head.into()]);
		stats.ok().and_then(|s| s["stays"].as_u64()).unwrap_or(0)
	}
}

/// The rows of a simulated population's `trajectories.csv`: (pseudonym, start, geohash).
fn rows(dir: &Path) -> Vec<(String, u64, String)> {
	std::fs::read_to_string(dir.join("pop/trajectories.csv"))
		.unwrap()
		.lines()
		.skip(1)
		.map(|l| {
			let f: Vec<&str> = l.split(',').collect();
			(f[0].to_string(), f[1].parse().unwrap(), f[3].to_string())
		})
		.collect()
}

/// Splits the population's rows into two CSV files by row parity; their names.
fn split_population(dir: &Path) -> (String, String) {
	let text = std::fs::read_to_string(dir.join("pop/trajectories.csv")).unwrap();
	let mut lines = text.lines();
	let header = lines.next().unwrap();
	let (mut a, mut b) = (vec![header], vec![header]);
	for (i, l) in lines.enumerate() {
		if i % 2 == 0 {
			a.push(l)
		} else {
			b.push(l)
		}
	}
	std::fs::write(dir.join("part-1.csv"), a.join("\n") + "\n").unwrap();
	std::fs::write(dir.join("part-2.csv"), b.join("\n") + "\n").unwrap();
	("part-1.csv".into(), "part-2.csv".into())
}

#[test]
fn a_region_survives_a_crashed_and_a_wiped_validator() {
	let _machine = zombienet::exclusive();
	if !zombienet::enabled() {
		return;
	}
	let dir = scratch("network-faults");
	let mut region = TestRegion::start("faults", &dir);
	region.cli.ok(&["simulate", "--out", "pop", "--people", "60", "--seed", "11"]);
	let day = rows(&dir)[0].1 / 86_400;
	let (first, second) = split_population(&dir);

	// Propagation: a batch written through bob's RPC is finalized and readable through every
	// node's runtime API.
	let one = region.submit("bob", &first);
	let stored = one["staysStored"].as_u64().unwrap();
	for name in VALIDATORS {
		eventually(&format!("{name} to finalize the batches"), 120, || {
			(region.finalized_stays(name, day) == stored).then_some(())
		});
	}
	let (_, head) = region.network.finalized("alice").unwrap();
	let reference = region.batches("alice", day, &head);
	assert_eq!(reference.as_array().unwrap().len() as u64, one["batches"].as_u64().unwrap());
	for name in VALIDATORS {
		assert_eq!(region.batches(name, day, &head), reference, "{name} reads the same batches");
	}

	// A validator crashes: blocks and finality go on with three of four GRANDPA voters, and
	// the region keeps taking batches.
	region.network.kill("dave");
	let (down_at, _) = region.network.finalized("alice").unwrap();
	for name in ["alice", "bob", "charlie"] {
		region.network.wait_finalized(name, down_at + 3, 180);
	}
	let two = region.submit("charlie", &second);
	let total = stored + two["staysStored"].as_u64().unwrap();
	eventually("alice to finalize the second half", 120, || {
		(region.finalized_stays("alice", day) == total).then_some(())
	});

	// It comes back and catches up to the finalized head, with every batch.
	let (target, target_hash) = region.network.finalized("alice").unwrap();
	region.network.restart("dave");
	region.network.wait_finalized("dave", target, 300);
	assert_eq!(region.network.hash_at("dave", target), Some(target_hash.clone()));
	let all = region.batches("alice", day, &target_hash);
	assert_eq!(
		all.as_array().unwrap().len() as u64,
		one["batches"].as_u64().unwrap() + two["batches"].as_u64().unwrap()
	);
	assert_eq!(region.batches("dave", day, &target_hash), all, "no batch lost on dave");

	// A validator loses its database: it resyncs from its peers.
	region.network.kill("charlie");
	region.network.wipe_database("charlie");
	region.network.restart("charlie");
	let (target, target_hash) = region.network.finalized("alice").unwrap();
	region.network.wait_finalized("charlie", target, 300);
	assert_eq!(region.network.hash_at("charlie", target), Some(target_hash.clone()));
	assert_eq!(region.batches("charlie", day, &target_hash), all, "charlie resynced every batch");
	// And the region still finalizes new blocks with all four.
	for name in VALIDATORS {
		region.network.wait_finalized(name, target + 2, 180);
	}
	for name in VALIDATORS {
		assert!(!region.network.log(name).contains("panicked"), "{name} panicked");
	}
	std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_endorsement_notifies_on_every_node_and_the_chain_holds_no_plaintext() {
	let _machine = zombienet::exclusive();
	if !zombienet::enabled() {
		return;
	}
	let dir = scratch("network-e2e");
	let region = TestRegion::start("e2e", &dir);
	let cli = &region.cli;
	// The planted meeting's place, registered at venue precision, becomes Infected.
	let scenario = cli.scenario(40, 3, "mixed");
	let (truth, case, venue) = (&scenario.truth, scenario.case, scenario.venue.clone());
	cli.ok(&["authority", "register-location", &venue, "--material", "plastic"]);

	// The population is written through bob; the case is endorsed through charlie.
	region.submit("bob", "pop/trajectories.csv");
	cli.consent(case, "consent.json");
	let endorsed_at = Instant::now();
	let charlie = region.at("charlie");
	charlie.ok(&["diagnostician", "endorse", "--suri", "//Ferdie", "--consent", "consent.json"]);

	// Every person's notification is what the ground truth allows, the same through every
	// node; the planted meeting's partner is High.
	let allowed = allowed_notifications(truth, case, &venue, 72 * 3_600);
	let partner = scenario.partner;
	let mut notified_in = None;
	let mut first_levels = None;
	for name in VALIDATORS {
		let node = region.at(name);
		eventually(&format!("the partner's notification on {name}"), 240, || {
			let n =
				node.ok(&["user", "notifications", "--seed", &seed_file(partner), "--days", "3"]);
			(n["mine"].as_array().unwrap().len() == 1).then_some(())
		});
		notified_in.get_or_insert(endorsed_at.elapsed().as_secs_f64());
		let levels = check_notifications(&node, &allowed);
		assert_eq!(levels[&partner], "high");
		assert_eq!(first_levels.get_or_insert_with(|| levels.clone()), &levels, "{name}");
		let infected = node.ok(&["user", "infected", &venue[..5]]);
		assert_eq!(infected["cells"], json!([venue]), "{name}: {infected}");
	}
	eprintln!(
		"endorsement to the partner's notification on the first node: {:.1} s",
		notified_in.unwrap()
	);
	let exposed: BTreeSet<u64> = first_levels
		.unwrap()
		.into_iter()
		.filter(|(_, level)| level != "none")
		.map(|(person, _)| person)
		.collect();

	// Exactly one matcher result was accepted, though every validator relays the job.
	// (Notifications are read at the best block; wait until the result is final too.)
	let alice = region.network.node("alice").ws.clone();
	let accepted = eventually("the accepted result to be finalized", 120, || {
		let (head, _) = region.network.finalized("alice")?;
		let accepted = accepted_results(&alice, head);
		(!accepted.is_empty()).then_some(accepted)
	});
	assert!(matches!(accepted[..], [(0, _)]), "one accepted result for case 0: {accepted:?}");
	// Every validator's worker asked the matcher about the case; the relays that lost the
	// race were refused by their pools ("Pool": the `(case, round, part)` tag is taken). The
	// round fits one result: its only part.
	let relayed = format!("case 0: round {} part 1/1 relayed", accepted[0].1);
	let mut outcomes = BTreeMap::new();
	for name in VALIDATORS {
		let log = region.network.log(name);
		assert!(log.contains("notifications::relay: case 0: "), "{name}'s worker never relayed");
		let outcome = if log.contains(&relayed) {
			"in its pool, relayed"
		} else if log.contains("case 0: Pool") {
			"refused by its pool"
		} else {
			"not relayed (result already on chain)"
		};
		outcomes.insert(name, outcome);
	}
	assert!(outcomes.values().any(|o| o.starts_with("in its pool")), "{outcomes:?}");
	eprintln!("round {}: {outcomes:?}", accepted[0].1);

	// The privacy scan: nothing of the population's plaintext anywhere on chain or in a log.
	let mut scan = PrivacyScan::new(&dir, &region, case, &exposed, &venue);
	scan.run(&region);
	std::fs::remove_dir_all(&dir).unwrap();
}

/// Each person's notification level for case `case` on `cli`'s node (`none` without one),
/// checked against `allowed`.
fn check_case_notifications(
	cli: &Cli,
	case: u64,
	allowed: &BTreeMap<u64, BTreeSet<&'static str>>,
) -> BTreeMap<u64, String> {
	let mut got = BTreeMap::new();
	for (person, levels) in allowed {
		let n = cli.ok(&["user", "notifications", "--seed", &seed_file(*person), "--days", "3"]);
		let of_case: Vec<&Value> =
			n["mine"].as_array().unwrap().iter().filter(|m| m["case"] == case).collect();
		assert!(of_case.len() <= 1, "person {person}: one notification of case {case}: {n}");
		let level =
			of_case.first().map_or("none".to_string(), |m| m["risk"].as_str().unwrap().into());
		assert!(
			levels.contains(level.as_str()),
			"person {person}, case {case}: {level}, truth allows {levels:?}"
		);
		got.insert(*person, level);
	}
	got
}

/// The venue (7-character cell) of `person`'s planted table meeting in `truth`.
fn table_venue(truth: &Value, person: u64) -> String {
	let table = truth["presences"]
		.as_array()
		.unwrap()
		.iter()
		.find(|p| p["person"] == person && support::place_of(truth, p)["kind"] == "table")
		.expect("the planted meeting");
	support::place_of(truth, table)["cell"].as_str().unwrap()[..7].to_string()
}

/// Endorses `person` (lab case `case_id`) through charlie and waits for `partner`'s
/// notification of chain case `case`; the blocks from the endorsement to it, on alice.
fn endorse_and_time(
	region: &TestRegion,
	person: u64,
	case_id: &str,
	partner: u64,
	case: u64,
) -> u64 {
	let cli = &region.cli;
	let consent = format!("consent-{case_id}.json");
	cli.consent_for(person, case_id, &consent);
	let from = region.network.best("alice").unwrap();
	region.at("charlie").ok(&[
		"diagnostician",
		"endorse",
		"--suri",
		"//Ferdie",
		"--consent",
		&consent,
	]);
	let alice = region.at("alice");
	eventually(&format!("case {case}'s partner's notification"), 240, || {
		let n = alice.ok(&["user", "notifications", "--seed", &seed_file(partner), "--days", "3"]);
		n["mine"].as_array().unwrap().iter().any(|m| m["case"] == case).then_some(())
	});
	region.network.best("alice").unwrap() - from
}

/// Two matcher replicas on the 4-validator region, every validator given both URLs; the second
/// was provisioned by attestation from the first and reads the chain through another node. A
/// first case is judged with both up: the undisturbed time. The first replica is then killed
/// mid-scenario; the second case's notifications arrive through the second replica within 2
/// blocks of the undisturbed time, and every notification of both cases is what the
/// simulation's truth allows.
#[test]
fn a_region_loses_one_of_two_matcher_replicas_and_every_notification_still_arrives() {
	let _machine = zombienet::exclusive();
	if !zombienet::enabled() {
		return;
	}
	let dir = scratch("network-replicas");
	let (mut region, urls, others) = TestRegion::start_with_replicas("replicas", "local", &dir, 2);
	let _replicas = Processes(others);
	let scenario = region.cli.scenario(40, 3, "mixed");
	let (truth, venue) = (&scenario.truth, scenario.venue.clone());
	// The second planted close meeting is the second case's.
	let second = &truth["meetings"][1];
	assert_eq!(second["kind"], "close");
	let (case_b, partner_b) =
		(second["people"][0].as_u64().unwrap(), second["people"][1].as_u64().unwrap());
	region.cli.ok(&["authority", "register-location", &venue, "--material", "plastic"]);
	region.submit("bob", "pop/trajectories.csv");

	// Both replicas hold the day before anything is endorsed.
	let stays = |url: &str| -> Option<u64> {
		let s: Value =
			serde_json::from_str(&support::http_get(&format!("{url}/v1/statistics"))?).ok()?;
		s["stays"].as_u64()
	};
	eventually("both replicas to hold the day", 240, || {
		let (first, second) = (stays(&urls[0])?, stays(&urls[1])?);
		(first > 0 && first == second).then_some(())
	});

	let undisturbed = endorse_and_time(&region, scenario.case, "c-1", scenario.partner, 0);
	region.stop_matcher();
	let failed_over = endorse_and_time(&region, case_b, "c-2", partner_b, 1);
	eprintln!(
		"endorsement to the partner's notification: {undisturbed} blocks with both replicas, \
		 {failed_over} with the first killed"
	);
	assert!(
		failed_over <= undisturbed + 2,
		"failover took {failed_over} blocks; undisturbed {undisturbed}"
	);
	let cli = region.at("dave");
	let allowed_a = allowed_notifications(truth, scenario.case, &venue, 72 * 3_600);
	let levels_a = check_case_notifications(&cli, 0, &allowed_a);
	assert_eq!(levels_a[&scenario.partner], "high");
	let allowed_b = allowed_notifications(truth, case_b, &table_venue(truth, case_b), 72 * 3_600);
	let levels_b = check_case_notifications(&cli, 1, &allowed_b);
	assert_eq!(levels_b[&partner_b], "high");
	let failovers = VALIDATORS
		.iter()
		.filter(|name| region.network.log(name).contains("failed over to matcher 2 of 2"))
		.count();
	assert!(failovers > 0, "no validator's worker failed over");
	std::fs::remove_dir_all(&dir).unwrap();
}

/// `(case, round)` of every `Notifications::ResultAccepted` event in blocks 1..=`head`.
fn accepted_results(url: &str, head: u64) -> Vec<(u64, u32)> {
	let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
	rt.block_on(async {
		let region = Connection::connect(url).await.unwrap();
		let mut found = Vec::new();
		for number in 1..=head {
			let at = region.api.at_block(number).await.unwrap();
			let events = at.events().fetch().await.unwrap();
			for e in events.find::<runtime::notifications::events::ResultAccepted>() {
				let e = e.unwrap();
				found.push((e.case, e.round));
			}
		}
		found
	})
}

/// What must never appear on chain or in a log, and what is public by design.
struct PrivacyScan {
	/// Needles by length: bytes → what they are.
	needles: BTreeMap<usize, std::collections::HashMap<Vec<u8>, String>>,
	/// The fixes' times (unix seconds); they become needles in [`PrivacyScan::run`], once the
	/// chain's own clock readings are known.
	times: BTreeSet<u64>,
	/// Public by design, by kind: the scan must see at least one of each (a check that it
	/// reads what it should).
	expected: BTreeMap<&'static str, Vec<Vec<u8>>>,
}

impl PrivacyScan {
	fn new(
		dir: &Path,
		region: &TestRegion,
		case: u64,
		exposed: &BTreeSet<u64>,
		venue: &str,
	) -> PrivacyScan {
		let mut scan = PrivacyScan {
			needles: BTreeMap::new(),
			times: BTreeSet::new(),
			expected: BTreeMap::new(),
		};
		// Cells the chain publishes by design: registered locations and Infected cells.
		let infected = region.cli.ok(&["user", "infected", ""]);
		let mut public_cells: Vec<String> = infected["cells"]
			.as_array()
			.unwrap()
			.iter()
			.map(|c| c.as_str().unwrap().to_string())
			.collect();
		public_cells.push(venue.to_string());
		let fixes = rows(dir);
		for (_, time, cell) in &fixes {
			for precision in 6..=cell.len() {
				let prefix = &cell[..precision];
				if !public_cells.iter().any(|p| p.starts_with(prefix)) {
					scan.needle(prefix.as_bytes(), format!("geohash {prefix}"));
				}
			}
			let bits = Geohash::parse(cell.as_bytes()).unwrap().to_bits();
			scan.needle(&bits.to_be_bytes()[2..], format!("packed geohash {cell}"));
			// The head of the stay's wire form: its 45 geohash bits and 3 bits of its start.
			let head = (bits << 3) | ((time % 86_400) >> 14);
			scan.needle(&head.to_be_bytes()[2..], format!("packed stay {cell}"));
			scan.times.insert(*time);
		}
		// People: every day's pseudonym and fingerprint, except the endorsed case's (its
		// consent publishes them) and the exposed users' fingerprints (notifications are
		// addressed to them).
		let days: BTreeSet<u32> = fixes.iter().map(|f| (f.1 / 86_400) as u32).collect();
		for entry in std::fs::read_dir(dir.join("pop/seeds")).unwrap() {
			let path = entry.unwrap().path();
			let person: u64 = path.file_stem().unwrap().to_str().unwrap()[7..].parse().unwrap();
			let device = keys::read_seed_file(&path).unwrap();
			for day in &days {
				let p = device.pseudonym(*day);
				let f = fingerprint(&p);
				if person == case {
					scan.expect("the endorsed case's pseudonym", &p);
				} else {
					scan.needle(&p, format!("person {person}'s pseudonym, day {day}"));
					scan.needle(
						hex::encode(p).as_bytes(),
						format!("person {person}'s pseudonym (hex), day {day}"),
					);
				}
				if exposed.contains(&person) {
					scan.expect("an exposed user's fingerprint", &f);
				} else if person != case {
					scan.needle(&f, format!("person {person}'s fingerprint, day {day}"));
					scan.needle(
						hex::encode(f).as_bytes(),
						format!("person {person}'s fingerprint (hex), day {day}"),
					);
				}
			}
		}
		for cell in &public_cells {
			scan.expect("an Infected or registered cell", cell.as_bytes());
		}
		scan
	}

	fn expect(&mut self, kind: &'static str, bytes: &[u8]) {
		self.expected.entry(kind).or_default().push(bytes.to_vec());
	}

	fn needle(&mut self, bytes: &[u8], what: String) {
		self.needles.entry(bytes.len()).or_default().insert(bytes.to_vec(), what);
	}

	/// The needles found in `haystack`.
	fn hits(&self, haystack: &[u8]) -> Vec<String> {
		let mut hits = Vec::new();
		for (len, set) in &self.needles {
			if haystack.len() < *len {
				continue;
			}
			for window in haystack.windows(*len) {
				if let Some(what) = set.get(window) {
					hits.push(what.clone());
				}
			}
		}
		hits
	}

	fn run(&mut self, region: &TestRegion) {
		let network = &region.network;
		let (head, head_hash) = network.finalized("alice").unwrap();
		// The chain's clock is public: a block's time in seconds (registrations and location
		// histories store it) is no fix's time even when the population's day holds the same
		// second, so those seconds are not needles.
		let now_key = prefix("Timestamp", Some("Now"));
		let mut clock = BTreeSet::new();
		for number in 1..=head {
			let hash = network.hash_at("alice", number).unwrap();
			let now =
				network.rpc("alice", "state_getStorage", vec![now_key.clone().into(), hash.into()]);
			let millis = u64::from_le_bytes(unhex(&now.unwrap())[..8].try_into().unwrap());
			clock.insert(millis / 1_000);
		}
		// The run directory is named after the spawn time in milliseconds, and every node logs
		// its base path: that second is the test harness's, not a fix's.
		let spawned = network.dir.file_name().and_then(|n| n.to_str()).and_then(|n| {
			n.rsplit('-').next().and_then(|ms| ms.parse::<u64>().ok()).map(|ms| ms / 1_000)
		});
		clock.extend(spawned);
		// The matcher registers itself valid from a minute before a chain clock reading
		// (`Matchers::register_matcher`'s `valid_from`, public by design).
		let starts: Vec<u64> = clock.iter().map(|c| c.saturating_sub(60)).collect();
		clock.extend(starts);
		for time in std::mem::take(&mut self.times) {
			if !clock.contains(&time) {
				self.needle(&time.to_le_bytes(), format!("time {time} (u64 LE)"));
				self.needle(time.to_string().as_bytes(), format!("time {time} (decimal)"));
			}
		}
		let mut places: Vec<(String, Vec<u8>)> = Vec::new();
		// Every storage key and value of the final state.
		let state = state_at(network, "alice", &head_hash);
		let keys_read = state.len();
		for (key, value) in &state {
			places.push((format!("storage key \"{key}\""), unhex_str(key)));
			places.push((format!("storage value at \"{key}\""), unhex_str(value)));
		}
		// Every extrinsic of every block.
		let mut extrinsics = 0;
		for number in 0..=head {
			let hash = network.hash_at("alice", number).unwrap();
			let block = network.rpc("alice", "chain_getBlock", vec![hash.into()]).unwrap();
			for (i, x) in block["block"]["extrinsics"].as_array().unwrap().iter().enumerate() {
				places.push((format!("extrinsic {number}-{i}"), unhex(x)));
				extrinsics += 1;
			}
		}
		// Every node's log and the matcher's.
		for name in VALIDATORS {
			places.push((format!("{name}'s log"), network.log(name).into_bytes()));
		}
		places.push((
			"the matcher's log".into(),
			std::fs::read(network.dir.join("matcher.log")).unwrap_or_default(),
		));

		let mut leaks = Vec::new();
		for (place, bytes) in &places {
			for hit in self.hits(bytes) {
				leaks.push(format!("{hit} in {place}"));
			}
		}
		let needles: usize = self.needles.values().map(|s| s.len()).sum();
		let bytes: usize = places.iter().map(|(_, b)| b.len()).sum();
		eprintln!(
			"privacy scan: {needles} needles over {keys_read} storage entries, {extrinsics} \
			 extrinsics of {} blocks and 5 logs ({bytes} bytes): {} hits",
			head + 1,
			leaks.len()
		);
		assert!(leaks.is_empty(), "plaintext leaked:\n{}", leaks.join("\n"));
		// The scan reads what it should: what is public by design is there to be found.
		let seen = |bytes: &Vec<u8>| {
			places.iter().any(|(_, hay)| hay.windows(bytes.len()).any(|w| w == &bytes[..]))
		};
		for (kind, candidates) in &self.expected {
			assert!(
				candidates.iter().any(seen),
				"the scan did not see {kind}, which the chain publishes by design"
			);
		}
	}
}

fn unhex(v: &Value) -> Vec<u8> {
	unhex_str(v.as_str().unwrap())
}

fn unhex_str(text: &str) -> Vec<u8> {
	hex::decode(text.trim_start_matches("0x")).unwrap()
}

#[test]
fn two_regions_run_side_by_side_and_refuse_each_others_transactions() {
	let _machine = zombienet::exclusive();
	if !zombienet::enabled() {
		return;
	}
	let args = vec!["--offchain-worker=never".to_string()];
	let tokyo = Network::spawn("tokyo", "tokyo", &["alice", "bob"], &args);
	let osaka = Network::spawn("osaka", "osaka", &["charlie", "dave"], &args);
	let chain = |n: &Network, name: &str| n.rpc(name, "system_chain", vec![]).unwrap();
	assert_ne!(chain(&tokyo, "alice"), chain(&osaka, "charlie"));
	let genesis = |n: &Network, name: &str| n.hash_at(name, 0).unwrap();
	assert_ne!(genesis(&tokyo, "alice"), genesis(&osaka, "charlie"));

	// A transaction signed for tokyo (its genesis hash is in the signed payload).
	let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
	let tx = rt.block_on(async {
		let region = Connection::connect(&tokyo.node("alice").ws).await.unwrap();
		let at = region.api.at_current_block().await.unwrap();
		let call = runtime::tx().system().remark(b"epichain two-regions test".to_vec());
		let params = subxt::config::DefaultExtrinsicParamsBuilder::<connection::Config>::new()
			.immortal()
			.nonce(0)
			.build();
		let mut signable = at.tx().create_signable_offline(&call, params).unwrap();
		let signer = connection::keypair("//Alice").unwrap();
		format!("0x{}", hex::encode(signable.sign(&signer).unwrap().encoded()))
	});
	// Osaka refuses it in the pool: the signature is over tokyo's genesis.
	let refused = osaka.rpc("charlie", "author_submitExtrinsic", vec![tx.clone().into()]);
	let error = refused.expect_err("osaka must refuse a tokyo transaction");
	assert!(error.contains("1010") && error.to_lowercase().contains("bad signature"), "{error}");
	// Tokyo checks the same signature and gets past it: Alice holds nothing on a regional
	// chain, so what stops it there is the fee, checked after the signature.
	let answer = tokyo.rpc("alice", "author_submitExtrinsic", vec![tx.into()]);
	let error = answer.expect_err("Alice cannot pay fees on tokyo");
	assert!(error.contains("Inability to pay"), "tokyo's refusal is about fees: {error}");
}

/// The finalized block number node `http` reports, over plain HTTP JSON-RPC (usable from a
/// watcher thread).
fn finalized_number(http: &str) -> Option<u64> {
	use std::io::{Read, Write};
	let call = |method: &str, params: Value| -> Option<Value> {
		let address = http.trim_start_matches("http://").trim_end_matches('/');
		let mut stream = std::net::TcpStream::connect(address).ok()?;
		stream.set_read_timeout(Some(std::time::Duration::from_secs(10))).ok()?;
		let body =
			json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).to_string();
		let request = format!(
			"POST / HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\n\
			 Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
			body.len()
		);
		stream.write_all(request.as_bytes()).ok()?;
		let mut response = String::new();
		stream.read_to_string(&mut response).ok()?;
		let (_, json) = response.split_once("\r\n\r\n")?;
		serde_json::from_str::<Value>(json).ok()?.get("result").cloned()
	};
	let hash = call("chain_getFinalizedHead", json!([]))?;
	let header = call("chain_getHeader", json!([hash]))?;
	u64::from_str_radix(header["number"].as_str()?.trim_start_matches("0x"), 16).ok()
}

/// The accounts of the session's current validators, as `epichain validator list` sees them.
fn session_validators(cli: &Cli) -> Vec<String> {
	let list = cli.ok(&["validator", "list"]);
	list["validators"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect()
}

/// The SS58 address of a development URI.
fn address_of(uri: &str) -> String {
	connection::keypair(uri).unwrap().public_key().to_account_id().to_string()
}

#[test]
fn a_fifth_validator_joins_one_leaves_and_finality_never_stops() {
	let _machine = zombienet::exclusive();
	if !zombienet::enabled() {
		return;
	}
	let dir = scratch("validators");
	let args = vec!["--offchain-worker=never".to_string()];
	let mut network = Network::spawn("validators", "local", &VALIDATORS, &args);
	let alice = Cli { url: network.node("alice").ws.clone(), dir: dir.clone() };
	// A matcher follows alice from the region's spec: it believes a block final only on a
	// justification of the authority set it has followed there, through every change below.
	let matcher_port = free_port();
	let matcher_log = network.dir.join("matcher.log");
	let log = File::create(&matcher_log).unwrap();
	let matcher = Command::new(sibling("epichain-matcher"))
		.args(["--enclave", "simulation", "--authority-suri", "//Alice", "--tmp"])
		.arg("--chain-spec")
		.arg(network.dir.join("local-raw.json"))
		.arg("--chain-rpc")
		.arg(&network.node("alice").http)
		.args(["--listen", &format!("127.0.0.1:{matcher_port}"), "--poll-millis", "300"])
		.stdin(Stdio::null())
		.stdout(log.try_clone().unwrap())
		.stderr(log)
		.spawn()
		.expect("the matcher starts");
	let _matcher = Processes(vec![matcher]);
	// Zombienet's genesis names each validator by its stash account.
	let stash = |name: &str| address_of(&format!("//{}//stash", capitalised(name)));
	let mut expected: BTreeSet<String> = VALIDATORS.iter().map(|v| stash(v)).collect();
	assert_eq!(session_validators(&alice).into_iter().collect::<BTreeSet<_>>(), expected);

	// A watcher samples alice's finalized head every second for the whole test, and once more
	// after it is told to stop, so its last sample is never older than the test's last look.
	let watching = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
	let watcher = {
		let (http, watching) = (network.node("alice").http.clone(), watching.clone());
		std::thread::spawn(move || {
			let (mut last, mut since, mut longest) = (0u64, Instant::now(), 0u64);
			loop {
				let stopping = !watching.load(std::sync::atomic::Ordering::SeqCst);
				if let Some(n) = finalized_number(&http) {
					if n > last {
						longest = longest.max(since.elapsed().as_secs());
						(last, since) = (n, Instant::now());
					}
				}
				if stopping {
					break;
				}
				std::thread::sleep(std::time::Duration::from_secs(1));
			}
			(last, longest.max(since.elapsed().as_secs()))
		})
	};

	// A new operator starts eve from the region's spec and its own base path.
	let info: Value =
		serde_json::from_str(&std::fs::read_to_string(network.dir.join("zombie.json")).unwrap())
			.unwrap();
	let boot = info["nodesByName"]["alice"]["multiAddress"].as_str().unwrap().to_string();
	let (p2p, rpc) = (free_port(), free_port());
	let node_key = Command::new(sibling("epichain-node"))
		.args(["key", "generate-node-key", "--chain"])
		.arg(network.dir.join("local-raw.json"))
		.arg("--base-path")
		.arg(dir.join("eve"))
		.output()
		.unwrap();
	assert!(node_key.status.success(), "{}", String::from_utf8_lossy(&node_key.stderr));
	let log = File::create(network.dir.join("eve.log")).unwrap();
	let eve_node = Command::new(sibling("epichain-node"))
		.arg("--chain")
		.arg(network.dir.join("local-raw.json"))
		.arg("--base-path")
		.arg(dir.join("eve"))
		.args(["--validator", "--offchain-worker=never", "--no-prometheus", "--no-telemetry"])
		.args(["--port", &p2p.to_string(), "--rpc-port", &rpc.to_string(), "--bootnodes", &boot])
		.stdin(Stdio::null())
		.stdout(log.try_clone().unwrap())
		.stderr(log)
		.spawn()
		.expect("eve starts");
	let _eve_node = Processes(vec![eve_node]);
	let eve = alice.at(&format!("ws://127.0.0.1:{rpc}"));
	let eve_http = format!("http://127.0.0.1:{rpc}");
	eventually("eve to sync", 120, || {
		let theirs = network.finalized("alice")?.0;
		(finalized_number(&eve_http)? + 2 >= theirs).then_some(())
	});

	// Eve's operator makes session keys in eve's keystore and registers them from //Eve.
	eve.ok(&["validator", "set-keys", "--suri", "//Eve"]);
	// An account without keys is refused by name; eve is added.
	let keyless = alice.fails(&["authority", "add-validator", "//Ferdie"]);
	assert!(keyless.contains("Validators::NoSessionKeys"), "{keyless}");
	let added = alice.ok(&["authority", "add-validator", "//Eve"]);
	assert!(added["events"].to_string().contains("Validators::ValidatorAdded"), "{added}");
	expected.insert(address_of("//Eve"));
	eventually("eve in the session's validators", 240, || {
		(session_validators(&alice).into_iter().collect::<BTreeSet<_>>() == expected).then_some(())
	});
	eventually("eve to author a block", 120, || {
		let log = std::fs::read_to_string(network.dir.join("eve.log")).unwrap_or_default();
		log.contains("Prepared block for proposing").then_some(())
	});

	// Dave leaves the set, then his node stops; so does charlie's. Alice, bob and eve are three
	// of the four voters left: finality goes on only if eve votes.
	let removed = alice.ok(&["authority", "remove-validator", "//Dave//stash"]);
	assert!(removed["events"].to_string().contains("Validators::ValidatorRemoved"), "{removed}");
	expected.remove(&stash("dave"));
	eventually("dave out of the session's validators", 240, || {
		(session_validators(&alice).into_iter().collect::<BTreeSet<_>>() == expected).then_some(())
	});
	// The set is at the minimum of four: nobody more may leave.
	let too_few = alice.fails(&["authority", "remove-validator", "//Charlie//stash"]);
	assert!(too_few.contains("Validators::TooFewValidators"), "{too_few}");
	// GRANDPA switches to the new set only once a block of the rotation is finalized.
	let (now, _) = network.finalized("alice").unwrap();
	network.wait_finalized("alice", now + 12, 120);
	network.kill("dave");
	network.kill("charlie");
	let (before, _) = network.finalized("alice").unwrap();
	network.wait_finalized("alice", before + 5, 120);

	watching.store(false, std::sync::atomic::Ordering::SeqCst);
	let (last, longest_stall) = watcher.join().unwrap();
	assert!(last >= before + 5, "the watcher saw #{last}, alice had finalized #{}", before + 5);
	assert!(
		longest_stall <= 30,
		"finality stalled for {longest_stall} s while the set changed (finalized #{last})"
	);

	// The matcher followed finality through the chain's set changes, to alice's head.
	let set_id =
		network.rpc("alice", "state_getStorage", vec![GRANDPA_CURRENT_SET_ID.into()]).unwrap();
	let set_id = u64::from_le_bytes(
		hex::decode(&set_id.as_str().unwrap()[2..]).unwrap().try_into().unwrap(),
	);
	assert!(set_id >= 2, "eve's arrival and dave's departure each changed the set ({set_id})");
	let followed = format!("GRANDPA authority set {set_id} from #");
	eventually("the matcher to follow finality to alice's head", 120, || {
		let health: Value = serde_json::from_str(&support::http_get(&format!(
			"http://127.0.0.1:{matcher_port}/health"
		))?)
		.ok()?;
		(health["syncedBlock"].as_u64()? >= last).then_some(())
	});
	let log = std::fs::read_to_string(&matcher_log).unwrap();
	assert!(log.contains(&followed), "the matcher never reached set {set_id}:\n{log}");
	assert!(!log.contains("Forged") && !log.contains("OtherChain"), "{log}");
}

/// `twox128("Grandpa") ++ twox128("CurrentSetId")`: GRANDPA's authority set id.
const GRANDPA_CURRENT_SET_ID: &str =
	"0x5f9cc45b7a00c5899361e1c6099678dc8a2d09463effcc78a22d75b9cb87dffc";

fn capitalised(name: &str) -> String {
	let mut chars = name.chars();
	chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// The runtime live regions run (`runtime/releases`): this build's runtime must upgrade it.
const RELEASED_RUNTIME: &str = "runtime/releases/epichain-runtime-v101.compact.compressed.wasm";
/// Its spec version.
const RELEASED_SPEC_VERSION: u64 = 101;

/// The local chain's spec with the released runtime as its genesis code: a region launched on
/// the release. Its genesis is the release's own genesis builder applied to the local preset.
fn released_spec(dir: &Path) -> String {
	let root = zombienet::repo_root();
	let mut spec: Value = serde_json::from_str(
		&std::fs::read_to_string(root.join("chain-specs/local.json")).unwrap(),
	)
	.unwrap();
	let code = std::fs::read(root.join(RELEASED_RUNTIME)).unwrap();
	spec["genesis"]["runtimeGenesis"]["code"] = Value::String(format!("0x{}", hex::encode(code)));
	// The released runtime (spec 101) has no matchers genesis config: the local preset's
	// `matchers` patch (whether simulation is allowed, spec 103) is not its to build.
	let patch = &mut spec["genesis"]["runtimeGenesis"]["patch"];
	patch.as_object_mut().expect("the local spec is a genesis patch").remove("matchers");
	std::fs::create_dir_all(dir).unwrap();
	let path = dir.join("local-released.json");
	std::fs::write(&path, serde_json::to_vec(&spec).unwrap()).unwrap();
	path.display().to_string()
}

/// Every storage key and value of node `name`'s state at block `hash`, hex.
fn state_at(network: &Network, name: &str, hash: &str) -> BTreeMap<String, String> {
	let mut state = BTreeMap::new();
	let mut start = Value::Null;
	loop {
		let keys = network
			.rpc(name, "state_getKeysPaged", vec!["0x".into(), 1000.into(), start, hash.into()])
			.unwrap();
		let keys = keys.as_array().unwrap().clone();
		if keys.is_empty() {
			return state;
		}
		start = keys.last().unwrap().clone();
		let changes = network
			.rpc(name, "state_queryStorageAt", vec![Value::Array(keys), hash.into()])
			.unwrap();
		for pair in changes[0]["changes"].as_array().unwrap() {
			if let (Some(k), Some(v)) = (pair[0].as_str(), pair[1].as_str()) {
				state.insert(k.to_string(), v.to_string());
			}
		}
	}
}

/// The hex storage prefix of a pallet (`twox128(pallet)`), and of one of its items.
fn prefix(pallet: &str, item: Option<&str>) -> String {
	let mut p = format!("0x{}", hex::encode(sp_crypto_hashing::twox_128(pallet.as_bytes())));
	if let Some(item) = item {
		p.push_str(&hex::encode(sp_crypto_hashing::twox_128(item.as_bytes())));
	}
	p
}

fn spec_version(network: &Network, name: &str, at: Option<&str>) -> u64 {
	let params = at.map(|h| vec![Value::from(h)]).unwrap_or_default();
	network.rpc(name, "state_getRuntimeVersion", params).unwrap()["specVersion"].as_u64().unwrap()
}

#[test]
fn the_council_upgrades_a_live_region_and_nothing_it_held_changes() {
	let _machine = zombienet::exclusive();
	if !zombienet::enabled() {
		return;
	}
	let dir = scratch("upgrade");
	let spec = released_spec(&dir);
	let mut region = TestRegion::start_on("upgrade", &spec, &dir);
	for name in VALIDATORS {
		assert_eq!(spec_version(&region.network, name, None), RELEASED_SPEC_VERSION, "{name}");
	}

	// The region's life on the release: a population written, a case endorsed, its contacts
	// notified, the place of its planted meeting Infected.
	let cli = region.at("alice");
	let scenario = cli.scenario(30, 11, "mixed");
	let (truth, case, venue) = (&scenario.truth, scenario.case, scenario.venue.clone());
	cli.ok(&["authority", "register-location", &venue, "--material", "steel"]);
	region.submit("bob", "pop/trajectories.csv");
	cli.consent(case, "consent.json");
	cli.ok(&["diagnostician", "endorse", "--suri", "//Ferdie", "--consent", "consent.json"]);
	let partner = scenario.partner;
	eventually("the partner's notification", 240, || {
		let n = cli.ok(&["user", "notifications", "--seed", &seed_file(partner), "--days", "3"]);
		(n["mine"].as_array().unwrap().len() == 1).then_some(())
	});
	let allowed = allowed_notifications(truth, case, &venue, 72 * 3_600);
	let levels_before = check_notifications(&cli, &allowed);
	assert_eq!(cli.ok(&["user", "infected", &venue[..5]])["cells"], json!([venue]));
	region.stop_matcher();

	// The council upgrades: Bob (a member, not the sudo key) proposes each step, Charlie's aye
	// carries it, and the third run submits the code.
	let wasm = sibling("wbuild/epichain-runtime/epichain_runtime.compact.compressed.wasm");
	let wasm = wasm.to_str().unwrap();
	let upgrade = || cli.ok(&["authority", "--suri", "//Bob", "upgrade", "--wasm", wasm]);
	let started = Instant::now();
	let from_block = region.network.best("alice").unwrap();
	let whitelist = upgrade();
	assert_eq!(whitelist["stage"], "started", "{whitelist}");
	assert_eq!(whitelist["motion"]["call"], "Whitelist::whitelist_call", "{whitelist}");
	// Running it again while the motion is open proposes nothing new.
	assert_eq!(upgrade()["call"], "Whitelist::whitelist_call");
	let vote = |motion: &Value| {
		cli.ok(&["council", "vote", "--suri", "//Charlie", motion.as_str().unwrap()]);
	};
	vote(&whitelist["motion"]["motion"]);
	let dispatch = upgrade();
	assert_eq!(dispatch["stage"], "whitelisted", "{dispatch}");
	assert_eq!(
		dispatch["motion"]["call"], "Whitelist::dispatch_whitelisted_call_with_preimage",
		"{dispatch}"
	);
	vote(&dispatch["motion"]["motion"]);
	let applied = upgrade();
	assert_eq!(applied["stage"], "applied", "{applied}");
	let set_in = applied["block"].as_u64().unwrap();
	let upgrade_secs = started.elapsed().as_secs_f64();

	// Blocks and finality go on, and every node runs the new runtime from the next block.
	for name in VALIDATORS {
		region.network.wait_finalized(name, set_in + 10, 240);
		assert!(spec_version(&region.network, name, None) > RELEASED_SPEC_VERSION, "{name}");
	}
	let network = &region.network;
	// The block that set the code holds it in its state, with the release's storage; the
	// new runtime's first block runs the migrations.
	let (parent, before, after) = (
		network.hash_at("alice", set_in - 1).unwrap(),
		network.hash_at("alice", set_in).unwrap(),
		network.hash_at("alice", set_in + 1).unwrap(),
	);
	assert_eq!(spec_version(network, "alice", Some(&parent)), RELEASED_SPEC_VERSION);
	assert!(spec_version(network, "alice", Some(&before)) > RELEASED_SPEC_VERSION);
	let again = upgrade();
	assert_eq!(
		(&again["stage"], &again["codeHash"], again.get("block")),
		(&applied["stage"], &applied["codeHash"], None),
		"a finished upgrade is reported, not repeated"
	);

	// The state across the migration's block: what consensus writes every block may change,
	// and the migrated locations; nothing else.
	let old = state_at(network, "alice", &before);
	let new = state_at(network, "alice", &after);
	let per_block: Vec<String> = ["System", "Timestamp", "Aura", "Grandpa", "Session"]
		.iter()
		.map(|p| prefix(p, None))
		.collect();
	let locations = prefix("Locations", Some("Locations"));
	let version_key = prefix("Locations", Some(":__STORAGE_VERSION__:"));
	let keys: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
	let (mut same, mut migrated) = (0, 0);
	for key in keys {
		if per_block.iter().any(|p| key.starts_with(p.as_str())) {
			continue;
		}
		let (o, n) = (old.get(key), new.get(key));
		if key == &version_key {
			assert_eq!(
				(o.map(String::as_str), n.map(String::as_str)),
				(Some("0x0000"), Some("0x0100"))
			);
		} else if key.starts_with(&locations) {
			// Version 1 appends who keeps the cell Infected: pinned for an infection recorded
			// before the upgrade (0x01 ++ before ++ no cases ++ Some(since)), none otherwise.
			let (o, n) = (o.expect("no location appears"), n.expect("no location is lost"));
			let tail = n.strip_prefix(o.as_str()).expect("the old record is kept as it was");
			let state = unhex_str(o);
			match state[0] {
				1 => {
					let since = &state[1..9];
					let expected = format!("01000001{}", hex::encode(since));
					assert_eq!(tail, expected, "an Infected location migrates pinned");
				},
				_ => assert_eq!(tail, "00", "a location that is not Infected has no infection"),
			}
			migrated += 1;
		} else {
			assert_eq!(o, n, "{key} changed across the upgrade");
			same += 1;
		}
	}
	assert!(migrated >= 1, "the Infected venue migrated");
	eprintln!(
		"upgrade: {same} keys unchanged, {migrated} locations migrated; from the first motion \
		 (best block #{from_block}) to the code in block #{set_in}: {:.0} s, {} blocks",
		upgrade_secs,
		set_in - from_block
	);

	// What people read is what they read before.
	let cli = region.at("dave");
	assert_eq!(check_notifications(&cli, &allowed), levels_before);
	assert_eq!(cli.ok(&["user", "infected", &venue[..5]])["cells"], json!([venue]));

	// The state the migration ran on, for the runtime's try-runtime test
	// (runtime/tests/live_upgrade.rs): written to EPICHAIN_UPGRADE_SNAPSHOT when set.
	if let Ok(path) = std::env::var("EPICHAIN_UPGRADE_SNAPSHOT") {
		let pairs: Vec<(&String, &String)> =
			old.iter().filter(|(k, _)| k.as_str() != "0x3a636f6465").collect();
		let snapshot = json!({
			"specVersion": RELEASED_SPEC_VERSION,
			"block": set_in,
			"pairs": pairs,
		});
		std::fs::write(&path, serde_json::to_vec_pretty(&snapshot).unwrap()).unwrap();
		eprintln!("wrote the pre-migration state ({} keys) to {path}", pairs.len());
	}
	drop(region);
	std::fs::remove_dir_all(&dir).unwrap();
}

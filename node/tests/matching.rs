//! End to end on a real dev node with the real matcher process: the matcher registers itself,
//! Eve (the dev locator) writes sealed batches for a synthetic population, Ferdie endorses one
//! case, the node's off-chain worker relays the job to the matcher and its signed result to the
//! chain, and the exposed people (and only they) find their notifications; the cell the case
//! visited turns Infected, and the High contact's probability is weighed by the place's
//! registered surface. Prints the endorsement-to-notification latency.

mod common;

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use codec::Decode;
use common::{
	free_port, scratch_dir,
	tx::{endorsement, general, submit, sudo_and_wait, Chain},
	Matcher, Node,
};
use epichain_primitives::{
	csi::{EntryPlain, Source, Stay},
	diagnosis::case_nullifier,
	geohash::{self, Geohash},
	matching::{RiskParams, SurfaceMaterial},
	pseudonym::{fingerprint, DeviceSeed},
	query::{seal_query, QueryPlain, QueryProof},
	sealing::seal_batch_in_slot,
	SECONDS_PER_DAY,
};
use epichain_runtime::{Runtime, RuntimeCall};
use serde_json::{json, Value};
use sp_keyring::Sr25519Keyring;

/// The batch prefix (a synthetic 5-character cell; nothing here is a real person's place).
const PREFIX: &[u8] = b"xn76u";

/// The 9-character cell `north_m` metres north of the prefix's centre.
fn cell(north_m: f64) -> Geohash {
	let c = geohash::decode(PREFIX).unwrap();
	geohash::encode(c.lat + north_m / 111_195.0, c.lon, 9).unwrap()
}

/// `person` in `cell` for `minutes` from `start`, located by satellite.
fn stay(person: &DeviceSeed, day: u32, cell: Geohash, start: u64, minutes: u64) -> EntryPlain {
	EntryPlain {
		owner: person.pseudonym(day),
		stays: vec![Stay { start, end: start + 60 * minutes, geohash: cell, source: Source::Gnss }],
	}
}

/// Eve's sealed batch of `entries` for `day`, as a general transaction, in pool slots of its
/// own (batches in flight together would otherwise meet in one slot, and the pool keeps the
/// first).
fn batch(chain: &Chain, sealing_key: &[u8; 32], day: u32, entries: &[EntryPlain]) -> String {
	batch_to(chain, 0, sealing_key, day, entries)
}

/// [`batch`], sealed to the chain's sealing key `key_id`.
fn batch_to(
	chain: &Chain,
	key_id: u32,
	sealing_key: &[u8; 32],
	day: u32,
	entries: &[EntryPlain],
) -> String {
	let prefix = Geohash::parse(PREFIX).unwrap();
	let stays = entries.iter().map(|e| e.stays.len() as u32).sum();
	let first = common::csi::next_slot(stays);
	let sealed = seal_batch_in_slot(first, sealing_key, key_id, day, prefix, entries).unwrap();
	let batch = pallet_csi::CsiBatch { header: sealed.header, entries: sealed.entries };
	let payload = pallet_csi::batch_signing_payload(chain.genesis.as_ref(), &batch);
	let eve = Sr25519Keyring::Eve;
	general(RuntimeCall::Csi(pallet_csi::Call::submit_batch {
		locator: eve.to_account_id(),
		batch,
		signature: eve.sign(&payload).into(),
	}))
}

fn unhex32(v: &Value) -> [u8; 32] {
	hex::decode(v.as_str().unwrap().trim_start_matches("0x")).unwrap().try_into().unwrap()
}

/// A dev node with the real matcher registered and following it.
struct NodeWithMatcher {
	node: Node,
	chain: Chain,
	matcher: Matcher,
	attestation: Value,
	/// The matcher's current sealing key.
	sealing_key: [u8; 32],
}

impl NodeWithMatcher {
	fn start() -> NodeWithMatcher {
		NodeWithMatcher::start_with_replicas(&[])
	}

	/// [`NodeWithMatcher::start`], the node also given the URLs of matcher replicas at
	/// `replica_ports`, after the matcher's own.
	fn start_with_replicas(replica_ports: &[u16]) -> NodeWithMatcher {
		let matcher_port = free_port();
		let url = std::iter::once(matcher_port)
			.chain(replica_ports.iter().copied())
			.map(|port| format!("http://127.0.0.1:{port}"))
			.collect::<Vec<_>>()
			.join(",");
		let mut node = Node::start(&["--dev", "--tmp", "--matcher-url", &url]);
		let chain = Chain::of(&mut node);
		let matcher = Matcher::start(&node, matcher_port);
		let attestation =
			node.wait_for("the matcher's attestation", Duration::from_secs(60), |_| {
				matcher.get("/v1/attestation")
			});
		assert_eq!(attestation["mode"], "simulation");
		// The matcher follows the chain once its registration is finalized.
		node.wait_for("the matcher registered and following", Duration::from_secs(120), |_| {
			matcher.get("/health").filter(|h| !h["syncedBlock"].is_null())
		});
		let key = pallet_matchers::Matchers::<Runtime>::hashed_key_for(0u32);
		let info =
			node.rpc("state_getStorage", json!([format!("0x{}", hex::encode(key))])).unwrap();
		let info = pallet_matchers::MatcherInfo::decode(
			&mut &hex::decode(info.as_str().unwrap().trim_start_matches("0x")).unwrap()[..],
		)
		.unwrap();
		assert_eq!(info.signing_key, unhex32(&attestation["signingKey"]));
		assert_eq!(info.current_key, 0, "the dev chain's first sealing key");
		let sealing_key = unhex32(&attestation["sealingKey"]);
		NodeWithMatcher { node, chain, matcher, attestation, sealing_key }
	}

	/// Registers `cell` as a location with `material` (sudo nonce `nonce`).
	fn register(&mut self, nonce: u32, cell: Geohash, material: SurfaceMaterial) {
		let text = String::from_utf8(cell.as_bytes().to_vec()).unwrap();
		let register = RuntimeCall::Locations(pallet_locations::Call::register_location {
			cell,
			operator: None,
			material,
		});
		sudo_and_wait(
			&mut self.node,
			&self.chain,
			nonce,
			register,
			"the location registered",
			|n| n.rpc("locations_cell", json!([text])).is_some_and(|c| c["state"] == "empty"),
		);
	}
}

#[test]
fn an_endorsed_case_notifies_exactly_its_contacts_and_later_visitors_and_infects_its_cell() {
	let mut region = NodeWithMatcher::start();
	// The cell where the case sat is a registered location (precision 7, the matcher's).
	let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
	let today = (now / SECONDS_PER_DAY) as u32;
	let day = today - 1;
	let cafe = cell(0.0);
	let cafe7 = Geohash::parse(&cafe.as_bytes()[..7]).unwrap();
	let cafe7_text = String::from_utf8(cafe7.as_bytes().to_vec()).unwrap();
	region.register(1, cafe7, SurfaceMaterial::Plastic);
	let NodeWithMatcher { mut node, chain, mut matcher, attestation, sealing_key } = region;

	// A synthetic population yesterday: the case sits in the cafe 10:00-10:40; one contact
	// stays 20 minutes at the same table (High), one 8 minutes (Low); one is 1.1 km away the
	// whole time; twenty others are elsewhere at the same time, or at the cafe hours after the
	// case left, within plastic's 72 hours (place-based: Indirect).
	let start = day as u64 * SECONDS_PER_DAY + 10 * 3_600;
	let case = DeviceSeed::generate();
	let high = DeviceSeed::generate();
	let low = DeviceSeed::generate();
	let far = DeviceSeed::generate();
	let others: Vec<DeviceSeed> = (0..20).map(|_| DeviceSeed::generate()).collect();
	let mut entries = vec![
		stay(&case, day, cafe, start, 40),
		stay(&high, day, cafe, start + 5 * 60, 20),
		stay(&low, day, cafe, start + 30 * 60, 8),
		stay(&far, day, cell(1_100.0), start, 40),
	];
	for (i, other) in others.iter().enumerate() {
		let i = i as u64;
		// Same cafe hours later, or somewhere else at the same time.
		entries.push(if i.is_multiple_of(2) {
			stay(other, day, cafe, start + (1 + i / 2) * 3_600, 30)
		} else {
			stay(other, day, cell(-300.0 - 100.0 * i as f64), start, 30)
		});
	}
	let stays: usize = entries.iter().map(|e| e.stays.len()).sum();
	node.wait_for("block 1", Duration::from_secs(60), |n| n.best_number().filter(|b| *b >= 1));
	let response = submit(&node, &batch(&chain, &sealing_key, day, &entries));
	assert!(response.get("result").is_some(), "the batch is accepted: {response}");
	let stats = node.wait_for("the matcher indexed the batch", Duration::from_secs(120), |_| {
		matcher.get("/v1/statistics").filter(|s| s["stays"].as_u64() == Some(stays as u64))
	});
	assert_eq!((stats["entries"].as_u64(), stats["rejectedEntries"].as_u64()), (Some(24), Some(0)));

	// Ferdie endorses the case; the off-chain worker does the rest.
	let nullifier = case_nullifier(b"synthetic-lab", b"case-e2e-1");
	let endorsed_from = node.best_number().unwrap();
	let started = Instant::now();
	let xt = endorsement(&chain, Sr25519Keyring::Ferdie, &case, nullifier, today, vec![]);
	assert!(submit(&node, &xt).get("result").is_some());
	let fp = |p: &DeviceSeed| format!("0x{}", hex::encode(fingerprint(&p.pseudonym(day))));
	let found = node.wait_for("the notification", Duration::from_secs(180), |n| {
		n.rpc("notifications_lookup", json!([[fp(&high)]]))
			.filter(|v| v.as_array().is_some_and(|a| !a.is_empty()))
	});
	let latency = started.elapsed();
	let blocks = node.best_number().unwrap() - endorsed_from;
	println!(
		"endorsement-to-notification on the dev chain: {:.1} s, {blocks} blocks (6 s blocks)",
		latency.as_secs_f64()
	);
	assert_eq!(found[0]["risk"], "high");
	// 20 minutes in the same cell (0 m) of a place registered with plastic surfaces.
	let plastic = RiskParams::default().probability_ppm(20, 0, SurfaceMaterial::Plastic);
	assert_eq!(found[0]["probabilityPpm"], plastic);
	assert_eq!(found[0]["case"], 0);
	assert_eq!(found[0]["exposureDay"], day);

	// Exactly the two contacts and the ten later visitors are notified for that day; nobody
	// else, not the case itself.
	let notified = node.rpc("notifications_ofDay", json!([day])).unwrap();
	let mut got: Vec<(String, String)> = notified
		.as_array()
		.unwrap()
		.iter()
		.map(|n| (n["fingerprint"].as_str().unwrap().into(), n["risk"].as_str().unwrap().into()))
		.collect();
	got.sort();
	let later = others.iter().step_by(2);
	let mut want = vec![(fp(&high), "high".to_string()), (fp(&low), "low".to_string())];
	want.extend(later.clone().map(|p| (fp(p), "indirect".to_string())));
	want.sort();
	assert_eq!(got, want);
	for person in others.iter().skip(1).step_by(2).chain([&far, &case]) {
		assert_eq!(node.rpc("notifications_lookup", json!([[fp(person)]])), Some(json!([])));
	}
	assert_eq!(
		node.rpc("notifications_dayCounts", json!([day])),
		Some(json!({"high": 1, "low": 1, "indirect": 10}))
	);

	// The cafe is Infected; the job answered round 0.
	let location = node.rpc("locations_cell", json!([cafe7_text])).unwrap();
	assert_eq!(location["state"], "infected", "{location}");
	// Infected from the case's visit yesterday (to the day), not from the result's block.
	assert_eq!(location["since"], json!((day as u64 + 1) * SECONDS_PER_DAY), "{location}");
	assert_eq!(location["material"], "Plastic");
	let job = node.rpc("notifications_job", json!([0])).unwrap();
	assert_eq!((job["nextRound"].as_u64(), job["exposures"].as_u64()), (Some(1), Some(12)));

	// The high contact's own pull query, sealed to the enclave: proof by pseudonym signature,
	// their report only, sealed back to them.
	let issued_at = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
	let message = epichain_primitives::signing::query_message(
		&chain.genesis.into(),
		&unhex32(&attestation["signingKey"]),
		issued_at,
	);
	let key = high.pseudonym_key(day);
	let ask = |signature: [u8; 64], nonce: u8| {
		let proof = QueryProof { day, pseudonym: key.public(), signature };
		pull_query(matcher.port, &chain, &sealing_key, issued_at, nonce, proof)
	};
	let (status, report) = ask(key.sign(&message), 1);
	let report = report.unwrap_or_else(|| panic!("answered {status}"));
	assert_eq!(report["verified"], 1);
	let own = &report["exposures"];
	assert_eq!(own.as_array().unwrap().len(), 1, "{report}");
	assert_eq!((own[0]["risk"].as_str(), own[0]["minutes"].as_u64()), (Some("high"), Some(20)));
	assert_eq!(own[0]["material"], "Plastic");
	// A forged proof (signed by someone else's key) proves nothing.
	let (status, _) = ask(low.pseudonym_key(day).sign(&message), 2);
	assert_eq!(status, 401);

	// Nothing the matcher logged names a pseudonym or a cell.
	let log = matcher.log().join("\n");
	for secret in [hex::encode(case.pseudonym(day)), hex::encode(high.pseudonym(day))] {
		assert!(!log.contains(&secret));
	}
	assert!(!log.contains(std::str::from_utf8(PREFIX).unwrap()));
	node.stop(Duration::from_secs(20));
}

/// The stadium: a case with 2,100 exposed people (700 High, 1,400 Low) on one day.
/// One result holds 1,024 exposures, so the round reaches the chain in three signed parts,
/// the High ones first, and every person is notified: none is cut.
#[test]
fn a_case_with_more_than_two_thousand_exposures_reaches_the_chain_whole() {
	let NodeWithMatcher { mut node, chain, matcher, sealing_key, .. } = NodeWithMatcher::start();
	let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
	let today = (now / SECONDS_PER_DAY) as u32;
	let day = today - 1;
	let stand = cell(500.0);
	let start = day as u64 * SECONDS_PER_DAY + 18 * 3_600;
	let case = DeviceSeed::generate();
	let crowd: Vec<DeviceSeed> = (0..2_100).map(|_| DeviceSeed::generate()).collect();
	let mut entries = vec![stay(&case, day, stand, start, 90)];
	for (i, person) in crowd.iter().enumerate() {
		let minutes = if i % 3 == 0 { 20 } else { 5 };
		entries.push(stay(person, day, stand, start + 10 * 60, minutes));
	}
	node.wait_for("block 1", Duration::from_secs(60), |n| n.best_number().filter(|b| *b >= 1));
	for part in entries.chunks(701) {
		let response = submit(&node, &batch(&chain, &sealing_key, day, part));
		assert!(response.get("result").is_some(), "the batch is accepted: {response}");
	}
	node.wait_for("the matcher indexed the crowd", Duration::from_secs(180), |_| {
		matcher.get("/v1/statistics").filter(|s| s["stays"].as_u64() == Some(2_101))
	});

	let nullifier = case_nullifier(b"synthetic-lab", b"case-e2e-stadium");
	let xt = endorsement(&chain, Sr25519Keyring::Ferdie, &case, nullifier, today, vec![]);
	assert!(submit(&node, &xt).get("result").is_some());
	let counts = node.wait_for("all 2,100 notifications", Duration::from_secs(600), |n| {
		n.rpc("notifications_dayCounts", json!([day]))
			.filter(|c| c["high"].as_u64().unwrap_or(0) + c["low"].as_u64().unwrap_or(0) == 2_100)
	});
	assert_eq!(counts, json!({"high": 700, "low": 1_400, "indirect": 0}));
	let job = node.rpc("notifications_job", json!([0])).unwrap();
	assert_eq!(
		(job["nextRound"].as_u64(), job["nextPart"].as_u64(), job["exposures"].as_u64()),
		(Some(1), Some(0), Some(2_100)),
		"{job}"
	);
	// Three parts, relayed one after the other.
	let log = node.log().join("\n");
	for part in 1..=3 {
		assert!(log.contains(&format!("case 0: round 0 part {part}/3 relayed")), "part {part}");
	}
	// Each person finds their own notification.
	let fp = |p: &DeviceSeed| format!("0x{}", hex::encode(fingerprint(&p.pseudonym(day))));
	for (i, person) in crowd.iter().enumerate().step_by(97) {
		let found = node.rpc("notifications_lookup", json!([[fp(person)]])).unwrap();
		let want = if i % 3 == 0 { "high" } else { "low" };
		assert_eq!(found[0]["risk"], want, "person {i}");
	}
	node.stop(Duration::from_secs(20));
}

/// A seeded pseudo-random delay in `[0, max_millis)` (xorshift): the seed is printed, and
/// `EPICHAIN_KILL_SEED` replays a run.
struct KillTimes(u64);

impl KillTimes {
	fn new() -> KillTimes {
		let seed =
			std::env::var("EPICHAIN_KILL_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(
				|| SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos() as u64,
			) | 1;
		println!("kill times from EPICHAIN_KILL_SEED={seed}");
		KillTimes(seed)
	}

	fn next(&mut self, max_millis: u64) -> Duration {
		self.0 ^= self.0 << 13;
		self.0 ^= self.0 >> 7;
		self.0 ^= self.0 << 17;
		Duration::from_millis(self.0 % max_millis)
	}
}

/// The crash, three times over: `kill -9` while a day is being indexed, between the
/// job and its result, and between the two signed parts of a round. Each time the matcher is
/// started again on the same base path. It is the same matcher (same signing key, no new
/// registration), it re-reads the window, and every person who was near the case is notified
/// exactly as the simulated day says: the case's two contacts, the ten later visitors of the
/// cafe and the 1,100 people at the stand; nobody else.
#[test]
fn a_matcher_killed_at_any_point_and_restarted_loses_no_notification() {
	let mut times = KillTimes::new();
	let mut region = NodeWithMatcher::start();
	let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
	let today = (now / SECONDS_PER_DAY) as u32;
	let day = today - 1;
	let cafe = cell(0.0);
	region.register(1, Geohash::parse(&cafe.as_bytes()[..7]).unwrap(), SurfaceMaterial::Plastic);
	let NodeWithMatcher { mut node, chain, mut matcher, attestation, sealing_key } = region;
	let base = matcher.base_path.clone();
	let port = matcher.port;
	let restart = |matcher: Matcher, node: &mut Node, why: &str| -> Matcher {
		matcher.kill();
		println!("matcher killed {why}; restarted on the same base path");
		let again = Matcher::start_in(node, port, &base);
		let attested = node.wait_for("the restarted matcher", Duration::from_secs(60), |_| {
			again.get("/v1/attestation")
		});
		assert_eq!(attested["signingKey"], attestation["signingKey"], "the same matcher");
		again
	};

	// The day: the case in the cafe 10:00-10:40 and at the stand 18:00-19:30. At the cafe, one
	// contact for 20 minutes (High), one for 8 (Low), ten visitors hours after the case left
	// (Indirect), one person 1.1 km away; at the stand, 1,100 people for 5 minutes (Low).
	let at = |hour: u64| day as u64 * SECONDS_PER_DAY + hour * 3_600;
	let case = DeviceSeed::generate();
	let (high, low, far) = (DeviceSeed::generate(), DeviceSeed::generate(), DeviceSeed::generate());
	let visitors: Vec<DeviceSeed> = (0..10).map(|_| DeviceSeed::generate()).collect();
	let crowd: Vec<DeviceSeed> = (0..1_100).map(|_| DeviceSeed::generate()).collect();
	let stand = cell(500.0);
	let mut case_day = stay(&case, day, cafe, at(10), 40);
	case_day.stays.extend(stay(&case, day, stand, at(18), 90).stays);
	let mut cafe_day = vec![
		case_day,
		stay(&high, day, cafe, at(10) + 5 * 60, 20),
		stay(&low, day, cafe, at(10) + 30 * 60, 8),
		stay(&far, day, cell(1_100.0), at(10), 40),
	];
	cafe_day.extend(
		visitors.iter().enumerate().map(|(i, v)| stay(v, day, cafe, at(12 + i as u64), 30)),
	);
	let stand_day: Vec<_> =
		crowd.iter().map(|p| stay(p, day, stand, at(18) + 10 * 60, 5)).collect();
	let stays = 15 + 1_100;

	// 1. Killed while the day is being written and indexed.
	node.wait_for("block 1", Duration::from_secs(60), |n| n.best_number().filter(|b| *b >= 1));
	for part in [&cafe_day[..], &stand_day[..600], &stand_day[600..]] {
		let response = submit(&node, &batch(&chain, &sealing_key, day, part));
		assert!(response.get("result").is_some(), "the batch is accepted: {response}");
	}
	std::thread::sleep(times.next(20_000));
	matcher = restart(matcher, &mut node, "while the day was indexed");
	node.wait_for("the restarted matcher indexed the whole day", Duration::from_secs(180), |_| {
		matcher.get("/v1/statistics").filter(|s| s["stays"].as_u64() == Some(stays))
	});
	let log = matcher.log().join("\n");
	assert!(log.contains("unsealed"), "the keys came from the sealed state:\n{log}");

	// 2. Killed between the job and its result.
	let nullifier = case_nullifier(b"synthetic-lab", b"case-e2e-restart");
	let xt = endorsement(&chain, Sr25519Keyring::Ferdie, &case, nullifier, today, vec![]);
	assert!(submit(&node, &xt).get("result").is_some());
	std::thread::sleep(times.next(9_000));
	matcher = restart(matcher, &mut node, "between the job and its result");

	// 3. Killed between the round's two signed parts (1,112 exposures, 1,024 a result).
	let deadline = Instant::now() + Duration::from_secs(300);
	while !node.log().iter().any(|l| l.contains("case 0: round 0 part 1/2 relayed")) {
		assert!(Instant::now() < deadline, "the round's first part never arrived");
		std::thread::sleep(Duration::from_millis(100));
	}
	matcher = restart(matcher, &mut node, "between the round's parts");

	let fp = |p: &DeviceSeed| format!("0x{}", hex::encode(fingerprint(&p.pseudonym(day))));
	let counts = node.wait_for("every notification", Duration::from_secs(300), |n| {
		n.rpc("notifications_dayCounts", json!([day])).filter(|c| {
			["high", "low", "indirect"].iter().map(|k| c[k].as_u64().unwrap_or(0)).sum::<u64>()
				>= 1_112
		})
	});
	assert_eq!(counts, json!({"high": 1, "low": 1_101, "indirect": 10}));
	let notified = node.rpc("notifications_ofDay", json!([day])).unwrap();
	let mut got: Vec<String> = notified
		.as_array()
		.unwrap()
		.iter()
		.map(|n| n["fingerprint"].as_str().unwrap().to_string())
		.collect();
	got.sort();
	let mut want: Vec<String> =
		[&high, &low].into_iter().chain(&visitors).chain(&crowd).map(fp).collect();
	want.sort();
	assert_eq!(got, want, "exactly the people of the simulated day");
	for person in [&far, &case] {
		assert_eq!(node.rpc("notifications_lookup", json!([[fp(person)]])), Some(json!([])));
	}
	let job = node.rpc("notifications_job", json!([0])).unwrap();
	assert_eq!((job["nextRound"].as_u64(), job["exposures"].as_u64()), (Some(1), Some(1_112)));
	// One identity throughout: no second matcher was registered.
	let second = pallet_matchers::Matchers::<Runtime>::hashed_key_for(1u32);
	assert_eq!(
		node.rpc("state_getStorage", json!([format!("0x{}", hex::encode(second))])),
		Some(Value::Null)
	);
	drop(matcher);
	node.stop(Duration::from_secs(20));
}

/// A pull query with `proof`, sealed to `sealing_key`, sent to the matcher on `port`: its
/// status, and the enclave's report opened with the query's keys when it answered `200`. The
/// host carries ciphertext only: the pseudonym is nowhere in what it receives.
fn pull_query(
	port: u16,
	chain: &Chain,
	sealing_key: &[u8; 32],
	issued_at: u64,
	nonce: u8,
	proof: QueryProof,
) -> (u16, Option<Value>) {
	let pseudonym = hex::encode(proof.pseudonym);
	let query = QueryPlain { issued_at, nonce: [nonce; 16], proofs: vec![proof] };
	let (sealed, opener) = seal_query(&chain.genesis.into(), sealing_key, &query).unwrap();
	let body = json!({
		"sealingKey": format!("0x{}", hex::encode(sealed.sealing_key)),
		"ephemeral": format!("0x{}", hex::encode(sealed.ephemeral)),
		"ciphertext": format!("0x{}", hex::encode(&sealed.ciphertext)),
	})
	.to_string();
	assert!(!body.contains(&pseudonym));
	let (status, answer) = common::http(port, "POST", "/v1/query", &body).unwrap();
	if status != 200 {
		return (status, None);
	}
	let answer: Value = serde_json::from_str(&answer).unwrap();
	assert!(answer.get("exposures").is_none(), "the answer is sealed: {answer}");
	let reply = hex::decode(answer["reply"].as_str().unwrap().trim_start_matches("0x")).unwrap();
	(status, Some(serde_json::from_slice(&opener.open(&reply).unwrap()).unwrap()))
}

/// The restart without keys: a matcher that lost its state is a new identity that
/// cannot open the day written before it. It signs no result for a case whose window holds that
/// day (one would say "0 exposures"), but a coverage gap, which a validator's off-chain worker
/// puts on chain: the authority sees it in an event and in storage, and the job stays open.
#[test]
fn a_matcher_that_lost_its_keys_signs_no_result_and_the_chain_records_the_gap() {
	let mut region = NodeWithMatcher::start();
	let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
	let today = (now / SECONDS_PER_DAY) as u32;
	let day = today - 1;
	let cafe = cell(0.0);
	region.register(1, Geohash::parse(&cafe.as_bytes()[..7]).unwrap(), SurfaceMaterial::Plastic);
	let NodeWithMatcher { mut node, chain, matcher, attestation, sealing_key } = region;
	let port = matcher.port;
	// The case and a 40-minute contact at the cafe, sealed to the first matcher's key.
	let at = day as u64 * SECONDS_PER_DAY + 10 * 3_600;
	let (case, contact) = (DeviceSeed::generate(), DeviceSeed::generate());
	let written = [stay(&case, day, cafe, at, 40), stay(&contact, day, cafe, at, 40)];
	let response = submit(&node, &batch(&chain, &sealing_key, day, &written));
	assert!(response.get("result").is_some(), "the batch is accepted: {response}");
	node.wait_for("the first matcher indexed the day", Duration::from_secs(120), |_| {
		matcher.get("/v1/statistics").filter(|s| s["stays"].as_u64() == Some(2))
	});

	// Its state is lost: a new matcher, a new identity, registered in its place.
	matcher.kill();
	let mut stranger = Matcher::start(&node, port);
	node.wait_for("the new matcher registered and following", Duration::from_secs(120), |_| {
		stranger
			.get("/health")
			.filter(|h| !h["syncedBlock"].is_null())
			.and_then(|_| stranger.get("/v1/attestation"))
			.filter(|a| a["signingKey"] != attestation["signingKey"])
	});
	let signer = stranger.get("/v1/attestation").unwrap()["signingKey"].clone();

	let nullifier = case_nullifier(b"synthetic-lab", b"case-e2e-lost-keys");
	let xt = endorsement(&chain, Sr25519Keyring::Ferdie, &case, nullifier, today, vec![]);
	assert!(submit(&node, &xt).get("result").is_some());
	let key = pallet_notifications::CoverageGaps::<Runtime>::hashed_key_for(0u64);
	let stored = node.wait_for("the coverage gap on chain", Duration::from_secs(120), |n| {
		n.rpc("state_getStorage", json!([format!("0x{}", hex::encode(&key))]))
			.and_then(|v| v.as_str().map(str::to_string))
	});
	let gap = epichain_primitives::matching::CoverageGap::decode(
		&mut &hex::decode(stored.trim_start_matches("0x")).unwrap()[..],
	)
	.unwrap();
	assert_eq!(
		(gap.case, gap.round, gap.batches, gap.first_day, gap.last_day),
		(0, 0, 1, day, day),
		"the one batch of the day it cannot open"
	);
	assert_eq!(gap.signer, unhex32(&signer), "signed by the matcher that cannot open it");
	// Nothing was signed as judged: no notification, the job still waits for its first round.
	let job = node.rpc("notifications_job", json!([0])).unwrap();
	assert_eq!((job["nextRound"].as_u64(), job["exposures"].as_u64()), (Some(0), Some(0)));
	assert_eq!(
		node.rpc("notifications_dayCounts", json!([day])),
		Some(json!({"high": 0, "low": 0, "indirect": 0}))
	);
	let log = node.log().join("\n");
	assert!(log.contains("coverage gap reported, the job stays open"), "{log}");
	let matcher_log = stranger.log().join("\n");
	assert!(matcher_log.contains("not signed: 1 batches"), "{matcher_log}");
	drop(stranger);
	node.stop(Duration::from_secs(20));
}

/// Two replicas of one matcher, and a validator given both URLs. The second is started empty
/// with `--provision-from` the first: it proves its attestation to it and receives the
/// matcher's keys sealed to itself (the same identity, no key through the host or the
/// operator). The first is killed after the day is indexed; the case endorsed after that
/// reaches exactly its contacts through the second.
#[test]
fn a_validator_given_two_matcher_replicas_relays_through_the_one_left_when_one_is_killed() {
	let replica_port = free_port();
	let region = NodeWithMatcher::start_with_replicas(&[replica_port]);
	let NodeWithMatcher { mut node, chain, matcher, attestation, sealing_key } = region;
	let mut replica =
		Matcher::start_replica(&node, replica_port, &scratch_dir("matcher-replica"), &matcher);
	let attested =
		node.wait_for("the replica", Duration::from_secs(60), |_| replica.get("/v1/attestation"));
	assert_eq!(attested["signingKey"], attestation["signingKey"], "one identity");
	assert_eq!(attested["sealingKey"], attestation["sealingKey"]);
	let log = replica.log().join("\n");
	assert!(log.contains("provisioned from http://127.0.0.1:"), "{log}");
	assert!(!log.contains("registration submitted"), "a replica registers nothing: {log}");
	// The running replica hands the keys over only to what asks for its own matcher's keys,
	// in a request that decodes.
	let stranger =
		([9u8; 32], [5u8; 32], epichain_attestation::Evidence::Simulation { measurement: [0; 32] });
	let ask = |body: &[u8]| {
		let (status, answer) = common::http_bytes(
			matcher.port,
			"POST",
			"/v1/provision",
			"application/octet-stream",
			body,
		)
		.unwrap();
		(status, serde_json::from_slice::<Value>(&answer).unwrap_or_default()["error"].clone())
	};
	assert_eq!(ask(&codec::Encode::encode(&stranger)), (409, json!("NotThisMatcher")));
	assert_eq!(ask(b"not a request"), (400, json!("MalformedRequest")));

	// Yesterday: the case 10:00-10:40; one contact 20 minutes at the same place (High), one 8
	// minutes (Low), one person 1.1 km away.
	let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
	let today = (now / SECONDS_PER_DAY) as u32;
	let day = today - 1;
	let start = day as u64 * SECONDS_PER_DAY + 10 * 3_600;
	let (case, high, low, far) = (
		DeviceSeed::generate(),
		DeviceSeed::generate(),
		DeviceSeed::generate(),
		DeviceSeed::generate(),
	);
	let entries = vec![
		stay(&case, day, cell(0.0), start, 40),
		stay(&high, day, cell(0.0), start + 5 * 60, 20),
		stay(&low, day, cell(0.0), start + 30 * 60, 8),
		stay(&far, day, cell(1_100.0), start, 40),
	];
	node.wait_for("block 1", Duration::from_secs(60), |n| n.best_number().filter(|b| *b >= 1));
	let response = submit(&node, &batch(&chain, &sealing_key, day, &entries));
	assert!(response.get("result").is_some(), "the batch is accepted: {response}");
	for m in [&matcher, &replica] {
		node.wait_for("both replicas indexed the day", Duration::from_secs(120), |_| {
			m.get("/v1/statistics").filter(|s| s["stays"].as_u64() == Some(4))
		});
	}

	matcher.kill();
	let endorsed_from = node.best_number().unwrap();
	let nullifier = case_nullifier(b"synthetic-lab", b"case-e2e-replicas");
	let xt = endorsement(&chain, Sr25519Keyring::Ferdie, &case, nullifier, today, vec![]);
	assert!(submit(&node, &xt).get("result").is_some());
	let counts = node.wait_for("the notifications", Duration::from_secs(180), |n| {
		n.rpc("notifications_dayCounts", json!([day]))
			.filter(|c| c["high"].as_u64().unwrap_or(0) + c["low"].as_u64().unwrap_or(0) >= 2)
	});
	println!(
		"endorsement-to-notifications with the first replica dead: {} blocks",
		node.best_number().unwrap() - endorsed_from
	);
	assert_eq!(counts, json!({"high": 1, "low": 1, "indirect": 0}));
	let fp = |p: &DeviceSeed| format!("0x{}", hex::encode(fingerprint(&p.pseudonym(day))));
	for person in [&far, &case] {
		assert_eq!(node.rpc("notifications_lookup", json!([[fp(person)]])), Some(json!([])));
	}
	assert!(
		node.log().iter().any(|l| l.contains("failed over to matcher 2 of 2")),
		"the worker says it failed over"
	);
	drop(replica);
	node.stop(Duration::from_secs(20));
}

/// The chain's current sealing key of matcher 0: its key id and public key.
fn current_sealing_key(node: &Node) -> Option<(u32, [u8; 32])> {
	let read = |key: Vec<u8>| {
		let value = node.rpc("state_getStorage", json!([format!("0x{}", hex::encode(key))]))?;
		hex::decode(value.as_str()?.trim_start_matches("0x")).ok()
	};
	let info = read(pallet_matchers::Matchers::<Runtime>::hashed_key_for(0u32))?;
	let info = pallet_matchers::MatcherInfo::decode(&mut &info[..]).ok()?;
	let key = read(pallet_matchers::SealingKeys::<Runtime>::hashed_key_for(info.current_key))?;
	let key = pallet_matchers::SealingKeyInfo::decode(&mut &key[..]).ok()?;
	Some((info.current_key, key.public))
}

/// Two people's 30-minute stays yesterday, together, in one batch sealed to the chain's sealing
/// key `key` (its id and public key), accepted by the pool.
fn two_people_yesterday(node: &Node, chain: &Chain, key: (u32, [u8; 32])) {
	let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
	let day = (now / SECONDS_PER_DAY) as u32 - 1;
	let start = day as u64 * SECONDS_PER_DAY + 9 * 3_600;
	let (a, b) = (DeviceSeed::generate(), DeviceSeed::generate());
	let entries = vec![stay(&a, day, cell(0.0), start, 30), stay(&b, day, cell(0.0), start, 30)];
	let response = submit(node, &batch_to(chain, key.0, &key.1, day, &entries));
	assert!(response.get("result").is_some(), "the batch is accepted: {response}");
}

/// A replica makes no sealing key of its own: when the running replica makes the next epoch
/// and has it registered, the replica meets the first batch sealed to it, stops there, takes
/// the new key from the running replica, and indexes the batch whole.
#[test]
fn a_replica_takes_each_new_sealing_key_from_the_running_replica() {
	let mut node = Node::start(&["--dev", "--tmp"]);
	let chain = Chain::of(&mut node);
	let rpc = format!("http://127.0.0.1:{}", node.rpc_port);
	let running = Matcher::start_with(
		&rpc,
		free_port(),
		&scratch_dir("matcher-rotating"),
		&["--authority-suri", "//Alice", "--epoch-secs", "60"],
	);
	node.wait_for("the matcher registered and following", Duration::from_secs(120), |_| {
		running.get("/health").filter(|h| !h["syncedBlock"].is_null())
	});
	let first = current_sealing_key(&node).unwrap();
	let mut replica =
		Matcher::start_replica(&node, free_port(), &scratch_dir("matcher-replica"), &running);
	node.wait_for("the replica following", Duration::from_secs(120), |_| {
		replica.get("/health").filter(|h| !h["syncedBlock"].is_null())
	});
	assert_eq!(replica.get("/v1/attestation").unwrap()["epochs"].as_array().unwrap().len(), 1);

	// The running replica's next epoch, registered on chain.
	let (key_id, public) = node.wait_for("the rotation", Duration::from_secs(120), |n| {
		current_sealing_key(n).filter(|k| *k != first)
	});
	assert_eq!(key_id, 1);
	two_people_yesterday(&node, &chain, (key_id, public));
	for (name, m) in [("running", &running), ("replica", &replica)] {
		node.wait_for(
			&format!("the {name} replica indexed the batch"),
			Duration::from_secs(120),
			|_| m.get("/v1/statistics").filter(|s| s["stays"].as_u64() == Some(2)),
		);
	}
	let log = replica.log().join("\n");
	assert!(log.contains("sealing epochs [1] provisioned from"), "{log}");
	let stats = replica.get("/v1/statistics").unwrap();
	assert_eq!(stats["unopenableBatches"], json!(0), "{stats}");
	assert_eq!(
		replica.get("/v1/attestation").unwrap()["sealingKey"],
		json!(format!("0x{}", hex::encode(public)))
	);
	drop((running, replica));
	node.stop(Duration::from_secs(20));
}

/// The key maker dies and stays gone past its epoch's end: its standby (a replica with
/// `--provision-from` it) waits out its margin, finds the key maker silent, and makes and
/// registers the next sealing key itself. Writers seal to it and the standby opens their batch.
/// The old key maker, restarted on its sealed state as a standby of the new one, takes the key
/// from it (it never rotates the chain back to its own older key) and opens the batch too.
#[test]
fn a_replica_makes_the_next_sealing_key_when_the_key_maker_is_gone_past_its_epoch() {
	let mut node = Node::start(&["--dev", "--tmp"]);
	let chain = Chain::of(&mut node);
	let rpc = format!("http://127.0.0.1:{}", node.rpc_port);
	let (maker_port, standby_port) = (free_port(), free_port());
	let url = |port: u16| format!("http://127.0.0.1:{port}");
	let maker_dir = scratch_dir("matcher-key-maker");
	// The key maker's own epoch is long enough that it dies before the end of it; the
	// standby's, a minute, is the schedule under test.
	let alice = ["--authority-suri", "//Alice"];
	let maker_args = [&alice[..], &["--epoch-secs", "600"]].concat();
	let maker = Matcher::start_with(&rpc, maker_port, &maker_dir, &maker_args);
	node.wait_for("the key maker registered and following", Duration::from_secs(120), |_| {
		maker.get("/health").filter(|h| !h["syncedBlock"].is_null())
	});
	let first = current_sealing_key(&node).unwrap();
	let maker_url = url(maker_port);
	let standby_args = [
		&alice[..],
		&["--epoch-secs", "60", "--provision-from", &maker_url, "--take-over-after", "15"],
	]
	.concat();
	let mut standby =
		Matcher::start_with(&rpc, standby_port, &scratch_dir("matcher-standby"), &standby_args);
	node.wait_for("the standby following", Duration::from_secs(120), |_| {
		standby.get("/health").filter(|h| !h["syncedBlock"].is_null())
	});
	maker.kill();

	// Nobody else makes keys: the chain's next key is the standby's.
	let (key_id, public) = node.wait_for("the standby's key", Duration::from_secs(180), |n| {
		current_sealing_key(n).filter(|k| *k != first)
	});
	assert_eq!(key_id, 1);
	let attested = standby.get("/v1/attestation").unwrap();
	assert_eq!(attested["sealingKey"], json!(format!("0x{}", hex::encode(public))));
	let log = standby.log().join("\n");
	assert!(log.contains("this replica takes over making them"), "{log}");

	two_people_yesterday(&node, &chain, (key_id, public));
	node.wait_for("the standby indexed the batch", Duration::from_secs(120), |_| {
		standby.get("/v1/statistics").filter(|s| s["stays"].as_u64() == Some(2))
	});

	// The old key maker comes back as the new one's standby, on its own sealed state.
	let standby_url = url(standby_port);
	let back_args = [&maker_args[..], &["--provision-from", &standby_url]].concat();
	let mut back = Matcher::start_with(&rpc, maker_port, &maker_dir, &back_args);
	node.wait_for("the old key maker indexed the batch", Duration::from_secs(120), |_| {
		back.get("/v1/statistics").filter(|s| s["stays"].as_u64() == Some(2))
	});
	let stats = back.get("/v1/statistics").unwrap();
	assert_eq!(stats["unopenableBatches"], json!(0), "{stats}");
	let back_log = back.log().join("\n");
	assert!(back_log.contains("unsealed"), "the same identity, from its sealed state: {back_log}");
	assert!(back_log.contains("epochs [1] provisioned"), "{back_log}");
	let (now_id, _) = current_sealing_key(&node).unwrap();
	assert!(now_id >= key_id, "the chain never goes back to an older key");
	assert_ne!(current_sealing_key(&node).unwrap(), first);
	drop((standby, back));
	node.stop(Duration::from_secs(20));
}

/// A node's lie: each CSI batch in the blocks it serves has lost its second entry (re-encoded,
/// so the body still decodes).
fn drop_second_entries(method: &str, _params: &Value, answer: &mut Value) {
	use codec::Encode;
	if method != "chain_getBlock" {
		return;
	}
	let Some(extrinsics) = answer["result"]["block"]["extrinsics"].as_array_mut() else {
		return;
	};
	for xt in extrinsics {
		let bytes = hex::decode(xt.as_str().unwrap().trim_start_matches("0x")).unwrap();
		let decoded = epichain_runtime::UncheckedExtrinsic::decode(&mut &bytes[..]).unwrap();
		let (mut call, preamble) = (decoded.function, decoded.preamble);
		if let RuntimeCall::Csi(pallet_csi::Call::submit_batch { batch, .. }) = &mut call {
			if batch.entries.len() > 1 {
				batch.entries.remove(1);
				// Made anew: a decoded extrinsic re-encodes the call bytes it was decoded from.
				let lie = epichain_runtime::UncheckedExtrinsic::from_parts(call, preamble);
				*xt = json!(format!("0x{}", hex::encode(lie.encode())));
			}
		}
	}
}

#[test]
fn a_matcher_behind_a_node_that_changes_block_bodies_ingests_nothing_from_them() {
	let NodeWithMatcher { mut node, chain, matcher, sealing_key, .. } = NodeWithMatcher::start();
	// A second replica of the same matcher reads the chain through a node that lies.
	let proxy = common::proxy::LyingProxy::start(node.rpc_port, drop_second_entries);
	let mut lied_to = replica_behind(&matcher, &proxy, free_port());

	let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
	let day = (now / SECONDS_PER_DAY) as u32 - 1;
	let start = day as u64 * SECONDS_PER_DAY + 10 * 3_600;
	let people: Vec<DeviceSeed> = (0..4).map(|_| DeviceSeed::generate()).collect();
	let entries: Vec<EntryPlain> =
		people.iter().map(|p| stay(p, day, cell(0.0), start, 30)).collect();
	node.wait_for("block 1", Duration::from_secs(60), |n| n.best_number().filter(|b| *b >= 1));
	let response = submit(&node, &batch(&chain, &sealing_key, day, &entries));
	assert!(response.get("result").is_some(), "the batch is accepted: {response}");
	let holding = finalized_with_four_stays(&mut node, &matcher);
	// The lied-to replica refuses the batch's block by name and indexes nothing of it: not the
	// three entries the lie left.
	let refusal = "body is not the one its extrinsics root commits to";
	let mut log = Vec::new();
	let lied =
		node.wait_for("the lied-to replica to refuse or index", Duration::from_secs(60), |_| {
			log.extend(lied_to.log());
			let stats = lied_to.get("/v1/statistics")?;
			(stats["stays"] != 0 || log.iter().any(|l| l.contains(refusal))).then_some(stats)
		});
	assert_eq!(lied["stays"], 0, "nothing ingested from a changed body: {lied}");
	assert!(lied["syncedBlock"].as_u64() < Some(holding), "{lied}, batch by block {holding}");
	// Once the node tells the truth, the replica indexes the batch whole.
	indexed_once_honest(node, &proxy, &lied_to);
}

/// A finalized block that holds the day's batch: the node's finalized head once the honest
/// `matcher` has ingested the batch's four stays. Its own `syncedBlock` is no such bound: the
/// counts are live, so they show the stays while the step that reads the batch's block is
/// still running and `syncedBlock` still names the block before.
fn finalized_with_four_stays(node: &mut common::Node, matcher: &Matcher) -> u64 {
	node.wait_for("the honest replica indexed the day", Duration::from_secs(120), |_| {
		matcher.get("/v1/statistics").filter(|s| s["stays"].as_u64() == Some(4))
	});
	node.finalized_number().expect("the node's finalized head")
}

/// Once `proxy` tells the truth, the `lied_to` replica indexes the day's four stays whole;
/// then `node` stops.
fn indexed_once_honest(
	mut node: common::Node,
	proxy: &common::proxy::LyingProxy,
	lied_to: &Matcher,
) {
	proxy.honest();
	node.wait_for(
		"the replica indexed the day once told the truth",
		Duration::from_secs(60),
		|_| lied_to.get("/v1/statistics").filter(|s| s["stays"].as_u64() == Some(4)),
	);
	node.stop(Duration::from_secs(20));
}

/// A replica of `matcher` (a copy of its sealed state) on `port`, reading the chain through
/// `proxy`.
fn replica_behind(matcher: &Matcher, proxy: &common::proxy::LyingProxy, port: u16) -> Matcher {
	let copy = scratch_dir("matcher-lied-to");
	let status = std::process::Command::new("cp")
		.arg("-a")
		.arg(format!("{}/.", matcher.base_path.display()))
		.arg(&copy)
		.status()
		.unwrap();
	assert!(status.success(), "copying the sealed state");
	Matcher::start_at(&proxy.url(), port, &copy)
}

#[test]
fn a_matcher_behind_a_node_that_forges_state_skips_nothing_it_cannot_prove() {
	// The lie: the matcher's sealing keys are gone from the state (shredded, so every batch
	// sealed to them would be past its lifetime), as a plain read and as a read proof. The
	// replica neither believes the key is gone nor skips the batch: it refuses the answer by
	// name, and keeps its place.
	let sealing_keys =
		hex::encode(&pallet_matchers::SealingKeys::<Runtime>::hashed_key_for(0u32)[..32]);
	let skipped =
		("1 past their key's lifetime", "the batch was skipped as past its key's lifetime");
	a_replica_refuses_a_lie("does not lead to block", Some(skipped), move |_| {
		move |method: &str, params: &Value, answer: &mut Value| {
			let asks = |p: &Value| p.as_str().is_some_and(|k| k.contains(&sealing_keys));
			match method {
				"state_getStorage" if asks(&params[0]) => answer["result"] = Value::Null,
				"state_getReadProof"
					if params[0].as_array().is_some_and(|k| k.iter().any(asks)) =>
				{
					answer["result"]["proof"] = json!([])
				},
				_ => {},
			}
		}
	});
}

#[test]
fn a_matcher_behind_a_node_that_withholds_batches_still_indexes_every_one() {
	let NodeWithMatcher { mut node, chain, matcher, sealing_key, .. } = NodeWithMatcher::start();
	// The lie: no day has any batch, when asked through the runtime API.
	let proxy = common::proxy::LyingProxy::start(node.rpc_port, |method, params, answer| {
		if method == "state_call" && params[0] == "CsiApi_batches_of_day" {
			answer["result"] = json!("0x00");
		}
	});
	let lied_to = replica_behind(&matcher, &proxy, free_port());
	let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
	let day = (now / SECONDS_PER_DAY) as u32 - 1;
	let start = day as u64 * SECONDS_PER_DAY + 10 * 3_600;
	let people: Vec<DeviceSeed> = (0..4).map(|_| DeviceSeed::generate()).collect();
	let entries: Vec<EntryPlain> =
		people.iter().map(|p| stay(p, day, cell(0.0), start, 30)).collect();
	node.wait_for("block 1", Duration::from_secs(60), |n| n.best_number().filter(|b| *b >= 1));
	let response = submit(&node, &batch(&chain, &sealing_key, day, &entries));
	assert!(response.get("result").is_some(), "the batch is accepted: {response}");
	let holding = finalized_with_four_stays(&mut node, &matcher);
	// The batch list comes from proven storage (the day's counters, then each batch): the
	// lie is never asked, and the batch is indexed while the node still tells it.
	let lied =
		node.wait_for("the lied-to replica at the same block", Duration::from_secs(60), |_| {
			lied_to.get("/v1/statistics").filter(|s| s["syncedBlock"].as_u64() >= Some(holding))
		});
	assert_eq!(lied["stays"], 4, "every batch indexed: {lied}");
	node.stop(Duration::from_secs(20));
}

#[test]
fn a_matcher_behind_a_node_that_hides_open_jobs_still_answers_a_pull_query_whole() {
	let NodeWithMatcher { mut node, chain, matcher, attestation, sealing_key } =
		NodeWithMatcher::start();
	// The lie: no job is open, when asked through the runtime API. A matcher that took the
	// open jobs from it would answer the contact's pull query with nothing.
	let proxy = common::proxy::LyingProxy::start(node.rpc_port, |method, params, answer| {
		if method == "state_call" && params[0] == "NotificationsApi_open_jobs" {
			answer["result"] = json!("0x00");
		}
	});
	let lied_to = replica_behind(&matcher, &proxy, free_port());
	let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
	let today = (now / SECONDS_PER_DAY) as u32;
	let day = today - 1;
	let start = day as u64 * SECONDS_PER_DAY + 10 * 3_600;
	let (case, contact) = (DeviceSeed::generate(), DeviceSeed::generate());
	let entries =
		[stay(&case, day, cell(0.0), start, 40), stay(&contact, day, cell(0.0), start, 30)];
	node.wait_for("block 1", Duration::from_secs(60), |n| n.best_number().filter(|b| *b >= 1));
	let response = submit(&node, &batch(&chain, &sealing_key, day, &entries));
	assert!(response.get("result").is_some(), "the batch is accepted: {response}");
	let nullifier = case_nullifier(b"synthetic-lab", b"case-e2e-hidden-jobs");
	let xt = endorsement(&chain, Sr25519Keyring::Ferdie, &case, nullifier, today, vec![]);
	assert!(submit(&node, &xt).get("result").is_some());
	node.wait_for("the case's result on chain", Duration::from_secs(120), |n| {
		n.rpc("notifications_job", json!([0])).filter(|j| j["nextRound"] == 1)
	});
	let synced = node.finalized_number().unwrap();
	node.wait_for("the lied-to replica synced", Duration::from_secs(120), |_| {
		lied_to.get("/health").filter(|h| h["syncedBlock"].as_u64() >= Some(synced))
	});
	let issued_at = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
	let signer = unhex32(&attestation["signingKey"]);
	let message =
		epichain_primitives::signing::query_message(&chain.genesis.into(), &signer, issued_at);
	let key = contact.pseudonym_key(day);
	let proof = QueryProof { day, pseudonym: key.public(), signature: key.sign(&message) };
	let (status, report) = pull_query(lied_to.port, &chain, &sealing_key, issued_at, 1, proof);
	let report = report.unwrap_or_else(|| panic!("the lied-to replica answered {status}"));
	// The open jobs come from proven storage (every job, walked complete): the lie is never
	// asked, and the contact's exposure is in the report.
	let own = report["exposures"].as_array().unwrap();
	assert_eq!(own.len(), 1, "{report}");
	assert_eq!((own[0]["risk"].as_str(), own[0]["minutes"].as_u64()), (Some("high"), Some(30)));
	node.stop(Duration::from_secs(20));
}

#[test]
fn a_matcher_behind_a_node_that_swaps_a_jobs_pseudonyms_judges_the_real_case() {
	let replica_port = free_port();
	let region = NodeWithMatcher::start_with_replicas(&[replica_port]);
	let NodeWithMatcher { mut node, chain, matcher, sealing_key, .. } = region;
	// Yesterday 10:00-10:40: the case with a contact at one place; a decoy with a contact of
	// its own 600 m away.
	let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
	let today = (now / SECONDS_PER_DAY) as u32;
	let day = today - 1;
	let start = day as u64 * SECONDS_PER_DAY + 10 * 3_600;
	let (case, contact, decoy, decoys_contact) = (
		DeviceSeed::generate(),
		DeviceSeed::generate(),
		DeviceSeed::generate(),
		DeviceSeed::generate(),
	);
	// The lie: the job names the decoy's pseudonyms, when read through the runtime API.
	let decoy_seed = decoy.clone();
	let proxy = common::proxy::LyingProxy::start(node.rpc_port, move |method, params, answer| {
		if method != "state_call" || params[0] != "NotificationsApi_job" {
			return;
		}
		let bytes = hex::decode(answer["result"].as_str().unwrap().trim_start_matches("0x"));
		let mut job = Option::<pallet_notifications::JobView>::decode(&mut &bytes.unwrap()[..])
			.expect("a job view");
		if let Some(job) = &mut job {
			job.pseudonyms.iter_mut().for_each(|(d, p)| *p = decoy_seed.pseudonym(*d));
		}
		answer["result"] = json!(format!("0x{}", hex::encode(codec::Encode::encode(&job))));
	});
	let replica = replica_behind(&matcher, &proxy, replica_port);
	let entries = vec![
		stay(&case, day, cell(0.0), start, 40),
		stay(&contact, day, cell(0.0), start + 5 * 60, 20),
		stay(&decoy, day, cell(600.0), start, 40),
		stay(&decoys_contact, day, cell(600.0), start + 5 * 60, 20),
	];
	node.wait_for("block 1", Duration::from_secs(60), |n| n.best_number().filter(|b| *b >= 1));
	let response = submit(&node, &batch(&chain, &sealing_key, day, &entries));
	assert!(response.get("result").is_some(), "the batch is accepted: {response}");
	for m in [&matcher, &replica] {
		node.wait_for("both replicas indexed the day", Duration::from_secs(120), |_| {
			m.get("/v1/statistics").filter(|s| s["stays"].as_u64() == Some(4))
		});
	}
	// Only the replica behind the lying node is left to judge.
	matcher.kill();
	let nullifier = case_nullifier(b"synthetic-lab", b"case-e2e-swapped-job");
	let xt = endorsement(&chain, Sr25519Keyring::Ferdie, &case, nullifier, today, vec![]);
	assert!(submit(&node, &xt).get("result").is_some());
	let fp = |p: &DeviceSeed| format!("0x{}", hex::encode(fingerprint(&p.pseudonym(day))));
	node.wait_for("the notifications", Duration::from_secs(180), |n| {
		let counts = n.rpc("notifications_dayCounts", json!([day]))?;
		(counts["high"].as_u64().unwrap_or(0) + counts["low"].as_u64().unwrap_or(0) >= 1)
			.then_some(())
	});
	let notified = |p: &DeviceSeed| {
		node.rpc("notifications_lookup", json!([[fp(p)]])).is_some_and(|n| n != json!([]))
	};
	assert!(notified(&contact), "the case's contact is notified");
	assert!(!notified(&decoys_contact), "the decoy's contact is not: the job was judged as proven");
	drop(replica);
	node.stop(Duration::from_secs(20));
}

#[test]
fn a_matcher_behind_a_node_that_hides_registered_places_judges_only_once_they_are_proven() {
	let replica_port = free_port();
	let mut region = NodeWithMatcher::start_with_replicas(&[replica_port]);
	let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
	let today = (now / SECONDS_PER_DAY) as u32;
	let day = today - 1;
	let cafe = cell(0.0);
	let cafe7 = Geohash::parse(&cafe.as_bytes()[..7]).unwrap();
	let cafe7_text = String::from_utf8(cafe7.as_bytes().to_vec()).unwrap();
	region.register(1, cafe7, SurfaceMaterial::Plastic);
	// A second place, so that the registry is a branch of the state's trie: a proof of its
	// prefix alone then names both places by hash only.
	let park = Geohash::parse(&cell(5_000.0).as_bytes()[..7]).unwrap();
	region.register(2, park, SurfaceMaterial::Unknown);
	let NodeWithMatcher { mut node, chain, matcher, sealing_key, .. } = region;
	// The lie: no place is registered, when the registry's keys are listed.
	let registry =
		hex::encode(&pallet_locations::Locations::<Runtime>::hashed_key_for(cafe7)[..32]);
	let proxy = common::proxy::LyingProxy::start(node.rpc_port, move |method, params, answer| {
		if method == "state_getKeysPaged"
			&& params[0].as_str().is_some_and(|p| p.contains(&registry))
		{
			answer["result"] = json!([]);
		}
	});
	let mut replica = replica_behind(&matcher, &proxy, replica_port);
	let start = day as u64 * SECONDS_PER_DAY + 10 * 3_600;
	let (case, contact) = (DeviceSeed::generate(), DeviceSeed::generate());
	let entries =
		vec![stay(&case, day, cafe, start, 40), stay(&contact, day, cafe, start + 5 * 60, 20)];
	let response = submit(&node, &batch(&chain, &sealing_key, day, &entries));
	assert!(response.get("result").is_some(), "the batch is accepted: {response}");
	node.wait_for("the honest replica indexed the day", Duration::from_secs(120), |_| {
		matcher.get("/v1/statistics").filter(|s| s["stays"].as_u64() == Some(2))
	});
	// Only the replica behind the lying node is left to judge.
	matcher.kill();
	let nullifier = case_nullifier(b"synthetic-lab", b"case-e2e-hidden-places");
	let xt = endorsement(&chain, Sr25519Keyring::Ferdie, &case, nullifier, today, vec![]);
	assert!(submit(&node, &xt).get("result").is_some());
	// While the node hides the registry, the replica refuses the walk by name and signs
	// nothing: no result leaves the cafe out.
	node.wait_for("the job", Duration::from_secs(60), |n| {
		n.rpc("notifications_job", json!([0])).filter(|j| j["nextRound"].is_u64())
	});
	let _before = replica.log();
	let mut log = Vec::new();
	node.wait_for("the refusal, or a result", Duration::from_secs(120), |n| {
		log.extend(replica.log());
		let job = n.rpc("notifications_job", json!([0]));
		let judged = job.is_some_and(|j| j["nextRound"].as_u64().is_some_and(|r| r > 0));
		(judged || log.iter().any(|l| l.contains("leaves some out"))).then_some(())
	});
	let from = node.best_number().unwrap();
	node.wait_for("three blocks more", Duration::from_secs(60), |n| {
		n.best_number().filter(|b| *b >= from + 3)
	});
	let job = node.rpc("notifications_job", json!([0])).unwrap();
	assert_eq!(job["nextRound"], 0, "no result was accepted while the registry was hidden: {job}");
	assert!(log.iter().any(|l| l.contains("leaves some out")), "the refusal is named");
	// Once the node tells the truth, the case is judged with its place.
	proxy.honest();
	node.wait_for("the result", Duration::from_secs(180), |n| {
		n.rpc("notifications_job", json!([0])).filter(|j| j["nextRound"].as_u64() > Some(0))
	});
	let location = node.rpc("locations_cell", json!([cafe7_text])).unwrap();
	assert_eq!(location["state"], "infected", "{location}");
	drop(replica);
	node.stop(Duration::from_secs(20));
}

/// A replica following through a proxy that, once the replica has synced, tells `lie`: the
/// honest matcher indexes a new day's batch, the lied-to replica refuses by `refusal` (in its
/// log) and indexes nothing; once the proxy is honest, it indexes the batch whole. `believed`
/// is what the replica would log if it took the lie, and what that would mean.
fn a_replica_refuses_a_lie<L>(
	refusal: &str,
	believed: Option<(&str, &str)>,
	lie: impl FnOnce(&common::Node) -> L,
) where
	L: Fn(&str, &Value, &mut Value) + Send + Sync + 'static,
{
	let NodeWithMatcher { mut node, chain, matcher, sealing_key, .. } = NodeWithMatcher::start();
	let proxy = common::proxy::LyingProxy::start(node.rpc_port, lie(&node));
	proxy.honest();
	let mut lied_to = replica_behind(&matcher, &proxy, free_port());
	node.wait_for("the replica following", Duration::from_secs(60), |_| {
		lied_to.get("/health").filter(|h| h["syncedBlock"].as_u64().is_some_and(|b| b >= 1))
	});
	proxy.lie();
	let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
	let day = (now / SECONDS_PER_DAY) as u32 - 1;
	let start = day as u64 * SECONDS_PER_DAY + 10 * 3_600;
	let people: Vec<DeviceSeed> = (0..4).map(|_| DeviceSeed::generate()).collect();
	let entries: Vec<EntryPlain> =
		people.iter().map(|p| stay(p, day, cell(0.0), start, 30)).collect();
	let response = submit(&node, &batch(&chain, &sealing_key, day, &entries));
	assert!(response.get("result").is_some(), "the batch is accepted: {response}");
	node.wait_for("the honest matcher indexed the day", Duration::from_secs(120), |_| {
		matcher.get("/v1/statistics").filter(|s| s["stays"].as_u64() == Some(4))
	});
	let mut log = Vec::new();
	let took = |l: &String| believed.is_some_and(|(line, _)| l.contains(line));
	node.wait_for("the lied-to replica's refusal", Duration::from_secs(60), |_| {
		log.extend(lied_to.log());
		log.iter().any(|l| l.contains(refusal) || took(l)).then_some(())
	});
	if let Some((_, meaning)) = believed {
		assert!(!log.iter().any(took), "{meaning} on the node's word");
	}
	assert_eq!(lied_to.get("/v1/statistics").unwrap()["stays"], 0, "nothing believed");
	indexed_once_honest(node, &proxy, &lied_to);
}

/// Flips one byte of a precommit's signature in every GRANDPA justification of `answer` (a
/// `chain_getBlock` answer), served as hex or as bytes.
fn forge_justifications(answer: &mut Value) {
	// round (8), target (36), one precommit: its target (36) after the length (1), then its
	// signature.
	const SIGNATURE_BYTE: usize = 8 + 36 + 1 + 36 + 9;
	let Some(list) = answer["result"]["justifications"].as_array_mut() else { return };
	for pair in list {
		match &mut pair[1] {
			Value::String(hex) => {
				let mut bytes = hex::decode(&hex[2..]).unwrap();
				bytes[SIGNATURE_BYTE] ^= 1;
				*hex = format!("0x{}", hex::encode(bytes));
			},
			Value::Array(bytes) => {
				let byte = bytes[SIGNATURE_BYTE].as_u64().unwrap() ^ 1;
				bytes[SIGNATURE_BYTE] = byte.into();
			},
			_ => {},
		}
	}
}

#[test]
fn a_matcher_behind_a_node_that_forges_justifications_believes_no_block_final() {
	a_replica_refuses_a_lie("Forged", None, |_| {
		|method: &str, _: &Value, answer: &mut Value| {
			if method == "chain_getBlock" {
				forge_justifications(answer);
			}
		}
	});
}

#[test]
fn a_matcher_behind_a_node_that_serves_no_justification_waits_for_one() {
	a_replica_refuses_a_lie("NoProof", None, |_| {
		|method: &str, _: &Value, answer: &mut Value| {
			if method == "chain_getBlock" {
				answer["result"]["justifications"] = Value::Null;
			}
		}
	});
}

#[test]
fn a_matcher_behind_a_node_that_serves_a_stale_finalized_head_goes_no_further_back() {
	// The lie: the genesis is the finalized head, after the replica verified later blocks.
	a_replica_refuses_a_lie("Stale", None, |node| {
		let genesis = node.rpc("chain_getBlockHash", json!([0])).expect("the genesis hash");
		move |method: &str, _: &Value, answer: &mut Value| {
			if method == "chain_getFinalizedHead" {
				answer["result"] = genesis.clone();
			}
		}
	});
}

#[test]
fn a_matcher_behind_a_node_that_serves_another_chains_blocks_believes_none_of_them() {
	// Another chain from the same genesis, finalized by the same //Alice: a second dev node,
	// started first so that its head stays ahead of the first one's.
	let mut other = common::Node::start(&["--dev", "--tmp"]);
	other.wait_for("the other chain's block 2", Duration::from_secs(60), |n| {
		n.finalized_number().filter(|b| *b >= 2)
	});
	let other_port = other.rpc_port;
	// The lie: the other chain's finalized head, headers and blocks.
	a_replica_refuses_a_lie("OtherChain", None, move |_| {
		move |method: &str, params: &Value, answer: &mut Value| {
			if matches!(method, "chain_getFinalizedHead" | "chain_getHeader" | "chain_getBlock") {
				let body = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
				let theirs = common::http(other_port, "POST", "/", &body.to_string())
					.and_then(|(_, json)| serde_json::from_str::<Value>(&json).ok());
				if let Some(theirs) = theirs {
					answer["result"] = theirs["result"].clone();
				}
			}
		}
	});
	other.stop(Duration::from_secs(20));
}

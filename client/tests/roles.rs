//! Every role's verbs of the `epichain` command line against a real dev node and matcher.
//!
//! The node and the matcher are the release binaries `scripts/build.sh` builds next to this
//! client. The population is synthetic (`epichain simulate`).

mod support;

use std::{
	collections::BTreeMap,
	path::Path,
	process::{Command, Stdio},
};

use epichain_client::connection::{self, Connection, Wait};
use serde_json::Value;
use support::{
	allowed_notifications, check_notifications, eventually, free_port, scratch, seed_file, sibling,
	Cli, Processes,
};

/// A dev node whose off-chain worker relays to `matcher_url`, and a client for it.
fn start_node(dir: &Path, matcher_url: &str) -> (Processes, Cli, u16) {
	let rpc = free_port();
	let node = Command::new(sibling("epichain-node"))
		.args(["--dev", "--tmp", "--no-prometheus", "--no-telemetry", "--port"])
		.arg(free_port().to_string())
		.arg("--rpc-port")
		.arg(rpc.to_string())
		.arg("--matcher-url")
		.arg(matcher_url)
		.stdout(Stdio::null())
		.stderr(Stdio::null())
		.spawn()
		.expect("node starts");
	let processes = Processes(vec![node]);
	let cli = Cli { url: format!("ws://127.0.0.1:{rpc}"), dir: dir.to_path_buf() };
	eventually("the node's RPC", 60, || {
		cli.run(&["user", "infected"]).status.success().then_some(())
	});
	(processes, cli, rpc)
}

fn start_region(dir: &Path) -> (Processes, Cli, String) {
	let matcher = free_port();
	let matcher_url = format!("http://127.0.0.1:{matcher}");
	let (mut processes, cli, rpc) = start_node(dir, &matcher_url);
	let spec = dir.join("dev-raw.json");
	let exported = Command::new(sibling("epichain-node"))
		.args(["export-chain-spec", "--chain", "dev", "--raw", "--output"])
		.arg(&spec)
		.stderr(Stdio::null())
		.status()
		.expect("the node exports the dev chain spec");
	assert!(exported.success(), "export-chain-spec --chain dev --raw");
	let matcher = Command::new(sibling("epichain-matcher"))
		.args(["--enclave", "simulation", "--authority-suri", "//Alice", "--chain-rpc"])
		.arg(format!("http://127.0.0.1:{rpc}"))
		.arg("--chain-spec")
		.arg(&spec)
		.arg("--listen")
		.arg(format!("127.0.0.1:{matcher}"))
		.arg("--base-path")
		.arg(dir.join("matcher"))
		.stdout(Stdio::null())
		.stderr(Stdio::null())
		.spawn()
		.expect("matcher starts");
	processes.0.push(matcher);
	(processes, cli, matcher_url)
}

#[test]
fn every_role_works_against_a_dev_node() {
	let dir = scratch("cli");
	let (_processes, cli, matcher) = start_region(&dir);

	// keys (offline)
	let created = cli.ok(&["keys", "new", "--out", "me.seed"]);
	let shown = cli.ok(&["keys", "show", "--seed", "me.seed"]);
	assert_eq!(created["today"], shown);
	let export = cli.run(&["keys", "export", "--seed", "me.seed", "--days", "3"]);
	let export: Vec<Value> = serde_json::from_slice(&export.stdout).unwrap();
	assert_eq!(export.len(), 3);
	assert_eq!(export[2], shown, "the export ends today");

	// authority: locators, diagnosticians, locations, risk
	let added = cli.ok(&["authority", "add-locator", "//Bob", "--kind", "wifi", "--region", "xn7"]);
	assert!(added["events"][0].as_str().unwrap().starts_with("Csi::LocatorRegistered"), "{added}");
	let again = cli.fails(&["authority", "add-locator", "//Bob", "--kind", "wifi"]);
	assert!(again.contains("Csi::AlreadyLocator"), "{again}");
	cli.ok(&["authority", "suspend-locator", "//Bob"]);
	cli.ok(&["authority", "add-diagnostician", "//Dave", "--jurisdiction", "xn"]);
	cli.ok(&["authority", "suspend-diagnostician", "//Dave"]);
	let unknown = cli.fails(&["authority", "remove-diagnostician", "//Charlie"]);
	assert!(unknown.contains("Diagnosis::NotDiagnostician"), "{unknown}");
	cli.ok(&["authority", "set-risk", "--distance-cm", "200", "--min-duration-secs", "900"]);

	// simulate: the population the locator writes, as sparse locators see it (Wi-Fi sightings
	// every 3 to 10 minutes, check-in/check-out pairs, app-logged stays), and the place of its
	// planted meeting, registered at the locations pallet's venue precision
	let scenario = cli.scenario(40, 3, "sparse");
	let (truth, case, partner) = (&scenario.truth, scenario.case, scenario.partner);
	let venue = scenario.venue.clone();
	let venue = venue.as_str();
	cli.ok(&["authority", "register-location", venue, "--material", "plastic"]);
	let place = cli.ok(&["user", "location", venue]);
	assert_eq!(place["material"], "Plastic", "{place}");
	assert_eq!(place["state"], "empty", "{place}");

	// locator: a suspended locator is refused before anything is sealed
	let suspended = cli.fails(&["locator", "submit", "--suri", "//Bob", "pop/trajectories.csv"]);
	assert!(suspended.contains("Csi::LocatorSuspended"), "{suspended}");
	let stranger = cli.fails(&["locator", "submit", "--suri", "//Ferdie", "pop/trajectories.csv"]);
	assert!(stranger.contains("Csi::NotLocator"), "{stranger}");
	// A later visitor: someone with no contact with the case sits at the meeting's table from
	// 10 minutes after the case left, for 20 minutes (an app-logged stay).
	let allowed = allowed_notifications(truth, case, venue, 72 * 3_600);
	let visitor = *allowed.iter().find(|(_, levels)| levels == &&["none"].into()).unwrap().0;
	let visitor_today = cli.ok(&["keys", "show", "--seed", &seed_file(visitor)]);
	let (table, left) = scenario.table.clone();
	std::fs::write(
		dir.join("visitor.csv"),
		format!(
			"pseudonym,start,end,geohash,source\n{},{},{},{table},gnss\n",
			visitor_today["pseudonym"].as_str().unwrap(),
			left + 600,
			left + 1_800
		),
	)
	.unwrap();

	// Eve (the dev chain's gateway) writes everything once the matcher has registered.
	let rows =
		std::fs::read_to_string(dir.join("pop/trajectories.csv")).unwrap().lines().count() - 1;
	let presences = truth["presences"].as_array().unwrap().len();
	let summary = eventually("the matcher's registration", 120, || {
		let out =
			cli.run(&["--json", "locator", "submit", "--suri", "//Eve", "pop/trajectories.csv"]);
		out.status.success().then(|| serde_json::from_slice::<Value>(&out.stdout).unwrap())
	});
	assert_eq!(summary["rowsRead"], rows);
	// Sightings and check-ins merge back into one stay per presence.
	assert_eq!(summary["staysPlanned"], presences, "{summary}");
	assert_eq!(summary["staysStored"], presences, "{summary}");
	assert_eq!(summary["rejected"], serde_json::json!({}));
	let later = cli.ok(&["locator", "submit", "--suri", "//Eve", "visitor.csv"]);
	assert_eq!(later["staysStored"], 1, "{later}");

	// patient and diagnostician
	cli.consent(case, "consent.json");
	let endorsed =
		cli.ok(&["diagnostician", "endorse", "--suri", "//Ferdie", "--consent", "consent.json"]);
	assert!(endorsed.to_string().contains("Diagnosis::CaseEndorsed"), "{endorsed}");
	let replay =
		cli.fails(&["diagnostician", "endorse", "--suri", "//Ferdie", "--consent", "consent.json"]);
	assert!(replay.contains("Diagnosis::NullifierUsed"), "{replay}");
	let wrong =
		cli.fails(&["diagnostician", "endorse", "--suri", "//Dave", "--consent", "consent.json"]);
	assert!(wrong.contains("authorises"), "{wrong}");

	// user: the planted meeting's partner is High, the later visitor Indirect, and every
	// person's notification is what the ground truth allows
	eventually("the partner's notification", 180, || {
		let n = cli.ok(&["user", "notifications", "--seed", &seed_file(partner), "--days", "3"]);
		(n["mine"].as_array().unwrap().len() == 1).then(|| n["mine"][0].clone())
	});
	let mut allowed = allowed;
	allowed.insert(visitor, ["indirect"].into());
	let levels = check_notifications(&cli, &allowed);
	assert_eq!(levels[&partner], "high");
	assert_eq!(levels[&visitor], "indirect");
	let high = levels.values().filter(|l| *l == "high").count();
	let truly_high = allowed.values().filter(|a| a == &&["high"].into()).count();
	assert!(high >= truly_high, "every contact of 35 minutes or more is High");
	eprintln!("notifications by level: {:?}", {
		let mut by = BTreeMap::<&str, usize>::new();
		levels.values().for_each(|l| *by.entry(l.as_str()).or_default() += 1);
		by
	});

	// the pull query returns the meeting partner's own minutes, at the meeting's material
	let first = truth["contacts"]
		.as_array()
		.unwrap()
		.iter()
		.find(|c| c["case"] == case && c["other"] == partner)
		.unwrap();
	let other = partner;
	let answer = cli.ok(&[
		"user",
		"query",
		"--seed",
		&seed_file(other),
		"--matcher",
		&matcher,
		"--days",
		"3",
	]);
	// The table's minutes at least (app-logged: exact), the truth's at most (a shared lunch
	// seen by Wi-Fi counts only what was sighted).
	let minutes = answer["exposures"][0]["minutes"].as_u64().unwrap();
	let planted = truth["meetings"][0]["minutes"].as_u64().unwrap();
	assert!(planted <= minutes && minutes <= first["minutes"].as_u64().unwrap(), "{answer}");
	assert_eq!(answer["exposures"][0]["material"], "Plastic");

	// locations
	let infected = cli.ok(&["user", "infected", "xn76u"]);
	assert_eq!(infected["cells"], serde_json::json!([venue]), "{infected}");
	assert_eq!(cli.ok(&["user", "location", venue])["state"], "infected");
	cli.ok(&["authority", "mark-cleaned", venue]);
	assert_eq!(cli.ok(&["user", "location", venue])["state"], "clean");
	cli.ok(&["authority", "set-material", venue, "--material", "glass"]);
	assert_eq!(cli.ok(&["user", "location", venue])["material"], "Glass");
	let stranger = cli.fails(&["authority", "set-operator", venue, "--operator", "//Ferdie"]);
	assert!(stranger.contains("Locations::OperatorNotVenue"), "{stranger}");

	// revocation
	let revoked = cli.ok(&[
		"diagnostician",
		"revoke",
		"--suri",
		"//Ferdie",
		"--case",
		"0",
		"--reason",
		"false-positive",
	]);
	assert!(revoked.to_string().contains("Diagnosis::CaseRevoked"), "{revoked}");
	let after = cli.ok(&["user", "notifications", "--seed", &seed_file(other), "--days", "3"]);
	assert_eq!(after["mine"][0]["revoked"], true, "{after}");

	// watch
	let watched = cli.ok(&["watch", "--blocks", "1"]);
	assert!(watched["block"].is_u64() && watched["events"].is_array(), "{watched}");

	// load: figures on the dev region
	let load = cli.ok(&["load", "--locators", "2", "--people", "40", "--duration-secs", "20"]);
	assert!(load["finalizedStays"].as_u64().unwrap() > 0, "{load}");
	assert!(load["latencySecs"]["p95"].as_f64().unwrap() > 0.0, "{load}");
	// The chain takes batches dated up to 2 days back: a fourth day is refused before writing.
	let refused = cli.fails(&["load", "--people", "40", "--days", "4"]);
	assert!(
		refused.contains("Csi::MaxBatchAgeDays") && refused.contains("at most 3 days"),
		"{refused}"
	);

	std::fs::remove_dir_all(&dir).unwrap();
}

/// The dev chain's council is Alice, Bob and Charlie; Alice is also the sudo key. Bob and
/// Charlie act as the authority only together, through motions.
#[test]
fn two_of_three_council_members_act_as_the_authority() {
	let dir = scratch("council");
	let (_processes, cli, _) = start_node(&dir, "http://127.0.0.1:9");
	let members = cli.ok(&["council", "members"]);
	assert_eq!(members["members"].as_array().unwrap().len(), 3, "{members}");
	assert_eq!(members["threshold"], 2);

	// Someone outside the council is refused before anything is sent.
	let stranger =
		cli.fails(&["authority", "--suri", "//Dave", "add-locator", "//Two", "--kind", "wifi"]);
	assert!(stranger.contains("neither the chain's sudo key nor a council member"), "{stranger}");

	// Bob's call becomes a motion with his aye; it does nothing until Charlie agrees.
	let add = ["add-locator", "//Two", "--kind", "wifi", "--region", "xn7"];
	let mut by_bob = vec!["authority", "--suri", "//Bob"];
	by_bob.extend_from_slice(&add);
	let motion = cli.ok(&by_bob);
	assert_eq!((motion["ayes"].as_u64(), motion["threshold"].as_u64()), (Some(1), Some(2)));
	assert_eq!(motion["call"], "Csi::register_locator");
	let hash = motion["motion"].as_str().unwrap().to_string();
	let open = cli.ok(&["council", "motions"]);
	assert_eq!(open["motions"][0]["motion"], hash.as_str(), "{open}");
	let not_yet = cli.fails(&["council", "close", "--suri", "//Eve", &hash]);
	assert!(not_yet.contains("Council::TooEarly"), "{not_yet}");

	// Charlie's aye makes two of three: the motion closes and the locator is registered.
	let passed = cli.ok(&["council", "vote", "--suri", "//Charlie", &hash]);
	let events = passed["events"].to_string();
	assert!(events.contains("Csi::LocatorRegistered"), "{passed}");
	assert!(events.contains("Council::Executed"), "{passed}");
	assert_eq!(cli.ok(&["council", "motions"])["motions"], serde_json::json!([]));
	let mut by_sudo = vec!["authority", "--suri", "//Alice"];
	by_sudo.extend_from_slice(&add);
	let again = cli.fails(&by_sudo);
	assert!(again.contains("Csi::AlreadyLocator"), "{again}");

	// A motion whose call fails names the call's error.
	let remove = cli.ok(&["authority", "--suri", "//Bob", "remove-diagnostician", "//Charlie"]);
	let remove = remove["motion"].as_str().unwrap().to_string();
	let failed = cli.fails(&["council", "vote", "--suri", "//Alice", &remove]);
	assert!(failed.contains("Diagnosis::NotDiagnostician"), "{failed}");

	// Two nays of three defeat a motion.
	let suspend = cli.ok(&["authority", "--suri", "//Bob", "suspend-locator", "//Two"]);
	let suspend = suspend["motion"].as_str().unwrap().to_string();
	let still_open = cli.ok(&["council", "vote", "--suri", "//Alice", "--nay", &suspend]);
	assert_eq!(still_open["nays"], 1, "{still_open}");
	let defeated = cli.fails(&["council", "vote", "--suri", "//Charlie", "--nay", &suspend]);
	assert!(defeated.contains("disapproved"), "{defeated}");
	assert_eq!(cli.ok(&["council", "motions"])["motions"], serde_json::json!([]));
}

#[test]
fn an_unreachable_node_is_a_clear_error() {
	let cli = Cli { url: format!("ws://127.0.0.1:{}", free_port()), dir: std::env::temp_dir() };
	let error = cli.fails(&["user", "infected"]);
	assert!(error.contains("node unreachable"), "{error}");
}

/// The client's types come from `api/metadata/epichain.scale`; this fails when the runtime
/// changed and the file was not regenerated (`api/metadata/update.sh`).
#[test]
fn the_client_metadata_is_the_runtimes() {
	let dir = std::env::temp_dir();
	let (_processes, cli, _) = start_region(&dir);
	let out = cli.run(&["user", "infected"]);
	assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
	let rpc = cli.url.replace("ws://", "http://");
	let status = Command::new(support::zombienet::repo_root().join("api/metadata/check.sh"))
		.arg(rpc)
		.status()
		.unwrap();
	assert!(status.success(), "api/metadata/epichain.scale is stale: run api/metadata/update.sh");
}

/// The pool answers "Transaction is already imported" for a transaction it already holds: the
/// same bytes submitted twice at once, or, on the fork-aware pool, one of ours that a new view
/// imported from the mempool before our watch connected (a race that 100 ms blocks widen;
/// docs/BENCHMARKS.md, "75 million stays"). That transaction lands, so both submissions
/// report its block and neither is a refusal.
#[test]
fn a_transaction_the_pool_already_holds_is_followed_to_its_block() {
	let dir = scratch("already-imported");
	let (_processes, cli, _) = start_node(&dir, &format!("http://127.0.0.1:{}", free_port()));
	let runtime = tokio::runtime::Runtime::new().unwrap();
	runtime.block_on(async {
		let chain = Connection::connect(&cli.url).await.expect("connects to the dev node");
		let alice = connection::keypair("//Alice").unwrap();
		let payload = epichain_client::runtime::tx().system().remark(b"twice".to_vec());
		let tx = chain.signed_tx(&payload, &alice).await.expect("builds the remark");
		let at = chain.api.at_current_block().await.unwrap();
		let same = at.tx().from_bytes(tx.encoded().to_vec());
		let (first, second) = tokio::join!(
			chain.submit(&payload, tx, Wait::Finalized),
			chain.submit(&payload, same, Wait::Finalized)
		);
		let first = first.expect("the first submission lands");
		let second = second.expect("the second submission is followed to the same block");
		assert_eq!(first.block_hash, second.block_hash);
		assert_eq!(first.block_number, second.block_number);
	});
}

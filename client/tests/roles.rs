//! Every role's verbs of the `epichain` command line against a real dev node and matcher.
//!
//! The node and the matcher are the release binaries `scripts/build.sh` builds next to this
//! client. The population is synthetic (`epichain simulate`).

mod support;

use std::{
	path::Path,
	process::{Command, Stdio},
};

use serde_json::Value;
use support::{eventually, free_port, scratch, seed_file, sibling, Cli, Processes};

fn start_region(dir: &Path) -> (Processes, Cli, String) {
	let (rpc, matcher) = (free_port(), free_port());
	let matcher_url = format!("http://127.0.0.1:{matcher}");
	let node = Command::new(sibling("epichain-node"))
		.args(["--dev", "--tmp", "--no-prometheus", "--no-telemetry", "--port"])
		.arg(free_port().to_string())
		.arg("--rpc-port")
		.arg(rpc.to_string())
		.arg("--matcher-url")
		.arg(&matcher_url)
		.stdout(Stdio::null())
		.stderr(Stdio::null())
		.spawn()
		.expect("node starts");
	let mut processes = Processes(vec![node]);
	let cli = Cli { url: format!("ws://127.0.0.1:{rpc}"), dir: dir.to_path_buf() };
	eventually("the node's RPC", 60, || {
		cli.run(&["user", "infected"]).status.success().then_some(())
	});
	let matcher = Command::new(sibling("epichain-matcher"))
		.args(["--enclave", "simulation", "--authority-suri", "//Alice", "--chain-rpc"])
		.arg(format!("http://127.0.0.1:{rpc}"))
		.arg("--listen")
		.arg(format!("127.0.0.1:{matcher}"))
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

	// simulate: the population the locator writes, and the place of its planted meeting,
	// registered at the locations pallet's venue precision
	let scenario = cli.scenario(40, 3);
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
	// Eve (the dev chain's gateway) writes everything once the matcher has registered.
	let fixes =
		std::fs::read_to_string(dir.join("pop/trajectories.csv")).unwrap().lines().count() - 1;
	let summary = eventually("the matcher's registration", 120, || {
		let out =
			cli.run(&["--json", "locator", "submit", "--suri", "//Eve", "pop/trajectories.csv"]);
		out.status.success().then(|| serde_json::from_slice::<Value>(&out.stdout).unwrap())
	});
	assert_eq!(summary["pointsRead"], fixes);
	assert_eq!(summary["pointsStored"], fixes, "{summary}");
	assert_eq!(summary["rejected"], serde_json::json!({}));

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

	// user: exactly the ground truth's contacts of the case find a notification
	let contacts: Vec<&Value> =
		truth["contacts"].as_array().unwrap().iter().filter(|c| c["case"] == case).collect();
	assert!(!contacts.is_empty());
	for contact in &contacts {
		let other = contact["other"].as_u64().unwrap();
		let found = eventually("the contact's notification", 180, || {
			let n = cli.ok(&["user", "notifications", "--seed", &seed_file(other), "--days", "3"]);
			(n["mine"].as_array().unwrap().len() == 1).then(|| n["mine"][0].clone())
		});
		let high = contact["minutes"].as_u64().unwrap() >= 15;
		assert_eq!(found["risk"], if high { "high" } else { "low" }, "{contact}: {found}");
	}
	let contacted: Vec<u64> = contacts.iter().map(|c| c["other"].as_u64().unwrap()).collect();
	let bystander = (0..40).find(|p| *p != case && !contacted.contains(p)).unwrap();
	let none = cli.ok(&["user", "notifications", "--seed", &seed_file(bystander), "--days", "3"]);
	assert_eq!(none["mine"], serde_json::json!([]), "a bystander is not notified");

	// the pull query returns the meeting partner's own minutes, at the meeting's material
	let first = *contacts.iter().find(|c| c["other"] == partner).unwrap();
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
	assert_eq!(answer["exposures"][0]["minutes"], first["minutes"], "{answer}");
	assert_eq!(answer["exposures"][0]["material"], "Plastic");

	// locations
	let infected = cli.ok(&["user", "infected", "xn76u"]);
	assert_eq!(infected["cells"], serde_json::json!([venue]), "{infected}");
	assert_eq!(cli.ok(&["user", "location", venue])["state"], "infected");
	cli.ok(&["authority", "mark-cleaned", venue]);
	assert_eq!(cli.ok(&["user", "location", venue])["state"], "clean");

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
	assert!(load["finalizedPoints"].as_u64().unwrap() > 0, "{load}");
	assert!(load["latencySecs"]["p95"].as_f64().unwrap() > 0.0, "{load}");

	std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_unreachable_node_is_a_clear_error() {
	let cli = Cli { url: format!("ws://127.0.0.1:{}", free_port()), dir: std::env::temp_dir() };
	let error = cli.fails(&["user", "infected"]);
	assert!(error.contains("node unreachable"), "{error}");
}

/// The client's types come from `client/metadata/epichain.scale`; this fails when the runtime
/// changed and the file was not regenerated (`client/metadata/update.sh`).
#[test]
fn the_client_metadata_is_the_runtimes() {
	let dir = std::env::temp_dir();
	let (_processes, cli, _) = start_region(&dir);
	let out = cli.run(&["user", "infected"]);
	assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
	let rpc = cli.url.replace("ws://", "http://");
	let status = Command::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("metadata/check.sh"))
		.arg(rpc)
		.status()
		.unwrap();
	assert!(
		status.success(),
		"client/metadata/epichain.scale is stale: run client/metadata/update.sh"
	);
}

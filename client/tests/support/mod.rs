//! What the client's integration tests share: the release binaries next to `epichain`, child
//! processes that die with the test, the command line run as a user would, and polling.

#![allow(dead_code)]

pub mod zombienet;

use std::{
	collections::{BTreeMap, BTreeSet},
	net::TcpListener,
	path::{Path, PathBuf},
	process::{Child, Command, Output},
	time::{Duration, Instant},
};

use serde_json::Value;

/// The `epichain` binary under test.
pub const EPICHAIN: &str = env!("CARGO_BIN_EXE_epichain");

/// A binary `scripts/build.sh` builds next to `epichain` (the node, the matcher).
pub fn sibling(name: &str) -> PathBuf {
	let path = Path::new(EPICHAIN).with_file_name(name);
	assert!(path.exists(), "{} is missing: build it with scripts/build.sh", path.display());
	path
}

/// A TCP port free on localhost right now.
pub fn free_port() -> u16 {
	TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Child processes killed when the test ends, pass or fail.
#[derive(Default)]
pub struct Processes(pub Vec<Child>);

impl Drop for Processes {
	fn drop(&mut self) {
		for child in &mut self.0 {
			let _ = child.kill();
			let _ = child.wait();
		}
	}
}

/// The `epichain` command line against one node, run in a working directory.
pub struct Cli {
	/// The node's WebSocket RPC URL.
	pub url: String,
	/// Where relative paths (seed files, populations) resolve.
	pub dir: PathBuf,
}

impl Cli {
	/// The same command line against another node.
	pub fn at(&self, url: &str) -> Cli {
		Cli { url: url.to_string(), dir: self.dir.clone() }
	}

	/// Runs `epichain --url … args`.
	pub fn run(&self, args: &[&str]) -> Output {
		Command::new(EPICHAIN)
			.arg("--url")
			.arg(&self.url)
			.args(args)
			.current_dir(&self.dir)
			.output()
			.expect("epichain runs")
	}

	/// Runs a verb that must succeed; its `--json` output.
	pub fn ok(&self, args: &[&str]) -> Value {
		let mut all = vec!["--json"];
		all.extend_from_slice(args);
		let out = self.run(&all);
		let stdout = String::from_utf8_lossy(&out.stdout);
		assert!(
			out.status.success(),
			"epichain {args:?} failed: {}{}",
			stdout,
			String::from_utf8_lossy(&out.stderr)
		);
		serde_json::from_str(stdout.lines().last().unwrap_or("null"))
			.unwrap_or_else(|_| Value::String(stdout.to_string()))
	}

	/// Runs a verb that must fail; its error message.
	pub fn fails(&self, args: &[&str]) -> String {
		let out = self.run(args);
		assert!(!out.status.success(), "epichain {args:?} should fail");
		String::from_utf8_lossy(&out.stderr).to_string()
	}
}

/// Polls `probe` every two seconds until it gives a value; fails the test after `secs`.
pub fn eventually<T>(what: &str, secs: u64, mut probe: impl FnMut() -> Option<T>) -> T {
	let deadline = Instant::now() + Duration::from_secs(secs);
	loop {
		if let Some(v) = probe() {
			return v;
		}
		assert!(Instant::now() < deadline, "timed out waiting for {what}");
		std::thread::sleep(Duration::from_secs(2));
	}
}

/// A fresh, empty scratch directory for one test.
pub fn scratch(name: &str) -> PathBuf {
	let dir = std::env::temp_dir().join(format!("epichain-{name}-{}", std::process::id()));
	let _ = std::fs::remove_dir_all(&dir);
	std::fs::create_dir_all(&dir).unwrap();
	dir
}

/// Person `p`'s device seed file in a simulated population written to `pop/`.
pub fn seed_file(p: u64) -> String {
	format!("pop/seeds/person-{p:04}.seed")
}

/// A simulated population in `pop/` and its first planted meeting, a close one.
pub struct Scenario {
	/// `pop/truth.json`.
	pub truth: Value,
	/// The person who becomes the case.
	pub case: u64,
	/// The person the case met.
	pub partner: u64,
	/// Where they met: the meeting table's cell at the locations pallet's venue precision,
	/// 7 characters.
	pub venue: String,
	/// The meeting's table: its 9-character cell, and when the case left it (Unix seconds).
	pub table: (String, u64),
}

impl Cli {
	/// `epichain simulate --mix <mix>` of `people` people from `seed` into `pop/`, and its
	/// first meeting.
	pub fn scenario(&self, people: u32, seed: u64, mix: &str) -> Scenario {
		let (people, seed) = (people.to_string(), seed.to_string());
		self.ok(&["simulate", "--out", "pop", "--people", &people, "--seed", &seed, "--mix", mix]);
		let truth: Value = serde_json::from_str(
			&std::fs::read_to_string(self.dir.join("pop/truth.json")).unwrap(),
		)
		.unwrap();
		let meeting = &truth["meetings"][0];
		assert_eq!(meeting["kind"], "close");
		let case = meeting["people"][0].as_u64().unwrap();
		let partner = meeting["people"][1].as_u64().unwrap();
		let table = truth["presences"]
			.as_array()
			.unwrap()
			.iter()
			.find(|p| p["person"] == case && place_of(&truth, p)["kind"] == "table")
			.expect("the case's planted meeting");
		let cell = place_of(&truth, table)["cell"].as_str().unwrap().to_string();
		let left = table["to"].as_u64().unwrap();
		let venue = cell[..7].to_string();
		Scenario { truth, case, partner, venue, table: (cell, left) }
	}
	/// Lab `lab-1`'s case `c-1` for `person`: the patient's consent for Ferdie, written to
	/// `out`.
	pub fn consent(&self, person: u64, out: &str) {
		self.consent_for(person, "c-1", out)
	}

	/// [`Cli::consent`] for lab `lab-1`'s case `case_id`.
	pub fn consent_for(&self, person: u64, case_id: &str, out: &str) {
		let nullifier =
			self.ok(&["diagnostician", "nullifier", "--lab", "lab-1", "--case-id", case_id]);
		let nullifier = nullifier["nullifier"].as_str().unwrap().to_string();
		self.ok(&[
			"patient",
			"consent",
			"--seed",
			&seed_file(person),
			"--diagnostician",
			"//Ferdie",
			"--nullifier",
			&nullifier,
			"--out",
			out,
		]);
	}
}

/// The place of a presence in `truth.json`.
pub fn place_of<'a>(truth: &'a Value, presence: &Value) -> &'a Value {
	&truth["places"][presence["place"].as_u64().unwrap() as usize]
}

/// What the simulation's truth (the presences, not the observations) allows each person's
/// notification to be once `case` is endorsed and the place `venue` (a cell prefix) is
/// registered with a surface whose virus survives `survival_secs`. `none` is no notification.
///
/// - Together with the case for at least 35 minutes: `high`. A sparse observation can cut up
///   to one sighting gap (10 minutes) from each end of an overlap, never add to it, so 35
///   true minutes are at least 15 judged ones.
/// - From 15 to 35 minutes: `high`, `low` or `none`; under 15 minutes: `low` or `none`.
/// - At `venue` during or after a stay of the case there, within `survival_secs`:
///   `indirect` as well.
/// - Anyone else: `none`.
pub fn allowed_notifications(
	truth: &Value,
	case: u64,
	venue: &str,
	survival_secs: u64,
) -> BTreeMap<u64, BTreeSet<&'static str>> {
	let people = truth["spec"]["people"].as_u64().unwrap();
	let mut together = BTreeMap::<u64, u64>::new();
	for c in truth["contacts"].as_array().unwrap().iter().filter(|c| c["case"] == case) {
		*together.entry(c["other"].as_u64().unwrap()).or_default() +=
			c["seconds"].as_u64().unwrap();
	}
	let presences = truth["presences"].as_array().unwrap();
	let at_venue = |p: &&Value| place_of(truth, p)["cell"].as_str().unwrap().starts_with(venue);
	let case_there: Vec<(u64, u64)> = presences
		.iter()
		.filter(|p| p["person"] == case)
		.filter(at_venue)
		.map(|p| (p["from"].as_u64().unwrap(), p["to"].as_u64().unwrap()))
		.collect();
	let mut allowed = BTreeMap::new();
	for person in (0..people).filter(|p| *p != case) {
		let secs = together.get(&person).copied().unwrap_or(0);
		let mut levels: BTreeSet<&'static str> = match secs {
			0 if !together.contains_key(&person) => ["none"].into(),
			s if s >= 35 * 60 => ["high"].into(),
			s if s >= 15 * 60 => ["high", "low", "none"].into(),
			_ => ["low", "none"].into(),
		};
		let later = presences.iter().filter(|p| p["person"] == person).filter(at_venue).any(|p| {
			let (from, to) = (p["from"].as_u64().unwrap(), p["to"].as_u64().unwrap());
			case_there.iter().any(|(cf, ct)| from <= ct + survival_secs && to >= *cf)
		});
		if later && levels.contains("none") {
			levels.insert("indirect");
		}
		allowed.insert(person, levels);
	}
	allowed
}

/// Every person's notification level on `cli`'s node (`none` without one), checked against
/// `allowed`; the levels.
pub fn check_notifications(
	cli: &Cli,
	allowed: &BTreeMap<u64, BTreeSet<&'static str>>,
) -> BTreeMap<u64, String> {
	let mut got = BTreeMap::new();
	for (person, levels) in allowed {
		let n = cli.ok(&["user", "notifications", "--seed", &seed_file(*person), "--days", "3"]);
		let mine = n["mine"].as_array().unwrap();
		assert!(mine.len() <= 1, "person {person}: one notification at most: {n}");
		let level = mine.first().map_or("none".to_string(), |m| m["risk"].as_str().unwrap().into());
		assert!(
			levels.contains(level.as_str()),
			"person {person}: {level}, truth allows {levels:?}"
		);
		got.insert(*person, level);
	}
	got
}

/// `GET url` (`http://host:port/path`) over HTTP/1.1: the body, if the answer is 200.
#[allow(dead_code)]
pub fn http_get(url: &str) -> Option<String> {
	use std::io::{Read, Write};
	let rest = url.strip_prefix("http://")?;
	let (host, path) =
		rest.split_once('/').map_or((rest, String::from("/")), |(h, p)| (h, format!("/{p}")));
	let mut stream = std::net::TcpStream::connect(host).ok()?;
	stream.set_read_timeout(Some(std::time::Duration::from_secs(30))).ok()?;
	write!(stream, "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").ok()?;
	let mut response = String::new();
	stream.read_to_string(&mut response).ok()?;
	let (head, body) = response.split_once("\r\n\r\n")?;
	(head.split(' ').nth(1)? == "200").then(|| body.to_string())
}

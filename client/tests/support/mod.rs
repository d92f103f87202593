//! What the client's integration tests share: the release binaries next to `epichain`, child
//! processes that die with the test, the command line run as a user would, and polling.

#![allow(dead_code)]

pub mod zombienet;

use std::{
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
	/// Where they met: the case's Bluetooth fix (planted meetings are the Bluetooth fixes) at
	/// the locations pallet's venue precision, 7 characters.
	pub venue: String,
}

impl Cli {
	/// `epichain simulate` of `people` people from `seed` into `pop/`, and its first meeting.
	pub fn scenario(&self, people: u32, seed: u64) -> Scenario {
		let (people, seed) = (people.to_string(), seed.to_string());
		self.ok(&["simulate", "--out", "pop", "--people", &people, "--seed", &seed]);
		let truth: Value = serde_json::from_str(
			&std::fs::read_to_string(self.dir.join("pop/truth.json")).unwrap(),
		)
		.unwrap();
		let meeting = &truth["meetings"][0];
		assert_eq!(meeting["kind"], "close");
		let case = meeting["people"][0].as_u64().unwrap();
		let partner = meeting["people"][1].as_u64().unwrap();
		let case_today = self.ok(&["keys", "show", "--seed", &seed_file(case)]);
		let pseudonym = case_today["pseudonym"].as_str().unwrap().to_string();
		let csv = std::fs::read_to_string(self.dir.join("pop/trajectories.csv")).unwrap();
		let venue = csv
			.lines()
			.find(|l| l.starts_with(&pseudonym) && l.ends_with("bluetooth"))
			.map(|l| l.split(',').nth(2).unwrap()[..7].to_string())
			.expect("the case's planted meeting");
		Scenario { truth, case, partner, venue }
	}

	/// Lab `lab-1`'s case `c-1` for `person`: the patient's consent for Ferdie, written to
	/// `out`.
	pub fn consent(&self, person: u64, out: &str) {
		let nullifier =
			self.ok(&["diagnostician", "nullifier", "--lab", "lab-1", "--case-id", "c-1"]);
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

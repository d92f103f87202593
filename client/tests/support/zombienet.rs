//! Multi-node epichain regions on zombienet's native provider, for the network tests.
//!
//! [`Network::spawn`] writes a zombienet network file, runs `zombienet/run.sh spawn` (the same
//! zombienet the smoke test uses) in its own process group, and waits for zombienet's
//! `zombie.json`, which names every node's RPC endpoint. The test then drives the nodes over RPC
//! and, for the fault tests, kills, restarts and wipes validators itself: a node is found by
//! its `--base-path` in `/proc` and restarted with the exact command line zombienet gave it.
//! Everything the network started is killed when the value drops, pass or fail.
//!
//! Run directories (node logs, chain specs, databases) are under `zombienet/runs/`.

use std::{
	collections::BTreeMap,
	fs::{File, OpenOptions},
	os::unix::process::CommandExt,
	path::{Path, PathBuf},
	process::{Child, Command, Stdio},
	sync::{Mutex, MutexGuard},
	time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

use jsonrpsee::{
	core::{client::ClientT, params::ArrayParams},
	http_client::HttpClientBuilder,
};
use serde_json::Value;

use super::{eventually, sibling};

/// One network at a time: four validators already keep both cores of a small machine busy.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Takes the machine for one network test (released when the guard drops).
pub fn exclusive() -> MutexGuard<'static, ()> {
	ONE_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// False when `EPICHAIN_SKIP_ZOMBIENET=1` (`scripts/test.sh` documents the switch).
pub fn enabled() -> bool {
	if std::env::var("EPICHAIN_SKIP_ZOMBIENET").is_ok_and(|v| v == "1") {
		eprintln!("EPICHAIN_SKIP_ZOMBIENET=1: network test skipped");
		return false;
	}
	true
}

/// The repository root (the client crate's parent), as cargo names the crate's directory when
/// the test runs, not when it was compiled: a shared target directory may hold a test binary
/// built in another clone, perhaps deleted.
pub fn repo_root() -> PathBuf {
	let client: PathBuf = std::env::var_os("CARGO_MANIFEST_DIR")
		.map_or_else(|| env!("CARGO_MANIFEST_DIR").into(), Into::into);
	client.parent().expect("client/ has a parent").to_path_buf()
}

/// One node of a running network.
#[derive(Clone, Debug)]
pub struct Node {
	/// Zombienet's name for it (`alice`, `bob`, …): also its session keys' seed.
	pub name: String,
	/// WebSocket RPC URL.
	pub ws: String,
	/// HTTP RPC URL (the same port).
	pub http: String,
	/// Its `--base-path`.
	pub base: PathBuf,
}

/// A network zombienet spawned, torn down on drop.
pub struct Network {
	/// The run directory.
	pub dir: PathBuf,
	/// The nodes, in the order of the network file.
	pub nodes: Vec<Node>,
	spawner: Child,
	restarted: Vec<Child>,
	stopped: BTreeMap<String, Vec<String>>,
	rt: tokio::runtime::Runtime,
}

impl Network {
	/// Spawns `validators` (zombienet node names) on chain `chain` (a node `--chain` id, or the
	/// path of a plain chain spec whose id is `local`), every node with `args` besides
	/// zombienet's own, and waits until every node has finalized a block.
	pub fn spawn(label: &str, chain: &str, validators: &[&str], args: &[String]) -> Network {
		let stamp = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_millis();
		let runs = repo_root().join("zombienet/runs");
		std::fs::create_dir_all(&runs).unwrap();
		let dir = runs.join(format!("{label}-{stamp}"));
		let chain_line = match chain.strip_suffix(".json") {
			Some(_) => format!("chain = \"local\"\nchain_spec_path = {chain:?}"),
			None => format!("chain = \"{chain}\""),
		};
		let mut toml = format!(
			"# Written by the client's network tests.\n[settings]\ntimeout = 600\n\
			 provider = \"native\"\n\n[relaychain]\n{chain_line}\n\
			 default_command = \"epichain-node\"\ndefault_args = {args:?}\n"
		);
		for v in validators {
			toml.push_str(&format!(
				"\n  [[relaychain.nodes]]\n  name = \"{v}\"\n  validator = true\n"
			));
		}
		let network_file = runs.join(format!("{label}-{stamp}.toml"));
		std::fs::write(&network_file, toml).unwrap();
		let log = File::create(runs.join(format!("{label}-{stamp}.spawn.log"))).unwrap();
		let spawner = Command::new(repo_root().join("zombienet/run.sh"))
			.arg("spawn")
			.arg(&network_file)
			.env("ZOMBIENET_RUN_DIR", &dir)
			.env("EPICHAIN_NODE", sibling("epichain-node"))
			.stdin(Stdio::null())
			.stdout(log.try_clone().unwrap())
			.stderr(log)
			.process_group(0)
			.spawn()
			.expect("zombienet/run.sh starts");
		let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
		let mut network = Network {
			dir: dir.clone(),
			nodes: Vec::new(),
			spawner,
			restarted: Vec::new(),
			stopped: BTreeMap::new(),
			rt,
		};
		let started = Instant::now();
		let info: Value = loop {
			if let Ok(text) = std::fs::read_to_string(dir.join("zombie.json")) {
				if let Ok(v) = serde_json::from_str(&text) {
					break v;
				}
			}
			if let Ok(Some(status)) = network.spawner.try_wait() {
				panic!(
					"zombienet exited ({status}) before the network was up: see {}",
					dir.display()
				);
			}
			assert!(
				started.elapsed() < Duration::from_secs(300),
				"zombienet did not bring the network up in 300 s: see {}",
				dir.display()
			);
			std::thread::sleep(Duration::from_millis(500));
		};
		for name in validators {
			let ws =
				info["nodesByName"][name]["wsUri"].as_str().expect("zombie.json names the node");
			network.nodes.push(Node {
				name: name.to_string(),
				ws: ws.to_string(),
				http: ws.replace("ws://", "http://"),
				base: dir.join(name).join("data"),
			});
		}
		for name in validators {
			network.wait_finalized(name, 1, 300);
		}
		eprintln!(
			"network {label} ({chain}, {} validators) up in {:.0} s at {}",
			validators.len(),
			started.elapsed().as_secs_f64(),
			dir.display()
		);
		network
	}

	/// The node called `name`.
	pub fn node(&self, name: &str) -> &Node {
		self.nodes.iter().find(|n| n.name == name).expect("a node of this network")
	}

	/// A JSON-RPC call to node `name`.
	pub fn rpc(&self, name: &str, method: &str, params: Vec<Value>) -> Result<Value, String> {
		let url = &self.node(name).http;
		let client = HttpClientBuilder::default()
			.max_response_size(256 << 20)
			.request_timeout(Duration::from_secs(60))
			.build(url)
			.map_err(|e| e.to_string())?;
		let mut p = ArrayParams::new();
		for v in params {
			p.insert(v).expect("JSON serialises");
		}
		self.rt.block_on(client.request::<Value, _>(method, p)).map_err(|e| e.to_string())
	}

	/// The number and hash of node `name`'s finalized head.
	pub fn finalized(&self, name: &str) -> Option<(u64, String)> {
		let hash = self.rpc(name, "chain_getFinalizedHead", vec![]).ok()?;
		let header = self.rpc(name, "chain_getHeader", vec![hash.clone()]).ok()?;
		Some((hex_number(&header["number"]), hash.as_str()?.to_string()))
	}

	/// The number of node `name`'s best block.
	pub fn best(&self, name: &str) -> Option<u64> {
		let header = self.rpc(name, "chain_getHeader", vec![]).ok()?;
		Some(hex_number(&header["number"]))
	}

	/// The hash of block `number` on node `name`'s chain.
	pub fn hash_at(&self, name: &str, number: u64) -> Option<String> {
		self.rpc(name, "chain_getBlockHash", vec![number.into()]).ok()?.as_str().map(str::to_string)
	}

	/// Waits until node `name` has finalized block `number`; its finalized height then.
	pub fn wait_finalized(&self, name: &str, number: u64, secs: u64) -> u64 {
		eventually(&format!("{name} to finalize #{number}"), secs, || {
			self.finalized(name).map(|(n, _)| n).filter(|n| *n >= number)
		})
	}

	/// Kills node `name` (SIGKILL, as a crash would) and remembers its command line.
	pub fn kill(&mut self, name: &str) {
		let base = self.node(name).base.clone();
		let (pid, argv) = find_node_process(&base).expect("the node is running");
		let status = Command::new("kill").args(["-9", &pid.to_string()]).status().unwrap();
		assert!(status.success(), "kill -9 {pid}");
		eventually(&format!("{name} to die"), 30, || {
			(!Path::new(&format!("/proc/{pid}/cmdline")).exists()
				|| find_node_process(&base).is_none())
			.then_some(())
		});
		self.stopped.insert(name.to_string(), argv);
	}

	/// Removes node `name`'s chain database (keeps its keystore and network key). The node
	/// must be stopped.
	pub fn wipe_database(&self, name: &str) {
		assert!(self.stopped.contains_key(name), "stop {name} before wiping its database");
		let chains = self.node(name).base.join("chains");
		let mut wiped = 0;
		for chain in std::fs::read_dir(&chains).unwrap() {
			let chain = chain.unwrap().path();
			for db in ["paritydb", "db"] {
				if chain.join(db).exists() {
					std::fs::remove_dir_all(chain.join(db)).unwrap();
					wiped += 1;
				}
			}
		}
		assert!(wiped > 0, "no database under {}", chains.display());
	}

	/// Starts a killed node again with its own command line, appending to its log.
	pub fn restart(&mut self, name: &str) {
		let argv = self.stopped.remove(name).expect("the node was killed by this network");
		let log = OpenOptions::new()
			.append(true)
			.create(true)
			.open(self.dir.join(format!("{name}.log")))
			.unwrap();
		let child = Command::new(sibling("epichain-node"))
			.args(&argv[1..])
			.stdin(Stdio::null())
			.stdout(log.try_clone().unwrap())
			.stderr(log)
			.spawn()
			.expect("the node restarts");
		self.restarted.push(child);
		eventually(&format!("{name}'s RPC after the restart"), 120, || self.best(name).map(|_| ()));
	}

	/// The text of node `name`'s log.
	pub fn log(&self, name: &str) -> String {
		std::fs::read_to_string(self.dir.join(format!("{name}.log"))).unwrap_or_default()
	}
}

impl Drop for Network {
	fn drop(&mut self) {
		let group = format!("-{}", self.spawner.id());
		let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
		for child in &mut self.restarted {
			let _ = child.kill();
			let _ = child.wait();
		}
		std::thread::sleep(Duration::from_secs(1));
		let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
		let _ = self.spawner.wait();
		// Anything else started for this run directory (a node restarted by hand).
		for node in &self.nodes {
			if let Some((pid, _)) = find_node_process(&node.base) {
				let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
			}
		}
	}
}

/// The process whose `--base-path` is `base`: its pid and command line.
fn find_node_process(base: &Path) -> Option<(u32, Vec<String>)> {
	let base = base.to_str()?;
	for entry in std::fs::read_dir("/proc").ok()?.flatten() {
		let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else { continue };
		let Ok(raw) = std::fs::read(entry.path().join("cmdline")) else { continue };
		let argv: Vec<String> = raw
			.split(|b| *b == 0)
			.filter(|a| !a.is_empty())
			.map(|a| String::from_utf8_lossy(a).into_owned())
			.collect();
		let is_node = argv.first().is_some_and(|a| a.ends_with("epichain-node"));
		if is_node && argv.windows(2).any(|w| w[0] == "--base-path" && w[1] == base) {
			return Some((pid, argv));
		}
	}
	None
}

/// A block number as JSON-RPC gives it (`"0x1f"`).
pub fn hex_number(v: &Value) -> u64 {
	v.as_str()
		.and_then(|s| u64::from_str_radix(s.trim_start_matches("0x"), 16).ok())
		.unwrap_or_else(|| panic!("not a hex number: {v}"))
}

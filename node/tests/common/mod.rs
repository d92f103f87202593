//! Helpers for tests that run the real `epichain-node` binary.

#![allow(dead_code)]

pub mod csi;
pub mod proxy;
pub mod tx;

use std::{
	io::{BufRead, BufReader, Read, Write},
	net::{TcpListener, TcpStream},
	process::{Child, Command, ExitStatus, Stdio},
	sync::mpsc,
	thread,
	time::{Duration, Instant},
};

/// The node binary cargo built for these tests.
pub const NODE: &str = env!("CARGO_BIN_EXE_epichain-node");

/// The package's directory as cargo gives it when the test runs, not when it was compiled: a
/// shared target directory may hold a test binary built in another clone, perhaps deleted.
pub fn manifest_dir() -> std::path::PathBuf {
	std::env::var_os("CARGO_MANIFEST_DIR")
		.map_or_else(|| env!("CARGO_MANIFEST_DIR").into(), Into::into)
}

/// The node binary the tests run: [`NODE`], or the one `EPICHAIN_NODE_UNDER_TEST` names (for
/// example an older build, to show that a new test fails on the code before its fix).
pub fn node_binary() -> std::path::PathBuf {
	std::env::var_os("EPICHAIN_NODE_UNDER_TEST").map_or_else(|| NODE.into(), Into::into)
}

/// The matcher binary, built next to the node (`scripts/build.sh` builds both).
pub fn matcher_binary() -> std::path::PathBuf {
	let path = node_binary().with_file_name("epichain-matcher");
	assert!(path.exists(), "{} is missing: build it with scripts/build.sh", path.display());
	path
}

/// The dev chain's raw spec, as the node under test exports it (once per test process): what
/// a matcher trusts.
pub fn dev_chain_spec() -> std::path::PathBuf {
	static SPEC: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
	SPEC.get_or_init(|| {
		let out = Command::new(node_binary())
			.args(["export-chain-spec", "--chain", "dev", "--raw"])
			.stderr(Stdio::null())
			.output()
			.expect("the node exports its dev chain spec");
		assert!(out.status.success(), "export-chain-spec --chain dev --raw");
		let path = scratch_dir("dev-spec").join("dev-raw.json");
		std::fs::write(&path, out.stdout).unwrap();
		path
	})
	.clone()
}

/// Spawns `command` with stderr piped into a channel of lines.
fn spawn_logged(command: &mut Command, what: &str) -> (Child, mpsc::Receiver<String>) {
	let mut child = command
		.stdout(Stdio::null())
		.stderr(Stdio::piped())
		.spawn()
		.unwrap_or_else(|e| panic!("{what} starts: {e}"));
	let stderr = child.stderr.take().unwrap();
	let (tx, log) = mpsc::channel();
	thread::spawn(move || {
		for line in BufReader::new(stderr).lines().map_while(Result::ok) {
			if tx.send(line).is_err() {
				break;
			}
		}
	});
	(child, log)
}

/// One HTTP/1.1 request to 127.0.0.1:`port`; the status and the body, `None` while nothing
/// listens.
pub fn http(port: u16, method: &str, path: &str, body: &str) -> Option<(u16, String)> {
	let (status, body) = http_bytes(port, method, path, "application/json", body.as_bytes())?;
	Some((status, String::from_utf8_lossy(&body).into_owned()))
}

/// [`http`] with a body of any bytes and content type; the answer's bytes.
#[allow(dead_code)]
pub fn http_bytes(
	port: u16,
	method: &str,
	path: &str,
	content_type: &str,
	body: &[u8],
) -> Option<(u16, Vec<u8>)> {
	let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
	stream.set_read_timeout(Some(Duration::from_secs(30))).ok()?;
	write!(
		stream,
		"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\n\
		 Content-Length: {}\r\nConnection: close\r\n\r\n",
		body.len(),
	)
	.ok()?;
	stream.write_all(body).ok()?;
	let mut response = Vec::new();
	stream.read_to_end(&mut response).ok()?;
	let end = response.windows(4).position(|w| w == b"\r\n\r\n")?;
	let head = String::from_utf8_lossy(&response[..end]);
	let status = head.split(' ').nth(1)?.parse().ok()?;
	Some((status, response[end + 4..].to_vec()))
}

/// A running matcher process (simulation enclave), killed when dropped.
pub struct Matcher {
	child: Child,
	/// Its HTTP port on 127.0.0.1.
	pub port: u16,
	log: mpsc::Receiver<String>,
	/// The base path it seals its keys under.
	pub base_path: std::path::PathBuf,
}

/// A fresh directory for a test process's files.
pub fn scratch_dir(what: &str) -> std::path::PathBuf {
	static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
	let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
	let dir = std::env::temp_dir().join(format!("epichain-test-{what}-{}-{n}", std::process::id()));
	let _ = std::fs::remove_dir_all(&dir);
	std::fs::create_dir_all(&dir).unwrap();
	dir
}

impl Matcher {
	/// Starts `epichain-matcher` against `node` on `port`, self-registering with Alice's sudo
	/// key, its keys sealed under a fresh directory.
	pub fn start(node: &Node, port: u16) -> Matcher {
		Matcher::start_in(node, port, &scratch_dir("matcher"))
	}

	/// Starts `epichain-matcher` with its keys sealed under `base_path`: a matcher started
	/// again on the same path is the same matcher.
	pub fn start_in(node: &Node, port: u16, base_path: &std::path::Path) -> Matcher {
		Matcher::start_at(&format!("http://127.0.0.1:{}", node.rpc_port), port, base_path)
	}

	/// [`Matcher::start_in`], reading the chain from the RPC at `chain_rpc` (a node, or a
	/// proxy in front of one) of the dev chain.
	pub fn start_at(chain_rpc: &str, port: u16, base_path: &std::path::Path) -> Matcher {
		Matcher::start_with(chain_rpc, port, base_path, &["--authority-suri", "//Alice"])
	}

	/// A replica of `running`: started on `port` with an empty `base_path`, it takes the
	/// matcher's keys from `running` (`--provision-from`) and registers nothing.
	#[allow(dead_code)]
	pub fn start_replica(
		node: &Node,
		port: u16,
		base_path: &std::path::Path,
		running: &Matcher,
	) -> Matcher {
		let from = format!("http://127.0.0.1:{}", running.port);
		let rpc = format!("http://127.0.0.1:{}", node.rpc_port);
		Matcher::start_with(&rpc, port, base_path, &["--provision-from", &from])
	}

	/// `epichain-matcher` on the dev chain through `chain_rpc`, on `port`, its keys sealed
	/// under `base_path`, with `args` besides.
	pub fn start_with(
		chain_rpc: &str,
		port: u16,
		base_path: &std::path::Path,
		args: &[&str],
	) -> Matcher {
		let (child, log) = spawn_logged(
			Command::new(matcher_binary())
				.args(["--enclave", "simulation"])
				.args(args)
				.arg("--chain-spec")
				.arg(dev_chain_spec())
				.args(["--chain-rpc", chain_rpc])
				.args(["--listen", &format!("127.0.0.1:{port}")])
				.args(["--poll-millis", "300"])
				.arg("--base-path")
				.arg(base_path),
			"epichain-matcher",
		);
		Matcher { child, port, log, base_path: base_path.to_path_buf() }
	}

	/// `kill -9`: the process dies at once, wherever it was.
	pub fn kill(mut self) {
		let _ = self.child.kill();
		let _ = self.child.wait();
	}

	/// `GET path`, as JSON, if the service answers 200.
	pub fn get(&self, path: &str) -> Option<serde_json::Value> {
		let (status, body) = http(self.port, "GET", path, "")?;
		(status == 200).then(|| serde_json::from_str(&body).ok()).flatten()
	}

	/// The matcher's log so far.
	pub fn log(&mut self) -> Vec<String> {
		self.log.try_iter().collect()
	}
}

impl Drop for Matcher {
	fn drop(&mut self) {
		let _ = self.child.kill();
		let _ = self.child.wait();
	}
}

/// A port nobody listens on right now.
pub fn free_port() -> u16 {
	TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A running node process, killed when dropped.
pub struct Node {
	child: Option<Child>,
	/// The node's JSON-RPC port on 127.0.0.1.
	pub rpc_port: u16,
	/// Lines the node wrote to stderr so far, for failure messages.
	log: mpsc::Receiver<String>,
	seen: Vec<String>,
}

impl Node {
	/// Starts `epichain-node` with `args` plus free RPC and p2p ports and no telemetry.
	pub fn start(args: &[&str]) -> Node {
		Self::start_on(free_port(), args)
	}

	/// [`Node::start`] with RPC on `rpc_port`.
	pub fn start_on(rpc_port: u16, args: &[&str]) -> Node {
		let p2p_port = free_port();
		let (child, log) = spawn_logged(
			Command::new(node_binary())
				.args(args)
				.args(["--rpc-port", &rpc_port.to_string()])
				.args(["--port", &p2p_port.to_string()])
				.args(["--no-prometheus", "--no-telemetry", "--no-mdns"]),
			"epichain-node",
		);
		Node { child: Some(child), rpc_port, log, seen: Vec::new() }
	}

	/// The node's log so far.
	pub fn log(&mut self) -> &[String] {
		while let Ok(line) = self.log.try_recv() {
			self.seen.push(line);
		}
		&self.seen
	}

	/// Calls JSON-RPC `method` over HTTP; `None` while the server is not up or on an error.
	pub fn rpc(&self, method: &str, params: serde_json::Value) -> Option<serde_json::Value> {
		self.rpc_response(method, params)?.get("result").cloned()
	}

	/// Calls JSON-RPC `method` over HTTP and returns the whole response (`result` or `error`);
	/// `None` while the server is not up.
	#[allow(dead_code)]
	pub fn rpc_response(
		&self,
		method: &str,
		params: serde_json::Value,
	) -> Option<serde_json::Value> {
		let body =
			serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params})
				.to_string();
		let (_, json) = http(self.rpc_port, "POST", "/", &body)?;
		serde_json::from_str(&json).ok()
	}

	/// Polls `probe` every 500 ms until it returns `Some`, or panics with the node's log.
	pub fn wait_for<T>(
		&mut self,
		what: &str,
		timeout: Duration,
		mut probe: impl FnMut(&Node) -> Option<T>,
	) -> T {
		let deadline = Instant::now() + timeout;
		loop {
			if let Some(v) = probe(self) {
				return v;
			}
			if let Some(status) = self.child.as_mut().and_then(|c| c.try_wait().ok().flatten()) {
				panic!(
					"node exited ({status}) while waiting for {what}:\n{}",
					self.log().join("\n")
				);
			}
			if Instant::now() > deadline {
				panic!(
					"timed out after {timeout:?} waiting for {what}:\n{}",
					self.log().join("\n")
				);
			}
			thread::sleep(Duration::from_millis(500));
		}
	}

	/// Block number of the best block.
	pub fn best_number(&self) -> Option<u64> {
		header_number(&self.rpc("chain_getHeader", serde_json::json!([]))?)
	}

	/// Block number of the latest finalized block.
	pub fn finalized_number(&self) -> Option<u64> {
		let hash = self.rpc("chain_getFinalizedHead", serde_json::json!([]))?;
		header_number(&self.rpc("chain_getHeader", serde_json::json!([hash]))?)
	}

	/// Sends SIGINT (Ctrl-C) and waits for the process to exit.
	pub fn stop(mut self, timeout: Duration) -> ExitStatus {
		let mut child = self.child.take().unwrap();
		let status = Command::new("kill")
			.args(["-INT", &child.id().to_string()])
			.status()
			.expect("kill runs");
		assert!(status.success());
		let deadline = Instant::now() + timeout;
		loop {
			if let Some(status) = child.try_wait().unwrap() {
				return status;
			}
			if Instant::now() > deadline {
				let _ = child.kill();
				panic!("node did not stop within {timeout:?} of SIGINT");
			}
			thread::sleep(Duration::from_millis(100));
		}
	}
}

impl Drop for Node {
	fn drop(&mut self) {
		if let Some(child) = self.child.as_mut() {
			let _ = child.kill();
			let _ = child.wait();
		}
	}
}

fn header_number(header: &serde_json::Value) -> Option<u64> {
	let hex = header.get("number")?.as_str()?.trim_start_matches("0x");
	u64::from_str_radix(hex, 16).ok()
}

/// Runs the node binary with `args` to completion and returns its stdout.
pub fn run_node(args: &[&str]) -> String {
	let out = Command::new(node_binary()).args(args).output().expect("epichain-node runs");
	assert!(
		out.status.success(),
		"epichain-node {args:?} failed: {}",
		String::from_utf8_lossy(&out.stderr)
	);
	String::from_utf8(out.stdout).expect("utf-8 output")
}

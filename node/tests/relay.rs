//! The off-chain relay against a matcher that misbehaves on the wire, on a live dev node with
//! the real matcher behind a test proxy.

mod common;

use std::{
	io::{Read, Write},
	net::{Shutdown, TcpListener, TcpStream},
	sync::{
		atomic::{AtomicUsize, Ordering},
		Arc,
	},
	time::{Duration, SystemTime, UNIX_EPOCH},
};

use common::{
	free_port,
	tx::{endorsement, submit, Chain},
	Matcher, Node,
};
use epichain_primitives::{diagnosis::case_nullifier, pseudonym::DeviceSeed, SECONDS_PER_DAY};
use serde_json::json;
use sp_keyring::Sr25519Keyring;

/// A TCP front for the matcher. The first `stalls` connections get the headers of a `200`
/// answer and then nothing, held open for as long as the proxy lives; later connections are
/// passed through to the matcher.
struct StallingProxy {
	port: u16,
	stalled: Arc<AtomicUsize>,
}

impl StallingProxy {
	fn start(stalls: usize, matcher_port: u16) -> StallingProxy {
		let listener = TcpListener::bind("127.0.0.1:0").unwrap();
		let port = listener.local_addr().unwrap().port();
		let stalled = Arc::new(AtomicUsize::new(0));
		let count = stalled.clone();
		std::thread::spawn(move || {
			let mut held = Vec::new();
			for client in listener.incoming() {
				let Ok(mut client) = client else { continue };
				if count.load(Ordering::SeqCst) < stalls {
					let mut request = [0u8; 4096];
					let _ = client.read(&mut request);
					let _ = client.write_all(
						b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n\
						  Content-Length: 4096\r\n\r\n",
					);
					count.fetch_add(1, Ordering::SeqCst);
					held.push(client);
				} else {
					std::thread::spawn(move || pass_through(client, matcher_port));
				}
			}
		});
		StallingProxy { port, stalled }
	}

	/// Connections stalled so far.
	fn stalled(&self) -> usize {
		self.stalled.load(Ordering::SeqCst)
	}
}

/// Copies bytes both ways between `client` and the matcher until either side closes.
fn pass_through(client: TcpStream, matcher_port: u16) {
	let Ok(server) = TcpStream::connect(("127.0.0.1", matcher_port)) else { return };
	let (mut from_client, mut to_server) =
		(client.try_clone().unwrap(), server.try_clone().unwrap());
	let upstream = std::thread::spawn(move || {
		let _ = std::io::copy(&mut from_client, &mut to_server);
		let _ = to_server.shutdown(Shutdown::Write);
	});
	let (mut to_client, mut from_server) = (client, server);
	let _ = std::io::copy(&mut from_server, &mut to_client);
	let _ = to_client.shutdown(Shutdown::Write);
	let _ = upstream.join();
}

/// A matcher (or a proxy in front of it) that sends its headers and then stalls must cost the
/// off-chain worker one deadline, not its thread: with more stalls than the node has worker
/// threads, the case's result still reaches the chain.
#[test]
fn a_matcher_that_stalls_after_its_headers_does_not_stop_the_relay() {
	// sc-offchain runs workers on one thread per CPU; stall one answer more than that.
	let stalls = std::thread::available_parallelism().map_or(2, |n| n.get()) + 1;
	let matcher_port = free_port();
	let proxy = StallingProxy::start(stalls, matcher_port);
	let url = format!("http://127.0.0.1:{}", proxy.port);
	let mut node = Node::start(&["--dev", "--tmp", "--matcher-url", &url]);
	let chain = Chain::of(&mut node);
	let mut matcher = Matcher::start(&node, matcher_port);
	node.wait_for("the matcher registered and following", Duration::from_secs(120), |_| {
		matcher.get("/health").filter(|h| !h["syncedBlock"].is_null())
	});

	// Ferdie endorses a synthetic case; its job goes to the matcher through the proxy.
	let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
	let today = (now / SECONDS_PER_DAY) as u32;
	let case = DeviceSeed::generate();
	let nullifier = case_nullifier(b"synthetic-lab", b"case-stalled-relay");
	let xt = endorsement(&chain, Sr25519Keyring::Ferdie, &case, nullifier, today, vec![]);
	assert!(submit(&node, &xt).get("result").is_some(), "the endorsement is accepted");

	let job = node.wait_for("round 0's result on chain", Duration::from_secs(300), |n| {
		n.rpc("notifications_job", json!([0])).filter(|j| j["nextRound"].as_u64() == Some(1))
	});
	assert_eq!(job["exposures"].as_u64(), Some(0), "{job}");
	assert_eq!(proxy.stalled(), stalls, "every stalled answer was asked for first");
	let _ = matcher.log();
	node.stop(Duration::from_secs(20));
}

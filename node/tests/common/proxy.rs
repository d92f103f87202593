//! A JSON-RPC proxy in front of a node that tells the lies a node, or anyone on the link to it,
//! could tell: every answer passes through a lie that may rewrite it, until the proxy is told to
//! be honest.

use std::{
	io::{BufRead, BufReader, Read, Write},
	net::{TcpListener, TcpStream},
	sync::{
		atomic::{AtomicBool, Ordering},
		Arc,
	},
};

use serde_json::Value;

/// A lie: rewrites the node's answer (the whole JSON-RPC response) to a call of `method` with
/// `params`.
pub type Lie = dyn Fn(&str, &Value, &mut Value) + Send + Sync;

/// A running proxy on 127.0.0.1 (its threads live as long as the test process).
pub struct LyingProxy {
	/// Its HTTP port.
	pub port: u16,
	lying: Arc<AtomicBool>,
}

impl LyingProxy {
	/// Starts a proxy to the node's HTTP RPC on `node_port` that tells `lie`.
	pub fn start(
		node_port: u16,
		lie: impl Fn(&str, &Value, &mut Value) + Send + Sync + 'static,
	) -> Self {
		let listener = TcpListener::bind("127.0.0.1:0").unwrap();
		let port = listener.local_addr().unwrap().port();
		let lying = Arc::new(AtomicBool::new(true));
		let lie: Arc<Lie> = Arc::new(lie);
		let shared = lying.clone();
		std::thread::spawn(move || {
			for stream in listener.incoming().flatten() {
				let (lie, lying) = (lie.clone(), shared.clone());
				std::thread::spawn(move || serve(stream, node_port, &*lie, &lying));
			}
		});
		LyingProxy { port, lying }
	}

	/// The URL a matcher is given as its node.
	pub fn url(&self) -> String {
		format!("http://127.0.0.1:{}", self.port)
	}

	/// From now on, passes the node's answers through unchanged.
	pub fn honest(&self) {
		self.lying.store(false, Ordering::SeqCst);
	}

	/// From now on, tells its lie again.
	pub fn lie(&self) {
		self.lying.store(true, Ordering::SeqCst);
	}
}

/// Serves one keep-alive connection: each request goes to the node, each answer through the lie.
fn serve(stream: TcpStream, node_port: u16, lie: &Lie, lying: &AtomicBool) {
	let mut reader = BufReader::new(stream.try_clone().unwrap());
	let mut writer = stream;
	loop {
		let mut length = None;
		let mut line = String::new();
		loop {
			line.clear();
			if reader.read_line(&mut line).unwrap_or(0) == 0 {
				return;
			}
			let line = line.trim_end();
			if line.is_empty() {
				break;
			}
			if let Some((name, value)) = line.split_once(':') {
				if name.eq_ignore_ascii_case("content-length") {
					length = value.trim().parse::<usize>().ok();
				}
			}
		}
		let mut body = vec![0; length.expect("the matcher sends a content length")];
		if reader.read_exact(&mut body).is_err() {
			return;
		}
		let body = String::from_utf8(body).unwrap();
		let request = serde_json::from_str::<Value>(&body).unwrap_or_default();
		let method = request["method"].as_str().unwrap_or_default();
		let Some((status, answer)) = super::http(node_port, "POST", "/", &body) else {
			return;
		};
		let answer = match serde_json::from_str::<Value>(&answer) {
			Ok(mut value) if lying.load(Ordering::SeqCst) => {
				lie(method, &request["params"], &mut value);
				value.to_string()
			},
			_ => answer,
		};
		let head = format!(
			"HTTP/1.1 {status} OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
			answer.len()
		);
		if writer
			.write_all(head.as_bytes())
			.and_then(|_| writer.write_all(answer.as_bytes()))
			.is_err()
		{
			return;
		}
	}
}

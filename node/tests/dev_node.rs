//! The dev node produces and finalises blocks, serves RPC, and stops cleanly on Ctrl-C.

mod common;

use std::time::{Duration, Instant};

use common::Node;

#[test]
fn dev_node_produces_and_finalizes_blocks_then_stops_cleanly() {
	let started = Instant::now();
	let mut node = Node::start(&["--dev", "--tmp"]);

	let chain = node.wait_for("RPC server", Duration::from_secs(60), |n| {
		n.rpc("system_chain", serde_json::json!([]))
	});
	assert_eq!(chain, "epichain development");
	let props = node.rpc("system_properties", serde_json::json!([])).unwrap();
	assert_eq!(props["tokenSymbol"], "EPI");

	let first = node.wait_for("block #2", Duration::from_secs(60), |n| {
		n.best_number().filter(|&b| b >= 2)
	});
	let finalized = node.wait_for("a finalized block", Duration::from_secs(60), |n| {
		n.finalized_number().filter(|&f| f >= 1)
	});
	eprintln!(
		"dev node: best #{first}, finalized #{finalized} after {:.1} s",
		started.elapsed().as_secs_f64()
	);
	// Blocks keep coming: best advances past what we saw.
	node.wait_for("more blocks", Duration::from_secs(30), |n| n.best_number().filter(|&b| b > first));

	// The node runs ParityDb and the epichain runtime.
	let version = node.rpc("state_getRuntimeVersion", serde_json::json!([])).unwrap();
	assert_eq!(version["specName"], "epichain");
	assert!(
		node.log().iter().any(|l| l.contains("Database: ParityDb")),
		"node uses ParityDb:\n{}",
		node.log().join("\n")
	);

	let status = node.stop(Duration::from_secs(30));
	assert!(status.success(), "node exits cleanly on SIGINT, got {status}");
}

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

	let first =
		node.wait_for("block #2", Duration::from_secs(60), |n| n.best_number().filter(|&b| b >= 2));
	let finalized = node.wait_for("a finalized block", Duration::from_secs(60), |n| {
		n.finalized_number().filter(|&f| f >= 1)
	});
	eprintln!(
		"dev node: best #{first}, finalized #{finalized} after {:.1} s",
		started.elapsed().as_secs_f64()
	);
	// Blocks keep coming: best advances past what we saw.
	node.wait_for("more blocks", Duration::from_secs(30), |n| {
		n.best_number().filter(|&b| b > first)
	});

	// The node runs ParityDb and the epichain runtime.
	let version = node.rpc("state_getRuntimeVersion", serde_json::json!([])).unwrap();
	assert_eq!(version["specName"], "epichain");
	assert!(
		node.log().iter().any(|l| l.contains("Database: ParityDb")),
		"node uses ParityDb:\n{}",
		node.log().join("\n")
	);

	// Metadata V14, V15 and V16 are offered: what polkadot.js Apps and subxt read.
	let versions = node
		.rpc("state_call", serde_json::json!(["Metadata_metadata_versions", "0x"]))
		.expect("metadata versions");
	let versions = decode_u32_vec(versions.as_str().unwrap());
	for v in [14, 15, 16] {
		assert!(versions.contains(&v), "metadata V{v} offered, got {versions:?}");
	}
	let metadata = node.rpc("state_getMetadata", serde_json::json!([])).unwrap();
	// "meta" magic, then the version byte of the default (V14) metadata.
	assert!(metadata.as_str().unwrap().starts_with("0x6d6574610e"), "V14 metadata");

	let status = node.stop(Duration::from_secs(30));
	assert!(status.success(), "node exits cleanly on SIGINT, got {status}");
}

/// Decodes a hex SCALE `Vec<u32>` with fewer than 64 elements (single-byte compact length).
fn decode_u32_vec(hex: &str) -> Vec<u32> {
	let bytes: Vec<u8> = (2..hex.len())
		.step_by(2)
		.map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
		.collect();
	let len = (bytes[0] >> 2) as usize;
	(0..len).map(|i| u32::from_le_bytes(bytes[1 + 4 * i..5 + 4 * i].try_into().unwrap())).collect()
}

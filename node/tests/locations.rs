//! Location status on a live dev node: the authority registers, infects and cleans a cell, and
//! `locations_*` RPC answers follow each block.

mod common;

use common::{
	tx::{sudo_and_wait, Chain},
	Node,
};
use epichain_primitives::geohash::Geohash;
use epichain_runtime::RuntimeCall;
use serde_json::json;

fn state(node: &Node, cell: &str) -> Option<String> {
	let view = node.rpc("locations_cell", json!([cell]))?;
	view["state"].as_str().map(String::from)
}

fn count(node: &Node, prefix: &str) -> u64 {
	node.rpc("locations_infectedCount", json!([prefix])).and_then(|v| v.as_u64()).unwrap()
}

#[test]
fn the_authority_registers_infects_and_cleans_a_location() {
	let mut node = Node::start(&["--dev", "--tmp"]);
	let chain = Chain::of(&mut node);
	let cell = Geohash::parse(b"xn76urx").unwrap();
	let call = |c| RuntimeCall::Locations(c);

	assert_eq!(node.rpc("locations_cell", json!(["xn76urx"])), Some(json!(null)));
	sudo_and_wait(
		&mut node,
		&chain,
		0,
		call(pallet_locations::Call::register_location {
			cell,
			operator: None,
			material: pallet_locations::SurfaceMaterial::Unknown,
		}),
		"the location registered",
		|n| state(n, "xn76urx").as_deref() == Some("empty"),
	);
	sudo_and_wait(
		&mut node,
		&chain,
		1,
		call(pallet_locations::Call::mark_infected { cell }),
		"the location infected",
		|n| state(n, "xn76urx").as_deref() == Some("infected"),
	);
	assert_eq!((count(&node, "xn76"), count(&node, ""), count(&node, "xn0m")), (1, 1, 0));
	assert_eq!(node.rpc("locations_infectedCells", json!(["xn7"])), Some(json!(["xn76urx"])));
	let view = node.rpc("locations_cell", json!(["xn76urx"])).unwrap();
	assert_eq!(view["cases"], 1);

	sudo_and_wait(
		&mut node,
		&chain,
		2,
		call(pallet_locations::Call::mark_cleaned { cell }),
		"the location cleaned",
		|n| state(n, "xn76urx").as_deref() == Some("clean"),
	);
	assert_eq!(count(&node, "xn76"), 0);

	let bad = node.rpc_response("locations_infectedCount", json!(["xn7a"])).unwrap();
	assert_eq!(bad["error"]["code"], 8101, "{bad}");
	node.stop(std::time::Duration::from_secs(20));
}

//! The release's migrations, with their `try-runtime` checks, on the state of a live region.
//!
//! The snapshot is the full state (but the code) of a 4-validator region running the released
//! runtime (`runtime/releases`), taken by the network test
//! `client/tests/network.rs::the_council_upgrades_a_live_region_and_nothing_it_held_changes` at
//! the block that set the new code: a population written, a case endorsed and matched, its
//! contacts notified and its venue Infected. Refresh it with that test and
//! `EPICHAIN_UPGRADE_SNAPSHOT=runtime/tests/fixtures/live-region-v101.json`, or point the same
//! variable at another snapshot to check it here.
//!
//! Run with `cargo test -p epichain-runtime --features try-runtime --test live_upgrade`.

#![cfg(feature = "try-runtime")]

use epichain_runtime::{Executive, Locations, Runtime};
use frame_support::traits::GetStorageVersion;
use frame_try_runtime::UpgradeCheckSelect;

fn snapshot() -> sp_io::TestExternalities {
	// The package's directory as cargo gives it when the test runs, not when it was compiled: a
	// shared target directory may hold a test binary built from another clone.
	let path = std::env::var("EPICHAIN_UPGRADE_SNAPSHOT").unwrap_or_else(|_| {
		let dir = std::env::var("CARGO_MANIFEST_DIR")
			.unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").into());
		format!("{dir}/tests/fixtures/live-region-v101.json")
	});
	let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
	let snapshot: serde_json::Value = serde_json::from_str(&text).expect("a JSON snapshot");
	let hex = |v: &serde_json::Value| {
		let s = v.as_str().expect("hex strings");
		sp_core::bytes::from_hex(s).expect("hex")
	};
	let mut ext = sp_io::TestExternalities::default();
	for pair in snapshot["pairs"].as_array().expect("pairs") {
		ext.insert(hex(&pair[0]), hex(&pair[1]));
	}
	ext
}

#[test]
fn the_releases_migrations_pass_their_checks_on_a_live_regions_state() {
	snapshot().execute_with(|| {
		// The region runs the release: its locations are at storage version 0, and some are
		// Infected (the checks compare each one across the migration).
		assert_eq!(Locations::on_chain_storage_version(), 0);
		assert!(pallet_locations::Locations::<Runtime>::iter_keys().count() > 0);

		// Every migration's pre- and post-upgrade checks, then every pallet's `try_state`.
		Executive::try_runtime_upgrade(UpgradeCheckSelect::All)
			.unwrap_or_else(|e| panic!("the upgrade's checks fail: {e:?}"));

		assert_eq!(Locations::on_chain_storage_version(), Locations::in_code_storage_version());
		for (cell, info) in pallet_locations::Locations::<Runtime>::iter() {
			let infected = matches!(info.state, pallet_locations::CellState::Infected { .. });
			assert_eq!(info.infection.is_some(), infected, "{cell:?}");
		}
	});
}

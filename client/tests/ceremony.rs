//! The key ceremony (`scripts/ceremony.py`) end to end on a throwaway region.
//!
//! Three validators make their keys in their own keystores and three council members make
//! their accounts; the spec is built from the public files alone; the nodes start from it,
//! produce and finalize blocks, and the council governs. No development key is anywhere in the
//! spec, and no secret is in any public file.

mod support;

use std::{
	path::{Path, PathBuf},
	process::{Command, Output, Stdio},
};

use epichain_client::connection::Connection;
use serde_json::Value;
use support::{eventually, free_port, scratch, sibling, zombienet::repo_root, Cli, Processes};

fn ceremony(args: &[&str]) -> Output {
	Command::new(repo_root().join("scripts/ceremony.py"))
		.args(args)
		.env("EPICHAIN_NODE", sibling("epichain-node"))
		.output()
		.expect("scripts/ceremony.py runs")
}

fn ceremony_ok(args: &[&str]) {
	let out = ceremony(args);
	assert!(out.status.success(), "ceremony {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
	let mut files = Vec::new();
	for entry in std::fs::read_dir(dir).unwrap() {
		let path = entry.unwrap().path();
		if path.is_dir() {
			files.extend(files_under(&path));
		} else {
			files.push(path);
		}
	}
	files
}

#[test]
fn a_region_launched_from_its_key_ceremony_finalizes_and_its_council_governs() {
	let dir = scratch("ceremony");
	let public = dir.join("public");
	let (public_s, dir_s) = (public.to_str().unwrap(), dir.to_str().unwrap());

	// Each validator, on its own machine: keys into its keystore, a node key, a public file.
	let nodes: Vec<(String, u16, u16)> =
		(1..=3).map(|i| (format!("{dir_s}/validator-{i}"), free_port(), free_port())).collect();
	for (i, (base, p2p, _)) in nodes.iter().enumerate() {
		let address = format!("/ip4/127.0.0.1/tcp/{p2p}");
		let name = format!("tokyo-{}", i + 1);
		ceremony_ok(&[
			"validator",
			"--region",
			"tokyo",
			"--name",
			&name,
			"--base-path",
			base,
			"--address",
			&address,
			"--out",
			public_s,
		]);
	}
	// A validator's keys are made once.
	let again = ceremony(&[
		"validator",
		"--region",
		"tokyo",
		"--name",
		"x",
		"--base-path",
		&nodes[0].0,
		"--out",
		public_s,
	]);
	assert!(String::from_utf8_lossy(&again.stderr).contains("already holds keys"));

	// Each council member: an account whose secret stays in the member's file.
	let members = ["health-department", "public-health-office", "university-hospital"];
	let mut phrases = Vec::new();
	for m in members {
		let secret = format!("{dir_s}/{m}.secret.json");
		ceremony_ok(&["member", "--name", m, "--secret", &secret, "--out", public_s]);
		use std::os::unix::fs::PermissionsExt;
		let mode = std::fs::metadata(&secret).unwrap().permissions().mode();
		assert_eq!(mode & 0o777, 0o600, "{secret} is the member's only");
		let v: Value = serde_json::from_slice(&std::fs::read(&secret).unwrap()).unwrap();
		phrases.push(v["secretPhrase"].as_str().unwrap().to_string());
	}

	// Anyone builds the spec from the public files; a second build is byte-identical.
	let spec_dir = format!("{dir_s}/spec");
	ceremony_ok(&["spec", "--region", "tokyo", "--public", public_s, "--out", &spec_dir]);
	ceremony_ok(&[
		"spec",
		"--region",
		"tokyo",
		"--public",
		public_s,
		"--out",
		&format!("{dir_s}/again"),
	]);
	let raw = std::fs::read(format!("{spec_dir}/tokyo-raw.json")).unwrap();
	assert_eq!(raw, std::fs::read(format!("{dir_s}/again/tokyo-raw.json")).unwrap());
	let spec: Value =
		serde_json::from_slice(&std::fs::read(format!("{spec_dir}/tokyo.json")).unwrap()).unwrap();
	let patch = &spec["genesis"]["runtimeGenesis"]["patch"];
	assert_eq!(patch["session"]["keys"].as_array().unwrap().len(), 3, "three validators");
	assert_eq!(patch["councilMembership"]["members"].as_array().unwrap().len(), 3);
	assert!(patch["sudo"]["key"].is_null(), "a region has no sudo key");
	assert_eq!(spec["bootNodes"].as_array().unwrap().len(), 3);

	// No development key in it, while the local chain's spec is refused by name.
	ceremony_ok(&["verify", &format!("{spec_dir}/tokyo-raw.json")]);
	let local = repo_root().join("chain-specs/local-raw.json");
	let refused = ceremony(&["verify", local.to_str().unwrap()]);
	assert!(!refused.status.success());
	assert!(String::from_utf8_lossy(&refused.stderr).contains("//Alice (sr25519)"));

	// No secret left the places made for it.
	for file in files_under(&public).into_iter().chain(files_under(Path::new(&spec_dir))) {
		let text = String::from_utf8_lossy(&std::fs::read(&file).unwrap()).to_string();
		for phrase in &phrases {
			assert!(!text.contains(phrase.as_str()), "{} holds a member's secret", file.display());
		}
		assert!(!text.contains("secretPhrase"), "{} holds a secret", file.display());
	}

	// The validators start from the spec and their own base paths, and finalize.
	let mut processes = Processes::default();
	for (base, p2p, rpc) in &nodes {
		let log = std::fs::File::create(format!("{base}.log")).unwrap();
		processes.0.push(
			Command::new(sibling("epichain-node"))
				.args(["--chain", &format!("{spec_dir}/tokyo-raw.json"), "--base-path", base])
				.args(["--validator", "--no-prometheus", "--no-telemetry", "--no-mdns"])
				.args(["--offchain-worker", "never", "--port", &p2p.to_string()])
				.args(["--rpc-port", &rpc.to_string()])
				.stdout(Stdio::null())
				.stderr(log)
				.spawn()
				.expect("the node starts"),
		);
	}
	let url = format!("ws://127.0.0.1:{}", nodes[0].2);
	let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
	eventually("three validators finalizing block #3", 180, || {
		rt.block_on(async {
			let region = Connection::connect(&url).await.ok()?;
			(region.finalized_number().await.ok()? >= 3).then_some(())
		})
	});

	// The council, with the keys it made, registers a locator: two of three members.
	let cli = Cli { url, dir: dir.clone() };
	let motion = cli.ok(&[
		"authority",
		"--suri",
		&phrases[0],
		"add-locator",
		"//Two",
		"--kind",
		"transit-gate",
		"--region",
		"xn76",
	]);
	assert_eq!(motion["threshold"], 2, "{motion}");
	let hash = motion["motion"].as_str().unwrap().to_string();
	let passed = cli.ok(&["council", "vote", "--suri", &phrases[1], &hash]);
	assert!(passed["events"].to_string().contains("Csi::LocatorRegistered"), "{passed}");
	// A development key is nobody on this chain.
	let alice =
		cli.fails(&["authority", "--suri", "//Alice", "add-locator", "//Ferdie", "--kind", "wifi"]);
	assert!(alice.contains("neither the chain's sudo key nor a council member"), "{alice}");
}

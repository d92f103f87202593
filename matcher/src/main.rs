//! `epichain-matcher`: the TEE matcher service of an epichain region.
//!
//! ```text
//! epichain-matcher --enclave simulation --chain-spec REGION-raw.json
//!                  [--chain-rpc http://127.0.0.1:9944] [--listen 127.0.0.1:8545]
//!                  [--base-path DIR | --tmp]
//!                  [--authority-suri //Alice]   # dev and local chains only: register itself
//!                  [--provision-from http://RUNNING-REPLICA:8545]   # a replica of a running matcher
//!                  [--take-over-after 3600]   # a replica: makes the keys when that one is gone
//! ```
//!
//! The chain spec (raw, as `epichain-node build-spec --chain … --raw` writes it) is what the
//! matcher trusts: the chain's genesis and its first GRANDPA authority set. Every block it reads
//! after that is one GRANDPA is proven to have finalized; the node is believed in nothing.
//!
//! The enclave's keys are sealed under `--base-path` (default `$XDG_DATA_HOME/epichain-matcher`,
//! else `~/.local/share/epichain-matcher`), one directory per chain: a restarted matcher is the
//! same matcher and re-reads the retention window. `--tmp` keeps them in memory only.
//!
//! A second replica of a matcher is started with `--provision-from` a running one: it proves
//! its attestation to it and receives the matcher's keys sealed to itself
//! (`epichain_enclave::provision`), then follows the chain and answers jobs as the same matcher.
//! It makes no sealing key while the running replica answers; when that one is gone
//! `--take-over-after` seconds past an epoch's end, it makes the keys from then on
//! ([`epichain_matcher::epochs`]).

use std::{
	net::SocketAddr,
	path::Path,
	sync::{Arc, RwLock},
	time::{Duration, SystemTime, UNIX_EPOCH},
};

use clap::{Parser, ValueEnum};
use epichain_enclave::{
	provision::SealedKeys, sealed::StateStore, Enclave, Opened, SimulatedEnclave,
};
use epichain_matcher::{
	chain::{Chain, ChainError},
	epochs::{self, KeyMaking},
	finality::Genesis,
	follower::{Follower, SyncState},
	registrar::{parse_suri, Registrar},
	replica::Peer,
	service::{router, AppState},
};
use epichain_primitives::SECONDS_PER_DAY;

/// Enclave back-ends this build has.
#[derive(Clone, Copy, Debug, ValueEnum)]
enum EnclaveKind {
	/// No hardware isolation: for development and tests on machines without SGX.
	Simulation,
}

/// The TEE matcher of an epichain region: follows the chain, opens the CSI sealed to its keys,
/// judges endorsed cases and signs the results the validators' off-chain workers relay.
#[derive(Debug, Parser)]
#[command(name = "epichain-matcher", version)]
struct Args {
	/// The enclave back-end. Only `simulation` exists in this build (see docs/DESIGN.md for
	/// porting the enclave interface to Gramine, Fortanix EDP or Teaclave).
	#[arg(long, value_enum)]
	enclave: EnclaveKind,
	/// The region's chain spec, raw (`epichain-node build-spec --chain … --raw`): the genesis
	/// and GRANDPA authorities the matcher trusts, and checks every finalized block against.
	#[arg(long, value_name = "FILE")]
	chain_spec: std::path::PathBuf,
	/// A node's HTTP JSON-RPC endpoint.
	#[arg(long, default_value = "http://127.0.0.1:9944")]
	chain_rpc: String,
	/// Address the HTTP service listens on.
	#[arg(long, default_value = "127.0.0.1:8545")]
	listen: SocketAddr,
	/// Development and local chains only: the authority (sudo) key's secret URI, with which
	/// the matcher registers itself and rotates its sealing keys.
	#[arg(long, value_name = "SURI")]
	authority_suri: Option<String>,
	/// Seconds between sealing epochs (a new sealing key each epoch).
	#[arg(long, default_value_t = SECONDS_PER_DAY)]
	epoch_secs: u64,
	/// Days a registration is valid for (with --authority-suri).
	#[arg(long, default_value_t = 365)]
	validity_days: u64,
	/// Milliseconds between looks at the finalized head.
	#[arg(long, default_value_t = 1_000)]
	poll_millis: u64,
	/// Where the enclave's sealed state lives, one directory per chain (default
	/// `$XDG_DATA_HOME/epichain-matcher`, else `~/.local/share/epichain-matcher`).
	#[arg(long, value_name = "DIR", conflicts_with = "tmp")]
	base_path: Option<std::path::PathBuf>,
	/// Keep the enclave's keys in memory only: a restart is a new matcher that cannot open
	/// anything sealed before it (tests and throwaway regions).
	#[arg(long)]
	tmp: bool,
	/// Run as a replica of the matcher whose running replica serves at this URL: prove this
	/// enclave's attestation to it and receive the matcher's keys sealed to this enclave (at
	/// the first start, and whenever the chain names a sealing key of the matcher this replica
	/// does not hold). A replica registers nothing, and makes a sealing epoch only when the
	/// replica at URL does not answer `--take-over-after` seconds past the epoch's end; from
	/// then on it makes them.
	#[arg(long, value_name = "URL")]
	provision_from: Option<String>,
	/// With --provision-from: seconds past an epoch's end after which this replica makes the
	/// next sealing key itself, if the replica it follows does not answer.
	#[arg(long, value_name = "SECS", default_value_t = epochs::TAKE_OVER_AFTER_SECS, requires = "provision_from")]
	take_over_after: u64,
	/// Pull queries answered per minute from one source address (more get `429 RateLimited`).
	#[arg(long, default_value_t = epichain_matcher::service::QUERIES_PER_MINUTE)]
	queries_per_minute: u32,
}

/// `--base-path`, or the default data directory.
fn base_path(args: &Args) -> Result<std::path::PathBuf, String> {
	if let Some(p) = &args.base_path {
		return Ok(p.clone());
	}
	let data = std::env::var_os("XDG_DATA_HOME")
		.map(std::path::PathBuf::from)
		.or_else(|| std::env::var_os("HOME").map(|h| std::path::Path::new(&h).join(".local/share")))
		.ok_or("no --base-path, and neither XDG_DATA_HOME nor HOME is set")?;
	Ok(data.join("epichain-matcher"))
}

/// The enclave: unsealed from the base path, or new (and sealed there), or in memory only; a
/// replica with no sealed state yet takes its keys from `replica`'s running replica.
async fn open_enclave(
	args: &Args,
	chain: &Chain,
	lifetime: u64,
	replica: Option<(&Peer, &Registrar)>,
) -> Result<SimulatedEnclave, String> {
	let store = if args.tmp {
		tracing::warn!("--tmp: the enclave's keys live in memory only and die with this process");
		None
	} else {
		Some(
			StateStore::simulation(&base_path(args)?, chain.genesis.0)
				.map_err(|e| e.to_string())?,
		)
	};
	let path = store.as_ref().map(|s| s.path().display().to_string());
	if let (Some((peer, registrar)), None) =
		(replica, path.as_ref().filter(|p| Path::new(p).exists()))
	{
		let (newcomer, keys) = provision(peer, registrar, chain).await?;
		let (enclave, opened) = SimulatedEnclave::provisioned(newcomer, &keys, store, lifetime)
			.map_err(|e| format!("the keys from {}: {e}", peer.url()))?;
		if let Opened::Provisioned { epochs, live } = opened {
			tracing::info!(
				"provisioned from {}: the matcher's identity and {epochs} sealing epochs ({live} \
				 live), sealed to this enclave{}",
				peer.url(),
				path.map(|p| format!(" at {p}")).unwrap_or_default()
			);
		}
		return Ok(enclave);
	}
	let (Some(store), Some(path)) = (store, path) else {
		return Ok(SimulatedEnclave::new(wall_secs(), lifetime));
	};
	let (enclave, opened) = SimulatedEnclave::open(store, wall_secs(), lifetime)
		.map_err(|e| format!("{e} ({path}); move the file aside to start a new identity"))?;
	match opened {
		Opened::New => tracing::info!("no sealed state at {path}: a new enclave identity, sealed"),
		Opened::Restored { epochs, live } => tracing::info!(
			"unsealed {path}: the same enclave identity, {epochs} sealing epochs ({live} live); \
			 re-reading the retention window from the chain"
		),
		Opened::Provisioned { .. } => {},
	}
	Ok(enclave)
}

/// Asks `peer` for its matcher's keys, once the chain lists that matcher (proven): retried
/// with progress until the running replica answers; a refusal ends the start.
async fn provision(
	peer: &Peer,
	registrar: &Registrar,
	chain: &Chain,
) -> Result<(epichain_enclave::provision::Newcomer, SealedKeys), String> {
	let mut attempt = 0u32;
	let matcher = loop {
		match peer.signing_key().await {
			Ok(key) => break key,
			Err(e) => {
				if attempt.is_multiple_of(10) {
					tracing::info!("waiting for the running replica: {e}");
				}
				attempt += 1;
				tokio::time::sleep(Duration::from_secs(1)).await;
			},
		}
	};
	let key = epichain_primitives::hex0x::encode(&matcher);
	attempt = 0;
	let id = loop {
		let head = chain.finalized().await.map_err(|e| e.to_string())?;
		if let Some(id) = registrar.matcher_id(matcher, &head).await.map_err(|e| e.to_string())? {
			break id;
		}
		if attempt.is_multiple_of(10) {
			tracing::info!(
				"waiting for {}'s matcher (signing key {key}) to be registered on chain",
				peer.url()
			);
		}
		attempt += 1;
		tokio::time::sleep(Duration::from_secs(2)).await;
	};
	tracing::info!(
		"asking {} for the keys of matcher {id} (signing key {key}), with this enclave's \
		 attestation",
		peer.url()
	);
	Ok(peer.request(chain.genesis.0, matcher).await?)
}

fn wall_secs() -> u64 {
	SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// Sealing secrets live as long as the chain accepts batches sealed to them (the runtime's
/// `Matchers::SealingKeyLifetime`, in days, from its metadata), plus an hour.
async fn key_lifetime_secs(chain: &Chain) -> Result<u64, String> {
	let at = chain.checkpointed().await.map_err(|e| e.to_string())?;
	let lifetime = epichain_api::runtime::constants().matchers().sealing_key_lifetime();
	let days = at.constants().entry(lifetime).map_err(|e| format!("SealingKeyLifetime: {e}"))?;
	Ok(days as u64 * SECONDS_PER_DAY + 3_600)
}

#[tokio::main]
async fn main() {
	tracing_subscriber::fmt()
		.with_env_filter(
			tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
		)
		.with_target(false)
		// Logs on standard error, like the node's; standard output is for what the authority
		// must register.
		.with_writer(std::io::stderr)
		.with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
		.init();
	if let Err(e) = run(Args::parse()).await {
		tracing::error!("{e}");
		std::process::exit(1);
	}
}

async fn run(args: Args) -> Result<(), String> {
	let EnclaveKind::Simulation = args.enclave;
	tracing::warn!(
		"SIMULATION MODE: the enclave runs as an ordinary process with no hardware isolation; \
		 its measurement identifies it as a simulation"
	);
	let authority = args.authority_suri.as_deref().map(parse_suri).transpose()?;
	let spec = std::fs::read_to_string(&args.chain_spec)
		.map_err(|e| format!("--chain-spec {}: {e}", args.chain_spec.display()))?;
	let genesis = Genesis::of_spec(&spec)
		.map_err(|e| format!("--chain-spec {}: {e}", args.chain_spec.display()))?;
	// The finality checkpoint is kept next to the sealed state (none with --tmp).
	let chains = if args.tmp { None } else { Some(base_path(&args)?.join("chains")) };
	let chain = connect(&args.chain_rpc, &genesis, chains).await?;
	let lifetime = key_lifetime_secs(&chain).await?;
	let registrar =
		Registrar::new(chain.clone(), authority, args.validity_days * SECONDS_PER_DAY).await?;
	let replica = args.provision_from.as_deref().map(Peer::new);
	let enclave: Arc<dyn Enclave> = Arc::new(
		open_enclave(&args, &chain, lifetime, replica.as_ref().map(|p| (p, &registrar))).await?,
	);
	let attestation = enclave.attestation();
	let current = attestation.epochs.last().ok_or("the enclave has no sealing epoch")?;
	tracing::info!(
		"signing key {}, sealing key {} (epoch {}), measurement {}",
		attestation.signing_key,
		attestation.sealing_key,
		current.epoch,
		attestation.measurement
	);
	let sync = Arc::new(RwLock::new(SyncState::default()));

	let listener = tokio::net::TcpListener::bind(args.listen)
		.await
		.map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
	tracing::info!("serving on http://{}", args.listen);
	let app = router(AppState::new(
		chain.clone(),
		enclave.clone(),
		sync.clone(),
		args.queries_per_minute,
	))
	// Pull queries are limited per source address.
	.into_make_service_with_connect_info::<SocketAddr>();
	let server = tokio::spawn(async move { axum::serve(listener, app).await });

	let matcher = registrar.ensure_registered(&*enclave).await.map_err(|e| e.to_string())?;
	let mut keys =
		KeyMaking::new(replica, args.take_over_after, args.epoch_secs, chain.genesis.0, matcher);
	// A crash between making an epoch and registering it leaves the chain on the previous key:
	// the key maker registers its newest. A key the enclave does not hold was made by another
	// replica, which took over: never rotate back over it (the follower and the key making
	// take it from the peer: `KeyNotHeld`, `Step::Adopt`).
	let sealing = epichain_primitives::hex0x::decode_array(&attestation.sealing_key)
		.map_err(|e| format!("the enclave's sealing key: {e}"))?;
	match registrar.current_sealing_key(matcher).await {
		Ok(Some(k)) if k == sealing || !enclave.knows_sealing_key(&k) => {},
		Ok(_) if keys.role() != epochs::Role::Maker => {},
		Ok(_) => {
			registrar.rotate(matcher, sealing, &*enclave).await.map_err(|e| e.to_string())?;
		},
		Err(e) => tracing::warn!("reading matcher {matcher}'s sealing key: {e}"),
	}
	// A batch sealed to a key of this matcher that the enclave does not hold (another
	// replica's) stops the follower until the key is taken, instead of going unopened.
	let mut follower = Follower::new(chain, enclave.clone(), sync.clone()).replica_of(matcher);
	let poll = Duration::from_millis(args.poll_millis);
	loop {
		if server.is_finished() {
			return Err("the HTTP server stopped".into());
		}
		match follower.step().await {
			Ok(Some(r))
				if r.batches > 0
					|| r.pruned > 0 || r.unopenable > 0
					|| r.expired > 0
					|| r.missing > 0 =>
			{
				tracing::info!(
					"finalized #{}: {} batches, {} entries, {} stays indexed ({} rejected, {} \
					 unopenable batches, {} past their key's lifetime, {} batches missing from \
					 their blocks, {} stays past retention dropped)",
					r.block,
					r.batches,
					r.entries,
					r.stays,
					r.rejected,
					r.unopenable,
					r.expired,
					r.missing,
					r.pruned
				)
			},
			Ok(_) => {},
			// The follower stops at a batch sealed to a key it does not hold: take the keys.
			Err(e @ ChainError::KeyNotHeld(_)) => match keys.refresh(&*enclave).await {
				Ok(added) => tracing::info!(
					"{e}: sealing epochs {added:?} provisioned from {}",
					keys.peer_url()
				),
				Err(why) => tracing::warn!("{e}: {why}"),
			},
			Err(e) => tracing::warn!("following the chain: {e}"),
		}
		let now = wall_secs();
		keys.look(&*enclave, &registrar, now).await;
		match enclave.shred_expired(now) {
			Ok(shredded) => {
				for epoch in shredded {
					tracing::info!(
						"sealing epoch {epoch} shredded: its batches can no longer be opened"
					);
				}
			},
			Err(e) => tracing::error!("a shredded epoch is still in the sealed state: {e}"),
		}
		tokio::time::sleep(poll).await;
	}
}

/// Connects to the node, retrying (with progress) until it answers and proves finality as far
/// as its finalized head; a node of another chain than the chain spec's is refused.
async fn connect(
	url: &str,
	genesis: &Genesis,
	chains: Option<std::path::PathBuf>,
) -> Result<Chain, String> {
	let mut attempt = 0u32;
	let chain = loop {
		match Chain::connect(url, genesis, chains.as_deref()).await {
			Ok(chain) => {
				tracing::info!("following chain {:?} through {url}", chain.genesis);
				break chain;
			},
			Err(e @ ChainError::Finality(_)) => return Err(format!("{url}: {e}")),
			Err(e) => {
				if attempt.is_multiple_of(10) {
					tracing::info!("waiting for the node at {url}: {e}");
				}
				attempt += 1;
				tokio::time::sleep(Duration::from_secs(1)).await;
			},
		}
	};
	attempt = 0;
	while let Err(e) = chain.finalized().await {
		if attempt.is_multiple_of(10) {
			tracing::info!("waiting for the node at {url} to prove finality: {e}");
		}
		attempt += 1;
		tokio::time::sleep(Duration::from_secs(1)).await;
	}
	Ok(chain)
}

//! The runtime harness: the native epichain runtime, from the development genesis plus a
//! registered matcher, driven block by block through a fuzz program's calls.
//!
//! Blocks are built the way a node builds them: `Executive::initialize_block` with an Aura
//! slot digest, the timestamp inherent at `slot × 6 s`, the program's extrinsics through
//! `Executive::apply_extrinsic` (an extrinsic refused as invalid is rolled back, as the block
//! builder does), and `Executive::finalize_block` (on_idle, on_finalize). Root calls go
//! through `sudo` signed by the sudo key; locators', diagnosticians' and matchers' calls are
//! general transactions their own signatures authorize.
//!
//! What must hold, or the harness panics and libFuzzer reports the input:
//! - after every block: the `try_state` invariants of every epichain pallet; the block's
//!   weight within the block limit and its length within the length limit; every stored item
//!   within its declared bound (`StorageInfo`); the state growing by no more than
//!   [`MAX_GROWTH_PER_BYTE`] times the bytes the block's extrinsics carried plus
//!   [`MAX_GROWTH_PER_BLOCK`];
//! - for every extrinsic: if the pool would accept it (`validate_transaction` against the same
//!   state), the block does not refuse it as invalid, except for running out of block space;
//! - for every call that fails (or whose `sudo` call fails): the epichain pallets' state is
//!   unchanged.

use crate::ops::{
	AuthorityCall, BatchSpec, CellSpec, EndorseSpec, Gap, Op, ResultSpec, RevokeSpec,
};
use codec::Encode;
use epichain_primitives::{
	diagnosis::{case_nullifier, ConsentedPseudonym, DayWindow},
	geohash::{Geohash, POINT_PRECISION},
	matching::{Exposure, InfectedCell, RiskLevel, RiskParams, SurfaceMaterial},
	pseudonym::DeviceSeed,
	sealing::SealingSecret,
	traits::InfectionSource,
	SECONDS_PER_DAY,
};
use epichain_runtime::{
	genesis_config_presets, AccountId, Executive, Header, Runtime, RuntimeCall, RuntimeEvent,
	RuntimeGenesisConfig, System, TracingPallets, UncheckedExtrinsic, MILLI_SECS_PER_BLOCK,
	VERSION,
};
use frame_support::{
	traits::{PalletInfoData, PalletsInfoAccess, StorageInfo, StorageInfoTrait},
	BoundedVec,
};
use sp_core::{ed25519, sr25519, Pair, H256};
use sp_runtime::{
	traits::{Hash as _, Header as _},
	transaction_validity::{InvalidTransaction, TransactionSource, TransactionValidityError},
	BuildStorage, Digest, DigestItem, Storage,
};
use std::sync::{
	atomic::{AtomicU64, Ordering},
	OnceLock,
};

/// 2026-11-21T09:00:00Z, the harness's genesis time.
pub const GENESIS_SECS: u64 = 1_795_251_600;

/// Ops one input may run: keeps every input fast.
pub const MAX_OPS: usize = 256;

/// Blocks one input may build.
pub const MAX_BLOCKS: u32 = 64;

/// State growth allowed per byte of a block's extrinsics.
pub const MAX_GROWTH_PER_BYTE: u64 = 4;

/// State growth allowed per block whatever it carries (hooks, counters, events).
pub const MAX_GROWTH_PER_BLOCK: u64 = 64 * 1024;

/// The names of epichain's contact-tracing pallets ([`epichain_runtime::TracingPallets`], the
/// runtime's one list), in its order: their storage prefixes and the order of
/// [`Outcome::events`].
pub fn epichain_pallets() -> &'static [PalletInfoData] {
	static INFOS: OnceLock<Vec<PalletInfoData>> = OnceLock::new();
	INFOS.get_or_init(<TracingPallets as PalletsInfoAccess>::infos)
}

/// The position in [`epichain_pallets`] of the pallet with index `index`.
fn epichain_pallet_at(index: u8) -> Option<usize> {
	epichain_pallets().iter().position(|p| p.index == index as usize)
}

/// Regions an authority may name: valid ones of several sizes, and one that is not a geohash.
const REGIONS: [&[u8]; 6] = [b"", b"xn", b"xn76", b"9q", b"xn76urx", b"ai"];

/// The synthetic base cell the harness's cells vary around (a 9-character geohash).
const BASE_CELL: &[u8] = b"xn76urx4d";

/// Totals over every input this process ran.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
	/// Inputs run.
	pub inputs: u64,
	/// Blocks finalized.
	pub blocks: u64,
	/// Extrinsics applied, included or refused (not counting the timestamp inherents).
	pub calls: u64,
	/// Of those, included in a block.
	pub included: u64,
}

static INPUTS: AtomicU64 = AtomicU64::new(0);
static BLOCKS: AtomicU64 = AtomicU64::new(0);
static CALLS: AtomicU64 = AtomicU64::new(0);
static INCLUDED: AtomicU64 = AtomicU64::new(0);

/// Totals so far.
pub fn totals() -> Totals {
	Totals {
		inputs: INPUTS.load(Ordering::Relaxed),
		blocks: BLOCKS.load(Ordering::Relaxed),
		calls: CALLS.load(Ordering::Relaxed),
		included: INCLUDED.load(Ordering::Relaxed),
	}
}

/// What one input did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
	/// Blocks finalized.
	pub blocks: u32,
	/// Extrinsics applied.
	pub calls: u32,
	/// Of those, included.
	pub included: u32,
	/// Events deposited by each epichain pallet, in [`epichain_pallets`] order.
	pub events: Vec<u32>,
}

/// Runs the program in `input` from the harness's genesis. Panics if an invariant breaks.
pub fn run(input: &[u8]) -> Outcome {
	let genesis = genesis();
	let mut ext = sp_io::TestExternalities::new(genesis.storage.clone());
	let mut chain = ext.execute_with(|| Chain::resume(genesis.head));
	let mut reader = crate::wire::Reader::new(input);
	let (mut ops, mut gap) = (0, Gap::Slots(1));
	let mut state = scan(&ext.backend).bytes;
	loop {
		// One block: the ops up to the next `NextBlock`, whose gap starts the block after.
		let next = ext.execute_with(|| {
			chain.start_block(slots(gap));
			loop {
				if ops == MAX_OPS {
					break None;
				}
				ops += 1;
				match Op::read(&mut reader)? {
					Op::NextBlock(gap) => break Some(gap),
					op => chain.apply(op),
				}
			}
		});
		ext.execute_with(|| chain.finish_block());
		ext.commit_all().expect("no storage transaction is open between blocks");
		let scanned = scan(&ext.backend);
		let grown = scanned.bytes.saturating_sub(state);
		let allowed = MAX_GROWTH_PER_BYTE * chain.block_len + MAX_GROWTH_PER_BLOCK;
		assert!(
			grown <= allowed,
			"block {}: the state grew {grown} bytes for {} bytes of extrinsics",
			chain.number,
			chain.block_len
		);
		if let Some(fault) = scanned.fault {
			panic!("block {}: {fault}", chain.number);
		}
		state = scanned.bytes;
		match next {
			Some(next) if chain.outcome.blocks < MAX_BLOCKS => gap = next,
			_ => break,
		}
	}
	let outcome = chain.outcome;
	INPUTS.fetch_add(1, Ordering::Relaxed);
	BLOCKS.fetch_add(outcome.blocks as u64, Ordering::Relaxed);
	CALLS.fetch_add(outcome.calls as u64, Ordering::Relaxed);
	INCLUDED.fetch_add(outcome.included as u64, Ordering::Relaxed);
	outcome
}

/// The slots a [`Gap`] spans.
fn slots(gap: Gap) -> u64 {
	const SLOTS_PER_HOUR: u64 = 3_600_000 / MILLI_SECS_PER_BLOCK;
	match gap {
		Gap::Slots(n) => n as u64,
		Gap::Hours(n) => (n % 49) as u64 * SLOTS_PER_HOUR + 1,
		Gap::Days(n) => (n % 21) as u64 * 24 * SLOTS_PER_HOUR + 1,
	}
}

/// What one pass over the committed state found.
struct Scan {
	/// Bytes of every key and value.
	bytes: u64,
	/// The first stored item over its declared bound, if any.
	fault: Option<String>,
}

/// One pass over `backend`: the state's size, and every epichain item against its
/// `StorageInfo` bound (values per storage, bytes per key suffix and value).
fn scan(backend: &sp_state_machine::InMemoryBackend<sp_core::Blake2Hasher>) -> Scan {
	use sp_state_machine::Backend;
	let infos = storage_infos();
	let mut counts = vec![0u32; infos.len()];
	let mut scan = Scan { bytes: 0, fault: None };
	let pairs = backend.pairs(Default::default()).expect("the in-memory state iterates");
	for pair in pairs {
		let (key, value) = pair.expect("the in-memory state has every node");
		scan.bytes += (key.len() + value.len()) as u64;
		let Some(&i) = key.get(..32).and_then(|p| storage_index().get(p)) else { continue };
		counts[i] += 1;
		let (info, size) = (&infos[i], key.len() - 32 + value.len());
		if info.max_size.is_some_and(|max| size > max as usize) {
			scan.fault.get_or_insert(format!(
				"an item of {} holds {size} bytes, over its bound {:?}",
				item(info),
				info.max_size
			));
		}
	}
	for (info, count) in infos.iter().zip(counts) {
		if info.max_values.is_some_and(|max| count > max) {
			scan.fault.get_or_insert(format!(
				"{} holds {count} values, over its bound {:?}",
				item(info),
				info.max_values
			));
		}
	}
	scan
}

/// `Pallet::Storage`, for messages.
fn item(info: &StorageInfo) -> String {
	format!(
		"{}::{}",
		String::from_utf8_lossy(&info.pallet_name),
		String::from_utf8_lossy(&info.storage_name)
	)
}

/// [`storage_infos`]' indices by storage prefix.
fn storage_index() -> &'static std::collections::HashMap<Vec<u8>, usize> {
	static INDEX: OnceLock<std::collections::HashMap<Vec<u8>, usize>> = OnceLock::new();
	INDEX.get_or_init(|| {
		storage_infos().iter().enumerate().map(|(i, info)| (info.prefix.clone(), i)).collect()
	})
}

/// The state every input starts from, and the hash of the block that left it.
pub struct Snapshot {
	/// Every key and value.
	pub storage: Storage,
	/// The hash of the last block.
	pub head: H256,
}

/// The development genesis after block 1, in which the authority registered matcher 0
/// (signing key 0, sealing key 1) and Bob as a venue in `xn76urx` (a premises-sized region,
/// so it may register its own cells).
pub fn genesis() -> &'static Snapshot {
	static GENESIS: OnceLock<Snapshot> = OnceLock::new();
	GENESIS.get_or_init(|| {
		let mut ext = sp_io::TestExternalities::new(dev_genesis());
		ext.execute_with(|| {
			let mut chain = Chain {
				slot: GENESIS_SECS * 1000 / MILLI_SECS_PER_BLOCK,
				..Chain::resume(System::block_hash(0))
			};
			chain.start_block(0);
			for call in [
				AuthorityCall::RegisterMatcher {
					signer: 0,
					sealing: 1,
					from_days_ago: 1,
					until_days: 90,
				},
				AuthorityCall::RegisterLocator { who: 1, kind: 2, region: 4 },
			] {
				chain.apply(Op::Authority(call));
			}
			chain.finish_block();
			assert_eq!(
				chain.outcome.included, 2,
				"the harness's genesis block holds its two calls"
			);
			let mut top = std::collections::BTreeMap::new();
			let mut key = Vec::new();
			while let Some(next) = sp_io::storage::next_key(&key) {
				top.insert(next.clone(), sp_io::storage::get(&next).unwrap_or_default().to_vec());
				key = next;
			}
			Snapshot {
				storage: Storage { top, children_default: Default::default() },
				head: chain.parent,
			}
		})
	})
}

/// The `development` preset's genesis, merged over the defaults the way the node merges it.
fn dev_genesis() -> Storage {
	let config = genesis_config_presets::merged_preset(&"development".into())
		.expect("the development preset exists");
	serde_json::from_value::<RuntimeGenesisConfig>(config)
		.expect("the development preset is a genesis config")
		.build_storage()
		.expect("the development genesis builds")
}

/// The keyring accounts (`who % 8`): Alice (sudo), Bob, Charlie, Dave, Eve (locator), Ferdie
/// (diagnostician), One and Two (unfunded).
fn keyring() -> &'static [(sr25519::Pair, AccountId)] {
	static KEYS: OnceLock<Vec<(sr25519::Pair, AccountId)>> = OnceLock::new();
	KEYS.get_or_init(|| {
		sp_keyring::Sr25519Keyring::iter().map(|k| (k.pair(), k.to_account_id())).collect()
	})
}

fn account(who: u8) -> &'static (sr25519::Pair, AccountId) {
	let keys = keyring();
	&keys[who as usize % keys.len()]
}

/// The four matcher signing keys (`n % 4`).
fn matcher_key(n: u8) -> &'static ed25519::Pair {
	static KEYS: OnceLock<Vec<ed25519::Pair>> = OnceLock::new();
	&KEYS.get_or_init(|| (0..4).map(|i| ed25519::Pair::from_seed(&[0x40 + i; 32])).collect())
		[n as usize % 4]
}

/// Sealing public key `n`; 0 is the all-zero key the registry refuses.
fn sealing_key(n: u8) -> [u8; 32] {
	match n {
		0 => [0; 32],
		n => SealingSecret::from_bytes([n; 32]).public(),
	}
}

fn cell(spec: CellSpec) -> Geohash {
	let base = Geohash::parse(BASE_CELL).expect("the base cell is a geohash").to_bits();
	Geohash::from_bits(base ^ spec.variant as u64, POINT_PRECISION)
		.expect("a 9-character cell")
		.truncate(1 + spec.precision as usize % 12)
}

/// `register_location` of the cell `spec` names, for the selected operator and material.
fn register_location(spec: CellSpec, operator: Option<u8>, m: u8) -> RuntimeCall {
	RuntimeCall::Locations(pallet_locations::Call::register_location {
		cell: cell(spec),
		operator: operator.map(|o| account(o).1.clone()),
		material: material(m),
	})
}

fn region(n: u8) -> epichain_primitives::geohash::Region {
	BoundedVec::truncate_from(REGIONS[n as usize % REGIONS.len()].to_vec())
}

/// Surface material `n % 8`.
pub(crate) fn material(n: u8) -> SurfaceMaterial {
	use SurfaceMaterial::*;
	[Unknown, Copper, Cardboard, Fabric, Wood, Glass, Steel, Plastic][n as usize % 8]
}

/// The chain being built, and what this input has done to it.
struct Chain {
	number: u32,
	parent: H256,
	slot: u64,
	/// Bytes of the extrinsics included in the open block.
	block_len: u64,
	/// Counts distinct fresh ephemeral keys.
	ephemerals: u32,
	outcome: Outcome,
}

impl Chain {
	/// The chain as the current state left it, after block `head`.
	fn resume(head: H256) -> Self {
		Chain {
			number: System::block_number(),
			parent: head,
			slot: pallet_aura::CurrentSlot::<Runtime>::get().into(),
			block_len: 0,
			ephemerals: 0,
			outcome: Outcome::default(),
		}
	}

	fn genesis_hash() -> H256 {
		System::block_hash(0)
	}

	fn now_secs(&self) -> u64 {
		self.slot * MILLI_SECS_PER_BLOCK / 1000
	}

	/// The block a signed endorsement or revocation is valid until: usually an hour ahead of
	/// the open block it goes into; bits 2-3 of `choice` make it stale (1) or too far ahead
	/// (2).
	fn valid_until(&self, choice: u8) -> u32 {
		let open = self.number;
		match (choice >> 2) & 3 {
			1 => open.saturating_sub(1),
			2 => open.saturating_add(100_000),
			_ => open.saturating_add(600),
		}
	}

	fn today(&self) -> u32 {
		(self.now_secs() / SECONDS_PER_DAY) as u32
	}

	fn start_block(&mut self, slots: u64) {
		self.slot += slots.max(1);
		self.number += 1;
		let digest = Digest {
			logs: vec![DigestItem::PreRuntime(
				sp_consensus_aura::AURA_ENGINE_ID,
				sp_consensus_aura::Slot::from(self.slot).encode(),
			)],
		};
		let header = Header::new(self.number, H256::zero(), H256::zero(), self.parent, digest);
		Executive::initialize_block(&header);
		let now = RuntimeCall::Timestamp(pallet_timestamp::Call::set {
			now: self.slot * MILLI_SECS_PER_BLOCK,
		});
		let inherent = UncheckedExtrinsic::new_bare(now);
		assert_eq!(Executive::apply_extrinsic(inherent), Ok(Ok(())), "the timestamp inherent");
		self.block_len = 0;
	}

	fn finish_block(&mut self) {
		let header = Executive::finalize_block();
		self.outcome.events.resize(epichain_pallets().len(), 0);
		for record in System::events() {
			// An event's first byte is its pallet's index.
			let index = record.event.using_encoded(|bytes| bytes[0]);
			if let Some(pallet) = epichain_pallet_at(index) {
				self.outcome.events[pallet] += 1;
			}
		}
		self.parent = header.hash();
		self.outcome.blocks += 1;
		check_block(self.number, self.block_len);
	}

	fn apply(&mut self, op: Op) {
		match op {
			Op::NextBlock(gap) => {
				self.finish_block();
				self.start_block(slots(gap));
			},
			Op::Authority(call) => {
				let call = self.authority_call(call);
				let sudo = RuntimeCall::Sudo(pallet_sudo::Call::sudo { call: Box::new(call) });
				self.submit_signed(0, sudo);
			},
			Op::Usurp { who, call } => {
				let call = self.authority_call(call);
				self.submit_signed(who, call);
			},
			Op::Batch(spec) => {
				let xt = self.batch(spec);
				self.submit(xt);
			},
			Op::Endorse(spec) => {
				let xt = self.endorsement(spec);
				self.submit(xt);
			},
			Op::Revoke(spec) => {
				let xt = self.revocation(spec);
				self.submit(xt);
			},
			Op::Result(spec) => {
				let xt = self.result(spec);
				self.submit(xt);
			},
			Op::RegisterLocation { who, cell: spec, operator, material: m } => {
				self.submit_signed(who, register_location(spec, operator, m));
			},
			Op::MarkCleaned { who, cell: spec } => {
				let call = RuntimeCall::Locations(pallet_locations::Call::mark_cleaned {
					cell: cell(spec),
				});
				self.submit_signed(who, call);
			},
			Op::Raw { who, general, call } => {
				let Ok(call) = <RuntimeCall as codec::DecodeLimit>::decode_all_with_depth_limit(
					frame_support::MAX_EXTRINSIC_DEPTH,
					&mut &call[..],
				) else {
					return;
				};
				// Root may write any storage through `sudo`; the authority's calls are
				// [`Op::Authority`]'s, with the arguments the harness builds.
				if matches!(call, RuntimeCall::Sudo(_)) {
					return;
				}
				if general {
					let xt = UncheckedExtrinsic::new_transaction(
						call,
						epichain_runtime::tx_extension(0),
					);
					self.submit(xt);
				} else {
					self.submit_signed(who, call);
				}
			},
		}
	}

	fn authority_call(&self, call: AuthorityCall) -> RuntimeCall {
		use AuthorityCall::*;
		let now = self.now_secs();
		let days = |n: u8| n as u64 * SECONDS_PER_DAY;
		match call {
			RegisterMatcher { signer, sealing, from_days_ago, until_days } => {
				RuntimeCall::Matchers(pallet_matchers::Call::register_matcher {
					signing_key: matcher_key(signer).public().0,
					sealing_key: sealing_key(sealing),
					evidence: Box::new(pallet_matchers::Evidence::Simulation {
						measurement: [0x3e; 32],
					}),
					valid_from: now.saturating_sub(days(from_days_ago)),
					valid_until: (now + days(until_days)).saturating_sub(days(7)),
				})
			},
			RotateSealingKey { matcher, sealing } => {
				let signer = matcher_key(matcher);
				let binding = epichain_primitives::signing::matcher_report_data(
					&signer.public().0,
					&sealing_key(sealing),
				);
				RuntimeCall::Matchers(pallet_matchers::Call::rotate_sealing_key {
					matcher: matcher as u32 % 4,
					sealing_key: sealing_key(sealing),
					endorsement: signer.sign(&binding).0,
				})
			},
			RenewAttestation { matcher, until_days } => {
				RuntimeCall::Matchers(pallet_matchers::Call::renew_attestation {
					matcher: matcher as u32 % 4,
					evidence: Box::new(pallet_matchers::Evidence::Simulation {
						measurement: [until_days; 32],
					}),
					valid_until: (now + days(until_days)).saturating_sub(days(7)),
				})
			},
			RevokeMatcher { matcher } => {
				RuntimeCall::Matchers(pallet_matchers::Call::revoke_matcher {
					matcher: matcher as u32 % 4,
				})
			},
			RegisterLocator { who, kind, region: r } => {
				use pallet_csi::LocatorKind::*;
				RuntimeCall::Csi(pallet_csi::Call::register_locator {
					locator: account(who).1.clone(),
					kind: [TransitGate, WiFi, Venue, AppGateway, Camera, Other][kind as usize % 6],
					region: region(r),
					metadata_hash: H256::repeat_byte(kind),
				})
			},
			SuspendLocator { who } => RuntimeCall::Csi(pallet_csi::Call::suspend_locator {
				locator: account(who).1.clone(),
			}),
			ResumeLocator { who } => RuntimeCall::Csi(pallet_csi::Call::resume_locator {
				locator: account(who).1.clone(),
			}),
			RemoveLocator { who } => RuntimeCall::Csi(pallet_csi::Call::remove_locator {
				locator: account(who).1.clone(),
			}),
			RegisterDiagnostician { who, region: r } => {
				RuntimeCall::Diagnosis(pallet_diagnosis::Call::register_diagnostician {
					diagnostician: account(who).1.clone(),
					jurisdiction: region(r),
					certificate_hash: H256::repeat_byte(who),
				})
			},
			SuspendDiagnostician { who } => {
				RuntimeCall::Diagnosis(pallet_diagnosis::Call::suspend_diagnostician {
					diagnostician: account(who).1.clone(),
				})
			},
			ResumeDiagnostician { who } => {
				RuntimeCall::Diagnosis(pallet_diagnosis::Call::resume_diagnostician {
					diagnostician: account(who).1.clone(),
				})
			},
			RemoveDiagnostician { who } => {
				RuntimeCall::Diagnosis(pallet_diagnosis::Call::remove_diagnostician {
					diagnostician: account(who).1.clone(),
				})
			},
			ForceRevoke { case, reason } => {
				RuntimeCall::Diagnosis(pallet_diagnosis::Call::force_revoke {
					case: case as u64,
					reason: revocation_reason(reason),
				})
			},
			MarkInfected { cell: spec } => {
				RuntimeCall::Locations(pallet_locations::Call::mark_infected { cell: cell(spec) })
			},
			RegisterLocation { cell: spec, operator, material: m } => {
				register_location(spec, operator, m)
			},
			SetRiskParams { distance_cm, min_duration_secs, slopes, materials } => {
				RuntimeCall::Notifications(pallet_notifications::Call::set_risk_params {
					params: RiskParams {
						distance_cm,
						min_duration_secs,
						intercept_milli: slopes[0] as i32,
						per_minute_milli: slopes[1] as i32,
						per_metre_milli: slopes[2] as i32,
						materials: BoundedVec::truncate_from(
							materials.into_iter().map(|(m, v)| (material(m), v as i32)).collect(),
						),
						..RiskParams::default()
					},
				})
			},
		}
	}

	fn batch(&mut self, spec: BatchSpec) -> UncheckedExtrinsic {
		let key_id = if spec.key < 0x80 {
			pallet_matchers::Matchers::<Runtime>::get(spec.key as u32)
				.map_or(spec.key as u32, |m| m.current_key)
		} else {
			(spec.key - 0x80) as u32
		};
		let ephemeral = if spec.ephemeral == 0 {
			self.ephemerals += 1;
			let mut e = [0xe0; 32];
			e[..4].copy_from_slice(&self.ephemerals.to_le_bytes());
			e[4..8].copy_from_slice(&self.number.to_le_bytes());
			e
		} else {
			[spec.ephemeral; 32]
		};
		let day = (self.today() as i64 + (spec.day as i8 % 4) as i64).max(0) as u32;
		let stays = crate::ops::count(spec.stays as u16, 0x80, 71) as u32;
		let entry = |i: u16| {
			let stray = (i == spec.odd) as usize;
			let len = epichain_primitives::csi::entry_len(stays) as usize + stray;
			(0..len).map(|b| (b as u8) ^ (i as u8)).collect::<Vec<u8>>()
		};
		let batch = pallet_csi::CsiBatch {
			header: epichain_primitives::csi::BatchHeader {
				key_id,
				ephemeral,
				day,
				cell_prefix: cell(spec.cell),
			},
			entries: (0..crate::ops::count(spec.entries, 0x8000, 1_101)).map(entry).collect(),
		};
		let payload = pallet_csi::batch_signing_payload(Self::genesis_hash().as_ref(), &batch);
		let call = RuntimeCall::Csi(pallet_csi::Call::submit_batch {
			locator: account(spec.locator).1.clone(),
			batch,
			signature: account(spec.signer).0.sign(&payload).into(),
		});
		UncheckedExtrinsic::new_transaction(call, epichain_runtime::tx_extension(0))
	}

	fn endorsement(&self, spec: EndorseSpec) -> UncheckedExtrinsic {
		let today = self.today();
		let diagnostician = &account(spec.diagnostician).1;
		let nullifier = case_nullifier(b"synthetic-lab", &[spec.nullifier]);
		let onset = today.saturating_sub((spec.onset_days_ago % 20) as u32);
		let last = today.saturating_sub((spec.last_days_ago % 20) as u32);
		let patient = DeviceSeed::from_bytes([spec.patient; 32]);
		let other = DeviceSeed::from_bytes([spec.patient.wrapping_add(1); 32]);
		let genesis = Self::genesis_hash();
		let pseudonyms = (0..(spec.consents % 17) as u32)
			.rev()
			.map(|back| {
				let day = last.saturating_sub(back);
				let mut consent = ConsentedPseudonym::sign(
					&patient.pseudonym_key(day),
					genesis.as_ref(),
					&diagnostician.encode(),
					&nullifier,
				);
				if spec.forge & 1 == 1 && back == 0 {
					consent.consent = ConsentedPseudonym::sign(
						&other.pseudonym_key(day),
						genesis.as_ref(),
						&diagnostician.encode(),
						&nullifier,
					)
					.consent;
				}
				consent
			})
			.collect::<Vec<_>>();
		let mut endorsement = pallet_diagnosis::EndorsementOf::<Runtime> {
			nullifier,
			window: DayWindow::from_onset(onset, last),
			pseudonyms: BoundedVec::truncate_from(pseudonyms),
			reports: Default::default(),
			valid_until: self.valid_until(spec.forge),
		};
		let payload = pallet_diagnosis::endorsement_signing_payload(genesis.as_ref(), &endorsement);
		if spec.forge & 2 == 2 {
			endorsement.window.first = endorsement.window.first.saturating_sub(1);
		}
		let call = RuntimeCall::Diagnosis(pallet_diagnosis::Call::endorse_case {
			diagnostician: diagnostician.clone(),
			endorsement,
			signature: account(spec.signer).0.sign(&payload).into(),
		});
		UncheckedExtrinsic::new_transaction(call, epichain_runtime::tx_extension(0))
	}

	fn revocation(&self, spec: RevokeSpec) -> UncheckedExtrinsic {
		let reason = revocation_reason(spec.reason);
		let valid_until = self.valid_until(spec.reason);
		let payload = pallet_diagnosis::revocation_signing_payload(
			Self::genesis_hash().as_ref(),
			spec.case as u64,
			reason,
			valid_until,
		);
		let call = RuntimeCall::Diagnosis(pallet_diagnosis::Call::revoke_endorsement {
			diagnostician: account(spec.diagnostician).1.clone(),
			case: spec.case as u64,
			reason,
			valid_until,
			signature: account(spec.signer).0.sign(&payload).into(),
		});
		UncheckedExtrinsic::new_transaction(call, epichain_runtime::tx_extension(0))
	}

	fn result(&self, spec: ResultSpec) -> UncheckedExtrinsic {
		let today = self.today();
		let key = matcher_key(spec.key);
		let signer = match spec.signer {
			0 => key.public().0,
			n => matcher_key(n - 1).public().0,
		};
		let exposures = (0..crate::ops::count(spec.exposures, 0x8000, 1_101) as u32)
			.map(|i| {
				let v = spec.variant as u32 + i;
				let mut fingerprint = [0u8; 16];
				fingerprint[..4].copy_from_slice(&v.to_le_bytes());
				Exposure {
					fingerprint,
					day: today.saturating_sub(v % 16),
					risk: if i % 2 == 0 { RiskLevel::High } else { RiskLevel::Low },
					probability_ppm: v.wrapping_mul(7_919) % 1_100_000,
				}
			})
			.collect::<Vec<_>>();
		let cells = (0..crate::ops::count(spec.cells, 0x8000, 261))
			.map(|i| InfectedCell {
				cell: cell(CellSpec {
					precision: spec.cell.precision,
					variant: spec.cell.variant.wrapping_add(i as u8),
				}),
				source: [
					InfectionSource::VisitBeforeEndorsement,
					InfectionSource::VisitAfterEndorsement,
					InfectionSource::Authority,
				][i as usize % 3],
				day: today.saturating_sub((i % 16) as u32),
			})
			.collect::<Vec<_>>();
		let mut result = pallet_notifications::MatchResultOf::<Runtime> {
			case: spec.case as u64,
			round: spec.round as u32,
			part: (spec.part & 3) as u32,
			parts: 1 + ((spec.part >> 2) & 3) as u32,
			as_of: self.number.saturating_sub(spec.as_of as u32),
			signer,
			exposures: BoundedVec::truncate_from(exposures),
			cells: BoundedVec::truncate_from(cells),
		};
		let payload =
			epichain_primitives::signing::result_payload(Self::genesis_hash().as_ref(), &result);
		if spec.tamper != 0 {
			result.round = result.round.wrapping_add(spec.tamper as u32);
		}
		let call = RuntimeCall::Notifications(pallet_notifications::Call::submit_result {
			result,
			signature: key.sign(&payload).0,
		});
		UncheckedExtrinsic::new_transaction(call, epichain_runtime::tx_extension(0))
	}

	fn submit_signed(&mut self, who: u8, call: RuntimeCall) {
		let (pair, id) = account(who);
		let xt = epichain_runtime::signed_transaction(
			call,
			pair,
			System::account_nonce(id),
			Self::genesis_hash(),
			VERSION.spec_version,
			VERSION.transaction_version,
		);
		self.submit(xt);
	}

	/// Offers `xt` to the pool, then applies it to the open block the way the block builder
	/// does, checking that the two agree and that a failed call changed nothing of epichain's.
	fn submit(&mut self, xt: UncheckedExtrinsic) {
		let len = xt.encoded_size() as u64;
		let is_sudo = matches!(xt.function, RuntimeCall::Sudo(_));
		let epichain = reaches_epichain(&xt.function);
		let pool = rolled_back(|| {
			Executive::validate_transaction(TransactionSource::External, xt.clone(), self.parent)
		});
		sp_io::storage::start_transaction();
		let applied = Executive::apply_extrinsic(xt.clone());
		self.outcome.calls += 1;
		if trace() {
			eprintln!(
				"block {} call {}: pool {pool:?}, block {applied:?}",
				self.number, self.outcome.calls
			);
		}
		if let (Ok(_), Err(refusal)) = (&pool, &applied) {
			assert_eq!(
				*refusal,
				TransactionValidityError::Invalid(InvalidTransaction::ExhaustsResources),
				"the pool accepted an extrinsic the block refuses: {:?}",
				xt.function
			);
		}
		let Ok(dispatched) = applied else {
			sp_io::storage::rollback_transaction();
			return;
		};
		// `sudo` succeeds whatever its call does; its last `Sudid` event says how that went.
		let sudo_failed = is_sudo
			&& System::events().iter().rev().find_map(|r| match &r.event {
				RuntimeEvent::Sudo(pallet_sudo::Event::Sudid { sudo_result }) => {
					Some(sudo_result.is_err())
				},
				_ => None,
			}) == Some(true);
		if epichain && (dispatched.is_err() || sudo_failed) {
			// Epichain's state after the failed call, then before it (rolled back), then the
			// call again for good: only failed calls pay for the comparison.
			let after = epichain_state_root();
			sp_io::storage::rollback_transaction();
			assert_eq!(
				epichain_state_root(),
				after,
				"a failed call changed epichain's state: {:?} -> {:?}",
				xt.function,
				dispatched
			);
			sp_io::storage::start_transaction();
			assert_eq!(
				Executive::apply_extrinsic(xt),
				Ok(dispatched),
				"a call applies the same way twice"
			);
		}
		sp_io::storage::commit_transaction();
		self.outcome.included += 1;
		self.block_len += len;
	}
}

/// Whether `EPICHAIN_FUZZ_TRACE` asks for each call's outcome on stderr.
fn trace() -> bool {
	static TRACE: OnceLock<bool> = OnceLock::new();
	*TRACE.get_or_init(|| std::env::var_os("EPICHAIN_FUZZ_TRACE").is_some())
}

fn revocation_reason(n: u8) -> pallet_diagnosis::RevocationReason {
	use pallet_diagnosis::RevocationReason::*;
	[FalsePositive, EnteredInError, ConsentWithdrawn, Fraud][n as usize % 4]
}

/// Runs `f` in a storage transaction that is rolled back: what the pool's runtime calls see.
fn rolled_back<R>(f: impl FnOnce() -> R) -> R {
	sp_io::storage::start_transaction();
	let r = f();
	sp_io::storage::rollback_transaction();
	r
}

/// Whether `call` is an epichain pallet's, directly or through `sudo`.
fn reaches_epichain(call: &RuntimeCall) -> bool {
	match call {
		RuntimeCall::Sudo(pallet_sudo::Call::sudo { call }) => reaches_epichain(call),
		// A call's first byte is its pallet's index.
		call => call.using_encoded(|bytes| epichain_pallet_at(bytes[0]).is_some()),
	}
}

/// A hash over every key and value of epichain's pallets.
fn epichain_state_root() -> H256 {
	let mut all = Vec::new();
	for pallet in epichain_pallets() {
		let prefix = sp_io::hashing::twox_128(pallet.name.as_bytes());
		let mut key = prefix.to_vec();
		while let Some(next) = sp_io::storage::next_key(&key) {
			if !next.starts_with(&prefix) {
				break;
			}
			all.extend_from_slice(&next);
			all.extend_from_slice(&sp_io::storage::get(&next).unwrap_or_default());
			key = next;
		}
	}
	sp_runtime::traits::BlakeTwo256::hash(&all)
}

/// Every storage item of epichain's pallets, with its declared bounds.
fn storage_infos() -> &'static [StorageInfo] {
	static INFOS: OnceLock<Vec<StorageInfo>> = OnceLock::new();
	INFOS.get_or_init(<TracingPallets as StorageInfoTrait>::storage_info)
}

/// What must hold after block `n`, whose extrinsics carried `block_len` bytes: the pallets'
/// invariants and the block limits. The storage bounds and the growth are checked on the
/// committed state ([`scan`]).
fn check_block(n: u32, block_len: u64) {
	let fail = |what: &str, e: sp_runtime::TryRuntimeError| panic!("block {n}: {what}: {e:?}");
	if let Err((pallet, e)) = epichain_runtime::tracing_try_state() {
		fail(pallet, e);
	}

	use frame_support::dispatch::DispatchClass;
	let limits = <Runtime as frame_system::Config>::BlockWeights::get();
	let used = System::block_weight();
	// pallet-session reserves a rotation block whole: its hook claims `max_block` as mandatory
	// weight, so nothing else fits. There the total is over by the other hooks' weight by
	// design, and the bound that must hold is the transactions' own classes.
	let reserved = used.get(DispatchClass::Mandatory).all_gte(limits.max_block);
	let weight = used.total();
	assert!(
		reserved || weight.all_lte(limits.max_block),
		"block {n}: weight {weight:?} over {:?}",
		limits.max_block
	);
	for class in [DispatchClass::Normal, DispatchClass::Operational] {
		if let Some(max) = limits.get(class).max_total {
			let w = used.get(class);
			assert!(w.all_lte(max), "block {n}: {class:?} weight {w:?} over {max:?}");
		}
	}
	let max_len = *<Runtime as frame_system::Config>::BlockLength::get()
		.max
		.get(frame_support::dispatch::DispatchClass::Normal) as u64;
	assert!(block_len <= max_len, "block {n}: {block_len} bytes of extrinsics, over {max_len}");
}

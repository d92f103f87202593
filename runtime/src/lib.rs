//! # epichain runtime
//!
//! The regional runtime of epichain: one chain per region, run by that region's validators
//! (health authorities, hospitals, universities) to trace close contacts of infectious-disease
//! cases without exposing anyone's location or identity.
//!
//! This crate assembles the FRAME pallets. It is split the way upstream runtimes are:
//! - [`configs`]: one module per domain with each pallet's `Config`;
//! - [`apis`]: the runtime APIs the node and clients call;
//! - [`genesis_config_presets`]: the `dev`, `local`, `tokyo` and `osaka` genesis presets.
//!
//! Consensus is Aura (block production) with GRANDPA (finality). The health authority is a
//! council (`pallet-collective` with `pallet-membership`): two thirds of it act as every
//! epichain pallet's `AuthorityOrigin`. `pallet-sudo` holds a key on dev and local chains only.

#![cfg_attr(not(feature = "std"), no_std)]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

pub mod apis;
pub mod configs;
pub mod genesis_config_presets;
pub mod weights;

extern crate alloc;

use alloc::vec::Vec;

use sp_runtime::{
	generic, impl_opaque_keys,
	traits::{BlakeTwo256, IdentifyAccount, Verify},
	MultiAddress, MultiSignature,
};
use sp_version::RuntimeVersion;

pub use frame_system::Call as SystemCall;
pub use pallet_balances::Call as BalancesCall;
pub use pallet_timestamp::Call as TimestampCall;
#[cfg(any(feature = "std", test))]
pub use sp_runtime::BuildStorage;

/// Opaque types: what the node needs to know of blocks without knowing the runtime's calls.
pub mod opaque {
	use super::*;
	use sp_runtime::traits::Hash as HashT;

	pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

	/// Opaque block header type.
	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	/// Opaque block type.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;
	/// Opaque block identifier type.
	pub type BlockId = generic::BlockId<Block>;
	/// Opaque block hash type.
	pub type Hash = <BlakeTwo256 as HashT>::Output;
}

impl_opaque_keys! {
	/// The keys a validator holds: Aura for authoring, GRANDPA for finality voting.
	pub struct SessionKeys {
		/// Block authoring key (sr25519).
		pub aura: Aura,
		/// Finality voting key (ed25519).
		pub grandpa: Grandpa,
	}
}

/// The runtime's version. Bump `spec_version` on every runtime change that reaches a live chain,
/// and `transaction_version` whenever call indices or transaction extensions change.
#[sp_version::runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("epichain"),
	impl_name: alloc::borrow::Cow::Borrowed("epichain-node"),
	authoring_version: 1,
	spec_version: 106,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 2,
	system_version: 1,
};

/// Target block time in ms (Aura's slot); 100 under the benchmarks-only `fast-blocks` feature.
pub const MILLI_SECS_PER_BLOCK: u64 = if cfg!(feature = "fast-blocks") { 100 } else { 6000 };
#[cfg(all(feature = "fast-blocks", feature = "on-chain-release-build"))]
compile_error!("`fast-blocks` is for benchmarks' throwaway chains, never a runtime a region runs");

/// Aura slot duration. Changing it after genesis halts block production.
pub const SLOT_DURATION: u64 = MILLI_SECS_PER_BLOCK;

/// Blocks per minute at the target block time.
pub const MINUTES: BlockNumber = 60_000 / (MILLI_SECS_PER_BLOCK as BlockNumber);
/// Blocks per hour at the target block time.
pub const HOURS: BlockNumber = MINUTES * 60;
/// Blocks per day at the target block time.
pub const DAYS: BlockNumber = HOURS * 24;

/// The smallest unit of the token: 1 unit = 10^12 plancks.
pub const UNIT: Balance = 1_000_000_000_000;
/// A thousandth of a unit.
pub const MILLI_UNIT: Balance = 1_000_000_000;
/// A millionth of a unit.
pub const MICRO_UNIT: Balance = 1_000_000;

/// The minimum balance an account must hold to exist.
pub const EXISTENTIAL_DEPOSIT: Balance = MILLI_UNIT;

/// Signature type of the chain's accounts.
pub type Signature = MultiSignature;

/// An account identifier: the public key behind a [`Signature`].
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;

/// Balance of an account.
pub type Balance = u128;

/// Index of a transaction in the chain.
pub type Nonce = u32;

/// A hash of some data used by the chain.
pub type Hash = sp_core::H256;

/// A block number.
pub type BlockNumber = u32;

/// The address format for describing accounts.
pub type Address = MultiAddress<AccountId, ()>;

/// Block header type as expected by this runtime.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;

/// Block type as expected by this runtime.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;

/// A block signed with a justification.
pub type SignedBlock = generic::SignedBlock<Block>;

/// `BlockId` type as expected by this runtime.
pub type BlockId = generic::BlockId<Block>;

/// The transaction extensions, checked in this order for every transaction.
///
/// `AuthorizeCall` comes first so that calls with `#[pallet::authorize]` (CSI batches signed by
/// their locator, matcher results relayed by off-chain workers: neither carries a funded
/// account) are validated by their pallet in the transaction pool.
pub type TxExtension = (
	frame_system::AuthorizeCall<Runtime>,
	frame_system::CheckNonZeroSender<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
	pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
	frame_metadata_hash_extension::CheckMetadataHash<Runtime>,
	frame_system::WeightReclaim<Runtime>,
);

/// The extensions a client attaches to a transaction with account nonce `nonce`: immortal, no
/// tip, no metadata-hash check. For an authorized (general) transaction such as a CSI batch the
/// nonce is ignored; pass 0.
pub fn tx_extension(nonce: Nonce) -> TxExtension {
	(
		frame_system::AuthorizeCall::new(),
		frame_system::CheckNonZeroSender::new(),
		frame_system::CheckSpecVersion::new(),
		frame_system::CheckTxVersion::new(),
		frame_system::CheckGenesis::new(),
		frame_system::CheckEra::from(generic::Era::Immortal),
		frame_system::CheckNonce::from(nonce),
		frame_system::CheckWeight::new(),
		pallet_transaction_payment::ChargeTransactionPayment::from(0),
		frame_metadata_hash_extension::CheckMetadataHash::new(false),
		frame_system::WeightReclaim::new(),
	)
}

/// A signed (v4) transaction of `call` from `signer` with account nonce `nonce`, immortal and
/// without tip, for the chain with genesis hash `genesis` at `spec_version` /
/// `tx_version`: what a wallet builds. Used by the node's tests and by the matcher's dev
/// self-registration.
#[cfg(feature = "std")]
pub fn signed_transaction(
	call: RuntimeCall,
	signer: &sp_core::sr25519::Pair,
	nonce: Nonce,
	genesis: Hash,
	spec_version: u32,
	tx_version: u32,
) -> UncheckedExtrinsic {
	use codec::Encode;
	use sp_core::Pair;
	use sp_runtime::traits::IdentifyAccount;
	let implicit = ((), (), spec_version, tx_version, genesis, genesis, (), (), (), None, ());
	let payload = SignedPayload::from_raw(call.clone(), tx_extension(nonce), implicit);
	let signature = payload.using_encoded(|p| signer.sign(p));
	let account = sp_runtime::MultiSigner::from(signer.public()).into_account();
	UncheckedExtrinsic::new_signed(
		call,
		MultiAddress::Id(account),
		signature.into(),
		tx_extension(nonce),
	)
}

/// Unchecked extrinsic type as expected by this runtime.
pub type UncheckedExtrinsic =
	generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;

/// The payload being signed in transactions.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// Storage migrations applied on a runtime upgrade: those from the release live regions may
/// still run (`runtime/releases`, spec_version 101). Each runs once, guarded by its pallet's
/// storage version; drop it once no region runs a release older than it.
pub type Migrations = (pallet_locations::migrations::v1::MigrateV0ToV1<Runtime>,);

/// Executive: dispatches incoming extrinsics to the pallets.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	Migrations,
>;

/// epichain's contact-tracing pallets, in the order data flows through them (the matcher
/// registry, sealed writes, places, cases, results): the one list the runtime's tests, the fuzz
/// harness and tooling iterate. Their names and indices come from
/// [`frame_support::traits::PalletsInfoAccess`], their storage bounds from
/// [`frame_support::traits::StorageInfoTrait`], their invariants from [`tracing_try_state`].
pub type TracingPallets = (Matchers, Csi, Locations, Diagnosis, Notifications);

/// Every [`TracingPallets`] pallet's `try_state` invariants, in that order, callable without the
/// `try-runtime` feature (the fuzz harness checks them after every block): the first that fails,
/// by pallet name.
pub fn tracing_try_state() -> Result<(), (&'static str, sp_runtime::TryRuntimeError)> {
	Matchers::do_try_state().map_err(|e| ("Matchers", e))?;
	Csi::do_try_state().map_err(|e| ("Csi", e))?;
	Locations::do_try_state().map_err(|e| ("Locations", e))?;
	Diagnosis::do_try_state().map_err(|e| ("Diagnosis", e))?;
	Notifications::do_try_state().map_err(|e| ("Notifications", e))
}

// The pallet indices are part of the transaction format: never reorder them.
#[frame_support::runtime]
mod runtime {
	/// The epichain runtime.
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	/// Accounts, blocks, events.
	#[runtime::pallet_index(0)]
	pub type System = frame_system;

	/// Block timestamps (the clock of the 14-day retention and decay windows).
	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;

	/// Who validates: the set the health authority keeps. Declared before Session, whose
	/// rotations ask it.
	#[runtime::pallet_index(15)]
	pub type Validators = pallet_validators;

	/// Sessions: each rotation hands the validator set and its keys to Aura and GRANDPA.
	/// Declared before them, so their authorities are set from the session's genesis keys and
	/// updated before they run in a rotation's block.
	#[runtime::pallet_index(14)]
	pub type Session = pallet_session;

	/// Aura block authoring.
	#[runtime::pallet_index(2)]
	pub type Aura = pallet_aura;

	/// GRANDPA finality.
	#[runtime::pallet_index(3)]
	pub type Grandpa = pallet_grandpa;

	/// Balances of the chain's token.
	#[runtime::pallet_index(4)]
	pub type Balances = pallet_balances;

	/// Transaction fees.
	#[runtime::pallet_index(5)]
	pub type TransactionPayment = pallet_transaction_payment;

	/// Root for the dev and local chains' authority key; regional chains set no key.
	#[runtime::pallet_index(6)]
	pub type Sudo = pallet_sudo;

	/// Registry of TEE matcher enclaves and their sealing keys.
	#[runtime::pallet_index(7)]
	pub type Matchers = pallet_matchers;

	/// Whitelisted locators and their sealed CSI batches.
	#[runtime::pallet_index(8)]
	pub type Csi = pallet_csi;

	/// Location cells: Song et al.'s Empty / Infected / Clean states and region counts.
	#[runtime::pallet_index(9)]
	pub type Locations = pallet_locations;

	/// Diagnosticians and consent-verified case endorsements (with TCN proximity reports).
	#[runtime::pallet_index(10)]
	pub type Diagnosis = pallet_diagnosis;

	/// Matching jobs, matcher-signed results and exposure notifications.
	#[runtime::pallet_index(11)]
	pub type Notifications = pallet_notifications;

	/// The health-authority council: motions, votes, and the calls two thirds of it approve.
	#[runtime::pallet_index(12)]
	pub type Council = pallet_collective<Instance1>;

	/// Who sits on the council; changed by the council's own vote.
	#[runtime::pallet_index(13)]
	pub type CouncilMembership = pallet_membership<Instance1>;

	/// Calls stored by hash, for the council's whitelist.
	#[runtime::pallet_index(16)]
	pub type Preimage = pallet_preimage;

	/// The council's path to Root: a call whose hash two thirds whitelisted, dispatched by a
	/// second two-thirds motion (runtime upgrades go this way on regional chains).
	#[runtime::pallet_index(17)]
	pub type Whitelist = pallet_whitelist;
}

#[cfg(test)]
mod tests;

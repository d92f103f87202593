//! frame-system: accounts, block limits and the database weights.

use frame_support::{
	derive_impl, parameter_types,
	traits::ConstU32,
	weights::{
		constants::{ParityDbWeight, WEIGHT_REF_TIME_PER_SECOND},
		Weight,
	},
};
use frame_system::limits::{BlockLength, BlockWeights};
use sp_runtime::Perbill;
use sp_version::RuntimeVersion;

use crate::{
	AccountId, Balance, Block, BlockNumber, Hash, Nonce, PalletInfo, Runtime, RuntimeCall,
	RuntimeEvent, RuntimeOrigin, RuntimeTask, VERSION,
};

/// Share of a block's weight and length that ordinary transactions may fill; the rest is
/// kept for operational calls (authority actions) and mandatory inherents.
pub const NORMAL_DISPATCH_RATIO: Perbill = Perbill::from_percent(75);

/// Largest block, in bytes. CSI batches travel in block bodies, so length, not weight, is
/// what a burst of ingest fills first.
pub const MAX_BLOCK_LENGTH: u32 = 5 * 1024 * 1024;

/// Seconds of reference compute per block (of the 6 s slot).
pub const BLOCK_COMPUTE_SECONDS: u64 = 2;

parameter_types! {
	/// Block hashes kept for mortal-transaction checks: 4 hours at 6 s blocks.
	pub const BlockHashCount: BlockNumber = 2400;
	/// The runtime version, as frame-system sees it.
	pub const Version: RuntimeVersion = VERSION;

	/// Two seconds of compute per six-second block, 75% of it for normal transactions.
	pub RuntimeBlockWeights: BlockWeights = BlockWeights::with_sensible_defaults(
		Weight::from_parts(BLOCK_COMPUTE_SECONDS * WEIGHT_REF_TIME_PER_SECOND, u64::MAX),
		NORMAL_DISPATCH_RATIO,
	);
	/// 5 MiB blocks, 75% of it for normal transactions.
	pub RuntimeBlockLength: BlockLength = BlockLength::builder()
		.max_length(MAX_BLOCK_LENGTH)
		.modify_max_length_for_class(frame_support::dispatch::DispatchClass::Normal, |m| {
			*m = NORMAL_DISPATCH_RATIO * *m
		})
		.build();
	/// The generic Substrate SS58 prefix. Regional chain specs set their own in properties.
	pub const SS58Prefix: u16 = 42;
}

/// Defaults from [`frame_system::config_preludes::SolochainDefaultConfig`], overridden where
/// epichain differs.
#[derive_impl(frame_system::config_preludes::SolochainDefaultConfig)]
impl frame_system::Config for Runtime {
	type Block = Block;
	type BlockWeights = RuntimeBlockWeights;
	type BlockLength = RuntimeBlockLength;
	type AccountId = AccountId;
	type Nonce = Nonce;
	type Hash = Hash;
	type BlockHashCount = BlockHashCount;
	/// The node runs ParityDb only; its weights are the ones to charge.
	type DbWeight = ParityDbWeight;
	type Version = Version;
	type AccountData = pallet_balances::AccountData<Balance>;
	type SS58Prefix = SS58Prefix;
	type MaxConsumers = ConstU32<16>;
}

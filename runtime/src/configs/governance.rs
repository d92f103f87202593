//! Who governs a region: the health-authority council, and sudo on dev and local chains only.
//!
//! Every epichain pallet takes its authority origin as a `Config` type, and every one of them
//! is given [`AuthorityOrigin`], defined once here:
//!
//! - **Two thirds of the council** (`pallet-collective`, instance [`CouncilCollective`]). A
//!   region's council is its health authorities: the prefectural health department, the city's
//!   public-health office, the main hospitals' infection-control units. Each member holds one
//!   account and one vote. A member proposes a call (`Council::propose`), the others vote
//!   (`Council::vote`), and once two thirds have voted aye anyone closes the motion
//!   (`Council::close`), which dispatches the call with the council's origin. A motion that
//!   does not reach two thirds within [`MotionDuration`] fails; absent members count as nays.
//! - **Root**: on dev and local chains the sudo key (Alice) reaches it. Regional genesis sets
//!   no sudo key; there the council reaches Root in two motions through `pallet-whitelist`:
//!   1. `Whitelist::whitelist_call(hash)` approves one exact call, by its hash. Members check
//!      the hash against the call they expect (for an upgrade: the code hash of the release
//!      they built themselves) before voting.
//!   2. `Whitelist::dispatch_whitelisted_call_with_preimage(call)` dispatches that call as Root;
//!      any other call's hash does not match and is not dispatched.
//!
//!   Each step is its own two-thirds vote, so a Root call (a runtime upgrade, a change of the
//!   chain's own parameters) is approved twice in public: once as a hash, once as the call.
//!   A runtime upgrade dispatches `System::authorize_upgrade(code_hash)` this way; then anyone
//!   may submit the code itself (`System::apply_authorized_upgrade`, checked against the hash),
//!   so no motion ever carries the runtime's megabyte. See docs/DESIGN.md, "Runtime upgrades".
//!
//! Why a collective rather than a multisig: a motion is proposed, voted and closed in public on
//! chain, with the proposer, every vote and the outcome in events, so the region's public can
//! audit who decided what. A multisig shows only the final signed call. Membership changes go
//! through the same vote (`CouncilMembership::add_member`, `remove_member`, `swap_member`),
//! so no single authority can add itself friends.

use frame_support::{
	parameter_types,
	traits::{fungible::HoldConsideration, ConstU32, EitherOfDiverse, LinearStoragePrice},
	weights::Weight,
};
use frame_system::EnsureRoot;
use sp_runtime::Perbill;

use super::RuntimeBlockWeights;
use crate::{
	AccountId, Balance, Balances, BlockNumber, Council, Preimage, Runtime, RuntimeCall,
	RuntimeEvent, RuntimeHoldReason, RuntimeOrigin, System, DAYS, MILLI_UNIT, UNIT,
};

/// The council's collective instance.
pub type CouncilCollective = pallet_collective::Instance1;

/// The council's membership instance.
pub type CouncilMembershipInstance = pallet_membership::Instance1;

/// At least two thirds of the council's members voted aye.
pub type CouncilTwoThirds =
	pallet_collective::EnsureProportionAtLeast<AccountId, CouncilCollective, 2, 3>;

/// The health authority, as every epichain pallet's `AuthorityOrigin`: two thirds of the council,
/// or Root (sudo on dev and local chains).
pub type AuthorityOrigin = EitherOfDiverse<EnsureRoot<AccountId>, CouncilTwoThirds>;

/// Most members a council may have (collective and membership share the bound).
pub type CouncilMaxMembers = ConstU32<32>;

parameter_types! {
	/// A motion stays open for three days: long enough for every member to vote across a
	/// weekend, short enough that a stale motion does not linger.
	pub const MotionDuration: BlockNumber = 3 * DAYS;
	/// A motion's call may use at most half a block.
	pub MaxProposalWeight: Weight = Perbill::from_percent(50) * RuntimeBlockWeights::get().max_block;
}

impl pallet_collective::Config<CouncilCollective> for Runtime {
	type RuntimeOrigin = RuntimeOrigin;
	type Proposal = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type MotionDuration = MotionDuration;
	/// Open motions at once: a busy week's registrations.
	type MaxProposals = ConstU32<64>;
	type MaxMembers = CouncilMaxMembers;
	/// With no prime member, an absent member counts as a nay.
	type DefaultVote = pallet_collective::PrimeDefaultVote;
	type WeightInfo = crate::weights::pallet_collective::WeightInfo<Runtime>;
	/// Members change through `CouncilMembership`, by vote; `set_members` is Root's only.
	type SetMembersOrigin = EnsureRoot<AccountId>;
	type MaxProposalWeight = MaxProposalWeight;
	type DisapproveOrigin = EnsureRoot<AccountId>;
	type KillOrigin = EnsureRoot<AccountId>;
	/// Members are known public bodies: proposing takes no deposit.
	type Consideration = ();
}

impl pallet_membership::Config<CouncilMembershipInstance> for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type AddOrigin = AuthorityOrigin;
	type RemoveOrigin = AuthorityOrigin;
	type SwapOrigin = AuthorityOrigin;
	type ResetOrigin = AuthorityOrigin;
	type PrimeOrigin = AuthorityOrigin;
	type MembershipInitialized = Council;
	type MembershipChanged = Council;
	type MaxMembers = CouncilMaxMembers;
	type WeightInfo = crate::weights::pallet_membership::WeightInfo<Runtime>;
}

impl pallet_sudo::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WeightInfo = pallet_sudo::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	/// What noting a preimage holds from its author: a unit, plus a milli-unit per byte.
	pub const PreimageBaseDeposit: Balance = UNIT;
	/// Per byte of a noted preimage.
	pub const PreimageByteDeposit: Balance = MILLI_UNIT;
	/// The hold reason of preimage deposits.
	pub const PreimageHoldReason: RuntimeHoldReason =
		RuntimeHoldReason::Preimage(pallet_preimage::HoldReason::Preimage);
	/// A dispatch the council voted before it whitelisted the call waits this long.
	pub const DeferredDispatchExpiration: BlockNumber = MotionDuration::get();
}

/// Preimages: calls stored by hash. The council's whitelist requests the preimage of each
/// call it approves; anyone may note one against a deposit.
impl pallet_preimage::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = crate::weights::pallet_preimage::WeightInfo<Runtime>;
	type Currency = Balances;
	type ManagerOrigin = AuthorityOrigin;
	type Consideration = HoldConsideration<
		AccountId,
		Balances,
		PreimageHoldReason,
		LinearStoragePrice<PreimageBaseDeposit, PreimageByteDeposit, Balance>,
	>;
}

/// The council's path to Root: two thirds whitelist a call's hash, two thirds dispatch it.
impl pallet_whitelist::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WhitelistOrigin = AuthorityOrigin;
	type DispatchWhitelistedOrigin = AuthorityOrigin;
	type Preimages = Preimage;
	type DeferredDispatchExpiration = DeferredDispatchExpiration;
	type BlockNumberProvider = System;
	type WeightInfo = crate::weights::pallet_whitelist::WeightInfo<Runtime>;
}

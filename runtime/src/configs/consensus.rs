//! Block production and finality: timestamp, Aura, GRANDPA, and the validator set that sessions
//! hand to both.
//!
//! The set changes only through the health authority (`pallet-validators` under
//! `AuthorityOrigin`): a change is handed to `pallet-session` at the next rotation and reaches
//! Aura and GRANDPA at the one after, so within two sessions (two hours on a region and on dev,
//! two minutes on the local chain).

use frame_support::{
	parameter_types,
	traits::{ConstBool, ConstU128, ConstU32, ConstU64},
};
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_runtime::traits::ConvertInto;

use super::governance::AuthorityOrigin;
use crate::{
	AccountId, Aura, Balances, BlockNumber, Runtime, RuntimeEvent, SessionKeys, Validators, HOURS,
	SLOT_DURATION,
};

/// Most validators a region may run. Aura and GRANDPA share the bound.
pub type MaxAuthorities = ConstU32<32>;

impl pallet_timestamp::Config for Runtime {
	/// Milliseconds since the unix epoch.
	type Moment = u64;
	type OnTimestampSet = Aura;
	type MinimumPeriod = ConstU64<{ SLOT_DURATION / 2 }>;
	type WeightInfo = ();
}

impl pallet_aura::Config for Runtime {
	type AuthorityId = AuraId;
	type MaxAuthorities = MaxAuthorities;
	type DisabledValidators = ();
	type AllowMultipleBlocksPerSlot = ConstBool<false>;
	type SlotDuration = pallet_aura::MinimumPeriodTimesTwo<Runtime>;
}

parameter_types! {
	/// Sessions start at block 0.
	pub const SessionOffset: BlockNumber = 0;
}

impl pallet_session::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	/// A validator is its account (the owner of its session keys).
	type ValidatorId = AccountId;
	type ValidatorIdOf = ConvertInto;
	/// Sessions last `Validators::SessionLength` blocks (genesis state: an hour on a region and on
	/// dev, a minute on the local chain).
	type ShouldEndSession = pallet_session::PeriodicSessions<
		pallet_validators::SessionLengthOf<Runtime>,
		SessionOffset,
	>;
	type NextSessionRotation = pallet_session::PeriodicSessions<
		pallet_validators::SessionLengthOf<Runtime>,
		SessionOffset,
	>;
	type SessionManager = Validators;
	type SessionHandler = <SessionKeys as sp_runtime::traits::OpaqueKeys>::KeyTypeIdProviders;
	type Keys = SessionKeys;
	/// No staking and no offences pallet: nobody is disabled automatically; the authority
	/// removes a misbehaving validator.
	type DisablingStrategy = ();
	type WeightInfo = pallet_session::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	/// Registering keys takes no deposit: only the authority's validators are ever used, and a
	/// key registration is a fee-paying transaction.
	type KeyDeposit = ConstU128<0>;
}

impl pallet_validators::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type AuthorityOrigin = AuthorityOrigin;
	type Sessions = crate::Session;
	/// Four GRANDPA voters: finality survives one failure.
	type MinValidators = ConstU32<4>;
	type MaxValidators = MaxAuthorities;
	/// An hour: a rotation block carries no transactions (pallet-session claims its whole
	/// weight), so a region loses one block in 600; a validator change takes up to two hours.
	type DefaultSessionLength = ConstU32<{ HOURS }>;
	type WeightInfo = pallet_validators::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = benchmark::Helper;
}

#[cfg(feature = "runtime-benchmarks")]
mod benchmark {
	use super::*;
	use sp_core::{crypto::UncheckedFrom, ed25519, sr25519};

	/// Writes session keys for benchmark accounts straight into `pallet-session`.
	pub struct Helper;

	impl pallet_validators::BenchmarkHelper<AccountId> for Helper {
		fn register_keys(who: &AccountId) {
			let raw: &[u8; 32] = who.as_ref();
			let keys = SessionKeys {
				aura: AuraId::from(sr25519::Public::unchecked_from(*raw)),
				grandpa: sp_consensus_grandpa::AuthorityId::from(ed25519::Public::unchecked_from(
					*raw,
				)),
			};
			pallet_session::NextKeys::<Runtime>::insert(who, keys);
		}
	}
}

impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type MaxAuthorities = MaxAuthorities;
	type MaxNominators = ConstU32<0>;
	type MaxSetIdSessionEntries = ConstU64<0>;
	/// No staking or sessions: equivocation reports are not accepted, so the key owner proof
	/// is the empty type.
	type KeyOwnerProof = sp_core::Void;
	type EquivocationReportSystem = ();
}

//! The runtime APIs: what the node, off-chain workers and clients may ask the runtime.

use alloc::vec::Vec;
use frame_support::{
	genesis_builder_helper::{build_state, get_preset},
	weights::Weight,
};
use pallet_grandpa::AuthorityId as GrandpaId;
use sp_api::impl_runtime_apis;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_core::{crypto::KeyTypeId, OpaqueMetadata};
use sp_runtime::{
	traits::{Block as BlockT, NumberFor},
	transaction_validity::{TransactionSource, TransactionValidity},
	ApplyExtrinsicResult,
};
use sp_version::RuntimeVersion;

use epichain_primitives::geohash::Geohash;
use epichain_primitives::DayIndex;
use epichain_primitives::{
	diagnosis::{CaseId, CaseNullifier},
	matching::RiskParams,
	pseudonym::Fingerprint,
	tcn::SignedReport,
};
use pallet_csi::{BatchRef, DayStats, LocatorInfo};
use pallet_diagnosis::{CaseView, DiagnosticianInfo, JurisdictionCount};
use pallet_locations::{HistoryEntry, LocationView};
use pallet_matchers::{CurrentSealingKey, MatcherId, MatcherInfo};
use pallet_notifications::{DayCount, DayCursor, JobView, NotificationView};

use super::{
	genesis_config_presets, AccountId, Aura, Balance, Block, BlockNumber, Csi, Diagnosis,
	Executive, Grandpa, InherentDataExt, Locations, Matchers, Nonce, Notifications, Runtime,
	RuntimeCall, RuntimeGenesisConfig, SessionKeys, System, TransactionPayment, VERSION,
};

impl_runtime_apis! {
	impl pallet_locations::runtime_api::LocationsApi<Block, AccountId> for Runtime {
		fn materials(after: Option<Geohash>, limit: u32) -> Vec<(Geohash, pallet_locations::SurfaceMaterial)> {
			Locations::materials(after, limit)
		}

		fn location(cell: Geohash) -> Option<LocationView<AccountId>> {
			Locations::view(&cell, Locations::now())
		}

		fn locations(cells: Vec<Geohash>) -> Vec<Option<LocationView<AccountId>>> {
			let now = Locations::now();
			cells.iter().take(1_000).map(|c| Locations::view(c, now)).collect()
		}

		fn infected_count(prefix: Vec<u8>) -> u32 {
			Locations::infected_count(&prefix, Locations::now())
		}

		fn infected_cells(prefix: Vec<u8>, limit: u32) -> Vec<Geohash> {
			Locations::infected_cells(&prefix, Locations::now(), limit.min(1_000))
		}

		fn history(cell: Geohash) -> Vec<HistoryEntry> {
			pallet_locations::History::<Runtime>::get(cell).into_inner()
		}
	}

	#[api_version(2)]
	impl pallet_notifications::runtime_api::NotificationsApi<Block> for Runtime {
		fn notifications_of_day(day: DayIndex, skip: u32, limit: u32) -> Vec<NotificationView> {
			Notifications::notifications_of_day(day, skip, limit)
		}

		fn notifications_of_day_after(
			day: DayIndex,
			after: Option<DayCursor>,
			limit: u32,
		) -> Vec<NotificationView> {
			Notifications::notifications_of_day_after(day, after, limit)
		}

		fn lookup(fingerprints: Vec<Fingerprint>) -> Vec<NotificationView> {
			Notifications::lookup(&fingerprints)
		}

		fn day_counts(day: DayIndex) -> DayCount {
			pallet_notifications::DayCounts::<Runtime>::get(day)
		}

		fn job(case: CaseId) -> Option<JobView> {
			Notifications::job_view(case)
		}

		fn open_jobs(from: CaseId, limit: u32) -> Vec<CaseId> {
			Notifications::open_jobs(from, limit)
		}

		fn risk_params() -> RiskParams {
			pallet_notifications::Params::<Runtime>::get()
		}
	}

	impl pallet_diagnosis::runtime_api::DiagnosisApi<Block, AccountId> for Runtime {
		fn diagnostician(who: AccountId) -> Option<DiagnosticianInfo> {
			pallet_diagnosis::Diagnosticians::<Runtime>::get(who)
		}

		fn case(case: CaseId) -> Option<CaseView<AccountId>> {
			Diagnosis::case_view(case)
		}

		fn case_of_nullifier(nullifier: CaseNullifier) -> Option<CaseId> {
			pallet_diagnosis::Nullifiers::<Runtime>::get(nullifier)
		}

		fn endorsed_fingerprints(day: DayIndex) -> Vec<Fingerprint> {
			Diagnosis::endorsed_fingerprints(day)
		}

		fn proximity_reports(day: DayIndex) -> Vec<SignedReport> {
			Diagnosis::proximity_reports(day)
		}

		fn jurisdiction_counts(day: DayIndex) -> Vec<JurisdictionCount> {
			Diagnosis::jurisdiction_counts(day)
		}
	}

	impl pallet_matchers::runtime_api::MatchersApi<Block> for Runtime {
		fn current_sealing_key() -> Option<CurrentSealingKey> {
			Matchers::current_sealing_key_at(Matchers::now())
		}

		fn matcher(id: MatcherId) -> Option<MatcherInfo> {
			pallet_matchers::Matchers::<Runtime>::get(id)
		}

		fn matcher_of(signing_key: epichain_primitives::traits::MatcherSigningKey) -> Option<MatcherId> {
			pallet_matchers::MatcherBySigner::<Runtime>::get(signing_key)
		}
	}

	impl pallet_csi::runtime_api::CsiApi<Block, AccountId, BlockNumber> for Runtime {
		fn batches_of_day(day: DayIndex, from: u32, limit: u32) -> Vec<BatchRef<AccountId, BlockNumber>> {
			Csi::batches_of_day(day, from, limit)
		}

		fn day_stats(day: DayIndex) -> Option<DayStats> {
			pallet_csi::Days::<Runtime>::get(day)
		}

		fn locator(who: AccountId) -> Option<LocatorInfo> {
			pallet_csi::Locators::<Runtime>::get(who)
		}
	}

	impl sp_api::Core<Block> for Runtime {
		fn version() -> RuntimeVersion {
			VERSION
		}

		fn execute_block(block: <Block as BlockT>::LazyBlock) {
			Executive::execute_block(block);
		}

		fn initialize_block(header: &<Block as BlockT>::Header) -> sp_runtime::ExtrinsicInclusionMode {
			Executive::initialize_block(header)
		}
	}

	impl sp_api::Metadata<Block> for Runtime {
		fn metadata() -> OpaqueMetadata {
			OpaqueMetadata::new(Runtime::metadata().into())
		}

		fn metadata_at_version(version: u32) -> Option<OpaqueMetadata> {
			Runtime::metadata_at_version(version)
		}

		fn metadata_versions() -> Vec<u32> {
			Runtime::metadata_versions()
		}
	}

	impl sp_block_builder::BlockBuilder<Block> for Runtime {
		fn apply_extrinsic(extrinsic: <Block as BlockT>::Extrinsic) -> ApplyExtrinsicResult {
			Executive::apply_extrinsic(extrinsic)
		}

		fn finalize_block() -> <Block as BlockT>::Header {
			Executive::finalize_block()
		}

		fn inherent_extrinsics(data: sp_inherents::InherentData) -> Vec<<Block as BlockT>::Extrinsic> {
			data.create_extrinsics()
		}

		fn check_inherents(
			block: <Block as BlockT>::LazyBlock,
			data: sp_inherents::InherentData,
		) -> sp_inherents::CheckInherentsResult {
			data.check_extrinsics(&block)
		}
	}

	impl sp_transaction_pool::runtime_api::TaggedTransactionQueue<Block> for Runtime {
		fn validate_transaction(
			source: TransactionSource,
			tx: <Block as BlockT>::Extrinsic,
			block_hash: <Block as BlockT>::Hash,
		) -> TransactionValidity {
			Executive::validate_transaction(source, tx, block_hash)
		}
	}

	impl sp_offchain::OffchainWorkerApi<Block> for Runtime {
		fn offchain_worker(header: &<Block as BlockT>::Header) {
			Executive::offchain_worker(header)
		}
	}

	impl sp_consensus_aura::AuraApi<Block, AuraId> for Runtime {
		fn slot_duration() -> sp_consensus_aura::SlotDuration {
			sp_consensus_aura::SlotDuration::from_millis(Aura::slot_duration())
		}

		fn authorities() -> Vec<AuraId> {
			pallet_aura::Authorities::<Runtime>::get().into_inner()
		}
	}

	impl sp_session::SessionKeys<Block> for Runtime {
		fn generate_session_keys(
			owner: Vec<u8>,
			seed: Option<Vec<u8>>,
		) -> sp_session::OpaqueGeneratedSessionKeys {
			SessionKeys::generate(&owner, seed).into()
		}

		fn decode_session_keys(encoded: Vec<u8>) -> Option<Vec<(Vec<u8>, KeyTypeId)>> {
			SessionKeys::decode_into_raw_public_keys(&encoded)
		}
	}

	impl sp_consensus_grandpa::GrandpaApi<Block> for Runtime {
		fn grandpa_authorities() -> sp_consensus_grandpa::AuthorityList {
			Grandpa::grandpa_authorities()
		}

		fn current_set_id() -> sp_consensus_grandpa::SetId {
			Grandpa::current_set_id()
		}

		fn submit_report_equivocation_unsigned_extrinsic(
			_equivocation_proof: sp_consensus_grandpa::EquivocationProof<
				<Block as BlockT>::Hash,
				NumberFor<Block>,
			>,
			_key_owner_proof: sp_consensus_grandpa::OpaqueKeyOwnershipProof,
		) -> Option<()> {
			// Equivocation reports need a key-owner proof, which needs sessions; the runtime
			// has none (`KeyOwnerProof = Void`), so reports are not accepted.
			None
		}

		fn generate_key_ownership_proof(
			_set_id: sp_consensus_grandpa::SetId,
			_authority_id: GrandpaId,
		) -> Option<sp_consensus_grandpa::OpaqueKeyOwnershipProof> {
			None
		}
	}

	impl frame_system_rpc_runtime_api::AccountNonceApi<Block, AccountId, Nonce> for Runtime {
		fn account_nonce(account: AccountId) -> Nonce {
			System::account_nonce(account)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentApi<Block, Balance> for Runtime {
		fn query_info(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment_rpc_runtime_api::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_info(uxt, len)
		}

		fn query_fee_details(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_fee_details(uxt, len)
		}

		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}

		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentCallApi<Block, Balance, RuntimeCall>
		for Runtime
	{
		fn query_call_info(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_call_info(call, len)
		}

		fn query_call_fee_details(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_call_fee_details(call, len)
		}

		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}

		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	impl frame_benchmarking::Benchmark<Block> for Runtime {
		fn benchmark_metadata(extra: bool) -> (
			Vec<frame_benchmarking::BenchmarkList>,
			Vec<frame_support::traits::StorageInfo>,
		) {
			use frame_benchmarking::{baseline, BenchmarkList};
			use frame_support::traits::StorageInfoTrait;
			use frame_system_benchmarking::Pallet as SystemBench;
			use baseline::Pallet as BaselineBench;
			use super::*;

			let mut list = Vec::<BenchmarkList>::new();
			list_benchmarks!(list, extra);
			let storage_info = AllPalletsWithSystem::storage_info();
			(list, storage_info)
		}

		fn dispatch_benchmark(
			config: frame_benchmarking::BenchmarkConfig
		) -> Result<Vec<frame_benchmarking::BenchmarkBatch>, alloc::string::String> {
			use frame_benchmarking::{baseline, BenchmarkBatch};
			use sp_storage::TrackedStorageKey;
			use frame_system_benchmarking::Pallet as SystemBench;
			use baseline::Pallet as BaselineBench;
			use frame_support::traits::WhitelistedStorageKeys;
			use super::*;

			let whitelist: Vec<TrackedStorageKey> = AllPalletsWithSystem::whitelisted_storage_keys();
			let mut batches = Vec::<BenchmarkBatch>::new();
			let params = (&config, &whitelist);
			add_benchmarks!(params, batches);
			Ok(batches)
		}
	}

	#[cfg(feature = "try-runtime")]
	impl frame_try_runtime::TryRuntime<Block> for Runtime {
		fn on_runtime_upgrade(checks: frame_try_runtime::UpgradeCheckSelect) -> (Weight, Weight) {
			// try-runtime is an off-chain tool: a failed check must stop it with a backtrace.
			let weight = Executive::try_runtime_upgrade(checks).unwrap();
			(weight, super::configs::RuntimeBlockWeights::get().max_block)
		}

		fn execute_block(
			block: <Block as BlockT>::LazyBlock,
			state_root_check: bool,
			signature_check: bool,
			select: frame_try_runtime::TryStateSelect,
		) -> Weight {
			Executive::try_execute_block(block, state_root_check, signature_check, select)
				.expect("execute-block failed")
		}
	}

	impl sp_genesis_builder::GenesisBuilder<Block> for Runtime {
		fn build_state(config: Vec<u8>) -> sp_genesis_builder::Result {
			build_state::<RuntimeGenesisConfig>(config)
		}

		fn get_preset(id: &Option<sp_genesis_builder::PresetId>) -> Option<Vec<u8>> {
			get_preset::<RuntimeGenesisConfig>(id, genesis_config_presets::get_preset)
		}

		fn preset_names() -> Vec<sp_genesis_builder::PresetId> {
			genesis_config_presets::preset_names()
		}
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl frame_system_benchmarking::Config for Runtime {}
#[cfg(feature = "runtime-benchmarks")]
impl frame_benchmarking::baseline::Config for Runtime {}

/// The benchmarks the `benchmark pallet` command can run.
#[cfg(feature = "runtime-benchmarks")]
mod benches {
	frame_benchmarking::define_benchmarks!(
		[frame_benchmarking, BaselineBench::<Runtime>]
		[frame_system, SystemBench::<Runtime>]
		[pallet_balances, Balances]
		[pallet_timestamp, Timestamp]
		[pallet_sudo, Sudo]
		[pallet_collective, Council]
		[pallet_membership, CouncilMembership]
		[pallet_preimage, Preimage]
		[pallet_whitelist, Whitelist]
		[pallet_validators, Validators]
		[pallet_matchers, Matchers]
		[pallet_csi, Csi]
		[pallet_locations, Locations]
		[pallet_diagnosis, Diagnosis]
		[pallet_notifications, Notifications]
	);
}

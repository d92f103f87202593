//! JSON-RPC: the node's standard methods plus epichain's own.
//!
//! `sc-service` already serves `system_*`, `chain_*`, `state_*`, `author_*` and the new
//! `chainHead`/`transaction` methods. This module adds the account nonce (`system_accountNextIndex`)
//! and fee queries (`payment_*`) that wallets and the epichain client use, and epichain's own:
//!
//! - [`csi`]: `csi_batchesOfDay`, `csi_dayStats` (where a day's sealed batches are);
//! - [`locations`]: `locations_cell`, `locations_infectedCount`, `locations_infectedCells`;
//! - [`diagnosis`]: `diagnosis_case`, `diagnosis_caseOfNullifier`,
//!   `diagnosis_endorsedFingerprints`, `diagnosis_proximityReports`,
//!   `diagnosis_jurisdictionCounts`;
//! - [`notifications`]: `notifications_ofDay`, `notifications_lookup`,
//!   `notifications_dayCounts`, `notifications_job`, `notifications_openJobs`,
//!   `notifications_riskParams`.

pub mod csi;
pub mod diagnosis;
pub mod locations;
pub mod notifications;

use std::sync::Arc;

use epichain_runtime::{opaque::Block, AccountId, Balance, BlockNumber, Nonce};
use jsonrpsee::RpcModule;
use sc_transaction_pool_api::TransactionPool;
use sp_api::ProvideRuntimeApi;
use sp_block_builder::BlockBuilder;
use sp_blockchain::{Error as BlockChainError, HeaderBackend, HeaderMetadata};

/// What the RPC extensions need from the node.
pub struct FullDeps<C, P> {
	/// The client, to call runtime APIs and read headers.
	pub client: Arc<C>,
	/// The transaction pool, for nonces that count pending transactions.
	pub pool: Arc<P>,
}

/// Builds the node's RPC extensions.
pub fn create_full<C, P>(
	deps: FullDeps<C, P>,
) -> Result<RpcModule<()>, Box<dyn std::error::Error + Send + Sync>>
where
	C: ProvideRuntimeApi<Block>
		+ HeaderBackend<Block>
		+ HeaderMetadata<Block, Error = BlockChainError>
		+ Send
		+ Sync
		+ 'static,
	C::Api: substrate_frame_rpc_system::AccountNonceApi<Block, AccountId, Nonce>
		+ pallet_transaction_payment_rpc::TransactionPaymentRuntimeApi<Block, Balance>
		+ pallet_csi::runtime_api::CsiApi<Block, AccountId, BlockNumber>
		+ pallet_locations::runtime_api::LocationsApi<Block, AccountId>
		+ pallet_diagnosis::runtime_api::DiagnosisApi<Block, AccountId>
		+ pallet_notifications::runtime_api::NotificationsApi<Block>
		+ BlockBuilder<Block>,
	P: TransactionPool + 'static,
{
	use pallet_transaction_payment_rpc::{TransactionPayment, TransactionPaymentApiServer};
	use substrate_frame_rpc_system::{System, SystemApiServer};

	let FullDeps { client, pool } = deps;
	let mut module = RpcModule::new(());
	module.merge(System::new(client.clone(), pool).into_rpc())?;
	module.merge(TransactionPayment::new(client.clone()).into_rpc())?;
	module.merge(csi::CsiRpcServer::into_rpc(csi::Csi::new(client.clone())))?;
	module.merge(locations::LocationsRpcServer::into_rpc(locations::Locations::new(
		client.clone(),
	)))?;
	module.merge(diagnosis::DiagnosisRpcServer::into_rpc(diagnosis::Diagnosis::new(
		client.clone(),
	)))?;
	module.merge(notifications::NotificationsRpcServer::into_rpc(
		notifications::Notifications::new(client),
	))?;
	Ok(module)
}

//! A connection to one epichain region: subxt client, raw RPC, and transactions that report
//! the runtime's own error names.
//!
//! Three kinds of transaction reach an epichain runtime:
//! - **signed** (v4): fee-paying calls of an account, for example the authority's `sudo`;
//! - **authorized** (v5 general): the call carries its author's signature inside (CSI batches,
//!   endorsements, revocations), so it has no signer, fee or nonce and the pallet's `authorize`
//!   check runs in the transaction pool;
//! - **sudo**: a signed `Sudo::sudo` whose inner result is read from the `Sudid` event (sudo
//!   itself succeeds even when the inner call fails).

use std::time::Duration;

use anyhow::{anyhow, bail, Context, Result};
use epichain_primitives::{DayIndex, SECONDS_PER_DAY};
use subxt::{
	config::DefaultExtrinsicParamsBuilder as Params,
	rpcs::{rpc_params, RpcClient},
	transactions::{Payload, TransactionProgress, TransactionStatus},
	OnlineClient, PolkadotConfig,
};
use subxt_signer::sr25519::Keypair;

use crate::runtime;

/// The subxt configuration of an epichain runtime: 32-byte accounts, `MultiAddress<_, ()>`,
/// `MultiSignature`, blake2 hashing, u32 block numbers.
pub type Config = PolkadotConfig;

/// A transaction built for the connected chain, ready to submit ([`Connection::submit`]).
pub type Transaction = subxt::transactions::SubmittableTransaction<
	Config,
	subxt::client::OnlineClientAtBlockImpl<Config>,
>;

/// How many blocks below the finalized head [`Connection::submit`] starts looking for a
/// transaction the pool said it already holds.
pub const ALREADY_IMPORTED_LOOKBACK: u64 = 32;

/// How long [`Connection::submit`] looks for the block of a transaction the pool said it
/// already holds before giving up (a transient error, worth retrying).
pub const ALREADY_IMPORTED_PATIENCE: Duration = Duration::from_secs(300);

/// How often it looks again while no new block has come.
const ALREADY_IMPORTED_POLL: Duration = Duration::from_millis(250);

/// The default node: the dev region's RPC endpoint.
pub const DEFAULT_URL: &str = "ws://127.0.0.1:9944";

/// A connection to one node of a region (named `Connection`, not `Region`: in this crate a
/// region is a geohash prefix a locator or population covers).
#[derive(Clone)]
pub struct Connection {
	/// subxt's client (metadata, transactions, storage, events).
	pub api: OnlineClient<Config>,
	/// The same connection's raw JSON-RPC (epichain's own RPC methods).
	pub rpc: RpcClient,
	/// Where it is connected.
	pub url: String,
	/// The runtime's metadata (error names, constants).
	pub metadata: subxt::ArcMetadata,
}

/// Where a transaction landed, and what it emitted.
pub struct Included {
	/// Hash of the block holding it.
	pub block_hash: subxt::utils::H256,
	/// That block's number.
	pub block_number: u64,
	/// The transaction's own events.
	pub events: subxt::extrinsics::ExtrinsicEvents<Config>,
}

/// The chain refused a transaction or its dispatch failed, with the runtime's reason (not worth
/// retrying unchanged). Other errors (connection, timeouts) are transient.
#[derive(Debug)]
pub struct Refused {
	/// `Pallet::call`.
	pub call: String,
	/// `Pallet::Error` when the runtime named it, else the node's message.
	pub reason: String,
}

impl std::fmt::Display for Refused {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		write!(f, "{} refused: {}", self.call, self.reason)
	}
}

impl std::error::Error for Refused {}

/// How long to wait for a transaction: inclusion in a best block, or finality.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Wait {
	/// Return once the transaction is in a best block (its events are final unless the block is
	/// reorganised away).
	InBlock,
	/// Return once the block holding it is finalized.
	Finalized,
}

impl Connection {
	/// Connects to `url` (ws:// or wss://), noting on stderr when the node runs another runtime
	/// than the one this client's types were generated for.
	pub async fn connect(url: &str) -> Result<Self> {
		let rpc = RpcClient::from_insecure_url(url)
			.await
			.map_err(|e| anyhow!("node unreachable at {url}: {e}"))?;
		let api = OnlineClient::<Config>::from_rpc_client(rpc.clone())
			.await
			.map_err(|e| anyhow!("node at {url} did not answer as a Substrate node: {e}"))?;
		let at = api.at_current_block().await.context("reading the finalized block")?;
		// A client of one release talks to a chain of another (an upgrade is proposed from the
		// new release's CLI to a chain on the old): subxt checks every call, storage entry and
		// runtime API against the node's metadata before use and refuses, by name, one whose
		// types differ. Everything else works.
		if !runtime::is_codegen_valid_for(at.metadata_ref()) {
			eprintln!(
				"note: the node runs spec version {}, not the runtime this client was generated \
				 for; a call or query whose types differ between the two is refused",
				at.spec_version()
			);
		}
		let metadata = at.metadata();
		Ok(Self { api, rpc, url: url.to_string(), metadata })
	}

	/// The chain's genesis hash (what signatures bind to).
	pub fn genesis(&self) -> [u8; 32] {
		self.api.genesis_hash().0
	}

	/// Calls one of the node's JSON-RPC methods.
	pub async fn call<T: serde::de::DeserializeOwned>(
		&self,
		method: &str,
		params: subxt::rpcs::client::RpcParams,
	) -> Result<T> {
		self.rpc.request(method, params).await.map_err(|e| anyhow!("{method}: {e}"))
	}

	/// The chain's clock (`Timestamp::Now`, Unix seconds) at the finalized head.
	pub async fn now_secs(&self) -> Result<u64> {
		now_secs(&self.api.at_current_block().await?).await
	}

	/// The chain's day (by its clock at the finalized head): what consent windows, endorsements
	/// and notification checks count from.
	pub async fn today(&self) -> Result<DayIndex> {
		Ok((self.now_secs().await? / SECONDS_PER_DAY) as DayIndex)
	}

	/// The constant `pallet::name` from the chain's metadata, decoded by its metadata type.
	pub fn constant<T: subxt::ext::scale_decode::DecodeAsType>(
		&self,
		pallet: &str,
		name: &str,
	) -> Result<T> {
		let c = self
			.metadata
			.pallet_by_name(pallet)
			.and_then(|p| p.constant_by_name(name))
			.ok_or_else(|| anyhow!("the runtime has no {pallet}::{name}"))?;
		T::decode_as_type(&mut c.value(), c.ty(), self.metadata.types())
			.map_err(|e| anyhow!("{pallet}::{name}: {e}"))
	}

	/// The `u32` constant `pallet::name` from the chain's metadata.
	pub fn constant_u32(&self, pallet: &str, name: &str) -> Result<u32> {
		self.constant(pallet, name)
	}

	/// The node's best block: what a transaction just included (`Wait::InBlock`) changed is
	/// visible here before finality.
	pub async fn at_best_block(&self) -> Result<subxt::OnlineClientAtBlock<Config>> {
		let best: subxt::utils::H256 = self
			.call("chain_getBlockHash", rpc_params![])
			.await
			.context("reading the best block")?;
		Ok(self.api.at_block(best).await?)
	}

	/// The latest finalized block number.
	pub async fn finalized_number(&self) -> Result<u64> {
		Ok(self.api.at_current_block().await?.block_number())
	}

	/// Submits `payload` signed by `signer` (next nonce counted with the pool) and waits.
	pub async fn signed<P: Payload>(
		&self,
		payload: &P,
		signer: &Keypair,
		wait: Wait,
	) -> Result<Included> {
		let tx = self.signed_tx(payload, signer).await?;
		self.submit(payload, tx, wait).await
	}

	/// Builds `payload` signed by `signer` (next nonce counted with the pool, immortal) without
	/// submitting it.
	pub async fn signed_tx<P: Payload>(
		&self,
		payload: &P,
		signer: &Keypair,
	) -> Result<Transaction> {
		let account = signer.public_key().to_account_id();
		let nonce: u64 = self
			.call("system_accountNextIndex", rpc_params![account.to_string()])
			.await
			.context("reading the account's next nonce")?;
		let at = self.api.at_current_block().await?;
		let params = Params::<Config>::new().immortal().nonce(nonce).build();
		at.tx()
			.create_signable_offline(payload, params)
			.and_then(|mut s| s.sign(signer))
			.map_err(|e| anyhow!("building {}: {e}", call_name(payload)))
	}

	/// Submits `payload` as an authorized (v5 general) transaction and waits. The call must
	/// carry its own author's signature.
	pub async fn authorized<P: Payload>(&self, payload: &P, wait: Wait) -> Result<Included> {
		let tx = self.authorized_tx(payload).await?;
		self.submit(payload, tx, wait).await
	}

	/// Submits `payload` as a bare (unsigned) transaction and waits: for a call the runtime
	/// validates by its content alone (`System::apply_authorized_upgrade`).
	pub async fn unsigned<P: Payload>(&self, payload: &P, wait: Wait) -> Result<Included> {
		let at = self.api.at_current_block().await?;
		let tx = at
			.tx()
			.create_v4_unsigned(payload)
			.map_err(|e| anyhow!("building {}: {e}", call_name(payload)))?;
		self.submit(payload, tx, wait).await
	}

	/// Submits `tx` (built from `payload`) and follows it to `wait`, naming the runtime's error
	/// when the pool refuses it or its dispatch fails.
	pub async fn submit<P: Payload>(
		&self,
		payload: &P,
		tx: Transaction,
		wait: Wait,
	) -> Result<Included> {
		let hash = tx.hash();
		let progress = tx.submit_and_watch().await.map_err(|e| anyhow!("{e:?}"));
		self.follow(payload, hash, progress, wait).await
	}

	/// Builds `payload` as an authorized (v5 general) transaction without submitting it.
	pub async fn authorized_tx<P: Payload>(&self, payload: &P) -> Result<Transaction> {
		let at = self.api.at_current_block().await?;
		let mut signable = at
			.tx()
			.create_v5_signable_offline(payload, Params::<Config>::new().immortal().build())
			.map_err(|e| anyhow!("building {}: {e}", call_name(payload)))?;
		// A v5 "general" transaction. subxt encodes one through `sign_with_account_and_signature`,
		// which hands the account and signature to a `VerifySignature` extension; the epichain
		// runtime has none (the call is authorized by its pallet), so they are not encoded.
		let placeholder = subxt::utils::MultiSignature::Sr25519([0; 64]);
		signable
			.sign_with_account_and_signature(&subxt::utils::AccountId32([0; 32]), &placeholder)
			.map_err(|e| anyhow!("encoding {}: {e}", call_name(payload)))
	}

	/// `payload`, carrying a `RuntimeCall` (sudo, a council motion), for the live runtime: its
	/// generated check hashes the whole `RuntimeCall` type, so any change to any pallet's calls
	/// between this client's runtime and the live one (a region not yet upgraded) would refuse
	/// it. The inner call is encoded by type against the live metadata, variant and field
	/// names included: a call whose own shape is the same encodes exactly as the live runtime
	/// takes it, and one whose shape changed fails to encode, naming the field. So the outer
	/// check is dropped only when it fails.
	pub async fn live<C>(
		&self,
		payload: subxt::transactions::StaticPayload<C>,
	) -> Result<subxt::transactions::StaticPayload<C>>
	where
		subxt::transactions::StaticPayload<C>: Payload,
	{
		let at = self.api.at_current_block().await?;
		Ok(match at.tx().validate(&payload) {
			Ok(()) => payload,
			Err(_) => payload.unvalidated(),
		})
	}

	/// `Sudo::sudo(call)` signed by `authority`; fails with the inner call's error name when
	/// the inner call failed.
	pub async fn sudo(
		&self,
		authority: &Keypair,
		call: runtime::Call,
		wait: Wait,
	) -> Result<Included> {
		let what = crate::council::call_label(&call);
		let payload = runtime::tx().sudo().sudo(call);
		let payload = self.live(payload).await?;
		let included = self.signed(&payload, authority, wait).await?;
		let sudid = included
			.events
			.find_first::<runtime::sudo::events::Sudid>()
			.ok_or_else(|| anyhow!("no Sudid event: is the signer the chain's sudo key?"))?
			.map_err(|e| anyhow!("decoding Sudid: {e}"))?;
		if let Err(error) = sudid.sudo_result {
			bail!("{what} failed: {}", self.dispatch_error_name(&error));
		}
		Ok(included)
	}

	/// The `Pallet::Error` name of a dispatch error from an event.
	pub fn dispatch_error_name(
		&self,
		error: &runtime::runtime_types::sp_runtime::DispatchError,
	) -> String {
		use runtime::runtime_types::sp_runtime::DispatchError as E;
		match error {
			E::Module(m) => self
				.error_name_at(m.index, m.error[0])
				.unwrap_or_else(|| format!("module error {}/{}", m.index, m.error[0])),
			other => format!("{other:?}"),
		}
	}

	fn error_name_at(&self, pallet: u8, error: u8) -> Option<String> {
		let metadata = &self.metadata;
		let pallet = metadata.pallet_by_error_index(pallet)?;
		let variant = pallet.error_variant_by_index(error)?;
		Some(format!("{}::{}", pallet.name(), variant.name))
	}

	fn error_name_in(&self, pallet: &str, error: u8) -> Option<String> {
		let metadata = &self.metadata;
		let pallet = metadata.pallet_by_name(pallet)?;
		let variant = pallet.error_variant_by_index(error)?;
		Some(format!("{}::{}", pallet.name(), variant.name))
	}

	/// Follows a submission to `wait`, naming the runtime error on refusal or failure.
	///
	/// The pool's "already imported" is not a refusal: the pool holds the transaction, so it is
	/// followed to its block through the chain itself ([`Self::await_inclusion`]). Both pools
	/// answer it for the same bytes submitted twice, and the fork-aware pool (the node's
	/// default) also for a single submission that a new view imported from its mempool before
	/// the submission's own watch connected (polkadot-sdk #11419): that transaction lands, but
	/// its status stream never reports it.
	async fn follow<P: Payload>(
		&self,
		payload: &P,
		tx_hash: subxt::utils::H256,
		progress: Result<
			TransactionProgress<Config, subxt::client::OnlineClientAtBlockImpl<Config>>,
		>,
		wait: Wait,
	) -> Result<Included> {
		let what = call_name(payload);
		let landed = match progress {
			Err(e) => {
				let text = e.to_string();
				if already_in_pool(&text) {
					self.await_inclusion(&what, tx_hash, wait).await?
				} else if text.contains("1010") || text.to_lowercase().contains("invalid") {
					// The legacy RPC refuses with error 1010 and the reason in its data.
					return Err(self.refusal(payload, &text));
				} else {
					bail!("{what}: submitting: {text}")
				}
			},
			Ok(mut progress) => loop {
				let status = tokio::time::timeout(Duration::from_secs(120), progress.next())
					.await
					.map_err(|_| anyhow!("{what}: no progress for 120 s"))?;
				let in_block = match status {
					None => bail!("{what}: the node closed the transaction's status stream"),
					Some(Err(e)) => bail!("{what}: following the transaction: {e}"),
					Some(Ok(status)) => match status {
						TransactionStatus::InBestBlock(b) if wait == Wait::InBlock => b,
						TransactionStatus::InFinalizedBlock(b) => b,
						TransactionStatus::Invalid { message }
						| TransactionStatus::Dropped { message }
						| TransactionStatus::Error { message } => {
							if already_in_pool(&message) {
								break self.await_inclusion(&what, tx_hash, wait).await?;
							}
							return Err(self.refusal(payload, &message));
						},
						_ => continue,
					},
				};
				let events =
					in_block.fetch_events().await.map_err(|e| anyhow!("{what}: events: {e}"))?;
				let block_number = in_block.at().await?.block_number();
				break Included { block_hash: in_block.block_hash(), block_number, events };
			},
		};
		for event in landed.events.iter() {
			let event = event?;
			if let Some(Ok(failed)) =
				event.decode_fields_as::<runtime::system::events::ExtrinsicFailed>()
			{
				let reason = format!(
					"{} (dispatch failed in block #{})",
					self.dispatch_error_name(&failed.dispatch_error),
					landed.block_number
				);
				return Err(Refused { call: what, reason }.into());
			}
		}
		Ok(landed)
	}

	/// Finds the block that includes `tx_hash`, a transaction the pool says it already holds,
	/// by reading the chain's blocks in order: best blocks for [`Wait::InBlock`], finalized
	/// ones for [`Wait::Finalized`]. The pool keeps a transaction until a finalized block
	/// includes it and may answer just before it prunes it, so the search starts
	/// [`ALREADY_IMPORTED_LOOKBACK`] blocks below the finalized head. A transaction no block
	/// includes within [`ALREADY_IMPORTED_PATIENCE`] is a transient error, not a refusal.
	/// For `InBlock`, a block reorganised away after it was read is not read again.
	async fn await_inclusion(
		&self,
		what: &str,
		tx_hash: subxt::utils::H256,
		wait: Wait,
	) -> Result<Included> {
		let deadline = tokio::time::Instant::now() + ALREADY_IMPORTED_PATIENCE;
		let mut finalized = self.finalized_number().await?;
		let mut next = finalized.saturating_sub(ALREADY_IMPORTED_LOOKBACK);
		loop {
			// Checked before every block, so a chain whose blocks come faster than they are
			// read still ends the search on time.
			if tokio::time::Instant::now() >= deadline {
				bail!(
					"{what}: the pool holds it (already imported), but no {} block included it \
					 within {} s",
					if wait == Wait::Finalized { "finalized" } else { "best" },
					ALREADY_IMPORTED_PATIENCE.as_secs()
				);
			}
			if wait == Wait::Finalized && next > finalized {
				finalized = self.finalized_number().await?;
				if next > finalized {
					tokio::time::sleep(ALREADY_IMPORTED_POLL).await;
					continue;
				}
			}
			let hash: Option<subxt::utils::H256> = self
				.call("chain_getBlockHash", rpc_params![next])
				.await
				.with_context(|| format!("{what}: reading block #{next}'s hash"))?;
			let Some(block_hash) = hash else {
				tokio::time::sleep(ALREADY_IMPORTED_POLL).await;
				continue;
			};
			let at = self.api.at_block(block_hash).await?;
			let extrinsics = at
				.extrinsics()
				.fetch()
				.await
				.map_err(|e| anyhow!("{what}: reading block #{next}: {e}"))?;
			for extrinsic in extrinsics.iter() {
				let extrinsic =
					extrinsic.map_err(|e| anyhow!("{what}: decoding block #{next}: {e}"))?;
				if extrinsic.hash() == tx_hash {
					let events = extrinsic
						.events()
						.await
						.map_err(|e| anyhow!("{what}: events in block #{next}: {e}"))?;
					return Ok(Included { block_hash, block_number: next, events });
				}
			}
			next += 1;
		}
	}

	/// A refusal by the pool, with `Custom(n)` translated to the pallet's error name.
	fn refusal<P: Payload>(&self, payload: &P, message: &str) -> anyhow::Error {
		let what = call_name(payload);
		let lower = message.to_lowercase();
		if let Some(code) = lower
			.split("custom error: ")
			.nth(1)
			.and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
			.and_then(|digits| digits.parse::<u8>().ok())
		{
			if let Some(name) = self.error_name_in(payload.pallet_name(), code) {
				return Refused { call: what, reason: name }.into();
			}
		}
		Refused { call: what, reason: message.to_string() }.into()
	}
}

/// The chain's clock (`Timestamp::Now`, in Unix seconds) at block `at`.
pub async fn now_secs(at: &subxt::OnlineClientAtBlock<Config>) -> Result<u64> {
	let now_ms: u64 =
		at.storage().fetch(runtime::storage().timestamp().now(), ()).await?.decode()?;
	Ok(now_ms / 1000)
}

/// Whether the pool's answer says it already holds the transaction: "Transaction is already
/// imported" (the `transactionWatch_v1` event) or error 1013 "Transaction Already Imported"
/// (`author_submitAndWatchExtrinsic`).
pub fn already_in_pool(message: &str) -> bool {
	message.to_lowercase().contains("already imported")
}

/// `Pallet::call` of a payload.
pub fn call_name<P: Payload>(payload: &P) -> String {
	format!("{}::{}", payload.pallet_name(), payload.call_name())
}

/// Reads an sr25519 key from a secret URI (`//Alice`, a mnemonic with derivations, or a
/// 0x-hex seed).
pub fn keypair(suri: &str) -> Result<Keypair> {
	let uri: subxt_signer::SecretUri =
		suri.parse().map_err(|e| anyhow!("not a secret URI: {e}"))?;
	Keypair::from_uri(&uri).map_err(|e| anyhow!("cannot derive a key from the secret URI: {e}"))
}

/// Parses an SS58 address or a 0x-hex account id.
pub fn account(text: &str) -> Result<subxt::utils::AccountId32> {
	if let Some(hex) = text.strip_prefix("0x") {
		let bytes = crate::keys::parse_hex32(hex)?;
		return Ok(subxt::utils::AccountId32(bytes));
	}
	if text.starts_with("//") {
		return Ok(keypair(text)?.public_key().to_account_id());
	}
	text.parse().map_err(|e| anyhow!("{text:?} is not an SS58 address: {e}"))
}

#[cfg(test)]
mod tests {
	use super::already_in_pool;

	/// The node's two wordings: sc-rpc-spec-v2's `transactionWatch_v1` event and sc-rpc-api's
	/// error 1013 of `author_submitAndWatchExtrinsic`; a refusal is neither.
	#[test]
	fn the_pools_already_imported_is_recognised_in_both_rpcs() {
		assert!(already_in_pool("Transaction is already imported"));
		assert!(already_in_pool("RPC error 1013: Transaction Already Imported"));
		assert!(!already_in_pool("Invalid transaction with custom error: 3"));
		assert!(!already_in_pool("Transaction is temporarily banned"));
	}
}

//! The matcher's view of the chain: JSON-RPC over HTTP to one node, answers decoded with the
//! runtime's own types (runtime API calls and storage reads in SCALE, never JSON guesses).

use codec::{Decode, DecodeLimit, Encode};
use epichain_runtime::{Runtime, RuntimeCall, UncheckedExtrinsic};
use jsonrpsee::{
	core::client::ClientT,
	http_client::{HttpClient, HttpClientBuilder},
	rpc_params,
};
use serde_json::Value;
use sp_core::H256;

/// Why a chain read failed.
#[derive(Debug)]
pub enum ChainError {
	/// The node did not answer, or answered with a JSON-RPC error.
	Rpc(String),
	/// The answer did not decode as the runtime's type.
	Decode(&'static str),
}

impl std::fmt::Display for ChainError {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		match self {
			ChainError::Rpc(e) => write!(f, "node RPC: {e}"),
			ChainError::Decode(what) => write!(f, "could not decode {what} from the node"),
		}
	}
}

impl std::error::Error for ChainError {}

impl From<jsonrpsee::core::ClientError> for ChainError {
	fn from(e: jsonrpsee::core::ClientError) -> Self {
		ChainError::Rpc(e.to_string())
	}
}

/// A result of a chain read.
pub type ChainResult<T> = Result<T, ChainError>;

/// A connection to one node's RPC.
#[derive(Clone)]
pub struct Chain {
	client: HttpClient,
	/// The chain's genesis hash.
	pub genesis: H256,
}

fn unhex(s: &str, what: &'static str) -> ChainResult<Vec<u8>> {
	epichain_primitives::hex0x::decode(s).map_err(|_| ChainError::Decode(what))
}

/// Decodes all of `bytes` as a `T`, nested no deeper than the runtime's own limit: a node
/// serving deeply nested calls gets a decode error, not the matcher's stack.
fn decode<T: Decode>(bytes: &[u8], what: &'static str) -> ChainResult<T> {
	T::decode_all_with_depth_limit(frame_support::MAX_EXTRINSIC_DEPTH, &mut &bytes[..])
		.map_err(|_| ChainError::Decode(what))
}

impl Chain {
	/// Connects to the node at `url` (http:// or https://) and reads the genesis hash.
	pub async fn connect(url: &str) -> ChainResult<Self> {
		let chain = Self::with_genesis(url, H256::zero())?;
		let genesis: H256 = chain.client.request("chain_getBlockHash", rpc_params![0]).await?;
		Ok(Self { genesis, ..chain })
	}

	/// A client for the node at `url` on the chain with genesis `genesis`, without asking the
	/// node anything yet.
	pub fn with_genesis(url: &str, genesis: H256) -> ChainResult<Self> {
		let client = HttpClientBuilder::default()
			.request_timeout(std::time::Duration::from_secs(30))
			.max_response_size(64 * 1024 * 1024)
			.build(url)
			.map_err(|e| ChainError::Rpc(e.to_string()))?;
		Ok(Self { client, genesis })
	}

	/// The chain type the node reports (`Development`, `Local`, `Live`).
	pub async fn chain_type(&self) -> ChainResult<String> {
		let v: Value = self.client.request("system_chainType", rpc_params![]).await?;
		Ok(v.as_str().map(String::from).unwrap_or_else(|| v.to_string()))
	}

	/// The finalized head: number and hash.
	pub async fn finalized(&self) -> ChainResult<(u32, H256)> {
		let hash: H256 = self.client.request("chain_getFinalizedHead", rpc_params![]).await?;
		let header: Value = self.client.request("chain_getHeader", rpc_params![hash]).await?;
		let number = header["number"].as_str().ok_or(ChainError::Decode("header number"))?;
		let number = u32::from_str_radix(number.trim_start_matches("0x"), 16)
			.map_err(|_| ChainError::Decode("header number"))?;
		Ok((number, hash))
	}

	/// Calls runtime API `method` (e.g. `NotificationsApi_job`) with SCALE `args` at `at`.
	pub async fn state_call<R: Decode>(
		&self,
		method: &str,
		args: impl Encode,
		at: H256,
	) -> ChainResult<R> {
		let data = format!("0x{}", hex::encode(args.encode()));
		let out: String = self.client.request("state_call", rpc_params![method, data, at]).await?;
		decode(&unhex(&out, "runtime API answer")?, "runtime API answer")
	}

	/// Every storage key under `prefix` at `at`, read a page of 1,000 at a time.
	pub async fn storage_keys(&self, prefix: &[u8], at: H256) -> ChainResult<Vec<Vec<u8>>> {
		let prefix_hex = format!("0x{}", hex::encode(prefix));
		let mut keys = Vec::new();
		let mut start: Option<String> = None;
		loop {
			let page: Vec<String> = self
				.client
				.request("state_getKeysPaged", rpc_params![&prefix_hex, 1_000u32, &start, at])
				.await?;
			let full = page.len() == 1_000;
			start = page.last().cloned();
			for key in page {
				keys.push(unhex(&key, "storage key")?);
			}
			if !full {
				return Ok(keys);
			}
		}
	}

	/// Reads and decodes the storage value at `key` at `at`.
	pub async fn storage<R: Decode>(&self, key: Vec<u8>, at: H256) -> ChainResult<Option<R>> {
		let key = format!("0x{}", hex::encode(key));
		let out: Option<String> =
			self.client.request("state_getStorage", rpc_params![key, at]).await?;
		out.map(|v| decode(&unhex(&v, "storage value")?, "storage value")).transpose()
	}

	/// The chain's time at `at`, in unix seconds.
	pub async fn now_secs(&self, at: H256) -> ChainResult<u64> {
		let millis: Option<u64> =
			self.storage(pallet_timestamp::Now::<Runtime>::hashed_key().to_vec(), at).await?;
		Ok(millis.unwrap_or(0) / 1_000)
	}

	/// The hash of block `number` of the best chain.
	pub async fn block_hash(&self, number: u32) -> ChainResult<H256> {
		let hash: Option<H256> =
			self.client.request("chain_getBlockHash", rpc_params![number]).await?;
		hash.ok_or(ChainError::Rpc(format!("no block {number}")))
	}

	/// The extrinsics of block `number` of the best chain, decoded.
	pub async fn block_extrinsics(&self, number: u32) -> ChainResult<Vec<UncheckedExtrinsic>> {
		let hash = self.block_hash(number).await?;
		let block: Value = self.client.request("chain_getBlock", rpc_params![hash]).await?;
		let list = block["block"]["extrinsics"].as_array().ok_or(ChainError::Decode("block"))?;
		list.iter()
			.map(|x| {
				let bytes = unhex(x.as_str().unwrap_or(""), "extrinsic")?;
				decode_extrinsic(&bytes)
			})
			.collect()
	}

	/// `(spec_version, transaction_version)` of the node's runtime.
	pub async fn runtime_version(&self) -> ChainResult<(u32, u32)> {
		let v: Value = self.client.request("state_getRuntimeVersion", rpc_params![]).await?;
		let get = |k: &str| v[k].as_u64().map(|n| n as u32).ok_or(ChainError::Decode("version"));
		Ok((get("specVersion")?, get("transactionVersion")?))
	}

	/// The next nonce of account `ss58`, pool included.
	pub async fn next_nonce(&self, ss58: &str) -> ChainResult<u32> {
		Ok(self.client.request("system_accountNextIndex", rpc_params![ss58]).await?)
	}

	/// Submits an encoded extrinsic; its hash.
	pub async fn submit(&self, xt: &[u8]) -> ChainResult<H256> {
		let hex = format!("0x{}", hex::encode(xt));
		Ok(self.client.request("author_submitExtrinsic", rpc_params![hex]).await?)
	}
}

/// Decodes an extrinsic as `chain_getBlock` serves it (with or without its length prefix).
pub fn decode_extrinsic(bytes: &[u8]) -> ChainResult<UncheckedExtrinsic> {
	decode(bytes, "extrinsic").or_else(|_| {
		let mut framed = codec::Compact(bytes.len() as u32).encode();
		framed.extend_from_slice(bytes);
		decode(&framed, "extrinsic")
	})
}

/// The CSI batch an extrinsic carries, if it is a `Csi::submit_batch`.
pub fn csi_batch(xt: &UncheckedExtrinsic) -> Option<&pallet_csi::CsiBatch> {
	match &xt.function {
		RuntimeCall::Csi(pallet_csi::Call::submit_batch { batch, .. }) => Some(batch),
		_ => None,
	}
}

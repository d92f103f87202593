//! The matcher's view of the chain: subxt, with the interface `epichain-api` generated from the
//! runtime's metadata, over JSON-RPC to one node (HTTP or WebSocket).
//!
//! The host links no runtime and no pallet. Every runtime API call, storage read and constant is
//! a typed item of the generated interface, checked against the node's own metadata before use:
//! a node running another runtime whose types differ is refused by name, not misread.
//!
//! What the node serves is not taken on its word where the block commits to it: a block body
//! must be the one its header's extrinsics root commits to ([`verify_body`]), and a storage
//! value must come with a read proof that leads to its header's state root ([`verify_read`]);
//! otherwise it is refused ([`ChainError::Unproven`]). Which blocks are final is checked too:
//! GRANDPA justifications from the chain spec's genesis on ([`crate::finality`]); every block
//! read is one of them. Runtime API answers are not proven.

use crate::finality::{Checkpoint, Finality, FinalityError, Genesis, Source};
use codec::{Decode, DecodeAll, Encode};
use epichain_api::runtime::{self, csi::calls::SubmitBatch};
use jsonrpsee::{
	core::{client::ClientT, traits::ToRpcParams},
	http_client::{HttpClient, HttpClientBuilder},
};
use subxt::{
	backend::LegacyBackend,
	ext::scale_decode::{
		visitor::{decode_with_visitor, IgnoreVisitor},
		DecodeAsFields, Field,
	},
	rpcs::{
		client::{RawRpcFuture, RawRpcSubscription, RawValue, RpcClientT},
		rpc_params, RpcClient,
	},
	Metadata, OnlineClient, OnlineClientAtBlock, PolkadotConfig,
};

pub use subxt::utils::H256;

/// The subxt configuration of an epichain runtime (32-byte accounts, `MultiSignature`,
/// blake2 hashing).
pub type Config = PolkadotConfig;

/// The chain at one block: runtime APIs, storage and constants as of that block, decoded with
/// the metadata of the runtime that block ran.
pub type At = OnlineClientAtBlock<Config>;

/// Why a chain read failed.
#[derive(Debug)]
pub enum ChainError {
	/// The node did not answer, answered with a JSON-RPC error, or runs a runtime whose
	/// interface differs from the one this matcher was generated for.
	Rpc(String),
	/// The answer did not decode as the runtime's type.
	Decode(&'static str),
	/// The answer is not what the block it claims to be from commits to: a lying node, or
	/// someone on the link to it. Nothing of it is used.
	Unproven(String),
	/// The node's claim of finality was refused (or it has none to make yet): nothing after the
	/// last block GRANDPA is known to have finalized is read.
	Finality(FinalityError),
	/// A replica met a batch sealed to its matcher's sealing key `key_id`, which its enclave
	/// does not hold yet: the follower stops before the batch until the keys are provisioned
	/// from a running replica, so nothing is left unopened.
	KeyNotHeld(u32),
}

impl std::fmt::Display for ChainError {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		match self {
			ChainError::Rpc(e) => write!(f, "node RPC: {e}"),
			ChainError::Decode(what) => write!(f, "could not decode {what} from the node"),
			ChainError::Unproven(what) => write!(f, "refused what the node served: {what}"),
			ChainError::Finality(e) => write!(f, "finality: {e}"),
			ChainError::KeyNotHeld(k) => {
				write!(f, "a batch is sealed to this matcher's key {k}, which this replica does not hold yet")
			},
		}
	}
}

impl std::error::Error for ChainError {}

/// A subxt or RPC error, with its own words.
pub fn node_error(e: impl std::fmt::Display) -> ChainError {
	ChainError::Rpc(e.to_string())
}

/// A result of a chain read.
pub type ChainResult<T> = Result<T, ChainError>;

/// JSON-RPC over HTTP for subxt: requests only (the matcher polls the finalized head; it
/// subscribes to nothing).
struct HttpRpc(HttpClient);

struct Params(Option<Box<RawValue>>);

impl ToRpcParams for Params {
	fn to_rpc_params(self) -> Result<Option<Box<RawValue>>, serde_json::Error> {
		Ok(self.0)
	}
}

impl RpcClientT for HttpRpc {
	fn request_raw<'a>(
		&'a self,
		method: &'a str,
		params: Option<Box<RawValue>>,
	) -> RawRpcFuture<'a, Box<RawValue>> {
		Box::pin(async move {
			self.0.request(method, Params(params)).await.map_err(|e| match e {
				jsonrpsee::core::ClientError::Call(e) => {
					subxt::rpcs::Error::User(subxt::rpcs::UserError {
						code: e.code(),
						message: e.message().to_owned(),
						data: None,
					})
				},
				e => subxt::rpcs::Error::Client(Box::new(e)),
			})
		})
	}

	fn subscribe_raw<'a>(
		&'a self,
		sub: &'a str,
		_params: Option<Box<RawValue>>,
		_unsub: &'a str,
	) -> RawRpcFuture<'a, RawRpcSubscription> {
		Box::pin(async move {
			Err(subxt::rpcs::Error::Client(
				format!("{sub}: the matcher's HTTP connection does not subscribe").into(),
			))
		})
	}
}

/// A connection to one node's RPC.
#[derive(Clone)]
pub struct Chain {
	/// subxt's client, made at the first read (making it asks the node for its genesis).
	api: std::sync::Arc<tokio::sync::OnceCell<OnlineClient<Config>>>,
	rpc: RpcClient,
	/// The chain's genesis hash.
	pub genesis: H256,
	/// The last block whose state was read, and its state root from its proven header.
	state_root: std::sync::Arc<std::sync::Mutex<Option<(H256, H256)>>>,
	/// Which blocks GRANDPA is proven to have finalized.
	finality: std::sync::Arc<tokio::sync::Mutex<Finality>>,
}

impl Chain {
	/// Connects to the node at `url` (http://, https://, ws:// or wss://), which must serve
	/// the chain whose genesis is `genesis` (from the operator's chain spec). Finality starts
	/// from the checkpoint kept under `chains` (in `<genesis>/finality.scale`), else from the
	/// genesis.
	pub async fn connect(
		url: &str,
		genesis: &Genesis,
		chains: Option<&std::path::Path>,
	) -> ChainResult<Self> {
		let rpc = rpc_client(url).await?;
		let served: H256 =
			rpc.request("chain_getBlockHash", rpc_params![0u32]).await.map_err(node_error)?;
		if !genesis.hashes.contains(&served) {
			return Err(FinalityError::OtherChain(format!(
				"the node serves chain {served:?}; the chain spec's genesis is {:?}",
				genesis.hashes[0]
			))
			.into());
		}
		let start = Checkpoint::genesis(served, genesis.authorities.clone());
		let finality = match chains {
			Some(chains) => {
				let dir = chains.join(epichain_primitives::hex0x::encode(&served.0));
				std::fs::create_dir_all(&dir)
					.map_err(|e| ChainError::Rpc(format!("{}: {e}", dir.display())))?;
				Finality::load(dir.join("finality.scale"), served, start)
			},
			None => Finality::new(start, None),
		};
		Ok(Self::from_parts(rpc, finality))
	}

	/// A client for the node at `url` (http:// or https://), finality starting from
	/// `checkpoint`, without asking the node anything yet.
	pub fn with_checkpoint(url: &str, checkpoint: Checkpoint) -> ChainResult<Self> {
		let rpc = RpcClient::new(HttpRpc(http_client(url)?));
		Ok(Self::from_parts(rpc, Finality::new(checkpoint, None)))
	}

	fn from_parts(rpc: RpcClient, finality: Finality) -> Self {
		Self {
			api: Default::default(),
			rpc,
			genesis: finality.checkpoint().genesis,
			state_root: Default::default(),
			finality: std::sync::Arc::new(tokio::sync::Mutex::new(finality)),
		}
	}

	/// subxt's client for this chain; a node that serves another genesis is refused.
	async fn api(&self) -> ChainResult<&OnlineClient<Config>> {
		self.api
			.get_or_try_init(|| async {
				let backend = LegacyBackend::builder().build(self.rpc.clone());
				let api = OnlineClient::<Config>::from_backend(std::sync::Arc::new(backend))
					.await
					.map_err(node_error)?;
				if api.genesis_hash() != self.genesis {
					return Err(ChainError::Rpc(format!(
						"the node serves chain {:?}, not {:?}",
						api.genesis_hash(),
						self.genesis
					)));
				}
				Ok(api)
			})
			.await
	}

	/// The chain type the node reports (`Development`, `Local`, `Live`).
	pub async fn chain_type(&self) -> ChainResult<String> {
		let v: serde_json::Value =
			self.rpc.request("system_chainType", rpc_params![]).await.map_err(node_error)?;
		Ok(v.as_str().map(String::from).unwrap_or_else(|| v.to_string()))
	}

	/// The chain at the last block GRANDPA is proven to have finalized, after following the
	/// node's finality proofs as far as they go ([`Finality::advance`]).
	pub async fn finalized(&self) -> ChainResult<At> {
		let (_, hash) = self.finality.lock().await.advance(self).await?;
		self.at(hash).await
	}

	/// The chain at block `hash`.
	pub async fn at(&self, hash: H256) -> ChainResult<At> {
		self.api().await?.at_block(hash).await.map_err(node_error)
	}

	/// The chain at the last block GRANDPA is proven to have finalized, without asking the node
	/// for more.
	pub async fn checkpointed(&self) -> ChainResult<At> {
		let hash = self.finality.lock().await.checkpoint().hash;
		self.at(hash).await
	}

	/// The chain at final block `number` (at or before the last [`Chain::finalized`]).
	pub async fn at_number(&self, number: u32) -> ChainResult<At> {
		let hash = self.finality.lock().await.hash_of(self, number).await?;
		self.at(hash).await
	}

	/// The extrinsics of block `hash` (SCALE, each whole), proven by [`verify_body`]: a body
	/// its block's header does not commit to is refused ([`ChainError::Unproven`]).
	pub async fn block_body(&self, hash: H256) -> ChainResult<Vec<Vec<u8>>> {
		let block: Option<serde_json::Value> =
			self.rpc.request("chain_getBlock", rpc_params![hash]).await.map_err(node_error)?;
		let mut block = block.ok_or(ChainError::Rpc(format!("no block {hash:?}")))?;
		let header: Header = serde_json::from_value(block["block"]["header"].take())
			.map_err(|_| ChainError::Decode("header"))?;
		let list = block["block"]["extrinsics"].as_array().ok_or(ChainError::Decode("block"))?;
		let body = list
			.iter()
			.map(|x| {
				epichain_primitives::hex0x::decode(x.as_str().unwrap_or_default())
					.map_err(|_| ChainError::Decode("extrinsic"))
			})
			.collect::<ChainResult<Vec<_>>>()?;
		verify_body(hash, &header, &body)?;
		Ok(body)
	}

	/// Block `hash`'s header, proven to be that block's: it hashes to `hash`.
	pub async fn header(&self, hash: H256) -> ChainResult<Header> {
		let header: Option<Header> =
			self.rpc.request("chain_getHeader", rpc_params![hash]).await.map_err(node_error)?;
		let header = header.ok_or(ChainError::Rpc(format!("no header {hash:?}")))?;
		verify_header(hash, &header)?;
		Ok(header)
	}

	/// Block `hash`'s state root, from its proven header.
	async fn state_root(&self, hash: H256) -> ChainResult<H256> {
		let last = *self.state_root.lock().expect("state root lock");
		if let Some((_, root)) = last.filter(|(block, _)| *block == hash) {
			return Ok(root);
		}
		let root = self.header(hash).await?.state_root;
		*self.state_root.lock().expect("state root lock") = Some((hash, root));
		Ok(root)
	}

	/// The values under `keys` in block `hash`'s state (`None` where there is none), each
	/// proven by [`verify_read`] against the block's state root.
	pub async fn proven_raw(
		&self,
		hash: H256,
		keys: &[Vec<u8>],
	) -> ChainResult<Vec<Option<Vec<u8>>>> {
		let root = self.state_root(hash).await?;
		let nodes = self.read_proof(hash, keys).await?;
		verify_read(hash, root, nodes, keys)
	}

	/// The trie nodes the node serves as a proof of `keys` in block `hash`'s state (unchecked).
	async fn read_proof(&self, hash: H256, keys: &[Vec<u8>]) -> ChainResult<Vec<Vec<u8>>> {
		let hex_keys: Vec<String> = keys.iter().map(|k| format!("0x{}", hex::encode(k))).collect();
		let answer: serde_json::Value = self
			.rpc
			.request("state_getReadProof", rpc_params![hex_keys, hash])
			.await
			.map_err(node_error)?;
		answer["proof"]
			.as_array()
			.ok_or(ChainError::Decode("read proof"))?
			.iter()
			.map(|n| {
				epichain_primitives::hex0x::decode(n.as_str().unwrap_or_default())
					.map_err(|_| ChainError::Decode("read proof node"))
			})
			.collect()
	}

	/// The storage value at `address` under `keys` at `at` (the entry's default where it has
	/// one and the state holds none), proven against the block's state root: what the node
	/// says the state holds is never taken on its word.
	pub async fn fetch<Addr: subxt::storage::Address>(
		&self,
		at: &At,
		address: Addr,
		keys: Addr::KeyParts,
	) -> ChainResult<Option<Addr::Value>> {
		Ok(self.fetch_many(at, address, [keys]).await?.pop().flatten())
	}

	/// [`Chain::fetch`] of each of `keys` under `address`, in order, [`PROOF_KEYS`] to a proof.
	pub async fn fetch_many<Addr: subxt::storage::Address>(
		&self,
		at: &At,
		address: Addr,
		keys: impl IntoIterator<Item = Addr::KeyParts>,
	) -> ChainResult<Vec<Option<Addr::Value>>> {
		let storage = at.storage();
		let entry = storage.entry(address).map_err(node_error)?;
		let keys = keys
			.into_iter()
			.map(|k| entry.fetch_key(k))
			.collect::<Result<Vec<_>, _>>()
			.map_err(node_error)?;
		let value_ty = value_type(at, entry.pallet_name(), entry.entry_name())?;
		let mut values = Vec::with_capacity(keys.len());
		for chunk in keys.chunks(PROOF_KEYS) {
			for proven in self.proven_raw(at.block_hash(), chunk).await? {
				let Some(bytes) = proven else {
					let default = entry.default_value().map(|v| v.decode());
					values.push(default.transpose().map_err(node_error)?);
					continue;
				};
				values.push(Some(decode_value(at, value_ty, &bytes)?));
			}
		}
		Ok(values)
	}

	/// Every value of `address` under the key parts `prefix` at `at` (all of a map with `()`),
	/// with its whole storage key, in the state's order: proven complete by [`verify_walk`].
	/// The node names the keys; a read proof of them (and of the prefix itself) must hold every
	/// node under the prefix, so a key left out, or one added, is refused.
	pub async fn walk<Addr, Prefix>(
		&self,
		at: &At,
		address: Addr,
		prefix: Prefix,
	) -> ChainResult<Vec<(Vec<u8>, Addr::Value)>>
	where
		Addr: subxt::storage::Address,
		Prefix: subxt::storage::PrefixOf<Addr::KeyParts>,
	{
		let hash = at.block_hash();
		let storage = at.storage();
		let entry = storage.entry(address).map_err(node_error)?;
		let prefix = entry.iter_key(prefix).map_err(node_error)?;
		let value_ty = value_type(at, entry.pallet_name(), entry.entry_name())?;
		// The keys, as the node names them, a page at a time.
		let mut keys = vec![prefix.clone()];
		loop {
			let after =
				(keys.len() > 1).then(|| format!("0x{}", hex::encode(&keys[keys.len() - 1])));
			let page: Vec<String> = self
				.rpc
				.request(
					"state_getKeysPaged",
					rpc_params![format!("0x{}", hex::encode(&prefix)), WALK_PAGE, after, hash],
				)
				.await
				.map_err(node_error)?;
			let full = page.len() as u32 == WALK_PAGE;
			for key in page {
				let key = epichain_primitives::hex0x::decode(&key)
					.map_err(|_| ChainError::Decode("storage key"))?;
				// Each page must move on, or a node could keep the walk on one page for ever.
				if !key.starts_with(&prefix) || keys.last().is_some_and(|last| *last >= key) {
					return Err(ChainError::Decode("storage key page out of order"));
				}
				keys.push(key);
			}
			if !full {
				break;
			}
		}
		let root = self.state_root(hash).await?;
		let mut proof = Vec::new();
		for chunk in keys.chunks(PROOF_KEYS) {
			proof.extend(self.read_proof(hash, chunk).await?);
		}
		verify_walk(hash, root, proof, &prefix)?
			.into_iter()
			.map(|(key, bytes)| Ok((key, decode_value(at, value_ty, &bytes)?)))
			.collect()
	}

	/// The chain's time at `at`, in unix seconds (proven, as every [`Chain::fetch`]).
	pub async fn now_secs(&self, at: &At) -> ChainResult<u64> {
		let millis = self.fetch(at, runtime::storage().timestamp().now(), ()).await?;
		Ok(millis.unwrap_or(0) / 1_000)
	}

	/// The next nonce of account `ss58`, pool included.
	pub async fn next_nonce(&self, ss58: &str) -> ChainResult<u64> {
		self.rpc.request("system_accountNextIndex", rpc_params![ss58]).await.map_err(node_error)
	}

	/// Submits an encoded extrinsic; its hash.
	pub async fn submit(&self, xt: &[u8]) -> ChainResult<H256> {
		let hex = format!("0x{}", hex::encode(xt));
		self.rpc.request("author_submitExtrinsic", rpc_params![hex]).await.map_err(node_error)
	}
}

impl Source for Chain {
	fn header(&self, hash: H256) -> impl std::future::Future<Output = ChainResult<Header>> + Send {
		Chain::header(self, hash)
	}

	async fn finalized_head(&self) -> ChainResult<H256> {
		self.rpc.request("chain_getFinalizedHead", rpc_params![]).await.map_err(node_error)
	}

	async fn justification(&self, hash: H256) -> ChainResult<Option<Vec<u8>>> {
		let block: Option<serde_json::Value> =
			self.rpc.request("chain_getBlock", rpc_params![hash]).await.map_err(node_error)?;
		let block = block.ok_or(ChainError::Rpc(format!("no block {hash:?}")))?;
		let Some(list) = block["justifications"].as_array() else { return Ok(None) };
		for pair in list {
			let engine = serde_json::from_value::<[u8; 4]>(pair[0].clone())
				.map_err(|_| ChainError::Decode("justification's engine id"))?;
			if engine == crate::finality::GRANDPA_ENGINE_ID {
				return justification_bytes(&pair[1]).map(Some);
			}
		}
		Ok(None)
	}
}

/// A justification as JSON-RPC serves it: hex, or an array of bytes.
fn justification_bytes(value: &serde_json::Value) -> ChainResult<Vec<u8>> {
	match value {
		serde_json::Value::String(hex) => epichain_primitives::hex0x::decode(hex).ok(),
		value => serde_json::from_value(value.clone()).ok(),
	}
	.ok_or(ChainError::Decode("justification"))
}

fn http_client(url: &str) -> ChainResult<HttpClient> {
	HttpClientBuilder::default()
		.request_timeout(std::time::Duration::from_secs(30))
		.max_response_size(64 * 1024 * 1024)
		.build(url)
		.map_err(node_error)
}

async fn rpc_client(url: &str) -> ChainResult<RpcClient> {
	if url.starts_with("ws://") || url.starts_with("wss://") {
		RpcClient::from_insecure_url(url).await.map_err(node_error)
	} else {
		Ok(RpcClient::new(HttpRpc(http_client(url)?)))
	}
}

/// Keys proven by one read proof (a proof of 512 keys out of 100,000 entries is about 430 kB,
/// docs/BENCHMARKS.md).
pub const PROOF_KEYS: usize = 512;

/// Keys asked for per `state_getKeysPaged` call in a [`Chain::walk`].
const WALK_PAGE: u32 = 1_000;

/// `bytes`, a storage value of type `value_ty` in `at`'s metadata, decoded whole as `V`.
fn decode_value<V: subxt::ext::scale_decode::DecodeAsType>(
	at: &At,
	value_ty: u32,
	bytes: &[u8],
) -> ChainResult<V> {
	let cursor = &mut &bytes[..];
	let value = V::decode_as_type(cursor, value_ty, at.metadata_ref().types())
		.map_err(|_| ChainError::Decode("storage value"))?;
	if !cursor.is_empty() {
		return Err(ChainError::Decode("storage value"));
	}
	Ok(value)
}

/// The type id of storage entry `pallet::entry`'s values in `at`'s metadata.
fn value_type(at: &At, pallet: &str, entry: &str) -> ChainResult<u32> {
	at.metadata_ref()
		.pallet_by_name(pallet)
		.and_then(|p| p.storage())
		.and_then(|s| s.entry_by_name(entry))
		.map(|e| e.value_ty())
		.ok_or(ChainError::Decode("storage entry"))
}

/// The last key part of `key`, a whole storage key of map `pallet::entry`, as `K`: each
/// earlier part's hash and SCALE bytes are skipped by the hashers and types `at`'s metadata
/// gives the entry. Only parts whose hasher keeps the key (`Blake2_128Concat`, `Twox64Concat`,
/// `Identity`) can be read back.
pub fn last_key_part<K: Decode>(at: &At, pallet: &str, entry: &str, key: &[u8]) -> ChainResult<K> {
	use subxt::ext::frame_decode::storage::StorageHasher;
	let parts: Vec<_> = at
		.metadata_ref()
		.pallet_by_name(pallet)
		.and_then(|p| p.storage())
		.and_then(|s| s.entry_by_name(entry))
		.ok_or(ChainError::Decode("storage entry"))?
		.keys()
		.map(|k| (k.hasher, k.key_id))
		.collect();
	let mut rest = key.get(32..).ok_or(ChainError::Decode("storage key"))?;
	for (i, (hasher, key_id)) in parts.iter().enumerate() {
		let hashed = match hasher {
			StorageHasher::Blake2_128Concat => 16,
			StorageHasher::Twox64Concat => 8,
			StorageHasher::Identity => 0,
			_ => return Err(ChainError::Decode("storage key hashed without its part")),
		};
		rest = rest.get(hashed..).ok_or(ChainError::Decode("storage key"))?;
		if i + 1 == parts.len() {
			return K::decode_all(&mut rest).map_err(|_| ChainError::Decode("storage key"));
		}
		decode_with_visitor(&mut rest, *key_id, at.metadata_ref().types(), IgnoreVisitor::new())
			.map_err(|_| ChainError::Decode("storage key"))?;
	}
	Err(ChainError::Decode("storage key of a plain value"))
}

/// A block header of an epichain runtime.
pub type Header = subxt::config::substrate::SubstrateHeader<H256>;

/// Every key and value under `prefix` in the state whose root is `root` (block `block`'s), read
/// from `proof` (trie nodes, as `state_getReadProof` serves them, for the prefix and every key
/// under it): complete, because every branch of the state's trie names each of its children by
/// hash, so a proof that leaves a key out misses that key's node and is refused.
pub fn verify_walk(
	block: H256,
	root: H256,
	proof: Vec<Vec<u8>>,
	prefix: &[u8],
) -> ChainResult<Vec<(Vec<u8>, Vec<u8>)>> {
	type Hasher = sp_core::Blake2Hasher;
	let db = sp_trie::StorageProof::new(proof).into_memory_db::<Hasher>();
	let root = sp_core::H256(root.0);
	let trie = sp_trie::TrieDBBuilder::<sp_trie::LayoutV1<Hasher>>::new(&db, &root).build();
	let incomplete = || {
		ChainError::Unproven(format!(
			"the node's proof of the keys under 0x{} in block {block:?} leaves some out",
			hex::encode(prefix)
		))
	};
	sp_trie::TrieDBIterator::new_prefixed(&trie, prefix)
		.map_err(|_| incomplete())?
		.map(|item| item.map_err(|_| incomplete()))
		.collect()
}

/// Checks that `header` is block `hash`'s: it hashes to `hash`.
pub fn verify_header(hash: H256, header: &Header) -> ChainResult<()> {
	let served = H256(sp_crypto_hashing::blake2_256(&header.encode()));
	if served != hash {
		return Err(ChainError::Unproven(format!(
			"the header served as block {hash:?} is block {served:?}"
		)));
	}
	Ok(())
}

/// Checks that `body` is block `hash`'s: `header` hashes to `hash`, and its extrinsics root is
/// the root of the ordered trie of `body` (each extrinsic whole, as the block holds it). The
/// extrinsics root is a V0 trie whatever the runtime's state version.
pub fn verify_body(hash: H256, header: &Header, body: &[Vec<u8>]) -> ChainResult<()> {
	use sp_trie::TrieConfiguration;
	verify_header(hash, header)?;
	let root = sp_trie::LayoutV0::<sp_core::Blake2Hasher>::ordered_trie_root(body);
	if root.0 != header.extrinsics_root.0 {
		return Err(ChainError::Unproven(format!(
			"block {hash:?}'s body is not the one its extrinsics root commits to"
		)));
	}
	Ok(())
}

/// The values under `keys` in the state whose root is `root` (block `block`'s), read from
/// `proof` (trie nodes, as `state_getReadProof` serves them): `None` where the proof shows
/// there is no value. A proof that does not reach a key from `root` (a node missing, or a node
/// changed, so that its hash is not the one its parent names) is refused: the value is not
/// what block `block`'s state holds.
pub fn verify_read(
	block: H256,
	root: H256,
	proof: Vec<Vec<u8>>,
	keys: &[Vec<u8>],
) -> ChainResult<Vec<Option<Vec<u8>>>> {
	type Hasher = sp_core::Blake2Hasher;
	let db = sp_trie::StorageProof::new(proof).into_memory_db::<Hasher>();
	let root = sp_core::H256(root.0);
	keys.iter()
		.map(|key| {
			// A V1 reader reads V0 nodes too: the layout only decides how roots are made.
			sp_trie::read_trie_value::<sp_trie::LayoutV1<Hasher>, _>(&db, &root, key, None, None)
				.map_err(|_| {
					ChainError::Unproven(format!(
						"the node's proof of key 0x{} does not lead to block {block:?}'s state \
						 root",
						hex::encode(key)
					))
				})
		})
		.collect()
}

/// A value of the runtime's interface as the enclave's own type: the two are the same SCALE by
/// construction (the generated type describes the runtime's, which is the primitives').
pub fn as_primitive<T: Encode, U: Decode>(value: &T, what: &'static str) -> ChainResult<U> {
	U::decode_all(&mut &value.encode()[..]).map_err(|_| ChainError::Decode(what))
}

/// The `Csi::submit_batch` call `xt` carries (an extrinsic as `chain_getBlock` serves it, with
/// or without its length prefix), if it carries one: read by `metadata`, the runtime's at that
/// block. Only the envelope's fixed parts (transaction extensions) are walked by type, and the
/// call only once its index says it is a CSI batch, whose fields nest no call: a node serving
/// deeply nested calls gets `None`, not the matcher's stack.
pub fn csi_batch(metadata: &Metadata, xt: &[u8]) -> Option<SubmitBatch> {
	let body = match <codec::Compact<u32>>::decode(&mut &xt[..]) {
		Ok(len) if len.encoded_size() + len.0 as usize == xt.len() => &xt[len.encoded_size()..],
		_ => xt,
	};
	let (&version, mut rest) = body.split_first()?;
	match version {
		// Bare, v4 and v5.
		0x04 | 0x05 => {},
		// General (v5): the extension version, then that version's extensions. Authorized
		// transactions (CSI batches) are general.
		0x45 => {
			let (&extension_version, after) = rest.split_first()?;
			rest = after;
			let types = metadata.types();
			for extension in
				metadata.extrinsic().transaction_extensions_by_version(extension_version)?
			{
				decode_with_visitor(&mut rest, extension.extra_ty(), types, IgnoreVisitor::new())
					.ok()?;
			}
		},
		// Signed (v4): never a CSI batch, whose origin is the authorized one.
		_ => return None,
	}
	let pallet = metadata.pallet_by_name("Csi")?;
	let call = pallet.call_variant_by_name("submit_batch")?;
	let (index, mut args) = rest.split_at_checked(2)?;
	if index != [pallet.call_index(), call.index] {
		return None;
	}
	let mut fields = call.fields.iter().map(|f| Field::new(f.ty.id, f.name.as_deref()));
	let batch = SubmitBatch::decode_as_fields(&mut args, &mut fields, metadata.types()).ok()?;
	args.is_empty().then_some(batch)
}

#[cfg(test)]
pub(crate) mod tests {
	use super::*;

	/// Substrate's root of an empty trie: `blake2_256([0])`, as every Substrate chain's empty
	/// blocks carry it.
	const EMPTY_TRIE_ROOT: &str =
		"03170a2e7597b7b7e3d84c05391d139a62b157e78786d8c082f29dcf4c111314";

	fn header(extrinsics_root: [u8; 32]) -> (H256, Header) {
		let header = Header {
			parent_hash: H256([7; 32]),
			number: 42,
			state_root: H256([9; 32]),
			extrinsics_root: H256(extrinsics_root),
			digest: Default::default(),
		};
		(H256(sp_crypto_hashing::blake2_256(&header.encode())), header)
	}

	/// A state trie holding `entries`: its root, and every node of it as hex (a proof of any
	/// key, as `state_getReadProof` serves one).
	pub(crate) fn state(entries: &[(Vec<u8>, Vec<u8>)]) -> (H256, Vec<serde_json::Value>) {
		let (mut db, root) = trie(entries);
		let nodes = db
			.drain()
			.into_values()
			.filter(|(_, rc)| *rc > 0)
			.map(|(n, _)| serde_json::json!(format!("0x{}", hex::encode(&n))));
		(root, nodes.collect())
	}

	type Db = sp_trie::MemoryDB<sp_core::Blake2Hasher>;

	/// A state trie holding `entries`, and its root.
	fn trie(entries: &[(Vec<u8>, Vec<u8>)]) -> (Db, H256) {
		use sp_trie::{trie_types::TrieDBMutBuilderV1, TrieMut};
		let mut db = Db::default();
		let mut root = Default::default();
		{
			let mut trie = TrieDBMutBuilderV1::new(&mut db, &mut root).build();
			for (key, value) in entries {
				trie.insert(key, value).unwrap();
			}
		}
		(db, H256(root.0))
	}

	/// The nodes a read of `keys` touches in `db`: a read proof of them, as a node makes one.
	fn read_proof_of(db: &Db, root: H256, keys: &[Vec<u8>]) -> Vec<Vec<u8>> {
		type Hasher = sp_core::Blake2Hasher;
		let recorder = sp_trie::recorder::Recorder::<Hasher>::default();
		let root = sp_core::H256(root.0);
		{
			let mut recording = recorder.as_trie_recorder(root);
			for key in keys {
				sp_trie::read_trie_value::<sp_trie::LayoutV1<Hasher>, _>(
					db,
					&root,
					key,
					Some(&mut recording),
					None,
				)
				.unwrap();
			}
		}
		recorder.drain_storage_proof().into_iter_nodes().collect()
	}

	#[test]
	fn a_walk_is_proven_whole_and_a_proof_that_leaves_a_key_out_is_refused() {
		let block = H256([4; 32]);
		let under = |prefix: u8, i: u8| vec![0x26, prefix, i, i.wrapping_mul(37)];
		let mut entries: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
		for i in 0..30u8 {
			entries.push((under(0xaa, i), vec![i; 40]));
			entries.push((under(0xbb, i), vec![i; 3]));
		}
		let (db, root) = trie(&entries);
		let prefix = vec![0x26, 0xaa];
		let mut expected: Vec<(Vec<u8>, Vec<u8>)> =
			entries.iter().filter(|(k, _)| k.starts_with(&prefix)).cloned().collect();
		expected.sort();
		let keys: Vec<Vec<u8>> = expected.iter().map(|(k, _)| k.clone()).collect();

		let whole = read_proof_of(&db, root, &[vec![prefix.clone()], keys.clone()].concat());
		assert_eq!(verify_walk(block, root, whole, &prefix).unwrap(), expected);

		// Any one key left out of what the node proves.
		for left_out in 0..keys.len() {
			let mut named = keys.clone();
			named.remove(left_out);
			let proof = read_proof_of(&db, root, &[vec![prefix.clone()], named].concat());
			let refused = verify_walk(block, root, proof, &prefix);
			assert!(
				matches!(&refused, Err(ChainError::Unproven(e)) if e.contains("leaves some out")),
				"key {left_out} left out: {refused:?}"
			);
		}
		// A prefix nothing is under: the proof of the prefix alone shows it empty, and the same
		// proof for a prefix that has keys is refused.
		let empty = vec![0x26, 0xcc];
		let proof = read_proof_of(&db, root, std::slice::from_ref(&empty));
		assert_eq!(verify_walk(block, root, proof, &empty).unwrap(), vec![]);
		let proof = read_proof_of(&db, root, std::slice::from_ref(&prefix));
		assert!(matches!(verify_walk(block, root, proof, &prefix), Err(ChainError::Unproven(_))));
	}

	fn unhex(nodes: &[serde_json::Value]) -> Vec<Vec<u8>> {
		nodes.iter().map(|n| hex::decode(&n.as_str().unwrap()[2..]).unwrap()).collect()
	}

	#[test]
	fn a_read_proof_shows_values_and_absences_and_a_cut_or_changed_one_is_refused() {
		let block = H256([5; 32]);
		let entries: Vec<(Vec<u8>, Vec<u8>)> =
			(0u8..40).map(|i| (vec![0x26, 0xaa, i, i / 7], vec![i; 1 + i as usize * 3])).collect();
		let (root, nodes) = state(&entries);
		let nodes = unhex(&nodes);
		let keys = vec![entries[3].0.clone(), entries[39].0.clone(), vec![0x26, 0xaa, 99]];
		let read = verify_read(block, root, nodes.clone(), &keys).unwrap();
		assert_eq!(read, vec![Some(entries[3].1.clone()), Some(entries[39].1.clone()), None]);

		// Each node left out: some key no longer reaches the root.
		for cut in 0..nodes.len() {
			let mut fewer = nodes.clone();
			fewer.remove(cut);
			let all: Vec<Vec<u8>> = entries.iter().map(|(k, _)| k.clone()).collect();
			let refused = verify_read(block, root, fewer, &all);
			assert!(matches!(refused, Err(ChainError::Unproven(_))), "node {cut} cut: {refused:?}");
		}
		// A value changed in its node: the node's hash is not the one its parent names.
		let changed: Vec<Vec<u8>> = nodes
			.iter()
			.map(|n| {
				let mut n = n.clone();
				if let Some(at) = n.windows(4).position(|w| w == [39; 4]) {
					n[at] = 38;
				}
				n
			})
			.collect();
		assert_ne!(changed, nodes);
		let refused = verify_read(block, root, changed, &keys[1..2]);
		assert!(
			matches!(&refused, Err(ChainError::Unproven(e)) if e.contains("state root")),
			"{refused:?}"
		);
		// Another block's root.
		let (other, _) = state(&entries[1..]);
		assert!(matches!(verify_read(block, other, nodes, &keys), Err(ChainError::Unproven(_))));
	}

	#[test]
	fn an_empty_body_is_proven_by_the_empty_trie_root() {
		let root = hex::decode(EMPTY_TRIE_ROOT).unwrap().try_into().unwrap();
		let (hash, header) = header(root);
		verify_body(hash, &header, &[]).unwrap();
		let refused = verify_body(hash, &header, &[vec![4, 1, 2, 3]]);
		assert!(
			matches!(&refused, Err(ChainError::Unproven(e)) if e.contains("extrinsics root")),
			"{refused:?}"
		);
	}

	#[test]
	fn a_body_with_one_byte_changed_or_under_another_blocks_hash_is_refused() {
		use sp_trie::TrieConfiguration;
		let body = vec![vec![0x0c, 1, 2, 3], vec![0x10, 4, 5, 6, 7]];
		let root = sp_trie::LayoutV0::<sp_core::Blake2Hasher>::ordered_trie_root(&body);
		let (hash, header) = header(root.0);
		verify_body(hash, &header, &body).unwrap();

		let mut changed = body.clone();
		changed[1][4] ^= 1;
		assert!(matches!(verify_body(hash, &header, &changed), Err(ChainError::Unproven(_))));
		let reordered = vec![body[1].clone(), body[0].clone()];
		assert!(matches!(verify_body(hash, &header, &reordered), Err(ChainError::Unproven(_))));
		let refused = verify_body(H256([1; 32]), &header, &body);
		assert!(
			matches!(&refused, Err(ChainError::Unproven(e)) if e.contains("is block")),
			"{refused:?}"
		);
	}
	use subxt::{constants::Address as Constant, storage::Address as Entry};

	/// Whether `metadata` holds each storage entry and constant the matcher reads (it calls no
	/// runtime API: everything it believes is proven storage), with the types its interface was
	/// generated for: the names of those it does not.
	fn missing(metadata: &Metadata) -> Vec<String> {
		let mut missing = Vec::new();
		fn entry<A: Entry>(metadata: &Metadata, a: A) -> Option<String> {
			let hash = metadata.pallet_by_name(a.pallet_name())?.storage_hash(a.entry_name());
			(hash != a.validation_hash())
				.then(|| format!("{}::{}", a.pallet_name(), a.entry_name()))
		}
		let storage = runtime::storage;
		missing.extend(entry(metadata, storage().matchers().sealing_keys()));
		missing.extend(entry(metadata, storage().matchers().matchers()));
		missing.extend(entry(metadata, storage().matchers().matcher_by_signer()));
		missing.extend(entry(metadata, storage().matchers().lineup()));
		missing.extend(entry(metadata, storage().timestamp().now()));
		missing.extend(entry(metadata, storage().csi().days()));
		missing.extend(entry(metadata, storage().csi().batches()));
		missing.extend(entry(metadata, storage().notifications().jobs()));
		missing.extend(entry(metadata, storage().notifications().params()));
		missing.extend(entry(metadata, storage().diagnosis().cases()));
		missing.extend(entry(metadata, storage().diagnosis().endorsed_fingerprints()));
		missing.extend(entry(metadata, storage().locations().materials()));
		fn constant<A: Constant>(metadata: &Metadata, a: A) -> Option<String> {
			let hash = metadata.pallet_by_name(a.pallet_name())?.constant_hash(a.constant_name());
			(hash != a.validation_hash())
				.then(|| format!("{}::{}", a.pallet_name(), a.constant_name()))
		}
		let constants = runtime::constants;
		missing.extend(constant(metadata, constants().notifications().max_exposures_per_result()));
		missing.extend(constant(metadata, constants().notifications().max_cells_per_result()));
		missing.extend(constant(metadata, constants().matchers().sealing_key_lifetime()));
		missing
	}

	/// The hash of `Csi::submit_batch`'s fields in `metadata` (what `csi_batch` decodes).
	fn submit_batch(metadata: &Metadata) -> Option<[u8; 32]> {
		metadata.pallet_by_name("Csi")?.call_hash("submit_batch")
	}

	/// A live region runs the released runtime (spec 101) until its council upgrades it: the
	/// matcher reads it, and this one, through the same interface.
	#[test]
	fn what_the_matcher_reads_is_the_same_on_the_released_runtime_and_this_one() {
		let released: Metadata =
			Decode::decode(&mut &include_bytes!("../../api/metadata/epichain-v101.scale")[..])
				.unwrap();
		let this: Metadata =
			Decode::decode(&mut &include_bytes!("../../api/metadata/epichain.scale")[..]).unwrap();
		assert_eq!(missing(&released), Vec::<String>::new(), "spec 101");
		assert_eq!(missing(&this), Vec::<String>::new(), "spec 102");
		// The interface is generated from this runtime's metadata: a batch decodes the same on
		// both when the call's fields are the same.
		assert!(submit_batch(&this).is_some());
		assert_eq!(submit_batch(&released), submit_batch(&this), "Csi::submit_batch");
	}
}

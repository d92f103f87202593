//! GRANDPA finality, checked by the matcher's host itself: which block is final is not the
//! node's word.
//!
//! Trust starts at the chain spec the operator gives the matcher (`--chain-spec`, raw): its
//! genesis storage names the chain (the genesis hash is computed from it, [`Genesis::of_spec`])
//! and GRANDPA's first authority set (`Grandpa::Authorities`). From there, [`Finality`] moves its checkpoint (the last
//! block it knows final, and the authority set that finalizes what follows) only on:
//! - a justification ([`verify_justification`]): precommits for the block, each signed by a
//!   member of the current set for that round and set, together over two thirds of the set's
//!   weight, and ancestry headers that link every precommit to the block and carry nothing
//!   else;
//! - the headers from the checkpoint to that block, each proven by its hash and linked by parent
//!   hash: a block of another chain (one that does not descend from the checkpoint) is refused;
//! - authority set changes read from those headers' GRANDPA digests: a change enacted at a block
//!   moves the checkpoint to the next set there.
//!
//! A node that serves no justification is waited for ([`FinalityError::NoProof`]), never
//! trusted. Justifications come with blocks (`chain_getBlock`'s `justifications`): an epichain
//! node keeps one for every finalized block, and every node keeps those of the blocks that end
//! an authority set. (`grandpa_proveFinality` cannot serve a chain whose set never changed, as a
//! dev chain's never does.)
//!
//! The SCALE layouts below are the chain's (`sp_consensus_grandpa`'s `GrandpaJustification`,
//! `ConsensusLog`, `VersionedAuthorityList`); the vote counting is the `finality-grandpa`
//! crate's own.

use std::collections::{HashMap, HashSet, VecDeque};

use codec::{Decode, DecodeAll, Encode};
use sp_core::{ed25519, Pair as _};

use crate::chain::{ChainError, ChainResult, Header, H256};

/// A GRANDPA authority's key.
pub type AuthorityId = ed25519::Public;
/// A GRANDPA authority's signature on a vote.
pub type AuthoritySignature = ed25519::Signature;
/// An authority set's members and their voting weights.
pub type AuthorityList = Vec<(AuthorityId, u64)>;
/// A commit: the block, and the precommits that finalize it.
type Commit = finality_grandpa::Commit<H256, u32, AuthoritySignature, AuthorityId>;

/// GRANDPA's consensus engine id in header digests.
pub const GRANDPA_ENGINE_ID: [u8; 4] = *b"FRNK";
/// The older well-known storage key of GRANDPA's authority list (a chain spec may still carry
/// it; pallet-grandpa now keeps the list in `Grandpa::Authorities`).
pub const GRANDPA_AUTHORITIES_KEY: &[u8] = b":grandpa_authorities";
/// Canonical block hashes kept for the follower (8 MiB; over 15 days of 6-second blocks): older
/// ones are found again by walking parent hashes back from the oldest kept.
const MAX_HASHES: usize = 1 << 18;
/// Headers between two progress lines of a long verification.
const PROGRESS_EVERY: u32 = 20_000;

/// A GRANDPA justification: the round, its commit, and the headers from each precommit's
/// target to the committed block.
#[derive(Clone, Debug, Encode, Decode)]
pub struct Justification {
	/// The round the precommits were cast in.
	pub round: u64,
	/// The block and its precommits.
	pub commit: Commit,
	/// Headers linking the precommits' targets to the committed block.
	pub votes_ancestries: Vec<Header>,
}

/// A change of GRANDPA's authority set, as a header's digest announces it.
#[derive(Clone, Debug, Encode, Decode)]
struct ScheduledChange {
	next_authorities: AuthorityList,
	delay: u32,
}

/// GRANDPA's messages in header digests.
#[derive(Decode)]
enum ConsensusLog {
	#[codec(index = 1)]
	ScheduledChange(ScheduledChange),
	#[codec(index = 2)]
	ForcedChange(#[allow(dead_code)] u32, #[allow(dead_code)] ScheduledChange),
	#[codec(index = 3)]
	OnDisabled(#[allow(dead_code)] u64),
	#[codec(index = 4)]
	Pause(#[allow(dead_code)] u32),
	#[codec(index = 5)]
	Resume(#[allow(dead_code)] u32),
}

/// Why a claim of finality was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FinalityError {
	/// The node serves no justification of the block it says is final (or that ends an
	/// authority set): waited for, not trusted.
	NoProof {
		/// The block whose justification is missing.
		block: u32,
		/// What the node says is final.
		node_head: u32,
	},
	/// The node's finalized head, or its proof, is behind the block already known final.
	Stale {
		/// What the node served.
		served: u32,
		/// The block known final.
		verified: u32,
	},
	/// The justification does not hold: a signature, a member, the weight or the ancestry.
	Forged(String),
	/// The block claimed final does not descend from the one known final.
	OtherChain(String),
	/// An authority set change the checkpoint cannot follow, or that the proof skips.
	SetChange(String),
	/// The proof did not decode.
	Decode(&'static str),
}

impl std::fmt::Display for FinalityError {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		match self {
			Self::NoProof { block, node_head } => write!(
				f,
				"NoProof: the node serves no justification of #{block} (it says #{node_head} is \
				 final); waiting for one"
			),
			Self::Stale { served, verified } => write!(
				f,
				"Stale: the node serves #{served} as final, behind #{verified}, which GRANDPA \
				 already finalized"
			),
			Self::Forged(why) => write!(f, "Forged: {why}"),
			Self::OtherChain(why) => write!(f, "OtherChain: {why}"),
			Self::SetChange(why) => write!(f, "SetChange: {why}"),
			Self::Decode(what) => write!(f, "Decode: the node's {what} did not decode"),
		}
	}
}

/// A chain's genesis, from its raw chain spec.
#[derive(Clone, Debug)]
pub struct Genesis {
	/// The genesis hash if the genesis state's trie is V1, then if it is V0 (the runtime's
	/// state version decides; both commit to the same storage).
	pub hashes: [H256; 2],
	/// GRANDPA's first authority set.
	pub authorities: AuthorityList,
}

impl Genesis {
	/// The genesis that raw chain spec `json` describes (`epichain-node build-spec --raw`).
	pub fn of_spec(json: &str) -> Result<Genesis, String> {
		use sp_trie::TrieConfiguration;
		let spec: serde_json::Value =
			serde_json::from_str(json).map_err(|e| format!("not a chain spec (JSON: {e})"))?;
		let raw = &spec["genesis"]["raw"];
		let top = raw["top"].as_object().ok_or(
			"not a raw chain spec (no genesis.raw.top): make one with `epichain-node build-spec \
			 --chain … --raw`",
		)?;
		if raw["childrenDefault"].as_object().is_some_and(|c| !c.is_empty()) {
			return Err("the chain spec's genesis has child tries; the matcher reads none".into());
		}
		let mut storage = Vec::with_capacity(top.len());
		for (key, value) in top {
			let key = epichain_primitives::hex0x::decode(key)
				.map_err(|_| format!("the chain spec's genesis key {key:?} is not hex"))?;
			let value = epichain_primitives::hex0x::decode(value.as_str().unwrap_or("-"))
				.map_err(|_| format!("the chain spec's genesis value under {key:?} is not hex"))?;
			storage.push((key, value));
		}
		// `Grandpa::Authorities` (pallet-grandpa's own storage), else the older well-known key
		// (a version byte, then the list).
		let pallet_key =
			[sp_crypto_hashing::twox_128(b"Grandpa"), sp_crypto_hashing::twox_128(b"Authorities")]
				.concat();
		let value = |key: &[u8]| storage.iter().find(|(k, _)| k == key).map(|(_, v)| &v[..]);
		let authorities = match (value(&pallet_key), value(GRANDPA_AUTHORITIES_KEY)) {
			(Some(list), _) => AuthorityList::decode_all(&mut &list[..]).ok(),
			(None, Some(versioned)) => match <(u8, AuthorityList)>::decode_all(&mut &versioned[..])
			{
				Ok((1, list)) => Some(list),
				_ => None,
			},
			(None, None) => {
				return Err("the chain spec's genesis has no GRANDPA authorities \
					(Grandpa::Authorities)"
					.into())
			},
		}
		.filter(|list| !list.is_empty())
		.ok_or("the chain spec's GRANDPA authority list does not decode, or is empty")?;
		type Hasher = sp_core::Blake2Hasher;
		let header = |state_root: sp_core::H256| {
			let header = Header {
				parent_hash: H256::zero(),
				number: 0,
				state_root: H256(state_root.0),
				extrinsics_root: H256(
					sp_trie::LayoutV0::<Hasher>::trie_root(Vec::<(Vec<u8>, Vec<u8>)>::new()).0,
				),
				digest: Default::default(),
			};
			H256(sp_crypto_hashing::blake2_256(&header.encode()))
		};
		let v1 = header(sp_trie::LayoutV1::<Hasher>::trie_root(storage.clone()));
		let v0 = header(sp_trie::LayoutV0::<Hasher>::trie_root(storage));
		Ok(Genesis { hashes: [v1, v0], authorities })
	}
}

/// The last block known final, and the authority set that finalizes what follows it.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct Checkpoint {
	/// The chain's genesis hash.
	pub genesis: H256,
	/// The block's number.
	pub number: u32,
	/// The block's hash.
	pub hash: H256,
	/// The id of the authority set after the block.
	pub set_id: u64,
	/// That set's members.
	pub authorities: AuthorityList,
	/// A change announced at or before the block, not yet enacted: the block that enacts it,
	/// and the next set.
	pub pending: Option<(u32, AuthorityList)>,
}

impl Checkpoint {
	/// The chain's genesis block, final by definition, with its first authority set.
	pub fn genesis(hash: H256, authorities: AuthorityList) -> Self {
		Checkpoint { genesis: hash, number: 0, hash, set_id: 0, authorities, pending: None }
	}
}

/// Checks a SCALE-encoded justification against authority set `set_id` of `authorities`; the
/// block it finalizes.
pub fn verify_justification(
	set_id: u64,
	authorities: &AuthorityList,
	encoded: &[u8],
) -> Result<(H256, u32), FinalityError> {
	let j = Justification::decode_all(&mut &encoded[..])
		.map_err(|_| FinalityError::Decode("justification"))?;
	let target = (j.commit.target_hash, j.commit.target_number);
	let voters = finality_grandpa::voter_set::VoterSet::new(authorities.iter().cloned())
		.ok_or_else(|| FinalityError::SetChange(format!("authority set {set_id} is empty")))?;
	for signed in &j.commit.precommits {
		if !voters.contains(&signed.id) {
			return Err(FinalityError::Forged(format!(
				"a precommit for #{} by {}, who is not in authority set {set_id}",
				target.1, signed.id
			)));
		}
		let message = finality_grandpa::Message::Precommit(signed.precommit.clone());
		let payload = (message, j.round, set_id).encode();
		if !ed25519::Pair::verify(&signed.signature, &payload, &signed.id) {
			return Err(FinalityError::Forged(format!(
				"{}'s precommit for #{} does not verify as signed in round {} of authority set \
				 {set_id}",
				signed.id, target.1, j.round
			)));
		}
	}
	let parents: HashMap<H256, H256> = j
		.votes_ancestries
		.iter()
		.map(|h| (H256(sp_crypto_hashing::blake2_256(&h.encode())), h.parent_hash))
		.collect();
	let valid = finality_grandpa::validate_commit(&j.commit, &voters, &Ancestry(&parents))
		.map_err(|_| FinalityError::Forged(format!("#{}'s precommits' ancestry", target.1)))?;
	if !valid.is_valid() {
		return Err(FinalityError::Forged(format!(
			"the precommits for #{} do not carry two thirds of authority set {set_id}'s weight \
			 to it",
			target.1
		)));
	}
	// Every ancestry header is on a precommit's way to the block: nothing padded in.
	let mut used = HashSet::new();
	for signed in &j.commit.precommits {
		let mut at = signed.precommit.target_hash;
		while at != target.0 && used.insert(at) {
			at = *parents.get(&at).ok_or_else(|| {
				FinalityError::Forged(format!(
					"a precommit's target does not descend from #{}",
					target.1
				))
			})?;
		}
	}
	if used.len() != parents.len() {
		return Err(FinalityError::Forged(format!(
			"#{}'s justification carries {} headers no precommit needs",
			target.1,
			parents.len() - used.len()
		)));
	}
	Ok(target)
}

/// Ancestry as the justification's headers show it, for `finality-grandpa`'s vote counting.
struct Ancestry<'a>(&'a HashMap<H256, H256>);

impl finality_grandpa::Chain<H256, u32> for Ancestry<'_> {
	fn ancestry(&self, base: H256, block: H256) -> Result<Vec<H256>, finality_grandpa::Error> {
		let mut route = Vec::new();
		let mut at = block;
		while at != base {
			if route.len() > self.0.len() {
				return Err(finality_grandpa::Error::NotDescendent);
			}
			at = *self.0.get(&at).ok_or(finality_grandpa::Error::NotDescendent)?;
			route.push(at);
		}
		route.pop();
		Ok(route)
	}
}

/// Where a node's chain is read from, for [`Finality`]: headers by hash (each proven by its
/// hash), the node's finalized head, and blocks' GRANDPA justifications.
pub trait Source {
	/// Block `hash`'s header, proven to hash to `hash`.
	fn header(&self, hash: H256) -> impl std::future::Future<Output = ChainResult<Header>> + Send;
	/// The hash the node says is its finalized head.
	fn finalized_head(&self) -> impl std::future::Future<Output = ChainResult<H256>> + Send;
	/// Block `hash`'s GRANDPA justification (SCALE-encoded [`Justification`]), if the node
	/// keeps one.
	fn justification(
		&self,
		hash: H256,
	) -> impl std::future::Future<Output = ChainResult<Option<Vec<u8>>>> + Send;
}

/// The follower's checkpoint of finality, and the canonical hashes of the blocks up to it.
pub struct Finality {
	checkpoint: Checkpoint,
	/// Canonical hashes of blocks `low..=checkpoint.number`.
	hashes: VecDeque<H256>,
	low: u32,
	/// Where the checkpoint is kept across restarts; the hashes are kept next to it
	/// ([`HashFile`]).
	store: Option<std::path::PathBuf>,
	/// The first and last blocks whose hashes the hash file holds, if it is known to be whole.
	filed: Option<(u32, u32)>,
}

/// The canonical hashes kept across restarts, next to the checkpoint (`finality.hashes`): the
/// first block's number (u32, little-endian), then a 32-byte hash per block in order. A
/// restarted follower reads the window's blocks by number without walking the chain back.
/// Appended to as the checkpoint moves; a file that does not reach the checkpoint's own hash
/// (a crash between the two writes) is cut to it, or ignored.
struct HashFile;

impl HashFile {
	fn path(store: &std::path::Path) -> std::path::PathBuf {
		store.with_extension("hashes")
	}

	/// The hashes of blocks `low..=checkpoint.number`, if the file holds the checkpoint's, and
	/// whether it holds nothing after it.
	fn read(
		store: &std::path::Path,
		checkpoint: &Checkpoint,
	) -> Option<(u32, VecDeque<H256>, bool)> {
		let bytes = std::fs::read(Self::path(store)).ok()?;
		let low = u32::from_le_bytes(bytes.get(..4)?.try_into().ok()?);
		let last = checkpoint.number.checked_sub(low)? as usize;
		let hashes: VecDeque<H256> =
			bytes[4..].chunks_exact(32).take(last + 1).map(H256::from_slice).collect();
		let exact = bytes.len() == 4 + 32 * (last + 1);
		(hashes.len() == last + 1 && hashes[last] == checkpoint.hash)
			.then_some((low, hashes, exact))
	}
}

impl Finality {
	/// Finality from `checkpoint`, kept in `store` (if any) as it moves.
	pub fn new(checkpoint: Checkpoint, store: Option<std::path::PathBuf>) -> Self {
		let (low, hashes) = (checkpoint.number, VecDeque::from([checkpoint.hash]));
		Finality { checkpoint, hashes, low, store, filed: None }
	}

	/// The checkpoint kept in `store` if there is one for chain `genesis`, else `fallback`.
	pub fn load(store: std::path::PathBuf, genesis: H256, fallback: Checkpoint) -> Self {
		let kept = std::fs::read(&store)
			.ok()
			.and_then(|b| Checkpoint::decode_all(&mut &b[..]).ok())
			.filter(|c| c.genesis == genesis);
		if let Some(c) = &kept {
			tracing::info!(
				"finality checkpoint #{} {:?} (authority set {}) from {}",
				c.number,
				c.hash,
				c.set_id,
				store.display()
			);
		}
		let mut finality = Finality::new(kept.unwrap_or(fallback), Some(store.clone()));
		if let Some((low, hashes, exact)) = HashFile::read(&store, &finality.checkpoint) {
			// A file that runs past the checkpoint is rewritten at the next move.
			finality.filed = exact.then_some((low, finality.checkpoint.number));
			(finality.low, finality.hashes) = (low, hashes);
		}
		finality
	}

	/// The last block known final.
	pub fn checkpoint(&self) -> &Checkpoint {
		&self.checkpoint
	}

	/// Moves the checkpoint as far as the node proves finality; the block it reached.
	pub async fn advance(&mut self, node: &impl Source) -> ChainResult<(u32, H256)> {
		// Each round reaches the node's head, or the end of one authority set.
		while self.round(node).await? {}
		Ok((self.checkpoint.number, self.checkpoint.hash))
	}

	/// One justification: `false` once the checkpoint is the node's finalized head.
	async fn round(&mut self, node: &impl Source) -> ChainResult<bool> {
		let (f, f_hash) = (self.checkpoint.number, self.checkpoint.hash);
		let head_hash = node.finalized_head().await?;
		let head = node.header(head_hash).await?;
		let h = head.number as u32;
		if h < f {
			return Err(FinalityError::Stale { served: h, verified: f }.into());
		}
		if h == f {
			if head_hash != f_hash {
				return Err(FinalityError::OtherChain(format!(
					"the node's finalized #{f} is {head_hash:?}, GRANDPA finalized {f_hash:?}"
				))
				.into());
			}
			return Ok(false);
		}
		// The headers from the node's head back to the checkpoint, each proven by its hash and
		// linked by parent hash: the head descends from the checkpoint, or it is refused.
		let mut segment = Vec::with_capacity((h - f) as usize);
		let (mut at, mut header) = (head_hash, head);
		for number in (f + 1..=h).rev() {
			if header.number != number as u64 {
				return Err(FinalityError::OtherChain(format!(
					"block {at:?} on the way from #{h} to #{f} is numbered #{}, not #{number}",
					header.number
				))
				.into());
			}
			let done = h - number + 1;
			if done.is_multiple_of(PROGRESS_EVERY) {
				tracing::info!("verifying headers from #{h} back to #{f}: {done} of {}", h - f);
			}
			let parent = header.parent_hash;
			segment.push((at, changes(&header)?));
			if number > f + 1 {
				header = node.header(parent).await?;
			}
			at = parent;
		}
		if at != f_hash {
			return Err(FinalityError::OtherChain(format!(
				"#{h} {head_hash:?} does not descend from #{f} {f_hash:?}, which GRANDPA finalized"
			))
			.into());
		}
		segment.reverse();
		// Authority set changes, in block order: the checkpoint's set finalizes up to the block
		// that ends it, and no further.
		let mut next = self.checkpoint.clone();
		let mut target = h;
		for (i, (_, logs)) in segment.iter().enumerate() {
			let number = f + 1 + i as u32;
			for log in logs {
				match log {
					ConsensusLog::ScheduledChange(change) => {
						if next.pending.is_some() {
							return Err(FinalityError::SetChange(format!(
								"#{number} announces a set change while one is pending"
							))
							.into());
						}
						let enacted = number.saturating_add(change.delay);
						next.pending = Some((enacted, change.next_authorities.clone()));
					},
					ConsensusLog::ForcedChange(..) => {
						return Err(FinalityError::SetChange(format!(
							"#{number} forces an authority set change, which finality alone \
							 cannot follow: start the matcher from a checkpoint after it"
						))
						.into())
					},
					_ => {},
				}
			}
			if next.pending.as_ref().is_some_and(|(enacted, _)| *enacted == number) {
				target = number;
				break;
			}
		}
		let target_hash = segment[(target - f - 1) as usize].0;
		let encoded = node
			.justification(target_hash)
			.await?
			.ok_or(FinalityError::NoProof { block: target, node_head: h })?;
		let justified = verify_justification(next.set_id, &next.authorities, &encoded)?;
		if justified != (target_hash, target) {
			return Err(FinalityError::Forged(format!(
				"the justification served for #{target} {target_hash:?} finalizes #{} {:?}",
				justified.1, justified.0
			))
			.into());
		}
		if let Some((enacted, authorities)) = next.pending.take() {
			if enacted == target {
				next.set_id += 1;
				next.authorities = authorities;
				tracing::info!(
					"GRANDPA authority set {} from #{target} ({} authorities)",
					next.set_id,
					next.authorities.len()
				);
			} else {
				next.pending = Some((enacted, authorities));
			}
		}
		(next.number, next.hash) = (target, target_hash);
		self.hashes.extend(segment[..(target - f) as usize].iter().map(|(hash, _)| *hash));
		while self.hashes.len() > MAX_HASHES {
			self.hashes.pop_front();
			self.low += 1;
		}
		self.checkpoint = next;
		self.keep();
		Ok(true)
	}

	/// The hash of final block `number`: from the hashes kept, else found by walking parent
	/// hashes back from the oldest kept.
	pub async fn hash_of(&mut self, node: &impl Source, number: u32) -> ChainResult<H256> {
		if number > self.checkpoint.number {
			return Err(ChainError::Rpc(format!(
				"block #{number} is not known final (final: #{})",
				self.checkpoint.number
			)));
		}
		while number < self.low {
			let header = node.header(self.hashes[0]).await?;
			self.hashes.push_front(header.parent_hash);
			self.low -= 1;
		}
		Ok(self.hashes[(number - self.low) as usize])
	}

	/// Writes the new hashes (appended; the file rewritten from the kept hashes when it is
	/// not known whole, or holds twice as many as are kept), then the checkpoint (replaced
	/// whole).
	fn keep(&mut self) {
		use std::io::Write;
		let Some(path) = self.store.clone() else { return };
		let hashes_path = HashFile::path(&path);
		let to = self.checkpoint.number;
		let written = match self.filed {
			Some((from, last)) if last >= self.low && ((to - from) as usize) < 2 * MAX_HASHES => {
				let new: Vec<u8> = self
					.hashes
					.iter()
					.skip((last + 1 - self.low) as usize)
					.flat_map(|h| h.0)
					.collect();
				let appended = std::fs::OpenOptions::new()
					.append(true)
					.open(&hashes_path)
					.and_then(|mut f| f.write_all(&new));
				appended.map(|()| (from, to))
			},
			_ => {
				let mut all = self.low.to_le_bytes().to_vec();
				all.extend(self.hashes.iter().flat_map(|h| h.0));
				let tmp = hashes_path.with_extension("hashes-tmp");
				let rewritten =
					std::fs::write(&tmp, &all).and_then(|()| std::fs::rename(&tmp, &hashes_path));
				rewritten.map(|()| (self.low, to))
			},
		};
		self.filed = written
			.map_err(|e| {
				tracing::warn!("keeping final blocks' hashes in {}: {e}", hashes_path.display())
			})
			.ok();
		let tmp = path.with_extension("tmp");
		let written = std::fs::write(&tmp, self.checkpoint.encode())
			.and_then(|()| std::fs::rename(&tmp, &path));
		if let Err(e) = written {
			tracing::warn!("keeping the finality checkpoint in {}: {e}", path.display());
		}
	}
}

/// GRANDPA's messages in `header`'s digest; one that does not decode is refused, not skipped
/// (it could be a set change).
fn changes(header: &Header) -> Result<Vec<ConsensusLog>, FinalityError> {
	use subxt::config::substrate::DigestItem;
	header
		.digest
		.logs
		.iter()
		.filter_map(|item| match item {
			DigestItem::Consensus(id, data) if *id == GRANDPA_ENGINE_ID => Some(
				ConsensusLog::decode_all(&mut &data[..])
					.map_err(|_| FinalityError::Decode("GRANDPA digest")),
			),
			_ => None,
		})
		.collect()
}

impl From<FinalityError> for ChainError {
	fn from(e: FinalityError) -> Self {
		ChainError::Finality(e)
	}
}

#[cfg(test)]
pub(crate) mod tests {
	use super::*;
	use std::path::PathBuf;
	use subxt::config::substrate::{Digest, DigestItem};

	/// The package's directory as cargo gives it when the test runs, not when it was compiled: a
	/// shared target directory may hold a test binary built in another clone, perhaps deleted.
	fn manifest_dir() -> PathBuf {
		std::env::var_os("CARGO_MANIFEST_DIR")
			.map_or_else(|| env!("CARGO_MANIFEST_DIR").into(), Into::into)
	}

	/// Test authority `i`'s key pair (derived as `//Voter{i}`).
	pub(crate) fn voter(i: u8) -> ed25519::Pair {
		ed25519::Pair::from_string(&format!("//Voter{i}"), None).unwrap()
	}

	/// Authorities `ids`, each of weight 1.
	pub(crate) fn set(ids: &[u8]) -> AuthorityList {
		ids.iter().map(|i| (voter(*i).public(), 1)).collect()
	}

	/// A justification of `target` in round `round` of set `set_id`, with a precommit for it
	/// from each of `signers`.
	pub(crate) fn justify(signers: &[u8], set_id: u64, target: (H256, u32)) -> Justification {
		let precommit =
			finality_grandpa::Precommit { target_hash: target.0, target_number: target.1 };
		let round = 7;
		let precommits = signers
			.iter()
			.map(|i| {
				let message = finality_grandpa::Message::Precommit(precommit.clone());
				let pair = voter(*i);
				finality_grandpa::SignedPrecommit {
					precommit: precommit.clone(),
					signature: pair.sign(&(message, round, set_id).encode()),
					id: pair.public(),
				}
			})
			.collect();
		Justification {
			round,
			commit: finality_grandpa::Commit {
				target_hash: target.0,
				target_number: target.1,
				precommits,
			},
			votes_ancestries: vec![],
		}
	}

	fn hash(header: &Header) -> H256 {
		H256(sp_crypto_hashing::blake2_256(&header.encode()))
	}

	/// A chain of `len` headers after `parent` (numbered from 1), `logs[n]` in block `n`'s digest.
	fn chain(parent: H256, len: u32, salt: u8, logs: &[(u32, Vec<u8>)]) -> Vec<(H256, Header)> {
		let mut out: Vec<(H256, Header)> = Vec::new();
		for number in 1..=len {
			let header = Header {
				parent_hash: out.last().map_or(parent, |(h, _)| *h),
				number: number as u64,
				state_root: H256::repeat_byte(salt),
				extrinsics_root: H256::zero(),
				digest: Digest {
					logs: logs
						.iter()
						.filter(|(n, _)| *n == number)
						.map(|(_, log)| DigestItem::Consensus(GRANDPA_ENGINE_ID, log.clone()))
						.collect(),
				},
			};
			out.push((hash(&header), header));
		}
		out
	}

	/// A node serving headers, its finalized head and justifications from memory.
	#[derive(Default)]
	struct Node {
		headers: HashMap<H256, Header>,
		head: H256,
		justifications: HashMap<H256, Vec<u8>>,
	}

	impl Node {
		fn add(&mut self, blocks: &[(H256, Header)]) {
			self.headers.extend(blocks.iter().cloned());
		}
	}

	impl Source for Node {
		async fn header(&self, hash: H256) -> ChainResult<Header> {
			self.headers.get(&hash).cloned().ok_or(ChainError::Rpc("no header".into()))
		}
		async fn finalized_head(&self) -> ChainResult<H256> {
			Ok(self.head)
		}
		async fn justification(&self, hash: H256) -> ChainResult<Option<Vec<u8>>> {
			Ok(self.justifications.get(&hash).cloned())
		}
	}

	const GENESIS: H256 = H256::zero();

	fn run<T>(f: impl std::future::Future<Output = T>) -> T {
		tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(f)
	}

	fn finality_error(result: ChainResult<(u32, H256)>) -> FinalityError {
		match result {
			Err(ChainError::Finality(e)) => e,
			other => panic!("expected a finality error, got {other:?}"),
		}
	}

	#[test]
	fn three_of_four_finalize_and_two_do_not() {
		let four = set(&[1, 2, 3, 4]);
		let target = (H256::repeat_byte(9), 12);
		let j = justify(&[1, 2, 3], 5, target).encode();
		assert_eq!(verify_justification(5, &four, &j), Ok(target));
		let two = justify(&[1, 2], 5, target).encode();
		assert!(matches!(verify_justification(5, &four, &two), Err(FinalityError::Forged(_))));
		// The same votes twice are not more weight.
		let mut twice = justify(&[1, 2], 5, target);
		twice.commit.precommits.extend(twice.commit.precommits.clone());
		let twice = twice.encode();
		assert!(matches!(verify_justification(5, &four, &twice), Err(FinalityError::Forged(_))));
	}

	#[test]
	fn a_changed_signature_another_set_or_round_or_a_stranger_is_refused() {
		let four = set(&[1, 2, 3, 4]);
		let target = (H256::repeat_byte(9), 12);
		let forged = |edit: &dyn Fn(&mut Justification)| {
			let mut j = justify(&[1, 2, 3], 5, target);
			edit(&mut j);
			verify_justification(5, &four, &j.encode())
		};
		assert!(matches!(
			forged(&|j| j.commit.precommits[0].signature.0[10] ^= 1),
			Err(FinalityError::Forged(_))
		));
		assert!(matches!(forged(&|j| j.round += 1), Err(FinalityError::Forged(_))));
		assert!(matches!(
			verify_justification(6, &four, &justify(&[1, 2, 3], 5, target).encode()),
			Err(FinalityError::Forged(_))
		));
		let stranger = justify(&[1, 2, 9], 5, target).encode();
		assert!(matches!(verify_justification(5, &four, &stranger), Err(FinalityError::Forged(_))));
		// The target changed after signing.
		assert!(matches!(
			forged(&|j| j.commit.target_hash = H256::repeat_byte(8)),
			Err(FinalityError::Forged(_))
		));
		assert_eq!(
			verify_justification(5, &four, &[1, 2, 3]),
			Err(FinalityError::Decode("justification"))
		);
	}

	#[test]
	fn precommits_for_descendants_count_and_padding_is_refused() {
		let four = set(&[1, 2, 3, 4]);
		let blocks = chain(GENESIS, 3, 1, &[]);
		let (b2, b3) = ((blocks[1].0, 2), (blocks[2].0, 3));
		// Two vote for #3, one for #2: #2 has three votes.
		let mut j = justify(&[1, 2], 0, b3);
		j.commit.precommits.extend(justify(&[3], 0, b2).commit.precommits);
		(j.commit.target_hash, j.commit.target_number) = b2;
		j.votes_ancestries = vec![blocks[2].1.clone()];
		assert_eq!(verify_justification(0, &four, &j.encode()), Ok(b2));
		// Without the header linking #3 to #2, the votes for #3 do not count.
		let mut bare = j.clone();
		bare.votes_ancestries.clear();
		assert!(matches!(
			verify_justification(0, &four, &bare.encode()),
			Err(FinalityError::Forged(_))
		));
		// A header no precommit needs.
		j.votes_ancestries.push(blocks[0].1.clone());
		assert!(matches!(
			verify_justification(0, &four, &j.encode()),
			Err(FinalityError::Forged(_))
		));
	}

	/// A chain whose set 0 (voters 1..=4) hands over to set 1 (voters 5..=8) at block 4.
	fn handover() -> (Node, Vec<(H256, Header)>) {
		let change = ConsensusLogEncoded::Scheduled(set(&[5, 6, 7, 8]), 0).encode();
		let blocks = chain(GENESIS, 10, 1, &[(4, change)]);
		let mut node = Node::default();
		node.add(&blocks);
		node.head = blocks[9].0;
		node.justifications.insert(blocks[3].0, justify(&[1, 2, 3], 0, (blocks[3].0, 4)).encode());
		node.justifications.insert(blocks[9].0, justify(&[5, 6, 7], 1, (blocks[9].0, 10)).encode());
		(node, blocks)
	}

	/// GRANDPA's `ConsensusLog` as the runtime writes it (for headers in tests).
	enum ConsensusLogEncoded {
		Scheduled(AuthorityList, u32),
		Forced(u32, AuthorityList, u32),
	}

	impl Encode for ConsensusLogEncoded {
		fn encode(&self) -> Vec<u8> {
			match self {
				Self::Scheduled(next, delay) => (1u8, next, delay).encode(),
				Self::Forced(median, next, delay) => (2u8, median, next, delay).encode(),
			}
		}
	}

	#[test]
	fn finality_follows_an_authority_set_change_and_keeps_canonical_hashes() {
		let (node, blocks) = handover();
		let mut finality = Finality::new(Checkpoint::genesis(GENESIS, set(&[1, 2, 3, 4])), None);
		assert_eq!(run(finality.advance(&node)).unwrap(), (10, blocks[9].0));
		let c = finality.checkpoint();
		assert_eq!((c.set_id, &c.authorities, &c.pending), (1, &set(&[5, 6, 7, 8]), &None));
		for (i, (hash, _)) in blocks.iter().enumerate() {
			assert_eq!(run(finality.hash_of(&node, i as u32 + 1)).unwrap(), *hash);
		}
		assert!(run(finality.hash_of(&node, 11)).is_err(), "#11 is not final");
		// Nothing new: the same checkpoint.
		assert_eq!(run(finality.advance(&node)).unwrap(), (10, blocks[9].0));
	}

	#[test]
	fn the_old_set_past_its_last_block_is_refused() {
		let (mut node, blocks) = handover();
		// Block 10 "justified" by set 0, and block 4's justification withheld.
		node.justifications.remove(&blocks[3].0);
		let mut finality = Finality::new(Checkpoint::genesis(GENESIS, set(&[1, 2, 3, 4])), None);
		let e = finality_error(run(finality.advance(&node)));
		assert_eq!(e, FinalityError::NoProof { block: 4, node_head: 10 });
		// The new set signing the hand-over block itself is not the old set.
		node.justifications.insert(blocks[3].0, justify(&[5, 6, 7], 1, (blocks[3].0, 4)).encode());
		assert!(matches!(finality_error(run(finality.advance(&node))), FinalityError::Forged(_)));
		assert_eq!(finality.checkpoint().number, 0, "nothing believed");
	}

	#[test]
	fn lies_about_the_head_are_refused_by_name_and_change_nothing() {
		let (node, blocks) = handover();
		let mut finality = Finality::new(Checkpoint::genesis(GENESIS, set(&[1, 2, 3, 4])), None);
		run(finality.advance(&node)).unwrap();
		let before = finality.checkpoint().clone();
		// A stale head.
		let mut stale = Node { head: blocks[2].0, ..Default::default() };
		stale.add(&blocks);
		assert_eq!(
			finality_error(run(finality.advance(&stale))),
			FinalityError::Stale { served: 3, verified: 10 }
		);
		// Another chain from the same genesis, signed by the current set all the same.
		let other = chain(GENESIS, 12, 2, &[]);
		let mut forked = Node { head: other[11].0, ..Default::default() };
		forked.add(&other);
		forked
			.justifications
			.insert(other[11].0, justify(&[5, 6, 7], 1, (other[11].0, 12)).encode());
		assert!(matches!(
			finality_error(run(finality.advance(&forked))),
			FinalityError::OtherChain(_)
		));
		// Another block at the checkpoint's own height.
		let mut twin = Node { head: other[9].0, ..Default::default() };
		twin.add(&other);
		assert!(matches!(
			finality_error(run(finality.advance(&twin))),
			FinalityError::OtherChain(_)
		));
		assert_eq!(finality.checkpoint(), &before);
	}

	#[test]
	fn a_forced_change_is_refused_by_name() {
		let forced = ConsensusLogEncoded::Forced(1, set(&[5]), 0).encode();
		let blocks = chain(GENESIS, 3, 1, &[(2, forced)]);
		let mut node = Node { head: blocks[2].0, ..Default::default() };
		node.add(&blocks);
		node.justifications.insert(blocks[2].0, justify(&[1], 0, (blocks[2].0, 3)).encode());
		let mut finality = Finality::new(Checkpoint::genesis(GENESIS, set(&[1])), None);
		assert!(matches!(
			finality_error(run(finality.advance(&node))),
			FinalityError::SetChange(_)
		));
	}

	#[test]
	fn the_checkpoint_survives_a_restart() {
		let (node, blocks) = handover();
		let dir = std::env::temp_dir().join(format!("finality-{}", std::process::id()));
		std::fs::create_dir_all(&dir).unwrap();
		let store = dir.join("finality.scale");
		let genesis = Checkpoint::genesis(GENESIS, set(&[1, 2, 3, 4]));
		let mut finality = Finality::load(store.clone(), GENESIS, genesis.clone());
		run(finality.advance(&node)).unwrap();
		let mut restarted = Finality::load(store.clone(), GENESIS, genesis.clone());
		assert_eq!(restarted.checkpoint().hash, blocks[9].0);
		assert_eq!(restarted.checkpoint().set_id, 1);
		// The final blocks' hashes come back from the file: a node that serves nothing is
		// not asked.
		let silent = Node::default();
		for (i, (hash, _)) in blocks.iter().enumerate() {
			assert_eq!(run(restarted.hash_of(&silent, i as u32 + 1)).unwrap(), *hash);
		}
		// A crash after the hashes were appended but before the checkpoint moved: the file is
		// read up to the checkpoint's own hash.
		let mut more = Node::default();
		let next = chain(blocks[9].0, 3, 1, &[]);
		let next: Vec<(H256, Header)> = next
			.into_iter()
			.map(|(_, mut h)| {
				h.number += 10;
				h
			})
			.scan(blocks[9].0, |parent, mut h| {
				h.parent_hash = *parent;
				*parent = hash(&h);
				Some((*parent, h))
			})
			.collect();
		more.add(&blocks);
		more.add(&next);
		more.head = next[2].0;
		more.justifications.insert(next[2].0, justify(&[5, 6, 7], 1, (next[2].0, 13)).encode());
		let kept_checkpoint = std::fs::read(&store).unwrap();
		run(restarted.advance(&more)).unwrap();
		std::fs::write(&store, kept_checkpoint).unwrap();
		let mut crashed = Finality::load(store.clone(), GENESIS, genesis.clone());
		assert_eq!(crashed.checkpoint().number, 10);
		assert_eq!(run(crashed.hash_of(&silent, 3)).unwrap(), blocks[2].0);
		assert!(run(crashed.hash_of(&silent, 11)).is_err(), "#11 is past the checkpoint");
		// It moves on, and the file is whole again.
		run(crashed.advance(&more)).unwrap();
		let mut again = Finality::load(store.clone(), GENESIS, genesis.clone());
		for (n, hash) in blocks.iter().chain(&next).map(|(h, _)| *h).enumerate() {
			assert_eq!(run(again.hash_of(&silent, n as u32 + 1)).unwrap(), hash);
		}
		// Another chain's file is not this chain's checkpoint.
		let other = Finality::load(store, H256::repeat_byte(1), genesis.clone());
		assert_eq!(other.checkpoint(), &genesis);
		let _ = std::fs::remove_dir_all(dir);
	}

	/// The chain specs' GRANDPA authorities are the well-known development keys, derived here by
	/// sp-core from their secret URIs.
	#[test]
	fn the_chain_specs_name_their_grandpa_authorities() {
		let key = |s: &str| (ed25519::Pair::from_string(s, None).unwrap().public(), 1u64);
		let spec = |name: &str| {
			let path = manifest_dir().join(format!("../chain-specs/{name}-raw.json"));
			Genesis::of_spec(&std::fs::read_to_string(path).unwrap()).unwrap()
		};
		assert_eq!(spec("dev").authorities, vec![key("//Alice")]);
		assert_eq!(
			spec("local").authorities,
			["//Alice", "//Bob", "//Charlie", "//Dave"].map(key).to_vec()
		);
		assert!(Genesis::of_spec("{}").unwrap_err().contains("not a raw chain spec"));
		let plain = manifest_dir().join("../chain-specs/dev.json");
		assert!(Genesis::of_spec(&std::fs::read_to_string(plain).unwrap()).is_err());
	}

	/// A justification a real dev node's voter signed verifies under the authority the dev chain
	/// spec names, and only as set 0's, unchanged.
	#[test]
	fn a_real_nodes_justification_verifies_under_the_chain_specs_authority() {
		let root = manifest_dir();
		let fixture: serde_json::Value = serde_json::from_str(
			&std::fs::read_to_string(root.join("src/testdata/dev-justification.json")).unwrap(),
		)
		.unwrap();
		let spec = std::fs::read_to_string(root.join("../chain-specs/dev-raw.json")).unwrap();
		let alice = Genesis::of_spec(&spec).unwrap().authorities;
		let bytes =
			epichain_primitives::hex0x::decode(fixture["justification"].as_str().unwrap()).unwrap();
		let block: H256 = serde_json::from_value(fixture["hash"].clone()).unwrap();
		let number = fixture["number"].as_u64().unwrap() as u32;
		assert_eq!(verify_justification(0, &alice, &bytes), Ok((block, number)));
		assert!(matches!(verify_justification(1, &alice, &bytes), Err(FinalityError::Forged(_))));
		for i in [8, 50, 100, 140] {
			let mut changed = bytes.clone();
			changed[i] ^= 1;
			assert!(verify_justification(0, &alice, &changed).is_err(), "byte {i} changed");
		}
	}
}

//! Pull queries sealed to the matcher enclave (std only), so the host that carries them reads
//! neither the question nor the answer.
//!
//! A user proves control of their daily pseudonyms (signatures over
//! [`query_message`](crate::signing::query_message)) and asks the enclave for their own
//! exposures. The proofs name the pseudonyms, so they must not travel in clear through the
//! matcher's host: the query is sealed to the enclave's current sealing key with a one-time
//! key of the user's, and the answer is sealed back under a key only the two of them derive.
//!
//! ```text
//! shared  = X25519(user's one-time secret u, matcher sealing key M)     (== X25519(m, U))
//! keys    = HKDF-SHA256(salt = QUERY_SALT, ikm = shared, info = QUERY_INFO || genesis || U || M)
//!           -> 64 bytes: query key || reply key
//! query   = AES-256-GCM(query key, nonce = 0, aad = QUERY_AAD, SCALE(QueryPlain))
//! reply   = AES-256-GCM(reply key, nonce = 0, aad = REPLY_AAD, answer)
//! ```
//!
//! Each key encrypts one message under a fresh one-time key, so the zero nonce never repeats
//! under a key. [`QueryPlain::nonce`] is what the enclave remembers to refuse a replayed query.

use aes_gcm::{
	aead::{Aead, KeyInit, Payload},
	Aes256Gcm, Nonce,
};
use codec::{Decode, DecodeAll, Encode};
use hkdf::Hkdf;
use sha2::Sha256;
use x25519_dalek::{PublicKey, StaticSecret};
use zeroize::Zeroizing;

use crate::{
	csi::X25519Public,
	pseudonym::{DeviceSeed, Pseudonym, PseudonymSignature},
	sealing::{SealError, SealingSecret},
	DayIndex,
};

/// HKDF salt of the query keys (domain separation).
pub const QUERY_SALT: &[u8] = b"epichain/matcher-query-seal/v1";
/// HKDF info prefix of the query keys; the genesis hash and both public keys follow it.
pub const QUERY_INFO: &[u8] = b"epichain/matcher-query-keys";
/// AES-GCM associated data of a sealed query.
pub const QUERY_AAD: &[u8] = b"epichain/matcher-query";
/// AES-GCM associated data of a sealed reply.
pub const REPLY_AAD: &[u8] = b"epichain/matcher-reply";

/// One proof of control: a daily pseudonym and its signature over the query message.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct QueryProof {
	/// The pseudonym's day.
	pub day: DayIndex,
	/// The pseudonym.
	pub pseudonym: Pseudonym,
	/// Its signature over [`query_message`](crate::signing::query_message).
	pub signature: PseudonymSignature,
}

/// What a sealed query says.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct QueryPlain {
	/// Unix second the proofs were made at (the signed message names it).
	pub issued_at: u64,
	/// Random bytes the enclave refuses to see twice.
	pub nonce: [u8; 16],
	/// The proofs.
	pub proofs: Vec<QueryProof>,
}

impl QueryPlain {
	/// The query device `seed` makes at unix second `issued_at` to the matcher whose signing
	/// key is `matcher` on chain `genesis`: for each day of `days`, that day's pseudonym and its
	/// signature over [`query_message`](crate::signing::query_message), and a fresh random
	/// nonce.
	pub fn prove(
		seed: &DeviceSeed,
		genesis: &[u8; 32],
		matcher: &[u8; 32],
		issued_at: u64,
		days: core::ops::RangeInclusive<DayIndex>,
	) -> Self {
		let message = crate::signing::query_message(genesis, matcher, issued_at);
		let proofs = days
			.map(|day| {
				let key = seed.pseudonym_key(day);
				QueryProof { day, pseudonym: key.public(), signature: key.sign(&message) }
			})
			.collect();
		let mut nonce = [0u8; 16];
		rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut nonce);
		Self { issued_at, nonce, proofs }
	}
}

/// A sealed query, as the host carries it.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct SealedQuery {
	/// The matcher sealing key it is sealed to (the enclave's current one).
	pub sealing_key: X25519Public,
	/// The user's one-time public key.
	pub ephemeral: X25519Public,
	/// AES-256-GCM of the SCALE-encoded [`QueryPlain`].
	pub ciphertext: Vec<u8>,
}

/// The user's side after sealing: opens the enclave's reply.
pub struct ReplyOpener(Aes256Gcm);

/// The enclave's side after opening: seals the reply.
pub struct ReplySealer(Aes256Gcm);

fn zero_nonce() -> Nonce<aes_gcm::aead::consts::U12> {
	[0u8; 12].into()
}

/// The query key and the reply key of one exchange.
fn keys(
	shared: &[u8; 32],
	genesis: &[u8; 32],
	ephemeral: &X25519Public,
	matcher: &X25519Public,
) -> (Aes256Gcm, Aes256Gcm) {
	let info = [QUERY_INFO, genesis, ephemeral, matcher].concat();
	let mut okm = Zeroizing::new([0u8; 64]);
	Hkdf::<Sha256>::new(Some(QUERY_SALT), shared)
		.expand(&info, okm.as_mut())
		.expect("64 <= 255 * HashLen; qed");
	let cipher = |k: &[u8]| Aes256Gcm::new_from_slice(k).expect("AES-256 takes a 32-byte key; qed");
	(cipher(&okm[..32]), cipher(&okm[32..]))
}

/// Seals `query` for chain `genesis` to the matcher sealing key `matcher`, with a fresh
/// one-time key; returns the sealed query and the opener of its reply.
pub fn seal_query(
	genesis: &[u8; 32],
	matcher: &X25519Public,
	query: &QueryPlain,
) -> Result<(SealedQuery, ReplyOpener), SealError> {
	let secret = StaticSecret::random_from_rng(rand_core::OsRng);
	let ephemeral = PublicKey::from(&secret).to_bytes();
	let shared = secret.diffie_hellman(&PublicKey::from(*matcher));
	if !shared.was_contributory() {
		return Err(SealError::WeakKey);
	}
	let (query_key, reply_key) = keys(shared.as_bytes(), genesis, &ephemeral, matcher);
	let plain = Zeroizing::new(query.encode());
	let ciphertext = query_key
		.encrypt(&zero_nonce(), Payload { msg: &plain, aad: QUERY_AAD })
		.map_err(|_| SealError::TooManyEntries)?;
	Ok((SealedQuery { sealing_key: *matcher, ephemeral, ciphertext }, ReplyOpener(reply_key)))
}

impl SealingSecret {
	/// Opens a query sealed to this key for chain `genesis`; returns it and the sealer of its
	/// reply.
	pub fn open_query(
		&self,
		genesis: &[u8; 32],
		sealed: &SealedQuery,
	) -> Result<(QueryPlain, ReplySealer), SealError> {
		let shared = self.diffie_hellman(&sealed.ephemeral).ok_or(SealError::WeakKey)?;
		let (query_key, reply_key) = keys(&shared, genesis, &sealed.ephemeral, &self.public());
		let plain = Zeroizing::new(
			query_key
				.decrypt(&zero_nonce(), Payload { msg: &sealed.ciphertext, aad: QUERY_AAD })
				.map_err(|_| SealError::Unauthentic)?,
		);
		let query = QueryPlain::decode_all(&mut &plain[..]).map_err(|_| SealError::Unauthentic)?;
		Ok((query, ReplySealer(reply_key)))
	}
}

impl ReplySealer {
	/// Seals the reply.
	pub fn seal(&self, answer: &[u8]) -> Vec<u8> {
		self.0
			.encrypt(&zero_nonce(), Payload { msg: answer, aad: REPLY_AAD })
			.expect("AES-GCM encrypts any message shorter than 64 GiB")
	}
}

impl ReplyOpener {
	/// Opens the enclave's reply.
	pub fn open(&self, reply: &[u8]) -> Result<Vec<u8>, SealError> {
		self.0
			.decrypt(&zero_nonce(), Payload { msg: reply, aad: REPLY_AAD })
			.map_err(|_| SealError::Unauthentic)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	const GENESIS: [u8; 32] = [7; 32];

	fn query() -> QueryPlain {
		QueryPlain {
			issued_at: 1_795_251_600,
			nonce: [3; 16],
			proofs: vec![QueryProof { day: 20_778, pseudonym: [1; 32], signature: [2; 64] }],
		}
	}

	#[test]
	fn only_the_enclave_opens_a_query_and_only_the_user_its_reply() {
		let enclave = SealingSecret::generate();
		let (sealed, opener) = seal_query(&GENESIS, &enclave.public(), &query()).unwrap();
		// The host sees no pseudonym.
		assert!(!sealed.ciphertext.windows(32).any(|w| w == [1; 32]));
		let (opened, sealer) = enclave.open_query(&GENESIS, &sealed).unwrap();
		assert_eq!(opened, query());
		let reply = sealer.seal(b"{\"verified\":1}");
		assert_eq!(opener.open(&reply).unwrap(), b"{\"verified\":1}");
		// Another enclave key, another chain, or one changed bit: refused by name.
		let other = SealingSecret::generate();
		assert!(matches!(other.open_query(&GENESIS, &sealed), Err(SealError::Unauthentic)));
		assert!(matches!(enclave.open_query(&[8; 32], &sealed), Err(SealError::Unauthentic)));
		let mut bad = sealed.clone();
		bad.ciphertext[0] ^= 1;
		assert!(matches!(enclave.open_query(&GENESIS, &bad), Err(SealError::Unauthentic)));
		let mut bad_reply = reply.clone();
		bad_reply[0] ^= 1;
		assert_eq!(opener.open(&bad_reply), Err(SealError::Unauthentic));
		// A low-order one-time key is refused before any decryption.
		let weak = SealedQuery { ephemeral: [0; 32], ..sealed };
		assert!(matches!(enclave.open_query(&GENESIS, &weak), Err(SealError::WeakKey)));
	}

	/// The keys are HKDF-SHA256 over the X25519 secret with the documented salt and info, and
	/// the query is AES-256-GCM under the first half: rebuilt here from the RustCrypto parts.
	#[test]
	fn the_query_is_sealed_as_documented() {
		let enclave = SealingSecret::generate();
		let (sealed, _) = seal_query(&GENESIS, &enclave.public(), &query()).unwrap();
		let shared = enclave.diffie_hellman(&sealed.ephemeral).unwrap();
		let shared: &[u8] = &shared[..];
		let mut info = b"epichain/matcher-query-keys".to_vec();
		info.extend_from_slice(&GENESIS);
		info.extend_from_slice(&sealed.ephemeral);
		info.extend_from_slice(&enclave.public());
		let mut okm = [0u8; 64];
		Hkdf::<Sha256>::new(Some(b"epichain/matcher-query-seal/v1"), shared)
			.expand(&info, &mut okm)
			.unwrap();
		let plain = Aes256Gcm::new_from_slice(&okm[..32])
			.unwrap()
			.decrypt(
				&[0u8; 12].into(),
				Payload { msg: &sealed.ciphertext, aad: b"epichain/matcher-query" },
			)
			.unwrap();
		let mut want = 1_795_251_600u64.to_le_bytes().to_vec();
		want.extend_from_slice(&[3; 16]);
		want.push(4); // compact length 1
		want.extend_from_slice(&20_778u32.to_le_bytes());
		want.extend_from_slice(&[1; 32]);
		want.extend_from_slice(&[2; 64]);
		assert_eq!(plain, want);
	}
}

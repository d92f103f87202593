//! Key provisioning between replicas: a new replica of a matcher receives the matcher's keys
//! from a running replica, enclave to enclave, after proving its attestation. The host and the
//! operator carry the messages and never hold a key.
//!
//! ```text
//! newcomer (inside its enclave)       one-time X25519 secret r, R = r·G
//!   evidence  = attestation whose report data is matcher_report_data(S, R)
//!               (S: the signing key of the matcher whose keys it asks for)
//!   request   = SCALE(ProvisionRequest { matcher: S, recipient: R, evidence })
//! running replica (inside its enclave)
//!   checks    request.matcher == its own signing key S               (NotThisMatcher)
//!             epichain_attestation::admit(evidence, S, R, the chain's policy,
//!             the chain's SimulationAllowed, the chain's clock)     (Refused(<Refusal>))
//!   shared    = X25519(one-time e, R)
//!   key       = HKDF-SHA256(salt = PROVISION_SALT, ikm = shared,
//!                           info = PROVISION_INFO || genesis || S || E || R)
//!   keys      = AES-256-GCM(key, nonce = 0, aad = PROVISION_AAD, SCALE(State))
//! newcomer
//!   opens with r; the signing key inside must be S and every epoch's secret must be its
//!   listed public key's (Unauthentic, NotThisMatcher, InconsistentKeys)
//! ```
//!
//! **Why the answer needs no signature.** Anyone can seal to R, but the plaintext carries S's
//! secret: only a holder of the registered matcher's signing key can produce a package the
//! newcomer accepts (it checks the key inside against S, and the host checks S against the
//! chain's registry). **Why the request binds S and R** with the same report data a
//! registration binds ([`matcher_report_data`]): the same rule, in [`admit`], admits a
//! matcher's keys to the chain and a replica to the keys. A registration quote replayed as a
//! request names the matcher's own sealing key as recipient, which only that enclave can open;
//! a request replayed to the chain would register a key whose secret only the attested
//! newcomer holds.
//!
//! Each package is sealed under a fresh one-time key, so the zero nonce never repeats.

use bounded_collections::{BoundedVec, ConstU32};
use codec::{Decode, DecodeAll, Encode};
use ed25519_dalek::SigningKey;
use epichain_attestation::{admit, Admitted, Evidence, Policy, Refusal};
use epichain_primitives::{csi::X25519Public, signing::matcher_report_data};
use hkdf::Hkdf;
use sha2::Sha256;
use x25519_dalek::{PublicKey, StaticSecret};
use zeroize::Zeroizing;

use crate::sealed::State;

/// HKDF salt of the package key (domain separation).
pub const PROVISION_SALT: &[u8] = b"epichain/matcher-provision-seal/v1";
/// HKDF info prefix of the package key; the genesis hash and the three public keys follow it.
pub const PROVISION_INFO: &[u8] = b"epichain/matcher-provision-key";
/// AES-GCM associated data of a sealed package.
pub const PROVISION_AAD: &[u8] = b"epichain/matcher-provision";

/// Most bytes of a sealed package: a signing key and a few hundred epochs.
pub const MAX_PACKAGE_BYTES: u32 = 64 * 1024;

/// A new replica's request for the keys of matcher `matcher` (SCALE, as `POST /v1/provision`
/// carries it).
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct ProvisionRequest {
	/// The signing key of the matcher whose keys are asked for.
	pub matcher: [u8; 32],
	/// The newcomer's one-time X25519 key the keys are sealed to.
	pub recipient: X25519Public,
	/// The newcomer's attestation, its report data binding `matcher` and `recipient`.
	pub evidence: Evidence,
}

/// The matcher's keys sealed to one newcomer (SCALE, the answer to `POST /v1/provision`).
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct SealedKeys {
	/// The running replica's one-time X25519 key.
	pub ephemeral: X25519Public,
	/// AES-256-GCM of the SCALE-encoded [`State`].
	pub ciphertext: BoundedVec<u8, ConstU32<MAX_PACKAGE_BYTES>>,
}

/// Why keys were not handed over, or not taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProvisionError {
	/// The request names another matcher's signing key, or the package holds another
	/// matcher's keys.
	NotThisMatcher,
	/// The newcomer's attestation is refused by the region's rule.
	Refused(Refusal),
	/// The package does not open with the newcomer's key: changed, or sealed to another
	/// request, or for another chain.
	Unauthentic,
	/// The package opens but a sealing secret is not its epoch's public key's.
	InconsistentKeys,
	/// The package opens but does not decode, or is larger than [`MAX_PACKAGE_BYTES`].
	Malformed,
	/// A one-time key is a low-order point.
	WeakKey,
	/// The keys were taken but could not be sealed to the enclave's store: not used, since a
	/// crash would lose them.
	NotSealed,
}

impl ProvisionError {
	/// The error's name, as the service and the log report it.
	pub fn name(self) -> &'static str {
		match self {
			ProvisionError::NotThisMatcher => "NotThisMatcher",
			ProvisionError::Refused(r) => refusal_name(r),
			ProvisionError::Unauthentic => "UnauthenticKeys",
			ProvisionError::InconsistentKeys => "InconsistentKeys",
			ProvisionError::Malformed => "MalformedKeys",
			ProvisionError::WeakKey => "WeakKey",
			ProvisionError::NotSealed => "NotSealed",
		}
	}
}

/// The name of an attestation refusal (the pallet's error of the same name).
pub fn refusal_name(r: Refusal) -> &'static str {
	match r {
		Refusal::SimulationNotAllowed => "SimulationNotAllowed",
		Refusal::QuoteInvalid => "QuoteInvalid",
		Refusal::CollateralMalformed => "CollateralMalformed",
		Refusal::CollateralExpired => "CollateralExpired",
		Refusal::CollateralNotYetValid => "CollateralNotYetValid",
		Refusal::TcbStatusRefused => "TcbStatusRefused",
		Refusal::MeasurementNotAllowed => "MeasurementNotAllowed",
		Refusal::ReportDataMismatch => "ReportDataMismatch",
	}
}

impl std::fmt::Display for ProvisionError {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		let why = match self {
			ProvisionError::NotThisMatcher => "the keys asked for are another matcher's",
			ProvisionError::Refused(_) => "the newcomer's attestation is refused",
			ProvisionError::Unauthentic => "the sealed keys do not open with this request's key",
			ProvisionError::InconsistentKeys => "a sealing secret is not its epoch's key",
			ProvisionError::Malformed => "the sealed keys do not decode",
			ProvisionError::WeakKey => "a one-time key is a low-order point",
			ProvisionError::NotSealed => "the keys could not be sealed to the enclave's store",
		};
		write!(f, "{}: {why}", self.name())
	}
}

impl std::error::Error for ProvisionError {}

/// The package key of one exchange.
fn package_cipher(
	shared: &[u8; 32],
	genesis: &[u8; 32],
	matcher: &[u8; 32],
	ephemeral: &X25519Public,
	recipient: &X25519Public,
) -> aes_gcm::Aes256Gcm {
	use aes_gcm::KeyInit;
	let info = [PROVISION_INFO, genesis, matcher, ephemeral, recipient].concat();
	let mut okm = Zeroizing::new([0u8; 32]);
	Hkdf::<Sha256>::new(Some(PROVISION_SALT), shared)
		.expand(&info, okm.as_mut())
		.expect("32 <= 255 * HashLen; qed");
	aes_gcm::Aes256Gcm::new_from_slice(&okm[..]).expect("AES-256 takes a 32-byte key; qed")
}

fn zero_nonce() -> aes_gcm::Nonce<aes_gcm::aead::consts::U12> {
	[0u8; 12].into()
}

/// The running replica's side: admits `request` for the matcher whose state is `state` under
/// the region's `policy` at the chain's unix second `now`, and seals `state` to the newcomer.
/// Returns what the newcomer's attestation was admitted as.
pub fn seal_for(
	genesis: &[u8; 32],
	state: &State,
	request: &ProvisionRequest,
	policy: &Policy,
	simulation_allowed: bool,
	now: u64,
) -> Result<(SealedKeys, Admitted), ProvisionError> {
	use aes_gcm::aead::{Aead, Payload};
	let matcher = SigningKey::from_bytes(&state.signing).verifying_key().to_bytes();
	if request.matcher != matcher {
		return Err(ProvisionError::NotThisMatcher);
	}
	let admitted = admit(
		&request.evidence,
		&request.matcher,
		&request.recipient,
		policy,
		simulation_allowed,
		now,
	)
	.map_err(ProvisionError::Refused)?;
	let secret = StaticSecret::random_from_rng(rand_core::OsRng);
	let ephemeral = PublicKey::from(&secret).to_bytes();
	let shared = secret.diffie_hellman(&PublicKey::from(request.recipient));
	if !shared.was_contributory() {
		return Err(ProvisionError::WeakKey);
	}
	let cipher =
		package_cipher(shared.as_bytes(), genesis, &matcher, &ephemeral, &request.recipient);
	let plain = Zeroizing::new(state.encode());
	let ciphertext = cipher
		.encrypt(&zero_nonce(), Payload { msg: &plain, aad: PROVISION_AAD })
		.expect("AES-GCM encrypts any message shorter than 64 GiB");
	let ciphertext = BoundedVec::try_from(ciphertext).map_err(|_| ProvisionError::Malformed)?;
	Ok((SealedKeys { ephemeral, ciphertext }, admitted))
}

/// The newcomer's side: a one-time key, made and kept inside its enclave, for one request.
pub struct Newcomer {
	genesis: [u8; 32],
	matcher: [u8; 32],
	secret: StaticSecret,
}

impl Newcomer {
	/// A newcomer asking for the keys of the matcher with signing key `matcher` on chain
	/// `genesis`.
	pub fn new(genesis: [u8; 32], matcher: [u8; 32]) -> Self {
		Self { genesis, matcher, secret: StaticSecret::random_from_rng(rand_core::OsRng) }
	}

	/// The one-time key the keys are sealed to.
	pub fn recipient(&self) -> X25519Public {
		PublicKey::from(&self.secret).to_bytes()
	}

	/// What the newcomer's attestation must put in its report data (the first 32 bytes).
	pub fn report_data(&self) -> [u8; 32] {
		matcher_report_data(&self.matcher, &self.recipient())
	}

	/// The request, with `evidence` binding [`Newcomer::report_data`].
	pub fn request(&self, evidence: Evidence) -> ProvisionRequest {
		ProvisionRequest { matcher: self.matcher, recipient: self.recipient(), evidence }
	}

	/// Opens the running replica's answer: the matcher's state, checked to be the asked-for
	/// matcher's and self-consistent. The one-time key is spent either way.
	pub fn accept(self, sealed: &SealedKeys) -> Result<State, ProvisionError> {
		use aes_gcm::aead::{Aead, Payload};
		let shared = self.secret.diffie_hellman(&PublicKey::from(sealed.ephemeral));
		if !shared.was_contributory() {
			return Err(ProvisionError::WeakKey);
		}
		let cipher = package_cipher(
			shared.as_bytes(),
			&self.genesis,
			&self.matcher,
			&sealed.ephemeral,
			&self.recipient(),
		);
		let plain = Zeroizing::new(
			cipher
				.decrypt(&zero_nonce(), Payload { msg: &sealed.ciphertext, aad: PROVISION_AAD })
				.map_err(|_| ProvisionError::Unauthentic)?,
		);
		let state = State::decode_all(&mut &plain[..]).map_err(|_| ProvisionError::Malformed)?;
		if SigningKey::from_bytes(&state.signing).verifying_key().to_bytes() != self.matcher {
			return Err(ProvisionError::NotThisMatcher);
		}
		let consistent = state.epochs.iter().all(|e| {
			e.secret.is_none_or(|s| PublicKey::from(&StaticSecret::from(s)).to_bytes() == e.public)
		});
		if !consistent {
			return Err(ProvisionError::InconsistentKeys);
		}
		Ok(state)
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::sealed::SealedEpoch;
	use epichain_attestation::{samples, Tee};

	const GENESIS: [u8; 32] = [7; 32];

	fn state() -> State {
		let live = StaticSecret::from([5u8; 32]);
		State {
			signing: [9; 32],
			epochs: vec![
				SealedEpoch { number: 0, public: [1; 32], created_at: 100, secret: None },
				SealedEpoch {
					number: 1,
					public: PublicKey::from(&live).to_bytes(),
					created_at: 200,
					secret: Some([5; 32]),
				},
			],
		}
	}

	fn matcher() -> [u8; 32] {
		SigningKey::from_bytes(&[9; 32]).verifying_key().to_bytes()
	}

	fn simulation() -> Evidence {
		Evidence::Simulation { measurement: crate::simulation_measurement() }
	}

	#[test]
	fn an_admitted_newcomer_receives_the_matchers_keys_and_nobody_else_can_open_them() {
		let newcomer = Newcomer::new(GENESIS, matcher());
		let request = newcomer.request(simulation());
		let (sealed, admitted) =
			seal_for(&GENESIS, &state(), &request, &Policy::default(), true, 0).unwrap();
		assert_eq!(admitted.tee, Tee::Simulation);
		// Another newcomer's key does not open it.
		let stranger = Newcomer::new(GENESIS, matcher());
		assert_eq!(stranger.accept(&sealed).unwrap_err(), ProvisionError::Unauthentic);
		// Nor the right key on another chain.
		let elsewhere = Newcomer { genesis: [8; 32], ..newcomer };
		let newcomer = Newcomer::new(GENESIS, matcher());
		let (sealed_again, _) = seal_for(
			&GENESIS,
			&state(),
			&newcomer.request(simulation()),
			&Policy::default(),
			true,
			0,
		)
		.unwrap();
		assert_eq!(elsewhere.accept(&sealed).unwrap_err(), ProvisionError::Unauthentic);
		assert_eq!(newcomer.accept(&sealed_again).unwrap(), state());
	}

	#[test]
	fn a_changed_byte_of_the_package_is_refused() {
		for at in [0, 17, 40] {
			let newcomer = Newcomer::new(GENESIS, matcher());
			let request = newcomer.request(simulation());
			let (mut sealed, _) =
				seal_for(&GENESIS, &state(), &request, &Policy::default(), true, 0).unwrap();
			sealed.ciphertext[at] ^= 1;
			assert_eq!(newcomer.accept(&sealed).unwrap_err(), ProvisionError::Unauthentic);
		}
	}

	#[test]
	fn a_request_for_another_matchers_keys_is_refused() {
		let newcomer = Newcomer::new(GENESIS, [3; 32]);
		let request = newcomer.request(simulation());
		assert_eq!(
			seal_for(&GENESIS, &state(), &request, &Policy::default(), true, 0).unwrap_err(),
			ProvisionError::NotThisMatcher
		);
	}

	#[test]
	fn simulation_is_refused_where_the_region_does_not_allow_it() {
		let newcomer = Newcomer::new(GENESIS, matcher());
		let request = newcomer.request(simulation());
		let refused = seal_for(&GENESIS, &state(), &request, &Policy::default(), false, 0);
		assert_eq!(refused.unwrap_err(), ProvisionError::Refused(Refusal::SimulationNotAllowed));
		assert_eq!(
			ProvisionError::Refused(Refusal::SimulationNotAllowed).name(),
			"SimulationNotAllowed"
		);
	}

	/// Intel's real TDX quote, under a policy that accepts its platform and measurement, goes
	/// through every check up to the binding: its report data binds no newcomer's key.
	#[test]
	fn a_real_quote_that_does_not_bind_the_newcomers_key_is_refused_by_name() {
		let collateral = samples::tdx_collateral();
		let quoted =
			epichain_attestation::verify_quote(samples::TDX_QUOTE, &collateral, samples::IN_DATE)
				.unwrap();
		let policy = Policy {
			measurements: vec![quoted.measurement].try_into().unwrap(),
			..Policy::default()
		};
		let newcomer = Newcomer::new(GENESIS, matcher());
		let evidence =
			Evidence::Dcap { quote: samples::TDX_QUOTE.to_vec().try_into().unwrap(), collateral };
		let request = newcomer.request(evidence.clone());
		assert_eq!(
			seal_for(&GENESIS, &state(), &request, &policy, false, samples::IN_DATE).unwrap_err(),
			ProvisionError::Refused(Refusal::ReportDataMismatch)
		);
		// Off the allow-list it is refused before the binding.
		assert_eq!(
			seal_for(&GENESIS, &state(), &request, &Policy::default(), false, samples::IN_DATE)
				.unwrap_err(),
			ProvisionError::Refused(Refusal::MeasurementNotAllowed)
		);
	}

	#[test]
	fn a_package_whose_secret_is_not_its_epochs_key_is_refused() {
		let mut lying = state();
		lying.epochs[1].public = [2; 32];
		let newcomer = Newcomer::new(GENESIS, matcher());
		let request = newcomer.request(simulation());
		let (sealed, _) =
			seal_for(&GENESIS, &lying, &request, &Policy::default(), true, 0).unwrap();
		assert_eq!(newcomer.accept(&sealed).unwrap_err(), ProvisionError::InconsistentKeys);
	}

	/// The package key rebuilt here from the layout above, by concatenation, with
	/// x25519-dalek's and RustCrypto's own primitives: a change of domain or order fails.
	#[test]
	fn the_package_key_is_the_documented_derivation() {
		use aes_gcm::aead::{Aead, KeyInit, Payload};
		let newcomer = Newcomer::new(GENESIS, matcher());
		let r = newcomer.secret.to_bytes();
		let request = newcomer.request(simulation());
		let (sealed, _) =
			seal_for(&GENESIS, &state(), &request, &Policy::default(), true, 0).unwrap();
		let shared = StaticSecret::from(r).diffie_hellman(&PublicKey::from(sealed.ephemeral));
		let mut info = b"epichain/matcher-provision-key".to_vec();
		info.extend_from_slice(&GENESIS);
		info.extend_from_slice(&matcher());
		info.extend_from_slice(&sealed.ephemeral);
		info.extend_from_slice(&request.recipient);
		let mut key = [0u8; 32];
		Hkdf::<Sha256>::new(Some(b"epichain/matcher-provision-seal/v1"), shared.as_bytes())
			.expand(&info, &mut key)
			.unwrap();
		let plain = aes_gcm::Aes256Gcm::new_from_slice(&key)
			.unwrap()
			.decrypt(
				&[0u8; 12].into(),
				Payload { msg: &sealed.ciphertext, aad: b"epichain/matcher-provision" },
			)
			.unwrap();
		assert_eq!(plain, state().encode());
	}
}

//! Getting the enclave's keys onto the chain.
//!
//! On a live chain the health authority registers the matcher after checking its attestation:
//! the service prints exactly what to register and waits until it is. On a development or
//! local chain the service may be given the authority's key (`--authority-suri`, the sudo key)
//! and registers itself, and rotates its sealing key at every new epoch.

use std::time::Duration;

use epichain_api::runtime::{
	self, runtime_types::pallet_matchers::pallet::Call as MatchersCall, Call,
};
use epichain_primitives::csi::X25519Public;
use subxt::{config::DefaultExtrinsicParamsBuilder as Params, tx::Payload, utils::Static};
use subxt_signer::sr25519::Keypair;

use epichain_attestation::Evidence;
use epichain_enclave::{Attestation, Enclave};

use crate::chain::{node_error, At, Chain, ChainError, ChainResult, Config, H256};

/// A matcher's id in the registry.
pub type MatcherId = u32;

/// Registers and rotates the enclave's keys.
pub struct Registrar {
	chain: Chain,
	authority: Option<Keypair>,
	validity_secs: u64,
}

/// Parses the dev authority's secret URI (`//Alice`, a mnemonic, 0x-seed).
pub fn parse_suri(suri: &str) -> Result<Keypair, String> {
	let uri: subxt_signer::SecretUri =
		suri.parse().map_err(|e| format!("--authority-suri: not a secret URI: {e}"))?;
	Keypair::from_uri(&uri).map_err(|e| format!("--authority-suri: {e}"))
}

impl Registrar {
	/// A registrar on `chain`; `authority` is refused unless the chain is a development or
	/// local one.
	pub async fn new(
		chain: Chain,
		authority: Option<Keypair>,
		validity_secs: u64,
	) -> Result<Self, String> {
		if authority.is_some() {
			let kind = chain.chain_type().await.map_err(|e| e.to_string())?;
			if kind != "Development" && kind != "Local" {
				return Err(format!(
					"--authority-suri is for development and local chains; this chain is {kind}. \
					 Give the attestation to the health authority instead."
				));
			}
		}
		Ok(Self { chain, authority, validity_secs })
	}

	// The registry is read from its storage, not through `MatchersApi`: a region still on a
	// runtime from before that API (spec 101) registers its matcher the same way.

	/// The matcher id of `signing_key` at `at`, if registered.
	pub async fn matcher_id(
		&self,
		signing_key: [u8; 32],
		at: &At,
	) -> ChainResult<Option<MatcherId>> {
		let by_signer = runtime::storage().matchers().matcher_by_signer();
		self.chain.fetch(at, by_signer, (signing_key,)).await
	}

	/// Matcher `id`'s current sealing key at the finalized head.
	pub async fn current_sealing_key(&self, id: MatcherId) -> ChainResult<Option<X25519Public>> {
		let at = self.chain.finalized().await?;
		let matchers = runtime::storage().matchers().matchers();
		let Some(info) = self.chain.fetch(&at, matchers, (id,)).await? else {
			return Ok(None);
		};
		let sealing_keys = runtime::storage().matchers().sealing_keys();
		let key = self.chain.fetch(&at, sealing_keys, (info.current_key,)).await?;
		Ok(key.map(|k| k.public))
	}

	/// The matchers that serve now or later at `at` (not revoked).
	async fn serving(&self, at: &At) -> ChainResult<Vec<MatcherId>> {
		let lineup = self.chain.fetch(at, runtime::storage().matchers().lineup(), ()).await?;
		let mut serving = Vec::new();
		for id in lineup.map(|l| l.0).unwrap_or_default() {
			let info =
				self.chain.fetch(at, runtime::storage().matchers().matchers(), (id,)).await?;
			if info.is_some_and(|m| !m.revoked) {
				serving.push(id);
			}
		}
		Ok(serving)
	}

	/// Waits until the enclave's signing key is registered (finalized), registering it first
	/// when an authority key was given; returns the matcher id.
	pub async fn ensure_registered(&self, enclave: &dyn Enclave) -> ChainResult<MatcherId> {
		let attestation = enclave.attestation();
		let mut waited = 0u32;
		loop {
			let head = self.chain.finalized().await?;
			let number = head.block_number();
			if let Some(id) = self.matcher_id(enclave.signing_key(), &head).await? {
				tracing::info!("registered on chain as matcher {id} (finalized block {number})");
				return Ok(id);
			}
			// Ask once, and again every minute in case the transaction was dropped.
			if waited.is_multiple_of(30) {
				let now = match self.authority {
					Some(_) => self.chain.now_secs(&head).await?,
					None => 0,
				};
				match &self.authority {
					// The chain's clock starts with block 1: wait for it.
					Some(authority) if now > 0 => {
						// A region has one matcher at a time. On a development chain an earlier
						// identity (a matcher started with --tmp, or whose sealed state was
						// moved aside) makes way for this one.
						for id in self.serving(&head).await? {
							tracing::warn!(
								"revoking matcher {id}, an earlier identity on this chain: a \
								 region has one matcher at a time"
							);
							let revoke =
								Call::Matchers(MatchersCall::revoke_matcher { matcher: id });
							self.sudo(authority, runtime::tx().sudo().sudo(revoke)).await?;
						}
						if call_takes(&head, "register_matcher", "evidence") {
							let call = register_call(&attestation, now, self.validity_secs)?;
							self.sudo(authority, runtime::tx().sudo().sudo(call)).await?;
						} else {
							let legacy =
								legacy_register_call(&attestation, now, self.validity_secs)?;
							self.sudo(authority, legacy).await?;
						}
						tracing::info!(
							"registration submitted with the authority key; waiting for finality"
						);
					},
					Some(_) => {
						waited = 0;
						tokio::time::sleep(Duration::from_secs(1)).await;
						continue;
					},
					None if waited == 0 => print_registration(&attestation),
					None => {},
				}
			}
			waited += 1;
			tokio::time::sleep(Duration::from_secs(2)).await;
		}
	}

	/// Makes `public` matcher `id`'s current sealing key, endorsed by `enclave` (with the
	/// authority key), or prints what the authority must submit.
	pub async fn rotate(
		&self,
		id: MatcherId,
		public: X25519Public,
		enclave: &dyn Enclave,
	) -> ChainResult<()> {
		let Some(endorsement) = enclave.endorse_sealing_key(&public) else {
			return Err(ChainError::Decode(
				"the enclave does not hold the sealing key to rotate to",
			));
		};
		match &self.authority {
			Some(authority) => {
				let at = self.chain.finalized().await?;
				if call_takes(&at, "rotate_sealing_key", "endorsement") {
					let call = Call::Matchers(MatchersCall::rotate_sealing_key {
						matcher: id,
						sealing_key: public,
						endorsement,
					});
					self.sudo(authority, runtime::tx().sudo().sudo(call)).await?;
				} else {
					self.sudo(authority, legacy_rotate_call(id, public)).await?;
				}
				tracing::info!("new sealing epoch submitted for matcher {id}");
			},
			None => println!(
				"new sealing epoch: the authority must call Matchers::rotate_sealing_key(matcher = \
				 {id}, sealing_key = 0x{}, endorsement = 0x{})",
				hex::encode(public),
				hex::encode(endorsement)
			),
		}
		Ok(())
	}

	/// Submits `payload` (a `Sudo::sudo` call) signed by the authority key; the transaction's
	/// hash.
	async fn sudo(&self, authority: &Keypair, payload: impl Payload) -> ChainResult<H256> {
		let account = authority.public_key().to_account_id();
		let nonce = self.chain.next_nonce(&account.to_string()).await?;
		let at = self.chain.finalized().await?;
		let params = Params::<Config>::new().immortal().nonce(nonce).build();
		let xt = at
			.tx()
			.create_signable_offline(&payload, params)
			.and_then(|mut s| s.sign(authority))
			.map_err(node_error)?;
		self.chain.submit(xt.encoded()).await
	}
}

fn unhex32(s: &str) -> ChainResult<[u8; 32]> {
	epichain_primitives::hex0x::decode_array(s).map_err(|_| ChainError::Decode("attestation key"))
}

/// `Matchers::register_matcher` for the simulation enclave's `attestation`, valid from `now`
/// for `validity_secs`. Only a development or local chain admits simulation evidence (and only
/// there does the matcher hold an authority key).
fn register_call(attestation: &Attestation, now: u64, validity_secs: u64) -> ChainResult<Call> {
	if attestation.mode != "simulation" {
		return Err(ChainError::Decode(
			"attestation: a hardware enclave is registered by the authority with its DCAP quote",
		));
	}
	let evidence = Evidence::Simulation { measurement: unhex32(&attestation.measurement)? };
	let register = MatchersCall::register_matcher {
		signing_key: unhex32(&attestation.signing_key)?,
		sealing_key: unhex32(&attestation.sealing_key)?,
		evidence: Box::new(Static(evidence)),
		valid_from: now.saturating_sub(60),
		valid_until: now.saturating_add(validity_secs),
	};
	Ok(Call::Matchers(register))
}

/// Whether the runtime at `at` takes `field` in `Matchers::call`: attestation evidence in
/// `register_matcher` and an endorsement in `rotate_sealing_key` came with spec 103.
fn call_takes(at: &At, call: &str, field: &str) -> bool {
	at.metadata_ref()
		.pallet_by_name("Matchers")
		.and_then(|pallet| pallet.call_variant_by_name(call))
		.is_some_and(|call| call.fields.iter().any(|f| f.name.as_deref() == Some(field)))
}

/// `Sudo::sudo(rotate_sealing_key(id, public))` as runtimes before spec 103 take it (no
/// endorsement).
fn legacy_rotate_call(id: MatcherId, public: X25519Public) -> impl Payload {
	use subxt::{dynamic::Value, ext::scale_value::Composite};
	let rotate = Composite::unnamed([Value::u128(id.into()), Value::from_bytes(public)]);
	sudo_matchers("rotate_sealing_key", rotate)
}

/// `Sudo::sudo(Matchers::call(args))` built from the live metadata, for runtimes whose call
/// shapes the generated interface no longer knows.
fn sudo_matchers(call: &str, args: subxt::ext::scale_value::Composite<()>) -> impl Payload {
	let call = subxt::dynamic::tx("Matchers", call, args).into_value();
	subxt::dynamic::tx("Sudo", "sudo", subxt::ext::scale_value::Composite::unnamed([call]))
}

/// `Sudo::sudo(register_matcher(...))` as runtimes before spec 103 take it: the measurement and
/// the report's hash, which the authority checked itself. A region still on such a runtime
/// (a dev or local chain started from a release, as the upgrade test's is) registers its
/// simulation matcher so until it upgrades.
fn legacy_register_call(
	attestation: &Attestation,
	now: u64,
	validity_secs: u64,
) -> ChainResult<impl Payload> {
	use subxt::{dynamic::Value, ext::scale_value::Composite};
	let bytes = |hex: &str| unhex32(hex).map(Value::from_bytes);
	let register = Composite::unnamed([
		bytes(&attestation.signing_key)?,
		bytes(&attestation.sealing_key)?,
		bytes(&attestation.measurement)?,
		bytes(&attestation.report_hash)?,
		Value::u128(now.saturating_sub(60).into()),
		Value::u128(now.saturating_add(validity_secs).into()),
	]);
	Ok(sudo_matchers("register_matcher", register))
}

/// What the evidence field holds for `a`.
fn evidence_hint(a: &Attestation) -> String {
	match a.mode {
		"simulation" => format!(
			"Simulation {{ measurement: {} }}   (admitted only where genesis allows simulation)",
			a.measurement
		),
		mode => {
			format!("Dcap {{ quote, collateral }}   ({mode}: the quote and its PCCS collateral)")
		},
	}
}

/// What the authority registers, printed on standard output.
pub fn print_registration(a: &Attestation) {
	println!("The health authority must register this matcher; the chain checks its attestation:");
	println!("  Matchers::register_matcher(");
	println!("    signing_key      = {}", a.signing_key);
	println!("    sealing_key      = {}", a.sealing_key);
	println!("    evidence         = {}", evidence_hint(a));
	println!("    valid_from, valid_until = the validity window the authority grants)");
	println!(
		"`epichain authority register-matcher --matcher <this service's URL>` builds the call \
		 (with --quote and --collateral for a hardware enclave)."
	);
	println!(
		"A region has one matcher at a time: the window may not overlap a serving matcher's. \
		 Revoke it first (Matchers::revoke_matcher), or start the window when its window ends."
	);
	println!("The full report is served at GET /v1/attestation. Waiting for the registration...");
}

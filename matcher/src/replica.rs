//! The host's side of key provisioning between replicas (the protocol and its checks are
//! `epichain_enclave::provision`): a replica started with `--provision-from URL` asks the
//! running replica at `URL` for the matcher's keys, and asks again whenever the chain names a
//! sealing key of the matcher that it does not hold. The host carries the request and the
//! sealed answer; it never holds a key, and neither does the operator.
//!
//! A replica registers nothing and, while the replica it follows answers, makes no epochs: the
//! running replica makes each day's sealing key and has it registered, and the replica takes it
//! from there. When that replica stops answering for longer than an epoch, the replica makes
//! the next key itself ([`crate::epochs`]).

use std::time::Duration;

use codec::{DecodeAll, Encode};
use epichain_enclave::{
	provision::{Newcomer, ProvisionRequest, SealedKeys},
	simulation_evidence, Enclave,
};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::{
	client::legacy::{connect::HttpConnector, Client},
	rt::TokioExecutor,
};

/// How long one exchange with the running replica may take.
const TIMEOUT: Duration = Duration::from_secs(30);

/// Why an exchange with the running replica gave no keys.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PeerError {
	/// No answer: refused connection, timeout, or a broken reply. The replica may be gone.
	Unreachable(String),
	/// It answered, and refused (a status other than 200, a reply that is not the keys), or
	/// the keys it sent did not open here.
	Refused(String),
}

impl std::fmt::Display for PeerError {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		match self {
			PeerError::Unreachable(why) => write!(f, "no answer: {why}"),
			PeerError::Refused(why) => write!(f, "refused: {why}"),
		}
	}
}

impl From<PeerError> for String {
	fn from(e: PeerError) -> String {
		e.to_string()
	}
}

/// A running replica of the same matcher, reached over HTTP.
#[derive(Clone)]
pub struct Peer {
	url: String,
	client: Client<HttpConnector, Full<Bytes>>,
}

impl Peer {
	/// The running replica whose service is at `url` (`http://host:port`).
	pub fn new(url: &str) -> Self {
		let client = Client::builder(TokioExecutor::new()).build_http();
		Self { url: url.trim_end_matches('/').to_string(), client }
	}

	/// Where it is.
	pub fn url(&self) -> &str {
		&self.url
	}

	async fn exchange(
		&self,
		request: hyper::Request<Full<Bytes>>,
	) -> Result<(hyper::StatusCode, Bytes), PeerError> {
		let answer = tokio::time::timeout(TIMEOUT, async {
			let response = self.client.request(request).await.map_err(|e| e.to_string())?;
			let status = response.status();
			let body = response.into_body().collect().await.map_err(|e| e.to_string())?;
			Ok::<_, String>((status, body.to_bytes()))
		})
		.await
		.map_err(|_| {
			PeerError::Unreachable(format!(
				"{}: no answer within {} s",
				self.url,
				TIMEOUT.as_secs()
			))
		})?;
		answer.map_err(|e| PeerError::Unreachable(format!("{}: {e}", self.url)))
	}

	/// The signing key of the matcher it runs (its attestation's `signingKey`).
	pub async fn signing_key(&self) -> Result<[u8; 32], PeerError> {
		let refused = PeerError::Refused;
		let request = hyper::Request::get(format!("{}/v1/attestation", self.url))
			.body(Full::new(Bytes::new()))
			.map_err(|e| refused(e.to_string()))?;
		let (status, body) = self.exchange(request).await?;
		if status != hyper::StatusCode::OK {
			return Err(refused(format!("{}/v1/attestation: {status}", self.url)));
		}
		let attestation: serde_json::Value = serde_json::from_slice(&body)
			.map_err(|e| refused(format!("{}/v1/attestation: {e}", self.url)))?;
		epichain_primitives::hex0x::decode_array(
			attestation["signingKey"].as_str().unwrap_or_default(),
		)
		.map_err(|e| refused(format!("{}/v1/attestation's signingKey: {e}", self.url)))
	}

	/// Sends `request`; the keys sealed to its one-time key, or the refusal's name and words.
	pub async fn keys_for(&self, request: &ProvisionRequest) -> Result<SealedKeys, PeerError> {
		let post = hyper::Request::post(format!("{}/v1/provision", self.url))
			.header(hyper::header::CONTENT_TYPE, "application/octet-stream")
			.body(Full::new(Bytes::from(request.encode())))
			.map_err(|e| PeerError::Refused(e.to_string()))?;
		let (status, body) = self.exchange(post).await?;
		if status != hyper::StatusCode::OK {
			let error: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
			return Err(PeerError::Refused(format!(
				"{}/v1/provision refused ({status}): {}: {}",
				self.url,
				error["error"].as_str().unwrap_or("?"),
				error["message"].as_str().unwrap_or("")
			)));
		}
		SealedKeys::decode_all(&mut &body[..]).map_err(|_| {
			PeerError::Refused(format!(
				"{}/v1/provision: the answer is not SCALE SealedKeys",
				self.url
			))
		})
	}

	/// Asks for the keys of the matcher with signing key `matcher` on chain `genesis`, as a new
	/// simulation enclave (its evidence: the simulation build's measurement). In a hardware
	/// enclave the [`Newcomer`] is made inside it and its quote binds
	/// [`Newcomer::report_data`].
	pub async fn request(
		&self,
		genesis: [u8; 32],
		matcher: [u8; 32],
	) -> Result<(Newcomer, SealedKeys), PeerError> {
		let newcomer = Newcomer::new(genesis, matcher);
		let keys = self.keys_for(&newcomer.request(simulation_evidence())).await?;
		Ok((newcomer, keys))
	}

	/// Takes the epochs the running replica has and `enclave` does not; the epochs added.
	pub async fn refresh(
		&self,
		genesis: [u8; 32],
		enclave: &dyn Enclave,
	) -> Result<Vec<u32>, PeerError> {
		let (newcomer, keys) = self.request(genesis, enclave.signing_key()).await?;
		enclave
			.adopt(newcomer, &keys)
			.map_err(|e| PeerError::Refused(format!("the keys from {}: {e}", self.url)))
	}
}

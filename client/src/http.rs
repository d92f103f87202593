//! A small JSON-over-HTTP client (hyper) for the matcher's public endpoints.

use anyhow::{anyhow, bail, Context, Result};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::{client::legacy::Client, rt::TokioExecutor};

/// The largest answer read from a matcher (a pull query answer is a few kilobytes).
const MAX_ANSWER: usize = 1 << 20;

/// `GET url` or `POST url` with a JSON body; the status and the answer parsed as JSON.
pub async fn json(
	method: hyper::Method,
	url: &str,
	body: Option<&serde_json::Value>,
) -> Result<(u16, serde_json::Value)> {
	if !url.starts_with("http://") {
		bail!("{url}: only http:// matcher URLs are supported (terminate TLS in front of it)");
	}
	let client = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
	let payload = body.map(|b| b.to_string()).unwrap_or_default();
	let request = hyper::Request::builder()
		.method(method)
		.uri(url)
		.header("content-type", "application/json")
		.body(Full::new(Bytes::from(payload)))
		.with_context(|| format!("{url} is not a URL"))?;
	let response =
		tokio::time::timeout(std::time::Duration::from_secs(30), client.request(request))
			.await
			.map_err(|_| anyhow!("{url}: no answer in 30 s"))?
			.map_err(|e| anyhow!("matcher unreachable at {url}: {e}"))?;
	let status = response.status().as_u16();
	let bytes = http_body_util::Limited::new(response.into_body(), MAX_ANSWER)
		.collect()
		.await
		.map_err(|e| anyhow!("{url}: reading the answer: {e}"))?
		.to_bytes();
	let value = serde_json::from_slice(&bytes)
		.unwrap_or_else(|_| serde_json::Value::String(String::from_utf8_lossy(&bytes).into()));
	Ok((status, value))
}

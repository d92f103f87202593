//! Real quotes for tests and benchmarks: Intel SGX and TDX quotes from real platforms, with the
//! collateral Intel's PCS served for them (dcap-qvl's published samples, MIT), under
//! `testdata/`.

use crate::DcapCollateral;
use codec::Decode;

/// An SGX quote (v3) whose report data is "Hello, world!".
pub const SGX_QUOTE: &[u8] = include_bytes!("../testdata/sgx-quote.bin");
/// Its collateral, as a PCCS serves it.
pub const SGX_COLLATERAL: &[u8] = include_bytes!("../testdata/sgx-collateral.json");
/// A TDX quote (v4).
pub const TDX_QUOTE: &[u8] = include_bytes!("../testdata/tdx-quote.bin");
/// Its collateral, as a PCCS serves it.
pub const TDX_COLLATERAL: &[u8] = include_bytes!("../testdata/tdx-collateral.json");

/// 2025-07-01T00:00:00Z: inside the SGX and TDX samples' collateral windows (issued
/// 2025-06-19, next update 2025-07-19).
pub const IN_DATE: u64 = 1_751_328_000;

/// [`TDX_COLLATERAL`] SCALE-encoded, for the runtime's benchmarks, which cannot read JSON (a
/// test checks it is the JSON's).
pub const TDX_COLLATERAL_SCALE: &[u8] = include_bytes!("../testdata/tdx-collateral.scale");

/// Reads a sample's collateral.
#[cfg(feature = "std")]
pub fn collateral(json: &[u8]) -> DcapCollateral {
	DcapCollateral::from_pccs_json(json).expect("a sample's collateral reads; qed")
}

/// [`TDX_COLLATERAL`], decoded from [`TDX_COLLATERAL_SCALE`].
pub fn tdx_collateral() -> DcapCollateral {
	DcapCollateral::decode(&mut &TDX_COLLATERAL_SCALE[..]).expect("the committed encoding; qed")
}

//! How long verifying a real DCAP quote takes natively: Intel's SGX and TDX samples, median of
//! 21 runs each. The runtime's figure (in wasm) is the `verify_dcap_quote` benchmark of
//! `pallet-matchers`.
//!
//! `cargo run --release --locked -p epichain-attestation --example verify_bench`

use epichain_attestation::{samples, verify_quote};
use std::time::Instant;

fn main() {
	for (name, quote, collateral) in [
		("SGX", samples::SGX_QUOTE, samples::SGX_COLLATERAL),
		("TDX", samples::TDX_QUOTE, samples::TDX_COLLATERAL),
	] {
		let collateral = samples::collateral(collateral);
		let mut times: Vec<f64> = (0..21)
			.map(|_| {
				let start = Instant::now();
				verify_quote(quote, &collateral, samples::IN_DATE).expect("the sample verifies");
				start.elapsed().as_secs_f64() * 1e3
			})
			.collect();
		times.sort_by(f64::total_cmp);
		println!(
			"{name}: verify_quote median {:.3} ms (min {:.3}, max {:.3})",
			times[10], times[0], times[20]
		);
	}
}

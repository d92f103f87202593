//! libFuzzer target: fuzz programs of calls against the native runtime (`epichain_fuzz::runtime`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
	let before = epichain_fuzz::runtime::totals().calls;
	epichain_fuzz::runtime::run(input);
	let t = epichain_fuzz::runtime::totals();
	// A progress line each 10,000 calls: what docs/BENCHMARKS.md records.
	if t.calls / 10_000 != before / 10_000 {
		eprintln!(
			"epichain-fuzz: {} calls ({} included) in {} blocks over {} inputs",
			t.calls, t.included, t.blocks, t.inputs
		);
	}
});

//! libFuzzer target: arbitrary bytes into the primitives' decoders (`epichain_fuzz::decoders`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| epichain_fuzz::decoders::run(input));

//! Builds the runtime to wasm (`wasm32v1-none`) next to the native build.

#[cfg(all(feature = "std", feature = "metadata-hash"))]
fn main() {
	substrate_wasm_builder::WasmBuilder::init_with_defaults()
		.enable_metadata_hash("EPI", 12)
		.build();
}

#[cfg(all(feature = "std", not(feature = "metadata-hash")))]
fn main() {
	substrate_wasm_builder::WasmBuilder::build_using_defaults();
}

/// The wasm builder is only needed for the native (`std`) build.
#[cfg(not(feature = "std"))]
fn main() {}

// The protocol's crypto in the browser: epichain-primitives compiled to WebAssembly
// (primitives-wasm/, built into js/wasm/ by js/scripts/build-wasm.sh). Pseudonyms, fingerprints,
// consent signatures and cell bounds come from the very code the runtime and the matcher run.
import init, * as wasm from "../../js/wasm/epichain_primitives.js";
import wasmUrl from "../../js/wasm/epichain_primitives_bg.wasm?url";

let loading: Promise<unknown> | undefined;

/** The wasm primitives, fetched and instantiated once. */
export async function primitives(): Promise<typeof wasm> {
  loading ??= init({ module_or_path: wasmUrl });
  await loading;
  return wasm;
}

// The protocol's crypto for JavaScript: `epichain-primitives` itself, compiled to WebAssembly
// (primitives-wasm/, built into js/wasm/ by `npm run wasm` = js/scripts/build-wasm.sh). Daily
// pseudonyms, consent, case nullifiers, CSI sealing and every payload a locator or
// diagnostician signs come from the same Rust code the runtime, the matcher and the Rust client
// run: nothing here re-implements them.
//
// Every function throws an `Error` whose message names the argument that was wrong (a length,
// a window, a source, a stay outside its batch's day or cell); it never echoes a place or time.

import { readFileSync } from "node:fs";

import * as wasm from "#wasm";

export type { SealedBatch } from "#wasm";

/** The wasm primitives' functions. */
export type Primitives = Omit<typeof wasm, "default" | "initSync">;

let ready = false;

/**
 * The wasm primitives, instantiated on first use from js/wasm/ (Node). A browser bundle calls
 * the module's default `init()` instead, which fetches the .wasm next to it.
 */
export function primitives(): Primitives {
  if (!ready) {
    const bytes = readFileSync(new URL("../../wasm/epichain_primitives_bg.wasm", import.meta.url));
    wasm.initSync({ module: bytes });
    ready = true;
  }
  return wasm;
}

/** One stay as `sealBatch` reads it: unix seconds (inclusive), a 9-character geohash, a source. */
export interface PlainStay {
  start: number;
  end: number;
  cell: string;
  source: "Gnss" | "WiFi" | "TransitGate" | "VenueCheckIn" | "Camera" | "Bluetooth" | "Cellular" | "Manual";
}

/** One owner's stays of the day: the owner is its pseudonym of that day, 0x-hex. */
export interface PlainEntry {
  owner: string;
  stays: PlainStay[];
}

/**
 * Seals `entries` of `day` in `cellPrefix` to the matcher's sealing key `keyId` (`matcherPublic`)
 * with a fresh one-time key: the batch to submit and the payload its locator signs.
 */
export function sealBatch(
  matcherPublic: Uint8Array,
  keyId: number,
  day: number,
  cellPrefix: string,
  entries: PlainEntry[],
): wasm.SealedBatch {
  return primitives().sealBatch(matcherPublic, keyId, day, cellPrefix, JSON.stringify(entries));
}

/**
 * Seals one owner's `entry` on their own device, for a venue or gateway to batch under matcher key
 * `keyId` (`matcherPublic`), `day` and `cellPrefix`, with a fresh one-time key of the device's: a
 * device entry (`epichain/csi-device/v1`) the locator cannot read.
 */
export function sealDeviceEntry(
  matcherPublic: Uint8Array,
  keyId: number,
  day: number,
  cellPrefix: string,
  entry: PlainEntry,
): Uint8Array {
  return primitives().sealDeviceEntry(matcherPublic, keyId, day, cellPrefix, JSON.stringify(entry));
}

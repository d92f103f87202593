// Venue check-in. The visitor scans the venue's code, checks in, checks out; the device then
// seals the stay itself (the wasm primitives' sealDeviceEntry, to the matcher key the light
// client read from the chain) and hands the sealed entry to the venue's locator service
// (`epichain locator serve`). The venue batches and signs entries it cannot read: it never
// learns the visitor's pseudonym, and the times stay on this device until they are sealed.
// The device then confirms on the chain itself that its entry was stored.
import { Blake2128Concat, Bytes, Storage, Twox64Concat, u32 } from "@polkadot-api/substrate-bindings";

import { hex, unhex } from "./device";
import type { LightClient } from "./light";
import { primitives } from "./wasm";

/** The kind a venue's code names. */
export const VENUE_KIND = "epichain-venue";
const DAY_MS = 86_400_000;

/** What a venue's code says. */
export interface Venue {
  /** The venue's name as it presents itself. */
  name: string;
  /** Its 9-character geohash cell. */
  cell: string;
  /** Its locator service's base URL. */
  endpoint: string;
  /** The chain it writes to. */
  genesis: string;
}

/** The text of a venue's code (JSON), as the dashboard draws it. */
export function venueCode(v: Venue): string {
  return JSON.stringify({ kind: VENUE_KIND, v: 1, genesis: v.genesis, cell: v.cell, endpoint: v.endpoint, name: v.name });
}

/** Reads a venue's code; anything else is refused with a sentence a person understands. */
export function parseVenue(text: string, genesis: string, region: string): Venue {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text.trim()) as Record<string, unknown>;
    if (typeof raw !== "object" || raw === null) throw new Error();
  } catch {
    throw new Error("This is not a venue's check-in code.");
  }
  if (raw.kind !== VENUE_KIND) throw new Error("This code is not a venue's check-in code.");
  if (raw.v !== 1) throw new Error("This venue's code is of a newer kind than this app reads. Update the app.");
  if (typeof raw.genesis !== "string" || raw.genesis.toLowerCase() !== genesis.toLowerCase()) {
    throw new Error("This venue writes to another region's chain, not this one. Nothing was recorded.");
  }
  const cell = typeof raw.cell === "string" ? raw.cell : "";
  if (!/^[0-9b-hjkmnp-z]{9}$/.test(cell)) throw new Error("This venue's code names no valid place.");
  if (!cell.startsWith(region)) throw new Error("This venue is outside the region this app serves.");
  let endpoint: URL;
  try {
    endpoint = new URL(String(raw.endpoint));
    if (endpoint.protocol !== "https:" && endpoint.protocol !== "http:") throw new Error();
  } catch {
    throw new Error("This venue's code names no valid address to hand visits to.");
  }
  const name = typeof raw.name === "string" && raw.name.trim() ? raw.name.trim().slice(0, 80) : cell;
  return { name, cell, endpoint: endpoint.href.replace(/\/$/, ""), genesis: genesis.toLowerCase() };
}

/**
 * The code drawn as an SVG element (error correction M). The drawing library is loaded on first
 * use: only the dashboard draws codes.
 */
export async function drawCode(text: string): Promise<string> {
  const { default: qrcode } = await import("qrcode-generator");
  // Bytes as UTF-8 (the library's default keeps one byte of each character).
  qrcode.stringToBytes = (s: string) => Array.from(new TextEncoder().encode(s));
  const qr = qrcode(0, "M");
  qr.addData(text, "Byte");
  qr.make();
  // A quiet zone of four modules all round, as the QR standard asks: readers find the code by it.
  return qr.createSvgTag({ cellSize: 6, margin: 24, scalable: true });
}

/**
 * Reads a QR code from an image's pixels (a photo of the code, or a camera frame). The reader is
 * loaded on first use, so opening the app does not download it.
 */
export async function readCode(image: ImageData): Promise<string | undefined> {
  const { default: jsQR } = await import("jsqr");
  const found = jsQR(image.data, image.width, image.height);
  if (!found?.binaryData.length) return undefined;
  return new TextDecoder("utf-8", { fatal: false }).decode(Uint8Array.from(found.binaryData));
}

/** Reads a QR code from an image file; refuses a file without a readable code. */
export async function readCodeFromFile(file: Blob): Promise<string> {
  const bitmap = await createImageBitmap(file).catch(() => {
    throw new Error("This file is not an image.");
  });
  const canvas = document.createElement("canvas");
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  const ctx = canvas.getContext("2d");
  if (!ctx) throw new Error("This browser cannot read images.");
  ctx.drawImage(bitmap, 0, 0);
  const text = await readCode(ctx.getImageData(0, 0, bitmap.width, bitmap.height));
  if (!text) throw new Error("No code could be read in this picture. Try again closer, with the whole code in view.");
  return text;
}

/** One sealed part of a visit (one per UTC day it spans) and where it is. */
export interface Receipt {
  day: number;
  /** The entry's one-time key (0x-hex): how the venue and the chain know it. */
  deviceKey: string;
  /** queued at the venue, stored on chain (verified by the light client), or refused by name. */
  status: "queued" | "stored" | "refused";
  block?: number;
  reason?: string;
}

/** A visit in the diary, kept on this device only. */
export interface Visit {
  venue: Venue;
  /** Check-in and check-out, ms since the epoch. */
  from: number;
  to?: number;
  receipts: Receipt[];
}

/** The stays of a visit, split at UTC midnight: one per day. */
export function stays(from: number, to: number): Array<{ day: number; start: number; end: number }> {
  const out = [];
  let start = Math.floor(from / 1000);
  const end = Math.max(start, Math.floor(to / 1000));
  while (start <= end) {
    const day = Math.floor((start * 1000) / DAY_MS);
    const last = Math.min(end, ((day + 1) * DAY_MS) / 1000 - 1);
    out.push({ day, start, end: last });
    start = last + 1;
  }
  return out;
}

/** The matcher key to seal to now, by the runtime's own rule, read through the light client. */
export async function sealingKey(light: LightClient): Promise<{ id: number; key: Uint8Array }> {
  const block = await light.finalizedBlock();
  const current = (await light.read(block, "the matcher's key", (signal) =>
    light.api.apis.MatchersApi.current_sealing_key({ at: block.hash, signal }),
  )) as { key_id: number; public: string | Uint8Array } | undefined;
  if (!current) throw new Error("The region has no active matcher right now, so nothing can be sealed. Try again later.");
  const key = typeof current.public === "string" ? unhex(current.public, 32) : current.public;
  if (!key) throw new Error("The chain's matcher key could not be read.");
  return { id: current.key_id, key };
}

/**
 * Hands one entry this device sealed to a locator service (`epichain locator serve`: a venue's
 * or the region's gateway), named `who` in what a person reads; its receipt, or the refusal in words.
 */
export async function handInEntry(
  endpoint: string,
  who: string,
  part: { day: number; keyId: number; cellPrefix: string; sealed: Uint8Array },
): Promise<Receipt> {
  const response = await fetch(`${endpoint}/v1/entries`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ day: part.day, keyId: part.keyId, cellPrefix: part.cellPrefix, entry: hex(part.sealed) }),
  }).catch(() => {
    throw new Error(`${capital(who)}'s service at ${endpoint} could not be reached. What you recorded is kept here; try again.`);
  });
  const answer = (await response.json().catch(() => ({}))) as { deviceKey?: string; error?: string; message?: string };
  if (!response.ok || !answer.deviceKey) {
    throw new Error(`${capital(who)} refused it (${answer.error ?? response.status}): ${answer.message ?? "no reason given"}.`);
  }
  return { day: part.day, deviceKey: answer.deviceKey, status: "queued" };
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Seals a finished visit on this device and hands each day's entry to the venue. */
export async function handIn(light: LightClient, seed: Uint8Array, visit: Visit): Promise<Receipt[]> {
  if (visit.to === undefined) throw new Error("Check out first.");
  const p = await primitives();
  const { id, key } = await sealingKey(light);
  const receipts: Receipt[] = [];
  for (const part of stays(visit.from, visit.to)) {
    const entry = JSON.stringify({
      owner: hex(p.pseudonym(seed, part.day)),
      stays: [{ start: part.start, end: part.end, cell: visit.venue.cell, source: "VenueCheckIn" }],
    });
    const sealed = p.sealDeviceEntry(key, id, part.day, visit.venue.cell, entry);
    const where = { day: part.day, keyId: id, cellPrefix: visit.venue.cell, sealed };
    receipts.push(await handInEntry(visit.venue.endpoint, "the venue", where));
  }
  return receipts;
}

const USED_DEVICE_KEYS = Storage("Csi")("UsedDeviceKeys", [u32, Twox64Concat], [Bytes(32), Blake2128Concat]);

/**
 * Whether the chain holds the entry: the light client reads `Csi::UsedDeviceKeys` with its
 * Merkle proof against the finalized state root, so the venue's word is not needed.
 */
export async function storedOnChain(light: LightClient, receipt: Receipt): Promise<number | undefined> {
  const block = await light.finalizedBlock();
  const key = unhex(receipt.deviceKey, 32);
  if (!key) return undefined;
  const value = await light.read(block, "a visit's entry", (signal) =>
    light.client.rawQuery(USED_DEVICE_KEYS.enc(receipt.day, key), { at: block.hash, signal }),
  );
  return value === null ? undefined : block.number;
}

/**
 * Settles each queued receipt in place: stored, once the light client finds its entry on chain
 * at a finalized block; refused, by the locator service's word (at `endpoint`) of the chain's
 * refusal. A receipt that cannot be asked about now stays queued. Whether any is still queued.
 */
export async function settleReceipts(light: LightClient, endpoint: string, receipts: Receipt[]): Promise<boolean> {
  for (const [i, r] of receipts.entries()) {
    if (r.status !== "queued") continue;
    try {
      const block = await storedOnChain(light, r);
      receipts[i] = block !== undefined ? { ...r, status: "stored", block } : await entryStatus(endpoint, r);
    } catch {
      // The next round asks again.
    }
  }
  return receipts.some((r) => r.status === "queued");
}

/** What the locator service at `endpoint` says about an entry (refusals by the chain's name). */
async function entryStatus(endpoint: string, receipt: Receipt): Promise<Receipt> {
  const response = await fetch(`${endpoint}/v1/entries/${receipt.deviceKey}`).catch(() => undefined);
  if (!response?.ok) return receipt;
  const answer = (await response.json().catch(() => ({}))) as { status?: string; reason?: string };
  return answer.status === "refused" ? { ...receipt, status: "refused", reason: answer.reason } : receipt;
}

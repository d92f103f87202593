// How polkadot-api 2 hands epichain's byte types to the app, and takes them back: fixed-size
// byte arrays (fingerprints, a geohash's characters) as 0x-hex, `Vec<u8>` (regions) as a
// Uint8Array, and `Geohash` as its `len` and 12 zero-padded characters.
import { hex } from "./device";

/** 0x-hex of what polkadot-api decodes a fixed-size byte array to. */
export function toHex(v: unknown): string {
  if (typeof v === "string") return v.toLowerCase();
  if (v instanceof Uint8Array) return hex(v);
  if (v && typeof (v as { asHex?: unknown }).asHex === "function") return (v as { asHex(): string }).asHex().toLowerCase();
  throw new Error("unexpected byte array from the chain");
}

/** Bytes of what polkadot-api decodes a byte array to (Uint8Array, 0x-hex or a Binary). */
function toBytes(v: unknown): Uint8Array {
  if (v instanceof Uint8Array) return v;
  if (typeof v === "string" && v.startsWith("0x")) return fromHex(v);
  if (v && typeof (v as { asBytes?: unknown }).asBytes === "function") return (v as { asBytes(): Uint8Array }).asBytes();
  throw new Error("unexpected byte string from the chain");
}

/** Text of a byte string the chain holds as text (a region: `BoundedVec<u8>`). */
export function toText(v: unknown): string {
  return new TextDecoder().decode(toBytes(v));
}

/** A `Geohash` as the chain encodes it (`len`, then 12 zero-padded characters), as text. */
export function toCell(v: unknown): string {
  const g = v as { len?: unknown; chars?: unknown };
  if (typeof g?.len !== "number") throw new Error("unexpected geohash from the chain");
  return new TextDecoder().decode(toBytes(g.chars).slice(0, g.len));
}

/**
 * The `Geohash` argument of a runtime call for `cell` (polkadot-api takes a fixed-size byte array
 * as 0x-hex, and a `Vec<u8>` as a Uint8Array).
 */
export function cellArg(cell: string): { len: number; chars: string } {
  const chars = new Uint8Array(12);
  chars.set(new TextEncoder().encode(cell).slice(0, 12));
  return { len: Math.min(cell.length, 12), chars: hex(chars) };
}

function fromHex(h: string): Uint8Array {
  return Uint8Array.from(h.slice(2).match(/../g) ?? [], (x) => parseInt(x, 16));
}

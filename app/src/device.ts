// The device key: 32 random bytes made in this browser (crypto.getRandomValues), kept in
// IndexedDB, never sent anywhere. Every daily pseudonym and fingerprint derives from it through
// the wasm primitives. A backup is the key sealed under a passphrase with the browser's own
// WebCrypto (PBKDF2-SHA256, then AES-256-GCM): a changed byte or a wrong passphrase is refused.
import { primitives } from "./wasm";

const DB = "epichain";
const STORE = "device";
const KEY = "seed";

/** The backup file's kind and version, also its AES-GCM associated data. */
export const BACKUP_KIND = "epichain-device-backup";
const BACKUP_VERSION = 1;
/** PBKDF2 iterations (OWASP's 2023 figure for PBKDF2-HMAC-SHA256). */
const BACKUP_ITERATIONS = 600_000;

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(new Error("This browser does not let the app keep its device key (IndexedDB is unavailable)."));
  });
}

async function tx<T>(mode: IDBTransactionMode, run: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  return new Promise((resolve, reject) => {
    const req = run(db.transaction(STORE, mode).objectStore(STORE));
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error("IndexedDB request failed"));
  });
}

/** This device's key, if one was made or restored. */
export async function loadSeed(): Promise<Uint8Array | undefined> {
  const v = await tx("readonly", (s) => s.get(KEY));
  return v instanceof Uint8Array && v.length === 32 ? v : undefined;
}

/** Makes this device's key (refuses to replace one: restore a backup for that). */
export async function makeSeed(): Promise<Uint8Array> {
  if (await loadSeed()) throw new Error("This device already has a key.");
  const seed = crypto.getRandomValues(new Uint8Array(32));
  await tx("readwrite", (s) => s.put(seed, KEY));
  return seed;
}

/** A value this device keeps besides its key (the visit diary), or `undefined`. */
export async function loadKept<T>(name: string): Promise<T | undefined> {
  return (await tx("readonly", (s) => s.get(name))) as T | undefined;
}

/** Keeps `value` on this device under `name` (never under the key's own name). */
export async function keep(name: string, value: unknown): Promise<void> {
  if (name === KEY) throw new Error("The device key is kept only by makeSeed and restore.");
  await tx("readwrite", (s) => s.put(value, name));
}

/** One day's public parts, as `epichain keys export` writes them. */
export interface DayKey {
  day: number;
  pseudonym: string;
  fingerprint: string;
}

/** The public parts of days `from..from+days`: what a device hands a gateway or venue. */
export async function dayKeys(seed: Uint8Array, from: number, days: number): Promise<DayKey[]> {
  const p = await primitives();
  const out: DayKey[] = [];
  for (let day = from; day < from + days; day++) {
    const pseudonym = p.pseudonym(seed, day);
    out.push({ day, pseudonym: hex(pseudonym), fingerprint: hex(p.fingerprint(pseudonym)) });
  }
  return out;
}

/** The key sealed under `passphrase`, as a JSON file's text. */
export async function exportBackup(seed: Uint8Array, passphrase: string): Promise<string> {
  if (passphrase.length < 8) throw new Error("Choose a passphrase of at least 8 characters.");
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const key = await backupKey(passphrase, salt, BACKUP_ITERATIONS);
  const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: aad() as BufferSource }, key, seed as BufferSource);
  return JSON.stringify({
    kind: BACKUP_KIND,
    version: BACKUP_VERSION,
    kdf: { name: "PBKDF2-SHA256", iterations: BACKUP_ITERATIONS, salt: hex(salt) },
    iv: hex(iv),
    ciphertext: hex(new Uint8Array(sealed)),
  });
}

/** Opens a backup and makes it this device's key. Every refusal is a sentence for people. */
export async function importBackup(text: string, passphrase: string): Promise<Uint8Array> {
  let b: {
    kind?: unknown;
    version?: unknown;
    kdf?: { name?: unknown; iterations?: unknown; salt?: unknown };
    iv?: unknown;
    ciphertext?: unknown;
  };
  try {
    b = JSON.parse(text);
  } catch {
    throw new Error("This file is not an epichain backup.");
  }
  if (b?.kind !== BACKUP_KIND) throw new Error("This file is not an epichain backup.");
  if (b.version !== BACKUP_VERSION) throw new Error("This backup was made by a newer version of the app.");
  const iterations = b.kdf?.iterations;
  if (b.kdf?.name !== "PBKDF2-SHA256" || typeof iterations !== "number" || iterations < 100_000 || iterations > 10_000_000) {
    throw new Error("This backup is damaged: its key derivation is not one the app makes.");
  }
  const salt = unhex(b.kdf.salt, 16);
  const iv = unhex(b.iv, 12);
  const ciphertext = unhex(b.ciphertext, 48);
  if (!salt || !iv || !ciphertext) throw new Error("This backup is damaged: a field has the wrong length.");
  const key = await backupKey(passphrase, salt, iterations);
  let seed: Uint8Array;
  try {
    seed = new Uint8Array(
      await crypto.subtle.decrypt({ name: "AES-GCM", iv: iv as BufferSource, additionalData: aad() as BufferSource }, key, ciphertext as BufferSource),
    );
  } catch {
    throw new Error("The passphrase is wrong, or the backup was changed since it was made.");
  }
  const current = await loadSeed();
  if (current && !current.every((b, i) => b === seed[i])) {
    // Replacing a key would lose every warning meant for it: a backup is restored on a new device.
    throw new Error("This device already has a different key. Restore the backup on a new device or browser profile.");
  }
  await tx("readwrite", (s) => s.put(seed, KEY));
  return seed;
}

async function backupKey(passphrase: string, salt: Uint8Array, iterations: number): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey("raw", new TextEncoder().encode(passphrase), "PBKDF2", false, ["deriveKey"]);
  return crypto.subtle.deriveKey(
    { name: "PBKDF2", hash: "SHA-256", salt: salt as BufferSource, iterations },
    material,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

function aad(): Uint8Array {
  return new TextEncoder().encode(`${BACKUP_KIND}/v${BACKUP_VERSION}`);
}

/** 0x-hex of bytes. */
export function hex(bytes: Uint8Array): string {
  return "0x" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Bytes of 0x-hex of exactly `len` bytes, or undefined. */
export function unhex(v: unknown, len: number): Uint8Array | undefined {
  if (typeof v !== "string" || !/^0x([0-9a-fA-F]{2})*$/.test(v) || v.length !== 2 + 2 * len) return undefined;
  return Uint8Array.from(v.slice(2).match(/../g) ?? [], (h) => parseInt(h, 16));
}

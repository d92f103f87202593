// The wasm primitives against the published vectors of primitives/test-vectors/, which
// generate.py wrote with an independent implementation (pyca/cryptography): JavaScript gets the
// same pseudonyms and the same sealed bytes as Python and as the Rust crates. Offline.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { fromHex, primitives, sealBatch, sealDeviceEntry, toHex, type PlainEntry } from "../src/chain.js";

const vectors = (name: string) =>
  readFileSync(new URL(`../../../primitives/test-vectors/${name}`, import.meta.url), "utf8");
const sealing = vectors("sealing.txt");
const sealingVector = (name: string) => {
  const line = sealing.split("\n").find((l) => l.startsWith(`${name} `));
  assert.ok(line, `vector ${name}`);
  return fromHex(line.slice(name.length + 1).trim());
};
const DAY = 20_778;

/** The entries generate.py sealed: a transit-gate passage, then eight GNSS stays, in xn76u. */
function vectorEntries(): PlainEntry[] {
  const base = DAY * 86_400;
  return [
    {
      owner: `0x${"11".repeat(32)}`,
      stays: [{ start: base + 28_800, end: base + 28_800, cell: "xn76urx66", source: "TransitGate" }],
    },
    {
      owner: `0x${"22".repeat(32)}`,
      stays: Array.from({ length: 8 }, (_, i) => ({
        start: base + 30_000 + 900 * i,
        end: base + 30_600 + 900 * i,
        cell: "xn76urx6d",
        source: "Gnss" as const,
      })),
    },
  ];
}

test("pseudonyms and fingerprints are the published vectors'", () => {
  const lines = vectors("pseudonym.txt").split("\n").filter((l) => l.trim() && !l.startsWith("#"));
  assert.ok(lines.length >= 3);
  for (const line of lines) {
    const [seed, day, pseudonym, fingerprint] = line.trim().split(/\s+/);
    const ours = primitives().pseudonym(fromHex(seed!), Number(day));
    assert.equal(toHex(ours), `0x${pseudonym}`, line);
    assert.equal(toHex(primitives().fingerprint(ours)), `0x${fingerprint}`, line);
  }
});

test("a batch sealed with the vector's one-time key has the vector's ciphertexts", () => {
  const batch = primitives().sealBatchWithEphemeralForVectors(
    sealingVector("ephemeral_secret"),
    sealingVector("matcher_public"),
    7,
    DAY,
    "xn76u",
    JSON.stringify(vectorEntries()),
  );
  assert.equal(batch.entryCount(), 2);
  assert.equal(toHex(batch.entry(0)), toHex(sealingVector("entry_0")));
  assert.equal(toHex(batch.entry(1)), toHex(sealingVector("entry_1")));
  assert.equal(toHex(batch.header().slice(4, 36)), toHex(sealingVector("ephemeral_public")));
  assert.equal(batch.signingPayload(new Uint8Array(32)).length, 32);
});

test("a visit sealed on a device with the vector's one-time key is the vector's device entry", () => {
  const base = DAY * 86_400;
  const visit: PlainEntry = {
    owner: `0x${"33".repeat(32)}`,
    stays: [{ start: base + 43_200, end: base + 45_600, cell: "xn76urx66", source: "VenueCheckIn" }],
  };
  const sealed = primitives().sealDeviceEntryWithSecretForVectors(
    sealingVector("device_secret"),
    sealingVector("matcher_public"),
    7,
    DAY,
    "xn76urx66",
    JSON.stringify(visit),
  );
  assert.equal(toHex(sealed), toHex(sealingVector("device_entry")));
  const fresh = sealDeviceEntry(sealingVector("matcher_public"), 7, DAY, "xn76urx66", visit);
  assert.equal(fresh.length, 93);
  assert.deepEqual([...fresh.slice(0, 2)], [0xde, 0x01]);
  assert.notEqual(toHex(fresh), toHex(sealed));
});

test("a fresh seal uses a new one-time key each time", () => {
  const a = sealBatch(sealingVector("matcher_public"), 7, DAY, "xn76u", vectorEntries());
  const b = sealBatch(sealingVector("matcher_public"), 7, DAY, "xn76u", vectorEntries());
  assert.notEqual(toHex(a.header()), toHex(b.header()));
  assert.equal(a.entry(1).length, b.entry(1).length);
});

test("bad input is refused with a message that names it, never echoing a place", () => {
  const key = sealingVector("matcher_public");
  const entries = vectorEntries();
  entries[1]!.stays[0]!.cell = "xn77urx6d";
  assert.throws(() => sealBatch(key, 7, DAY, "xn76u", entries), /OutsidePrefix/);
  entries[1]!.stays[0]!.cell = "xn76urx6a";
  assert.throws(
    () => sealBatch(key, 7, DAY, "xn76u", entries),
    (e: Error) => /entry 1, stay 0: the cell is not a geohash/.test(e.message) && !e.message.includes("xn76"),
  );
  assert.throws(() => sealBatch(key.slice(1), 7, DAY, "xn76u", vectorEntries()), /sealing key is 32 bytes, not 31/);
  assert.throws(() => primitives().pseudonym(new Uint8Array(16), DAY), /device seed is 32 bytes/);
  const nullifier = primitives().caseNullifier(new TextEncoder().encode("lab-1"), new TextEncoder().encode("c-1"));
  const seed = new Uint8Array(32).fill(5);
  const genesis = new Uint8Array(32);
  assert.throws(() => primitives().consent(seed, genesis, genesis, nullifier, DAY, DAY - 1), /ends .* before it starts/);
  const consent = primitives().consent(seed, genesis, genesis, nullifier, DAY, DAY + 2);
  assert.throws(() => primitives().endorsement(nullifier, DAY + 1, DAY + 2, consent, 9), /outside days/);
});

// Times the wasm primitives in Node: sealing a batch of 1,000 entries of 8 stays (median of 7),
// 1,000 daily pseudonyms, a 14-day consent (mean of 100). Synthetic inputs.
//   npm run build && npm run wasm && node scripts/bench-primitives.mjs
import { primitives, sealBatch } from "../dist/src/chain.js";
const p = primitives();
const day = 20_778, base = day * 86400;
const key = new Uint8Array(32).fill(9); key[0] = 0x23;
const entries = Array.from({ length: 1000 }, (_, i) => ({
  owner: "0x" + i.toString(16).padStart(64, "0"),
  stays: Array.from({ length: 8 }, (_, j) => ({ start: base + 3600 * j, end: base + 3600 * j + 600, cell: "xn76urx66", source: "Gnss" })),
}));
const pk = p.pseudonym(new Uint8Array(32).fill(1), day); // warm
const runs = [];
for (let r = 0; r < 7; r++) { const t = performance.now(); const b = sealBatch(pk, 1, day, "xn76u", entries); runs.push(performance.now() - t); b.free(); }
runs.sort((a, b) => a - b);
const t2 = performance.now(); for (let d = 0; d < 1000; d++) p.pseudonym(new Uint8Array(32).fill(1), d); const ps = performance.now() - t2;
const seed = new Uint8Array(32).fill(5), g = new Uint8Array(32);
const t3 = performance.now(); for (let i = 0; i < 100; i++) p.consent(seed, g, g, g, day - 13, day); const cs = performance.now() - t3;
console.log(JSON.stringify({ seal_1000_entries_of_8_stays_ms: Number(runs[3].toFixed(1)), pseudonyms_1000_ms: Number(ps.toFixed(1)), consent_14_days_ms: Number((cs / 100).toFixed(2)) }));

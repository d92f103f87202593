// Trips: this phone's own positions, for the region's trusted-app gateway.
//
// While recording is on, the phone samples its position (the browser's geolocation) every
// `tripSampleSecs` and keeps each sample as a fix: a 9-character cell and a time, in IndexedDB,
// never a coordinate. At hand-in, the wasm primitives turn the fixes into stays by the
// locators' own rule (`deviceStays`: the code `epichain locator submit` runs), seal each day's
// stays to the matcher's current key with a one-time key of the phone's (`sealDeviceEntry`) and
// hand the sealed entries to the gateway's locator service (`epichain locator serve`). The
// gateway batches and signs what it cannot read: no pseudonym, place or time reaches it. A stay
// still in progress (its last fix within its merge gap) stays on the phone until it is over, so
// a hand-in never cuts a stay in two. Handed-in fixes are deleted from the phone.
import type { AppConfig } from "./config";
import { keep, loadKept } from "./device";
import type { LightClient } from "./light";
import { byId, clock, el, messageLine, poller } from "./ui";
import { handInEntry, sealingKey, settleReceipts, type Receipt } from "./venue";
import { primitives } from "./wasm";

const FIXES = "trip-fixes";
const TRIPS = "trips";
/** Hand-ins older than this leave the list (the chain forgets their stays after 14 days too). */
const TRIPS_DAYS = 14;
const POLL_MS = 4_000;

/** One sample of where the phone was: its cell and the unix second. */
interface Fix {
  at: number;
  cell: string;
}

/** One hand-in of one day's stays, kept on this device: counts and receipts, no place or time of a stay. */
interface HandIn {
  day: number;
  stays: number;
  /** When it was handed in, ms since the epoch. */
  at: number;
  receipts: Receipt[];
}

/** What the section needs from the page. */
export interface Trips {
  config: AppConfig;
  light: () => LightClient | undefined;
  seed: () => Uint8Array | undefined;
}

let page: Trips;
let fixes: Fix[] = [];
let handIns: HandIn[] = [];
let watch: number | undefined;
let sampler: ReturnType<typeof setInterval> | undefined;
let latest: { lat: number; lon: number } | undefined;
let outside = 0;
const polling = poller(poll, POLL_MS);

/** Wires the section; call once the page's config is loaded. */
export async function wireTrips(p: Trips): Promise<void> {
  page = p;
  fixes = (await loadKept<Fix[]>(FIXES)) ?? [];
  const cutoff = Date.now() - TRIPS_DAYS * 86_400_000;
  handIns = ((await loadKept<HandIn[]>(TRIPS)) ?? []).filter((h) => h.at >= cutoff);
  const record = byId<HTMLInputElement>("trips-record");
  const handInButton = byId<HTMLButtonElement>("trips-hand-in");
  if (!p.config.gatewayUrl) {
    record.disabled = true;
    handInButton.disabled = true;
    message("This region has no trusted-app gateway, so the app cannot hand in trips here.", "bad");
  }
  record.addEventListener("change", () => guard(() => (record.checked ? start() : stop())));
  handInButton.addEventListener("click", () => guard(handInNow));
  render();
  polling.schedule();
}

const { say: message, guard } = messageLine("trips-message");

async function start(): Promise<void> {
  if (!page.seed()) {
    byId<HTMLInputElement>("trips-record").checked = false;
    throw new Error("Make this device's key first.");
  }
  if (!navigator.geolocation) {
    byId<HTMLInputElement>("trips-record").checked = false;
    throw new Error("This browser gives the app no location, so it cannot record trips.");
  }
  watch = navigator.geolocation.watchPosition(
    (position) => {
      latest = { lat: position.coords.latitude, lon: position.coords.longitude };
    },
    () => {
      void stop();
      byId<HTMLInputElement>("trips-record").checked = false;
      message("The location could not be read (permission refused, or no position). Recording stopped.", "bad");
    },
    { enableHighAccuracy: true },
  );
  sampler = setInterval(() => void sample(), page.config.tripSampleSecs * 1000);
  message("Recording your trips on this device. Only cells and times are kept, and only here.", "ok");
}

async function stop(): Promise<void> {
  if (watch !== undefined) navigator.geolocation.clearWatch(watch);
  if (sampler) clearInterval(sampler);
  watch = undefined;
  sampler = undefined;
  latest = undefined;
}

/** One sample: the cell of the latest position, now. A position outside the region is not kept. */
async function sample(): Promise<void> {
  if (!latest) return;
  const cell = (await primitives()).cellOf(latest.lat, latest.lon);
  if (!cell.startsWith(page.config.region)) {
    outside += 1;
  } else {
    fixes.push({ at: Math.floor(Date.now() / 1000), cell });
    await keep(FIXES, fixes);
  }
  render();
}

/** The gateway's bound on stays per entry (`GET /v1/locator`). */
async function maxStaysPerEntry(gateway: string): Promise<number> {
  const response = await fetch(`${gateway}/v1/locator`).catch(() => undefined);
  const answer = (await response?.json().catch(() => undefined)) as { maxStaysPerEntry?: number } | undefined;
  if (!response?.ok || !answer?.maxStaysPerEntry) {
    throw new Error(`The gateway at ${gateway} could not be reached. What you recorded is kept here; try again.`);
  }
  return answer.maxStaysPerEntry;
}

/** Seals the stays that are over and hands them to the gateway; the rest stays recorded. */
async function handInNow(): Promise<void> {
  const light = page.light();
  const seed = page.seed();
  const gateway = page.config.gatewayUrl;
  if (!seed) throw new Error("Make this device's key first.");
  if (!light) throw new Error("The light client is not running, so the matcher's key cannot be read from the chain.");
  if (!gateway) throw new Error("This region has no trusted-app gateway.");
  const p = await primitives();
  const max = await maxStaysPerEntry(gateway);
  const now = Math.floor(Date.now() / 1000);
  const input = JSON.stringify(fixes.map((f) => ({ at: f.at, cell: f.cell, source: "Gnss" })));
  const split = JSON.parse(p.deviceStays(seed, input, BigInt(now), max)) as {
    entries: Array<{ day: number; entry: { owner: string; stays: unknown[] } }>;
    keep: Array<{ at: number; cell: string }>;
  };
  if (!split.entries.length) {
    message(fixes.length ? "Your current stay is not over yet: it is handed in once you have left." : "Nothing recorded to hand in.", "ok");
    return;
  }
  const { id, key } = await sealingKey(light);
  const region = page.config.region;
  const sent: HandIn[] = [];
  let refused: unknown;
  for (const { day, entry } of split.entries) {
    try {
      const sealed = p.sealDeviceEntry(key, id, day, region, JSON.stringify(entry));
      const receipt = await handInEntry(gateway, "the gateway", { day, keyId: id, cellPrefix: region, sealed });
      const same = sent.find((h) => h.day === day);
      if (same) {
        same.stays += entry.stays.length;
        same.receipts.push(receipt);
      } else {
        sent.push({ day, stays: entry.stays.length, at: Date.now(), receipts: [receipt] });
      }
    } catch (e) {
      refused = e;
      break;
    }
  }
  // The samples of each day handed in whole leave the phone; a day the gateway did not take
  // (unreachable, or refused) keeps its samples for the next hand-in.
  const whole = new Set(
    sent.filter((h) => h.stays === split.entries.filter((e) => e.day === h.day).reduce((n, e) => n + e.entry.stays.length, 0)).map((h) => h.day),
  );
  const open = new Set(split.keep.map((f) => `${f.at} ${f.cell}`));
  fixes = fixes.filter((f) => open.has(`${f.at} ${f.cell}`) || !whole.has(Math.floor(f.at / 86_400)));
  handIns.push(...sent);
  await keep(FIXES, fixes);
  await keep(TRIPS, handIns);
  render();
  if (refused) throw refused;
  const stays = sent.reduce((n, h) => n + h.stays, 0);
  message(`${stays} ${stays === 1 ? "stay was" : "stays were"} sealed on this device and handed to the gateway.`, "ok");
  render();
  polling.schedule();
}

/** Asks the chain (through the light client) and the gateway until every hand-in is settled. */
async function poll(): Promise<void> {
  const light = page.light();
  const gateway = page.config.gatewayUrl;
  const queued = () => handIns.some((h) => h.receipts.some((r) => r.status === "queued"));
  if (light?.synced && gateway) {
    for (const h of handIns) await settleReceipts(light, gateway, h.receipts);
    await keep(TRIPS, handIns);
    render();
  }
  if (queued() || !light?.synced) polling.schedule();
}

function render(): void {
  const now = byId("trips-now");
  now.dataset.fixes = String(fixes.length);
  const days = new Set(fixes.map((f) => Math.floor(f.at / 86_400))).size;
  now.textContent = fixes.length
    ? `${fixes.length} ${fixes.length === 1 ? "position" : "positions"} recorded on ${days} ${days === 1 ? "day" : "days"}, not handed in yet.`
    : "No positions waiting to be handed in.";
  if (outside) now.textContent += ` ${outside} outside the region were not kept.`;
  const list = byId("trips");
  list.replaceChildren(
    ...handIns
      .slice()
      .reverse()
      .map((h) => {
        const states = h.receipts.map((r) => r.status);
        const state = states.includes("refused") ? "refused" : states.every((s) => s === "stored") ? "stored" : "queued";
        const li = el("li", `${h.stays} ${h.stays === 1 ? "stay" : "stays"} of ${new Date(h.day * 86_400_000).toISOString().slice(0, 10)}, handed in ${clock(h.at)}. `);
        li.dataset.state = state;
        li.dataset.day = String(h.day);
        li.dataset.stays = String(h.stays);
        const words: Record<string, string> = {
          queued: "Handed to the gateway; waiting for the chain.",
          stored: `Recorded on the chain (verified at finalized block #${Math.max(...h.receipts.map((r) => r.block ?? 0))}).`,
          refused: `Refused: ${h.receipts.find((r) => r.status === "refused")?.reason ?? "no reason given"}.`,
        };
        li.append(el("span", words[state], "proof"));
        return li;
      }),
  );
  if (!handIns.length) list.replaceChildren(el("li", "No trips handed in yet."));
}

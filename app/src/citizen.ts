// The citizen's app: the device key, the daily exposure check through the light client,
// venue check-in, trips for the gateway, consent after a positive test, and the places with recent cases.
import { wireCheckIn } from "./checkin";
import { loadConfig, type AppConfig } from "./config";
import { parseRequest, signConsent } from "./consent";
import { dayKeys, exportBackup, importBackup, loadSeed, makeSeed } from "./device";
import { toCell } from "./codec";
import { askDetails, describeDetails } from "./details";
import { CHECK_DAYS, checkExposure, dayName, describeExposure, type Check } from "./exposure";
import { LightClient } from "./light";
import { wireTrips } from "./trips";
import { bindStatus, byId, clock, el, offerDownload, showError, statusFailed } from "./ui";
import { readCodeFromFile } from "./venue";
import { primitives } from "./wasm";

/** How often an open app checks again. */
const RECHECK_MS = 6 * 60 * 60 * 1000;
const LAST_CHECK = "epichain.lastCheck";

let seed: Uint8Array | undefined;
let light: LightClient | undefined;
let config: AppConfig;

async function main(): Promise<void> {
  if ("serviceWorker" in navigator) navigator.serviceWorker.register("sw.js").catch(() => undefined);
  showLastCheck();
  try {
    config = await loadConfig();
  } catch (e) {
    statusFailed(e);
    return;
  }
  byId("region-name").textContent = `· ${config.regionName}`;
  seed = await loadSeed();
  await showDevice();
  wireDevice();
  wireConsent();
  await wireCheckIn({ config, light: () => light, seed: () => seed });
  await wireTrips({ config, light: () => light, seed: () => seed });
  try {
    light = await LightClient.start(config);
  } catch (e) {
    statusFailed(e);
    return;
  }
  bindStatus(light);
  (byId("check") as HTMLButtonElement).disabled = false;
  (byId("sign-consent") as HTMLButtonElement).disabled = false;
  byId("check").addEventListener("click", () => void check());
  void check();
  void places();
  setInterval(() => void check(), RECHECK_MS);
}

async function showDevice(): Promise<void> {
  // The fingerprint first, so the section never shows without it.
  if (seed) {
    const today = Math.floor(Date.now() / 86_400_000);
    byId("today-fingerprint").textContent = (await dayKeys(seed, today, 1))[0].fingerprint;
  }
  byId("no-device").hidden = !!seed;
  byId("has-device").hidden = !seed;
}

function wireDevice(): void {
  const message = byId("device-message");
  const guard = (run: () => Promise<void>) => async () => {
    message.hidden = true;
    try {
      await run();
    } catch (e) {
      showError(message, e);
    }
  };
  byId("make-key").addEventListener(
    "click",
    guard(async () => {
      seed = await makeSeed();
      await showDevice();
      void check();
    }),
  );
  byId("backup").addEventListener(
    "click",
    guard(async () => {
      if (!seed) throw new Error("This device has no key to back up yet.");
      const text = await exportBackup(seed, (byId("passphrase") as HTMLInputElement).value);
      offerDownload(byId("backup-file") as HTMLAnchorElement, "epichain-device-backup.json", text);
    }),
  );
  byId("restore").addEventListener(
    "click",
    guard(async () => {
      const file = (byId("restore-file") as HTMLInputElement).files?.[0];
      if (!file) throw new Error("Choose the backup file first.");
      seed = await importBackup(await file.text(), (byId("passphrase") as HTMLInputElement).value);
      await showDevice();
      message.textContent = "The key was restored.";
      message.dataset.tone = "ok";
      message.hidden = false;
      void check();
    }),
  );
  byId("export-days").addEventListener(
    "click",
    guard(async () => {
      if (!seed) throw new Error("Make this device's key first.");
      const today = light ? await light.dayAt(await light.finalizedBlock()) : Math.floor(Date.now() / 86_400_000);
      const keys = await dayKeys(seed, today + 1 - CHECK_DAYS, CHECK_DAYS);
      offerDownload(byId("days-file") as HTMLAnchorElement, "epichain-day-keys.json", JSON.stringify(keys, null, 2));
    }),
  );
}

function wireConsent(): void {
  const input = byId("consent-request") as HTMLTextAreaElement;
  const message = byId("consent-message");
  byId("consent-request-file").addEventListener("change", async (ev) => {
    const file = (ev.target as HTMLInputElement).files?.[0];
    if (file) input.value = await file.text();
  });
  byId("consent-request-photo").addEventListener("change", async (ev) => {
    const file = (ev.target as HTMLInputElement).files?.[0];
    message.hidden = true;
    if (!file) return;
    try {
      input.value = await readCodeFromFile(file);
    } catch (e) {
      showError(message, e);
    }
  });
  byId("sign-consent").addEventListener("click", async () => {
    message.hidden = true;
    const out = byId("consent-out") as HTMLTextAreaElement;
    out.hidden = true;
    try {
      if (!seed) throw new Error("Make this device's key first.");
      if (!light) throw new Error("The light client is not running.");
      const today = await light.dayAt(await light.finalizedBlock());
      const request = parseRequest(input.value, light.genesisHash, today);
      const consent = await signConsent(seed, request);
      out.value = consent;
      out.hidden = false;
      byId("consent-out").previousElementSibling?.removeAttribute("hidden");
      offerDownload(byId("consent-file") as HTMLAnchorElement, "epichain-consent.json", consent);
      message.textContent = `Signed for ${request.last - request.first + 1} days. Hand the file to your diagnostician.`;
      message.dataset.tone = "ok";
      message.hidden = false;
    } catch (e) {
      showError(message, e);
    }
  });
}

let checking = false;

async function check(): Promise<void> {
  if (!light || !seed || checking) return;
  checking = true;
  const result = byId("result");
  const button = byId("check") as HTMLButtonElement;
  button.disabled = true;
  // Before the light client has verified a block there is no answer, and the page says so.
  result.dataset.state = light.synced ? "checking" : "waiting";
  result.textContent = light.synced
    ? "Checking…"
    : "Waiting for the region's nodes: no check can be made until the light client has verified a finalized block.";
  try {
    const c = await checkExposure(light, seed);
    render(c);
    localStorage.setItem(LAST_CHECK, JSON.stringify({ at: c.at, block: c.block.number, found: c.mine.length }));
    showLastCheck();
    void places();
  } catch (e) {
    result.dataset.state = "failed";
    showError(result, new Error(`The check did not finish, so nothing is known about today: ${e instanceof Error ? e.message : String(e)}`));
  } finally {
    checking = false;
    button.disabled = false;
  }
}

function render(c: Check): void {
  const result = byId("result");
  result.replaceChildren();
  delete result.dataset.tone;
  result.dataset.state = c.mine.length ? "exposed" : "clear";
  result.dataset.block = String(c.block.number);
  const live = c.mine.filter((e) => !e.revoked);
  const head = el(
    "p",
    live.length
      ? `You have ${live.length} warning${live.length > 1 ? "s" : ""}.`
      : "No warning for this device in the last 14 days.",
    live.length ? "alert" : "clear",
  );
  result.append(head);
  const list = el("ul");
  for (const e of c.mine.sort((a, b) => b.day - a.day)) {
    const item = el("li", describeExposure(e));
    item.dataset.risk = e.risk;
    item.dataset.day = String(e.day);
    if (!e.revoked) item.append(el("p", config.advice[e.risk], "advice"));
    list.append(item);
  }
  if (c.mine.length) result.append(list);
  if (live.length && config.matcherUrl) result.append(detailsOffer(config.matcherUrl));
  result.append(
    el(
      "p",
      `Verified at finalized block #${c.block.number}: ${c.downloaded} warning${c.downloaded === 1 ? "" : "s"} of ${CHECK_DAYS} days compared on this device.`,
      "proof",
    ),
  );
}

/**
 * The optional question to the matcher for one's own details, offered once there is a warning:
 * only then is it worth telling the matcher's host that this address asked.
 */
function detailsOffer(matcherUrl: string): HTMLElement {
  const box = el("div");
  box.id = "details";
  const button = el("button", "Ask the matcher for the details") as HTMLButtonElement;
  button.id = "ask-details";
  button.type = "button";
  const note = el(
    "p",
    "The question is sealed on this device to the matcher's enclave and proven by this device's own keys; the matcher's server sees only that this address asked.",
    "note",
  );
  const out = el("div");
  out.id = "details-result";
  out.setAttribute("aria-live", "polite");
  button.addEventListener("click", () => {
    if (!light || !seed) return;
    button.disabled = true;
    out.dataset.state = "asking";
    out.textContent = "Asking the matcher…";
    askDetails(light, matcherUrl, seed)
      .then((d) => {
        out.replaceChildren();
        out.dataset.state = "answered";
        out.dataset.block = String(d.asOf);
        const list = el("ul");
        for (const e of d.exposures.sort((a, b) => b.day - a.day)) {
          const item = el("li", describeDetails(e));
          item.dataset.day = String(e.day);
          item.dataset.kind = e.kind;
          item.dataset.minutes = String(e.minutes);
          list.append(item);
        }
        out.append(
          el("p", d.exposures.length ? `The matcher's enclave reports, as of block #${d.asOf}:` : `The matcher's enclave found no exposure of this device as of block #${d.asOf}.`),
        );
        if (d.exposures.length) out.append(list);
        if (d.gap) {
          const gap = el("p", `Part of the records of ${dayName(d.gap.firstDay)} to ${dayName(d.gap.lastDay)} (${d.gap.batches} batches) could not be opened by this matcher: the report may miss exposures in them.`, "alert");
          out.append(gap);
        }
      })
      .catch((e: unknown) => {
        out.dataset.state = "failed";
        showError(out, e);
      })
      .finally(() => {
        button.disabled = false;
      });
  });
  box.append(button, note, out);
  return box;
}

function showLastCheck(): void {
  const raw = localStorage.getItem(LAST_CHECK);
  if (!raw) return;
  try {
    const last = JSON.parse(raw) as { at: number; block: number };
    byId("last-check").textContent = `Last successful check: ${clock(last.at)} (finalized block #${last.block}).`;
  } catch {
    localStorage.removeItem(LAST_CHECK);
  }
}

async function places(): Promise<void> {
  if (!light) return;
  const list = byId("places");
  try {
    const block = await light.finalizedBlock();
    const region = new TextEncoder().encode(config.region);
    const cells = (await light.read(block, "the places with recent cases", (signal) =>
      light!.api.apis.LocationsApi.infected_cells(region, 200, { at: block.hash, signal }),
    )) as unknown[];
    const p = await primitives();
    list.replaceChildren(
      ...cells.map((raw) => {
        const cell = toCell(raw);
        const [s, w, n, e] = p.cellBounds(cell);
        const li = el("li", `${cell}: around ${((s + n) / 2).toFixed(4)}, ${((w + e) / 2).toFixed(4)}`);
        li.dataset.cell = cell;
        return li;
      }),
    );
    if (!cells.length) list.replaceChildren(el("li", "None."));
  } catch (e) {
    showError(list, e);
  }
}

void main();

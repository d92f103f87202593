// The health authority's dashboard: the region's registered places on its geohash grid, and the
// aggregates the chain publishes per day, all read through the light client at each finalized
// block.
import {
  currentRisk,
  devSigner,
  extensionSigners,
  openMotions,
  submitAction,
  vote,
  type Action,
  type Outcome,
  type SignerChoice,
} from "./authority";
import { loadConfig, type AppConfig } from "./config";
import { cellArg, toCell, toHex, toText } from "./codec";
import { dayName } from "./exposure";
import { LightClient, type At, type Finalized } from "./light";
import { bindStatus, byId, clock, el, showError, statusFailed } from "./ui";
import { parseRequest } from "./consent";
import { drawCode, parseVenue, venueCode } from "./venue";
import { primitives } from "./wasm";

const DAYS = 14;
const GEOHASH = "0123456789bcdefghjkmnpqrstuvwxyz";
const SVG = "http://www.w3.org/2000/svg";

let light: LightClient;
let config: AppConfig;

async function main(): Promise<void> {
  try {
    config = await loadConfig();
    byId("region-name").textContent = `· ${config.regionName}`;
    light = await LightClient.start(config);
  } catch (e) {
    statusFailed(e);
    return;
  }
  bindStatus(light);
  await drawGrid();
  void wireActions();
  wireVenueCode();
  wireRequestCode();
  void matcherStatistics();
  setInterval(() => void matcherStatistics(), 15_000);
  let busy = false;
  let pending: Finalized | undefined;
  const refresh = async (block: Finalized) => {
    if (busy) {
      pending = block;
      return;
    }
    busy = true;
    try {
      await light.read(block, "the region's figures", (signal) => update(block, signal));
    } catch (e) {
      showError(byId("chain-line"), e);
    } finally {
      busy = false;
      const next = pending;
      pending = undefined;
      if (next) void refresh(next);
    }
  };
  light.client.finalizedBlock$.subscribe((b) => {
    const f = { number: b.number, hash: b.hash, seenAt: Date.now() };
    recordBlock(f);
    void refresh(f);
  });
}

/** Finalized blocks seen while the page is open (number, when seen), newest last. */
const seen: Array<{ number: number; at: number }> = [];
const SEEN = 60;

function recordBlock(f: Finalized): void {
  seen.push({ number: f.number, at: f.seenAt });
  if (seen.length > SEEN) seen.shift();
  const gaps = seen.slice(1).map((b, i) => (b.at - seen[i].at) / 1000 / Math.max(1, b.number - seen[i].number));
  const line = byId("blocks-line");
  if (!gaps.length) {
    line.textContent = `Finalized block #${f.number}; the time between blocks shows from the next one.`;
    return;
  }
  const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
  line.textContent = `Finalized block #${f.number}. Over the last ${gaps.length + 1} finalized blocks seen here, one every ${mean.toFixed(1)} s on average (longest gap ${Math.max(...gaps).toFixed(1)} s).`;
  const svg = byId("blocks-chart") as unknown as SVGSVGElement;
  const max = Math.max(12, ...gaps);
  const w = 600 / SEEN;
  const bars = gaps.map((g, i) => {
    const r = document.createElementNS(SVG, "rect");
    const h = (110 * g) / max;
    r.setAttribute("x", String(i * w));
    r.setAttribute("y", String(115 - h));
    r.setAttribute("width", String(w * 0.8));
    r.setAttribute("height", String(h));
    r.setAttribute("class", "gap");
    return r;
  });
  svg.querySelectorAll("rect").forEach((r) => r.remove());
  svg.append(...bars);
}

async function wireActions(): Promise<void> {
  const select = byId("signer") as HTMLSelectElement;
  const result = byId("act-result");
  const choices: SignerChoice[] = await extensionSigners();
  select.replaceChildren(
    ...choices.map((c, i) => new Option(c.label, String(i))),
    ...(config.allowDevKeys ? [new Option("A development key (typed below)", "dev")] : []),
  );
  if (!select.options.length) {
    select.append(new Option("No wallet extension found", ""));
    select.disabled = true;
    byId("act").setAttribute("disabled", "");
  }
  const showDev = () => (byId("dev-key-row").hidden = select.value !== "dev");
  select.addEventListener("change", showDev);
  showDev();
  const action = byId("action") as HTMLSelectElement;
  const showFields = () => {
    document.querySelectorAll<HTMLFieldSetElement>("#act-form fieldset").forEach((f) => (f.hidden = f.dataset.action !== action.value));
    if (action.value === "set-risk") void fillRisk();
  };
  action.addEventListener("change", showFields);
  showFields();
  const value = (id: string) => (byId(id) as HTMLInputElement | HTMLSelectElement).value.trim();
  signerOf = () => {
    const choice = select.value === "dev" ? devSigner(value("dev-key")) : choices[Number(select.value)];
    if (!choice) throw new Error("Choose who signs first.");
    return choice;
  };
  byId("act-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const button = byId("act") as HTMLButtonElement;
    button.disabled = true;
    result.dataset.tone = "busy";
    result.textContent = "Signing and submitting…";
    try {
      const choice = signerOf();
      const a: Action = (() => {
        switch (action.value) {
          case "mark-cleaned":
            return { kind: "mark-cleaned", cell: value("clean-cell") } as const;
          case "register-locator":
            return { kind: "register-locator", account: value("locator-account"), locatorKind: value("locator-kind"), region: value("locator-region") } as const;
          case "register-diagnostician":
            return { kind: "register-diagnostician", account: value("diag-account"), region: value("diag-region"), certificate: value("diag-cert") } as const;
          case "set-risk":
            return {
              kind: "set-risk",
              changes: {
                distance_cm: value("risk-distance"),
                min_duration_secs: value("risk-duration"),
                venue_precision: value("risk-venue-precision"),
                venue_min_duration_secs: value("risk-venue-duration"),
                venue_distance_cm: value("risk-venue-distance"),
              },
            } as const;
          default:
            return { kind: "register-location", cell: value("loc-cell"), material: value("loc-material") } as const;
        }
      })();
      showOutcome(await submitAction(light, choice, a), choice);
      void drawMotions();
    } catch (e) {
      result.dataset.outcome = "invalid";
      showError(result, e);
    } finally {
      button.disabled = false;
    }
  });
}

/** Who signs, as the form says now (set once the form is wired). */
let signerOf: () => SignerChoice = () => {
  throw new Error("Choose who signs first.");
};

/** Shows what a submitted action, or a vote, did. */
function showOutcome(outcome: Outcome, choice: SignerChoice): void {
  const result = byId("act-result");
  const m = outcome.motion;
  result.dataset.tone = outcome.ok ? "ok" : "bad";
  result.dataset.outcome = !outcome.ok ? "refused" : m ? "proposed" : "ok";
  result.textContent = !outcome.ok
    ? `Refused by the chain (${outcome.refusal}) in block #${outcome.block}; nothing changed.`
    : m
      ? `Council motion #${m.index} (${m.call}) has ${m.ayes} of the ${m.threshold} ayes it needs (finalized block #${outcome.block}); it acts once enough members vote aye below.`
      : `Done: included in finalized block #${outcome.block}, signed by ${choice.address}.`;
}

/** Lists the council's open motions, each with aye and nay buttons for the form's signer. */
async function drawMotions(at?: At): Promise<void> {
  const motions = await openMotions(light, at);
  const table = byId("motions-table");
  table.hidden = motions.length === 0;
  byId("motions-line").textContent = motions.length
    ? `${motions.length} open council motion${motions.length === 1 ? "" : "s"}:`
    : "No open council motion.";
  table.querySelector("tbody")?.replaceChildren(
    ...motions.map((m) => {
      const tr = document.createElement("tr");
      tr.dataset.hash = m.hash;
      tr.dataset.call = m.call;
      const buttons = el("td");
      for (const [label, approve] of [["Aye", true], ["Nay", false]] as const) {
        const b = el("button", label) as HTMLButtonElement;
        b.type = "button";
        b.dataset.vote = approve ? "aye" : "nay";
        b.setAttribute("aria-label", `${label} on motion #${m.index}, ${m.call}`);
        b.addEventListener("click", () => void castVote(m.hash, approve));
        buttons.append(b);
      }
      tr.append(el("td", `#${m.index}`), el("td", m.call), el("td", `${m.ayes} of ${m.threshold}`), el("td", String(m.nays)), el("td", `#${m.end}`), buttons);
      return tr;
    }),
  );
}

/** Votes on a motion with the form's signer. */
async function castVote(hash: string, approve: boolean): Promise<void> {
  const result = byId("act-result");
  result.dataset.tone = "busy";
  result.textContent = "Signing the vote…";
  try {
    const choice = signerOf();
    showOutcome(await vote(light, choice, hash, approve), choice);
  } catch (e) {
    result.dataset.outcome = "invalid";
    showError(result, e);
  }
  void drawMotions();
}

/** Region bounds projected onto the map's 1000-unit-wide viewBox. */
let project: (lat: number, lon: number) => [number, number] = () => [0, 0];
let scale = 1;

async function drawGrid(): Promise<void> {
  const p = await primitives();
  const [s, w, n, e] = p.cellBounds(config.region);
  const midLat = ((s + n) / 2) * (Math.PI / 180);
  const width = (e - w) * Math.cos(midLat);
  const height = n - s;
  scale = 1000 / width;
  const svg = byId("map") as unknown as SVGSVGElement;
  svg.setAttribute("viewBox", `0 0 1000 ${Math.round(height * scale)}`);
  project = (lat, lon) => [(lon - w) * Math.cos(midLat) * scale, (n - lat) * scale];
  const grid = document.createElementNS(SVG, "g");
  grid.setAttribute("class", "grid");
  for (const c of GEOHASH) {
    const cell = config.region + c;
    const [cs, cw, cn, ce] = p.cellBounds(cell);
    const [x0, y0] = project(cn, cw);
    const [x1, y1] = project(cs, ce);
    const r = document.createElementNS(SVG, "rect");
    r.setAttribute("x", String(x0));
    r.setAttribute("y", String(y0));
    r.setAttribute("width", String(x1 - x0));
    r.setAttribute("height", String(y1 - y0));
    const t = document.createElementNS(SVG, "text");
    t.setAttribute("x", String(x0 + 4));
    t.setAttribute("y", String(y0 + 14));
    t.textContent = cell;
    grid.append(r, t);
  }
  svg.append(grid);
  const places = document.createElementNS(SVG, "g");
  places.setAttribute("id", "map-places");
  svg.append(places);
}

/** Redraws every figure from `block`; every read takes `signal`, the refresh's deadline. */
async function update(block: Finalized, signal: AbortSignal): Promise<void> {
  const api = light.api;
  const at: At = { at: block.hash, signal };
  const today = await light.dayAt(block, signal);
  byId("chain-line").textContent = `Finalized block #${block.number}, verified ${clock(block.seenAt)}; chain day ${today} (${dayName(today)}).`;

  // Registered places: every key of `Locations::Locations` (a proven storage iteration), then
  // their effective states from the runtime (an Infected place past its window reads Clean).
  const entries = (await api.query.Locations.Locations.getEntries(at)) as Array<{ keyArgs: unknown[] }>;
  const cells = entries.map((e) => toCell(e.keyArgs[0]));
  const mine = cells.filter((c) => c.startsWith(config.region));
  const views = (await api.apis.LocationsApi.locations(
    mine.map(cellArg),
    at,
  )) as Array<{ state: { type: string }; visits_today: number } | undefined>;
  await drawPlaces(mine, views);

  const days = Array.from({ length: DAYS }, (_, i) => today - i);
  const exposures = await Promise.all(
    days.map((d) => api.apis.NotificationsApi.day_counts(d, at) as Promise<{ high: number; low: number; indirect: number }>),
  );
  rows("exposures-table", days, exposures.map((c) => [c.high, c.low, c.indirect]), exposures.map((c) => c.high + c.low + c.indirect));

  const endorsed = await Promise.all(
    days.map((d) => api.apis.DiagnosisApi.jurisdiction_counts(d, at) as Promise<Array<{ jurisdiction: unknown; endorsed: number; revoked: number }>>),
  );
  rows(
    "endorsements-table",
    days,
    endorsed.map((list) => [
      list.reduce((s, j) => s + j.endorsed, 0),
      list.reduce((s, j) => s + j.revoked, 0),
      list.map((j) => `${toText(j.jurisdiction) || "everywhere"}: ${j.endorsed}`).join(", ") || "–",
    ]),
    endorsed.map((list) => list.reduce((s, j) => s + j.endorsed, 0)),
  );

  await drawGaps(at, today);
  await drawMotions(at);

  const records = await Promise.all(
    days.map((d) => api.apis.CsiApi.day_stats(d, at) as Promise<{ batches: number; entries: bigint; stays: bigint } | undefined>),
  );
  rows(
    "records-table",
    days,
    records.map((r) => [r?.batches ?? 0, Number(r?.entries ?? 0n), Number(r?.stays ?? 0n)]),
    records.map((r) => Number(r?.entries ?? 0n)),
  );
}

/** A coverage gap as the chain stores it (`Notifications::CoverageGaps`). */
interface CoverageGap {
  case: bigint;
  round: number;
  as_of: number;
  signer: unknown;
  batches: number;
  first_day: number;
  last_day: number;
}

/** Lists the coverage gaps on chain: cases a matcher could not judge whole (a proven iteration). */
async function drawGaps(at: At, today: number): Promise<void> {
  const entries = (await light.api.query.Notifications.CoverageGaps.getEntries(at)) as unknown as Array<{ value: CoverageGap }>;
  const gaps = entries.map((e) => e.value).sort((a, b) => Number(a.case - b.case));
  const table = byId("gaps-table");
  const line = byId("gaps-line");
  table.querySelector("tbody")?.replaceChildren(
    ...gaps.map((g) => {
      const tr = document.createElement("tr");
      tr.dataset.case = String(g.case);
      const days = g.first_day === g.last_day ? dayName(g.first_day) : `${dayName(g.first_day)} to ${dayName(g.last_day)}`;
      const signer = toHex(g.signer);
      tr.append(el("td", String(g.case)), el("td", String(g.round)), el("td", String(g.batches)), el("td", days), el("td", `${signer.slice(0, 10)}…`));
      return tr;
    }),
  );
  table.hidden = gaps.length === 0;
  if (gaps.length === 0) {
    line.textContent = "Every case was judged whole by a matcher that holds the region's keys.";
    delete line.dataset.tone;
  } else {
    line.dataset.tone = "bad";
    const n = gaps.length;
    line.textContent = `${n} ${n === 1 ? "case waits" : "cases wait"} for a matcher that holds the keys of all their records (chain day ${today}).`;
  }
}

async function drawPlaces(cells: string[], views: Array<{ state: { type: string }; visits_today: number } | undefined>): Promise<void> {
  const p = await primitives();
  const layer = byId("map-places");
  const body = (byId("places-table") as HTMLTableElement).tBodies[0];
  layer.replaceChildren();
  body.replaceChildren();
  cells.forEach((cell, i) => {
    const state = views[i]?.state.type ?? "Unknown";
    const [s, w, n, e] = p.cellBounds(cell);
    const [x, y] = project((s + n) / 2, (w + e) / 2);
    const [x0, y0] = project(n, w);
    const [x1, y1] = project(s, e);
    const g = document.createElementNS(SVG, "g");
    g.setAttribute("class", `place ${state.toLowerCase()}`);
    g.setAttribute("data-cell", cell);
    g.setAttribute("data-state", state);
    const rect = document.createElementNS(SVG, "rect");
    rect.setAttribute("x", String(x0));
    rect.setAttribute("y", String(y0));
    rect.setAttribute("width", String(Math.max(x1 - x0, 1)));
    rect.setAttribute("height", String(Math.max(y1 - y0, 1)));
    // A place is far smaller than the region: a marker at its centre keeps it visible.
    const dot = document.createElementNS(SVG, "circle");
    dot.setAttribute("cx", String(x));
    dot.setAttribute("cy", String(y));
    dot.setAttribute("r", "7");
    const title = document.createElementNS(SVG, "title");
    title.textContent = `${cell}: ${state}`;
    g.append(rect, dot, title);
    layer.append(g);
    const tr = document.createElement("tr");
    tr.dataset.cell = cell;
    tr.dataset.state = state;
    tr.append(el("td", cell), el("td", state), el("td", String(views[i]?.visits_today ?? 0)));
    body.append(tr);
  });
  if (!cells.length) {
    const tr = document.createElement("tr");
    const td = el("td", "No registered place in this region yet.");
    td.setAttribute("colspan", "3");
    tr.append(td);
    body.append(tr);
  }
}

function rows(id: string, days: number[], cols: Array<Array<number | string>>, totals: number[]): void {
  const body = (byId(id) as HTMLTableElement).tBodies[0];
  const max = Math.max(1, ...totals);
  body.replaceChildren(
    ...days.map((d, i) => {
      const tr = document.createElement("tr");
      tr.dataset.day = String(d);
      const th = el("th", dayName(d));
      th.setAttribute("scope", "row");
      tr.append(th, ...cols[i].map((v) => el("td", String(v))));
      const bar = el("td");
      bar.setAttribute("aria-hidden", "true");
      const fill = el("span", undefined, "bar");
      fill.style.width = `${(100 * totals[i]) / max}%`;
      bar.append(fill);
      tr.append(bar);
      return tr;
    }),
  );
}

void main();

/** Draws a venue's check-in code from the form, checked as the citizen's app will read it. */
function wireVenueCode(): void {
  byId("code-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const result = byId("code-result");
    const figure = byId("code-figure");
    result.textContent = "";
    figure.hidden = true;
    try {
      const value = (id: string) => (byId(id) as HTMLInputElement).value.trim();
      const text = venueCode({
        name: value("code-name"),
        cell: value("code-cell"),
        endpoint: value("code-endpoint"),
        genesis: light.genesisHash,
      });
      const venue = parseVenue(text, light.genesisHash, config.region);
      const image = byId("code-image");
      image.innerHTML = await drawCode(text);
      image.querySelector("svg")?.setAttribute("role", "img");
      image.querySelector("svg")?.setAttribute("aria-label", `Check-in code of ${venue.name}`);
      byId("code-text").textContent = text;
      figure.hidden = false;
      result.textContent = `The check-in code of ${venue.name}, for cell ${venue.cell}.`;
    } catch (e) {
      showError(result, e);
    }
  });
}

/** Draws a diagnostician's consent request as a code, checked as the patient's app will read it. */
function wireRequestCode(): void {
  byId("request-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const result = byId("request-result");
    const image = byId("request-image");
    result.textContent = "";
    image.hidden = true;
    void (async () => {
      try {
        const text = (byId("request-text") as HTMLTextAreaElement).value.trim();
        const today = await light.dayAt(await light.finalizedBlock());
        const request = parseRequest(text, light.genesisHash, today);
        image.innerHTML = await drawCode(text);
        image.querySelector("svg")?.setAttribute("role", "img");
        image.querySelector("svg")?.setAttribute("aria-label", "Consent request code");
        image.hidden = false;
        result.textContent = `The consent request for days ${request.first} to ${request.last}, as a code.`;
      } catch (e) {
        showError(result, e);
      }
    })();
  });
}

/** Fills the risk rule's fields from the chain's current rule. */
async function fillRisk(): Promise<void> {
  const fieldset = document.querySelector<HTMLFieldSetElement>('fieldset[data-action="set-risk"]');
  try {
    const r = await currentRisk(light);
    const fields: Array<[string, string]> = [
      ["risk-distance", "distance_cm"],
      ["risk-duration", "min_duration_secs"],
      ["risk-venue-precision", "venue_precision"],
      ["risk-venue-duration", "venue_min_duration_secs"],
      ["risk-venue-distance", "venue_distance_cm"],
    ];
    for (const [id, key] of fields) (byId(id) as HTMLInputElement).value = String(r[key]);
    if (fieldset) fieldset.dataset.loaded = "true";
  } catch (e) {
    showError(byId("act-result"), e);
  }
}

/** The matcher's counts, in people's words, by the field its statistics name them. */
const MATCHER_COUNTS: Array<[string, string]> = [
  ["batches", "Batches opened"],
  ["entries", "Entries opened"],
  ["rejectedEntries", "Entries that did not authenticate"],
  ["unopenableBatches", "Batches sealed to a key it cannot use"],
  ["unopenedInWindow", "Batches of the last 14 days it could not open"],
  ["stays", "Stays in its index"],
  ["owners", "Pseudonyms in its index"],
  ["judgements", "Judgements made"],
  ["resultsSigned", "Results signed"],
  ["queries", "Pull queries answered"],
  ["liveEpochs", "Live sealing keys"],
  ["shreddedEpochs", "Shredded sealing keys"],
];

/** Shows the matcher's aggregate counts (`GET /v1/statistics`), labelled as its own report. */
async function matcherStatistics(): Promise<void> {
  const url = config.matcherUrl;
  if (!url) return;
  const line = byId("matcher-line");
  const table = byId("matcher-table");
  try {
    const response = await fetch(`${url}/v1/statistics`, { cache: "no-store" });
    if (!response.ok) throw new Error(`it answered ${response.status}`);
    const stats = (await response.json()) as Record<string, unknown>;
    table.querySelector("tbody")?.replaceChildren(
      ...MATCHER_COUNTS.filter(([key]) => typeof stats[key] === "number").map(([key, label]) => {
        const tr = document.createElement("tr");
        tr.dataset.count = key;
        tr.append(el("th", label), el("td", String(stats[key])));
        tr.firstElementChild?.setAttribute("scope", "row");
        return tr;
      }),
    );
    table.hidden = false;
    const synced = typeof stats.syncedBlock === "number" ? `, indexed to block #${stats.syncedBlock}` : "";
    line.textContent = `Reported by the matcher at ${url} (${String(stats.mode ?? "unknown mode")}${synced}) at ${clock(Date.now())}.`;
    delete line.dataset.tone;
  } catch (e) {
    line.dataset.tone = "bad";
    line.textContent = `The matcher at ${url} did not answer (${e instanceof Error ? e.message : String(e)}); its counts are unknown.`;
  }
}

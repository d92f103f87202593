// The app in a real browser (Debian's Chromium, driven by playwright-core) over a dev region
// that app/scripts/test.sh brought up: two citizens' devices are made in the app, a gateway
// writes their stays from the day keys the app exports, one of them is diagnosed and gives
// consent through the app, and the other's app shows the exposure, verified through its light
// client; the dashboard's map shows the place the case was at as Infected.
//
// The ground truth is the simulation's record of what physically happened (truth.json: who met
// whom, on which day, for how long, and where each person was), not the matcher's judgement.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";

import { startLyingPeer } from "../scripts/lying-peer.mjs";
import { countingRelay, freePort } from "../scripts/net.mjs";

const appUrl = need("EPICHAIN_APP_URL");
const ws = need("EPICHAIN_WS");
const bin = need("EPICHAIN_BIN");
const work = need("EPICHAIN_WORK");
const artifacts = need("EPICHAIN_APP_ARTIFACTS");
mkdirSync(artifacts, { recursive: true });

function need(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run app/scripts/test.sh`);
  return v;
}

/** The Rust CLI against the dev region. */
function cli(...args) {
  return execFileSync(join(bin, "epichain"), ["--url", ws, ...args], { cwd: work, encoding: "utf8" });
}

let browser;
const pages = {};
let truth;
let meeting;
let venue;

before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  cli("--json", "simulate", "--out", "pop", "--people", "40", "--seed", "3");
  truth = JSON.parse(readFileSync(join(work, "pop/truth.json"), "utf8"));
  // A close contact of at least 15 minutes, physically: the judge's default rule says High.
  meeting = truth.meetings.find((m) => m.kind === "close" && m.minutes >= 15);
  assert.ok(meeting, "the simulation has a close contact of 15 minutes or more");
  const [caseId] = meeting.people;
  const table = truth.presences.find((p) => p.person === caseId && truth.places[p.place].kind === "table");
  assert.ok(table, "the case sat at a venue's table that day");
  venue = truth.places[table.place].cell.slice(0, 7);
  cli("authority", "register-location", venue, "--material", "plastic");
});

after(async () => {
  gateway?.kill();
  stranger?.kill();
  await browser?.close();
});

/** A code's SVG printed alone on a page and photographed (a PNG at `path`). */
async function printedCode(svg, path) {
  const printed = await (await browser.newContext()).newPage();
  await printed.setContent(`<body style="margin:0;background:#fff"><div style="width:400px;padding:20px">${svg}</div></body>`);
  await printed.locator("svg").screenshot({ path });
  await printed.context().close();
}

/** A fresh device: its own browser profile (IndexedDB), the citizen's app open and verified. */
async function openDevice(name) {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  const log = [];
  page.on("console", (m) => log.push(`${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => log.push(`pageerror: ${e.message}`));
  const requests = [];
  page.on("request", (r) => requests.push({ method: r.method(), url: r.url() }));
  const opened = Date.now();
  await page.goto(appUrl);
  await page.waitForSelector('#status[data-kind="verified"]', { timeout: 120_000 });
  pages[name] = { context, page, log, requests, opened, verifiedMs: Date.now() - opened };
  return pages[name];
}

async function download(page, click) {
  const [file] = await Promise.all([page.waitForEvent("download"), page.click(click)]);
  return readFileSync(await file.path(), "utf8");
}

/** Person `id`'s simulated stays, without their pseudonym: the gateway names the owner by key export. */
function staysOf(id) {
  const seedFile = join(work, `pop/seeds/person-${String(id).padStart(4, "0")}.seed`);
  const rows = readFileSync(join(work, "pop/trajectories.csv"), "utf8").trim().split("\n");
  const header = rows.shift().split(",");
  const col = (n) => header.indexOf(n);
  const days = new Set(rows.map((r) => Math.floor(Number(r.split(",")[col("start")]) / 86_400)));
  const mine = new Set(
    [...days].map((day) => JSON.parse(cli("--json", "keys", "show", "--seed", seedFile, "--day", String(day))).pseudonym),
  );
  const out = rows
    .map((r) => r.split(","))
    .filter((f) => mine.has(f[col("pseudonym")]))
    .map((f) => [f[col("start")], f[col("end")], f[col("geohash")], f[col("source")]].join(","));
  assert.ok(out.length > 0, `person ${id} has stays`);
  return ["start,end,geohash,source", ...out].join("\n") + "\n";
}

async function shot(page, name) {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

test("a citizen's device is made in the browser and reaches the chain only through its light client", async (t) => {
  for (const name of ["contact", "patient"]) {
    const { page, verifiedMs, opened } = await openDevice(name);
    t.diagnostic(`${name}: verified finalized block in ${verifiedMs} ms from opening`);
    await page.click("#make-key");
    await page.waitForSelector("#has-device:not([hidden])");
    assert.match(await page.textContent("#today-fingerprint"), /^0x[0-9a-f]{32}$/);
    // Nothing was written for a new device yet: its first check, verified, finds nothing.
    await page.waitForSelector('#result[data-state="clear"]', { timeout: 60_000 });
    t.diagnostic(`${name}: first verified check done ${Date.now() - opened} ms after opening`);
  }
  const { requests } = pages.contact;
  const origin = new URL(appUrl).origin;
  // Only the app's own files: no RPC node, no server is asked anything about this device.
  assert.deepEqual(requests.filter((r) => r.method !== "GET" || !r.url.startsWith(origin)), []);
  await shot(pages.contact.page, "citizen-new-device");
});

test("a gateway writes each device's stays from the day keys its app exports", async () => {
  for (const [name, person] of [["contact", meeting.people[1]], ["patient", meeting.people[0]]]) {
    await pages[name].page.click("summary:has-text('Share with a gateway or a venue')");
    const keys = await download(pages[name].page, "#export-days");
    const list = JSON.parse(keys);
    assert.equal(list.length, 14);
    writeFileSync(join(work, `${name}-keys.json`), keys);
    writeFileSync(join(work, `${name}.csv`), staysOf(person));
    // The matcher registers itself shortly after the region starts; until then there is no key.
    for (let i = 0; ; i++) {
      try {
        cli("--json", "locator", "submit", "--suri", "//Eve", "--owner", `${name}-keys.json`, `${name}.csv`);
        break;
      } catch (e) {
        if (i === 60) throw e;
        await new Promise((r) => setTimeout(r, 2_000));
      }
    }
  }
});

/** The venue both devices visit, and its locator service (`epichain locator serve`). */
// The visits happened yesterday before noon (UTC), by the phones' clocks: the simulated
// population lives today only, so a warning of yesterday can come from the café alone.
const cafe = { cell: "xn76gq8zd", name: "Corner café", minutesBeforeNoon: { patient: [45, 5], contact: [40, 10] } };
let gateway;

test("two visitors check in at a venue by its code; each phone seals its visit, which the venue cannot read", async (t) => {
  // The venue's locator, whitelisted for its block, runs the project's intake service.
  cli("--wait", "finalized", "authority", "add-locator", "//Dave", "--kind", "venue", "--region", cafe.cell.slice(0, 7));
  const port = await freePort();
  const log = join(work, "venue-service.log");
  const origin = new URL(appUrl).origin;
  gateway = spawn(join(bin, "epichain"), ["--url", ws, "locator", "serve", "--suri", "//Dave", "--listen", `127.0.0.1:${port}`, "--flush-secs", "2", "--allow-origin", origin], {
    stdio: ["ignore", openSync(log, "w"), openSync(log, "a")],
  });
  cafe.endpoint = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    const up = await fetch(`${cafe.endpoint}/v1/locator`).catch(() => undefined);
    if (up?.ok) break;
    assert.ok(i < 120, `the venue's service did not start: ${readFileSync(log, "utf8")}`);
    await new Promise((r) => setTimeout(r, 500));
  }

  // The authority's dashboard draws the venue's code; a place outside the region is refused.
  const board = await (await browser.newContext()).newPage();
  await board.goto(new URL("dashboard.html", appUrl).href);
  await board.waitForSelector('#status[data-kind="verified"]', { timeout: 120_000 });
  await board.fill("#code-name", cafe.name);
  await board.fill("#code-endpoint", cafe.endpoint);
  await board.fill("#code-cell", "u4pruydqq");
  await board.click("#make-code");
  assert.match(await board.textContent("#code-result"), /outside the region/);
  await board.fill("#code-cell", cafe.cell);
  await board.click("#make-code");
  await board.waitForSelector("#code-figure:not([hidden]) svg");
  // The code as the venue prints it, photographed.
  const photo = join(artifacts, "venue-code.png");
  await printedCode(await board.innerHTML("#code-image"), photo);
  await board.context().close();
  const notACode = join(artifacts, "not-a-code.png");
  const printed = await (await browser.newContext()).newPage();
  await printed.setContent(`<body style="margin:0"><h1>Corner café</h1><p>Welcome!</p></body>`);
  await printed.screenshot({ path: notACode });
  await printed.context().close();

  const minute = 60_000;
  const day = 86_400_000;
  const noon = Math.floor(Date.now() / day) * day - day / 2;
  for (const name of ["patient", "contact"]) {
    const { page } = pages[name];
    const bodies = [];
    page.on("request", (r) => r.url().startsWith(cafe.endpoint) && r.method() === "POST" && bodies.push(r.postData()));
    // A picture without a code is refused in words; nothing is checked in.
    await page.setInputFiles("#venue-photo", notACode);
    await page.waitForSelector('#venue-message[data-tone="bad"]:not([hidden])');
    assert.match(await page.textContent("#venue-message"), /No code could be read/);
    // The phone's clock at check-in and check-out.
    const [from, to] = cafe.minutesBeforeNoon[name];
    await page.clock.setFixedTime(noon - from * minute);
    await page.setInputFiles("#venue-photo", photo);
    await page.waitForSelector("#checked-in:not([hidden])");
    assert.equal(await page.textContent("#venue-name"), cafe.name);
    await page.clock.setFixedTime(noon - to * minute);
    const out = Date.now();
    await page.click("#check-out");
    await page.waitForSelector('#diary li[data-state="stored"]', { timeout: 120_000 });
    t.diagnostic(`${name}: check-out to "Recorded on the chain" (verified by the light client): ${Date.now() - out} ms`);
    assert.match(await page.textContent('#diary li[data-state="stored"]'), /Recorded on the chain \(verified at finalized block #\d+\)/);
    await page.clock.setFixedTime(Date.now());
    // What the phone handed the venue: a sealed entry, never its pseudonym or fingerprint.
    const keys = JSON.parse(readFileSync(join(work, `${name}-keys.json`), "utf8"));
    assert.ok(bodies.length >= 1);
    for (const body of bodies) {
      for (const k of keys) {
        assert.ok(!body.includes(k.pseudonym.slice(2)) && !body.includes(k.fingerprint.slice(2)), "a pseudonym reached the venue");
      }
    }
    pages[name].visitDay = Math.floor(noon / day);
  }
  await shot(pages.contact.page, "citizen-venue-visit");
  // The venue's service never logs a pseudonym, a fingerprint or a one-time key.
  const served = readFileSync(log, "utf8");
  t.diagnostic(served.trim().split("\n").slice(-3).join(" | "));
  for (const name of ["patient", "contact"]) {
    for (const k of JSON.parse(readFileSync(join(work, `${name}-keys.json`), "utf8"))) {
      assert.ok(!served.includes(k.pseudonym.slice(2)) && !served.includes(k.fingerprint.slice(2)));
    }
  }
  assert.match(served, /a batch of \d+ entries stored in block #\d+/);
  assert.doesNotMatch(served, /0x[0-9a-f]{64}/, "no key or entry in the log");
});

/** The region's app gateway (`epichain locator serve` as //Eve, started with the region) at the URL the app's config names. */
const gatewayUrl = need("EPICHAIN_GATEWAY");

/** The centre of a geohash cell, by the geohash definition (bits alternate longitude, latitude). */
function cellCentre(hash) {
  const alphabet = "0123456789bcdefghjkmnpqrstuvwxyz";
  const range = { lon: [-180, 180], lat: [-90, 90] };
  let lon = true;
  for (const c of hash) {
    const bits = alphabet.indexOf(c);
    for (let b = 4; b >= 0; b--) {
      const r = lon ? range.lon : range.lat;
      const mid = (r[0] + r[1]) / 2;
      if ((bits >> b) & 1) r[0] = mid;
      else r[1] = mid;
      lon = !lon;
    }
  }
  return { latitude: (range.lat[0] + range.lat[1]) / 2, longitude: (range.lon[0] + range.lon[1]) / 2 };
}

test("a phone records its own trip by satellite, seals its finished stays, and the gateway passes on what it cannot read", async (t) => {
  const log = join(work, "gateway.log");
  const origin = new URL(appUrl).origin;
  // This region's own gateway: its log says it listens (a service left on the port by something
  // else would answer too).
  const listening = `on ${gatewayUrl} (`;
  for (let i = 0; ; i++) {
    const up = await fetch(`${gatewayUrl}/v1/locator`).catch(() => undefined);
    if (up?.ok && readFileSync(log, "utf8").includes(listening)) break;
    assert.ok(i < 120, `the gateway's service did not start: ${readFileSync(log, "utf8")}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  const { page, context } = await openDevice("walker");
  await page.click("#make-key");
  await page.waitForSelector("#has-device:not([hidden])");
  await page.click("summary:has-text('Share with a gateway or a venue')");
  const keys = JSON.parse(await download(page, "#export-days"));
  await context.grantPermissions(["geolocation"], { origin });
  const bodies = [];
  page.on("request", (r) => r.url().startsWith(gatewayUrl) && r.method() === "POST" && bodies.push(r.postData()));

  // Yesterday by the phone's clock: at the café's table from 40 to 15 minutes before noon (the
  // patient was checked in there from 45 to 5), then about a kilometre south from 12 to 9
  // minutes before noon. A sample a minute: two places, so two stays.
  const minute = 60_000;
  const day = 86_400_000;
  const noon = Math.floor(Date.now() / day) * day - day / 2;
  const south = cellCentre(cafe.cell);
  south.latitude -= 0.009;
  const legs = [
    { where: cellCentre(cafe.cell), minutes: [...Array(26).keys()].map((m) => 40 - m) },
    { where: south, minutes: [12, 11, 10, 9] },
  ];
  for (const leg of legs) {
    // Recording restarts at each place, so no sample is taken at one place with the other's time.
    await page.clock.setFixedTime(noon - leg.minutes[0] * minute);
    await context.setGeolocation(leg.where);
    await page.check("#trips-record");
    for (const m of leg.minutes) {
      await page.clock.setFixedTime(noon - m * minute);
      const before = Number(await page.getAttribute("#trips-now", "data-fixes"));
      await page.waitForFunction((n) => Number(document.getElementById("trips-now").dataset.fixes) > n, before);
    }
    await page.uncheck("#trips-record");
    if (leg.where !== south) {
      // A kilometre north of the café is outside the region (xn77): such a position is not kept.
      const kept = await page.getAttribute("#trips-now", "data-fixes");
      await context.setGeolocation({ ...leg.where, latitude: leg.where.latitude + 0.009 });
      await page.check("#trips-record");
      await page.waitForFunction(() => /\d+ outside the region were not kept/.test(document.getElementById("trips-now").textContent));
      await page.uncheck("#trips-record");
      assert.equal(await page.getAttribute("#trips-now", "data-fixes"), kept);
    }
  }

  // Handed in at 8 minutes before noon, the stay to the south may still grow: only the café goes.
  await page.clock.setFixedTime(noon - 8 * minute);
  // A gateway that cannot be reached is said in words, and every sample stays on the phone.
  const recorded = await page.getAttribute("#trips-now", "data-fixes");
  await page.route(`${gatewayUrl}/v1/entries`, (route) => route.abort());
  await page.click("#trips-hand-in");
  await page.waitForSelector('#trips-message[data-tone="bad"]:not([hidden])');
  assert.match(await page.textContent("#trips-message"), /could not be reached\. What you recorded is kept here/);
  assert.equal(await page.getAttribute("#trips-now", "data-fixes"), recorded);
  assert.equal(await page.locator("#trips li[data-state]").count(), 0);
  await page.unroute(`${gatewayUrl}/v1/entries`);
  await page.click("#trips-hand-in");
  await page.waitForSelector('#trips li[data-state]', { timeout: 60_000 });
  assert.equal(await page.getAttribute("#trips li[data-state]", "data-stays"), "1");
  assert.ok(Number(await page.getAttribute("#trips-now", "data-fixes")) >= 4, "the open stay's samples stay on the phone");
  // At noon it is over too; the second hand-in takes it, and nothing is left on the phone.
  await page.clock.setFixedTime(noon);
  await page.click("#trips-hand-in");
  await page.waitForFunction(() => document.querySelectorAll("#trips li[data-state]").length === 2);
  await page.waitForFunction(() => document.getElementById("trips-now").dataset.fixes === "0");
  const out = Date.now();
  await page.waitForFunction(() => [...document.querySelectorAll("#trips li")].every((li) => li.dataset.state === "stored"), null, { timeout: 120_000 });
  t.diagnostic(`walker: second hand-in to "Recorded on the chain" (verified by the light client): ${Date.now() - out} ms`);
  const stays = await page.$$eval("#trips li", (items) => items.map((li) => Number(li.dataset.stays)));
  assert.deepEqual(stays, [1, 1], "one stay at the café, one to the south");
  assert.match(await page.textContent("#trips li"), /Recorded on the chain \(verified at finalized block #\d+\)/);
  await page.clock.setFixedTime(Date.now());
  pages.walker.tripDay = Math.floor(noon / day);

  // What the phone handed the gateway: sealed entries for the region, never a pseudonym or a cell.
  assert.ok(bodies.length >= 2);
  for (const body of bodies) {
    assert.equal(JSON.parse(body).cellPrefix, "xn76");
    assert.ok(!body.includes(cafe.cell.slice(4)), "a cell reached the gateway");
    for (const k of keys) {
      assert.ok(!body.includes(k.pseudonym.slice(2)) && !body.includes(k.fingerprint.slice(2)), "a pseudonym reached the gateway");
    }
  }
  const served = readFileSync(log, "utf8");
  for (const k of keys) assert.ok(!served.includes(k.pseudonym.slice(2)) && !served.includes(k.fingerprint.slice(2)));
  assert.match(served, /a batch of \d+ entries stored in block #\d+/);
  assert.doesNotMatch(served, /0x[0-9a-f]{64}/, "no key or entry in the log");
  await shot(page, "citizen-trips");
});

test("consent requests that are malformed, for another chain or expired are refused in words", async () => {
  const { page } = pages.patient;
  const nullifier = cli("diagnostician", "nullifier", "--lab", "lab-app", "--case-id", "c-refused").trim();
  const request = JSON.parse(cli("diagnostician", "consent-request", "--suri", "//Ferdie", "--nullifier", nullifier));
  const cases = [
    ["not json at all", /not a consent request/],
    [JSON.stringify({ ...request, genesis: "0x" + "11".repeat(32) }), /another region's chain/],
    [JSON.stringify({ ...request, first: request.first - 40, last: request.last - 30 }), /expired/],
    [JSON.stringify({ ...request, nullifier: "0x1234" }), /damaged/],
  ];
  for (const [text, expected] of cases) {
    await page.fill("#consent-request", text);
    await page.click("#sign-consent");
    await page.waitForSelector('#consent-message[data-tone="bad"]:not([hidden])');
    assert.match(await page.textContent("#consent-message"), expected);
    assert.equal(await page.isHidden("#consent-file"), true, "nothing was signed");
  }
});

test("the patient consents through the app and the diagnostician endorses the case", async () => {
  const { page } = pages.patient;
  const nullifier = cli("diagnostician", "nullifier", "--lab", "lab-app", "--case-id", "c-app-1").trim();
  const request = cli("diagnostician", "consent-request", "--suri", "//Ferdie", "--nullifier", nullifier);
  // The diagnostician shows the request as a code (drawn on the dashboard); the patient's app
  // reads it from a photo.
  const board = await (await browser.newContext()).newPage();
  await board.goto(new URL("dashboard.html", appUrl).href);
  await board.waitForSelector('#status[data-kind="verified"]', { timeout: 120_000 });
  await board.fill("#request-text", request);
  await board.click("#make-request-code");
  await board.waitForSelector("#request-image:not([hidden]) svg", { timeout: 30_000 });
  const photo = join(artifacts, "consent-request-code.png");
  await printedCode(await board.innerHTML("#request-image"), photo);
  await board.context().close();
  await page.fill("#consent-request", "");
  await page.setInputFiles("#consent-request-photo", photo);
  await page.waitForFunction(() => document.getElementById("consent-request").value.includes("epichain-consent-request"));
  assert.equal(JSON.parse(await page.inputValue("#consent-request")).nullifier, JSON.parse(request).nullifier);
  const consent = await download(page, "#sign-consent");
  assert.match(await page.textContent("#consent-message"), /Signed for 3 days/);
  writeFileSync(join(work, "consent-app.json"), consent);
  await shot(page, "citizen-consent");
  cli("--wait", "finalized", "diagnostician", "endorse", "--suri", "//Ferdie", "--consent", "consent-app.json");
});

/** Checks again every 3 s until the page shows an exposure (at most 300 s); the ms it took. */
async function checkUntilExposed(page) {
  const started = Date.now();
  for (;;) {
    await page.click("#check");
    await page.waitForSelector('#result:not([data-state="checking"])', { timeout: 60_000 });
    if ((await page.getAttribute("#result", "data-state")) === "exposed") return Date.now() - started;
    assert.ok(Date.now() - started < 300_000, "no exposure within 300 s of the endorsement");
    await new Promise((r) => setTimeout(r, 3_000));
  }
}

test("the exposed citizen's app shows the exposure, verified at a finalized block", async (t) => {
  const { page } = pages.contact;
  t.diagnostic(`exposure shown ${await checkUntilExposed(page)} ms after the endorsement was finalized`);
  const item = page.locator(`#result li[data-day="${meeting.day}"]`);
  assert.equal(await item.getAttribute("data-risk"), "High");
  assert.match(await item.textContent(), /close contact with a confirmed case/);
  assert.match(await page.textContent("#result .proof"), /^Verified at finalized block #\d+/);
  assert.match(await page.textContent("#last-check"), /Last successful check: .* \(finalized block #\d+\)/);
  // Both were at the café for 30 minutes together by their phones' check-ins: High, that day
  // (no simulated stay is of that day).
  assert.notEqual(pages.contact.visitDay, meeting.day);
  const visit = page.locator(`#result li[data-day="${pages.contact.visitDay}"]`);
  assert.equal(await visit.getAttribute("data-risk"), "High");
  // The venue the case sat at (truth.json) is among the places with recent cases.
  await page.waitForSelector(`#places li[data-cell="${venue}"]`, { timeout: 30_000 });
  await shot(page, "citizen-exposed");
});

test("the walker's own satellite trip is judged: its app warns of the day it sat beside the case at the café", async () => {
  const { page } = pages.walker;
  await checkUntilExposed(page);
  // 25 minutes in the café's cell while the case was checked in there.
  const item = page.locator(`#result li[data-day="${pages.walker.tripDay}"]`);
  assert.equal(await item.count(), 1, "a warning of the day of the trip");
  assert.equal(await item.getAttribute("data-risk"), "High");
  assert.equal(await page.locator("#result li").count(), 1, "and of no other day");
});

test("the exposed citizen asks the matcher's enclave for the details, sealed both ways", async (t) => {
  const { page, requests } = pages.contact;
  const before = requests.length;
  const bodies = [];
  page.on("request", (r) => r.url().endsWith("/v1/query") && r.method() === "POST" && bodies.push(r.postData()));
  const started = Date.now();
  await page.click("#ask-details");
  await page.waitForSelector('#details-result[data-state="answered"], #details-result[data-state="failed"]', { timeout: 60_000 });
  assert.equal(await page.getAttribute("#details-result", "data-state"), "answered", await page.textContent("#details-result"));
  t.diagnostic(`details answered ${Date.now() - started} ms after asking`);
  // The meeting the simulation recorded (truth.json: close, at least 15 minutes) is the one the
  // enclave reports, with its minutes.
  const item = page.locator(`#details-result li[data-day="${meeting.day}"][data-kind="close"]`);
  assert.ok((await item.count()) >= 1, await page.textContent("#details-result"));
  assert.ok(Number(await item.first().getAttribute("data-minutes")) >= 15);
  assert.match(await item.first().textContent(), /\d+ minutes, (less than 1 m|about \d+ m) from case \d+ on average/);
  // One request left the app for this: the sealed query. Its body is ciphertext and keys only.
  const sent = requests.slice(before).filter((r) => !r.url.startsWith(new URL(appUrl).origin));
  assert.deepEqual(sent.map((r) => `${r.method} ${new URL(r.url).pathname}`), ["POST /v1/query"]);
  assert.equal(bodies.length, 1);
  const body = JSON.parse(bodies[0]);
  assert.deepEqual(Object.keys(body).sort(), ["ciphertext", "ephemeral", "sealingKey"]);
  const fingerprint = (await page.textContent("#today-fingerprint")).slice(2);
  assert.ok(!bodies[0].includes(fingerprint), "no fingerprint of the device in clear");
  await shot(page, "citizen-details");
});

test("the dashboard's map shows the place the case was at as Infected", async (t) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const started = Date.now();
  await page.goto(new URL("dashboard.html", appUrl).href);
  await page.waitForSelector(`#map g.place[data-cell="${venue}"][data-state="Infected"]`, { timeout: 180_000 });
  t.diagnostic(`dashboard showed ${venue} Infected ${Date.now() - started} ms after opening`);
  assert.equal(await page.getAttribute(`#places-table tr[data-cell="${venue}"]`, "data-state"), "Infected");
  const row = page.locator(`#exposures-table tr[data-day="${meeting.day}"] td`);
  assert.ok(Number(await row.nth(0).textContent()) >= 1, "the meeting's day counts a high-risk warning");
  // Both devices' stays were written on the meeting's day.
  await page.waitForSelector(`#records-table tr[data-day="${meeting.day}"]`);
  const entries = page.locator(`#records-table tr[data-day="${meeting.day}"] td`);
  assert.ok(Number(await entries.nth(1).textContent()) >= 2, "the meeting's day counts both devices' entries");
  // The matcher's own counts (labelled as its report): it opened at least the gateway's two
  // submissions and the café's two batches, and signed the case's result.
  await page.waitForSelector('#matcher-table:not([hidden]) tr[data-count="resultsSigned"]', { timeout: 30_000 });
  const count = async (key) => Number(await page.textContent(`#matcher-table tr[data-count="${key}"] td`));
  assert.ok((await count("batches")) >= 4, `batches opened: ${await count("batches")}`);
  assert.ok((await count("resultsSigned")) >= 1);
  assert.equal(await count("rejectedEntries"), 0);
  assert.match(await page.textContent("#matcher-line"), /Reported by the matcher at http:\/\/127\.0\.0\.1:\d+ \(simulation/);
  // The matcher held every key: no case waits with a coverage gap on chain.
  assert.match(await page.textContent("#gaps-line"), /Every case was judged whole/);
  assert.equal(await page.locator("#gaps-table").isHidden(), true);
  await shot(page, "dashboard");
});

test("the authority registers a place through the council and sets the risk rule from the dashboard; bad fields and keys are refused by name", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(new URL("dashboard.html", appUrl).href);
  await page.waitForSelector('#status[data-kind="verified"]', { timeout: 120_000 });
  await page.selectOption("#signer", "dev");
  await page.selectOption("#action", "register-location");
  const outcome = async () => {
    await page.waitForSelector("#act-result[data-outcome]", { timeout: 120_000 });
    return [await page.getAttribute("#act-result", "data-outcome"), await page.textContent("#act-result")];
  };
  const clear = () => page.evaluate(() => document.getElementById("act-result").removeAttribute("data-outcome"));
  const submit = async () => {
    await clear();
    await page.click("#act");
    return outcome();
  };
  // Not a geohash: refused before anything is signed.
  await page.fill("#dev-key", "//Alice");
  await page.fill("#loc-cell", "xn7a");
  assert.deepEqual(await submit(), ["invalid", '"xn7a" is not a geohash cell.']);
  // Neither the sudo key nor a council member: refused before anything is signed.
  const place = "xn76uzz";
  await page.fill("#dev-key", "//Dave");
  await page.fill("#loc-cell", place);
  const [stranger, whyStranger] = await submit();
  assert.equal(stranger, "invalid");
  assert.match(whyStranger, /is neither the chain's sudo key nor a council member/);
  // A council member (the dev council is Alice, Bob and Charlie) proposes it: a motion that
  // needs two of three ayes, the proposer's own counted.
  await page.fill("#dev-key", "//Bob");
  const [proposed, whyProposed] = await submit();
  assert.equal(proposed, "proposed", whyProposed);
  assert.match(whyProposed, /Council motion #\d+ \(Locations\.register_location\) has 1 of the 2 ayes/);
  const row = page.locator('#motions-table tr[data-call="Locations.register_location"]');
  await row.waitFor({ timeout: 60_000 });
  // Nothing acted yet.
  assert.equal(await page.locator(`#map g.place[data-cell="${place}"]`).count(), 0);
  // A second member's aye carries it: the motion closes and the place is registered.
  await page.fill("#dev-key", "//Charlie");
  await clear();
  await row.locator('button[data-vote="aye"]').click();
  const [done, text] = await outcome();
  assert.equal(done, "ok", text);
  assert.match(text, /included in finalized block #\d+/);
  await page.waitForSelector(`#map g.place[data-cell="${place}"][data-state="Empty"]`, { timeout: 60_000 });
  await page.waitForSelector('#motions-table tr[data-call="Locations.register_location"]', { state: "detached", timeout: 60_000 });
  // Registering it again, with the sudo key, is refused by the locations pallet, by name.
  await page.fill("#dev-key", "//Alice");
  const [again, whyAgain] = await submit();
  assert.equal(again, "refused");
  assert.match(whyAgain, /Locations\.LocationExists/);
  assert.match(await page.textContent("#blocks-line"), /Finalized block #\d+/);

  // The risk rule: the form starts from the chain's rule (2 m for 15 min by default).
  await page.selectOption("#action", "set-risk");
  await page.waitForSelector('fieldset[data-action="set-risk"][data-loaded="true"]');
  assert.equal(await page.inputValue("#risk-distance"), "200");
  assert.equal(await page.inputValue("#risk-duration"), "900");
  // Not a number: refused before signing. A place coarser than the matcher's index cell: the
  // chain's rule refuses it by name.
  await page.fill("#risk-duration", "15 min");
  assert.deepEqual(await submit(), ["invalid", "The close-contact duration is not a whole number (0 to 4294967295)."]);
  await page.fill("#risk-duration", "900");
  await page.fill("#risk-venue-precision", "6");
  const [badRule, whyBadRule] = await submit();
  assert.equal(badRule, "refused");
  assert.match(whyBadRule, /Notifications\.InvalidRiskParams/);
  // 2.5 m, set and read back from the chain, then the default again.
  await page.fill("#risk-venue-precision", "8");
  await page.fill("#risk-distance", "250");
  assert.equal((await submit())[0], "ok");
  await page.selectOption("#action", "register-location");
  await page.evaluate(() => document.querySelector('fieldset[data-action="set-risk"]').removeAttribute("data-loaded"));
  await page.selectOption("#action", "set-risk");
  await page.waitForSelector('fieldset[data-action="set-risk"][data-loaded="true"]');
  assert.equal(await page.inputValue("#risk-distance"), "250");
  await page.fill("#risk-distance", "200");
  assert.equal((await submit())[0], "ok");
  await shot(page, "dashboard-authority");
  await context.close();
});

test("a backup restores the key on another device; a tampered one is refused in words", async (t) => {
  const { page } = pages.contact;
  await page.click("#device-h ~ details summary");
  await page.fill("#passphrase", "correct horse battery");
  const backup = await download(page, "#backup");
  const good = join(work, "backup.json");
  const bad = join(work, "backup-tampered.json");
  writeFileSync(good, backup);
  const b = JSON.parse(backup);
  const last = b.ciphertext.at(-1);
  b.ciphertext = b.ciphertext.slice(0, -1) + (last === "0" ? "1" : "0");
  writeFileSync(bad, JSON.stringify(b));

  // The restored device reaches the node through a relay that counts what it downloads.
  const spec = await (await fetch(new URL("chain-spec.json", appUrl))).json();
  const nodePort = Number(spec.bootNodes[0].match(/tcp\/(\d+)/)[1]);
  const relay = await countingRelay(nodePort);
  spec.bootNodes = spec.bootNodes.map((a) => a.replace(/tcp\/\d+/, `tcp/${relay.port}`));
  const context = await browser.newContext();
  await context.route("**/chain-spec.json", (r) => r.fulfill({ body: JSON.stringify(spec), contentType: "application/json" }));
  const other = await context.newPage();
  await other.goto(appUrl);
  await other.waitForSelector("#no-device:not([hidden])");
  await other.click("#device-h ~ details summary");
  await other.fill("#passphrase", "correct horse battery");
  await other.setInputFiles("#restore-file", bad);
  await other.click("#restore");
  await other.waitForSelector('#device-message[data-tone="bad"]:not([hidden])');
  assert.match(await other.textContent("#device-message"), /passphrase is wrong, or the backup was changed/);
  assert.equal(await other.isHidden("#has-device"), true, "no key was taken from it");

  await other.setInputFiles("#restore-file", good);
  await other.click("#restore");
  await other.waitForSelector("#has-device:not([hidden])");
  assert.equal(await other.textContent("#today-fingerprint"), await page.textContent("#today-fingerprint"));

  // Another device's backup does not replace this device's key.
  const patient = pages.patient.page;
  await patient.click("#device-h ~ details summary");
  await patient.fill("#passphrase", "another passphrase");
  const patientBackup = join(work, "backup-patient.json");
  writeFileSync(patientBackup, await download(patient, "#backup"));
  await other.fill("#passphrase", "another passphrase");
  await other.setInputFiles("#restore-file", patientBackup);
  await other.click("#restore");
  await other.waitForSelector('#device-message[data-tone="bad"]:not([hidden])');
  assert.match(await other.textContent("#device-message"), /already has a different key/);
  assert.equal(await other.textContent("#today-fingerprint"), await page.textContent("#today-fingerprint"));

  // The restored device finds the same warning; then what one more check downloads, against
  // what the light client downloads over the same time doing nothing but follow the chain.
  await other.waitForSelector('#status[data-kind="verified"]', { timeout: 120_000 });
  await other.waitForSelector('#result[data-state="exposed"]', { timeout: 60_000 });
  const before = relay.received;
  const started = Date.now();
  await other.click("#check");
  await other.waitForSelector('#result[data-state="exposed"]', { timeout: 60_000 });
  const ms = Date.now() - started;
  const check = relay.received - before;
  const idleFrom = relay.received;
  await new Promise((r) => setTimeout(r, ms));
  const idle = relay.received - idleFrom;
  const notifications = (await other.textContent("#result .proof")).match(/(\d+) warning/)[1];
  t.diagnostic(`one check (14 days, ${notifications} notifications): ${check} bytes received in ${ms} ms; following the chain for as long: ${idle} bytes`);
  relay.close();
  await context.close();
});

test("a chain spec for another chain, or a region it cannot reach, is never shown as 'no exposure'", async () => {
  const spec = await (await fetch(new URL("chain-spec.json", appUrl))).json();
  const forged = structuredClone(spec);
  const top = forged.genesis.raw.top;
  const key = Object.keys(top).find((k) => k.length > 2 && top[k] !== "0x");
  top[key] = top[key].slice(0, -2) + (top[key].endsWith("00") ? "01" : "00");
  const unreachable = { ...spec, bootNodes: spec.bootNodes.map((a) => a.replace(/tcp\/\d+/, "tcp/9")) };
  for (const [body, expected] of [
    [forged, /for another chain/],
    ["{ not json", /not a chain spec/],
  ]) {
    const context = await browser.newContext();
    await context.route("**/chain-spec.json", (r) => r.fulfill({ body: typeof body === "string" ? body : JSON.stringify(body), contentType: "application/json" }));
    const page = await context.newPage();
    await page.goto(appUrl);
    await page.waitForSelector('#status[data-kind="failed"]', { timeout: 60_000 });
    assert.match(await page.textContent("#status"), expected);
    await context.close();
  }
  const context = await browser.newContext();
  await context.route("**/chain-spec.json", (r) => r.fulfill({ body: JSON.stringify(unreachable), contentType: "application/json" }));
  const page = await context.newPage();
  await page.goto(appUrl);
  await page.click("#make-key");
  await new Promise((r) => setTimeout(r, 10_000));
  assert.notEqual(await page.getAttribute("#status", "data-kind"), "verified");
  assert.match(await page.textContent("#status"), /Connecting/);
  assert.equal(await page.getAttribute("#result", "data-state"), "waiting", "no answer was shown");
  assert.match(await page.textContent("#result"), /no check can be made until the light client has verified/);
  assert.match(await page.textContent("#last-check"), /No check yet/);
  await shot(page, "citizen-unreachable");
  await context.close();
});

/**
 * A browser profile whose only peer is a lying one. It relays the region's node faithfully
 * (headers, finality) until `liar.forge` is set; from then on it changes a byte of every trie
 * node of every proof it hands back. One light client at a time.
 */
async function behindLyingPeer(t) {
  const spec = await (await fetch(new URL("chain-spec.json", appUrl))).json();
  const config = await (await fetch(new URL("config.json", appUrl))).json();
  const liar = await startLyingPeer({ bootnode: spec.bootNodes[0], genesis: config.genesisHash });
  const context = await browser.newContext();
  t.after(async () => {
    await context.close();
    await liar.stop();
  });
  await context.route("**/chain-spec.json", (r) =>
    r.fulfill({ body: JSON.stringify({ ...spec, bootNodes: [liar.address] }), contentType: "application/json" }),
  );
  return { context, liar };
}

test("a node that forges its answers is refused by the light client, and the app says so instead of answering", async (t) => {
  const { context, liar } = await behindLyingPeer(t);
  const page = await context.newPage();
  await page.goto(appUrl);
  await page.click("#make-key");
  // While it tells the truth, the check the app makes when it opens is made through it.
  await page.waitForSelector('#result[data-state="clear"]', { timeout: 120_000 });
  const honest = await page.textContent("#last-check");

  // A check at a block already read is answered from what the light client holds: wait for a
  // newer finalized block, so that the next check must ask the peer.
  const honestBlock = Number(await page.getAttribute("#result", "data-block"));
  await page.waitForFunction(
    (n) => Number(/block #(\d+)/.exec(document.getElementById("status").textContent)?.[1]) > n,
    honestBlock,
    { timeout: 60_000 },
  );
  liar.forge = true;
  const started = Date.now();
  await page.click("#check");
  await page.waitForSelector('#result[data-state="checking"]', { timeout: 10_000 });
  await page.waitForSelector('#result:not([data-state="checking"])', { timeout: 180_000 });
  t.diagnostic(`the refusal was shown ${Date.now() - started} ms after the check began; ${liar.forged} answers forged`);
  assert.ok(liar.forged > 0, "the peer forged answers");
  assert.equal(await page.getAttribute("#result", "data-state"), "failed", "no answer is shown");
  assert.match(await page.textContent("#result"), /The check did not finish, so nothing is known about today: A node of the region answered .* with data its proof does not back: the light client refused it/);
  assert.equal(await page.getAttribute("#status", "data-kind"), "refused");
  assert.match(await page.textContent("#status"), /Refused an answer that did not verify against finalized block #\d+/);
  assert.equal(await page.textContent("#last-check"), honest, "the last successful check is still the honest one");
  await shot(page, "citizen-forged-answer");
});

test("a node that forges its answers cannot freeze the dashboard: its refresh fails by name", async (t) => {
  const { context, liar } = await behindLyingPeer(t);
  // The figures are drawn while the peer tells the truth; once it lies, the refresh fails by name
  // instead of waiting for ever and leaving the last figures up as if current.
  const board = await context.newPage();
  await board.goto(new URL("dashboard.html", appUrl).href);
  // The last of a refresh's tables: the whole refresh was made through the peer.
  await board.waitForSelector("#records-table tbody tr", { timeout: 120_000 });
  liar.forge = true;
  await board.waitForFunction(() => /refused it/.test(document.getElementById("chain-line").textContent), null, { timeout: 180_000 });
  assert.ok(liar.forged > 0, "the peer forged answers");
  assert.match(await board.textContent("#chain-line"), /A node of the region answered about .* with data its proof does not back: the light client refused it/);
  assert.equal(await board.getAttribute("#status", "data-kind"), "refused");
  await shot(board, "dashboard-forged-answer");
});

const matcherUrl = need("EPICHAIN_MATCHER");
/** The matcher started in place of the region's first one, by the coverage-gap test. */
let stranger;

/** The matcher's JSON at `path`, or undefined while it does not answer. */
async function matcherGet(path) {
  return fetch(new URL(path, matcherUrl)).then((r) => (r.ok ? r.json() : undefined)).catch(() => undefined);
}

/** Polls `probe` every second until it returns something (at most `seconds`). */
async function until(what, seconds, probe) {
  for (let i = 0; i < seconds; i++) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    await new Promise((r) => setTimeout(r, 1_000));
  }
  throw new Error(`${what}: not within ${seconds} s`);
}

test("the dashboard lists a case the matcher could not judge whole: its keys were lost with its state", async (t) => {
  // A synthetic case and contact, at a Wi-Fi access point yesterday afternoon, sealed to the
  // region's first matcher's key and indexed by it.
  const today = Math.floor(Date.now() / 86_400_000);
  const yesterday = today - 1;
  cli("keys", "new", "--out", "gap-case.seed");
  const keys = JSON.parse(cli("--json", "keys", "export", "--seed", "gap-case.seed", "--from", String(yesterday), "--days", "2"));
  const pseudonym = keys.find((k) => k.day === yesterday).pseudonym;
  const contact = JSON.parse(cli("--json", "keys", "show", "--seed", join(work, "pop/seeds/person-0001.seed"), "--day", String(yesterday))).pseudonym;
  const start = yesterday * 86_400 + 14 * 3_600;
  writeFileSync(
    join(work, "gap-day.csv"),
    ["pseudonym,start,end,geohash,source", `${pseudonym},${start},${start + 1_800},xn76urx66,wifi`, `${contact},${start + 60},${start + 1_740},xn76urx66,wifi`].join("\n") + "\n",
  );
  const before = (await matcherGet("v1/statistics")).batches;
  cli("--wait", "finalized", "locator", "submit", "--suri", "//Eve", "gap-day.csv");
  await until("the first matcher indexed the batch", 120, async () => (await matcherGet("v1/statistics"))?.batches > before);
  const first = (await matcherGet("v1/attestation")).signingKey;

  // It loses its state: a matcher with new keys takes its place and registers itself.
  process.kill(Number(need("EPICHAIN_MATCHER_PID")), "SIGTERM");
  await until("the first matcher stopped", 60, async () => (await matcherGet("health")) === undefined);
  const rpc = ws.replace(/^ws/, "http");
  stranger = spawn(
    join(bin, "epichain-matcher"),
    ["--enclave", "simulation", "--authority-suri", "//Alice", "--chain-spec", join(work, "dev-raw.json"), "--chain-rpc", rpc, "--listen", new URL(matcherUrl).host, "--tmp"],
    { stdio: ["ignore", openSync(join(work, "matcher-stranger.log"), "w"), openSync(join(work, "matcher-stranger.log"), "a")] },
  );
  const second = await until("the new matcher registered and following", 180, async () => {
    const health = await matcherGet("health");
    const attestation = health?.syncedBlock != null ? await matcherGet("v1/attestation") : undefined;
    return attestation && attestation.signingKey !== first ? attestation.signingKey : undefined;
  });

  // The case is endorsed: the new matcher cannot open yesterday's batches, so it signs no result
  // but a coverage gap, which a validator's off-chain worker puts on chain.
  const nullifier = cli("diagnostician", "nullifier", "--lab", "lab-app", "--case-id", "c-app-gap").trim();
  const ferdie = JSON.parse(cli("--json", "diagnostician", "consent-request", "--suri", "//Ferdie", "--nullifier", nullifier)).diagnostician;
  cli("patient", "consent", "--seed", "gap-case.seed", "--diagnostician", ferdie, "--nullifier", nullifier, "--onset", String(yesterday), "--last", String(today), "--out", "gap-consent.json");
  cli("--wait", "finalized", "diagnostician", "endorse", "--suri", "//Ferdie", "--consent", "gap-consent.json");

  const caseId = await until("the case on chain", 60, async () => {
    const answer = await fetch(rpc, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "diagnosis_caseOfNullifier", params: [nullifier] }),
    }).then((r) => r.json());
    return answer.result ?? undefined;
  });

  const page = await (await browser.newContext()).newPage();
  const started = Date.now();
  await page.goto(new URL("dashboard.html", appUrl).href);
  const row = page.locator(`#gaps-table:not([hidden]) tr[data-case="${caseId}"]`);
  await row.waitFor({ timeout: 240_000 });
  t.diagnostic(`case ${caseId}'s gap was on the dashboard ${Date.now() - started} ms after opening it`);
  const cells = row.locator("td");
  assert.ok(Number(await cells.nth(2).textContent()) >= 1, "at least the batch written before the restart");
  const day = new Date(yesterday * 86_400_000).toLocaleDateString("en-GB", { day: "numeric", month: "long", timeZone: "UTC" });
  assert.ok((await cells.nth(3).textContent()).includes(day), `the gap's days include ${day}`);
  assert.equal(await cells.nth(4).textContent(), `${second.slice(0, 10)}…`, "signed by the matcher that cannot open them");
  assert.match(await page.textContent("#gaps-line"), /^\d+ cases? waits? for a matcher that holds the keys of all their records/);
  assert.equal(await page.getAttribute("#gaps-line", "data-tone"), "bad");
  await shot(page, "dashboard-coverage-gap");
});

test("the citizen's app and the dashboard pass axe-core with no serious or critical violation", async (t) => {
  const axe = readFileSync(new URL("../node_modules/axe-core/axe.min.js", import.meta.url), "utf8");
  const dashboard = await (await browser.newContext()).newPage();
  await dashboard.goto(new URL("dashboard.html", appUrl).href);
  await dashboard.waitForSelector("#places-table tbody tr");
  for (const [name, page] of [["citizen", pages.contact.page], ["dashboard", dashboard]]) {
    await page.addScriptTag({ content: axe });
    const result = await page.evaluate(() => globalThis.axe.run(document, { resultTypes: ["violations"] }));
    const serious = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    t.diagnostic(`${name}: ${result.violations.length} violations, ${serious.length} serious or critical`);
    assert.deepEqual(
      serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join("; ")})`),
      [],
    );
  }
});

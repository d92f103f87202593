// The check-in section of the citizen's app: scan (camera or photo), check in, check out, hand
// in, and the visit diary with each visit's verified state on chain.
import type { AppConfig } from "./config";
import { keep, loadKept } from "./device";
import type { LightClient } from "./light";
import { byId, clock, el, messageLine, poller } from "./ui";
import { handIn, parseVenue, readCode, readCodeFromFile, settleReceipts, type Visit } from "./venue";

const DIARY = "diary";
/** Visits older than this leave the diary (the chain forgets them after 14 days too). */
const DIARY_DAYS = 14;
const POLL_MS = 4_000;

/** What the section needs from the page. */
export interface CheckIn {
  config: AppConfig;
  light: () => LightClient | undefined;
  seed: () => Uint8Array | undefined;
}

let diary: Visit[] = [];
let page: CheckIn;
const polling = poller(poll, POLL_MS);

/** Wires the section; call once the page's config is loaded. */
export async function wireCheckIn(p: CheckIn): Promise<void> {
  page = p;
  const cutoff = Date.now() - DIARY_DAYS * 86_400_000;
  diary = ((await loadKept<Visit[]>(DIARY)) ?? []).filter((v) => (v.to ?? v.from) >= cutoff);
  render();
  byId("venue-photo").addEventListener("change", (ev) =>
    guard(async () => {
      const file = (ev.target as HTMLInputElement).files?.[0];
      if (file) await checkIn(await readCodeFromFile(file));
      (ev.target as HTMLInputElement).value = "";
    }),
  );
  byId("scan").addEventListener("click", () => guard(scan));
  byId("check-out").addEventListener("click", () => guard(checkOut));
  polling.schedule();
}

const { say: message, guard } = messageLine("venue-message");

async function save(): Promise<void> {
  await keep(DIARY, diary);
  render();
}

function open(): Visit | undefined {
  const last = diary[diary.length - 1];
  return last && last.to === undefined ? last : undefined;
}

async function checkIn(code: string): Promise<void> {
  const light = page.light();
  if (!page.seed()) throw new Error("Make this device's key first.");
  if (!light) throw new Error("The light client is not running, so the venue's code cannot be checked against the chain.");
  if (open()) throw new Error("Check out of your current venue first.");
  const venue = parseVenue(code, light.genesisHash, page.config.region);
  diary.push({ venue, from: Date.now(), receipts: [] });
  await save();
  message(`Checked in at ${venue.name}.`, "ok");
}

async function checkOut(): Promise<void> {
  const visit = open();
  const light = page.light();
  const seed = page.seed();
  if (!visit || !light || !seed) return;
  visit.to = Date.now();
  await save();
  await send(visit, light, seed);
}

async function send(visit: Visit, light: LightClient, seed: Uint8Array): Promise<void> {
  visit.receipts = await handIn(light, seed, visit);
  await save();
  message(`Your visit to ${visit.venue.name} was sealed on this device and handed to the venue.`, "ok");
  polling.schedule();
}

/** Camera scanning: frames are read on this device and never leave it. */
async function scan(): Promise<void> {
  if (!navigator.mediaDevices?.getUserMedia) throw new Error("This browser gives the app no camera. Choose a photo of the code instead.");
  const video = byId<HTMLVideoElement>("camera");
  const stream = await navigator.mediaDevices
    .getUserMedia({ video: { facingMode: "environment" } })
    .catch(() => {
      throw new Error("The camera could not be opened (no camera, or permission refused). Choose a photo of the code instead.");
    });
  video.srcObject = stream;
  video.hidden = false;
  await video.play();
  const canvas = document.createElement("canvas");
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  const stop = () => {
    for (const t of stream.getTracks()) t.stop();
    video.hidden = true;
  };
  const until = Date.now() + 60_000;
  try {
    while (Date.now() < until) {
      await new Promise((r) => setTimeout(r, 250));
      if (!ctx || !video.videoWidth) continue;
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      ctx.drawImage(video, 0, 0);
      const text = await readCode(ctx.getImageData(0, 0, canvas.width, canvas.height));
      if (text) {
        stop();
        await checkIn(text);
        return;
      }
    }
    throw new Error("No code was seen for a minute. Try again, or choose a photo of the code.");
  } finally {
    stop();
  }
}

/** Asks the venue about refusals and the chain about storage, until every visit is settled. */
async function poll(): Promise<void> {
  const light = page.light();
  let unsettled = false;
  if (light?.synced) {
    for (const visit of diary) {
      unsettled = (await settleReceipts(light, visit.venue.endpoint, visit.receipts)) || unsettled;
    }
    await save();
  } else {
    unsettled = diary.some((v) => v.receipts.some((r) => r.status === "queued"));
  }
  if (unsettled || !light?.synced) polling.schedule();
}

function describe(v: Visit): string {
  const until = v.to === undefined ? "now" : clock(v.to);
  return `${v.venue.name}: ${clock(v.from)} to ${until}. `;
}

function render(): void {
  const current = open();
  byId("checked-in").hidden = !current;
  byId("venue-scan").hidden = !!current;
  if (current) {
    byId("venue-name").textContent = current.venue.name;
    byId("venue-since").textContent = clock(current.from);
  }
  const list = byId("diary");
  list.replaceChildren(
    ...diary
      .slice()
      .reverse()
      .map((v) => {
        const li = el("li", describe(v));
        const states = v.receipts.map((r) => r.status);
        const state =
          v.to === undefined
            ? "open"
            : !v.receipts.length
              ? "unsent"
              : states.includes("refused")
                ? "refused"
                : states.every((s) => s === "stored")
                  ? "stored"
                  : "queued";
        li.dataset.state = state;
        const words: Record<string, string> = {
          open: "You are here now.",
          unsent: "Not handed to the venue yet.",
          queued: "Handed to the venue; waiting for the chain.",
          stored: `Recorded on the chain (verified at finalized block #${Math.max(...v.receipts.map((r) => r.block ?? 0))}).`,
          refused: `Refused: ${v.receipts.find((r) => r.status === "refused")?.reason ?? "no reason given"}.`,
        };
        li.append(el("span", words[state], "proof"));
        if (state === "unsent") {
          const retry = el("button", "Hand it in again") as HTMLButtonElement;
          retry.type = "button";
          retry.addEventListener("click", () =>
            guard(async () => {
              const light = page.light();
              const seed = page.seed();
              if (light && seed) await send(v, light, seed);
            }),
          );
          li.append(retry);
        }
        return li;
      }),
  );
  if (!diary.length) list.replaceChildren(el("li", "No visits yet."));
}

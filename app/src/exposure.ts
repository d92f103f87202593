// The daily exposure check. The device downloads every notification of each of the last 14
// days (the same pages for every device: nothing about this device is asked for) through the
// light client, at one verified finalized block, and compares their fingerprints with its own
// on the device.
import type { Finalized, LightClient } from "./light";
import { primitives } from "./wasm";
import { toHex } from "./codec";
import { hex } from "./device";

/** Days a device checks: the chain keeps notifications for the 14-day window. */
export const CHECK_DAYS = 14;
/** Notifications per runtime call (`NotificationsApi::notifications_of_day_after`'s page). */
const PAGE = 1_000;

/** The risk levels the chain's notifications carry. */
export type Risk = "High" | "Low" | "Indirect";

/** One of this device's notifications. */
export interface Exposure {
  day: number;
  risk: Risk;
  probabilityPpm: number;
  case: number;
  revoked: boolean;
}

/** A finished check: what was downloaded, at which verified block, and what is this device's. */
export interface Check {
  block: Finalized;
  today: number;
  downloaded: number;
  mine: Exposure[];
  /** When the check finished on this device (ms since the epoch). */
  at: number;
}

interface NotificationView {
  fingerprint: unknown;
  exposure_day: number;
  case: number | bigint;
  risk: { type: Risk };
  probability_ppm: number;
  revoked: boolean;
}

/** Where a page ended (`DayCursor`): the next page starts right after this notification. */
interface DayCursor {
  fingerprint: unknown;
  case: number | bigint;
}

/**
 * One page of day `day`'s notifications after `after`, at `block`. Pages by cursor
 * (`NotificationsApi` version 2): each page's proof holds that page only, so a whole day costs
 * the phone what the day holds, not the square of it.
 */
async function pageOfDay(light: LightClient, block: Finalized, day: number, after: DayCursor | undefined): Promise<NotificationView[]> {
  try {
    return (await light.read(block, `the warnings of ${dayName(day)}`, (signal) =>
      light.api.apis.NotificationsApi.notifications_of_day_after(day, after, PAGE, { at: block.hash, signal }),
    )) as NotificationView[];
  } catch (e) {
    if (/RuntimeCall\(NotificationsApi_notifications_of_day_after\) not found/.test(String(e))) {
      throw new Error(
        "This region's chain runs an older runtime than this app: it cannot hand out notifications page by page. No check was made; the health authority upgrades the chain's runtime.",
      );
    }
    throw e;
  }
}

/** Checks the last `days` days of notifications against `seed`'s fingerprints. */
export async function checkExposure(light: LightClient, seed: Uint8Array, days = CHECK_DAYS): Promise<Check> {
  const p = await primitives();
  const block = await light.finalizedBlock();
  const today = await light.dayAt(block);
  let downloaded = 0;
  const mine: Exposure[] = [];
  for (let day = today + 1 - days; day <= today; day++) {
    const print = hex(p.fingerprint(p.pseudonym(seed, day)));
    let after: DayCursor | undefined;
    for (;;) {
      const page = await pageOfDay(light, block, day, after);
      downloaded += page.length;
      for (const n of page) {
        if (toHex(n.fingerprint) === print) {
          mine.push({
            day: n.exposure_day,
            risk: n.risk.type,
            probabilityPpm: n.probability_ppm,
            case: Number(n.case),
            revoked: n.revoked,
          });
        }
      }
      const last = page.at(-1);
      if (page.length < PAGE || !last) break;
      after = { fingerprint: last.fingerprint, case: last.case };
    }
  }
  return { block, today, downloaded, mine, at: Date.now() };
}

/** A day index as a date people read (UTC: days are UTC days on chain). */
export function dayName(day: number): string {
  return new Date(day * 86_400_000).toLocaleDateString("en-GB", {
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
    timeZone: "UTC",
  });
}

/** What a notification means, in plain words. */
export function describeExposure(e: Exposure): string {
  const pct = (e.probabilityPpm / 10_000).toFixed(1);
  const what = {
    High: "you were in close contact with a confirmed case (high risk)",
    Low: "you were near a confirmed case (low risk)",
    Indirect: "you were at a place after a confirmed case had been there (place-based risk)",
  }[e.risk];
  const revoked = e.revoked ? " The case has since been withdrawn by the diagnostician: this warning no longer applies." : "";
  return `On ${dayName(e.day)} ${what}; estimated chance of infection ${pct} %.${revoked}`;
}

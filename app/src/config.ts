// The region this copy of the app serves: `config.json`, next to the built pages, written by
// whoever serves the app (scripts/dev.sh for the dev region). The chain spec it names is the
// app's only trust anchor: the light client verifies everything else from it.

/** What a served copy of the app is configured with. */
export interface AppConfig {
  /** The region's name as people know it. */
  regionName: string;
  /** The region's geohash prefix (what the dashboard's map draws). */
  region: string;
  /** The chain spec's URL, relative to the page. */
  chainSpec: string;
  /** The genesis hash the chain spec must have (0x-hex); a different chain is refused. */
  genesisHash?: string;
  /** Development regions only: the dashboard accepts typed development keys (`//Alice`). */
  allowDevKeys: boolean;
  /** The matcher whose aggregate counts the dashboard shows, as the matcher reports them. */
  matcherUrl?: string;
  /** The region's trusted-app gateway (`epichain locator serve`), which takes the trips phones seal. */
  gatewayUrl?: string;
  /** How often a phone recording its trips samples its position, in seconds. */
  tripSampleSecs: number;
  /** What to do, per risk level, in the health authority's words. */
  advice: Record<"High" | "Low" | "Indirect", string>;
}

/** A sample a minute: a stay of a few minutes is seen, and a phone's battery lasts the day. */
const DEFAULT_TRIP_SAMPLE_SECS = 60;

const DEFAULT_ADVICE: AppConfig["advice"] = {
  High: "You were close to a confirmed case for a long time. Stay at home, watch for symptoms and book a test.",
  Low: "You were near a confirmed case. Watch for symptoms for 14 days after that day and test if any appear.",
  Indirect: "You were at a place after a confirmed case had left it. Watch for symptoms for 14 days after that day.",
};

/** Reads `config.json`; a missing or malformed one is refused with what was wrong. */
export async function loadConfig(): Promise<AppConfig> {
  const response = await fetch("config.json", { cache: "no-store" }).catch(() => undefined);
  if (!response?.ok) {
    throw new Error("This copy of the app has no region configured (config.json is missing).");
  }
  const raw: unknown = await response.json().catch(() => undefined);
  if (typeof raw !== "object" || raw === null) {
    throw new Error("The region's configuration (config.json) is not JSON.");
  }
  const c = raw as Partial<AppConfig>;
  if (typeof c.region !== "string" || !/^[0-9b-hjkmnp-z]{1,9}$/.test(c.region)) {
    throw new Error("The region's configuration names no valid region (a geohash prefix).");
  }
  if (typeof c.chainSpec !== "string") {
    throw new Error("The region's configuration names no chain spec.");
  }
  return {
    regionName: typeof c.regionName === "string" ? c.regionName : c.region,
    region: c.region,
    chainSpec: c.chainSpec,
    genesisHash: typeof c.genesisHash === "string" ? c.genesisHash.toLowerCase() : undefined,
    allowDevKeys: c.allowDevKeys === true,
    matcherUrl: typeof c.matcherUrl === "string" && /^https?:\/\//.test(c.matcherUrl) ? c.matcherUrl : undefined,
    gatewayUrl: typeof c.gatewayUrl === "string" && /^https?:\/\//.test(c.gatewayUrl) ? c.gatewayUrl : undefined,
    tripSampleSecs:
      typeof c.tripSampleSecs === "number" && c.tripSampleSecs >= 1 && c.tripSampleSecs <= 3_600 ? c.tripSampleSecs : DEFAULT_TRIP_SAMPLE_SECS,
    advice: { ...DEFAULT_ADVICE, ...(c.advice ?? {}) },
  };
}

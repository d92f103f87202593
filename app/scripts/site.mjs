#!/usr/bin/env node
// Puts a region's configuration next to a built copy of the app: the chain spec (with the
// region's boot nodes, reachable by WebSocket from a browser) and config.json.
//
//   node app/scripts/site.mjs --site DIR --spec RAW_SPEC.json --bootnode MULTIADDR [--bootnode ...]
//        --region xn76 [--name "Dev region"] [--genesis 0x...] [--dev-keys] [--matcher URL]
//        [--gateway URL] [--trip-sample-secs 60]
//
// --dev-keys lets the dashboard sign with typed development keys (//Alice): dev regions only.
// --matcher names the matcher whose aggregate counts the dashboard shows (as reported by it).
// --gateway names the region's trusted-app gateway (`epichain locator serve`) that takes the trips
// phones seal themselves; --trip-sample-secs is how often a recording phone samples its position.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    site: { type: "string" },
    spec: { type: "string" },
    bootnode: { type: "string", multiple: true },
    region: { type: "string" },
    name: { type: "string" },
    genesis: { type: "string" },
    "dev-keys": { type: "boolean" },
    matcher: { type: "string" },
    gateway: { type: "string" },
    "trip-sample-secs": { type: "string" },
  },
});
for (const k of ["site", "spec", "bootnode", "region"]) {
  if (!values[k]) {
    console.error(`site.mjs: --${k} is required`);
    process.exit(2);
  }
}
const spec = JSON.parse(readFileSync(values.spec, "utf8"));
spec.bootNodes = values.bootnode;
// smoldot warns that this field is deprecated and unused.
delete spec.protocolId;
writeFileSync(join(values.site, "chain-spec.json"), JSON.stringify(spec));
const config = {
  regionName: values.name ?? values.region,
  region: values.region,
  chainSpec: "chain-spec.json",
  ...(values.genesis ? { genesisHash: values.genesis } : {}),
  ...(values["dev-keys"] ? { allowDevKeys: true } : {}),
  ...(values.matcher ? { matcherUrl: values.matcher.replace(/\/$/, "") } : {}),
  ...(values.gateway ? { gatewayUrl: values.gateway.replace(/\/$/, "") } : {}),
  ...(values["trip-sample-secs"] ? { tripSampleSecs: Number(values["trip-sample-secs"]) } : {}),
};
writeFileSync(join(values.site, "config.json"), JSON.stringify(config, null, 2));
console.error(`site.mjs: ${values.site}: chain-spec.json (boot nodes ${values.bootnode.join(", ")}), config.json (region ${values.region})`);

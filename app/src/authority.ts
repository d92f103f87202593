// The health authority's actions from the dashboard: register a place, a locator or a
// diagnostician, mark a place cleaned, or set the risk rule, as a `Sudo::sudo` call built from the runtime's
// metadata, signed by a browser wallet extension (the polkadot.js extension API) or, on
// development regions only, by a pasted development key (`//Alice`), and submitted through the
// light client. The dispatch result comes back by name (`Sudo.RequireSudo`,
// `Locations.LocationExists`, ...), never as a bare failure.
import { sr25519CreateDerive } from "@polkadot-labs/hdkd";
import { DEV_MINI_SECRET } from "@polkadot-labs/hdkd-helpers";
import { AccountId } from "@polkadot-api/substrate-bindings";
import type { PolkadotSigner } from "polkadot-api";
import { connectInjectedExtension, getInjectedExtensions } from "polkadot-api/pjs-signer";
import { getPolkadotSigner } from "polkadot-api/signer";

import { cellArg } from "./codec";
import type { LightClient } from "./light";
import { primitives } from "./wasm";

/** A signer the page offers, with the account it signs for. */
export interface SignerChoice {
  label: string;
  address: string;
  signer: PolkadotSigner;
}

/** The accounts of every browser wallet extension present (none when there is no extension). */
export async function extensionSigners(): Promise<SignerChoice[]> {
  const out: SignerChoice[] = [];
  for (const name of getInjectedExtensions()) {
    try {
      const extension = await connectInjectedExtension(name);
      for (const a of extension.getAccounts()) {
        out.push({ label: `${a.name ?? a.address} (${name})`, address: a.address, signer: a.polkadotSigner });
      }
    } catch {
      // An extension that refuses the page offers no account.
    }
  }
  return out;
}

/**
 * A development key (`//Alice`, `//Bob`, ... of the well-known development phrase). Anything
 * else is refused: real keys belong in a wallet extension, not in a text field.
 */
export function devSigner(suri: string): SignerChoice {
  if (!/^\/\/[A-Za-z0-9]{1,32}$/.test(suri.trim())) {
    throw new Error("Only development keys such as //Alice can be typed here; use a wallet extension for real keys.");
  }
  const pair = sr25519CreateDerive(DEV_MINI_SECRET)(suri.trim());
  const signer = getPolkadotSigner(pair.publicKey, "Sr25519", pair.sign);
  return { label: suri.trim(), address: AccountId().dec(pair.publicKey), signer };
}

/** The actions the dashboard offers, by the form's `action` value. */
export type Action =
  | { kind: "register-location"; cell: string; material: string }
  | { kind: "mark-cleaned"; cell: string }
  | { kind: "register-locator"; account: string; locatorKind: string; region: string }
  | { kind: "register-diagnostician"; account: string; region: string; certificate: string }
  | { kind: "set-risk"; changes: RiskChanges };

/** The risk rule's fields the form sets (the rest stay as they are on chain). */
export interface RiskChanges {
  distance_cm: string;
  min_duration_secs: string;
  venue_precision: string;
  venue_min_duration_secs: string;
  venue_distance_cm: string;
}

/** The risk rule as the chain holds it (`Notifications::Params`), at the newest finalized block. */
export async function currentRisk(light: LightClient): Promise<Record<string, unknown>> {
  const block = await light.finalizedBlock();
  return (await light.api.query.Notifications.Params.getValue({ at: block.hash })) as Record<string, unknown>;
}

const RISK_LABELS: Record<keyof RiskChanges, string> = {
  distance_cm: "The close-contact distance",
  min_duration_secs: "The close-contact duration",
  venue_precision: "The place precision",
  venue_min_duration_secs: "The duration together at a place",
  venue_distance_cm: "The distance assumed at a place",
};

/**
 * The form's numbers, each a whole number of its field's width. Whether they make a sensible
 * rule is the chain's to say (`RiskParams::is_valid`, refused as
 * `Notifications.InvalidRiskParams`), not the page's.
 */
function riskNumbers(c: RiskChanges): Record<keyof RiskChanges, number> {
  const out = {} as Record<keyof RiskChanges, number>;
  for (const k of Object.keys(RISK_LABELS) as Array<keyof RiskChanges>) {
    const max = k === "venue_precision" ? 255 : 4_294_967_295;
    const v = c[k].trim();
    if (!/^\d{1,10}$/.test(v) || Number(v) > max) throw new Error(`${RISK_LABELS[k]} is not a whole number (0 to ${max}).`);
    out[k] = Number(v);
  }
  return out;
}

/** Checks an action's fields, refusing each bad one with a sentence. */
export async function checkAction(a: Action): Promise<void> {
  const p = await primitives();
  const cell = (c: string) => {
    try {
      p.cellBounds(c);
    } catch {
      throw new Error(`"${c}" is not a geohash cell.`);
    }
  };
  const account = (s: string) => {
    try {
      AccountId().enc(s);
    } catch {
      throw new Error(`"${s}" is not a valid account address.`);
    }
  };
  const region = (r: string) => {
    if (!/^[0-9b-hjkmnp-z]{0,12}$/.test(r)) throw new Error(`"${r}" is not a geohash prefix.`);
  };
  switch (a.kind) {
    case "register-location":
    case "mark-cleaned":
      return cell(a.cell);
    case "register-locator":
      account(a.account);
      return region(a.region);
    case "register-diagnostician":
      account(a.account);
      region(a.region);
      if (!/^0x[0-9a-fA-F]{64}$/.test(a.certificate)) throw new Error("The certificate hash is not 32 bytes of 0x-hex.");
      return;
    case "set-risk":
      riskNumbers(a.changes);
  }
}

/** What happened to a submitted action. */
export interface Outcome {
  ok: boolean;
  block: number;
  /** The refusal's name (`Pallet.Error`) when not ok. */
  refusal?: string;
}

/**
 * Signs `action` as `Sudo::sudo` with `signer` and submits it through the light client; resolves
 * once it is in a finalized block, with the inner call's result by name.
 */
export async function submitAsSudo(light: LightClient, signer: PolkadotSigner, a: Action): Promise<Outcome> {
  await checkAction(a);
  const tx = light.api.tx;
  const enc = new TextEncoder();
  const risk = a.kind === "set-risk" ? { ...(await currentRisk(light)), ...riskNumbers(a.changes) } : undefined;
  const inner = (() => {
    switch (a.kind) {
      case "register-location":
        return tx.Locations.register_location({ cell: cellArg(a.cell), operator: undefined, material: { type: a.material } });
      case "mark-cleaned":
        return tx.Locations.mark_cleaned({ cell: cellArg(a.cell) });
      case "register-locator":
        return tx.Csi.register_locator({
          locator: a.account,
          kind: { type: a.locatorKind },
          region: enc.encode(a.region),
          metadata_hash: "0x" + "00".repeat(32),
        });
      case "register-diagnostician":
        return tx.Diagnosis.register_diagnostician({
          diagnostician: a.account,
          jurisdiction: enc.encode(a.region),
          certificate_hash: a.certificate.toLowerCase(),
        });
      case "set-risk":
        return tx.Notifications.set_risk_params({ params: risk });
    }
  })();
  const result = (await tx.Sudo.sudo({ call: inner.decodedCall }).signAndSubmit(signer)) as {
    ok: boolean;
    block: { number: number };
    dispatchError?: unknown;
    events: Array<{ type: string; value: { type: string; value: unknown } }>;
  };
  if (!result.ok) return { ok: false, block: result.block.number, refusal: errorName(result.dispatchError) };
  const sudid = result.events.find((e) => e.type === "Sudo" && e.value.type === "Sudid");
  const r = (sudid?.value.value as { sudo_result?: { success: boolean; value: unknown } } | undefined)?.sudo_result;
  if (r && !r.success) return { ok: false, block: result.block.number, refusal: errorName(r.value) };
  return { ok: true, block: result.block.number };
}

/** `Pallet.Error` of a dispatch error as polkadot-api decodes it. */
function errorName(e: unknown): string {
  const d = e as { type?: string; value?: { type?: string; value?: { type?: string } } };
  if (d?.type === "Module" && d.value?.type) return `${d.value.type}.${d.value.value?.type ?? "?"}`;
  return d?.type ?? "an unknown error";
}

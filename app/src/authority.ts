// The health authority's actions from the dashboard: register a place, a locator or a
// diagnostician, or mark a place cleaned, as a `Sudo::sudo` call built from the runtime's
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
  | { kind: "register-diagnostician"; account: string; region: string; certificate: string };

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

// The health authority's actions from the dashboard: register a place, a locator or a
// diagnostician, mark a place cleaned, or set the risk rule, as a call built from the runtime's
// metadata, signed by a browser wallet extension (the polkadot.js extension API) or, on
// development regions only, by a pasted development key (`//Alice`), and submitted through the
// light client. As `epichain authority` does, the chain says who the signer is:
// - the chain's sudo key (dev and local regions): the call acts at once through `Sudo::sudo`;
// - a council member: the call becomes a motion (`Council::propose`) needing two thirds of the
//   members, and the proposer votes aye; a vote that decides a motion closes it, and the call
//   acts (or fails by name);
// - anyone else: refused in words before anything is signed.
// The dispatch result comes back by name (`Locations.LocationExists`, `Council.Disapproved`, ...),
// never as a bare failure.
import { sr25519CreateDerive } from "@polkadot-labs/hdkd";
import { DEV_MINI_SECRET } from "@polkadot-labs/hdkd-helpers";
import { AccountId } from "@polkadot-api/substrate-bindings";
import type { PolkadotSigner } from "polkadot-api";
import { connectInjectedExtension, getInjectedExtensions } from "polkadot-api/pjs-signer";
import { getPolkadotSigner } from "polkadot-api/signer";

import { cellArg } from "./codec";
import type { At, LightClient } from "./light";
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
  return (await light.read(block, "the risk rule", (signal) =>
    light.api.query.Notifications.Params.getValue({ at: block.hash, signal }),
  )) as Record<string, unknown>;
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
  /** The council motion the action became, while it waits for more votes. */
  motion?: Motion;
}

/** An open council motion. */
export interface Motion {
  /** The proposed call's hash, which names the motion. */
  hash: string;
  index: number;
  /** `Pallet.call` of the proposed call. */
  call: string;
  ayes: number;
  nays: number;
  threshold: number;
  /** The block after which it can only be closed. */
  end: number;
}

/** The smallest number of ayes that is at least two thirds of `members`: the runtime's authority origin accepts nothing less. */
export function twoThirds(members: number): number {
  return Math.ceil((2 * members) / 3);
}

/** The sudo key (none on a region without one) and the council's members, at the newest finalized block. */
async function governors(light: LightClient): Promise<{ sudo?: string; members: string[] }> {
  const block = await light.finalizedBlock();
  return light.read(block, "the region's governors", async (signal) => {
    const at = { at: block.hash, signal };
    const sudo = (await light.api.query.Sudo.Key.getValue(at)) as string | undefined;
    const members = (await light.api.query.Council.Members.getValue(at)) as string[];
    return { sudo, members };
  });
}

/**
 * Makes `action` act with the health authority's origin, as far as `choice` can take it: through
 * sudo for the sudo key, as a council motion for a member, refused for anyone else.
 */
export async function submitAction(light: LightClient, choice: SignerChoice, a: Action): Promise<Outcome> {
  await checkAction(a);
  const { sudo, members } = await governors(light);
  if (sudo === choice.address) return submitAsSudo(light, choice.signer, a);
  if (!members.includes(choice.address)) {
    throw new Error(`${choice.address} is neither the chain's sudo key nor a council member; a council member proposes the authority's actions.`);
  }
  const inner = await actionCall(light, a);
  const length = (await inner.getEncodedData()).length;
  const proposed = (await light.api.tx.Council.propose({
    threshold: twoThirds(members.length),
    proposal: inner.decodedCall,
    length_bound: length,
  }).signAndSubmit(choice.signer)) as Finalized;
  if (!proposed.ok) return { ok: false, block: proposed.block.number, refusal: errorName(proposed.dispatchError) };
  const event = proposed.events.find((e) => e.type === "Council" && e.value.type === "Proposed");
  const hash = (event?.value.value as { proposal_hash?: unknown } | undefined)?.proposal_hash;
  if (hash === undefined) throw new Error("Proposed, but the block has no Council.Proposed event.");
  // The proposer's motion is not yet its vote.
  return vote(light, choice, toHexString(hash), true);
}

/** Every open council motion, oldest first, at `read` (by default the newest finalized block). */
export async function openMotions(light: LightClient, read?: At): Promise<Motion[]> {
  const list = async (at: At) => {
    const hashes = ((await light.api.query.Council.Proposals.getValue(at)) as unknown[]).map(toHexString);
    const out: Motion[] = [];
    for (const hash of hashes) {
      const m = await motion(light, hash, at);
      if (m) out.push(m.motion);
    }
    return out.sort((a, b) => a.index - b.index);
  };
  if (read) return list(read);
  const block = await light.finalizedBlock();
  return light.read(block, "the council's motions", (signal) => list({ at: block.hash, signal }));
}

/**
 * Votes on motion `hash` with `choice`; a vote that decides the motion (two thirds aye, or too
 * many nays for two thirds) closes it, and the call acts or fails by name.
 */
export async function vote(light: LightClient, choice: SignerChoice, hash: string, approve: boolean): Promise<Outcome> {
  const block = await light.finalizedBlock();
  const open = await light.read(block, "the motion", (signal) => motion(light, hash, { at: block.hash, signal }));
  if (!open) throw new Error("That motion is no longer open (closed already, or never proposed).");
  const { members } = await governors(light);
  const voted = (await light.api.tx.Council.vote({ proposal: hash, index: open.motion.index, approve }).signAndSubmit(choice.signer)) as Finalized;
  if (!voted.ok) return { ok: false, block: voted.block.number, refusal: errorName(voted.dispatchError) };
  const event = voted.events.find((e) => e.type === "Council" && e.value.type === "Voted");
  const tally = event?.value.value as { yes: number; no: number } | undefined;
  if (!tally) throw new Error("Voted, but the block has no Council.Voted event.");
  const threshold = open.motion.threshold;
  if (tally.yes >= threshold || members.length - tally.no < threshold) return close(light, choice, hash, open);
  return { ok: true, block: voted.block.number, motion: { ...open.motion, ayes: tally.yes, nays: tally.no } };
}

/** A finalized transaction as polkadot-api reports it. */
interface Finalized {
  ok: boolean;
  block: { number: number };
  dispatchError?: unknown;
  events: Array<{ type: string; value: { type: string; value: unknown } }>;
}

/** A decoded `RuntimeCall`: pallet, call, arguments. */
interface DecodedCall {
  type: string;
  value: { type: string; value: unknown };
}

/** Open motion `hash` and its call, read at block `at`. */
async function motion(light: LightClient, hash: string, at: At): Promise<{ motion: Motion; call: DecodedCall } | undefined> {
  const voting = (await light.api.query.Council.Voting.getValue(hash, at)) as
    | { index: number; threshold: number; ayes: unknown[]; nays: unknown[]; end: number }
    | undefined;
  const call = (await light.api.query.Council.ProposalOf.getValue(hash, at)) as DecodedCall | undefined;
  if (!voting || !call) return undefined;
  return {
    motion: {
      hash,
      index: voting.index,
      call: `${call.type}.${call.value.type}`,
      ayes: voting.ayes.length,
      nays: voting.nays.length,
      threshold: voting.threshold,
      end: voting.end,
    },
    call,
  };
}

/** Closes a decided motion: its call acts, or fails by name; a disapproved motion is `Council.Disapproved`. */
async function close(light: LightClient, choice: SignerChoice, hash: string, open: { motion: Motion; call: DecodedCall }): Promise<Outcome> {
  const tx = light.api.tx as unknown as Record<string, Record<string, (args: unknown) => { getEncodedData(): Promise<Uint8Array> }>>;
  const length = (await tx[open.call.type][open.call.value.type](open.call.value.value).getEncodedData()).length;
  const block = await light.finalizedBlock();
  const info = (await light.read(block, "the motion's weight", (signal) =>
    light.api.apis.TransactionPaymentCallApi.query_call_info(open.call, length, { at: block.hash, signal }),
  )) as { weight: unknown };
  const closed = (await light.api.tx.Council.close({
    proposal_hash: hash,
    index: open.motion.index,
    proposal_weight_bound: info.weight,
    length_bound: length,
  }).signAndSubmit(choice.signer)) as Finalized;
  if (!closed.ok) return { ok: false, block: closed.block.number, refusal: errorName(closed.dispatchError) };
  if (closed.events.some((e) => e.type === "Council" && e.value.type === "Disapproved")) {
    return { ok: false, block: closed.block.number, refusal: "Council.Disapproved" };
  }
  const executed = closed.events.find((e) => e.type === "Council" && e.value.type === "Executed");
  const result = (executed?.value.value as { result?: { success: boolean; value: unknown } } | undefined)?.result;
  if (!result) throw new Error("Closed, but the block has no Council.Executed event.");
  if (!result.success) return { ok: false, block: closed.block.number, refusal: errorName(result.value) };
  return { ok: true, block: closed.block.number };
}

/** 0x-hex of a hash as polkadot-api decodes it. */
function toHexString(v: unknown): string {
  if (typeof v === "string") return v.toLowerCase();
  if (v && typeof (v as { asHex?: unknown }).asHex === "function") return (v as { asHex(): string }).asHex().toLowerCase();
  throw new Error("unexpected hash from the chain");
}

/**
 * Signs `action` as `Sudo::sudo` with `signer` and submits it through the light client; resolves
 * once it is in a finalized block, with the inner call's result by name.
 */
export async function submitAsSudo(light: LightClient, signer: PolkadotSigner, a: Action): Promise<Outcome> {
  await checkAction(a);
  const inner = await actionCall(light, a);
  const result = (await light.api.tx.Sudo.sudo({ call: inner.decodedCall }).signAndSubmit(signer)) as Finalized;
  if (!result.ok) return { ok: false, block: result.block.number, refusal: errorName(result.dispatchError) };
  const sudid = result.events.find((e) => e.type === "Sudo" && e.value.type === "Sudid");
  const r = (sudid?.value.value as { sudo_result?: { success: boolean; value: unknown } } | undefined)?.sudo_result;
  if (r && !r.success) return { ok: false, block: result.block.number, refusal: errorName(r.value) };
  return { ok: true, block: result.block.number };
}

/** The runtime call `a` makes (checked already), built from the runtime's metadata. */
async function actionCall(light: LightClient, a: Action) {
  const tx = light.api.tx;
  const enc = new TextEncoder();
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
      return tx.Notifications.set_risk_params({ params: { ...(await currentRisk(light)), ...riskNumbers(a.changes) } });
  }
}

/** `Pallet.Error` of a dispatch error as polkadot-api decodes it. */
function errorName(e: unknown): string {
  const d = e as { type?: string; value?: { type?: string; value?: { type?: string } } };
  if (d?.type === "Module" && d.value?.type) return `${d.value.type}.${d.value.value?.type ?? "?"}`;
  return d?.type ?? "an unknown error";
}

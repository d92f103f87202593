// What either library decodes from a block, in one shape, so the two can be compared.

/** `bare` (v4 inherents and unsigned, v5 bare), `signed` (v4), `general` (v5 authorized). */
export type ExtrinsicKind = "bare" | "signed" | "general";

export interface ExtrinsicReport {
  index: number;
  /** The format version without the type bits: 4 or 5. */
  version: number;
  kind: ExtrinsicKind;
  /** The pallet's name in the metadata, e.g. `Csi`. */
  pallet: string;
  /** The call's name in the metadata, e.g. `submit_batch`. */
  call: string;
  /** The arguments as the library decoded them (its own representation). */
  args: unknown;
  /** The call's bytes: as the library re-encodes what it decoded (pjs), or as found (papi). */
  callHex: string;
  /** The whole extrinsic, length prefix included: re-encoded (pjs) or as found (papi). */
  hex: string;
  /** The explicit extension values of a signed or general extrinsic, by the library's names. */
  extensions?: Record<string, unknown>;
}

export interface EventReport {
  index: number;
  /** `ApplyExtrinsic(i)`, `Finalization` or `Initialization`. */
  phase: string;
  pallet: string;
  name: string;
  fields: unknown;
}

export interface BlockReport {
  number: number;
  hash: string;
  parentHash: string;
  extrinsics: ExtrinsicReport[];
  events: EventReport[];
}

/** `Pallet.call` of an extrinsic. */
export function callName(x: { pallet: string; call: string }): string {
  return `${x.pallet}.${x.call}`;
}

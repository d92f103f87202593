// Small DOM helpers shared by the two pages, and the status line both show.
import { describeStatus, type LightClient } from "./light";

/** The element with `id`, which the page's HTML must have. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (!e) throw new Error(`the page has no #${id}`);
  return e as T;
}

/** A new element with text. */
export function el(tag: string, text?: string, className?: string): HTMLElement {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (className) e.className = className;
  return e;
}

/** Shows `message` in `target` as an error a person can read (never a stack trace). */
export function showError(target: HTMLElement, e: unknown): void {
  target.textContent = e instanceof Error ? e.message : String(e);
  target.dataset.tone = "bad";
  target.hidden = false;
}

/** A section's message line: what it says, and the guard that says an action's refusal there. */
export interface MessageLine {
  /** Shows `text` in `tone`. */
  say(text: string, tone: "ok" | "bad"): void;
  /** Hides the line, runs `action`, and shows its refusal (in words) on the line. */
  guard(action: () => Promise<void>): Promise<void>;
}

/** The message line `#id` of a section. */
export function messageLine(id: string): MessageLine {
  return {
    say(text, tone) {
      const m = byId(id);
      m.textContent = text;
      m.dataset.tone = tone;
      m.hidden = false;
    },
    async guard(action) {
      byId(id).hidden = true;
      try {
        await action();
      } catch (e) {
        showError(byId(id), e);
      }
    },
  };
}

/** Downloads `text` as file `name`, and keeps link `a` to download it again. */
export function offerDownload(a: HTMLAnchorElement, name: string, text: string): void {
  if (a.href.startsWith("blob:")) URL.revokeObjectURL(a.href);
  a.href = URL.createObjectURL(new Blob([text], { type: "application/json" }));
  a.download = name;
  a.hidden = false;
  a.click();
}

/** Keeps the `#status` line in step with the light client. */
export function bindStatus(light: LightClient): void {
  const line = byId("status");
  light.onStatus((s) => {
    const { text, tone } = describeStatus(s);
    line.textContent = text;
    line.dataset.tone = tone;
    line.dataset.kind = s.kind;
    if (s.kind === "verified" || s.kind === "stalled") line.dataset.block = String(s.block.number);
  });
}

/** Shows that the light client could not start, on the status line. */
export function statusFailed(e: unknown): void {
  const line = byId("status");
  line.textContent = e instanceof Error ? e.message : String(e);
  line.dataset.tone = "bad";
  line.dataset.kind = "failed";
}

/** A time of day people read. */
export function clock(ms: number): string {
  return new Date(ms).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "medium" });
}

/**
 * Runs `tick` `ms` after each `schedule()`: one run pending at most, a later `schedule()`
 * replacing an earlier one. The sections that wait for the chain to settle what they handed in
 * poll with it.
 */
export function poller(tick: () => Promise<void>, ms: number): { schedule(): void } {
  let pending: ReturnType<typeof setTimeout> | undefined;
  return {
    schedule() {
      if (pending) clearTimeout(pending);
      pending = setTimeout(() => {
        pending = undefined;
        void tick();
      }, ms);
    },
  };
}

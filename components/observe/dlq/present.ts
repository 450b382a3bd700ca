/**
 * Pure helpers of the DLQ browser: what a dead letter's row and detail say, how a body is shown (as text, JSON
 * pretty-printed), what feeds the DLQ, and a redrive's progress. No React; unit-tested.
 */
import type { DeadLetter, DlqSource, MoveTask } from "@/server/observe/types";

/**
 * The body as shown: JSON pretty-printed with two spaces, anything else verbatim. Always plain text (rendered
 * in a <pre> as a text node, never as markup).
 * @example formatBody({ body: '{"a":1}', json: { a: 1 } }) // '{\n  "a": 1\n}'
 */
export function formatBody(l: Pick<DeadLetter, "body" | "json">): string {
  if (l.json !== undefined) {
    try {
      return JSON.stringify(l.json, null, 2);
    } catch {
      return l.body;
    }
  }
  return l.body;
}

/**
 * One line for a row: the failure's condition and error, else the body's first characters.
 * @example letterSummary({ failure: { condition: "RetriesExhausted", errorType: "TypeError", errorMessage: "x is undefined", … }, … }) // "RetriesExhausted · TypeError: x is undefined"
 */
export function letterSummary(l: Pick<DeadLetter, "failure" | "body">, max = 120): string {
  const f = l.failure;
  let s: string;
  if (f) {
    const err = [f.errorType, f.errorMessage].filter(Boolean).join(": ");
    s = [f.condition, err].filter(Boolean).join(" · ");
  } else s = l.body.replace(/\s+/g, " ").trim();
  return s.length > max ? `${s.slice(0, max - 1)}…` : s || "(empty body)";
}

const RELATION: Record<DlqSource["relation"], string> = {
  redrive: "redrive policy",
  "function-dlq": "async DLQ",
  "async-on-failure": "async on-failure destination",
  "trigger-on-failure": "on-failure destination of its trigger",
};

/**
 * "Fed by Orders (redrive policy, after 5 receives), Worker (async DLQ)".
 */
export function sourcesLine(sources: DlqSource[]): string {
  if (!sources.length) return "Nothing in the design feeds this queue.";
  return `Fed by ${sources.map((s) => `${s.name} (${RELATION[s.relation]}${s.maxReceiveCount ? `, after ${s.maxReceiveCount} receives` : ""})`).join(", ")}.`;
}

export const FAILURE_SOURCE: Record<NonNullable<NonNullable<DeadLetter["failure"]>["source"]>, string> = {
  "async-dlq": "Asynchronous invocation DLQ (the event, with RequestID / ErrorCode / ErrorMessage attributes)",
  "async-destination": "Asynchronous invocation on-failure destination record",
  "esm-on-failure": "Event source mapping on-failure record (batch coordinates, not the records)",
};

/** Progress of a redrive, 0–100, or null while the total is unknown. */
export function progressPercent(t: Pick<MoveTask, "moved" | "total" | "status">): number | null {
  if (t.status === "completed") return 100;
  if (!t.total) return null;
  return Math.min(100, Math.round((t.moved / t.total) * 100));
}

/**
 * What a redrive's status line says.
 * @example taskLine({ status: "running", moved: 40, total: 100, mode: "copy-delete" }) // "Redriving: 40 of 100 moved (copy, then delete)"
 */
export function taskLine(t: Pick<MoveTask, "status" | "moved" | "total" | "mode" | "error">): string {
  const how = t.mode === "message-move-task" ? "SQS message move task" : "copy, then delete";
  const of = t.total ? ` of ${t.total}` : "";
  switch (t.status) {
    case "running":
      return `Redriving: ${t.moved}${of} moved (${how})`;
    case "completed":
      return `Redrive finished: ${t.moved} moved${t.error ? `; ${t.error}` : ""}`;
    case "interrupted":
      return `Redrive interrupted at ${t.moved}${of}: nothing was lost; resume to move the rest`;
    case "cancelled":
      return `Redrive cancelled after ${t.moved}${of}`;
    case "failed":
      return `Redrive stopped after ${t.moved}${of}: ${t.error ?? "unknown error"}. The rest is still in the DLQ.`;
  }
}

/** A sent time as "14:03:12" today, else "Nov 21, 14:03". */
export function shortTime(iso: string | null, now = Date.now()): string {
  if (!iso) return "–";
  const d = new Date(iso);
  const sameDay = new Date(now).toDateString() === d.toDateString();
  return sameDay
    ? d.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit", second: "2-digit" })
    : d.toLocaleString("en-US", { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hour12: false });
}

/** "42 s", "3 min", "2 h 5 min", "3 d": the Observe views' one age format. */
export { formatAge as formatAgeShort } from "../present";

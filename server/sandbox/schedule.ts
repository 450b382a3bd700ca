/**
 * Schedules: EventBridge `rate(...)`, `cron(...)` (6 fields: minutes hours day-of-month month day-of-week year,
 * day-of-week 1 = SUN, `?` allowed) and `at(...)`, run with croner. `rateScale` shrinks rate periods for demos and
 * tests (1 = real time). The invoked event is the EventBridge "Scheduled Event", or the edge's constant `input`.
 */
import { randomUUID } from "node:crypto";
import { Cron } from "croner";

export type ParsedSchedule = { kind: "rate"; everyMs: number } | { kind: "cron"; pattern: string } | { kind: "at"; at: Date };

const UNIT_MS: Record<string, number> = { minute: 60_000, minutes: 60_000, hour: 3_600_000, hours: 3_600_000, day: 86_400_000, days: 86_400_000 };

export function parseSchedule(expression: string): ParsedSchedule {
  const e = expression.trim();
  let m = /^rate\((\d+)\s+(minutes?|hours?|days?)\)$/.exec(e);
  if (m) {
    const n = Number(m[1]);
    if (n < 1 || (n === 1) !== !m[2].endsWith("s")) throw new Error(`invalid rate expression ${e}: use "1 minute" or "N minutes"`);
    return { kind: "rate", everyMs: n * UNIT_MS[m[2]] };
  }
  m = /^cron\((.+)\)$/.exec(e);
  if (m) {
    const f = m[1].trim().split(/\s+/);
    if (f.length !== 6) throw new Error(`invalid cron expression ${e}: AWS cron has 6 fields (minutes hours day-of-month month day-of-week year)`);
    const pattern = ["0", ...f].join(" ");
    new Cron(pattern, { mode: "7-part", alternativeWeekdays: true, sloppyRanges: true, paused: true }).stop(); // validates
    return { kind: "cron", pattern };
  }
  m = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/.exec(e);
  if (m) return { kind: "at", at: new Date(m[1] + "Z") };
  throw new Error(`invalid schedule expression ${e}`);
}

/** The next fire times of a schedule after `from` (pure helper for tests and the UI). */
export function nextRuns(expression: string, n: number, from = new Date()): Date[] {
  const s = parseSchedule(expression);
  if (s.kind === "rate") return Array.from({ length: n }, (_, i) => new Date(from.getTime() + (i + 1) * s.everyMs));
  if (s.kind === "at") return s.at > from ? [s.at] : [];
  const c = new Cron(s.pattern, { mode: "7-part", alternativeWeekdays: true, sloppyRanges: true, paused: true, timezone: "UTC" });
  const out = c.nextRuns(n, from);
  c.stop();
  return out;
}

export function scheduledEvent(scheduleArn: string, time = new Date()) {
  return {
    version: "0",
    id: randomUUID(),
    "detail-type": "Scheduled Event",
    source: "aws.events",
    account: "000000000000",
    time: time.toISOString().replace(/\.\d{3}Z$/, "Z"),
    region: "us-east-1",
    resources: [scheduleArn],
    detail: {},
  };
}

/** Starts firing `fire()` on the schedule; returns a stopper. */
export function startSchedule(expression: string, timezone: string | undefined, fire: () => void, rateScale = 1): { stop: () => void } {
  const s = parseSchedule(expression);
  if (s.kind === "rate") {
    const t = setInterval(fire, Math.max(10, s.everyMs * rateScale));
    return { stop: () => clearInterval(t) };
  }
  if (s.kind === "at") {
    const delay = s.at.getTime() - Date.now();
    if (delay < 0) return { stop: () => {} };
    const t = setTimeout(fire, Math.min(delay, 2 ** 31 - 1));
    return { stop: () => clearTimeout(t) };
  }
  const c = new Cron(s.pattern, { mode: "7-part", alternativeWeekdays: true, sloppyRanges: true, timezone: timezone ?? "UTC" }, fire);
  return { stop: () => c.stop() };
}

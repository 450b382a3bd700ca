/**
 * Live Tail sessions for open function panels on AWS: one StartLiveTail session per (environment, log group),
 * started when a panel asks and stopped a minute after the last ask, at most MAX_SESSIONS per process (AWS allows
 * 15 concurrent sessions per account; the rest of the account's tooling needs some). Their REPORT lines are merged
 * into the panel's invocations between two FilterLogEvents reads, so a new invocation shows within about a second.
 * `TOPO_OBSERVE_LIVE_TAIL=off` turns them off.
 */
import type { InvocationRow } from "./aggregate";
import { liveTail, type LiveTailSession } from "./collectors/live-tail";
import type { ResolvedEnvironment } from "./environment";

export const MAX_SESSIONS = 5;
const IDLE_MS = 60_000;
const KEEP_MS = 3_600_000;

interface Entry {
  session: LiveTailSession;
  lastAsk: number;
  timer: NodeJS.Timeout;
}

const g = globalThis as unknown as { __topographLiveTails?: Map<string, Entry> };
const sessions = (g.__topographLiveTails ??= new Map());

/** The session for a log group (started if there is room), or undefined. */
export function liveTailFor(r: ResolvedEnvironment, logGroupName: string): LiveTailSession | undefined {
  if (r.kind !== "aws" || process.env.TOPO_OBSERVE_LIVE_TAIL === "off") return undefined;
  const key = `${r.env.id}|${logGroupName}`;
  const now = Date.now();
  const hit = sessions.get(key);
  if (hit) {
    hit.lastAsk = now;
    return hit.session;
  }
  if (sessions.size >= MAX_SESSIONS) return undefined;
  const session = liveTail(r.clients.logs, logGroupName, (s) => {
    // Keep an hour of rows.
    const cut = Date.now() - KEEP_MS;
    const rows = s.extractor.invocations;
    let i = 0;
    while (i < rows.length && rows[i].t < cut) i++;
    if (i) rows.splice(0, i);
  });
  const entry: Entry = {
    session,
    lastAsk: now,
    timer: setInterval(() => {
      if (Date.now() - entry.lastAsk > IDLE_MS) stopTail(key);
    }, 5_000),
  };
  entry.timer.unref?.();
  sessions.set(key, entry);
  // A failed or ended session (access denied, timeout after 3 h) makes room; the next ask starts another.
  session.done.catch(() => {}).finally(() => {
    if (sessions.get(key) === entry) stopTail(key);
  });
  return session;
}

function stopTail(key: string) {
  const e = sessions.get(key);
  if (!e) return;
  clearInterval(e.timer);
  e.session.stop();
  sessions.delete(key);
}

/** Stops every session (tests, shutdown). */
export function stopLiveTails(): void {
  for (const k of [...sessions.keys()]) stopTail(k);
}

export function liveTailCount(): number {
  return sessions.size;
}

/** Rows from FilterLogEvents plus those Live Tail saw since, by request id, in time order. Pure. */
export function mergeRows(polled: readonly InvocationRow[], tailed: readonly InvocationRow[]): InvocationRow[] {
  if (!tailed.length) return polled as InvocationRow[];
  const ids = new Set(polled.map((r) => r.id));
  const extra = tailed.filter((r) => !ids.has(r.id));
  if (!extra.length) return polled as InvocationRow[];
  return [...polled, ...extra].sort((a, b) => a.t - b.t);
}

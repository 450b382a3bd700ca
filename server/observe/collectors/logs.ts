/**
 * Logs collector: FilterLogEvents over a function's log group with paging (the SDK edge), turned into compact
 * invocation rows by RecordExtractor (pure). Incremental: a poller passes its previous state and only events
 * since the last one seen (minus a small overlap, deduplicated by event id) are read.
 */
import { FilterLogEventsCommand, type CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { RecordExtractor, type InitRow, type InvocationRow } from "../aggregate";

/** What a logs poller keeps and shares: rows of the retained window, and where to read on from. */
export interface LogsState {
  rows: InvocationRow[];
  inits: InitRow[];
  /** Timestamp (ms) of the newest event read. */
  cursor: number;
  /** Event ids at the cursor's overlap, to skip on the next read. */
  seen: string[];
  retainMs: number;
}

/** Only the platform lines (and the notices that mark a REPORT as failed) leave CloudWatch. */
export const PLATFORM_FILTER =
  '?REPORT ?INIT_REPORT ?RESTORE_REPORT ?"Task timed out" ?"Invoke Error" ?"platform.report" ?"platform.initReport" ?"platform.restoreReport"';

const OVERLAP_MS = 2_000;
export const MAX_ROWS = 20_000;
const MAX_PAGES = 200;

export interface LogsReadStats {
  pages: number;
  events: number;
}

/** Reads from the previous cursor (or now − retainMs) to now; returns the new state. */
export async function readFunctionLogs(
  logs: CloudWatchLogsClient,
  logGroupName: string,
  prev: LogsState | undefined,
  retainMs: number,
  now = Date.now(),
  stats?: LogsReadStats,
): Promise<LogsState> {
  const since = now - retainMs;
  const fresh = !prev || prev.retainMs < retainMs;
  const startTime = fresh ? since : Math.max(since, prev!.cursor - OVERLAP_MS);
  const seen = new Set(fresh ? [] : prev!.seen);
  const x = new RecordExtractor();
  let cursor = fresh ? since : prev!.cursor;
  const overlapIds: { id: string; t: number }[] = [];
  let token: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    let res;
    try {
      res = await logs.send(
        new FilterLogEventsCommand({ logGroupName, startTime, endTime: now + 1, filterPattern: PLATFORM_FILTER, nextToken: token, limit: 10_000 }),
      );
    } catch (e) {
      // Lambda creates a function's log group on its first invocation: no group yet means no invocations yet,
      // not a failing environment. Any other error (or a group that vanishes mid-read) goes to the poller.
      if (page === 0 && (e as { name?: string }).name === "ResourceNotFoundException") {
        if (stats) stats.pages++;
        break;
      }
      throw e;
    }
    if (stats) stats.pages++;
    for (const ev of res.events ?? []) {
      const id = ev.eventId ?? `${ev.timestamp}:${ev.logStreamName}:${ev.message?.slice(0, 64)}`;
      const t = ev.timestamp ?? 0;
      if (seen.has(id)) continue;
      x.add(ev);
      if (stats) stats.events++;
      if (t > cursor) cursor = t;
      overlapIds.push({ id, t });
    }
    token = res.nextToken;
    if (!token) break;
  }
  const keepFrom = cursor - OVERLAP_MS;
  const newSeen = [...(fresh ? [] : prev!.seen.map((id) => ({ id, t: cursor }))), ...overlapIds].filter((e) => e.t >= keepFrom).map((e) => e.id);
  const rows = (fresh ? [] : prev!.rows.filter((r) => r.t >= since)).concat(x.invocations);
  rows.sort((a, b) => a.t - b.t);
  const inits = (fresh ? [] : prev!.inits.filter((r) => r.t >= since)).concat(x.inits);
  return {
    rows: rows.length > MAX_ROWS ? rows.slice(rows.length - MAX_ROWS) : rows,
    inits: inits.slice(-2_000),
    cursor,
    seen: [...new Set(newSeen)].slice(-5_000),
    retainMs,
  };
}

/**
 * The sandbox's CloudWatch Logs store: log groups → streams → events, in memory, with an optional
 * append-only on-disk journal so a restart loses nothing:
 *   <dataDir>/meta.jsonl                         one line per created group or stream
 *   <dataDir>/streams/<group>/<stream>.jsonl      one line per event {t, i, m}   (names URI-encoded)
 * Writes are synchronous appends (one syscall per PutLogEvents call), so a crash loses at most the call
 * in flight. Query semantics follow the CloudWatch Logs API (errors are AWS-shaped `LogsError`s).
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { compileFilterPattern, FilterPatternError } from "./filter";

export interface LogEvent {
  timestamp: number;
  message: string;
  ingestionTime: number;
}

interface Stream {
  name: string;
  creationTime: number;
  events: LogEvent[];
  storedBytes: number;
  lastIngestionTime?: number;
  /** Whether events are sorted by timestamp (PutLogEvents batches are; interleaved calls may not be). */
  sorted: boolean;
}

interface Group {
  name: string;
  creationTime: number;
  streams: Map<string, Stream>;
}

export class LogsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const REGION = "us-east-1";
const ACCOUNT = "000000000000";
const groupArn = (g: string) => `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${g}`;

/** Paging tokens are opaque to clients: base64 of a JSON offset. */
function encodeToken(o: object): string {
  return Buffer.from(JSON.stringify(o)).toString("base64url");
}
function decodeToken<T>(t: string | undefined): T | undefined {
  if (!t) return undefined;
  try {
    return JSON.parse(Buffer.from(t, "base64url").toString("utf8")) as T;
  } catch {
    throw new LogsError("InvalidParameterException", "The specified nextToken is invalid.");
  }
}

export interface FilterInput {
  logGroupName: string;
  logStreamNames?: string[];
  logStreamNamePrefix?: string;
  startTime?: number;
  endTime?: number;
  filterPattern?: string;
  nextToken?: string;
  limit?: number;
}

export interface FilteredEvent extends LogEvent {
  logStreamName: string;
  eventId: string;
}

export class LogStore {
  private groups = new Map<string, Group>();
  private dirsMade = new Set<string>();

  constructor(private readonly dataDir?: string) {
    if (dataDir) this.load(dataDir);
  }

  // ------------------------------------------------------------------ persistence

  private load(dir: string) {
    mkdirSync(join(dir, "streams"), { recursive: true });
    const meta = join(dir, "meta.jsonl");
    if (existsSync(meta)) {
      for (const line of readFileSync(meta, "utf8").split("\n")) {
        if (!line.trim()) continue;
        let r: { k: "g" | "s"; g: string; s?: string; t: number };
        try {
          r = JSON.parse(line);
        } catch {
          continue; // a torn last line after a crash
        }
        if (r.k === "g" && !this.groups.has(r.g)) this.groups.set(r.g, { name: r.g, creationTime: r.t, streams: new Map() });
        if (r.k === "s" && r.s) {
          const g = this.groups.get(r.g);
          if (g && !g.streams.has(r.s)) g.streams.set(r.s, { name: r.s, creationTime: r.t, events: [], storedBytes: 0, sorted: true });
        }
      }
    }
    for (const g of this.groups.values()) {
      const gdir = join(dir, "streams", encodeURIComponent(g.name));
      if (!existsSync(gdir)) continue;
      for (const f of readdirSync(gdir)) {
        if (!f.endsWith(".jsonl")) continue;
        const s = g.streams.get(decodeURIComponent(f.slice(0, -6)));
        if (!s) continue;
        for (const line of readFileSync(join(gdir, f), "utf8").split("\n")) {
          if (!line.trim()) continue;
          try {
            const e = JSON.parse(line) as { t: number; i: number; m: string };
            this.addEvent(s, { timestamp: e.t, ingestionTime: e.i, message: e.m });
          } catch {
            // torn line
          }
        }
      }
    }
  }

  private appendMeta(r: object) {
    if (this.dataDir) appendFileSync(join(this.dataDir, "meta.jsonl"), JSON.stringify(r) + "\n");
  }

  private appendEvents(group: string, stream: string, events: LogEvent[]) {
    if (!this.dataDir) return;
    const gdir = join(this.dataDir, "streams", encodeURIComponent(group));
    if (!this.dirsMade.has(gdir)) {
      mkdirSync(gdir, { recursive: true });
      this.dirsMade.add(gdir);
    }
    let text = "";
    for (const e of events) text += JSON.stringify({ t: e.timestamp, i: e.ingestionTime, m: e.message }) + "\n";
    appendFileSync(join(gdir, encodeURIComponent(stream) + ".jsonl"), text);
  }

  private addEvent(s: Stream, e: LogEvent) {
    const last = s.events[s.events.length - 1];
    if (last && e.timestamp < last.timestamp) s.sorted = false;
    s.events.push(e);
    s.storedBytes += Buffer.byteLength(e.message) + 26;
    s.lastIngestionTime = e.ingestionTime;
  }

  private sortedEvents(s: Stream): LogEvent[] {
    if (!s.sorted) {
      s.events.sort((a, b) => a.timestamp - b.timestamp);
      s.sorted = true;
    }
    return s.events;
  }

  // ------------------------------------------------------------------ writes

  createLogGroup(name: string, now = Date.now()) {
    validateName(name, "logGroupName");
    if (this.groups.has(name)) throw new LogsError("ResourceAlreadyExistsException", "The specified log group already exists");
    this.groups.set(name, { name, creationTime: now, streams: new Map() });
    this.appendMeta({ k: "g", g: name, t: now });
  }

  createLogStream(group: string, stream: string, now = Date.now()) {
    validateName(stream, "logStreamName");
    const g = this.group(group);
    if (g.streams.has(stream)) throw new LogsError("ResourceAlreadyExistsException", "The specified log stream already exists");
    g.streams.set(stream, { name: stream, creationTime: now, events: [], storedBytes: 0, sorted: true });
    this.appendMeta({ k: "s", g: group, s: stream, t: now });
  }

  /** Creates the group and stream when missing (what the Lambda service does for its own log groups). */
  ensureStream(group: string, stream: string) {
    if (!this.groups.has(group)) this.createLogGroup(group);
    if (!this.group(group).streams.has(stream)) this.createLogStream(group, stream);
  }

  putLogEvents(group: string, stream: string, events: { timestamp: number; message: string }[], now = Date.now()) {
    const s = this.stream(group, stream);
    if (!Array.isArray(events) || events.length === 0)
      throw new LogsError("InvalidParameterException", "1 validation error detected: Value at 'logEvents' failed to satisfy constraint: Member must have length greater than or equal to 1");
    if (events.length > 10_000) throw new LogsError("InvalidParameterException", "logEvents may hold at most 10,000 events");
    for (let i = 1; i < events.length; i++) {
      if (events[i].timestamp < events[i - 1].timestamp)
        throw new LogsError("InvalidParameterException", "Log events in a single PutLogEvents request must be in chronological order.");
    }
    const stored = events.map((e) => ({ timestamp: Number(e.timestamp), message: String(e.message), ingestionTime: now }));
    this.appendEvents(group, stream, stored);
    for (const e of stored) this.addEvent(s, e);
    return { nextSequenceToken: encodeToken({ n: s.events.length }) };
  }

  // ------------------------------------------------------------------ reads

  private group(name: string): Group {
    const g = this.groups.get(name);
    if (!g) throw new LogsError("ResourceNotFoundException", "The specified log group does not exist.");
    return g;
  }

  private stream(group: string, stream: string): Stream {
    const s = this.group(group).streams.get(stream);
    if (!s) throw new LogsError("ResourceNotFoundException", "The specified log stream does not exist.");
    return s;
  }

  describeLogGroups(input: { logGroupNamePrefix?: string; limit?: number; nextToken?: string }) {
    const limit = clampLimit(input.limit, 50);
    const all = [...this.groups.values()].filter((g) => !input.logGroupNamePrefix || g.name.startsWith(input.logGroupNamePrefix)).sort((a, b) => cmp(a.name, b.name));
    const from = decodeToken<{ o: number }>(input.nextToken)?.o ?? 0;
    const page = all.slice(from, from + limit);
    return {
      logGroups: page.map((g) => ({
        logGroupName: g.name,
        creationTime: g.creationTime,
        metricFilterCount: 0,
        arn: groupArn(g.name) + ":*",
        logGroupArn: groupArn(g.name),
        storedBytes: [...g.streams.values()].reduce((n, s) => n + s.storedBytes, 0),
        logGroupClass: "STANDARD",
      })),
      ...(from + limit < all.length ? { nextToken: encodeToken({ o: from + limit }) } : {}),
    };
  }

  describeLogStreams(input: { logGroupName: string; logStreamNamePrefix?: string; orderBy?: string; descending?: boolean; limit?: number; nextToken?: string }) {
    const g = this.group(input.logGroupName);
    const limit = clampLimit(input.limit, 50);
    if (input.orderBy === "LastEventTime" && input.logStreamNamePrefix)
      throw new LogsError("InvalidParameterException", "Cannot order by LastEventTime with a logStreamNamePrefix.");
    let all = [...g.streams.values()].filter((s) => !input.logStreamNamePrefix || s.name.startsWith(input.logStreamNamePrefix));
    if (input.orderBy === "LastEventTime") all.sort((a, b) => lastTs(a) - lastTs(b) || cmp(a.name, b.name));
    else all.sort((a, b) => cmp(a.name, b.name));
    if (input.descending) all = all.reverse();
    const from = decodeToken<{ o: number }>(input.nextToken)?.o ?? 0;
    const page = all.slice(from, from + limit);
    return {
      logStreams: page.map((s) => {
        const ev = this.sortedEvents(s);
        return {
          logStreamName: s.name,
          creationTime: s.creationTime,
          ...(ev.length
            ? { firstEventTimestamp: ev[0].timestamp, lastEventTimestamp: ev[ev.length - 1].timestamp, lastIngestionTime: s.lastIngestionTime }
            : {}),
          arn: `${groupArn(g.name)}:log-stream:${s.name}`,
          storedBytes: s.storedBytes,
        };
      }),
      ...(from + limit < all.length ? { nextToken: encodeToken({ o: from + limit }) } : {}),
    };
  }

  /**
   * GetLogEvents: events of one stream in [startTime, endTime). Without a token, startFromHead=false
   * returns the newest `limit` events. Tokens are f/<index> (forward) and b/<index> (backward); as in AWS, the
   * forward token returned at the end of the stream equals the one passed in.
   */
  getLogEvents(input: { logGroupName: string; logStreamName: string; startTime?: number; endTime?: number; nextToken?: string; limit?: number; startFromHead?: boolean }) {
    const s = this.stream(input.logGroupName, input.logStreamName);
    const limit = clampLimit(input.limit, 10_000);
    const all = this.sortedEvents(s).filter(
      (e) => (input.startTime === undefined || e.timestamp >= input.startTime) && (input.endTime === undefined || e.timestamp < input.endTime),
    );
    let from: number;
    let to: number;
    const tok = input.nextToken ? /^([fb])\/(\d+)$/.exec(input.nextToken) : undefined;
    if (input.nextToken && !tok) throw new LogsError("InvalidParameterException", "The specified nextToken is invalid.");
    if (tok?.[1] === "f") {
      from = Math.min(Number(tok[2]), all.length);
      to = Math.min(all.length, from + limit);
    } else if (tok?.[1] === "b") {
      to = Math.min(Number(tok[2]), all.length);
      from = Math.max(0, to - limit);
    } else if (input.startFromHead) {
      from = 0;
      to = Math.min(all.length, limit);
    } else {
      to = all.length;
      from = Math.max(0, to - limit);
    }
    return {
      events: all.slice(from, to).map((e) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime })),
      nextForwardToken: `f/${String(to).padStart(20, "0")}`,
      nextBackwardToken: `b/${String(from).padStart(20, "0")}`,
    };
  }

  /** FilterLogEvents: matching events of a group, interleaved by timestamp across streams, paged. */
  filterLogEvents(input: FilterInput) {
    const g = this.group(input.logGroupName);
    if (input.logStreamNames && input.logStreamNamePrefix)
      throw new LogsError("InvalidParameterException", "You cannot specify both logStreamNames and logStreamNamePrefix.");
    let match;
    try {
      match = compileFilterPattern(input.filterPattern);
    } catch (e) {
      if (e instanceof FilterPatternError) throw new LogsError("InvalidParameterException", `Invalid filter pattern: ${e.message}`);
      throw e;
    }
    const limit = clampLimit(input.limit, 10_000);
    const token = decodeToken<{ o: number; e: number }>(input.nextToken);
    // Pin the page set to the events that existed when the first page was read, so paging is stable.
    const names = input.logStreamNames ? new Set(input.logStreamNames) : undefined;
    const out: FilteredEvent[] = [];
    for (const s of g.streams.values()) {
      if (names && !names.has(s.name)) continue;
      if (input.logStreamNamePrefix && !s.name.startsWith(input.logStreamNamePrefix)) continue;
      const ev = this.sortedEvents(s);
      for (let i = 0; i < ev.length; i++) {
        const e = ev[i];
        if (input.startTime !== undefined && e.timestamp < input.startTime) continue;
        if (input.endTime !== undefined && e.timestamp > input.endTime) continue;
        if (token && e.ingestionTime > token.e) continue;
        if (!match(e.message)) continue;
        out.push({ ...e, logStreamName: s.name, eventId: `${s.name}/${i}` });
      }
    }
    out.sort((a, b) => a.timestamp - b.timestamp || cmp(a.logStreamName, b.logStreamName) || cmp(a.eventId, b.eventId));
    const from = token?.o ?? 0;
    const page = out.slice(from, from + limit);
    const ingestCap = token?.e ?? Date.now();
    return {
      events: page.map((e) => ({ logStreamName: e.logStreamName, timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime, eventId: e.eventId })),
      searchedLogStreams: [],
      ...(from + limit < out.length ? { nextToken: encodeToken({ o: from + limit, e: ingestCap }) } : {}),
    };
  }

  /** Every event of a group in [startTime, endTime] (ms), with its stream name; for Logs Insights queries. */
  scan(groupName: string, startTime: number, endTime: number, visit: (e: LogEvent, stream: string, index: number) => void): void {
    const g = this.group(groupName);
    for (const s of g.streams.values()) {
      const ev = this.sortedEvents(s);
      for (let i = 0; i < ev.length; i++) {
        const e = ev[i];
        if (e.timestamp >= startTime && e.timestamp <= endTime) visit(e, s.name, i);
      }
    }
  }

  /** All events of a stream (tests, summaries). */
  events(group: string, stream: string): readonly LogEvent[] {
    return this.sortedEvents(this.stream(group, stream));
  }
}

function lastTs(s: Stream) {
  return s.events.length ? s.events[s.events.length - 1].timestamp : s.creationTime;
}

function cmp(a: string, b: string) {
  return a < b ? -1 : a > b ? 1 : 0;
}

function clampLimit(limit: number | undefined, max: number) {
  if (limit === undefined || limit === null) return max;
  if (!Number.isInteger(limit) || limit < 1) throw new LogsError("InvalidParameterException", "limit must be a positive integer");
  return Math.min(limit, max);
}

function validateName(name: unknown, field: string) {
  if (typeof name !== "string" || name.length < 1 || name.length > 512 || name.includes(":") && field === "logStreamName")
    throw new LogsError("InvalidParameterException", `1 validation error detected: Value at '${field}' failed to satisfy constraint`);
}

/**
 * StartLiveTail for the sandbox's logs endpoint, over the AWS event-stream protocol the SDK v3 client decodes
 * (`application/vnd.amazon.eventstream`): binary messages of [total length][headers length][prelude CRC32]
 * [headers][JSON payload][message CRC32], with `:message-type` event, `:event-type` sessionStart | sessionUpdate,
 * `:content-type` application/json. One sessionStart, then a sessionUpdate every second (possibly empty, as AWS)
 * carrying the events ingested since the last one that match the filter pattern, up to 500 per update. The
 * session ends after `maxSessionMs` (AWS: 3 h) with a SessionTimeoutException event, or when the client goes.
 * The SDK adds the host prefix "stream-" to the endpoint; clients of this loopback endpoint set
 * `disableHostPrefix: true`.
 */
import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import { crc32 } from "node:zlib";
import { compileFilterPattern, FilterPatternError } from "./filter";
import { LogsError, type LogStore } from "./store";

/** One event-stream message: string headers and a payload. */
export function encodeEventMessage(headers: Record<string, string>, payload: Buffer): Buffer {
  const hs: Buffer[] = [];
  for (const [name, value] of Object.entries(headers)) {
    const n = Buffer.from(name, "utf8");
    const v = Buffer.from(value, "utf8");
    const h = Buffer.alloc(1 + n.length + 1 + 2 + v.length);
    h.writeUInt8(n.length, 0);
    n.copy(h, 1);
    h.writeUInt8(7, 1 + n.length); // string
    h.writeUInt16BE(v.length, 2 + n.length);
    v.copy(h, 4 + n.length);
    hs.push(h);
  }
  const headersBuf = Buffer.concat(hs);
  const total = 12 + headersBuf.length + payload.length + 4;
  const out = Buffer.alloc(total);
  out.writeUInt32BE(total, 0);
  out.writeUInt32BE(headersBuf.length, 4);
  out.writeUInt32BE(crc32(out.subarray(0, 8)), 8);
  headersBuf.copy(out, 12);
  payload.copy(out, 12 + headersBuf.length);
  out.writeUInt32BE(crc32(out.subarray(0, total - 4)), total - 4);
  return out;
}

const event = (type: string, body: unknown) =>
  encodeEventMessage({ ":message-type": "event", ":event-type": type, ":content-type": "application/json" }, Buffer.from(JSON.stringify(body)));

const groupOf = (id: string) => /^arn:aws[^:]*:logs:[^:]*:\d*:log-group:(.+?)(:\*)?$/.exec(id)?.[1] ?? id;

export interface LiveTailOptions {
  updateMs?: number;
  maxSessionMs?: number;
}

/** Validates the request (throws LogsError) and streams the session on `res`. */
export function startLiveTail(store: LogStore, b: Record<string, any>, res: ServerResponse, opts: LiveTailOptions = {}): void {
  const ids: string[] = Array.isArray(b.logGroupIdentifiers) ? b.logGroupIdentifiers : [];
  if (!ids.length || ids.length > 10) throw new LogsError("InvalidParameterException", "logGroupIdentifiers must name 1 to 10 log groups.");
  if (b.logStreamNames && b.logStreamNamePrefixes) throw new LogsError("InvalidParameterException", "You cannot specify both logStreamNames and logStreamNamePrefixes.");
  let match: (m: string) => boolean;
  try {
    match = compileFilterPattern(b.logEventFilterPattern);
  } catch (e) {
    if (e instanceof FilterPatternError) throw new LogsError("InvalidParameterException", `Invalid filter pattern: ${e.message}`);
    throw e;
  }
  const groups = ids.map(groupOf);
  for (const g of groups) store.scan(g, 0, -1, () => {}); // ResourceNotFoundException for an unknown group
  const names: Set<string> | undefined = b.logStreamNames ? new Set(b.logStreamNames) : undefined;
  const prefixes: string[] | undefined = b.logStreamNamePrefixes;
  const requestId = randomUUID();
  const sessionId = randomUUID();
  res.writeHead(200, { "content-type": "application/vnd.amazon.eventstream", "x-amzn-requestid": requestId, "transfer-encoding": "chunked" });
  res.write(
    event("sessionStart", {
      requestId,
      sessionId,
      logGroupIdentifiers: ids,
      ...(b.logStreamNames ? { logStreamNames: b.logStreamNames } : {}),
      ...(prefixes ? { logStreamNamePrefixes: prefixes } : {}),
      ...(b.logEventFilterPattern ? { logEventFilterPattern: b.logEventFilterPattern } : {}),
    }),
  );
  const started = Date.now();
  let since = started;
  const tick = () => {
    const now = Date.now();
    if (now - started >= (opts.maxSessionMs ?? 3 * 3_600_000)) {
      res.end(
        encodeEventMessage(
          { ":message-type": "exception", ":exception-type": "SessionTimeoutException", ":content-type": "application/json" },
          Buffer.from(JSON.stringify({ message: "Session timed out" })),
        ),
      );
      return stop();
    }
    const results: { logStreamName: string; logGroupIdentifier: string; message: string; timestamp: number; ingestionTime: number }[] = [];
    for (let gi = 0; gi < groups.length; gi++) {
      // Events ingested since the last update, whatever their own timestamps (within the last day).
      store.scan(groups[gi], now - 86_400_000, now + 86_400_000, (e, stream) => {
        if (e.ingestionTime < since || e.ingestionTime >= now) return;
        if (names && !names.has(stream)) return;
        if (prefixes && !prefixes.some((p) => stream.startsWith(p))) return;
        if (!match(e.message)) return;
        results.push({ logStreamName: stream, logGroupIdentifier: ids[gi], message: e.message, timestamp: e.timestamp, ingestionTime: e.ingestionTime });
      });
    }
    since = now;
    results.sort((a, b) => a.ingestionTime - b.ingestionTime || a.timestamp - b.timestamp);
    const sampled = results.length > 500;
    res.write(event("sessionUpdate", { sessionMetadata: { sampled }, sessionResults: sampled ? results.slice(-500) : results }));
  };
  const timer = setInterval(tick, opts.updateMs ?? 1_000);
  const stop = () => clearInterval(timer);
  res.on("close", stop);
}

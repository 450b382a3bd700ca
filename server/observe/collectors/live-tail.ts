/**
 * Live Tail (StartLiveTail, 1 s updates) as a collector edge: a session over a function's log group feeding a
 * RecordExtractor, for panels that want REPORT lines the second they are written. AWS allows 15 concurrent
 * sessions per account, so Observe opens one per log group at most (the caller keeps it) and closes it when the
 * last viewer leaves. Loopback endpoints need `disableHostPrefix` (the SDK prefixes the host with "stream-").
 */
import { StartLiveTailCommand, type CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { RecordExtractor } from "../aggregate";
import { PLATFORM_FILTER } from "./logs";

export interface LiveTailSession {
  extractor: RecordExtractor;
  /** Updates received (one a second, empty or not). */
  updates: number;
  sessionId?: string;
  done: Promise<void>;
  stop(): void;
}

export function liveTail(logs: CloudWatchLogsClient, logGroupIdentifier: string, onUpdate?: (s: LiveTailSession) => void): LiveTailSession {
  const abort = new AbortController();
  const session: LiveTailSession = {
    extractor: new RecordExtractor(),
    updates: 0,
    done: Promise.resolve(),
    stop: () => abort.abort(),
  };
  session.done = (async () => {
    const res = await logs.send(new StartLiveTailCommand({ logGroupIdentifiers: [logGroupIdentifier], logEventFilterPattern: PLATFORM_FILTER }), { abortSignal: abort.signal });
    try {
      for await (const ev of res.responseStream ?? []) {
        if (ev.sessionStart) session.sessionId = ev.sessionStart.sessionId;
        if (ev.sessionUpdate) {
          for (const r of ev.sessionUpdate.sessionResults ?? []) session.extractor.add({ timestamp: r.timestamp, message: r.message });
          session.updates++;
          onUpdate?.(session);
        }
        if (ev.SessionTimeoutException || ev.SessionStreamingException) break;
      }
    } catch (e) {
      // A session ends after 3 h with SessionTimeoutException: a normal end, the caller starts another if needed.
      if (!abort.signal.aborted && (e as Error).name !== "SessionTimeoutException") throw e;
    }
  })();
  return session;
}

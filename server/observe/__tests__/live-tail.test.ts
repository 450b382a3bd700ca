/** StartLiveTail over the event-stream protocol: the SDK v3 client decodes our endpoint's session, 1 update per tick. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { CloudWatchLogsClient, StartLiveTailCommand } from "@aws-sdk/client-cloudwatch-logs";
import { startLogsEndpoint } from "../../sandbox/logs";
import { formatReportText } from "../../sandbox/report";
import { liveTail } from "../collectors/live-tail";

test("StartLiveTail: sessionStart, then updates with new matching events; filter pattern; errors; session timeout", async () => {
  const ep = await startLogsEndpoint({ liveTail: { updateMs: 100, maxSessionMs: 1_500 } });
  const logs = new CloudWatchLogsClient({ region: "us-east-1", endpoint: ep.endpoint, credentials: { accessKeyId: "a", secretAccessKey: "b" }, maxAttempts: 1, disableHostPrefix: true });
  try {
    const group = "/aws/lambda/tail";
    ep.store.ensureStream(group, "s1");
    ep.store.putLogEvents(group, "s1", [{ timestamp: Date.now(), message: formatReportText({ requestId: "before", durationMs: 1, memorySizeMb: 128, maxMemoryUsedMb: 10 }) }]);
    let seen = 0;
    const s = liveTail(logs, group, (x) => (seen = x.extractor.invocations.length));
    await new Promise((r) => setTimeout(r, 250));
    const t = Date.now();
    ep.store.putLogEvents(group, "s1", [
      { timestamp: t, message: "START RequestId: a1 Version: $LATEST" },
      { timestamp: t, message: formatReportText({ requestId: "a1", durationMs: 12.5, memorySizeMb: 128, maxMemoryUsedMb: 40, initDurationMs: 99 }) },
      { timestamp: t, message: "an application line" },
    ]);
    const deadline = Date.now() + 3_000;
    while (seen < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(seen, 1);
    assert.deepEqual(
      s.extractor.invocations.map((i) => [i.id, i.d, i.init]),
      [["a1", 12.5, 99]],
      "only events ingested after the session started, only platform lines",
    );
    assert.ok(s.sessionId);
    assert.ok(s.updates >= 2, `updates ${s.updates}`);
    // The session ends by itself after maxSessionMs (SessionTimeoutException).
    await s.done;
    s.stop();

    await assert.rejects(logs.send(new StartLiveTailCommand({ logGroupIdentifiers: ["/aws/lambda/none"] })), (e: Error) => e.name === "ResourceNotFoundException");
    await assert.rejects(logs.send(new StartLiveTailCommand({ logGroupIdentifiers: [group], logEventFilterPattern: "{ $.x = " })), (e: Error) => e.name === "InvalidParameterException");
  } finally {
    await ep.stop();
  }
});

test("tailed rows join polled ones by request id", async () => {
  const { mergeRows } = await import("../live-tails");
  const row = (id: string, t: number) => ({ t, id, d: 1, b: 1, mem: 128, max: 10, s: "success" as const });
  const polled = [row("a", 1), row("b", 3)];
  assert.equal(mergeRows(polled, []), polled);
  assert.deepEqual(mergeRows(polled, [row("b", 3), row("c", 2), row("d", 5)]).map((r) => r.id), ["a", "c", "b", "d"]);
});

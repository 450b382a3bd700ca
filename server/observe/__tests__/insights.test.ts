/**
 * Logs Insights over the wire: the sandbox's logs endpoint answers StartQuery / GetQueryResults / StopQuery on the
 * JSON protocol; the AWS SDK client drives it; Observe's long-window queries give the same figures as reading every
 * REPORT line (aggregateFunction).
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { CloudWatchLogsClient, GetQueryResultsCommand, StartQueryCommand, StopQueryCommand } from "@aws-sdk/client-cloudwatch-logs";
import { startLogsEndpoint, type LogsEndpoint } from "../../sandbox/logs";
import { formatReportJson, formatReportText } from "../../sandbox/report";
import { insightsToFunction, readFunctionInsights, runInsightsQuery } from "../collectors/insights";
import { RecordExtractor, aggregateFunction } from "../aggregate";

let ep: LogsEndpoint;
let logs: CloudWatchLogsClient;
const T0 = Date.parse("2026-05-01T10:00:00Z");
const events: { timestamp: number; message: string }[] = [];

before(async () => {
  ep = await startLogsEndpoint();
  logs = new CloudWatchLogsClient({ region: "us-east-1", endpoint: ep.endpoint, credentials: { accessKeyId: "a", secretAccessKey: "b" }, maxAttempts: 1 });
  for (let i = 0; i < 120; i++) {
    const f = { requestId: `r-${i}`, durationMs: 10 + (i % 50), memorySizeMb: 256, maxMemoryUsedMb: 60 + (i % 9), ...(i % 30 === 0 ? { initDurationMs: 200 + i } : {}), ...(i % 40 === 7 ? { status: "timeout" as const } : i % 40 === 8 ? { status: "error" as const, errorType: "Boom" } : {}) };
    const t = T0 + i * 30_000;
    events.push({ timestamp: t, message: i % 2 ? formatReportText(f) : formatReportJson(f, new Date(t)) });
    events.push({ timestamp: t, message: `START RequestId: r-${i} Version: $LATEST` });
  }
  ep.store.ensureStream("/aws/lambda/fn", "s1");
  ep.store.putLogEvents("/aws/lambda/fn", "s1", events, T0 + 3_600_000);
});
after(async () => {
  await ep.stop();
});

test("StartQuery → Running → Complete; stats by bin; StopQuery; malformed queries and unknown groups", async () => {
  const { queryId } = await logs.send(new StartQueryCommand({ logGroupName: "/aws/lambda/fn", startTime: T0 / 1000, endTime: (T0 + 3_600_000) / 1000, queryString: 'filter @type = "REPORT" | stats count(*) as n, max(@duration) as maxD by bin(30m)' }));
  const first = await logs.send(new GetQueryResultsCommand({ queryId }));
  assert.equal(first.status, "Running");
  const done = await logs.send(new GetQueryResultsCommand({ queryId }));
  assert.equal(done.status, "Complete");
  const rows = done.results!.map((r) => Object.fromEntries(r.map((c) => [c.field, c.value])));
  assert.deepEqual(rows, [
    { "bin(30m)": "2026-05-01 10:00:00.000", n: "30", maxD: "59" },
    { "bin(30m)": "2026-05-01 10:30:00.000", n: "30", maxD: "59" },
  ]);
  assert.equal(done.statistics?.recordsScanned, 240);

  // Text REPORT lines (odd i) in the first 10 minutes (i ≤ 20): durations 10 + i.
  const plain = await runInsightsQuery(logs, "/aws/lambda/fn", T0, T0 + 600_000, "fields @timestamp, @requestId, @duration | filter @duration > 20 and @duration / 2 < 20 | sort @duration desc | limit 3", { pollMs: 10 });
  assert.deepEqual(
    plain.map((r) => [r["@requestId"], r["@duration"]]),
    [
      ["r-19", "29"],
      ["r-17", "27"],
      ["r-15", "25"],
    ],
  );
  assert.ok(plain.every((r) => r["@ptr"] && /^2026-05-01 10:0\d:\d\d\.000$/.test(r["@timestamp"])));

  const { queryId: q2 } = await logs.send(new StartQueryCommand({ logGroupName: "/aws/lambda/fn", startTime: T0 / 1000, endTime: T0 / 1000 + 60, queryString: "stats count(*)" }));
  assert.equal((await logs.send(new StopQueryCommand({ queryId: q2 }))).success, true);
  assert.equal((await logs.send(new GetQueryResultsCommand({ queryId: q2 }))).status, "Cancelled");

  await assert.rejects(logs.send(new StartQueryCommand({ logGroupName: "/aws/lambda/fn", startTime: 0, endTime: 1, queryString: "stats nope(x)" })), (e: Error) => e.name === "MalformedQueryException");
  await assert.rejects(logs.send(new StartQueryCommand({ logGroupName: "/aws/lambda/none", startTime: 0, endTime: 1, queryString: "stats count(*)" })), (e: Error) => e.name === "ResourceNotFoundException");
});

test("long-window collector: Insights figures equal the ones from every REPORT line", async () => {
  const from = T0;
  const to = T0 + 3_600_000;
  const data = await readFunctionInsights(logs, "/aws/lambda/fn", from, to, 900);
  const viaInsights = insightsToFunction(data, from, to, 900);
  const x = new RecordExtractor();
  for (const e of events) x.add(e);
  const direct = aggregateFunction(x.invocations, x.inits, { kind: "custom", from, to }, { bucketSeconds: 900 });
  assert.deepEqual(viaInsights.stats, direct.stats);
  assert.deepEqual(viaInsights.series, direct.series);
});

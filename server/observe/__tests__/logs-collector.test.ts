/**
 * The logs collector over the wire (our CloudWatch Logs endpoint, the real SDK client): a function that has never
 * run has no log group yet, which reads as "no invocations", not as a failure; once the group appears its REPORT
 * lines are counted.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { startLogsEndpoint, type LogsEndpoint } from "../../sandbox/logs";
import { formatReportText } from "../../sandbox/report";
import { readFunctionLogs } from "../collectors/logs";

let ep: LogsEndpoint;
let logs: CloudWatchLogsClient;

before(async () => {
  ep = await startLogsEndpoint();
  logs = new CloudWatchLogsClient({ region: "us-east-1", endpoint: ep.endpoint, credentials: { accessKeyId: "a", secretAccessKey: "b" }, maxAttempts: 1 });
});
after(async () => {
  logs.destroy();
  await ep.stop();
});

test("a missing log group reads as zero invocations; later REPORT lines are counted", async () => {
  const now = Date.now();
  const empty = await readFunctionLogs(logs, "/aws/lambda/never-ran", undefined, 300_000, now);
  assert.equal(empty.rows.length, 0);

  ep.store.ensureStream("/aws/lambda/never-ran", "s1");
  ep.store.putLogEvents("/aws/lambda/never-ran", "s1", [
    { timestamp: now + 10, message: formatReportText({ requestId: "r-1", durationMs: 12.5, memorySizeMb: 128, maxMemoryUsedMb: 40, initDurationMs: 150 }) },
    { timestamp: now + 20, message: formatReportText({ requestId: "r-2", durationMs: 3.1, memorySizeMb: 128, maxMemoryUsedMb: 41 }) },
  ], now + 30);
  const next = await readFunctionLogs(logs, "/aws/lambda/never-ran", empty, 300_000, now + 1_000);
  assert.equal(next.rows.length, 2);
});

test("other errors still reach the caller (the poller classifies them)", async () => {
  const gone = await startLogsEndpoint();
  const endpoint = gone.endpoint;
  await gone.stop();
  const unreachable = new CloudWatchLogsClient({ region: "us-east-1", endpoint, credentials: { accessKeyId: "a", secretAccessKey: "b" }, maxAttempts: 1 });
  await assert.rejects(readFunctionLogs(unreachable, "/aws/lambda/never-ran", undefined, 300_000), (e: Error) => e.name !== "ResourceNotFoundException");
  unreachable.destroy();
});

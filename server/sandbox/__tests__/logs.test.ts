import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  PutLogEventsCommand,
  ResourceNotFoundException,
  ResourceAlreadyExistsException,
} from "@aws-sdk/client-cloudwatch-logs";
import { startLogsEndpoint, type LogsEndpoint } from "../logs/server";
import { compileFilterPattern } from "../logs/filter";

const dir = mkdtempSync(join(tmpdir(), "topo-logs-"));
const running: LogsEndpoint[] = [];
after(async () => {
  for (const e of running) await e.stop().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
});

function client(ep: LogsEndpoint) {
  return new CloudWatchLogsClient({ endpoint: ep.endpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
}

test("filter patterns: terms, phrases, ?any, -not, JSON equality/inequality/numbers", () => {
  const m = (p: string, s: string) => compileFilterPattern(p)(s);
  assert.equal(m("", "anything"), true);
  assert.equal(m("REPORT", "REPORT RequestId: x"), true);
  assert.equal(m("REPORT", "report RequestId: x"), false, "case-sensitive");
  assert.equal(m("REPORT Init", "REPORT RequestId: x\tInit Duration: 1 ms"), true);
  assert.equal(m("REPORT Init", "REPORT RequestId: x"), false);
  assert.equal(m('"Status: timeout"', "REPORT ... Status: timeout"), true);
  assert.equal(m('"Status: timeout"', "REPORT ... Status: error"), false);
  assert.equal(m("?ERROR ?WARN", "a WARN b"), true);
  assert.equal(m("?ERROR ?WARN", "INFO"), false);
  assert.equal(m("REPORT -Init", "REPORT x Init"), false);
  const j = '{"type":"platform.report","record":{"status":"timeout","metrics":{"durationMs":12.5}}}';
  assert.equal(m('{ $.type = "platform.report" }', j), true);
  assert.equal(m("{ $.type = platform.report }", j), true);
  assert.equal(m('{ $.type = "platform.start" }', j), false);
  assert.equal(m('{ $.record.status != "success" }', j), true);
  assert.equal(m("{ $.record.metrics.durationMs > 10 && $.type = platform.* }", j), true);
  assert.equal(m("{ $.record.metrics.durationMs = 12.5 }", j), true);
  assert.equal(m('{ $.type = "platform.report" }', "not json"), false);
  assert.throws(() => compileFilterPattern("{ type = x }"));
});

test("CloudWatch Logs endpoint: the real SDK client creates, writes, describes, reads, filters and pages", async () => {
  const ep = await startLogsEndpoint({ dataDir: join(dir, "a") });
  running.push(ep);
  const c = client(ep);
  const g = "/aws/lambda/worker";
  await c.send(new CreateLogGroupCommand({ logGroupName: g }));
  await assert.rejects(c.send(new CreateLogGroupCommand({ logGroupName: g })), (e: unknown) => e instanceof ResourceAlreadyExistsException);
  await c.send(new CreateLogStreamCommand({ logGroupName: g, logStreamName: "s1" }));
  await c.send(new CreateLogStreamCommand({ logGroupName: g, logStreamName: "s2" }));
  const t0 = 1_700_000_000_000;
  await c.send(new PutLogEventsCommand({ logGroupName: g, logStreamName: "s1", logEvents: [0, 2, 4].map((i) => ({ timestamp: t0 + i, message: `REPORT n=${i}` })) }));
  await c.send(new PutLogEventsCommand({ logGroupName: g, logStreamName: "s2", logEvents: [1, 3, 5].map((i) => ({ timestamp: t0 + i, message: i === 3 ? `START n=${i}` : `REPORT n=${i}` })) }));

  const groups = await c.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "/aws/lambda/" }));
  assert.deepEqual(groups.logGroups?.map((x) => x.logGroupName), [g]);
  const streams = await c.send(new DescribeLogStreamsCommand({ logGroupName: g }));
  assert.deepEqual(streams.logStreams?.map((s) => [s.logStreamName, s.firstEventTimestamp, s.lastEventTimestamp]), [
    ["s1", t0, t0 + 4],
    ["s2", t0 + 1, t0 + 5],
  ]);

  const got = await c.send(new GetLogEventsCommand({ logGroupName: g, logStreamName: "s1", startFromHead: true, limit: 2 }));
  assert.deepEqual(got.events?.map((e) => e.message), ["REPORT n=0", "REPORT n=2"]);
  const got2 = await c.send(new GetLogEventsCommand({ logGroupName: g, logStreamName: "s1", nextToken: got.nextForwardToken, limit: 2 }));
  assert.deepEqual(got2.events?.map((e) => e.message), ["REPORT n=4"]);

  // Interleaved across streams, filtered, time-bounded, paged two at a time.
  const seen: string[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  do {
    const r = await c.send(new FilterLogEventsCommand({ logGroupName: g, filterPattern: "REPORT", startTime: t0 + 1, endTime: t0 + 5, limit: 2, nextToken }));
    seen.push(...(r.events ?? []).map((e) => `${e.logStreamName}:${e.message}`));
    nextToken = r.nextToken;
    pages++;
  } while (nextToken);
  assert.deepEqual(seen, ["s2:REPORT n=1", "s1:REPORT n=2", "s1:REPORT n=4", "s2:REPORT n=5"]);
  assert.equal(pages, 2);

  await assert.rejects(c.send(new FilterLogEventsCommand({ logGroupName: "/nope" })), (e: unknown) => e instanceof ResourceNotFoundException);
  await assert.rejects(
    c.send(new PutLogEventsCommand({ logGroupName: g, logStreamName: "missing", logEvents: [{ timestamp: t0, message: "x" }] })),
    (e: unknown) => e instanceof ResourceNotFoundException,
  );
  await assert.rejects(c.send(new FilterLogEventsCommand({ logGroupName: g, filterPattern: "{ bad" })), (e: unknown) => (e as Error).name === "InvalidParameterException");
  c.destroy();
});

test("CloudWatch Logs endpoint: a restart on the same data dir loses nothing", async () => {
  const data = join(dir, "b");
  const ep1 = await startLogsEndpoint({ dataDir: data });
  running.push(ep1);
  const c1 = client(ep1);
  await c1.send(new CreateLogGroupCommand({ logGroupName: "g" }));
  await c1.send(new CreateLogStreamCommand({ logGroupName: "g", logStreamName: "2026/11/23/[$LATEST]abc" }));
  await c1.send(new PutLogEventsCommand({ logGroupName: "g", logStreamName: "2026/11/23/[$LATEST]abc", logEvents: [{ timestamp: 5, message: "one" }, { timestamp: 6, message: "two" }] }));
  c1.destroy();
  await ep1.stop();

  const ep2 = await startLogsEndpoint({ dataDir: data });
  running.push(ep2);
  const c2 = client(ep2);
  const r = await c2.send(new FilterLogEventsCommand({ logGroupName: "g" }));
  assert.deepEqual(r.events?.map((e) => [e.logStreamName, e.timestamp, e.message]), [
    ["2026/11/23/[$LATEST]abc", 5, "one"],
    ["2026/11/23/[$LATEST]abc", 6, "two"],
  ]);
  c2.destroy();
});

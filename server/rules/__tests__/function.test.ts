import { test } from "node:test";
import assert from "node:assert/strict";
import { aliasWeights } from "../alias-weights";
import { asyncInvokeRange } from "../async-invoke-range";
import { coldStartSyncPath } from "../cold-start-sync-path";
import { concurrencyBudget } from "../concurrency-budget";
import { concurrencyRange } from "../concurrency-range";
import { functionMemoryRange } from "../function-memory-range";
import { functionStorageRange } from "../function-storage-range";
import { functionTimeoutRange } from "../function-timeout-range";
import { httpIntegrationTimeout } from "../http-integration-timeout";
import { reservedConcurrencyZero } from "../reserved-concurrency-zero";
import { snapstartUnsupported } from "../snapstart-unsupported";
import { call, fn, queue, route, run, topo, trigger } from "./helpers";

const ids = (fs: { elements: string[] }[]) => fs.map((f) => f.elements[0]);

test("function-timeout-range: 0 s and 901 s are errors; 1 s and 900 s are fine", () => {
  const doc = topo({ nodes: [fn("zero", { timeoutSeconds: 0 }), fn("long", { timeoutSeconds: 901 }), fn("min", { timeoutSeconds: 1 }), fn("max", { timeoutSeconds: 900 }), fn("dflt")] });
  const found = run(functionTimeoutRange, doc);
  assert.deepEqual(ids(found), ["zero", "long"]);
  assert.equal(found[1].severity, "error");
  assert.match(found[1].message, /901 s; Lambda accepts 1–900 s/);
  assert.match(found[1].fix, /at most 900 s/);
});

test("function-memory-range: outside 128–10,240 MB is an error", () => {
  const doc = topo({ nodes: [fn("tiny", { memoryMb: 64 }), fn("huge", { memoryMb: 10_241 }), fn("ok", { memoryMb: 10_240 }), fn("dflt")] });
  const found = run(functionMemoryRange, doc);
  assert.deepEqual(ids(found), ["tiny", "huge"]);
  assert.match(found[1].message, /10,241 MB/);
});

test("function-memory-range: defaults are in range", () => {
  assert.deepEqual(run(functionMemoryRange, topo({ nodes: [fn("a"), fn("b", { memoryMb: 128 })] })), []);
});

test("function-storage-range: outside 512–10,240 MB is an error", () => {
  const doc = topo({ nodes: [fn("small", { ephemeralStorageMb: 256 }), fn("big", { ephemeralStorageMb: 20_000 }), fn("ok", { ephemeralStorageMb: 10_240 })] });
  assert.deepEqual(ids(run(functionStorageRange, doc)), ["small", "big"]);
});

test("function-storage-range: the default 512 MB is fine", () => {
  assert.deepEqual(run(functionStorageRange, topo({ nodes: [fn("a")] })), []);
});

test("concurrency-range: negative values and provisioned above reserved are errors", () => {
  const doc = topo({
    nodes: [fn("neg", { reservedConcurrency: -1 }), fn("negp", { provisionedConcurrency: -5 }), fn("over", { reservedConcurrency: 5, provisionedConcurrency: 10 })],
  });
  const found = run(concurrencyRange, doc);
  assert.deepEqual(ids(found), ["neg", "negp", "over"]);
  assert.match(found[2].message, /provisioned concurrency \(10\) is above reserved concurrency \(5\)/);
});

test("concurrency-range: provisioned within reserved, or without reservation, is fine", () => {
  const doc = topo({ nodes: [fn("a", { reservedConcurrency: 10, provisionedConcurrency: 10 }), fn("b", { provisionedConcurrency: 50 }), fn("c")] });
  assert.deepEqual(run(concurrencyRange, doc), []);
});

test("reserved-concurrency-zero: reserved concurrency 0 is a warning", () => {
  const found = run(reservedConcurrencyZero, topo({ nodes: [fn("off", { reservedConcurrency: 0 })] }));
  assert.equal(found.length, 1);
  assert.equal(found[0].severity, "warning");
});

test("reserved-concurrency-zero: no reservation or a positive one is fine", () => {
  assert.deepEqual(run(reservedConcurrencyZero, topo({ nodes: [fn("a"), fn("b", { reservedConcurrency: 1 })] })), []);
});

test("concurrency-budget: reservations summing above the account limit are one warning naming every reserving function", () => {
  const doc = topo({ nodes: [fn("a", { reservedConcurrency: 600 }), fn("b", { reservedConcurrency: 500 }), fn("c")] });
  const found = run(concurrencyBudget, doc);
  assert.equal(found.length, 1);
  assert.deepEqual(found[0].elements, ["a", "b"]);
  assert.match(found[0].message, /1,100 concurrent executions in total, above the account limit of 1,000/);
});

test("concurrency-budget: within the limit, or with a raised accountConcurrency, nothing is reported", () => {
  const doc = topo({ nodes: [fn("a", { reservedConcurrency: 600 }), fn("b", { reservedConcurrency: 400 })] });
  assert.deepEqual(run(concurrencyBudget, doc), []);
  const over = topo({ nodes: [fn("a", { reservedConcurrency: 1_500 })] });
  assert.deepEqual(run(concurrencyBudget, over, { accountConcurrency: 3_000 }), []);
  assert.equal(run(concurrencyBudget, over).length, 1);
});

test("snapstart-unsupported: unsupported runtime, provisioned concurrency and large /tmp are errors", () => {
  const doc = topo({
    nodes: [
      fn("node", { runtime: "nodejs22.x", snapStart: true }),
      fn("java-pc", { runtime: "java21", snapStart: true, provisionedConcurrency: 2 }),
      fn("java-tmp", { runtime: "java21", snapStart: true, ephemeralStorageMb: 1_024 }),
    ],
  });
  const found = run(snapstartUnsupported, doc);
  assert.deepEqual(ids(found), ["node", "java-pc", "java-tmp"]);
  assert.match(found[0].message, /nodejs22\.x does not support SnapStart/);
});

test("snapstart-unsupported: SnapStart on Java, Python 3.12 and .NET 8 is fine, and so is no SnapStart", () => {
  const doc = topo({
    nodes: [fn("j", { runtime: "java17", snapStart: true }), fn("p", { runtime: "python3.12", snapStart: true }), fn("d", { runtime: "dotnet8", snapStart: true }), fn("n", { provisionedConcurrency: 3 })],
  });
  assert.deepEqual(run(snapstartUnsupported, doc), []);
});

test("cold-start-sync-path: a Java function behind a route, and a big one it calls synchronously, are info", () => {
  const doc = topo({
    nodes: [route("orders"), fn("api", { runtime: "java21" }), fn("pricing", { memoryMb: 2_048 }), fn("audit", { memoryMb: 2_048 })],
    edges: [trigger("orders", "api"), call("api", "pricing", { mode: "sync" }), call("api", "audit", { mode: "async" })],
  });
  const found = run(coldStartSyncPath, doc);
  assert.deepEqual(ids(found), ["api", "pricing"]);
  assert.equal(found[0].severity, "info");
  assert.deepEqual(found[1].elements, ["pricing", "orders"]);
  assert.match(found[0].fix, /SnapStart/);
  assert.match(found[1].message, /POST \/orders/);
});

test("cold-start-sync-path: SnapStart, provisioned concurrency, small functions and queue consumers are fine", () => {
  const doc = topo({
    nodes: [route("a"), route("b"), route("c"), fn("snap", { runtime: "java21", snapStart: true }), fn("warm", { memoryMb: 4_096, provisionedConcurrency: 2 }), fn("light"), queue("jobs"), fn("worker", { runtime: "java21" })],
    edges: [trigger("a", "snap"), trigger("b", "warm"), trigger("c", "light"), trigger("jobs", "worker")],
  });
  assert.deepEqual(run(coldStartSyncPath, doc), []);
});

test("http-integration-timeout: a function that may outlive API Gateway's wait is a warning", () => {
  const doc = topo({
    nodes: [route("http", { api: "http" }), route("rest", { api: "rest" }), fn("slow", { timeoutSeconds: 60 }), fn("edge", { timeoutSeconds: 30 })],
    edges: [trigger("http", "slow"), trigger("rest", "edge")],
  });
  const found = run(httpIntegrationTimeout, doc);
  assert.deepEqual(ids(found), ["slow", "edge"]);
  assert.match(found[1].message, /REST API route .* gives up after 29 s/);
});

test("http-integration-timeout: 30 s on an HTTP API and functions not behind a route are fine", () => {
  const doc = topo({ nodes: [route("http"), fn("ok", { timeoutSeconds: 30 }), queue("jobs"), fn("batch", { timeoutSeconds: 900 })], edges: [trigger("http", "ok"), trigger("jobs", "batch", { batchSize: 1 })] });
  assert.deepEqual(run(httpIntegrationTimeout, doc), []);
});

test("alias-weights: weights not summing to 1, $LATEST in weighted routing and three versions are errors", () => {
  const doc = topo({
    nodes: [
      fn("sum", { alias: { versions: [{ version: "1", weight: 0.5 }, { version: "2", weight: 0.4 }] } }),
      fn("latest", { alias: { versions: [{ version: "$LATEST", weight: 0.9 }, { version: "3", weight: 0.1 }] } }),
      fn("three", { alias: { versions: [{ version: "1", weight: 0.5 }, { version: "2", weight: 0.25 }, { version: "3", weight: 0.25 }] } }),
    ],
  });
  const found = run(aliasWeights, doc);
  assert.deepEqual(ids(found), ["sum", "latest", "three"]);
  assert.match(found[0].message, /weights sum to 0\.9, not 1/);
  assert.match(found[1].message, /"\$LATEST" is not a published version number/);
  assert.match(found[2].message, /routes to 3 versions/);
});

test("alias-weights: 0.9 + 0.1 over published versions (float sum) and a single $LATEST alias are fine", () => {
  const doc = topo({
    nodes: [
      fn("canary", { alias: { versions: [{ version: "7", weight: 0.7 }, { version: "8", weight: 0.1 + 0.2 }] } }),
      fn("simple", { alias: { versions: [{ version: "$LATEST", weight: 1 }] } }),
      fn("none"),
    ],
  });
  assert.deepEqual(run(aliasWeights, doc), []);
});

test("async-invoke-range: 3 retries and a 30 s event age are errors", () => {
  const doc = topo({ nodes: [fn("a", { asyncInvoke: { maximumRetryAttempts: 3 } }), fn("b", { asyncInvoke: { maximumEventAgeSeconds: 30 } })] });
  const found = run(asyncInvokeRange, doc);
  assert.deepEqual(ids(found), ["a", "b"]);
  assert.match(found[0].message, /3 retries \(accepted: 0–2\)/);
});

test("async-invoke-range: defaults and values at the bounds are fine", () => {
  const doc = topo({ nodes: [fn("a", { asyncInvoke: {} }), fn("b", { asyncInvoke: { maximumRetryAttempts: 0, maximumEventAgeSeconds: 60 } }), fn("c")] });
  assert.deepEqual(run(asyncInvokeRange, doc), []);
});

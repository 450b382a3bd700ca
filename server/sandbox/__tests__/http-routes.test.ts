import { test } from "node:test";
import assert from "node:assert/strict";
import { TopologySchema } from "../../model/schema";
import { startSandbox } from "../sandbox";
import { compileRoutePath } from "../http-routes";

test("route paths: literals, {param}, {proxy+}", () => {
  const { re, names } = compileRoutePath("/orders/{id}");
  assert.deepEqual(names, ["id"]);
  assert.deepEqual(re.exec("/orders/42")?.slice(1), ["42"]);
  assert.equal(re.exec("/orders/42/items"), null);
  assert.deepEqual(compileRoutePath("/files/{proxy+}").re.exec("/files/a/b.txt")?.slice(1), ["a/b.txt"]);
});

test("sandbox: HTTP routes answer on a loopback port with API Gateway v2 events; errors 500, unknown 404, throttles 429", async () => {
  const inlineSource = `export async function handler(event) {
    if (event.pathParameters?.id === "boom") throw new Error("boom");
    return { statusCode: 201, headers: { "x-route": event.routeKey }, body: JSON.stringify({ id: event.pathParameters?.id, method: event.requestContext.http.method, q: event.queryStringParameters, body: event.body }) };
  }`;
  const t = TopologySchema.parse({
    schemaVersion: 1,
    name: "http",
    nodes: [
      { id: "get-order", kind: "http-route", name: "GET order", method: "GET", path: "/orders/{id}" },
      { id: "post-order", kind: "http-route", name: "POST order", method: "POST", path: "/orders" },
      { id: "api", kind: "function", name: "api", inlineSource, simulate: { initMs: 0 } },
      { id: "slow", kind: "function", name: "slow", reservedConcurrency: 0 },
    ],
    edges: [
      { id: "get-api", kind: "trigger", source: "get-order", target: "api" },
      { id: "post-slow", kind: "trigger", source: "post-order", target: "slow" },
    ],
  });
  const sb = await startSandbox(t);
  try {
    assert.match(sb.endpoints.http, /^http:\/\/127\.0\.0\.1:\d+$/);
    const r = await fetch(`${sb.endpoints.http}/orders/42?x=1`);
    assert.equal(r.status, 201);
    assert.equal(r.headers.get("x-route"), "GET /orders/{id}");
    assert.deepEqual(await r.json(), { id: "42", method: "GET", q: { x: "1" } });
    const e = await fetch(`${sb.endpoints.http}/orders/boom`);
    assert.equal(e.status, 500);
    assert.deepEqual(await e.json(), { message: "Internal Server Error" });
    assert.equal((await fetch(`${sb.endpoints.http}/nope`)).status, 404);
    assert.equal((await fetch(`${sb.endpoints.http}/orders/1`, { method: "DELETE" })).status, 404);
    const th = await fetch(`${sb.endpoints.http}/orders`, { method: "POST", body: "{}" });
    assert.equal(th.status, 429);
    await sb.send("get-order", "");
    const s = await sb.summary();
    assert.equal(s.functions.api.invocations, 3);
    assert.equal(s.functions.api.errors, 1);
    assert.equal(s.functions.slow.throttles, 1);
    assert.equal(s.triggers["get-api"].driven, true);
  } finally {
    await sb.stop();
  }
});

/**
 * Bad input over HTTP (issue 8): the import and revisions routes answer 400/413/415/422 with
 * `{ error: { code, message, fix } }` and no stack, and write nothing: the project and revision
 * counts are the same afterwards. Served by the app's own route handlers (route-server.ts) on
 * SQLite, and PostgreSQL when DATABASE_URL_PG is set.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { ERRORS, type ErrorCode } from "../../errors";
import { DOCUMENT_LIMITS } from "../../model/limits";
import { testDatabases } from "../../db/__tests__/databases";
import { startRouteServer, type RouteServer } from "./route-server";

const queue = "Resources:\n  Orders:\n    Type: AWS::SQS::Queue\n";

for (const target of testDatabases()) {
  describe(`bad input over HTTP (${target.name})`, { skip: target.skip }, () => {
    let srv: RouteServer;
    let close: () => Promise<void>;
    let projectId: string;

    before(async () => {
      const opened = await target.open();
      close = opened.close;
      srv = await startRouteServer({ db: opened.db });
      const res = await post("/api/projects", { name: "Target", document: { schemaVersion: 1, name: "Target" } });
      assert.equal(res.status, 201);
      projectId = (await res.json()).project.id;
    });
    after(async () => {
      await srv?.close();
      await close?.();
    });

    function post(path: string, body: unknown, headers: Record<string, string> = { "content-type": "application/json" }) {
      return fetch(srv.url + path, { method: "POST", headers, body: (typeof body === "string" || body instanceof Uint8Array ? body : JSON.stringify(body)) as BodyInit });
    }
    async function counts() {
      const projects = (await (await fetch(`${srv.url}/api/projects`)).json()).projects as { id: string; latestRevision: number }[];
      const revisions = (await (await fetch(`${srv.url}/api/projects/${projectId}/revisions`)).json()).revisions as unknown[];
      return { projects: projects.length, revisions: revisions.length };
    }
    /** Sends, expects `status` + `code`, a message matching `message`, the fix, no stack; and that nothing was written. */
    async function refused(send: () => Promise<Response>, status: number, code: ErrorCode, message: RegExp) {
      const before = await counts();
      const t0 = performance.now();
      const res = await send();
      const ms = performance.now() - t0;
      const text = await res.text();
      assert.equal(res.status, status, text.slice(0, 300));
      assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
      const { error } = JSON.parse(text);
      assert.equal(error.code, code, text.slice(0, 300));
      assert.match(error.message, message);
      assert.equal(typeof error.fix, "string");
      assert.ok(error.fix.length > 10);
      assert.equal(ERRORS[code].status, status);
      assert.ok(!/\bat .*\.(ts|js):\d+/.test(text), "no stack trace");
      assert.deepEqual(await counts(), before, "nothing was written");
      assert.ok(ms < 5_000, `answered in ${ms.toFixed(0)} ms`);
    }

    test("import: a template over 5 MB is 413 (declared or not)", async () => {
      const big = { template: queue + "#".repeat(5 * 1024 * 1024 + 100), fileName: "big.yaml" };
      await refused(() => post("/api/projects/import", big), 413, "TOPO-E024", /the template is \d+ characters; the limit is 5242880/);
    });

    test("import: alias bombs and deep nesting are 413 TOPO-E062", async () => {
      const lol = ['a0: &a0 "lol"'];
      for (let i = 1; i <= 9; i++) lol.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(",")}]`);
      await refused(() => post("/api/projects/import", { template: `${lol.join("\n")}\nResources: { Q: { Type: AWS::SQS::Queue, Properties: { Tags: *a9 } } }\n` }), 413, "TOPO-E062", /YAML aliases|expands/);
      await refused(() => post("/api/projects/import", { template: `Resources: ${"[".repeat(20_000)}${"]".repeat(20_000)}\n` }), 413, "TOPO-E062", /nested/);
      await refused(() => post("/api/projects/import", { template: `{"Resources": ${'{"a":'.repeat(5_000)}1${"}".repeat(5_000)}}` }), 413, "TOPO-E062", /nested more than 128 levels/);
    });

    test("import: binary files, UTF-16 and Latin-1 read as text are 415 TOPO-E063", async () => {
      const png = new TextDecoder().decode(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]));
      await refused(() => post("/api/projects/import", { template: png, fileName: "shot.png" }), 415, "TOPO-E063", /shot\.png (contains binary data|is not valid UTF-8)/);
      const zip = new TextDecoder().decode(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00]));
      await refused(() => post("/api/projects/import", { template: zip, fileName: "t.zip" }), 415, "TOPO-E063", /t\.zip/);
      const utf16 = new TextDecoder().decode(new Uint8Array([0xff, 0xfe, ...Buffer.from(queue, "utf16le")]));
      await refused(() => post("/api/projects/import", { template: utf16, fileName: "w.yaml" }), 415, "TOPO-E063", /w\.yaml/);
      await refused(() => post("/api/projects/import", { template: `Description: caf\ufffd\n${queue}`, fileName: "l1.yaml" }), 415, "TOPO-E063", /l1\.yaml is not valid UTF-8: line 1/);
    });

    test("import: not a template is 422 TOPO-E061, broken YAML 422 TOPO-E060 with the line", async () => {
      await refused(() => post("/api/projects/import", { template: "apiVersion: v1\nkind: Pod\n", fileName: "pod.yaml" }), 422, "TOPO-E061", /pod\.yaml is not a CloudFormation or SAM template/);
      await refused(() => post("/api/projects/import", { template: "Resources:\n  Q:\n    Type: [unclosed\n", fileName: "t.yaml" }), 422, "TOPO-E060", /t\.yaml is not valid YAML \(line \d\)/);
    });

    test("import: a body that is not JSON at all (a raw file) is 400 TOPO-E001", async () => {
      await refused(() => post("/api/projects/import", new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00]), { "content-type": "image/png" }), 400, "TOPO-E001", /not valid JSON/);
      await refused(() => post("/api/projects/import", queue, { "content-type": "application/yaml" }), 400, "TOPO-E001", /not valid JSON/);
    });

    test("import: JSON templates import; a template with nothing modelled imports with a TOPO-E064 report", async () => {
      const before = (await counts()).projects;
      const json = await post("/api/projects/import", { template: JSON.stringify({ Resources: { Orders: { Type: "AWS::SQS::Queue" } } }), fileName: "q.yaml", name: "From JSON" });
      assert.equal(json.status, 201);
      assert.equal((await json.json()).project.counts.nodes, 1);
      const none = await post("/api/projects/import", { template: "Resources:\n  Pool: { Type: AWS::Cognito::UserPool }\n", fileName: "pool.yaml", name: "Nothing modelled" });
      assert.equal(none.status, 201);
      const body = await none.json();
      assert.equal(body.report.nothingModelled, true);
      assert.equal(body.report.warnings[0].code, "TOPO-E064");
      assert.equal((await counts()).projects, before + 2);
    });

    test("revisions: too large, too many nodes, over-long names and bad JSON write nothing", async () => {
      const doc = (extra: Record<string, unknown>) => ({ baseRevision: 1, document: { schemaVersion: 1, name: "Target", ...extra } });
      await refused(() => post(`/api/projects/${projectId}/revisions`, doc({ description: "x".repeat(5 * 1024 * 1024 + 100 * 1024) })), 413, "TOPO-E024", /the request is \d+ bytes; the limit is \d+/);
      // Under the request limit but over 5 MB once stored: refused before anything is written.
      const heavy = Array.from({ length: 27 }, (_, i) => ({ id: `f${i}`, kind: "function", name: `F${i}`, inlineSource: "/".repeat(194_300) }));
      await refused(() => post(`/api/projects/${projectId}/revisions`, doc({ nodes: heavy })), 413, "TOPO-E024", /the topology is \d+ bytes; the limit is 5242880/);
      const nodes = Array.from({ length: DOCUMENT_LIMITS.maxNodes + 1 }, (_, i) => ({ id: `q${i}`, kind: "queue", name: `Q${i}` }));
      await refused(() => post(`/api/projects/${projectId}/revisions`, doc({ nodes })), 422, "TOPO-E190", /10,001 nodes; the limit is 10,000/);
      await refused(() => post(`/api/projects/${projectId}/revisions`, doc({ nodes: [{ id: "q", kind: "queue", name: "n".repeat(141) }] })), 422, "TOPO-E002", /nodes\[0\]\.name/);
      await refused(() => post(`/api/projects/${projectId}/revisions`, doc({ nodes: [{ id: "f", kind: "function", name: "F", tags: { t: "v".repeat(DOCUMENT_LIMITS.text.value + 1) } }] })), 422, "TOPO-E002", /nodes\[0\]\.tags\.t/);
      await refused(() => post(`/api/projects/${projectId}/revisions`, '{"baseRevision": 1, "document": {'), 400, "TOPO-E001", /not valid JSON/);
      await refused(() => post(`/api/projects/${projectId}/revisions`, { baseRevision: "one", document: {} }), 400, "TOPO-E023", /baseRevision/);
      await refused(() => post(`/api/projects/${projectId}/revisions`, doc({ schemaVersion: 99 })), 422, "TOPO-E003", /schemaVersion|version/);
    });

    test("HTML in names and descriptions is stored and served as JSON text, byte for byte", async () => {
      const name = `<img src=x onerror=alert(1)>`;
      const description = `<script>alert("x")</script>`;
      const res = await post(`/api/projects/${projectId}/revisions`, { baseRevision: 1, document: { schemaVersion: 1, name, description, nodes: [{ id: "q", kind: "queue", name: "</div><svg onload=alert(1)>" }] } });
      assert.equal(res.status, 201, await res.clone().text());
      const latest = await fetch(`${srv.url}/api/projects/${projectId}/revisions/latest`);
      assert.match(latest.headers.get("content-type") ?? "", /^application\/json/);
      const { revision } = await latest.json();
      assert.equal(revision.document.name, name);
      assert.equal(revision.document.description, description);
      assert.equal(revision.document.nodes[0].name, "</div><svg onload=alert(1)>");
    });
  });
}

import { test } from "node:test";
import assert from "node:assert/strict";
import { TopologySchema, type Topology, type TopologyInput } from "../../model/schema";
import { ordersTopology } from "../../model/examples/index";
import { assignLogicalIds, logicalIdBase, stampLogicalIds } from "../ir/logical-ids";
import { exportSam } from "../export";
import { importSam } from "../import/sam";
import { templateText } from "./helpers";

const doc = (input: Partial<TopologyInput>): Topology => TopologySchema.parse({ schemaVersion: 1, name: "T", ...input });

test("logical ids: PascalCase of the name, ASCII, starting with a letter", () => {
  assert.equal(logicalIdBase("Order handler"), "OrderHandler");
  assert.equal(logicalIdBase("Commandes — Expédition"), "CommandesExpedition");
  assert.equal(logicalIdBase("cœur de métier"), "CoeurDeMetier");
  assert.equal(logicalIdBase("2FA codes", "Function"), "Function2faCodes");
  assert.equal(logicalIdBase("!!!", "Queue"), "X");
});

test("logical ids: collisions are settled by element id, whatever the order of the nodes", () => {
  const nodes = [
    { id: "fn-b", kind: "function", name: "Orders" },
    { id: "queue-a", kind: "queue", name: "Orders" },
    { id: "table-c", kind: "table", name: "Orders" },
    { id: "fn-a", kind: "function", name: "Orders" },
  ] as TopologyInput["nodes"];
  const a = assignLogicalIds(doc({ nodes }));
  const b = assignLogicalIds(doc({ nodes: [...nodes!].reverse() }));
  assert.deepEqual(Object.fromEntries(a), Object.fromEntries(b));
  assert.deepEqual(Object.fromEntries(a), { "fn-a": "Orders", "fn-b": "OrdersFunction", "queue-a": "OrdersQueue", "table-c": "OrdersTable" });
});

test("logical ids: renaming one function changes no other resource's logical id", () => {
  const before = assignLogicalIds(ordersTopology);
  const renamed: Topology = { ...ordersTopology, nodes: ordersTopology.nodes.map((n) => (n.id === "fn-ship-order" ? { ...n, name: "Dispatch parcel" } : n)) };
  const after = assignLogicalIds(renamed);
  for (const [id, lid] of before) if (id !== "fn-ship-order") assert.equal(after.get(id), lid, id);
  assert.equal(after.get("fn-ship-order"), "DispatchParcel");
  // The exported templates differ only in that resource (and what refers to it).
  const t1 = templateText(exportSam(ordersTopology).files);
  const t2 = templateText(exportSam(renamed).files);
  const ids = (t: string) => [...t.matchAll(/^ {2}([A-Za-z0-9]+):$/gm)].map((m) => m[1]);
  assert.deepEqual(ids(t2), ids(t1).map((x) => (x === "ShipOrder" ? "DispatchParcel" : x)));
});

test("logical ids: once stamped, a rename keeps every id, even where a collision decided them", () => {
  const nodes = [
    { id: "fn-a", kind: "function", name: "Sync" },
    { id: "fn-b", kind: "function", name: "Sync" },
  ] as TopologyInput["nodes"];
  const d = doc({ nodes });
  assert.deepEqual(Object.fromEntries(assignLogicalIds(d)), { "fn-a": "Sync", "fn-b": "SyncFunction" });
  // Without stamps, renaming fn-a would hand "Sync" to fn-b (a replacement on deploy).
  const renamedUnstamped = { ...d, nodes: d.nodes.map((n) => (n.id === "fn-a" ? { ...n, name: "Import" } : n)) };
  assert.equal(assignLogicalIds(renamedUnstamped).get("fn-b"), "Sync");
  // Stamped (after the first export, or by the importer), both keep theirs.
  const stamped = stampLogicalIds(d);
  assert.equal(stamped.nodes[1].extras?.["@logicalId"], "SyncFunction");
  const renamed = { ...stamped, nodes: stamped.nodes.map((n) => (n.id === "fn-a" ? { ...n, name: "Import" } : n)) };
  assert.deepEqual(Object.fromEntries(assignLogicalIds(renamed)), { "fn-a": "Sync", "fn-b": "SyncFunction" });
  // The stamp survives validation (it lives in extras).
  assert.equal(TopologySchema.parse(renamed).nodes[1].extras?.["@logicalId"], "SyncFunction");
});

test("logical ids: imported resources keep their template ids; passthrough names are never taken", () => {
  const { topology } = importSam(`Parameters:
  Orders:
    Type: String
Resources:
  MyQueue:
    Type: AWS::SQS::Queue
  Role:
    Type: AWS::IAM::Role
    Properties: { AssumeRolePolicyDocument: {} }
`);
  const withNew = { ...topology, nodes: [...topology.nodes, TopologySchema.shape.nodes.parse([{ id: "queue-new", kind: "queue", name: "Orders" }])[0], TopologySchema.shape.nodes.parse([{ id: "fn-new", kind: "function", name: "Role" }])[0]] };
  const ids = assignLogicalIds(withNew);
  assert.equal(ids.get(topology.nodes[0].id), "MyQueue");
  assert.equal(ids.get("queue-new"), "OrdersQueue");
  assert.equal(ids.get("fn-new"), "RoleFunction");
});

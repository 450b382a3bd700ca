import { test } from "node:test";
import assert from "node:assert/strict";
import { validateTopology } from "../../model/validate";
import type { TopoEdge, TopoNode, Topology, TriggerEdge } from "../../model/schema";
import { isTopoError } from "../../errors";
import { importSam } from "../import/sam";
import { exportSam } from "../export";
import { parseTemplate } from "../parse/template";
import { deepEqual } from "../parse/intrinsics";
import { templateText } from "./helpers";

const roundTrip = (text: string) => {
  const a = importSam(text, { name: "T" });
  const out = templateText(exportSam(a.topology, { force: true, handlers: false }).files);
  const b = importSam(out, { name: "T" });
  return { a, out, b };
};
/** A resource as the user wrote it: the export adds a `context` tag, nothing else. */
function withoutContextTag(r: any, original: any): unknown {
  const c = structuredClone(r);
  const tags = c?.Properties?.Tags;
  if (Array.isArray(tags)) c.Properties.Tags = tags.filter((t: any) => t.Key !== "context");
  else if (tags) delete tags.context;
  if (c?.Properties?.Tags && !Object.keys(c.Properties.Tags).length && !original?.Properties?.Tags) delete c.Properties.Tags;
  if (c?.Properties && !Object.keys(c.Properties).length && !original?.Properties) delete c.Properties;
  return c;
}
const node = (t: Topology, lid: string) => t.nodes.find((n) => n.extras?.["@logicalId"] === lid) as TopoNode;
const triggers = (t: Topology) => t.edges.filter((e): e is TriggerEdge => e.kind === "trigger");

const SAM = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Description: Orders, imported
# Parameters users write and Composer drops
Parameters:
  Stage:
    Type: String
    Default: dev
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
Globals:
  Function:
    Runtime: python3.12
    Timeout: 20
    Environment:
      Variables:
        STAGE: !Ref Stage
        LOG_LEVEL: INFO
Resources:
  # Orders arrive here
  OrdersQueue:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: 120
      RedrivePolicy:
        deadLetterTargetArn: !GetAtt OrdersDlq.Arn
        maxReceiveCount: 5
      KmsMasterKeyId: alias/aws/sqs
  OrdersDlq:
    Type: AWS::SQS::Queue
    DeletionPolicy: Retain
    Properties:
      MessageRetentionPeriod: 1209600
  OrdersTable:
    Type: AWS::DynamoDB::Table
    Properties:
      AttributeDefinitions:
        - AttributeName: id
          AttributeType: S
      KeySchema:
        - AttributeName: id
          KeyType: HASH
      BillingMode: PAY_PER_REQUEST
      StreamSpecification:
        StreamViewType: NEW_AND_OLD_IMAGES
  ProcessOrder:
    Type: AWS::Serverless::Function
    Condition: IsProd
    Metadata:
      BuildMethod: makefile
    Properties:
      CodeUri: src/
      Handler: app.handler
      MemorySize: !If [IsProd, 1024, 256]
      Tracing: Active
      Environment:
        Variables:
          TABLE: !Ref OrdersTable
          MODE: fast
      Policies:
        - AWSLambdaBasicExecutionRole
        - DynamoDBCrudPolicy:
            TableName: !Ref OrdersTable
      Events:
        Orders:
          Type: SQS
          Properties:
            Queue: !GetAtt OrdersQueue.Arn
            BatchSize: 5
            FunctionResponseTypes: [ReportBatchItemFailures]
        Changes:
          Type: DynamoDB
          Properties:
            Stream: !GetAtt OrdersTable.StreamArn
            StartingPosition: TRIM_HORIZON
            MaximumRetryAttempts: 2
        Nightly:
          Type: Schedule
          Properties:
            Schedule: cron(0 2 * * ? *)
            Description: nightly sweep
        Api:
          Type: Api
          Properties:
            Path: /orders
            Method: post
        Cognito:
          Type: Cognito
          Properties:
            UserPool: !Ref Pool
            Trigger: PreSignUp
  Pool:
    Type: AWS::Cognito::UserPool
Outputs:
  QueueUrl:
    Value: !Ref OrdersQueue
    Export:
      Name: !Sub "\${AWS::StackName}-queue"
`;

test("import: SAM functions, events, Globals, policies, redrive → nodes and edges; the rest verbatim", () => {
  const { topology, report } = importSam(SAM, { fileName: "orders.yaml" });
  assert.equal(validateTopology(topology).ok, true);
  const fn = node(topology, "ProcessOrder");
  assert.equal(fn.kind, "function");
  if (fn.kind !== "function") return;
  assert.equal(fn.runtime, "python3.12", "from Globals");
  assert.equal(fn.timeoutSeconds, 20, "from Globals");
  assert.deepEqual(fn.environment, { LOG_LEVEL: "INFO", MODE: "fast" }, "literal variables only; intrinsics stay verbatim");
  assert.deepEqual(fn.extras?.MemorySize, { "Fn::If": ["IsProd", 1024, 256] });
  assert.equal(fn.extras?.Tracing, "Active");
  assert.deepEqual(fn.extras?.["@resource"], { Condition: "IsProd", Metadata: { BuildMethod: "makefile" } });
  const queue = node(topology, "OrdersQueue");
  assert.equal(queue.kind === "queue" && queue.redrive?.deadLetterQueueId, node(topology, "OrdersDlq").id);
  assert.equal(queue.extras?.KmsMasterKeyId, "alias/aws/sqs");
  const kinds = triggers(topology).map((e) => topology.nodes.find((n) => n.id === e.source)!.kind).sort();
  assert.deepEqual(kinds, ["http-route", "queue", "schedule", "table"]);
  const sqs = triggers(topology).find((e) => e.extras?.["@eventName"] === "Orders")!;
  assert.equal(sqs.batchSize, 5);
  assert.equal(sqs.reportBatchItemFailures, true);
  const route = topology.nodes.find((n) => n.kind === "http-route");
  assert.equal(route?.kind === "http-route" && `${route.api} ${route.method} ${route.path}`, "rest POST /orders");
  assert.ok(topology.edges.some((e) => e.kind === "access" && e.source === fn.id && e.target === node(topology, "OrdersTable").id && e.mode === "read-write"));
  // Unmodelled: the Cognito event stays on the function, the pool, parameters, conditions, outputs in iac.sam.
  assert.deepEqual(Object.keys((fn.extras?.Events ?? {}) as object), ["Cognito"]);
  const sam = topology.iac!.sam!;
  assert.deepEqual(Object.keys(sam.Resources as object), ["Pool"]);
  assert.ok(sam.Parameters && sam.Conditions && sam.Outputs && sam.Globals);
  assert.equal(report.counts.resources, 5);
  assert.equal(report.counts.modelled, 4);
  assert.ok(report.understood.some((e) => e.logicalId === "ProcessOrder" && e.line === 46 && /AWS::Serverless::Function → function/.test(e.message)));
  assert.ok(report.understood.some((e) => e.line === 65 && /SQS event "Orders" → trigger/.test(e.message)));
  assert.ok(report.opaque.some((e) => e.logicalId === "Pool" && /AWS::Cognito::UserPool is not modelled/.test(e.message)));
  assert.equal(report.nothingModelled, false);
});

test("import → export gives the template back: every resource, parameter, condition, output and comment", () => {
  const { a, out, b } = roundTrip(SAM);
  assert.deepEqual(b.topology, a.topology, "import(export(import(t))) = import(t)");
  const src = parseTemplate(SAM);
  const got = parseTemplate(out);
  for (const section of ["Parameters", "Conditions", "Globals", "Outputs"]) assert.deepEqual((got.value as any)[section], (src.value as any)[section], section);
  for (const [id, r] of Object.entries(src.value.Resources as object)) {
    const mine = withoutContextTag((got.value.Resources as any)[id], r);
    assert.ok(deepEqual(mine, r), `${id}: ${JSON.stringify(mine)} ≠ ${JSON.stringify(r)}`);
  }
  assert.match(out, /# Parameters users write and Composer drops\nParameters:/);
  assert.match(out, /# Orders arrive here\n  OrdersQueue:/);
  assert.match(out, /MemorySize: !If\n/);
  assert.match(out, /Method: post/);
  // Bounded contexts are added: a Composer group and a context tag.
  assert.match(out, /AWS::Composer::Groups:\n {4}T:\n {6}Label: T/);
  assert.match(out, /Key: context\n {10}Value: T/);
});

test("import: contexts from Composer groups, then from context tags, else one for the template", () => {
  const grouped = importSam(`Metadata:
  AWS::Composer::Groups:
    Group:
      Label: Billing
      Members: [Pay, Role]
    Group2:
      Label: Shipping
      Members: [Ship]
Resources:
  Pay: { Type: AWS::SQS::Queue }
  Ship: { Type: AWS::SQS::Queue }
  Role: { Type: AWS::IAM::Role, Properties: { AssumeRolePolicyDocument: {} } }
`);
  assert.deepEqual(grouped.topology.contexts.map((c) => c.name), ["Billing", "Shipping"]);
  assert.equal(node(grouped.topology, "Ship").contextId, grouped.topology.contexts[1].id);
  // The group keeps its key and its passthrough member on export.
  const out = templateText(exportSam(grouped.topology, { force: true }).files);
  assert.match(out, /Group:\n {6}Label: Billing\n {6}Members:\n {8}- Pay\n {8}- Role/);
  const tagged = importSam(`Resources:
  A: { Type: AWS::SQS::Queue, Properties: { Tags: [{ Key: context, Value: Sales }, { Key: team, Value: x }] } }
  B: { Type: AWS::SNS::Topic, Properties: { Tags: [{ Key: context, Value: Ops }] } }
`);
  assert.deepEqual(tagged.topology.contexts.map((c) => c.name), ["Sales", "Ops"]);
  assert.deepEqual(node(tagged.topology, "A").tags, { team: "x" });
  const single = importSam(`Resources:\n  A: { Type: AWS::SQS::Queue }\n`, { fileName: "shop__template.yaml" });
  assert.deepEqual(single.topology.contexts.map((c) => c.name), ["shop"]);
  assert.equal(single.topology.name, "shop");
});

test("import: a template with nothing modelled is kept whole and says so (TOPO-E064)", () => {
  const text = `Parameters:\n  P: { Type: String }\nResources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties: { AssumeRolePolicyDocument: {} }\n`;
  const { topology, report } = importSam(text, { fileName: "iam.yaml" });
  assert.equal(report.nothingModelled, true);
  assert.match(report.summary, /^TOPO-E064: nothing in iam\.yaml is modelled \(1 resource, none a function/);
  assert.equal(report.warnings[0].code, "TOPO-E064");
  assert.equal(topology.nodes.length, 0);
  const back = parseTemplate(templateText(exportSam(topology).files)).value;
  assert.deepEqual(back.Resources, parseTemplate(text).value.Resources);
  assert.deepEqual(back.Parameters, { P: { Type: "String" } });
});

test("import: plain CloudFormation (Lambda::Function, EventSourceMapping, Scheduler, Rule, Pipe) round-trips", () => {
  const text = `Resources:
  Queue:
    Type: AWS::SQS::Queue
  Worker:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Role: !GetAtt Role.Arn
      Code:
        ZipFile: |
          exports.handler = async () => 1;
      Timeout: 30
  Mapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      FunctionName: !Ref Worker
      EventSourceArn: !GetAtt Queue.Arn
      BatchSize: 7
      FunctionResponseTypes: [ReportBatchItemFailures]
  Every5:
    Type: AWS::Scheduler::Schedule
    Properties:
      ScheduleExpression: rate(5 minutes)
      FlexibleTimeWindow: { Mode: FLEXIBLE, MaximumWindowInMinutes: 2 }
      Target:
        Arn: !GetAtt Worker.Arn
        RoleArn: !GetAtt Role.Arn
  OnOrder:
    Type: AWS::Events::Rule
    Properties:
      EventPattern: { source: [shop] }
      Targets:
        - Arn: !GetAtt Worker.Arn
          Id: w
  Pipe:
    Type: AWS::Pipes::Pipe
    Properties:
      RoleArn: !GetAtt Role.Arn
      Source: !GetAtt Queue.Arn
      Target: !GetAtt Worker.Arn
      SourceParameters:
        SqsQueueParameters: { BatchSize: 3 }
  Role:
    Type: AWS::IAM::Role
    Properties: { AssumeRolePolicyDocument: {} }
`;
  const { a, out, b } = roundTrip(text);
  assert.deepEqual(b.topology, a.topology);
  const t = a.topology;
  const fn = node(t, "Worker");
  assert.equal(fn.kind === "function" && fn.inlineSource, "exports.handler = async () => 1;\n");
  assert.equal(fn.extras?.["@type"], "AWS::Lambda::Function");
  const tr = triggers(t);
  assert.equal(tr.length, 4);
  assert.equal(tr.find((e) => e.extras?.["@logicalId"] === "Mapping")?.batchSize, 7);
  assert.equal(tr.find((e) => e.extras?.["@logicalId"] === "Pipe")?.batchSize, 3);
  assert.equal(node(t, "Every5").kind, "schedule");
  const src = parseTemplate(text).value.Resources as any;
  const got = parseTemplate(out).value.Resources as any;
  for (const id of Object.keys(src)) {
    const mine = withoutContextTag(got[id], src[id]);
    assert.ok(deepEqual(mine, src[id]), `${id}: ${JSON.stringify(mine)} ≠ ${JSON.stringify(src[id])}`);
  }
});

test("import: references the template does not own become referenced nodes (no resource on export)", () => {
  const text = `Parameters:
  QueueArn: { Type: String }
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: .
      Handler: a.b
      Runtime: nodejs22.x
      Events:
        Q:
          Type: SQS
          Properties: { Queue: !Ref QueueArn }
        Lit:
          Type: SQS
          Properties: { Queue: "arn:aws:sqs:eu-west-1:123456789012:legacy" }
        Kafka:
          Type: MSK
          Properties:
            Stream: !ImportValue ClusterArn
            Topics: [payments]
            StartingPosition: LATEST
        Bus:
          Type: EventBridgeRule
          Properties:
            EventBusName: partner-bus
            Pattern: { source: [partner] }
`;
  const { a, out, b } = roundTrip(text);
  assert.deepEqual(b.topology, a.topology);
  const sources = triggers(a.topology).map((e) => a.topology.nodes.find((n) => n.id === e.source)!);
  assert.deepEqual(sources.map((n) => [n.kind, n.name]), [["queue", "Queue arn"], ["queue", "legacy"], ["kafka-topic", "payments"], ["event-bus", "partner-bus"]]);
  assert.ok(sources.every((n) => n.extras?.["@ref"]));
  assert.deepEqual(Object.keys(parseTemplate(out).value.Resources as object), ["Fn"]);
});

test("import: designed → SAM → import keeps contexts, functions, triggers and their settings", async () => {
  const { kafkaConsumersTopology: k } = await import("../../model/examples/index");
  const out = templateText(exportSam(k).files);
  const { topology: t } = importSam(out);
  assert.equal(t.name, k.name);
  assert.deepEqual(t.contexts.map((c) => [c.id, c.name, c.color, c.owner]), k.contexts.map((c) => [c.id, c.name, c.color, c.owner]));
  const fns = (d: Topology) => d.nodes.filter((n) => n.kind === "function").map((n) => n.name).sort();
  assert.deepEqual(fns(t), fns(k).map((n) => n.replace(/ /g, " ")).map((n) => t.nodes.find((x) => x.kind === "function" && x.name.toLowerCase() === n.toLowerCase())?.name ?? n).sort());
  const settings = (d: Topology) =>
    triggers(d)
      .map((e) => {
        const { id: _i, source: _s, target: _t, extras: _x, label: _l, onFailureDestinationId: _o, ...rest } = e;
        void [_i, _s, _t, _x, _l, _o];
        return JSON.stringify(rest);
      })
      .sort();
  assert.deepEqual(settings(t), settings(k));
  const lag = triggers(t).find((e) => e.type === "consumer-lag");
  assert.equal(lag?.lagThreshold, 50_000);
  assert.equal(lag?.consumerGroupId, "analytics-export-purchases");
  const fn = t.nodes.find((n) => n.kind === "function" && n.extras?.["@logicalId"] === "NotifyTierUpgrade");
  assert.equal(fn?.kind === "function" && fn.asyncInvoke?.maximumEventAgeSeconds, 3_600);
  assert.ok(t.edges.some((e: TopoEdge) => e.kind === "call"));
});

test("import: a poller someone edited by hand stays an ordinary function", () => {
  const text = `Resources:
  Target:
    Type: AWS::Serverless::Function
    Properties: { CodeUri: ., Handler: a.b, Runtime: nodejs22.x }
  Jobs:
    Type: AWS::SQS::Queue
  TargetLagPoller:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/lag-pollers/
      Handler: poller.handler
      Runtime: nodejs22.x
      MemorySize: 512
      Environment:
        Variables:
          TOPOGRAPH_LAG_TARGET: !Ref Target
          LAG_THRESHOLD: "10"
          LAG_SOURCE_KIND: sqs
          SQS_QUEUE_URL: !Ref Jobs
`;
  const { a, b } = roundTrip(text);
  assert.deepEqual(b.topology, a.topology);
  assert.equal(a.topology.edges.filter((e) => e.kind === "trigger").length, 0);
  assert.equal(node(a.topology, "TargetLagPoller").kind, "function");
});

test("import: errors are TopoErrors with a code, never crashes", () => {
  for (const [text, code] of [
    ["Resources: [", "TOPO-E060"],
    ["{", "TOPO-E060"],
    ["hello", "TOPO-E061"],
    ["Resources: 3", "TOPO-E061"],
  ] as const) {
    assert.throws(() => importSam(text), (e: unknown) => isTopoError(e) && e.code === code, text);
  }
  // Odd shapes inside a valid template are kept verbatim, not fatal.
  const odd = importSam(`Resources:
  NoType: { Properties: {} }
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Events: 3
      Policies: !Ref X
      Environment: [1]
  Q:
    Type: AWS::SQS::Queue
    Properties: [1, 2]
`);
  assert.equal(validateTopology(odd.topology).ok, true);
  assert.ok(odd.report.opaque.some((e) => e.logicalId === "NoType"));
});

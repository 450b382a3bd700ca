import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { EXAMPLES, kafkaConsumersTopology, ordersTopology } from "../../model/examples/index";
import { TopologySchema, type Topology } from "../../model/schema";
import { isTopoError } from "../../errors";
import { exportCdk, exportSam } from "../export";
import { parseTemplate } from "../parse/template";
import { isPlainObject, type JsonObject } from "../parse/intrinsics";
import { rateExpression } from "../emit/sam";
import { samValidator, schemaMissing, templateText } from "./helpers";

const allTriggers = TopologySchema.parse(JSON.parse(readFileSync(join(import.meta.dirname, "golden", "all-triggers", "input.json"), "utf8")));
const samOf = (t: Topology) => parseTemplate(templateText(exportSam(t).files)).value as any;
const TAGGABLE = new Set(["AWS::Serverless::Function", "AWS::Lambda::Function", "AWS::SQS::Queue", "AWS::Kinesis::Stream", "AWS::DynamoDB::Table", "AWS::SNS::Topic", "AWS::S3::Bucket", "AWS::Events::EventBus"]);

test("export SAM: the three examples and the focused case validate against the SAM JSON Schema", { skip: schemaMissing() }, () => {
  const validate = samValidator();
  for (const t of [...EXAMPLES.map((e) => e.topology), allTriggers]) {
    const { files, report } = exportSam(t);
    const template = parseTemplate(templateText(files)).value;
    assert.deepEqual(validate(template), [], t.name);
    assert.equal(report.forcedFindings.length, 0, `${t.name} exports without --force`);
  }
});

test("export SAM: transform, Composer groups per context, a context tag on every taggable resource", () => {
  for (const t of [...EXAMPLES.map((e) => e.topology), allTriggers]) {
    const sam = samOf(t);
    assert.equal(sam.Transform, "AWS::Serverless-2016-10-31");
    const groups = sam.Metadata["AWS::Composer::Groups"];
    assert.deepEqual(Object.values(groups).map((g: any) => g.Label), t.contexts.map((c) => c.name));
    const ctxName = new Map(t.contexts.map((c) => [c.id, c.name]));
    for (const n of t.nodes) {
      const lid = exportSam(t).report.logicalIds[n.id];
      const r = lid && sam.Resources[lid];
      if (!r || !n.contextId) continue;
      const member = Object.values(groups).find((g: any) => g.Members.includes(lid)) as any;
      assert.equal(member?.Label, ctxName.get(n.contextId), `${lid} in its context's group`);
      if (!TAGGABLE.has(r.Type)) continue;
      const tags = r.Properties.Tags;
      const value = Array.isArray(tags) ? tags.find((x: any) => x.Key === "context")?.Value : tags?.context;
      assert.equal(value, ctxName.get(n.contextId), `${lid} has a context tag`);
    }
  }
});

test("export SAM: every trigger kind becomes its SAM event with its settings", () => {
  const sam = samOf(allTriggers);
  const events = Object.values(sam.Resources as Record<string, any>).flatMap((r) => Object.values((r.Properties?.Events ?? {}) as Record<string, any>));
  const types = [...new Set(events.map((e) => e.Type))].sort();
  assert.deepEqual(types, ["Api", "DynamoDB", "EventBridgeRule", "HttpApi", "Kinesis", "MSK", "S3", "SNS", "SQS", "Schedule", "ScheduleV2", "SelfManagedKafka"]);
  const clicks = sam.Resources.CountClicks.Properties.Events.Clicks.Properties;
  assert.deepEqual(clicks, {
    Stream: { "Fn::GetAtt": ["Clicks", "Arn"] },
    BatchSize: 500,
    MaximumBatchingWindowInSeconds: 5,
    StartingPosition: "TRIM_HORIZON",
    ParallelizationFactor: 4,
    BisectBatchOnFunctionError: true,
    MaximumRetryAttempts: 3,
    MaximumRecordAgeInSeconds: 3600,
    TumblingWindowInSeconds: 60,
    DestinationConfig: { OnFailure: { Type: "SQS", Destination: { "Fn::GetAtt": ["Failures", "Arn"] } } },
    FunctionResponseTypes: ["ReportBatchItemFailures"],
  });
  const worker = sam.Resources.Worker.Properties;
  assert.deepEqual(worker.Events.Jobs.Properties.ScalingConfig, { MaximumConcurrency: 5 });
  assert.deepEqual(worker.Events.Jobs.Properties.FilterCriteria, { Filters: [{ Pattern: '{"body":{"type":["job"]}}' }] });
  assert.deepEqual(worker.DeadLetterQueue, { Type: "SQS", TargetArn: { "Fn::GetAtt": ["Failures", "Arn"] } });
  assert.deepEqual(worker.EventInvokeConfig, {
    MaximumRetryAttempts: 1,
    MaximumEventAgeInSeconds: 3600,
    DestinationConfig: { OnSuccess: { Type: "EventBridge", Destination: { "Fn::GetAtt": ["DomainEvents", "Arn"] } }, OnFailure: { Type: "SQS", Destination: { "Fn::GetAtt": ["Failures", "Arn"] } } },
  });
  const api = sam.Resources.ItemsApi.Properties;
  assert.equal(api.AutoPublishAlias, "live");
  assert.deepEqual(api.ProvisionedConcurrencyConfig, { ProvisionedConcurrentExecutions: 2 });
  assert.deepEqual(api.DeploymentPreference, { Type: "Linear10PercentEvery1Minute" });
  assert.deepEqual(api.Events.PostItems.Properties, { Path: "/items", Method: "POST", ApiId: { Ref: "HttpApi" }, Auth: { Authorizer: "AWS_IAM" } });
  assert.deepEqual(api.Events.GetItemsId.Properties, { Path: "/items/{id}", Method: "GET", Auth: { ApiKeyRequired: true } });
  assert.deepEqual(sam.Resources.HttpApi.Properties.Auth, { EnableIamAuthorizer: true });
  assert.deepEqual(api.Policies, [
    { DynamoDBCrudPolicy: { TableName: { Ref: "Items" } } },
    { SQSSendMessagePolicy: { QueueName: { "Fn::GetAtt": ["Jobs", "QueueName"] } } },
    { EventBridgePutEventsPolicy: { EventBusName: { Ref: "DomainEvents" } } },
    { LambdaInvokePolicy: { FunctionName: { Ref: "Notifier" } } },
    { S3WritePolicy: { BucketName: { Ref: "Uploads" } } },
  ]);
  assert.deepEqual(api.Environment.Variables, { STAGE: "prod", ITEMS_TABLE_NAME: { Ref: "Items" }, JOBS_QUEUE_URL: { Ref: "Jobs" }, DOMAIN_EVENTS_BUS_NAME: { Ref: "DomainEvents" }, NOTIFIER_FUNCTION_NAME: { Ref: "Notifier" }, UPLOADS_BUCKET_NAME: { Ref: "Uploads" } });
  assert.equal(sam.Resources.Report.Properties.SnapStart.ApplyOn, "PublishedVersions");
  assert.deepEqual(sam.Resources.Report.Properties.Events.Hourly.Properties, { ScheduleExpression: "rate(1 hour)", ScheduleExpressionTimezone: "Europe/Paris", State: "DISABLED", Input: '{"window":"hour"}' });
  assert.deepEqual(sam.Resources.Thumbnail.Properties.Events.Uploads.Properties.Filter, { S3Key: { Rules: [{ Name: "prefix", Value: "uploads/" }, { Name: "suffix", Value: ".jpg" }] } });
  assert.deepEqual(sam.Resources.Audit.Properties.Events.DomainEvents.Properties, { EventBusName: { Ref: "DomainEvents" }, Pattern: { source: ["shop.items"], "detail-type": ["ItemCreated"] }, Input: '{"audit":true}' });
  assert.deepEqual(sam.Resources.OrdersFifo.Properties.RedrivePolicy, { deadLetterTargetArn: { "Fn::GetAtt": ["OrdersFifoDlq", "Arn"] }, maxReceiveCount: 5 });
  assert.deepEqual(sam.Resources.LegacyListener.Properties.Events.LegacyTopic.Properties.SourceAccessConfigurations, [{ Type: "SASL_SCRAM_512_AUTH", URI: { Ref: "LegacyTopicCredentialsArn" } }]);
  assert.equal(sam.Parameters.LegacyTopicCredentialsArn.Type, "String");
});

test("export SAM: the consumer-lag trigger is a scheduled poller with the threshold in its environment", () => {
  const sam = samOf(kafkaConsumersTopology);
  const poller = sam.Resources.ExportPurchasesLagPoller;
  assert.equal(poller.Type, "AWS::Serverless::Function");
  assert.deepEqual(poller.Properties.Events, { LagCheck: { Type: "Schedule", Properties: { Schedule: "rate(1 minute)" } } });
  const env = poller.Properties.Environment.Variables;
  assert.deepEqual(env.TOPOGRAPH_LAG_TARGET, { Ref: "ExportPurchases" });
  assert.equal(env.LAG_THRESHOLD, "50000");
  assert.equal(env.KAFKA_CONSUMER_GROUP_ID, "analytics-export-purchases");
  assert.equal(env.KAFKA_TOPIC, "retail.purchases.v1");
  assert.deepEqual(poller.Properties.Policies[0], { LambdaInvokePolicy: { FunctionName: { Ref: "ExportPurchases" } } });
  // The target itself gets no event for it: the poller invokes it.
  assert.equal(sam.Resources.ExportPurchases.Properties.Events, undefined);
  const files = exportSam(kafkaConsumersTopology).files.map((f) => f.path);
  assert.ok(files.includes("src/lag-pollers/poller.mjs"));
  assert.equal(rateExpression(60), "rate(1 minute)");
  assert.equal(rateExpression(300), "rate(5 minutes)");
  assert.equal(rateExpression(3600), "rate(1 hour)");
  assert.equal(rateExpression(7200), "rate(2 hours)");
  assert.equal(rateExpression(90), "rate(2 minutes)");
  assert.deepEqual(samOf(allTriggers).Resources.DrainBacklogLagPoller.Properties.Events.LagCheck.Properties, { Schedule: "rate(5 minutes)" });
});

test("export SAM: Globals hold what every function shares; functions do not repeat it", () => {
  const sam = samOf(ordersTopology);
  assert.deepEqual(sam.Globals.Function, { Architectures: ["arm64"], LoggingConfig: { LogFormat: "JSON" } });
  for (const id of ["OrderHandler", "ShipOrder"]) {
    assert.equal(sam.Resources[id].Properties.Architectures, undefined);
    assert.equal(sam.Resources[id].Properties.LoggingConfig, undefined);
  }
});

test("export SAM: handler stubs for every function, inline source where the model has it", () => {
  const { files } = exportSam(allTriggers);
  const paths = files.map((f) => f.path);
  for (const p of ["src/intake/api.mjs", "src/intake/thumb.py", "src/processing/worker.py", "src/processing/clicks.mjs", "src/intake/package.json", "src/processing/requirements.txt", "template.yaml", "README.md"]) assert.ok(paths.includes(p), p);
  assert.match(files.find((f) => f.path === "src/intake/api.mjs")!.content, /statusCode: 200/);
  assert.match(files.find((f) => f.path === "src/processing/worker.py")!.content, /batchItemFailures/);
  const sam = parseTemplate(templateText(files)).value as any;
  assert.equal(sam.Resources.InlineHello.Properties.InlineCode, 'export const handler = async () => ({ statusCode: 200, body: "hello" });\n');
  assert.equal(exportSam(allTriggers, { handlers: false }).files.filter((f) => f.path.startsWith("src/")).length, 0);
});

test("export: refuses a design with error-severity findings and says which; --force exports and lists them", () => {
  const bad = TopologySchema.parse({
    schemaVersion: 1,
    name: "Bad",
    nodes: [
      { id: "jobs", kind: "queue", name: "Jobs" },
      { id: "worker", kind: "function", name: "Worker", timeoutSeconds: 60 },
    ],
    edges: [{ id: "jobs-worker", kind: "trigger", source: "jobs", target: "worker" }],
  });
  for (const fn of [exportSam, exportCdk]) {
    assert.throws(
      () => fn(bad),
      (e: unknown) => isTopoError(e) && e.code === "TOPO-E065" && /sqs-visibility-timeout/.test(e.message) && e.details!.some((d) => /sqs-visibility-timeout/.test(d.message)),
    );
    const forced = fn(bad, { force: true });
    assert.equal(forced.report.forcedFindings[0].ruleId, "sqs-visibility-timeout");
  }
  assert.throws(() => exportSam({ schemaVersion: 1 }), (e: unknown) => isTopoError(e) && e.code === "TOPO-E002");
});

test("export CDK: a TypeScript app with one construct per context and aws-lambda-event-sources", () => {
  const { files, report } = exportCdk(kafkaConsumersTopology);
  const paths = files.map((f) => f.path);
  for (const p of ["package.json", "cdk.json", "tsconfig.json", "bin/app.ts", "lib/loyalty-construct.ts", "lib/analytics-construct.ts", "lib/shared-construct.ts", "lib/wiring.ts", "src/lag-pollers/poller.mjs"]) assert.ok(paths.includes(p), p);
  const pkg = JSON.parse(files.find((f) => f.path === "package.json")!.content);
  assert.ok(pkg.dependencies["aws-cdk-lib"] && pkg.dependencies.constructs);
  assert.equal(JSON.parse(files.find((f) => f.path === "cdk.json")!.content).context["@aws-cdk/core:validateAgainstDefaultRules"], true);
  const loyalty = files.find((f) => f.path === "lib/loyalty-construct.ts")!.content;
  assert.match(loyalty, /export class LoyaltyConstruct extends Construct/);
  assert.match(loyalty, /new eventsources\.ManagedKafkaEventSource\(/);
  assert.match(loyalty, /new eventsources\.KinesisEventSource\(this\.pointsAwarded/);
  assert.match(loyalty, /Tags\.of\(this\)\.add\("context", "Loyalty"\)/);
  assert.equal(report.counts.functions, 5, "four functions and the lag poller");
});

test("export: the template is valid YAML whose values match the generated data (no writer drift)", () => {
  for (const t of [...EXAMPLES.map((e) => e.topology), allTriggers]) {
    const out = exportSam(t);
    assert.deepEqual(parseTemplate(templateText(out.files)).value, JSON.parse(JSON.stringify(out.template)) as JsonObject);
    assert.ok(isPlainObject(out.template.Resources));
  }
});

test("exportTopology: the format as data; an unknown one is TOPO-E067", async () => {
  const { exportTopology } = await import("../export");
  assert.ok(exportTopology(ordersTopology, "cdk").files.some((f) => f.path === "bin/app.ts"));
  assert.ok(exportTopology(ordersTopology, "sam").files.some((f) => f.path === "template.yaml"));
  assert.throws(() => exportTopology(ordersTopology, "terraform"), (e: unknown) => isTopoError(e) && e.code === "TOPO-E067");
});

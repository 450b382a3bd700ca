/**
 * The CDK export, synthesized offline: the generated app runs in a child process (tsx) with
 * `@aws-cdk/core:validateAgainstDefaultRules: true`, so AWS's own CloudFormation validator inside
 * aws-cdk-lib fails the synth on any invalid property, type or range. The synthesized template is
 * checked with aws-cdk-lib/assertions, and against the SAM export of the same topology: same
 * functions, same event source mappings, same settings.
 *
 * Each synth costs seconds and hundreds of MB: the three examples and two focused cases only.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Match, Template } from "aws-cdk-lib/assertions";
import { EXAMPLES } from "../../model/examples/index";
import { TopologySchema, type Topology } from "../../model/schema";
import { exportCdk, exportSam } from "../export";
import { importSam } from "../import/sam";
import { logicalIdBase } from "../ir/logical-ids";
import { isPlainObject, refOf, type JsonObject } from "../parse/intrinsics";
import { synthesizeCdk } from "./helpers";

const golden = (name: string, file: string) => readFileSync(join(import.meta.dirname, "golden", name, file), "utf8");
const CASES: { name: string; topology: Topology; typecheck?: boolean }[] = [
  ...EXAMPLES.map((e) => ({ name: e.slug, topology: e.topology, typecheck: e.slug === "kafka-consumers" })),
  { name: "all-triggers", topology: TopologySchema.parse(JSON.parse(golden("all-triggers", "input.json"))), typecheck: true },
  { name: "import-commented (imported SAM)", topology: importSam(golden("import-commented", "input.yaml"), { name: "Imported orders" }).topology },
];

type Fn = Record<string, unknown>;

/** SAM functions with Globals applied, as CloudFormation will see them after the transform. */
function samFunctions(sam: JsonObject): Map<string, Fn> {
  const g = (isPlainObject(sam.Globals) && isPlainObject(sam.Globals.Function) ? sam.Globals.Function : {}) as Fn;
  const out = new Map<string, Fn>();
  for (const [id, r] of Object.entries(sam.Resources as Record<string, JsonObject>)) {
    if (r.Type !== "AWS::Serverless::Function") continue;
    const p = r.Properties as Fn;
    const env = { ...((g.Environment as Fn)?.Variables as Fn), ...((p.Environment as Fn)?.Variables as Fn) };
    out.set(id, { ...g, ...p, Environment: { Variables: env } });
  }
  return out;
}

function functionFacts(p: Fn) {
  return {
    Runtime: p.Runtime,
    Handler: p.Handler,
    MemorySize: p.MemorySize ?? 128,
    Timeout: p.Timeout ?? 3,
    Architectures: p.Architectures ?? ["x86_64"],
    EphemeralStorage: (p.EphemeralStorage as Fn)?.Size ?? 512,
    ReservedConcurrentExecutions: p.ReservedConcurrentExecutions,
    LogFormat: (p.LoggingConfig as Fn)?.LogFormat ?? "Text",
    Variables: Object.keys(((p.Environment as Fn)?.Variables as Fn) ?? {}).sort(),
  };
}

/** An event source mapping, normalized: function, source and settings (AWS defaults made explicit). */
function mappingFacts(fn: string, source: string, p: Fn, kind: string) {
  const dflt = (v: unknown, d: unknown) => (v === undefined ? d : v);
  const dest = (p.DestinationConfig as Fn)?.OnFailure as Fn | undefined;
  const group = p.ConsumerGroupId ?? ((p.AmazonManagedKafkaEventSourceConfig ?? p.SelfManagedKafkaEventSourceConfig) as Fn | undefined)?.ConsumerGroupId;
  return JSON.stringify({
    fn,
    source,
    BatchSize: dflt(p.BatchSize, kind === "sqs" ? 10 : 100),
    Window: dflt(p.MaximumBatchingWindowInSeconds, 0),
    StartingPosition: p.StartingPosition,
    ParallelizationFactor: dflt(p.ParallelizationFactor, 1),
    Bisect: dflt(p.BisectBatchOnFunctionError, false),
    Retries: dflt(p.MaximumRetryAttempts, -1),
    MaxAge: dflt(p.MaximumRecordAgeInSeconds, -1),
    Tumbling: p.TumblingWindowInSeconds,
    OnFailure: dest ? refOf(dest.Destination)?.logicalId : undefined,
    ResponseTypes: p.FunctionResponseTypes,
    MaximumConcurrency: (p.ScalingConfig as Fn)?.MaximumConcurrency,
    Filters: ((p.FilterCriteria as Fn)?.Filters as Fn[] | undefined)?.map((f) => JSON.parse(String(f.Pattern))),
    ConsumerGroupId: group,
    Enabled: dflt(p.Enabled, true),
  });
}

function samMappings(sam: JsonObject): string[] {
  const out: string[] = [];
  for (const [fn, r] of Object.entries(sam.Resources as Record<string, JsonObject>)) {
    const events = ((r.Properties as Fn)?.Events ?? {}) as Record<string, { Type: string; Properties: Fn }>;
    for (const e of Object.values(events)) {
      const p = e.Properties;
      if (e.Type === "SQS") out.push(mappingFacts(fn, refOf(p.Queue)!.logicalId, p, "sqs"));
      else if (e.Type === "Kinesis" || e.Type === "DynamoDB") out.push(mappingFacts(fn, refOf(p.Stream)!.logicalId, p, "stream"));
      else if (e.Type === "MSK") out.push(mappingFacts(fn, `${p.Stream}|${(p.Topics as string[])[0]}`, p, "kafka"));
      else if (e.Type === "SelfManagedKafka") out.push(mappingFacts(fn, `${(p.KafkaBootstrapServers as string[]).join(",")}|${(p.Topics as string[])[0]}`, p, "kafka"));
    }
  }
  return out.sort();
}

function cdkMappings(cdk: JsonObject): string[] {
  const resources = cdk.Resources as Record<string, JsonObject>;
  const functionOf = (v: unknown): string => {
    const id = refOf(v)?.logicalId ?? "";
    const r = resources[id];
    return r?.Type === "AWS::Lambda::Alias" ? (refOf((r.Properties as Fn).FunctionName)?.logicalId ?? id) : id;
  };
  const out: string[] = [];
  for (const r of Object.values(resources)) {
    if (r.Type !== "AWS::Lambda::EventSourceMapping") continue;
    const p = r.Properties as Fn;
    const fn = functionOf(p.FunctionName);
    const endpoints = ((p.SelfManagedEventSource as Fn)?.Endpoints as Fn)?.KafkaBootstrapServers as string[] | undefined;
    const topic = (p.Topics as string[] | undefined)?.[0];
    const source = endpoints ? `${endpoints.join(",")}|${topic}` : topic ? `${p.EventSourceArn}|${topic}` : refOf(p.EventSourceArn)!.logicalId;
    const isSqs = resources[source]?.Type === "AWS::SQS::Queue";
    out.push(mappingFacts(fn, source, p, isSqs ? "sqs" : topic ? "kafka" : "stream"));
  }
  return out.sort();
}

for (const c of CASES) {
  test(`CDK synth (offline, CloudFormation validation on${c.typecheck ? ", tsc --strict" : ""}): ${c.name}; agrees with the SAM export`, { timeout: 120_000 }, async () => {
    const { files } = exportCdk(c.topology, { force: true });
    const stackId = logicalIdBase(c.topology.name, "Topology");
    const result = await synthesizeCdk(files, stackId, { typecheck: c.typecheck });
    assert.ok(result.ok, `synth failed:\n${result.output}`);
    assert.doesNotMatch(result.output, /WARNING|ERROR/, "the CloudFormation validator has nothing to say");
    const cdk = result.template!;
    const template = Template.fromJSON(cdk);
    const sam = exportSam(c.topology, { force: true }).template;

    // Functions: same logical ids, same settings.
    const samFns = samFunctions(sam);
    // (CDK adds its own function for S3 notifications: BucketNotificationsHandler.)
    const cdkFns = Object.entries(cdk.Resources as Record<string, JsonObject>).filter(([id, r]) => r.Type === "AWS::Lambda::Function" && !id.startsWith("BucketNotificationsHandler"));
    assert.equal(cdkFns.length, samFns.size, "as many functions as the SAM export");
    for (const [id, p] of samFns) {
      const mine = (cdk.Resources as Record<string, JsonObject>)[id];
      assert.equal(mine?.Type, "AWS::Lambda::Function", `${id} is a function in the CDK app`);
      const want = functionFacts(p);
      const got = functionFacts(mine.Properties as Fn);
      // A value the template computes (an intrinsic kept verbatim from an import) is not comparable.
      for (const k of Object.keys(want) as (keyof typeof want)[]) if (isPlainObject(want[k])) delete want[k], delete got[k];
      assert.deepEqual(got, want, id);
    }
    // Event source mappings: same sources, same settings.
    assert.deepEqual(cdkMappings(cdk), samMappings(sam));
    // Bounded contexts: a context tag on every function of a context.
    for (const n of c.topology.nodes) {
      if (n.kind !== "function" || !n.contextId) continue;
      const ctx = c.topology.contexts.find((x) => x.id === n.contextId)!.name;
      const id = exportSam(c.topology, { force: true }).report.logicalIds[n.id];
      assert.ok(((cdk.Resources as Record<string, JsonObject>)[id].Properties as Fn & { Tags: { Key: string; Value: string }[] }).Tags.some((t) => t.Key === "context" && t.Value === ctx), `${id} tagged`);
    }
    if (c.name === "kafka-consumers") {
      template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike({ Handler: "poller.handler", Environment: { Variables: Match.objectLike({ LAG_THRESHOLD: "50000", KAFKA_TOPIC: "retail.purchases.v1" }) } }));
      template.hasResourceProperties("AWS::Events::Rule", Match.objectLike({ ScheduleExpression: "rate(1 minute)" }));
    }
    if (c.name === "orders") {
      template.hasResourceProperties("AWS::SQS::Queue", Match.objectLike({ RedrivePolicy: { deadLetterTargetArn: { "Fn::GetAtt": ["OrderEventsDlq", "Arn"] }, maxReceiveCount: 5 } }));
      template.hasResourceProperties("AWS::ApiGatewayV2::Route", Match.objectLike({ RouteKey: "GET /orders/{id}", AuthorizationType: "JWT" }));
      template.hasResourceProperties("AWS::DynamoDB::Table", Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
    }
    if (c.name === "all-triggers") {
      template.hasResourceProperties("AWS::Scheduler::Schedule", Match.objectLike({ ScheduleExpression: "rate(1 hour)", ScheduleExpressionTimezone: "Europe/Paris", State: "DISABLED" }));
      template.hasResourceProperties("AWS::SNS::Subscription", Match.objectLike({ Protocol: "lambda", FilterPolicy: { severity: ["high", "critical"] } }));
      template.hasResourceProperties("AWS::Events::Rule", Match.objectLike({ EventPattern: { source: ["shop.items"], "detail-type": ["ItemCreated"] } }));
      template.hasResourceProperties("AWS::Lambda::EventInvokeConfig", Match.objectLike({ MaximumRetryAttempts: 1, MaximumEventAgeInSeconds: 3600 }));
    }
  });
}

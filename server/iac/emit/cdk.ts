/**
 * CDK emitter: IR → a TypeScript CDK app.
 *
 *   package.json, cdk.json, tsconfig.json, bin/app.ts
 *   lib/shared-construct.ts       nodes outside any context, the APIs, the parameters
 *   lib/<context>-construct.ts    one Construct per bounded context: its resources and the links inside it
 *   lib/wiring.ts                 links between contexts (triggers, grants, variables, DLQs)
 *   lib/topograph.ts              two helpers (logical ids, L1 overrides)
 *   src/…                         the same handler files as the SAM export
 *
 * Resources keep the SAM export's logical ids (`overrideLogicalId`), triggers use
 * aws-lambda-event-sources, and settings are the SAM export's, so the two exports of one topology
 * agree on functions, event source mappings and their settings (tested by synthesizing both).
 */
import type { FunctionNode, NodeOf, TopoEdge, TopoNode, TriggerEdge } from "../../model/schema";
import { LIMITS } from "../../model/limits";
import { containsIntrinsic, isPlainObject, refOf } from "../parse/intrinsics";
import { extraProperties, omitted, refAnnotation } from "../ir/annotations";
import type { ExportNote, Ir } from "../ir/build";
import { logicalIdBase, nodeHasResource } from "../ir/logical-ids";
import { CodeBuffer } from "./buffer";
import { generateSam, rateExpression, safeTag, samGlobalsFunction, wiringVariables, LAG_TARGET_ENV, POLLER_CODE_URI, defaultCodeUri } from "./sam";
import { handlerFiles, type ExportFile } from "./handlers";
import type { RefAttr } from "./refs";

export interface CdkOutput {
  files: ExportFile[];
  notes: ExportNote[];
  resources: number;
  functions: number;
  events: number;
}

const CDK_VERSION = "2.276.0";
const CONSTRUCTS_VERSION = "10.8.1";

const RUNTIME: Record<FunctionNode["runtime"], string> = {
  "nodejs24.x": "NODEJS_24_X",
  "nodejs22.x": "NODEJS_22_X",
  "nodejs20.x": "NODEJS_20_X",
  "python3.13": "PYTHON_3_13",
  "python3.12": "PYTHON_3_12",
  "python3.11": "PYTHON_3_11",
  java21: "JAVA_21",
  java17: "JAVA_17",
  java11: "JAVA_11",
  dotnet8: "DOTNET_8",
  "ruby3.3": "RUBY_3_3",
  "provided.al2023": "PROVIDED_AL2023",
  "provided.al2": "PROVIDED_AL2",
};

const DEPLOYMENT: Record<string, string> = {
  AllAtOnce: "ALL_AT_ONCE",
  Canary10Percent5Minutes: "CANARY_10PERCENT_5MINUTES",
  Canary10Percent10Minutes: "CANARY_10PERCENT_10MINUTES",
  Canary10Percent30Minutes: "CANARY_10PERCENT_30MINUTES",
  Linear10PercentEvery1Minute: "LINEAR_10PERCENT_EVERY_1MINUTE",
  Linear10PercentEvery10Minutes: "LINEAR_10PERCENT_EVERY_10MINUTES",
};

/** Function properties of the SAM export that exist with the same name and shape on AWS::Lambda::Function. */
const SAME_ON_CFN_FUNCTION = new Set(["KmsKeyArn", "VpcConfig", "FileSystemConfigs", "RecursiveLoop", "RuntimeManagementConfig", "CodeSigningConfigArn", "FunctionName", "ImageConfig"]);

interface Unit {
  key: string;
  className: string;
  file: string;
  varName: string;
  contextId?: string;
  buf: CodeBuffer;
  imports: Set<string>;
  fields: string[];
  body: string[][];
}

const IMPORTS: Record<string, string> = {
  core: `import { CfnOutput, CfnParameter, Duration, Size, Stack, Tags, TimeZone } from "aws-cdk-lib";`,
  lambda: `import * as lambda from "aws-cdk-lib/aws-lambda";`,
  eventsources: `import * as eventsources from "aws-cdk-lib/aws-lambda-event-sources";`,
  destinations: `import * as destinations from "aws-cdk-lib/aws-lambda-destinations";`,
  sqs: `import * as sqs from "aws-cdk-lib/aws-sqs";`,
  kinesis: `import * as kinesis from "aws-cdk-lib/aws-kinesis";`,
  dynamodb: `import * as dynamodb from "aws-cdk-lib/aws-dynamodb";`,
  sns: `import * as sns from "aws-cdk-lib/aws-sns";`,
  subscriptions: `import * as subscriptions from "aws-cdk-lib/aws-sns-subscriptions";`,
  events: `import * as events from "aws-cdk-lib/aws-events";`,
  targets: `import * as targets from "aws-cdk-lib/aws-events-targets";`,
  scheduler: `import * as scheduler from "aws-cdk-lib/aws-scheduler";`,
  schedulerTargets: `import * as schedulerTargets from "aws-cdk-lib/aws-scheduler-targets";`,
  s3: `import * as s3 from "aws-cdk-lib/aws-s3";`,
  iam: `import * as iam from "aws-cdk-lib/aws-iam";`,
  logs: `import * as logs from "aws-cdk-lib/aws-logs";`,
  codedeploy: `import * as codedeploy from "aws-cdk-lib/aws-codedeploy";`,
  apigwv2: `import * as apigwv2 from "aws-cdk-lib/aws-apigatewayv2";`,
  integrations: `import * as integrations from "aws-cdk-lib/aws-apigatewayv2-integrations";`,
  authorizers: `import * as authorizers from "aws-cdk-lib/aws-apigatewayv2-authorizers";`,
  apigateway: `import * as apigateway from "aws-cdk-lib/aws-apigateway";`,
  secretsmanager: `import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";`,
  path: `import * as path from "node:path";`,
};

export function emitCdk(ir: Ir, opts: { handlers: boolean }): CdkOutput {
  return new CdkEmitter(ir, opts).run();
}

class CdkEmitter {
  private readonly notes: ExportNote[] = [];
  private readonly units = new Map<string, Unit>();
  private readonly shared: Unit;
  private readonly wiring: Unit;
  private readonly params = new Map<string, string>();
  private readonly fieldOf = new Map<string, string>();
  private readonly aliasOf = new Map<string, string>();
  private readonly usedIds = new Set<string>();
  private counts = { resources: 0, functions: 0, events: 0 };
  private needsHttpApi = false;
  private readonly samLogFormat: unknown;
  private needsRestApi = false;

  constructor(
    private readonly ir: Ir,
    private readonly opts: { handlers: boolean },
  ) {
    const unit = (key: string, className: string, file: string, varName: string, contextId?: string): Unit => ({ key, className, file, varName, contextId, buf: new CodeBuffer("  "), imports: new Set(["core"]), fields: [], body: [] });
    this.shared = unit("shared", "SharedConstruct", "lib/shared-construct.ts", "shared");
    const g = samGlobalsFunction(ir);
    this.samLogFormat = isPlainObject(g.LoggingConfig) ? g.LoggingConfig.LogFormat : undefined;
    this.wiring = unit("wiring", "", "lib/wiring.ts", "");
    const usedFiles = new Set(["shared", "wiring", "topograph"]);
    const usedVars = new Set(["shared", "app", "stack", "wire", "contexts", ...RESERVED]);
    const usedClasses = new Set(["SharedConstruct", "Construct", "App", "Stack"]);
    for (const c of ir.doc.contexts) {
      const base = logicalIdBase(c.name, "Context");
      let slug = base.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
      for (let i = 2; usedFiles.has(slug); i++) slug = `${slug.replace(/-\d+$/, "")}-${i}`;
      usedFiles.add(slug);
      let cls = `${base}Construct`;
      for (let i = 2; usedClasses.has(cls); i++) cls = `${base}${i}Construct`;
      usedClasses.add(cls);
      let v = camel(base);
      if (usedVars.has(v)) v = `${v}Context`;
      for (let i = 2; usedVars.has(v); i++) v = `${v.replace(/\d+$/, "")}${i}`;
      usedVars.add(v);
      this.units.set(c.id, unit(c.id, cls, `lib/${slug}-construct.ts`, v, c.id));
    }
    // Field names: the camelCase of logical ids (unique, since logical ids are).
    for (const [id, lid] of ir.logicalIds) this.fieldOf.set(id, camel(lid));
    for (const n of ir.doc.nodes) if (n.kind === "event-bus" && !this.fieldOf.has(n.id) && n.busName === "default") this.fieldOf.set(n.id, camel(logicalIdBase(n.name, "Bus")) + "Default");
  }

  // -------------------------------------------------------------------------------------------
  // Placement of nodes and links
  // -------------------------------------------------------------------------------------------

  private unitOfNode(n: TopoNode | undefined): Unit {
    return (n?.contextId && this.units.get(n.contextId)) || this.shared;
  }

  /** Where a link between two nodes is written: inside their construct, the shared one, or wiring.ts. */
  private unitOfLink(a: TopoNode | undefined, b: TopoNode | undefined): Unit {
    const ua = this.unitOfNode(a);
    const ub = this.unitOfNode(b);
    if (ua === ub) return ua;
    if (ua === this.shared) return ub;
    if (ub === this.shared) return ua;
    return this.wiring;
  }

  /** Code naming a node's construct from inside `from`. */
  private ref(nodeId: string, from: Unit): string {
    const n = this.ir.idx.nodes.get(nodeId)!;
    const field = this.fieldOf.get(nodeId) ?? camel(logicalIdBase(n.name));
    const owner = this.unitOfNode(n);
    if (from === this.wiring) return `${owner.varName}.${field}`;
    if (owner === from) return `this.${field}`;
    if (owner === this.shared) return `props.shared.${field}`;
    throw new Error(`${n.name} is not reachable from ${from.className}`);
  }

  /** The function (or its alias, when it has one: triggers and routes go to the alias, as in SAM). */
  private fnTarget(fnId: string, from: Unit): string {
    const base = this.ref(fnId, from);
    return this.aliasOf.has(fnId) ? `${base}Alias` : base;
  }

  private param(name: string, description: string): string {
    if (!this.params.has(name)) this.params.set(name, description);
    return `props.shared.params.${camel(name)}`;
  }

  private paramFrom(name: string, description: string, from: Unit): string {
    this.param(name, description);
    return from === this.shared ? `this.params.${camel(name)}` : from === this.wiring ? `shared.params.${camel(name)}` : `props.shared.params.${camel(name)}`;
  }

  private cid(base: string): string {
    let id = base;
    for (let i = 2; this.usedIds.has(id); i++) id = `${base}${i}`;
    this.usedIds.add(id);
    return id;
  }

  private note(elementId: string | undefined, message: string) {
    if (!this.notes.some((n) => n.message === message)) this.notes.push({ elementId, message });
  }

  // -------------------------------------------------------------------------------------------

  run(): CdkOutput {
    const doc = this.ir.doc;
    for (const n of doc.nodes) if (n.kind === "function" && !this.ir.isPlainLambda(n) && (n.alias || n.provisionedConcurrency !== undefined || n.snapStart)) this.aliasOf.set(n.id, `${this.fieldOf.get(n.id)}Alias`);
    const ordered = orderForConstruction(doc.nodes);
    for (const n of ordered) this.node(n);
    for (const n of doc.nodes) if (n.kind === "function") this.functionLinks(n);
    for (const n of doc.nodes) if (n.kind === "queue" && n.redrive) this.redrive(n);
    for (const e of doc.edges) this.edge(e);
    if (this.ir.imported) {
      const sam = doc.iac?.sam ?? {};
      const counts = ["Resources", "Parameters", "Conditions", "Outputs"].map((k) => [k, isPlainObject(sam[k]) ? Object.keys(sam[k] as object).length : 0] as const).filter(([, n]) => n > 0);
      if (counts.length) this.note(undefined, `the imported template's passthrough (${counts.map(([k, n]) => `${n} ${k.toLowerCase()}`).join(", ")}) is not part of the CDK app; export SAM to keep it, or bring it in with aws-cdk-lib/cloudformation-include`);
    }
    const files: ExportFile[] = [];
    files.push({ path: "lib/shared-construct.ts", content: this.renderShared() });
    for (const u of this.units.values()) files.push({ path: u.file, content: this.renderContext(u) });
    files.push({ path: "lib/wiring.ts", content: this.renderWiring() });
    files.push({ path: "lib/topograph.ts", content: HELPERS });
    files.push({ path: "bin/app.ts", content: this.renderApp() });
    files.push({ path: "package.json", content: this.packageJson() });
    files.push({ path: "cdk.json", content: JSON.stringify({ app: "npx tsx bin/app.ts", context: { "@aws-cdk/core:validateAgainstDefaultRules": true } }, null, 2) + "\n" });
    files.push({ path: "tsconfig.json", content: TSCONFIG });
    files.push({ path: ".gitignore", content: "node_modules/\ncdk.out/\n*.js\n!src/**/*.js\n*.d.ts\n" });
    if (this.opts.handlers) {
      // The same code as the SAM export (the assets CDK zips must exist at synth time).
      const sam = generateSam(this.ir);
      const h = handlerFiles(sam.template, doc, this.ir.logicalIds);
      files.push(...h.files);
      for (const s of h.skipped) this.note(undefined, s);
      for (const dir of this.assetDirs()) if (!h.files.some((f) => f.path.startsWith(`${dir}/`))) files.push({ path: `${dir}/README.md`, content: "Put this function's built code here (Topograph generates no stub for compiled runtimes).\n" });
    }
    files.sort((a, b) => (a.path < b.path ? -1 : 1));
    return { files, notes: this.notes, ...this.counts };
  }

  private assetDirs(): string[] {
    const dirs = new Set<string>();
    for (const n of this.ir.doc.nodes) if (n.kind === "function" && !(n.inlineSource !== undefined && !n.codeUri)) dirs.add((n.codeUri ?? defaultCodeUri(n)).replace(/^\.\//, "").replace(/\/+$/, ""));
    return [...dirs];
  }

  // -------------------------------------------------------------------------------------------
  // Nodes
  // -------------------------------------------------------------------------------------------

  private emit(u: Unit, lines: string[]) {
    u.body.push(lines);
  }

  private field(u: Unit, decl: string) {
    u.fields.push(decl);
  }

  private node(n: TopoNode) {
    const u = this.unitOfNode(n);
    const lid = this.ir.logicalIds.get(n.id);
    const field = this.fieldOf.get(n.id);
    if (refAnnotation(n)) {
      this.referencedNode(n, u);
      return;
    }
    if (!field) {
      if (n.kind === "data-store" || n.kind === "external") this.emit(u, [`// ${n.name} (${n.kind}${"product" in n && n.product ? `, ${n.product}` : ""}${"vendor" in n && n.vendor ? `, ${n.vendor}` : ""}) is outside this app.`]);
      return;
    }
    const self = `this.${field}`;
    const L: string[] = [];
    const tag = (lines: string[]) => {
      for (const [k, v] of Object.entries(n.tags ?? {})) {
        if (k === "context") continue;
        if (safeTag(k, 128) !== k || safeTag(v, 256) !== v) this.note(n.id, `${n.name}: the tag ${k}=${v} has characters AWS refuses in tags; written as ${safeTag(k, 128)}=${safeTag(v, 256)}`);
        lines.push(`Tags.of(${self}).add(${q(safeTag(k, 128))}, ${q(safeTag(v, 256))});`);
      }
    };
    switch (n.kind) {
      case "function":
        this.functionNode(n, u, field, lid!);
        return;
      case "queue": {
        u.imports.add("sqs");
        this.field(u, `readonly ${field}: sqs.Queue;`);
        const props: string[] = [];
        if (n.fifo) props.push("fifo: true");
        if (n.fifo && n.contentBasedDeduplication !== undefined) props.push(`contentBasedDeduplication: ${n.contentBasedDeduplication}`);
        props.push(`visibilityTimeout: Duration.seconds(${n.visibilityTimeoutSeconds})`, `retentionPeriod: Duration.seconds(${n.messageRetentionSeconds})`);
        if (n.delaySeconds !== 0) props.push(`deliveryDelay: Duration.seconds(${n.delaySeconds})`);
        if (n.maxMessageSizeBytes !== LIMITS.queue.maxMessageSizeBytes.default) props.push(`maxMessageSizeBytes: ${n.maxMessageSizeBytes}`);
        const dlq = n.redrive && this.ir.idx.nodes.get(n.redrive.deadLetterQueueId);
        if (n.redrive && dlq && this.unitOfLink(n, dlq) === u && this.reachable(dlq, u)) props.push(`deadLetterQueue: { queue: ${this.ref(dlq.id, u)}, maxReceiveCount: ${n.redrive.maxReceiveCount} }`);
        L.push(`${self} = new sqs.Queue(this, ${q(lid!)}, ${objectLiteral(props)});`);
        break;
      }
      case "stream": {
        u.imports.add("kinesis");
        this.field(u, `readonly ${field}: kinesis.Stream;`);
        const props = n.mode === "on-demand" ? ["streamMode: kinesis.StreamMode.ON_DEMAND"] : [`shardCount: ${n.shardCount}`];
        props.push(`retentionPeriod: Duration.hours(${n.retentionHours})`);
        L.push(`${self} = new kinesis.Stream(this, ${q(lid!)}, ${objectLiteral(props)});`);
        break;
      }
      case "table": {
        u.imports.add("dynamodb");
        this.field(u, `readonly ${field}: dynamodb.Table;`);
        const t = (x: "S" | "N" | "B") => `dynamodb.AttributeType.${x === "S" ? "STRING" : x === "N" ? "NUMBER" : "BINARY"}`;
        const props = [`partitionKey: { name: ${q(n.partitionKey.name)}, type: ${t(n.partitionKey.type)} }`];
        if (n.sortKey) props.push(`sortKey: { name: ${q(n.sortKey.name)}, type: ${t(n.sortKey.type)} }`);
        props.push(n.billingMode === "PROVISIONED" ? "billingMode: dynamodb.BillingMode.PROVISIONED, readCapacity: 5, writeCapacity: 5" : "billingMode: dynamodb.BillingMode.PAY_PER_REQUEST");
        if (n.stream) props.push(`stream: dynamodb.StreamViewType.${n.stream.viewType}`);
        L.push(`${self} = new dynamodb.Table(this, ${q(lid!)}, ${objectLiteral(props)});`);
        break;
      }
      case "sns-topic":
        u.imports.add("sns");
        this.field(u, `readonly ${field}: sns.Topic;`);
        L.push(`${self} = new sns.Topic(this, ${q(lid!)}${n.fifo ? ", { fifo: true }" : ""});`);
        break;
      case "event-bus":
        u.imports.add("events");
        if (n.busName === "default") {
          this.field(u, `readonly ${field}: events.IEventBus;`);
          this.emit(u, [`${self} = events.EventBus.fromEventBusName(this, ${q(this.cid(`${logicalIdBase(n.name)}Default`))}, "default");`]);
          return;
        }
        this.field(u, `readonly ${field}: events.EventBus;`);
        L.push(`${self} = new events.EventBus(this, ${q(lid!)}, { eventBusName: ${q(n.busName)} });`);
        break;
      case "bucket":
        u.imports.add("s3");
        this.field(u, `readonly ${field}: s3.Bucket;`);
        L.push(`${self} = new s3.Bucket(this, ${q(lid!)}${n.versioned ? ", { versioned: true }" : ""});`);
        break;
      case "schedule":
        // An imported standalone schedule: written with its trigger.
        return;
      default:
        return;
    }
    this.counts.resources++;
    L.push(`setLogicalId(${self}, ${q(lid!)});`);
    this.overrides(n, self, L);
    tag(L);
    this.emit(u, L);
  }

  /** Whether `n` is created before code of unit `u` runs (same unit or shared). */
  private reachable(n: TopoNode, u: Unit): boolean {
    const owner = this.unitOfNode(n);
    return owner === u || owner === this.shared;
  }

  /** Extras that are CloudFormation properties of the resource, laid over as L1 overrides (literal ones only). */
  private overrides(n: TopoNode, self: string, L: string[]) {
    const x = extraProperties(n);
    for (const [k, v] of Object.entries(x)) {
      let key = k;
      let value = v;
      if (n.kind === "function") {
        if (k === "Tracing" && typeof v === "string") {
          key = "TracingConfig";
          value = { Mode: v };
        } else if (!SAME_ON_CFN_FUNCTION.has(k)) {
          this.note(n.id, `${n.name}: the SAM property ${k} is not carried to the CDK app`);
          continue;
        }
      }
      if (containsIntrinsic(value)) {
        this.note(n.id, `${n.name}: ${k} refers to other template elements; set it in the CDK app yourself`);
        continue;
      }
      L.push(`override(${self}, ${q(key)}, ${JSON.stringify(value)});`);
    }
  }

  private referencedNode(n: TopoNode, u: Unit) {
    const r = refAnnotation(n)!;
    const field = this.fieldOf.get(n.id) ?? camel(logicalIdBase(n.name));
    this.fieldOf.set(n.id, field);
    const literal = (v: unknown) => (typeof v === "string" ? q(v) : undefined);
    const arn = literal(r.arn);
    const name = literal(r.name);
    const id = q(this.cid(`${logicalIdBase(n.name)}Ref`));
    const self = `this.${field}`;
    switch (n.kind) {
      case "queue":
        if (!arn) break;
        u.imports.add("sqs");
        this.field(u, `readonly ${field}: sqs.IQueue;`);
        this.emit(u, [`${self} = sqs.Queue.fromQueueArn(this, ${id}, ${arn});`]);
        return;
      case "stream":
        if (!arn) break;
        u.imports.add("kinesis");
        this.field(u, `readonly ${field}: kinesis.IStream;`);
        this.emit(u, [`${self} = kinesis.Stream.fromStreamArn(this, ${id}, ${arn});`]);
        return;
      case "sns-topic":
        if (!arn) break;
        u.imports.add("sns");
        this.field(u, `readonly ${field}: sns.ITopic;`);
        this.emit(u, [`${self} = sns.Topic.fromTopicArn(this, ${id}, ${arn});`]);
        return;
      case "event-bus":
        if (!name && !arn) break;
        u.imports.add("events");
        this.field(u, `readonly ${field}: events.IEventBus;`);
        this.emit(u, [name ? `${self} = events.EventBus.fromEventBusName(this, ${id}, ${name});` : `${self} = events.EventBus.fromEventBusArn(this, ${id}, ${arn});`]);
        return;
      case "table": {
        const streamArn = literal(r.streamArn);
        if (!streamArn && !arn) break;
        u.imports.add("dynamodb");
        this.field(u, `readonly ${field}: dynamodb.ITable;`);
        this.emit(u, [`${self} = dynamodb.Table.fromTableAttributes(this, ${id}, { ${arn ? `tableArn: ${arn}` : `tableName: ${q(String(r.streamArn).split("/")[1] ?? n.name)}`}${streamArn ? `, tableStreamArn: ${streamArn}` : ""} });`]);
        return;
      }
      case "kafka-topic":
        return;
      default:
        break;
    }
    this.fieldOf.delete(n.id);
    this.note(n.id, `${n.name} is referenced through an expression of the imported template; the CDK app cannot refer to it, and links to it are left out`);
  }

  private functionNode(fn: FunctionNode, u: Unit, field: string, lid: string) {
    u.imports.add("lambda");
    this.field(u, `readonly ${field}: lambda.Function;`);
    const self = `this.${field}`;
    const props: string[] = [];
    if (fn.description) props.push(`description: ${q(truncate(fn.description, 256))}`);
    props.push(`runtime: lambda.Runtime.${RUNTIME[fn.runtime]}`, `handler: ${q(fn.handler)}`);
    if (fn.inlineSource !== undefined && !fn.codeUri) props.push(`code: lambda.Code.fromInline(${q(fn.inlineSource)})`);
    else {
      u.imports.add("path");
      props.push(`code: lambda.Code.fromAsset(path.join(__dirname, "..", ${q((fn.codeUri ?? defaultCodeUri(fn)).replace(/^\.\//, "").replace(/\/+$/, ""))}))`);
    }
    props.push(`memorySize: ${fn.memoryMb}`, `timeout: Duration.seconds(${fn.timeoutSeconds})`, `architecture: lambda.Architecture.${fn.architecture === "arm64" ? "ARM_64" : "X86_64"}`);
    if (fn.ephemeralStorageMb !== LIMITS.function.ephemeralStorageMb.default) props.push(`ephemeralStorageSize: Size.mebibytes(${fn.ephemeralStorageMb})`);
    if (Object.keys(fn.environment).length) props.push(`environment: ${tsValue(fn.environment)}`);
    if (fn.reservedConcurrency !== undefined) props.push(`reservedConcurrentExecutions: ${fn.reservedConcurrency}`);
    if (fn.logFormat === "JSON") props.push("loggingFormat: lambda.LoggingFormat.JSON");
    if (fn.logGroupName) {
      u.imports.add("logs");
      props.push(`logGroup: logs.LogGroup.fromLogGroupName(this, ${q(this.cid(`${lid}LogGroup`))}, ${q(fn.logGroupName)})`);
    }
    if (fn.snapStart) props.push("snapStart: lambda.SnapStartConf.ON_PUBLISHED_VERSIONS");
    const dlq = fn.deadLetterQueueId ? this.ir.idx.nodes.get(fn.deadLetterQueueId) : undefined;
    if (dlq && this.reachable(dlq, u) && this.fieldOf.has(dlq.id)) props.push(dlq.kind === "sns-topic" ? `deadLetterTopic: ${this.ref(dlq.id, u)}` : `deadLetterQueue: ${this.ref(dlq.id, u)}`);
    const L: string[] = [`${self} = new lambda.Function(this, ${q(lid)}, ${objectLiteral(props)});`, `setLogicalId(${self}, ${q(lid)});`];
    fn.layers.forEach((arn, i) => L.push(`${self}.addLayers(lambda.LayerVersion.fromLayerVersionArn(this, ${q(this.cid(`${lid}Layer${i + 1}`))}, ${q(arn)}));`));
    if (this.aliasOf.has(fn.id)) {
      const alias = `${self}Alias`;
      this.field(u, `readonly ${field}Alias: lambda.Alias;`);
      const aliasProps = [`aliasName: ${q(fn.alias?.name ?? "live")}`, `version: ${self}.currentVersion`];
      if (fn.provisionedConcurrency !== undefined) aliasProps.push(`provisionedConcurrentExecutions: ${fn.provisionedConcurrency}`);
      L.push(`${alias} = new lambda.Alias(this, ${q(this.cid(`${lid}Alias${fn.alias?.name ?? "live"}`))}, ${objectLiteral(aliasProps)});`);
      if (fn.alias?.deploymentPreference) {
        u.imports.add("codedeploy");
        L.push(`new codedeploy.LambdaDeploymentGroup(this, ${q(this.cid(`${lid}DeploymentGroup`))}, { alias: ${alias}, deploymentConfig: codedeploy.LambdaDeploymentConfig.${DEPLOYMENT[fn.alias.deploymentPreference]} });`);
      }
    }
    this.overrides(fn, self, L);
    for (const [k, v] of Object.entries(fn.tags ?? {})) if (k !== "context") L.push(`Tags.of(${self}).add(${q(safeTag(k, 128))}, ${q(safeTag(v, 256))});`);
    this.counts.resources++;
    this.counts.functions++;
    this.emit(u, L);
  }

  /** Async invoke settings, cross-context DLQs and the wiring variables of a function. */
  private functionLinks(fn: FunctionNode) {
    const home = this.unitOfNode(fn);
    const a = fn.asyncInvoke;
    if (a) {
      const ids = [a.onSuccessDestinationId, a.onFailureDestinationId].map((id) => (id ? this.ir.idx.nodes.get(id) : undefined));
      let u = home;
      for (const d of ids) if (d) u = this.mergeUnits(u, this.unitOfLink(fn, d));
      const props = [`retryAttempts: ${a.maximumRetryAttempts}`, `maxEventAge: Duration.seconds(${a.maximumEventAgeSeconds})`];
      const dest = (d: TopoNode | undefined) => {
        if (!d || !this.fieldOf.has(d.id)) return undefined;
        u.imports.add("destinations");
        const r = this.ref(d.id, u);
        return d.kind === "queue" ? `new destinations.SqsDestination(${r})` : d.kind === "sns-topic" ? `new destinations.SnsDestination(${r})` : d.kind === "event-bus" ? `new destinations.EventBridgeDestination(${r})` : d.kind === "function" ? `new destinations.LambdaDestination(${r})` : undefined;
      };
      const ok = dest(ids[0]);
      const ko = dest(ids[1]);
      if (ok) props.push(`onSuccess: ${ok}`);
      if (ko) props.push(`onFailure: ${ko}`);
      this.emit(u, [`${this.ref(fn.id, u)}.configureAsyncInvoke(${objectLiteral(props)});`]);
    }
    const dlq = fn.deadLetterQueueId ? this.ir.idx.nodes.get(fn.deadLetterQueueId) : undefined;
    if (dlq && !this.reachable(dlq, home) && this.fieldOf.has(dlq.id)) {
      const u = this.wiring;
      const r = this.ref(dlq.id, u);
      this.emit(u, [
        `override(${this.ref(fn.id, u)}, "DeadLetterConfig", { TargetArn: ${r}.${dlq.kind === "sns-topic" ? "topicArn" : "queueArn"} });`,
        `${r}.${dlq.kind === "sns-topic" ? "grantPublish" : "grantSendMessages"}(${this.ref(fn.id, u)});`,
      ]);
    }
    // Variables the imported template set with Ref/GetAtt of modelled resources: the same references in CDK.
    const extraEnv = extraProperties(fn).Environment;
    const extraVars = isPlainObject(extraEnv) && isPlainObject(extraEnv.Variables) ? extraEnv.Variables : {};
    for (const [name, value] of Object.entries(extraVars)) {
      const r = refOf(value);
      const target = r ? this.nodeByLogicalId(r.logicalId) : undefined;
      const attr = r && target ? REF_ATTR[target.kind]?.[r.attribute ?? "Ref"] : undefined;
      if (target && attr && this.fieldOf.has(target.id)) {
        const u = this.unitOfLink(fn, target);
        this.emit(u, [`${this.ref(fn.id, u)}.addEnvironment(${q(name)}, ${this.ref(target.id, u)}.${attr});`]);
      } else if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
        this.emit(home, [`${this.ref(fn.id, home)}.addEnvironment(${q(name)}, ${q(String(value))});`]);
      } else this.note(fn.id, `${fn.name}: the variable ${name} refers to template elements the CDK app does not have; set it yourself`);
    }
    const omit = new Set(omitted(fn));
    for (const w of wiringVariables(this.ir, fn)) {
      // An imported function whose template did not have the variable does not get it (as in SAM).
      if (omit.has("/Environment") || omit.has(`/Environment/Variables/${w.name}`)) continue;
      const target = this.ir.idx.nodes.get(w.targetId)!;
      if (!this.fieldOf.has(target.id)) continue;
      const u = this.unitOfLink(fn, target);
      this.emit(u, [`${this.ref(fn.id, u)}.addEnvironment(${q(w.name)}, ${this.ref(target.id, u)}.${ATTR_CODE[target.kind]?.[w.attr] ?? "node.id"});`]);
    }
  }

  private nodeByLogicalId(lid: string): TopoNode | undefined {
    for (const [id, l] of this.ir.logicalIds) if (l === lid) return this.ir.idx.nodes.get(id);
    return undefined;
  }

  private mergeUnits(a: Unit, b: Unit): Unit {
    if (a === b) return a;
    if (a === this.shared) return b;
    if (b === this.shared) return a;
    return this.wiring;
  }

  private redrive(n: NodeOf<"queue">) {
    const dlq = this.ir.idx.nodes.get(n.redrive!.deadLetterQueueId);
    const home = this.unitOfNode(n);
    if (!dlq || !this.fieldOf.has(dlq.id) || (this.unitOfLink(n, dlq) === home && this.reachable(dlq, home))) return;
    const u = this.unitOfLink(n, dlq);
    this.emit(u, [`override(${this.ref(n.id, u)}, "RedrivePolicy", { deadLetterTargetArn: ${this.ref(dlq.id, u)}.queueArn, maxReceiveCount: ${n.redrive!.maxReceiveCount} });`]);
  }

  // -------------------------------------------------------------------------------------------
  // Edges
  // -------------------------------------------------------------------------------------------

  private edge(e: TopoEdge) {
    const source = this.ir.idx.nodes.get(e.source);
    const target = this.ir.idx.nodes.get(e.target);
    if (!source || !target) return;
    if (e.kind === "trigger") {
      this.trigger(e, source, target as FunctionNode);
      return;
    }
    if (source.kind !== "function" || !this.fieldOf.has(target.id)) return;
    const u = this.unitOfLink(source, target);
    const fn = this.ref(source.id, u);
    const t = this.ref(target.id, u);
    let line: string | undefined;
    if (e.kind === "access") {
      if (target.kind === "table") line = `${t}.${e.mode === "read" ? "grantReadData" : e.mode === "write" ? "grantWriteData" : "grantReadWriteData"}(${fn});`;
      else if (target.kind === "bucket") line = `${t}.${e.mode === "read" ? "grantRead" : e.mode === "write" ? "grantWrite" : "grantReadWrite"}(${fn});`;
    } else if (e.kind === "produce") {
      const grant: Partial<Record<TopoNode["kind"], string>> = { queue: "grantSendMessages", stream: "grantWrite", "sns-topic": "grantPublish", "event-bus": "grantPutEventsTo" };
      if (grant[target.kind]) line = `${t}.${grant[target.kind]}(${fn});`;
    } else if (e.kind === "call") line = `${t}.grantInvoke(${fn});`;
    if (line) this.emit(u, [line]);
  }

  private trigger(e: TriggerEdge, source: TopoNode, fn: FunctionNode) {
    const form = this.ir.triggerForms.get(e.id);
    if (form?.kind === "unsupported") return;
    if (!this.fieldOf.has(fn.id)) return;
    if (e.type === "consumer-lag") {
      this.poller(e, source, fn);
      return;
    }
    let u = this.unitOfLink(source, fn);
    // The on-failure destination may live in a third context: then the link is wiring.
    const dest = e.onFailureDestinationId ? this.ir.idx.nodes.get(e.onFailureDestinationId) : undefined;
    if (dest) u = this.mergeUnits(u, this.unitOfLink(dest, fn));
    const target = this.fnTarget(fn.id, u);
    const needsSource = source.kind !== "kafka-topic" && source.kind !== "schedule" && source.kind !== "http-route";
    if (needsSource && !this.fieldOf.has(source.id)) return;
    const src = needsSource ? this.ref(source.id, u) : "";
    const settings = this.mappingSettings(e, source, u);
    const L: string[] = [];
    switch (source.kind) {
      case "queue":
        u.imports.add("eventsources");
        L.push(`${target}.addEventSource(new eventsources.SqsEventSource(${src}${settings.length ? `, ${objectLiteral(settings)}` : ""}));`);
        this.counts.events++;
        break;
      case "stream":
      case "table":
        u.imports.add("eventsources").add("lambda");
        L.push(`${target}.addEventSource(new eventsources.${source.kind === "stream" ? "KinesisEventSource" : "DynamoEventSource"}(${src}, ${objectLiteral(settings)}));`);
        this.counts.events++;
        break;
      case "kafka-topic": {
        u.imports.add("eventsources").add("lambda");
        if (source.cluster === "msk") {
          const r = refAnnotation(source);
          const cluster = source.clusterArn ? q(source.clusterArn) : typeof r?.cluster === "string" ? q(r.cluster) : this.paramFrom(`${logicalIdBase(source.name, "Kafka")}ClusterArn`, `ARN of the MSK cluster holding the topic ${source.topic}`, u);
          L.push(`${target}.addEventSource(new eventsources.ManagedKafkaEventSource(${objectLiteral([`clusterArn: ${cluster}`, `topic: ${q(source.topic)}`, ...settings])}));`);
        } else {
          u.imports.add("secretsmanager");
          const secret = this.paramFrom(`${logicalIdBase(source.name, "Kafka")}CredentialsArn`, `Secrets Manager ARN of the credentials for ${source.topic} (SASL/SCRAM-512)`, u);
          const s = `secretsmanager.Secret.fromSecretCompleteArn(${u === this.wiring ? "stack" : "this"}, ${q(this.cid(`${logicalIdBase(source.name)}Secret`))}, ${secret})`;
          L.push(`${target}.addEventSource(new eventsources.SelfManagedKafkaEventSource(${objectLiteral([`bootstrapServers: ${JSON.stringify(source.bootstrapServers)}`, `topic: ${q(source.topic)}`, `secret: ${s}`, ...settings])}));`);
        }
        this.counts.events++;
        break;
      }
      case "sns-topic": {
        u.imports.add("subscriptions").add("sns");
        const v = this.cid(`${camel(this.ir.logicalIds.get(fn.id) ?? "fn")}${pascal(this.fieldOf.get(source.id) ?? "topic")}Subscription`);
        L.push(`const ${v} = ${src}.addSubscription(new subscriptions.LambdaSubscription(${target}));`);
        if (e.snsFilterPolicy !== undefined) L.push(`(${v}.node.defaultChild as sns.CfnSubscription).filterPolicy = ${jsonCode(e.snsFilterPolicy)};`);
        break;
      }
      case "event-bus": {
        u.imports.add("events").add("targets");
        const scope = u === this.wiring ? "stack" : "this";
        const v = this.cid(`${camel(this.ir.logicalIds.get(fn.id) ?? "fn")}${pascal(this.fieldOf.get(source.id) ?? "bus")}Rule`);
        const pattern = jsonCode(e.eventPattern ?? JSON.stringify({ source: [{ prefix: "" }] }));
        const targetProps = e.input !== undefined ? `, { event: events.RuleTargetInput.fromObject(${jsonCode(e.input)}) }` : "";
        L.push(`const ${v} = new events.Rule(${scope}, ${q(pascal(v))}, { eventBus: ${src}, eventPattern: ${pattern} as events.EventPattern, targets: [new targets.LambdaFunction(${target}${targetProps})] });`);
        L.push(`// CloudFormation's own pattern syntax, exactly as designed (the typed EventPattern renames keys).`);
        L.push(`(${v}.node.defaultChild as events.CfnRule).eventPattern = ${pattern};`);
        break;
      }
      case "schedule": {
        const scope = u === this.wiring ? "stack" : "this";
        const id = q(this.cid(`${this.ir.logicalIds.get(fn.id) ?? "Fn"}${logicalIdBase(source.name, "Schedule")}`));
        if (source.scheduler === "rule") {
          u.imports.add("events").add("targets");
          const input = e.input !== undefined ? `, { event: events.RuleTargetInput.fromObject(${jsonCode(e.input)}) }` : "";
          L.push(`new events.Rule(${scope}, ${id}, { schedule: events.Schedule.expression(${q(source.expression)}),${source.enabled ? "" : " enabled: false,"} targets: [new targets.LambdaFunction(${target}${input})] });`);
        } else {
          u.imports.add("scheduler").add("schedulerTargets");
          const expr = source.timezone ? `scheduler.ScheduleExpression.expression(${q(source.expression)}, TimeZone.of(${q(source.timezone)}))` : `scheduler.ScheduleExpression.expression(${q(source.expression)})`;
          const input = e.input !== undefined ? `, { input: scheduler.ScheduleTargetInput.fromObject(${jsonCode(e.input)}) }` : "";
          L.push(`new scheduler.Schedule(${scope}, ${id}, { schedule: ${expr}, target: new schedulerTargets.LambdaInvoke(${target}${input})${source.enabled ? "" : ", enabled: false"} });`);
        }
        break;
      }
      case "bucket": {
        u.imports.add("eventsources").add("s3");
        const events = e.s3Events?.length ? e.s3Events : ["s3:ObjectCreated:*"];
        const props = [`events: [${events.map((x) => `${q(x)} as s3.EventType`).join(", ")}]`];
        if (e.s3Filter && (e.s3Filter.prefix !== undefined || e.s3Filter.suffix !== undefined)) props.push(`filters: [${tsValue(e.s3Filter)}]`);
        L.push(`${target}.addEventSource(new eventsources.S3EventSource(${src}, ${objectLiteral(props)}));`);
        break;
      }
      case "http-route":
        this.route(source, fn, u, target, L);
        break;
      default:
        return;
    }
    this.emit(u, L);
  }

  private route(r: NodeOf<"http-route">, fn: FunctionNode, u: Unit, target: string, L: string[]) {
    const lid = this.ir.logicalIds.get(fn.id) ?? "Fn";
    const form = this.ir.triggerForms.get(this.ir.doc.edges.find((x) => x.kind === "trigger" && x.source === r.id && x.target === fn.id)?.id ?? "");
    const name = form?.kind === "event" ? form.name : logicalIdBase(`${r.method} ${r.path}`);
    const api = u === this.shared ? "this" : u === this.wiring ? "shared" : "props.shared";
    if (r.api === "http") {
      this.needsHttpApi = true;
      u.imports.add("apigwv2").add("integrations");
      const auth = r.auth === "iam" ? `, authorizer: ${api}.iamAuthorizer` : r.auth === "jwt" ? `, authorizer: ${api}.jwtAuthorizer` : r.auth === "lambda" ? `, authorizer: ${api}.lambdaAuthorizer` : "";
      if (r.auth === "api-key") this.note(r.id, `${r.name}: HTTP APIs have no API keys; the route has no authorization`);
      L.push(`${api}.httpApi.addRoutes({ path: ${q(r.path)}, methods: [apigwv2.HttpMethod.${r.method}], integration: new integrations.HttpLambdaIntegration(${q(`${lid}${name}Integration`)}, ${target})${auth} });`);
      this.authNeeds.add(`http-${r.auth}`);
    } else {
      this.needsRestApi = true;
      u.imports.add("apigateway");
      const opts =
        r.auth === "iam"
          ? ", { authorizationType: apigateway.AuthorizationType.IAM }"
          : r.auth === "api-key"
            ? ", { apiKeyRequired: true }"
            : r.auth === "jwt"
              ? `, { authorizer: ${api}.cognitoAuthorizer, authorizationType: apigateway.AuthorizationType.COGNITO }`
              : r.auth === "lambda"
                ? `, { authorizer: ${api}.lambdaAuthorizer, authorizationType: apigateway.AuthorizationType.CUSTOM }`
                : "";
      L.push(`${api}.restApi.root.resourceForPath(${q(r.path)}).addMethod(${q(r.method)}, new apigateway.LambdaIntegration(${target})${opts});`);
      this.authNeeds.add(`rest-${r.auth}`);
    }
  }

  private readonly authNeeds = new Set<string>();

  /** The event source settings shared by SQS, Kinesis, DynamoDB and Kafka sources (CDK names). */
  private mappingSettings(e: TriggerEdge, source: TopoNode, u: Unit): string[] {
    const p: string[] = [];
    const isStream = source.kind === "stream" || source.kind === "table" || source.kind === "kafka-topic";
    if (!["queue", "stream", "table", "kafka-topic"].includes(source.kind)) return p;
    if (isStream) p.push(`startingPosition: lambda.StartingPosition.${e.startingPosition ?? "LATEST"}`);
    if (e.startingPositionTimestamp !== undefined) p.push(`startingPositionTimestamp: ${Date.parse(e.startingPositionTimestamp) / 1000}`);
    if (e.batchSize !== undefined) p.push(`batchSize: ${e.batchSize}`);
    if (e.maximumBatchingWindowSeconds !== undefined) p.push(`maxBatchingWindow: ${durationSeconds(e.maximumBatchingWindowSeconds)}`);
    if (e.parallelizationFactor !== undefined) p.push(`parallelizationFactor: ${e.parallelizationFactor}`);
    if (e.bisectBatchOnFunctionError !== undefined) p.push(`bisectBatchOnError: ${e.bisectBatchOnFunctionError}`);
    // -1 means "until the record expires", which is the CDK default (its props refuse -1).
    if (e.maximumRetryAttempts !== undefined && e.maximumRetryAttempts >= 0) p.push(`retryAttempts: ${e.maximumRetryAttempts}`);
    if (e.maximumRecordAgeSeconds !== undefined && e.maximumRecordAgeSeconds >= 0) p.push(`maxRecordAge: Duration.seconds(${e.maximumRecordAgeSeconds})`);
    if (e.tumblingWindowSeconds !== undefined) p.push(`tumblingWindow: Duration.seconds(${e.tumblingWindowSeconds})`);
    if (e.onFailureDestinationId) {
      const d = this.ir.idx.nodes.get(e.onFailureDestinationId);
      if (d && this.fieldOf.has(d.id) && this.canRef(d, u)) {
        const r = this.ref(d.id, u);
        p.push(`onFailure: new eventsources.${d.kind === "sns-topic" ? "SnsDlq" : d.kind === "bucket" ? "S3OnFailureDestination" : "SqsDlq"}(${r})`);
      }
    }
    if (e.reportBatchItemFailures) p.push("reportBatchItemFailures: true");
    if (e.maximumConcurrency !== undefined) p.push(`maxConcurrency: ${e.maximumConcurrency}`);
    if (e.filterCriteria) p.push(`filters: [${e.filterCriteria.patterns.map((x) => (isJsonObject(x) ? `lambda.FilterCriteria.filter(${tsValue(JSON.parse(x))})` : `{ pattern: ${q(x)} }`)).join(", ")}]`);
    if (e.consumerGroupId !== undefined && source.kind === "kafka-topic") p.push(`consumerGroupId: ${q(e.consumerGroupId)}`);
    if (!e.enabled) p.push("enabled: false");
    return p;
  }

  private canRef(n: TopoNode, u: Unit): boolean {
    if (u === this.wiring) return true;
    return this.reachable(n, u);
  }

  /** The consumer-lag trigger: the same scheduled poller as the SAM export. */
  private poller(e: TriggerEdge, source: TopoNode, fn: FunctionNode) {
    const u = this.unitOfLink(source, fn);
    const lid = this.ir.logicalIds.get(e.id) ?? `${this.ir.logicalIds.get(fn.id)}LagPoller`;
    const v = camel(lid);
    const scope = u === this.wiring ? "stack" : "this";
    const target = this.ref(fn.id, u);
    const env: string[] = [`${LAG_TARGET_ENV}: ${target}.functionName`, `LAG_THRESHOLD: ${q(String(e.lagThreshold ?? 0))}`, `LAG_CHECK_INTERVAL_SECONDS: ${q(String(e.lagCheckIntervalSeconds ?? LIMITS.trigger.lagCheckIntervalSeconds.default))}`];
    const L: string[] = [];
    u.imports.add("lambda").add("events").add("targets").add("iam").add("path");
    let policy = `new iam.PolicyStatement({ actions: ["cloudwatch:GetMetricData"], resources: ["*"] })`;
    if (source.kind === "kafka-topic") {
      env.push(`LAG_SOURCE_KIND: ${q(source.cluster === "msk" ? "msk" : "kafka")}`);
      if (source.cluster === "msk") {
        const r = refAnnotation(source);
        env.push(`KAFKA_CLUSTER_ARN: ${source.clusterArn ? q(source.clusterArn) : typeof r?.cluster === "string" ? q(r.cluster) : this.paramFrom(`${logicalIdBase(source.name, "Kafka")}ClusterArn`, `ARN of the MSK cluster holding the topic ${source.topic}`, u)}`);
      } else env.push(`KAFKA_BOOTSTRAP_SERVERS: ${q(source.bootstrapServers.join(","))}`);
      env.push(`KAFKA_TOPIC: ${q(source.topic)}`);
      if (e.consumerGroupId) env.push(`KAFKA_CONSUMER_GROUP_ID: ${q(e.consumerGroupId)}`);
    } else if (source.kind === "stream" && this.fieldOf.has(source.id)) {
      env.push(`LAG_SOURCE_KIND: "kinesis"`, `KINESIS_STREAM_NAME: ${this.ref(source.id, u)}.streamName`);
    } else if (source.kind === "queue" && this.fieldOf.has(source.id)) {
      env.push(`LAG_SOURCE_KIND: "sqs"`, `SQS_QUEUE_URL: ${this.ref(source.id, u)}.queueUrl`);
      policy = `new iam.PolicyStatement({ actions: ["sqs:GetQueueAttributes"], resources: [${this.ref(source.id, u)}.queueArn] })`;
    } else return;
    const interval = e.lagCheckIntervalSeconds ?? LIMITS.trigger.lagCheckIntervalSeconds.default;
    L.push(
      `// Consumer-lag trigger (docs/iac.md): polls the lag every ${interval} s and invokes ${fn.name} past ${e.lagThreshold ?? 0}.`,
      `const ${v} = new lambda.Function(${scope}, ${q(lid)}, ${objectLiteral([
        `description: ${q(truncate(`Consumer-lag trigger: invokes ${this.ir.logicalIds.get(fn.id)} when the lag on ${source.kind === "kafka-topic" ? source.topic : this.ir.logicalIds.get(source.id) ?? source.name} passes ${e.lagThreshold ?? 0}`, 256))}`,
        "runtime: lambda.Runtime.NODEJS_22_X",
        `handler: "poller.handler"`,
        `code: lambda.Code.fromAsset(path.join(__dirname, "..", ${q(POLLER_CODE_URI.replace(/\/$/, ""))}))`,
        "memorySize: 128",
        "timeout: Duration.seconds(30)",
        "architecture: lambda.Architecture.ARM_64",
        // SAM's Globals apply to the poller too; say the same here.
        ...(this.samLogFormat === "JSON" ? ["loggingFormat: lambda.LoggingFormat.JSON"] : []),
        `environment: ${objectLiteral(env)}`,
      ])});`,
      `setLogicalId(${v}, ${q(lid)});`,
      `${target}.grantInvoke(${v});`,
      `${v}.addToRolePolicy(${policy});`,
      `new events.Rule(${scope}, ${q(`${lid}Schedule`)}, { schedule: events.Schedule.expression(${q(rateExpression(interval))}), targets: [new targets.LambdaFunction(${v})] });`,
    );
    this.counts.functions++;
    this.counts.resources++;
    this.emit(u, L);
  }

  // -------------------------------------------------------------------------------------------
  // Files
  // -------------------------------------------------------------------------------------------

  private header(u: Unit, what: string): string[] {
    const imports = [`import { Construct } from "constructs";`, ...[...u.imports].sort(importOrder).map((k) => IMPORTS[k]), `import { override, setLogicalId } from "./topograph";`];
    return [`// ${what}`, "// Generated by Topograph; edit freely, or change the topology and export again.", ...imports, ""];
  }

  private renderShared(): string {
    const u = this.shared;
    const extraFields: string[] = [];
    const ctor: string[][] = [];
    if (this.params.size) {
      const entries = [...this.params].map(([name, d]) => `${camel(name)}: new CfnParameter(Stack.of(this), ${q(name)}, { type: "String", description: ${q(d)} }).valueAsString`);
      extraFields.push(`readonly params: { ${[...this.params.keys()].map((n) => `${camel(n)}: string`).join("; ")} };`);
      ctor.push([`this.params = ${objectLiteral(entries)};`]);
    } else {
      extraFields.push("readonly params: Record<string, string>;");
      ctor.push(["this.params = {};"]);
    }
    if (this.needsHttpApi) {
      u.imports.add("apigwv2");
      extraFields.push("readonly httpApi: apigwv2.HttpApi;");
      ctor.push([`this.httpApi = new apigwv2.HttpApi(this, "HttpApi");`, `new CfnOutput(this, "HttpApiUrl", { description: "Base URL of the HTTP API", value: this.httpApi.apiEndpoint });`]);
      if (this.authNeeds.has("http-iam")) {
        u.imports.add("authorizers");
        extraFields.push("readonly iamAuthorizer: authorizers.HttpIamAuthorizer;");
        ctor.push(["this.iamAuthorizer = new authorizers.HttpIamAuthorizer();"]);
      }
      if (this.authNeeds.has("http-jwt")) {
        u.imports.add("authorizers");
        const issuer = this.paramFrom("JwtIssuerUrl", "Issuer URL of the JWT authorizer (e.g. https://cognito-idp.<region>.amazonaws.com/<pool id>)", u);
        const audience = this.paramFrom("JwtAudience", "Audience (client id) the JWT authorizer accepts", u);
        extraFields.push("readonly jwtAuthorizer: authorizers.HttpJwtAuthorizer;");
        ctor.push([`this.jwtAuthorizer = new authorizers.HttpJwtAuthorizer("JwtAuthorizer", ${issuer}, { jwtAudience: [${audience}] });`]);
      }
      if (this.authNeeds.has("http-lambda")) {
        u.imports.add("authorizers").add("lambda");
        const arn = this.paramFrom("AuthorizerFunctionArn", "ARN of the Lambda authorizer function", u);
        extraFields.push("readonly lambdaAuthorizer: authorizers.HttpLambdaAuthorizer;");
        ctor.push([`this.lambdaAuthorizer = new authorizers.HttpLambdaAuthorizer("LambdaAuthorizer", lambda.Function.fromFunctionArn(this, "AuthorizerFunction", ${arn}), { responseTypes: [authorizers.HttpLambdaResponseType.SIMPLE] });`]);
      }
    }
    if (this.needsRestApi) {
      u.imports.add("apigateway");
      extraFields.push("readonly restApi: apigateway.RestApi;");
      ctor.push([`this.restApi = new apigateway.RestApi(this, "RestApi", { deployOptions: { stageName: "prod" } });`, `new CfnOutput(this, "RestApiUrl", { description: "Base URL of the REST API", value: this.restApi.url });`]);
      if (this.authNeeds.has("rest-jwt")) {
        const pool = this.paramFrom("CognitoUserPoolArn", "ARN of the Cognito user pool that signs the tokens", u);
        u.imports.add("apigateway");
        extraFields.push("readonly cognitoAuthorizer: apigateway.CfnAuthorizer;");
        ctor.push([`this.cognitoAuthorizer = new apigateway.CfnAuthorizer(this, "CognitoAuthorizer", { restApiId: this.restApi.restApiId, name: "CognitoAuthorizer", type: "COGNITO_USER_POOLS", identitySource: "method.request.header.Authorization", providerArns: [${pool}] });`]);
      }
      if (this.authNeeds.has("rest-lambda")) {
        u.imports.add("lambda");
        const arn = this.paramFrom("AuthorizerFunctionArn", "ARN of the Lambda authorizer function", u);
        extraFields.push("readonly lambdaAuthorizer: apigateway.TokenAuthorizer;");
        ctor.push([`this.lambdaAuthorizer = new apigateway.TokenAuthorizer(this, "LambdaAuthorizer", { handler: lambda.Function.fromFunctionArn(this, "AuthorizerFunction", ${arn}) });`]);
      }
    }
    // Parameters added while rendering authorizers: rebuild the params block.
    if (this.params.size) ctor[0] = [`this.params = ${objectLiteral([...this.params].map(([name, d]) => `${camel(name)}: new CfnParameter(Stack.of(this), ${q(name)}, { type: "String", description: ${q(d)} }).valueAsString`))};`];
    extraFields[0] = this.params.size ? `readonly params: { ${[...this.params.keys()].map((n) => `${camel(n)}: string`).join("; ")} };` : "readonly params: Record<string, string>;";
    const buf = new CodeBuffer("  ");
    for (const l of this.header(u, "Shared: elements outside every bounded context, the APIs and the deployment parameters.")) buf.line(l);
    buf.block("export class SharedConstruct extends Construct {", () => {
      for (const f of [...extraFields, ...u.fields]) buf.line(f);
      buf.line();
      buf.block("constructor(scope: Construct, id: string) {", () => {
        buf.line("super(scope, id);");
        for (const block of [...ctor, ...u.body]) for (const l of block) buf.write(l);
      });
    });
    return fixUnused(buf.toString());
  }

  private renderContext(u: Unit): string {
    const c = this.ir.doc.contexts.find((x) => x.id === u.contextId)!;
    const buf = new CodeBuffer("  ");
    for (const l of this.header(u, `Bounded context "${c.name}"${c.owner ? ` (owner: ${c.owner})` : ""}${c.description ? `: ${c.description}` : ""}`)) buf.line(l);
    buf.line(`import type { SharedConstruct } from "./shared-construct";`);
    buf.line();
    buf.block(`export interface ${u.className}Props {`, () => buf.line("readonly shared: SharedConstruct;"));
    buf.line();
    buf.block(`export class ${u.className} extends Construct {`, () => {
      for (const f of u.fields) buf.line(f);
      if (u.fields.length) buf.line();
      buf.block(`constructor(scope: Construct, id: string, props: ${u.className}Props) {`, () => {
        buf.line("super(scope, id);");
        buf.line(`Tags.of(this).add("context", ${q(safeTag(c.name, 256))});`);
        for (const block of u.body) for (const l of block) buf.write(l);
      });
    });
    return fixUnused(buf.toString());
  }

  private renderWiring(): string {
    const u = this.wiring;
    const buf = new CodeBuffer("  ");
    buf.line("// Links between bounded contexts: triggers, grants and variables that cross a context boundary.");
    buf.line("// Generated by Topograph; edit freely, or change the topology and export again.");
    u.imports.add("core");
    for (const k of [...u.imports].sort(importOrder)) buf.line(IMPORTS[k]);
    buf.line(`import { override, setLogicalId } from "./topograph";`);
    buf.line(`import type { SharedConstruct } from "./shared-construct";`);
    for (const c of this.units.values()) buf.line(`import type { ${c.className} } from "./${c.file.replace(/^lib\//, "").replace(/\.ts$/, "")}";`);
    buf.line();
    const params = ["stack: Stack", "shared: SharedConstruct", ...[...this.units.values()].map((c) => `${c.varName}: ${c.className}`)];
    buf.block("export interface Contexts {", () => {
      for (const p of params) buf.line(`readonly ${p};`);
    });
    buf.line();
    buf.block("export function wire(contexts: Contexts): void {", () => {
      const body = u.body.flat().join("\n");
      const used = ["stack", "shared", ...[...this.units.values()].map((c) => c.varName)].filter((v) => new RegExp(`\\b${v}\\b`).test(body));
      if (used.length) buf.line(`const { ${used.join(", ")} } = contexts;`);
      else buf.line("void contexts; // no link crosses a context boundary");
      for (const block of u.body) for (const l of block) buf.write(l);
    });
    return fixUnused(buf.toString());
  }

  private renderApp(): string {
    const doc = this.ir.doc;
    const stackId = logicalIdBase(doc.name, "Topology");
    const buf = new CodeBuffer("  ");
    buf.line("#!/usr/bin/env node");
    buf.line(`// The "${doc.name.replace(/\n/g, " ")}" topology as a CDK app. Generated by Topograph.`);
    buf.line(`import { App, Stack } from "aws-cdk-lib";`);
    buf.line(`import { SharedConstruct } from "../lib/shared-construct";`);
    for (const c of this.units.values()) buf.line(`import { ${c.className} } from "../${c.file.replace(/\.ts$/, "")}";`);
    buf.line(`import { wire } from "../lib/wiring";`);
    buf.line();
    buf.line("const app = new App();");
    const description = describe(doc.description ?? doc.name);
    buf.line(`const stack = new Stack(app, ${q(stackId)}, { description: ${q(description)} });`);
    buf.line(`const shared = new SharedConstruct(stack, "Shared");`);
    for (const c of this.units.values()) buf.line(`const ${c.varName} = new ${c.className}(stack, ${q(c.className.replace(/Construct$/, ""))}, { shared });`);
    buf.line(`wire({ stack, shared${[...this.units.values()].map((c) => `, ${c.varName}`).join("")} });`);
    const groups: Record<string, unknown> = {};
    for (const g of this.ir.groups) groups[g.key] = { Label: g.label, Members: g.members.filter((m) => this.cdkLogicalIds().has(m)) };
    if (Object.keys(groups).length) {
      buf.line("// Bounded contexts as Infrastructure Composer groups, as in the SAM export.");
      buf.line(`stack.addMetadata("AWS::Composer::Groups", ${tsValue(groups)});`);
    }
    buf.line("app.synth();");
    return buf.toString();
  }

  private cdkLogicalIds(): Set<string> {
    const ids = new Set<string>();
    for (const n of this.ir.doc.nodes) {
      const lid = this.ir.logicalIds.get(n.id);
      if (lid && nodeHasResource(n)) ids.add(lid);
    }
    for (const e of this.ir.doc.edges) if (e.kind === "trigger" && e.type === "consumer-lag" && this.ir.logicalIds.get(e.id)) ids.add(this.ir.logicalIds.get(e.id)!);
    return ids;
  }

  private packageJson(): string {
    const name = logicalIdBase(this.ir.doc.name, "Topology").replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
    return (
      JSON.stringify(
        {
          name: `${name}-cdk`,
          version: "0.1.0",
          private: true,
          description: `CDK app of the "${this.ir.doc.name}" topology, generated by Topograph`,
          bin: { app: "bin/app.ts" },
          scripts: { build: "tsc --noEmit", synth: "cdk synth", deploy: "cdk deploy" },
          dependencies: { "aws-cdk-lib": CDK_VERSION, constructs: CONSTRUCTS_VERSION },
          devDependencies: { "aws-cdk": "^2", tsx: "^4", typescript: "^5", "@types/node": "^20" },
        },
        null,
        2,
      ) + "\n"
    );
  }
}

// ---------------------------------------------------------------------------------------------

const ATTR_CODE: Partial<Record<TopoNode["kind"], Partial<Record<RefAttr, string>>>> = {
  queue: { url: "queueUrl", arn: "queueArn", name: "queueName" },
  stream: { name: "streamName", arn: "streamArn" },
  table: { name: "tableName", arn: "tableArn" },
  "sns-topic": { arn: "topicArn", name: "topicName" },
  "event-bus": { name: "eventBusName", arn: "eventBusArn" },
  bucket: { name: "bucketName", arn: "bucketArn" },
  function: { name: "functionName", arn: "functionArn" },
};

/** What `Ref` and `Fn::GetAtt` of a modelled resource are, as CDK attributes. */
const REF_ATTR: Partial<Record<TopoNode["kind"], Record<string, string>>> = {
  queue: { Ref: "queueUrl", Arn: "queueArn", QueueName: "queueName", QueueUrl: "queueUrl" },
  stream: { Ref: "streamName", Arn: "streamArn" },
  table: { Ref: "tableName", Arn: "tableArn", StreamArn: "tableStreamArn!" },
  "sns-topic": { Ref: "topicArn", TopicArn: "topicArn", TopicName: "topicName" },
  "event-bus": { Ref: "eventBusName", Name: "eventBusName", Arn: "eventBusArn" },
  bucket: { Ref: "bucketName", Arn: "bucketArn" },
  function: { Ref: "functionName", Arn: "functionArn" },
};

/** Channels and stores before functions, dead-letter queues before the queues that redrive into them. */
function orderForConstruction(nodes: TopoNode[]): TopoNode[] {
  const rank = (n: TopoNode) => (n.kind === "function" ? 2 : n.kind === "queue" ? 0 : 1);
  const queues = nodes.filter((n): n is NodeOf<"queue"> => n.kind === "queue");
  const done = new Set<string>();
  const orderedQueues: TopoNode[] = [];
  const visit = (q: NodeOf<"queue">, depth: number) => {
    if (done.has(q.id) || depth > queues.length) return;
    const dlq = q.redrive && queues.find((x) => x.id === q.redrive!.deadLetterQueueId);
    if (dlq && dlq.id !== q.id) visit(dlq, depth + 1);
    if (!done.has(q.id)) {
      done.add(q.id);
      orderedQueues.push(q);
    }
  };
  for (const q of queues) visit(q, 0);
  const others = nodes.filter((n) => n.kind !== "queue").sort((a, b) => rank(a) - rank(b));
  return [...orderedQueues, ...others.filter((n) => rank(n) === 1), ...others.filter((n) => rank(n) === 2)];
}

/** Words a generated variable must not be named (JavaScript reserved words and globals we use). */
const RESERVED = ["break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do", "else", "enum", "export", "extends", "false", "finally", "for", "function", "if", "import", "in", "instanceof", "new", "null", "return", "super", "switch", "this", "throw", "true", "try", "typeof", "var", "void", "while", "with", "yield", "let", "static", "implements", "interface", "package", "private", "protected", "public", "await", "async", "of", "path", "lambda", "events", "targets", "sqs", "sns", "s3", "iam", "logs", "kinesis", "dynamodb", "scheduler", "apigateway", "apigwv2", "integrations", "authorizers", "destinations", "eventsources", "subscriptions", "secretsmanager", "codedeploy", "schedulerTargets", "props", "scope", "id"];

function q(s: string): string {
  return JSON.stringify(s);
}

function camel(id: string): string {
  const s = id.replace(/[^A-Za-z0-9]/g, "");
  const out = s.replace(/^[A-Z]+(?=[A-Z][a-z]|$)|^[A-Z]/, (m) => m.toLowerCase());
  return /^[a-z_$]/.test(out) ? out : `r${out}`;
}

function pascal(s: string): string {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}

function objectLiteral(props: string[]): string {
  if (!props.length) return "{}";
  const one = `{ ${props.join(", ")} }`;
  if (one.length <= 100) return one;
  return `{\n${props.map((p) => `  ${p.replace(/\n/g, "\n  ")},`).join("\n")}\n}`;
}

function durationSeconds(s: number): string {
  return Number.isInteger(s) ? `Duration.seconds(${s})` : `Duration.millis(${Math.round(s * 1000)})`;
}

function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/** CDK refuses stack descriptions over 512 characters: keep the first sentences that fit. */
function describe(d: string): string {
  if (d.length <= 512) return d;
  let out = "";
  for (const sentence of d.split(/(?<=\.)\s+/)) {
    if ((out + " " + sentence).length > 510) break;
    out += (out ? " " : "") + sentence;
  }
  return out || `${d.slice(0, 509)}…`;
}

/** A JSON value as a TypeScript literal: `{ POWERTOOLS_SERVICE_NAME: "orders" }`. */
function tsValue(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(tsValue).join(", ")}]`;
  if (v && typeof v === "object") {
    const entries = Object.entries(v as Record<string, unknown>).map(([k, x]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)}: ${tsValue(x)}`);
    return entries.length ? `{ ${entries.join(", ")} }` : "{}";
  }
  return JSON.stringify(v) ?? "undefined";
}

/** JSON text (a pattern, a policy, an input) as a TypeScript literal; text that is not JSON stays a string. */
function jsonCode(text: string): string {
  try {
    return tsValue(JSON.parse(text));
  } catch {
    return JSON.stringify(text);
  }
}

function isJsonObject(s: string): boolean {
  try {
    const v = JSON.parse(s);
    return typeof v === "object" && v !== null && !Array.isArray(v);
  } catch {
    return false;
  }
}

function importOrder(a: string, b: string): number {
  const rank = (k: string) => (k === "path" ? -2 : k === "core" ? -1 : 0);
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** Drops the helper import a file does not use (strict TypeScript settings flag unused imports). */
function fixUnused(src: string): string {
  const body = src.split("\n").filter((l) => !l.startsWith("import ")).join("\n");
  const used = ["override", "setLogicalId"].filter((n) => new RegExp(`\\b${n}\\(`).test(body));
  const out = src.replace(`import { override, setLogicalId } from "./topograph";`, used.length ? `import { ${used.join(", ")} } from "./topograph";` : "");
  const core = /import \{ ([^}]+) \} from "aws-cdk-lib";/.exec(out);
  if (!core) return out;
  const names = core[1].split(",").map((s) => s.trim()).filter((n) => new RegExp(`\\b${n}\\b`).test(body));
  return out.replace(core[0], names.length ? `import { ${names.join(", ")} } from "aws-cdk-lib";` : "");
}

const HELPERS = `// Helpers for the generated constructs. Generated by Topograph.
import { CfnResource } from "aws-cdk-lib";
import type { IConstruct } from "constructs";

/** Keeps the SAM export's logical id, so both exports name (and deploy) the same resources. */
export function setLogicalId(construct: IConstruct, logicalId: string): void {
  (construct.node.defaultChild as CfnResource).overrideLogicalId(logicalId);
}

/** Sets a CloudFormation property the L2 construct has no prop for (a setting carried over from the topology). */
export function override(construct: IConstruct, property: string, value: unknown): void {
  (construct.node.defaultChild as CfnResource).addPropertyOverride(property, value);
}
`;

const TSCONFIG =
  JSON.stringify(
    {
      compilerOptions: {
        target: "ES2022",
        module: "nodenext",
        moduleResolution: "nodenext",
        lib: ["ES2022"],
        strict: true,
        esModuleInterop: true,
        skipLibCheck: true,
        noEmit: true,
        types: ["node"],
      },
      include: ["bin/**/*.ts", "lib/**/*.ts"],
    },
    null,
    2,
  ) + "\n";


/**
 * SAM emitter: IR → `template.yaml` (and the handler stubs `sam build` needs).
 *
 * `generateSam(ir)` is pure and shared with the importer: for every element it returns the
 * properties the *model* generates (`raw`) and the final template where each element's extras are
 * laid over them (ir/overlay.ts). The importer diffs `raw` against the source to decide what to
 * keep verbatim; the exporter writes `template`.
 */
import { deadLetterQueueIds } from "../../model/graph";
import type { FunctionNode, NodeOf, TopoEdge, TopoNode, Topology, TriggerEdge } from "../../model/schema";
import { LIMITS } from "../../model/limits";
import { childPointer, type CommentMap } from "../parse/template";
import { containsIntrinsic, deepEqual, getAtt, isPlainObject, ref, refOf, type JsonObject } from "../parse/intrinsics";
import { annotation, extraProperties, refAnnotation, resourceAttributes } from "../ir/annotations";
import { applyOverlay } from "../ir/overlay";
import { COMPOSER_GROUPS, CONTEXT_PALETTE, SAM_TRANSFORM, buildIr, type ExportNote, type Ir } from "../ir/build";
import { logicalIdBase } from "../ir/logical-ids";
import { makeId } from "../../model/ids";
import { refExpr, type RefAttr } from "./refs";

export const SECTION_ORDER = ["AWSTemplateFormatVersion", "Transform", "Description", "Metadata", "Parameters", "Mappings", "Conditions", "Rules", "Hooks", "Globals", "Resources", "Outputs"] as const;

/** Where an element lives in the generated template. */
export interface Placement {
  /** JSON pointer of the resource (node, edge resource) or of the event (`…/Events/<name>`). */
  pointer: string;
  /** Properties the model generates, before the element's extras are laid over them. */
  raw: JsonObject;
  /** Resource type (or event type). */
  type: string;
}

export interface SamGeneration {
  template: JsonObject;
  placements: Map<string, Placement>;
  /** Top-level items generated without an element (API resources, parameters, outputs), by section. */
  generated: { Resources: JsonObject; Parameters: JsonObject; Outputs: JsonObject };
  notes: ExportNote[];
  ir: Ir;
}

/** The environment variable a poller uses to name the function it wakes; the importer recognises pollers by it. */
export const LAG_TARGET_ENV = "TOPOGRAPH_LAG_TARGET";
export const POLLER_CODE_URI = "src/lag-pollers/";

const DEST_TYPE: Partial<Record<TopoNode["kind"], string>> = { queue: "SQS", "sns-topic": "SNS", "event-bus": "EventBridge", function: "Lambda" };

export function generateSam(docOrIr: Topology | Ir): SamGeneration {
  const ir = "idx" in docOrIr ? docOrIr : buildIr(docOrIr);
  return new SamGenerator(ir).run();
}

class SamGenerator {
  private readonly doc: Topology;
  private readonly notes: ExportNote[];
  private readonly placements = new Map<string, Placement>();
  private readonly genResources: JsonObject = {};
  private readonly genParameters: JsonObject = {};
  private readonly genOutputs: JsonObject = {};
  private readonly globals: JsonObject;
  private readonly dlqs: Set<string>;
  private explicitApis = new Set<"http" | "rest">();

  constructor(private readonly ir: Ir) {
    this.doc = ir.doc;
    this.notes = [...ir.notes];
    this.globals = samGlobalsFunction(ir);
    this.dlqs = deadLetterQueueIds(ir.doc);
  }

  private lid(id: string): string | undefined {
    return this.ir.logicalIds.get(id);
  }

  private node(id: string): TopoNode | undefined {
    return this.ir.idx.nodes.get(id);
  }

  private refTo(id: string | undefined, attr: RefAttr): unknown {
    if (!id) return undefined;
    const n = this.node(id);
    return n ? refExpr(n, attr, this.lid(id)) : undefined;
  }

  private note(elementId: string | undefined, message: string) {
    if (!this.notes.some((n) => n.message === message)) this.notes.push({ elementId, message });
  }

  run(): SamGeneration {
    const resources: JsonObject = {};
    const resourceOf = new Map<string, JsonObject>();
    for (const n of this.doc.nodes) {
      const lid = this.lid(n.id);
      if (!lid) continue;
      const r = this.nodeResource(n, lid);
      if (r) resourceOf.set(lid, r);
    }
    for (const e of this.doc.edges) {
      const lid = this.lid(e.id);
      if (!lid || e.kind !== "trigger") continue;
      const r = this.edgeResource(e, lid);
      if (r) resourceOf.set(lid, r);
    }
    const sam = this.doc.iac?.sam ?? {};
    const passthrough = isPlainObject(sam.Resources) ? sam.Resources : {};
    // Template order first (import), then the model's order, then passthrough, then generated.
    const order = Array.isArray(sam["@order"]) ? (sam["@order"] as unknown[]).filter((x): x is string => typeof x === "string") : [];
    const add = (id: string, r: unknown) => {
      if (!(id in resources)) resources[id] = r;
    };
    for (const id of order) {
      if (resourceOf.has(id)) add(id, resourceOf.get(id));
      else if (id in passthrough) add(id, passthrough[id]);
    }
    for (const n of this.doc.nodes) {
      const lid = this.lid(n.id);
      if (lid && resourceOf.has(lid)) add(lid, resourceOf.get(lid));
      if (n.kind === "function")
        for (const e of this.ir.triggersByFunction.get(n.id) ?? []) {
          const el = this.lid(e.id);
          if (el && resourceOf.has(el)) add(el, resourceOf.get(el));
        }
    }
    for (const [id, r] of resourceOf) add(id, r);
    for (const id in passthrough) add(id, passthrough[id]);
    this.generateApis();
    for (const id in this.genResources) add(id, this.genResources[id]);

    if (!this.ir.imported) this.generateOutputs();
    const template = this.assemble(resources);
    return { template, placements: this.placements, generated: { Resources: this.genResources, Parameters: this.genParameters, Outputs: this.genOutputs }, notes: this.notes, ir: this.ir };
  }

  // -------------------------------------------------------------------------------------------
  // Template
  // -------------------------------------------------------------------------------------------

  private assemble(resources: JsonObject): JsonObject {
    const sam: JsonObject = { ...(this.doc.iac?.sam ?? {}) };
    const t: JsonObject = {};
    t.AWSTemplateFormatVersion = "AWSTemplateFormatVersion" in sam ? sam.AWSTemplateFormatVersion : "2010-09-09";
    t.Transform = withSamTransform(sam.Transform);
    const description = sam.Description ?? this.description();
    if (description !== undefined) t.Description = description;
    const metadata = this.metadata(sam.Metadata);
    if (metadata) t.Metadata = metadata;
    const params = { ...(isPlainObject(sam.Parameters) ? sam.Parameters : {}) };
    for (const k in this.genParameters) if (!(k in params)) params[k] = this.genParameters[k];
    if (Object.keys(params).length) t.Parameters = params;
    else if (sam.Parameters !== undefined) t.Parameters = sam.Parameters;
    for (const k of ["Mappings", "Conditions", "Rules", "Hooks"]) if (sam[k] !== undefined) t[k] = sam[k];
    const globals = "Globals" in sam ? sam.Globals : Object.keys(this.globals).length ? { Function: this.globals } : undefined;
    if (globals !== undefined) t.Globals = globals;
    t.Resources = resources;
    const outputs = { ...(isPlainObject(sam.Outputs) ? sam.Outputs : {}) };
    for (const k in this.genOutputs) if (!(k in outputs)) outputs[k] = this.genOutputs[k];
    if (Object.keys(outputs).length) t.Outputs = outputs;
    else if (sam.Outputs !== undefined) t.Outputs = sam.Outputs;
    for (const k in sam) if (!k.startsWith("@") && !(k in t)) t[k] = sam[k];
    return t;
  }

  private description(): string | undefined {
    const d = this.doc.description;
    if (!d) return this.ir.imported ? undefined : this.doc.name;
    if (this.ir.imported || Buffer.byteLength(d) <= 1024) return d;
    this.note(undefined, "the description is longer than CloudFormation's 1,024 bytes; the template carries its first sentence(s)");
    let out = "";
    for (const sentence of d.split(/(?<=\.)\s+/)) {
      if (Buffer.byteLength(out + sentence) > 1000) break;
      out += (out ? " " : "") + sentence;
    }
    return out || d.slice(0, 1000);
  }

  private metadata(stored: unknown): JsonObject | undefined {
    const out: JsonObject = isPlainObject(stored) ? { ...stored } : {};
    const groups: JsonObject = {};
    for (const g of this.ir.groups) groups[g.key] = { Label: g.label, Members: g.members, ...g.extra };
    if (Object.keys(groups).length) out[COMPOSER_GROUPS] = groups;
    else delete out[COMPOSER_GROUPS];
    const topo = this.topographMetadata();
    if (topo) out.Topograph = topo;
    if (!Object.keys(out).length) return stored === null ? undefined : undefined;
    return out;
  }

  /** What Composer groups cannot say about contexts (colour, owner, description), only where it is not the default. */
  private topographMetadata(): JsonObject | undefined {
    const contexts: JsonObject = {};
    this.doc.contexts.forEach((c, i) => {
      const key = this.ir.groupKeyByContext.get(c.id);
      if (!key) return;
      const m: JsonObject = {};
      if (c.id !== makeId("context", c.name, new Set())) m.Id = c.id;
      if (c.color !== CONTEXT_PALETTE[i % CONTEXT_PALETTE.length]) m.Color = c.color;
      if (c.owner) m.Owner = c.owner;
      if (c.description) m.Description = c.description;
      if (Object.keys(m).length) contexts[key] = m;
    });
    const out: JsonObject = {};
    if (!this.ir.imported) out.Name = this.doc.name;
    if (Object.keys(contexts).length) out.Contexts = contexts;
    return Object.keys(out).length ? out : undefined;
  }

  /** Drops what Globals already say for a SAM function. */
  private withoutGlobals(p: JsonObject): JsonObject {
    const g = this.globals;
    for (const k of Object.keys(p)) {
      if (!(k in g)) continue;
      if (deepEqual(p[k], g[k])) delete p[k];
      else if (k === "Environment" && isPlainObject(p[k]) && isPlainObject(g[k])) {
        const vars = (p[k] as JsonObject).Variables;
        const gvars = (g[k] as JsonObject).Variables;
        if (isPlainObject(vars) && isPlainObject(gvars)) {
          const rest: JsonObject = {};
          for (const v in vars) if (!deepEqual(vars[v], gvars[v])) rest[v] = vars[v];
          if (Object.keys(rest).length) p[k] = { ...(p[k] as JsonObject), Variables: rest };
          else delete p[k];
        }
      } else if (k === "Tags" && isPlainObject(p[k]) && isPlainObject(g[k])) {
        const rest: JsonObject = {};
        const tags = p[k] as JsonObject;
        for (const t in tags) if (!deepEqual(tags[t], (g[k] as JsonObject)[t])) rest[t] = tags[t];
        if (Object.keys(rest).length) p[k] = rest;
        else delete p[k];
      } else if (k === "Layers" && Array.isArray(p[k]) && Array.isArray(g[k])) {
        const gl = g[k] as unknown[];
        const pl = p[k] as unknown[];
        if (gl.every((x, i) => deepEqual(x, pl[i]))) {
          const rest = pl.slice(gl.length);
          if (rest.length) p[k] = rest;
          else delete p[k];
        }
      }
    }
    return p;
  }

  // -------------------------------------------------------------------------------------------
  // Nodes
  // -------------------------------------------------------------------------------------------

  private place(id: string, pointer: string, type: string, raw: JsonObject) {
    // Not copied: nothing downstream mutates generated objects (overlays copy what they change).
    this.placements.set(id, { pointer, raw, type });
  }

  private resource(el: TopoNode | TopoEdge, lid: string, defaultType: string, raw: JsonObject): JsonObject {
    const type = typeof annotation(el, "@type") === "string" ? (annotation(el, "@type") as string) : defaultType;
    this.place(el.id, childPointer("/Resources", lid), type, raw);
    const props = applyOverlay(raw, el);
    const attrs = resourceAttributes(el);
    const out: JsonObject = { Type: type };
    // Attributes that come before Properties in most templates, then Properties, then the rest.
    for (const k of ["Condition", "DependsOn"]) if (k in attrs) out[k] = attrs[k];
    if (Object.keys(props).length || annotation(el, "@emptyProperties") === true) out.Properties = props;
    for (const k in attrs) if (!(k in out)) out[k] = attrs[k];
    return out;
  }

  private nodeResource(n: TopoNode, lid: string): JsonObject | undefined {
    switch (n.kind) {
      case "function":
        return this.ir.isPlainLambda(n) ? this.resource(n, lid, "AWS::Lambda::Function", this.plainLambdaProps(n)) : this.resource(n, lid, "AWS::Serverless::Function", this.functionProps(n, lid));
      case "queue":
        return this.resource(n, lid, "AWS::SQS::Queue", this.queueProps(n));
      case "stream":
        return this.resource(n, lid, "AWS::Kinesis::Stream", this.streamProps(n));
      case "table":
        return annotation(n, "@type") === "AWS::Serverless::SimpleTable" ? this.resource(n, lid, "AWS::Serverless::SimpleTable", this.simpleTableProps(n)) : this.resource(n, lid, "AWS::DynamoDB::Table", this.tableProps(n));
      case "sns-topic":
        return this.resource(n, lid, "AWS::SNS::Topic", this.cleanTags({ ...(n.fifo ? { FifoTopic: true } : {}), Tags: this.tagList(n) }));
      case "event-bus":
        return this.resource(n, lid, "AWS::Events::EventBus", this.cleanTags({ Name: n.busName, Tags: this.tagList(n) }));
      case "bucket":
        return this.resource(n, lid, "AWS::S3::Bucket", this.cleanTags({ ...(n.versioned ? { VersioningConfiguration: { Status: "Enabled" } } : {}), Tags: this.tagList(n) }));
      case "schedule":
        return this.scheduleResource(n, lid);
      default:
        return undefined;
    }
  }

  /** The node's tags and its `context` tag, with values AWS accepts. */
  private tags(n: TopoNode): [string, string][] {
    const out: [string, string][] = [];
    for (const [k, v] of Object.entries(n.tags ?? {})) if (k !== "context") out.push([safeTag(k, 128), safeTag(v, 256)]);
    const ctx = this.ir.contextName(n.contextId);
    if (ctx) out.push(["context", safeTag(ctx, 256)]);
    for (const [k, v] of Object.entries(n.tags ?? {})) {
      if (k !== "context" && (safeTag(k, 128) !== k || safeTag(v, 256) !== v)) this.note(n.id, `${n.name}: the tag ${k}=${v} has characters AWS refuses in tags; written as ${safeTag(k, 128)}=${safeTag(v, 256)}`);
    }
    return out;
  }

  /** `[{ Key: context, Value }, …tags]`, the CloudFormation tag list. */
  private tagList(n: TopoNode): { Key: string; Value: string }[] {
    return this.tags(n).map(([Key, Value]) => ({ Key, Value }));
  }

  private tagMap(n: TopoNode): JsonObject | undefined {
    const t = this.tags(n);
    return t.length ? Object.fromEntries(t) : undefined;
  }

  private cleanTags(p: JsonObject): JsonObject {
    if (Array.isArray(p.Tags) && p.Tags.length === 0) delete p.Tags;
    return p;
  }

  private queueProps(q: NodeOf<"queue">): JsonObject {
    const p: JsonObject = {};
    if (q.fifo) p.FifoQueue = true;
    if (q.fifo && q.contentBasedDeduplication !== undefined) p.ContentBasedDeduplication = q.contentBasedDeduplication;
    p.VisibilityTimeout = q.visibilityTimeoutSeconds;
    p.MessageRetentionPeriod = q.messageRetentionSeconds;
    if (q.delaySeconds !== 0) p.DelaySeconds = q.delaySeconds;
    if (q.maxMessageSizeBytes !== LIMITS.queue.maxMessageSizeBytes.default) p.MaximumMessageSize = q.maxMessageSizeBytes;
    if (q.redrive) {
      const arn = this.refTo(q.redrive.deadLetterQueueId, "arn");
      if (arn !== undefined) p.RedrivePolicy = { deadLetterTargetArn: arn, maxReceiveCount: q.redrive.maxReceiveCount };
      else this.note(q.id, `the dead-letter queue of ${q.name} is not in the template; its redrive policy is not written`);
    }
    p.Tags = this.tagList(q);
    return this.cleanTags(p);
  }

  private streamProps(s: NodeOf<"stream">): JsonObject {
    const p: JsonObject = {};
    if (s.mode === "on-demand") p.StreamModeDetails = { StreamMode: "ON_DEMAND" };
    else p.ShardCount = s.shardCount;
    p.RetentionPeriodHours = s.retentionHours;
    p.Tags = this.tagList(s);
    return this.cleanTags(p);
  }

  private tableProps(t: NodeOf<"table">): JsonObject {
    const attrs = [{ AttributeName: t.partitionKey.name, AttributeType: t.partitionKey.type }];
    const keys = [{ AttributeName: t.partitionKey.name, KeyType: "HASH" }];
    if (t.sortKey) {
      attrs.push({ AttributeName: t.sortKey.name, AttributeType: t.sortKey.type });
      keys.push({ AttributeName: t.sortKey.name, KeyType: "RANGE" });
    }
    const p: JsonObject = { AttributeDefinitions: attrs, KeySchema: keys, BillingMode: t.billingMode };
    if (t.billingMode === "PROVISIONED" && !("ProvisionedThroughput" in extraProperties(t))) {
      p.ProvisionedThroughput = { ReadCapacityUnits: 5, WriteCapacityUnits: 5 };
      this.note(t.id, `${t.name} uses provisioned capacity; the template sets 5 read and 5 write units, adjust them`);
    }
    if (t.stream) p.StreamSpecification = { StreamViewType: t.stream.viewType };
    p.Tags = this.tagList(t);
    return this.cleanTags(p);
  }

  private simpleTableProps(t: NodeOf<"table">): JsonObject {
    const type = { S: "String", N: "Number", B: "Binary" }[t.partitionKey.type];
    const p: JsonObject = { PrimaryKey: { Name: t.partitionKey.name, Type: type } };
    if (t.sortKey || t.stream) this.note(t.id, `${t.name} is an AWS::Serverless::SimpleTable, which has no sort key or stream; change its type to AWS::DynamoDB::Table`);
    const tags = this.tagMap(t);
    if (tags) p.Tags = tags;
    return p;
  }

  /** An imported `AWS::Scheduler::Schedule` or `AWS::Events::Rule` schedule (a designed schedule is an event). */
  private scheduleResource(s: NodeOf<"schedule">, lid: string): JsonObject | undefined {
    const type = annotation(s, "@type");
    const edge = this.doc.edges.find((e): e is TriggerEdge => e.kind === "trigger" && e.source === s.id);
    const target = edge ? this.refTo(edge.target, "arn") : undefined;
    if (type === "AWS::Scheduler::Schedule") {
      const p: JsonObject = { ScheduleExpression: s.expression };
      if (s.timezone) p.ScheduleExpressionTimezone = s.timezone;
      p.FlexibleTimeWindow = { Mode: "OFF" };
      p.State = s.enabled ? "ENABLED" : "DISABLED";
      if (target !== undefined) p.Target = { Arn: target, ...(edge?.input !== undefined ? { Input: edge.input } : {}) };
      return this.resource(s, lid, "AWS::Scheduler::Schedule", p);
    }
    const p: JsonObject = { ScheduleExpression: s.expression, State: s.enabled ? "ENABLED" : "DISABLED" };
    if (target !== undefined) p.Targets = [{ Arn: target, Id: `${lid}Target`, ...(edge?.input !== undefined ? { Input: edge.input } : {}) }];
    return this.resource(s, lid, "AWS::Events::Rule", p);
  }

  // -------------------------------------------------------------------------------------------
  // Functions
  // -------------------------------------------------------------------------------------------

  private functionProps(fn: FunctionNode, lid: string): JsonObject {
    const p: JsonObject = {};
    if (fn.description) p.Description = truncate(fn.description, 256);
    if (fn.inlineSource !== undefined && !fn.codeUri) p.InlineCode = fn.inlineSource;
    else p.CodeUri = fn.codeUri ?? defaultCodeUri(fn);
    p.Handler = fn.handler;
    p.Runtime = fn.runtime;
    p.MemorySize = fn.memoryMb;
    p.Timeout = fn.timeoutSeconds;
    p.Architectures = [fn.architecture];
    if (fn.ephemeralStorageMb !== LIMITS.function.ephemeralStorageMb.default) p.EphemeralStorage = { Size: fn.ephemeralStorageMb };
    const env = { ...fn.environment, ...this.wiringEnv(fn) };
    if (Object.keys(env).length) p.Environment = { Variables: env };
    if (fn.layers.length) p.Layers = [...fn.layers];
    if (fn.reservedConcurrency !== undefined) p.ReservedConcurrentExecutions = fn.reservedConcurrency;
    // Provisioned concurrency and SnapStart only apply to published versions: they need an alias.
    if (fn.alias || fn.provisionedConcurrency !== undefined || fn.snapStart) p.AutoPublishAlias = fn.alias?.name ?? "live";
    if (fn.provisionedConcurrency !== undefined) p.ProvisionedConcurrencyConfig = { ProvisionedConcurrentExecutions: fn.provisionedConcurrency };
    if (fn.alias?.deploymentPreference) p.DeploymentPreference = { Type: fn.alias.deploymentPreference };
    if (fn.alias && fn.alias.versions.length > 1)
      this.note(fn.id, `${fn.name}: SAM publishes one version per deployment; the weighted routing across ${fn.alias.versions.length} versions is done by DeploymentPreference (${fn.alias.deploymentPreference ?? "none set"}), not written as fixed weights`);
    if (fn.snapStart) p.SnapStart = { ApplyOn: "PublishedVersions" };
    if (fn.logFormat === "JSON" || fn.logGroupName) p.LoggingConfig = { LogFormat: fn.logFormat, ...(fn.logGroupName ? { LogGroup: fn.logGroupName } : {}) };
    if (fn.deadLetterQueueId) {
      const dlq = this.node(fn.deadLetterQueueId);
      const arn = this.refTo(fn.deadLetterQueueId, "arn");
      if (dlq && arn !== undefined) p.DeadLetterQueue = { Type: dlq.kind === "sns-topic" ? "SNS" : "SQS", TargetArn: arn };
    }
    if (fn.asyncInvoke) p.EventInvokeConfig = this.eventInvokeConfig(fn);
    const policies = this.policies(fn);
    if (policies.length) p.Policies = policies;
    const events = this.events(fn, lid);
    if (Object.keys(events).length) p.Events = events;
    const tags = this.tagMap(fn);
    if (tags) p.Tags = tags;
    return this.withoutGlobals(p);
  }

  private plainLambdaProps(fn: FunctionNode): JsonObject {
    const p: JsonObject = {};
    if (fn.description) p.Description = truncate(fn.description, 256);
    p.Code = fn.inlineSource !== undefined && !fn.codeUri ? { ZipFile: fn.inlineSource } : fn.codeUri ?? defaultCodeUri(fn);
    p.Handler = fn.handler;
    p.Runtime = fn.runtime;
    p.MemorySize = fn.memoryMb;
    p.Timeout = fn.timeoutSeconds;
    p.Architectures = [fn.architecture];
    if (fn.ephemeralStorageMb !== LIMITS.function.ephemeralStorageMb.default) p.EphemeralStorage = { Size: fn.ephemeralStorageMb };
    const env = { ...fn.environment };
    if (Object.keys(env).length) p.Environment = { Variables: env };
    if (fn.layers.length) p.Layers = [...fn.layers];
    if (fn.reservedConcurrency !== undefined) p.ReservedConcurrentExecutions = fn.reservedConcurrency;
    if (fn.snapStart) p.SnapStart = { ApplyOn: "PublishedVersions" };
    if (fn.logFormat === "JSON" || fn.logGroupName) p.LoggingConfig = { LogFormat: fn.logFormat, ...(fn.logGroupName ? { LogGroup: fn.logGroupName } : {}) };
    const dlq = this.refTo(fn.deadLetterQueueId, "arn");
    if (dlq !== undefined) p.DeadLetterConfig = { TargetArn: dlq };
    p.Tags = this.tagList(fn);
    return this.cleanTags(p);
  }

  private destination(id: string | undefined): JsonObject | undefined {
    if (!id) return undefined;
    const n = this.node(id);
    const arn = this.refTo(id, "arn");
    if (!n || arn === undefined || !DEST_TYPE[n.kind]) return undefined;
    return { Type: DEST_TYPE[n.kind], Destination: arn };
  }

  private eventInvokeConfig(fn: FunctionNode): JsonObject {
    const a = fn.asyncInvoke!;
    const c: JsonObject = { MaximumRetryAttempts: a.maximumRetryAttempts, MaximumEventAgeInSeconds: a.maximumEventAgeSeconds };
    const ok = this.destination(a.onSuccessDestinationId);
    const ko = this.destination(a.onFailureDestinationId);
    if (ok || ko) c.DestinationConfig = { ...(ok ? { OnSuccess: ok } : {}), ...(ko ? { OnFailure: ko } : {}) };
    return c;
  }

  /** SAM policy templates for what the function reads, writes, sends to and calls. */
  private policies(fn: FunctionNode): unknown[] {
    const out: unknown[] = [];
    const add = (p: unknown) => {
      if (!out.some((x) => deepEqual(x, p))) out.push(p);
    };
    for (const e of this.ir.outgoingByFunction.get(fn.id) ?? []) {
      const target = this.node(e.target);
      if (!target) continue;
      const p = policyFor(e, target, (attr) => this.refTo(target.id, attr));
      if (p) add(p);
      else if (p === undefined && (target.kind === "data-store" || target.kind === "kafka-topic"))
        this.note(e.id, `${fn.name} → ${target.name}: no SAM policy template covers ${target.kind === "data-store" ? "this data store" : "Kafka"}; grant access in the function's policies`);
    }
    return out;
  }

  /** Environment variables naming what the function talks to, unless the function already names it. */
  private wiringEnv(fn: FunctionNode): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const w of wiringVariables(this.ir, fn, this.globals)) {
      const value = this.refTo(w.targetId, w.attr);
      if (value !== undefined) out[w.name] = value;
    }
    return out;
  }

  // -------------------------------------------------------------------------------------------
  // Triggers
  // -------------------------------------------------------------------------------------------

  private events(fn: FunctionNode, lid: string): JsonObject {
    const out: JsonObject = {};
    for (const e of this.ir.triggersByFunction.get(fn.id) ?? []) {
      const form = this.ir.triggerForms.get(e.id);
      if (form?.kind !== "event") continue;
      const source = this.node(e.source);
      if (!source) continue;
      const ev = this.eventFor(e, source);
      if (!ev) continue;
      const pointer = childPointer(childPointer(childPointer(childPointer("/Resources", lid), "Properties"), "Events"), form.name);
      this.place(e.id, pointer, ev.Type, ev.Properties);
      const props = applyOverlay(ev.Properties, e);
      out[form.name] = Object.keys(props).length || !Object.keys(ev.Properties).length ? { Type: ev.Type, Properties: props } : { Type: ev.Type };
    }
    return out;
  }

  /** The settings an event source mapping shares with SAM's SQS/Kinesis/DynamoDB/MSK events. */
  private mappingSettings(e: TriggerEdge, source: TopoNode, form: "sam" | "cfn"): JsonObject {
    const p: JsonObject = {};
    const isStream = source.kind === "stream" || source.kind === "table" || source.kind === "kafka-topic";
    if (e.batchSize !== undefined) p.BatchSize = e.batchSize;
    if (e.maximumBatchingWindowSeconds !== undefined) p.MaximumBatchingWindowInSeconds = e.maximumBatchingWindowSeconds;
    if (isStream) p.StartingPosition = e.startingPosition ?? "LATEST";
    if (e.startingPositionTimestamp !== undefined) p.StartingPositionTimestamp = Date.parse(e.startingPositionTimestamp) / 1000;
    if (e.parallelizationFactor !== undefined) p.ParallelizationFactor = e.parallelizationFactor;
    if (e.bisectBatchOnFunctionError !== undefined) p.BisectBatchOnFunctionError = e.bisectBatchOnFunctionError;
    if (e.maximumRetryAttempts !== undefined) p.MaximumRetryAttempts = e.maximumRetryAttempts;
    if (e.maximumRecordAgeSeconds !== undefined) p.MaximumRecordAgeInSeconds = e.maximumRecordAgeSeconds;
    if (e.tumblingWindowSeconds !== undefined) p.TumblingWindowInSeconds = e.tumblingWindowSeconds;
    if (e.onFailureDestinationId) {
      const dest = this.node(e.onFailureDestinationId);
      const arn = this.refTo(e.onFailureDestinationId, "arn");
      if (dest && arn !== undefined) {
        const type = dest.kind === "sns-topic" ? "SNS" : dest.kind === "bucket" ? "S3" : "SQS";
        if (form === "sam" && source.kind === "kafka-topic" && source.cluster === "self-managed") this.note(e.id, "SAM's SelfManagedKafka event has no DestinationConfig; the on-failure destination is not written");
        else p.DestinationConfig = { OnFailure: form === "sam" && type !== "S3" ? { Type: type, Destination: arn } : { Destination: arn } };
      }
    }
    if (e.reportBatchItemFailures) p.FunctionResponseTypes = ["ReportBatchItemFailures"];
    if (e.maximumConcurrency !== undefined) p.ScalingConfig = { MaximumConcurrency: e.maximumConcurrency };
    if (e.filterCriteria) p.FilterCriteria = { Filters: e.filterCriteria.patterns.map((Pattern) => ({ Pattern })) };
    if (e.consumerGroupId !== undefined && source.kind === "kafka-topic") {
      if (form === "sam") p.ConsumerGroupId = e.consumerGroupId;
      else p[source.cluster === "msk" ? "AmazonManagedKafkaEventSourceConfig" : "SelfManagedKafkaEventSourceConfig"] = { ConsumerGroupId: e.consumerGroupId };
    }
    if (!e.enabled) p.Enabled = false;
    return p;
  }

  private kafkaCluster(k: NodeOf<"kafka-topic">): unknown {
    const r = refAnnotation(k);
    if (r?.cluster !== undefined) return r.cluster;
    if (k.clusterArn) return k.clusterArn;
    const name = `${logicalIdBase(k.name, "Kafka")}ClusterArn`;
    this.genParameters[name] = { Type: "String", Description: `ARN of the MSK cluster holding the topic ${k.topic}` };
    return ref(name);
  }

  private eventFor(e: TriggerEdge, source: TopoNode): { Type: string; Properties: JsonObject } | undefined {
    const arn = (attr: RefAttr = "arn") => this.refTo(source.id, attr);
    switch (source.kind) {
      case "queue":
        return { Type: "SQS", Properties: { Queue: arn(), ...this.mappingSettings(e, source, "sam") } };
      case "stream":
        return { Type: "Kinesis", Properties: { Stream: arn(), ...this.mappingSettings(e, source, "sam") } };
      case "table": {
        const s = arn("streamArn");
        if (s === undefined) return undefined;
        return { Type: "DynamoDB", Properties: { Stream: s, ...this.mappingSettings(e, source, "sam") } };
      }
      case "kafka-topic": {
        if (source.cluster === "msk") return { Type: "MSK", Properties: { Stream: this.kafkaCluster(source), Topics: [source.topic], ...this.mappingSettings(e, source, "sam") } };
        const p: JsonObject = { KafkaBootstrapServers: [...source.bootstrapServers], Topics: [source.topic] };
        // SAM requires credentials; a designed topology gets a parameter, an imported one keeps its own.
        if (!("SourceAccessConfigurations" in extraProperties(e))) {
          const secret = `${logicalIdBase(source.name, "Kafka")}CredentialsArn`;
          this.genParameters[secret] = { Type: "String", Description: `Secrets Manager ARN of the credentials for ${source.topic} (SASL/SCRAM-512)` };
          p.SourceAccessConfigurations = [{ Type: "SASL_SCRAM_512_AUTH", URI: ref(secret) }];
        }
        return { Type: "SelfManagedKafka", Properties: { ...p, ...this.mappingSettings(e, source, "sam") } };
      }
      case "sns-topic": {
        const p: JsonObject = { Topic: arn() };
        if (e.snsFilterPolicy !== undefined) p.FilterPolicy = parseJsonOr(e.snsFilterPolicy);
        return { Type: "SNS", Properties: p };
      }
      case "event-bus": {
        const p: JsonObject = {};
        if (source.busName !== "default" || refAnnotation(source)) p.EventBusName = arn("name");
        p.Pattern = e.eventPattern !== undefined ? parseJsonOr(e.eventPattern) : { source: [{ prefix: "" }] };
        if (e.eventPattern === undefined) this.note(e.id, `the rule from ${source.name} has no event pattern; the template matches every event`);
        if (e.input !== undefined) p.Input = e.input;
        return { Type: "EventBridgeRule", Properties: p };
      }
      case "schedule": {
        if (source.scheduler === "rule") {
          const p: JsonObject = { Schedule: source.expression };
          if (!source.enabled) p.Enabled = false;
          if (e.input !== undefined) p.Input = e.input;
          if (source.timezone) this.note(source.id, `${source.name}: an EventBridge rule schedule has no time zone (${source.timezone} is ignored); use EventBridge Scheduler`);
          return { Type: "Schedule", Properties: p };
        }
        const p: JsonObject = { ScheduleExpression: source.expression };
        if (source.timezone) p.ScheduleExpressionTimezone = source.timezone;
        if (!source.enabled) p.State = "DISABLED";
        if (e.input !== undefined) p.Input = e.input;
        return { Type: "ScheduleV2", Properties: p };
      }
      case "bucket": {
        const events = e.s3Events?.length ? e.s3Events : ["s3:ObjectCreated:*"];
        const p: JsonObject = { Bucket: this.refTo(source.id, "name"), Events: events.length === 1 ? events[0] : [...events] };
        const rules: JsonObject[] = [];
        if (e.s3Filter?.prefix !== undefined) rules.push({ Name: "prefix", Value: e.s3Filter.prefix });
        if (e.s3Filter?.suffix !== undefined) rules.push({ Name: "suffix", Value: e.s3Filter.suffix });
        if (rules.length) p.Filter = { S3Key: { Rules: rules } };
        return { Type: "S3", Properties: p };
      }
      case "http-route":
        return this.routeEvent(source);
      default:
        return undefined;
    }
  }

  private routeEvent(r: NodeOf<"http-route">): { Type: string; Properties: JsonObject } {
    const p: JsonObject = { Path: r.path, Method: r.method };
    if (r.api === "http") {
      if (r.auth === "iam" || r.auth === "jwt" || r.auth === "lambda") {
        this.explicitApis.add("http");
        p.ApiId = ref("HttpApi");
        p.Auth = { Authorizer: r.auth === "iam" ? "AWS_IAM" : r.auth === "jwt" ? "JwtAuthorizer" : "LambdaAuthorizer" };
      } else if (r.auth === "api-key") this.note(r.id, `${r.name}: HTTP APIs have no API keys; the route is written without authorization (use a REST API, or a Lambda authorizer)`);
      return { Type: "HttpApi", Properties: p };
    }
    if (r.auth === "iam") p.Auth = { Authorizer: "AWS_IAM" };
    else if (r.auth === "api-key") p.Auth = { ApiKeyRequired: true };
    else if (r.auth === "jwt" || r.auth === "lambda") {
      this.explicitApis.add("rest");
      p.RestApiId = ref("RestApi");
      p.Auth = { Authorizer: r.auth === "jwt" ? "CognitoAuthorizer" : "LambdaAuthorizer" };
    }
    return { Type: "Api", Properties: p };
  }

  /** The explicit APIs that authorizers need, with parameters for what only the deployer knows. */
  private generateApis() {
    const routes = this.doc.nodes.filter((n): n is NodeOf<"http-route"> => n.kind === "http-route" && this.doc.edges.some((e) => e.kind === "trigger" && e.source === n.id));
    if (this.explicitApis.has("http")) {
      const auths = new Set(routes.filter((r) => r.api === "http").map((r) => r.auth));
      const authorizers: JsonObject = {};
      if (auths.has("jwt")) {
        this.genParameters.JwtIssuerUrl = { Type: "String", Description: "Issuer URL of the JWT authorizer (e.g. https://cognito-idp.<region>.amazonaws.com/<pool id>)" };
        this.genParameters.JwtAudience = { Type: "String", Description: "Audience (client id) the JWT authorizer accepts" };
        authorizers.JwtAuthorizer = { IdentitySource: "$request.header.Authorization", JwtConfiguration: { issuer: ref("JwtIssuerUrl"), audience: [ref("JwtAudience")] } };
      }
      if (auths.has("lambda")) {
        this.genParameters.AuthorizerFunctionArn = { Type: "String", Description: "ARN of the Lambda authorizer function" };
        authorizers.LambdaAuthorizer = { FunctionArn: ref("AuthorizerFunctionArn"), AuthorizerPayloadFormatVersion: "2.0", EnableSimpleResponses: true };
      }
      const auth: JsonObject = {};
      if (Object.keys(authorizers).length) auth.Authorizers = authorizers;
      if (auths.has("iam")) auth.EnableIamAuthorizer = true;
      this.genResources.HttpApi = { Type: "AWS::Serverless::HttpApi", Properties: { Auth: auth } };
    }
    if (this.explicitApis.has("rest")) {
      const auths = new Set(routes.filter((r) => r.api === "rest").map((r) => r.auth));
      const authorizers: JsonObject = {};
      if (auths.has("jwt")) {
        this.genParameters.CognitoUserPoolArn = { Type: "String", Description: "ARN of the Cognito user pool that signs the tokens" };
        authorizers.CognitoAuthorizer = { UserPoolArn: ref("CognitoUserPoolArn") };
      }
      if (auths.has("lambda")) {
        this.genParameters.AuthorizerFunctionArn = { Type: "String", Description: "ARN of the Lambda authorizer function" };
        authorizers.LambdaAuthorizer = { FunctionArn: ref("AuthorizerFunctionArn") };
      }
      this.genResources.RestApi = { Type: "AWS::Serverless::Api", Properties: { StageName: "prod", Auth: { Authorizers: authorizers } } };
    }
  }

  // -------------------------------------------------------------------------------------------
  // Resources owned by edges
  // -------------------------------------------------------------------------------------------

  private edgeResource(e: TriggerEdge, lid: string): JsonObject | undefined {
    const form = this.ir.triggerForms.get(e.id);
    const source = this.node(e.source);
    const target = this.node(e.target);
    if (!form || !source || !target || target.kind !== "function") return undefined;
    if (form.kind === "poller") return this.poller(e, source, target, lid);
    if (form.kind === "mapping" || (form.kind === "resource" && form.type === "AWS::Lambda::EventSourceMapping")) return this.resource(e, lid, "AWS::Lambda::EventSourceMapping", this.mappingProps(e, source, target));
    if (form.kind === "resource" && form.type === "AWS::Events::Rule") {
      const p: JsonObject = {};
      if (source.kind === "event-bus" && (source.busName !== "default" || refAnnotation(source))) p.EventBusName = this.refTo(source.id, "name");
      if (e.eventPattern !== undefined) p.EventPattern = parseJsonOr(e.eventPattern);
      p.State = e.enabled ? "ENABLED" : "DISABLED";
      p.Targets = [{ Arn: this.refTo(target.id, "arn"), Id: `${lid}Target`, ...(e.input !== undefined ? { Input: e.input } : {}) }];
      return this.resource(e, lid, "AWS::Events::Rule", p);
    }
    if (form.kind === "resource" && form.type === "AWS::Pipes::Pipe") {
      const p: JsonObject = { Source: this.refTo(source.id, source.kind === "table" ? "streamArn" : "arn"), Target: this.refTo(target.id, "arn") };
      const params = this.pipeSourceParameters(e, source);
      if (params) p.SourceParameters = params;
      if (!e.enabled) p.DesiredState = "STOPPED";
      return this.resource(e, lid, "AWS::Pipes::Pipe", p);
    }
    return undefined;
  }

  private pipeSourceParameters(e: TriggerEdge, source: TopoNode): JsonObject | undefined {
    const out: JsonObject = {};
    const s = this.mappingSettings({ ...e, enabled: true, filterCriteria: undefined }, source, "cfn");
    delete s.FunctionResponseTypes;
    delete s.ScalingConfig;
    if (s.DestinationConfig) {
      s.DeadLetterConfig = { Arn: (s.DestinationConfig as JsonObject & { OnFailure: JsonObject }).OnFailure.Destination };
      delete s.DestinationConfig;
    }
    if (e.filterCriteria) out.FilterCriteria = { Filters: e.filterCriteria.patterns.map((Pattern) => ({ Pattern })) };
    const key = source.kind === "queue" ? "SqsQueueParameters" : source.kind === "stream" ? "KinesisStreamParameters" : source.kind === "table" ? "DynamoDBStreamParameters" : undefined;
    if (key && Object.keys(s).length) out[key] = s;
    return Object.keys(out).length ? out : undefined;
  }

  private mappingProps(e: TriggerEdge, source: TopoNode, target: FunctionNode): JsonObject {
    const p: JsonObject = { FunctionName: this.refTo(target.id, "name") };
    if (source.kind === "kafka-topic") {
      if (source.cluster === "msk") p.EventSourceArn = this.kafkaCluster(source);
      else p.SelfManagedEventSource = { Endpoints: { KafkaBootstrapServers: [...source.bootstrapServers] } };
      p.Topics = [source.topic];
    } else p.EventSourceArn = this.refTo(source.id, source.kind === "table" ? "streamArn" : "arn");
    return { ...p, ...this.mappingSettings(e, source, "cfn") };
  }

  /** The consumer-lag trigger: a scheduled poller that invokes the target when the lag passes the threshold. */
  private poller(e: TriggerEdge, source: TopoNode, target: FunctionNode, lid: string): JsonObject {
    const interval = e.lagCheckIntervalSeconds ?? LIMITS.trigger.lagCheckIntervalSeconds.default;
    const env: JsonObject = {
      [LAG_TARGET_ENV]: this.refTo(target.id, "name"),
      LAG_THRESHOLD: String(e.lagThreshold ?? 0),
      LAG_CHECK_INTERVAL_SECONDS: String(interval),
    };
    if (e.lagThreshold === undefined) this.note(e.id, `the lag trigger ${source.name} → ${target.name} has no threshold; the poller uses 0 (wakes the function whenever anything is waiting)`);
    const statements: JsonObject[] = [];
    if (source.kind === "kafka-topic") {
      env.LAG_SOURCE_KIND = source.cluster === "msk" ? "msk" : "kafka";
      if (source.cluster === "msk") env.KAFKA_CLUSTER_ARN = this.kafkaCluster(source);
      else env.KAFKA_BOOTSTRAP_SERVERS = source.bootstrapServers.join(",");
      env.KAFKA_TOPIC = source.topic;
      if (e.consumerGroupId) env.KAFKA_CONSUMER_GROUP_ID = e.consumerGroupId;
      statements.push({ Effect: "Allow", Action: ["cloudwatch:GetMetricData"], Resource: "*" });
    } else if (source.kind === "stream") {
      env.LAG_SOURCE_KIND = "kinesis";
      env.KINESIS_STREAM_NAME = this.refTo(source.id, "name");
      statements.push({ Effect: "Allow", Action: ["cloudwatch:GetMetricData"], Resource: "*" });
    } else if (source.kind === "queue") {
      env.LAG_SOURCE_KIND = "sqs";
      env.SQS_QUEUE_URL = this.refTo(source.id, "url");
      statements.push({ Effect: "Allow", Action: ["sqs:GetQueueAttributes"], Resource: this.refTo(source.id, "arn") });
    }
    const p: JsonObject = {
      // Only round-trippable facts here (ids, topic, threshold): the importer recognises a poller by regenerating it.
      Description: truncate(`Consumer-lag trigger: invokes ${this.lid(target.id)} when the lag on ${source.kind === "kafka-topic" ? source.topic : this.lid(source.id) ?? source.name} passes ${e.lagThreshold ?? 0}`, 256),
      CodeUri: POLLER_CODE_URI,
      Handler: "poller.handler",
      Runtime: "nodejs22.x",
      MemorySize: 128,
      Timeout: 30,
      Architectures: ["arm64"],
      Environment: { Variables: env },
      Policies: [{ LambdaInvokePolicy: { FunctionName: this.refTo(target.id, "name") } }, { Statement: statements }],
      Events: { LagCheck: { Type: "Schedule", Properties: { Schedule: rateExpression(interval) } } },
    };
    if (interval % 60 !== 0) this.note(e.id, `EventBridge schedules run in whole minutes; the lag of ${source.name} is checked every ${Math.max(1, Math.ceil(interval / 60))} minute(s) instead of every ${interval} s`);
    const tags = this.tagMap(target);
    if (tags) p.Tags = tags;
    return this.resource(e, lid, "AWS::Serverless::Function", this.withoutGlobals(p));
  }

  // -------------------------------------------------------------------------------------------
  // Outputs (designed topologies)
  // -------------------------------------------------------------------------------------------

  private generateOutputs() {
    const routes = this.doc.nodes.filter((n): n is NodeOf<"http-route"> => n.kind === "http-route");
    const triggered = new Set(this.doc.edges.filter((e) => e.kind === "trigger").map((e) => e.source));
    if (routes.some((r) => r.api === "http" && triggered.has(r.id)))
      this.genOutputs.HttpApiUrl = { Description: "Base URL of the HTTP API", Value: { "Fn::Sub": `https://\${${this.explicitApis.has("http") ? "HttpApi" : "ServerlessHttpApi"}}.execute-api.\${AWS::Region}.\${AWS::URLSuffix}/` } };
    if (routes.some((r) => r.api === "rest" && triggered.has(r.id)))
      this.genOutputs.RestApiUrl = { Description: "Base URL of the REST API", Value: { "Fn::Sub": this.explicitApis.has("rest") ? "https://${RestApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/prod/" : "https://${ServerlessRestApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/Prod/" } };
    for (const n of this.doc.nodes) {
      if (Object.keys(this.genOutputs).length >= 200) break;
      const lid = this.lid(n.id);
      if (!lid) continue;
      const published = "published" in n && n.published;
      if (n.kind === "queue" && (published || this.dlqs.has(n.id))) this.genOutputs[`${lid}Url`] = { Description: `${n.name} (${this.dlqs.has(n.id) ? "dead-letter queue" : "published queue"})`, Value: ref(lid) };
      else if (published && (n.kind === "stream" || n.kind === "sns-topic" || n.kind === "event-bus" || n.kind === "table")) {
        const value = this.refTo(n.id, n.kind === "event-bus" ? "name" : "arn");
        if (value !== undefined) this.genOutputs[`${lid}${n.kind === "event-bus" ? "Name" : "Arn"}`] = { Description: `${n.name} (published)`, Value: value };
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------


/** Globals.Function: an imported template's own, or for a designed topology the settings every function shares. */
export function samGlobalsFunction(ir: Ir): JsonObject {
  const sam = ir.doc.iac?.sam;
  if (sam) return isPlainObject(sam.Globals) && isPlainObject(sam.Globals.Function) ? sam.Globals.Function : {};
  const fns = ir.doc.nodes.filter((n): n is FunctionNode => n.kind === "function" && !ir.isPlainLambda(n));
  if (fns.length < 2) return {};
  const out: JsonObject = {};
  const same = <T,>(f: (fn: FunctionNode) => T) => fns.every((fn) => deepEqual(f(fn), f(fns[0])));
  if (same((f) => f.runtime)) out.Runtime = fns[0].runtime;
  if (same((f) => f.architecture)) out.Architectures = [fns[0].architecture];
  if (same((f) => f.timeoutSeconds)) out.Timeout = fns[0].timeoutSeconds;
  if (same((f) => f.memoryMb)) out.MemorySize = fns[0].memoryMb;
  if (fns[0].logFormat === "JSON" && !fns[0].logGroupName && same((f) => [f.logFormat, f.logGroupName])) out.LoggingConfig = { LogFormat: "JSON" };
  return out;
}

export interface WiringVariable {
  name: string;
  targetId: string;
  attr: RefAttr;
}

/**
 * Environment variables naming what a function reads, writes, sends to or calls
 * (`ORDERS_TABLE_NAME`, `ORDER_EVENTS_QUEUE_URL`), skipped when the function already names the
 * target in a variable of its own. SAM and CDK exports write the same ones.
 */
export function wiringVariables(ir: Ir, fn: FunctionNode, globals: JsonObject = samGlobalsFunction(ir)): WiringVariable[] {
  const vars = (v: unknown) => (isPlainObject(v) && isPlainObject(v.Variables) ? v.Variables : {});
  const existing = { ...vars(globals.Environment), ...fn.environment, ...vars(extraProperties(fn).Environment) };
  const referenced = new Set<string>();
  for (const v of Object.values(existing)) collectRefs(v, referenced);
  const out: WiringVariable[] = [];
  const names = new Set<string>();
  for (const e of ir.outgoingByFunction.get(fn.id) ?? []) {
    const target = ir.idx.nodes.get(e.target);
    const lid = target && ir.logicalIds.get(target.id);
    if (!target || !lid || referenced.has(lid)) continue;
    const spec = WIRING[target.kind];
    if (!spec || refExpr(target, spec.attr, lid) === undefined) continue;
    const base = constantCase(lid);
    const name = base.endsWith(`_${spec.word}`) || base === spec.word ? `${base}_${spec.suffix}` : `${base}_${spec.word}_${spec.suffix}`;
    if (name in existing || names.has(name)) continue;
    names.add(name);
    out.push({ name, targetId: target.id, attr: spec.attr });
  }
  return out;
}

const WIRING: Partial<Record<TopoNode["kind"], { attr: RefAttr; word: string; suffix: string }>> = {
  queue: { attr: "url", word: "QUEUE", suffix: "URL" },
  stream: { attr: "name", word: "STREAM", suffix: "NAME" },
  table: { attr: "name", word: "TABLE", suffix: "NAME" },
  "sns-topic": { attr: "arn", word: "TOPIC", suffix: "ARN" },
  "event-bus": { attr: "name", word: "BUS", suffix: "NAME" },
  bucket: { attr: "name", word: "BUCKET", suffix: "NAME" },
  function: { attr: "name", word: "FUNCTION", suffix: "NAME" },
};

/**
 * A tag key or value AWS accepts (letters, digits, spaces and `_ . : / = + - @`, at most `max`
 * characters): comparison signs become words, anything else an underscore.
 * @example safeTag("ApproximateNumberOfMessagesVisible > 0", 256) // "ApproximateNumberOfMessagesVisible gt 0"
 */
export function safeTag(s: string, max: number): string {
  const out = s
    .replace(/>=/g, "ge")
    .replace(/<=/g, "le")
    .replace(/>/g, "gt")
    .replace(/</g, "lt")
    .replace(/[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu, "_");
  return out.slice(0, max);
}

/** `OrderEvents` → `ORDER_EVENTS`. */
export function constantCase(id: string): string {
  return id.replace(/([a-z0-9])([A-Z])/g, "$1_$2").replace(/([A-Z])([A-Z][a-z])/g, "$1_$2").toUpperCase();
}

function collectRefs(v: unknown, out: Set<string>) {
  const r = refOf(v);
  if (r) out.add(r.logicalId);
  if (Array.isArray(v)) for (const x of v) collectRefs(x, out);
  else if (isPlainObject(v)) {
    const sub = v["Fn::Sub"];
    const text = typeof sub === "string" ? sub : Array.isArray(sub) && typeof sub[0] === "string" ? sub[0] : undefined;
    if (text) for (const m of text.matchAll(/\$\{([A-Za-z0-9]+)(?:\.[A-Za-z0-9.]+)?\}/g)) out.add(m[1]);
    for (const k in v) collectRefs(v[k], out);
  }
}

/** The SAM policy template an access/produce/call edge needs, null when none is needed, undefined when none exists. */
export function policyFor(e: TopoEdge, target: TopoNode, refTo: (attr: RefAttr) => unknown): JsonObject | null | undefined {
  if (e.kind === "access") {
    const mode = e.mode === "read" ? "Read" : e.mode === "write" ? "Write" : "Crud";
    if (target.kind === "table") {
      const name = refTo("name");
      return name === undefined ? undefined : { [`DynamoDB${mode}Policy`]: { TableName: name } };
    }
    if (target.kind === "bucket") {
      const name = refTo("name");
      return name === undefined ? undefined : { [`S3${mode}Policy`]: { BucketName: name } };
    }
    return undefined;
  }
  if (e.kind === "produce") {
    const name = refTo("name");
    if (target.kind === "queue") return name === undefined ? undefined : { SQSSendMessagePolicy: { QueueName: name } };
    if (target.kind === "stream") return name === undefined ? undefined : { KinesisCrudPolicy: { StreamName: name } };
    if (target.kind === "sns-topic") return name === undefined ? undefined : { SNSPublishMessagePolicy: { TopicName: name } };
    if (target.kind === "event-bus") return name === undefined ? undefined : { EventBridgePutEventsPolicy: { EventBusName: name } };
    if (target.kind === "kafka-topic") return undefined;
    return null;
  }
  if (e.kind === "call") {
    const name = refTo("name");
    return name === undefined ? undefined : { LambdaInvokePolicy: { FunctionName: name } };
  }
  return null;
}

export function withSamTransform(t: unknown): unknown {
  if (t === undefined || t === null) return SAM_TRANSFORM;
  if (t === SAM_TRANSFORM) return t;
  if (typeof t === "string") return [t, SAM_TRANSFORM];
  if (Array.isArray(t)) return t.includes(SAM_TRANSFORM) ? t : [...t, SAM_TRANSFORM];
  return t;
}

/** `rate(1 minute)`, `rate(5 minutes)`, `rate(2 hours)` from seconds (whole minutes, at least one). */
export function rateExpression(seconds: number): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  if (minutes % 1440 === 0) return `rate(${minutes / 1440} day${minutes === 1440 ? "" : "s"})`;
  if (minutes % 60 === 0) return `rate(${minutes / 60} hour${minutes === 60 ? "" : "s"})`;
  return `rate(${minutes} minute${minutes === 1 ? "" : "s"})`;
}

function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

function parseJsonOr(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** `src/<function slug>/` for functions that name no code directory. */
export function defaultCodeUri(fn: FunctionNode): string {
  return `src/${fn.id.replace(/^fn-/, "")}/`;
}

export { containsIntrinsic, getAtt };
export type { CommentMap };

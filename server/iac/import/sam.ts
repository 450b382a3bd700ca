/**
 * SAM/CloudFormation import: template text → topology + report, losslessly.
 *
 * 1. parse (parse/template.ts): JSON value, comments, lines;
 * 2. map: resources and events the model understands become nodes and edges, taking only
 *    literal values the model can hold (contexts from Composer groups, `context` tags, or one
 *    context for the template);
 * 3. diff: generate the SAM of that model with the exporter's own generator and keep the
 *    difference with the source in `extras` / `@omit` (ir/overlay.ts), everything unmodelled in
 *    `iac.sam`, comments and resource order too — so exporting gives the template back;
 * 4. validate: every imported topology passes `validateTopology`; an edge or field it refuses
 *    is dropped from the model (and so kept verbatim) and reported.
 */
import { TopoError, type ErrorCode } from "../../errors";
import { TRIGGER_SETTINGS, checkConnection, type TRIGGER_SOURCES } from "../../model/graph";
import { makeEdgeId, makeId } from "../../model/ids";
import { RUNTIMES } from "../../model/limits";
import { AliasSchema, NodeSchema, EdgeSchema, ContextSchema, type Context, type TopoEdge, type TopoNode, type Topology, type TriggerEdge } from "../../model/schema";
import { formatPath, validateTopology } from "../../model/validate";
import { parseTemplate, type ParsedTemplate } from "../parse/template";
import { childPointer } from "../parse/template";
import { cloneJson, deepEqual, isPlainObject, refOf, type JsonObject } from "../parse/intrinsics";
import { applyOverlay, diffOverlay } from "../ir/overlay";
import { COMPOSER_GROUPS, CONTEXT_PALETTE, SAM_TRANSFORM, buildIr } from "../ir/build";
import { logicalIdBase } from "../ir/logical-ids";
import { generateSam, policyFor, LAG_TARGET_ENV, type SamGeneration } from "../emit/sam";
import { refExpr, type RefAttr } from "../emit/refs";
import { bool, humanize, int, num, obj, oneOf, str, stringMap, tagList } from "./read";
import { layoutImported } from "./layout";

export interface ImportOptions {
  /** Topology name; default: the template's Topograph metadata, then the file name. */
  name?: string;
  /** For messages and the default name. */
  fileName?: string;
}

export interface ImportEntry {
  /** JSON pointer in the template, e.g. `/Resources/Orders/Properties/Events/Api`. */
  pointer: string;
  line?: number;
  logicalId?: string;
  type?: string;
  message: string;
  code?: ErrorCode;
}

export interface ImportReport {
  file: string;
  format: "yaml" | "json";
  /** "sam" when the template has the SAM transform, "cloudformation" otherwise. */
  dialect: "sam" | "cloudformation";
  /** True when nothing in the template became a node: the template is kept verbatim (TOPO-E064). */
  nothingModelled: boolean;
  summary: string;
  counts: { resources: number; modelled: number; opaque: number; nodes: number; edges: number; contexts: number; comments: number };
  understood: ImportEntry[];
  opaque: ImportEntry[];
  failed: ImportEntry[];
  warnings: ImportEntry[];
}

export interface ImportResult {
  topology: Topology;
  report: ImportReport;
}

/**
 * @example importSam("Resources:\n  Jobs:\n    Type: AWS::SQS::Queue\n").topology.nodes[0].kind // "queue"
 */
export function importSam(input: string | Uint8Array, opts: ImportOptions = {}): ImportResult {
  const file = opts.fileName ?? "template";
  const parsed = parseTemplate(input, { fileName: file });
  return new Importer(parsed, opts, file).run();
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Draft = Mutable<TopoNode> & { extras?: Record<string, unknown> };
type DraftEdge = Mutable<TopoEdge> & { extras?: Record<string, unknown> };

/** Where a modelled element came from: the resource or event it must reproduce. */
interface Origin {
  pointer: string;
  /** The source resource (`{Type, Properties, …}`) or event (`{Type, Properties}`). */
  source: JsonObject;
  level: "resource" | "event";
}

const MODELLED_TYPES = new Set([
  "AWS::Serverless::Function",
  "AWS::Lambda::Function",
  "AWS::SQS::Queue",
  "AWS::Kinesis::Stream",
  "AWS::DynamoDB::Table",
  "AWS::Serverless::SimpleTable",
  "AWS::SNS::Topic",
  "AWS::Events::EventBus",
  "AWS::S3::Bucket",
  "AWS::Lambda::EventSourceMapping",
  "AWS::Scheduler::Schedule",
  "AWS::Events::Rule",
  "AWS::Pipes::Pipe",
]);

const RESOURCE_KEYS = new Set(["Type", "Properties"]);
const SCHEDULE = /^(rate|cron|at)\(.+\)$/;

class Importer {
  private readonly tpl: JsonObject;
  private readonly resources: JsonObject;
  private readonly globals: JsonObject;
  private readonly report: ImportReport;
  private readonly taken = new Set<string>();
  private readonly nodes: Draft[] = [];
  private readonly edges: DraftEdge[] = [];
  private readonly contexts: Context[] = [];
  private readonly byLogicalId = new Map<string, Draft>();
  private readonly refNodes = new Map<string, Draft>();
  private readonly origins = new Map<string, Origin>();
  /** Logical id → context id, from Composer groups or `context` tags. */
  private readonly membership = new Map<string, string>();
  private readonly storedGroups: JsonObject = {};
  private fallbackContext?: string;
  private readonly name: string;
  private readonly pollerCandidates = new Map<string, { edge: DraftEdge; fn: Draft }>();
  private modelChanged = false;

  constructor(
    private readonly parsed: ParsedTemplate,
    opts: ImportOptions,
    file: string,
  ) {
    this.tpl = parsed.value;
    this.resources = isPlainObject(this.tpl.Resources) ? this.tpl.Resources : {};
    const g = obj(this.tpl.Globals);
    this.globals = g && obj(g.Function) ? (g.Function as JsonObject) : {};
    const meta = obj(obj(this.tpl.Metadata)?.Topograph);
    this.name = (opts.name ?? str(meta?.Name) ?? nameFromFile(file)).trim().slice(0, 140) || "Imported template";
    const transform = this.tpl.Transform;
    this.report = {
      file,
      format: parsed.format,
      dialect: transform === SAM_TRANSFORM || (Array.isArray(transform) && transform.includes(SAM_TRANSFORM)) ? "sam" : "cloudformation",
      nothingModelled: false,
      summary: "",
      counts: { resources: Object.keys(this.resources).length, modelled: 0, opaque: 0, nodes: 0, edges: 0, contexts: 0, comments: Object.keys(parsed.comments).length },
      understood: [],
      opaque: [],
      failed: [],
      warnings: parsed.warnings.map((w) => ({ pointer: w.pointer, line: w.line, message: w.message })),
    };
  }

  private entry(pointer: string, message: string, extra: Partial<ImportEntry> = {}): ImportEntry {
    return { pointer, line: this.parsed.line(pointer), message, ...extra };
  }

  run(): ImportResult {
    this.readContexts();
    for (const [lid, r] of Object.entries(this.resources)) {
      const pointer = childPointer("/Resources", lid);
      const type = isPlainObject(r) ? str(r.Type) : undefined;
      if (!isPlainObject(r) || !type) {
        this.report.opaque.push(this.entry(pointer, "not a resource (no Type); kept verbatim", { logicalId: lid }));
        continue;
      }
      try {
        this.mapResource(lid, r, type, pointer);
      } catch (e) {
        if (e instanceof TopoError) throw e;
        this.report.failed.push(this.entry(pointer, `could not be read (${readableError(e)}); kept verbatim`, { logicalId: lid, type }));
        this.forget(lid);
      }
    }
    this.mapFunctionLinks();
    let topology = this.finish();
    topology = this.resolvePollers(topology);
    return { topology, report: this.finalReport(topology) };
  }

  // -------------------------------------------------------------------------------------------
  // Contexts
  // -------------------------------------------------------------------------------------------

  private readContexts() {
    const meta = obj(this.tpl.Metadata);
    const groups = obj(meta?.[COMPOSER_GROUPS]);
    const topo = obj(obj(meta?.Topograph)?.Contexts) ?? {};
    const add = (label: string, key?: string) => {
      const extra = (key && obj(topo[key])) || {};
      const ids = new Set(this.contexts.map((c) => c.id));
      const wanted = str(extra.Id);
      const id = wanted && !ids.has(wanted) && !this.taken.has(wanted) ? wanted : makeId("context", label, new Set([...ids, ...this.taken]));
      this.taken.add(id);
      const i = this.contexts.length;
      const c = ContextSchema.parse({
        id,
        name: label.slice(0, 140) || "Context",
        color: str(extra.Color) && /^#[0-9a-fA-F]{6}$/.test(str(extra.Color)!) ? extra.Color : CONTEXT_PALETTE[i % CONTEXT_PALETTE.length],
        ...(str(extra.Owner) ? { owner: extra.Owner } : {}),
        ...(str(extra.Description) ? { description: extra.Description } : {}),
      });
      this.contexts.push(c);
      return c.id;
    };
    if (groups) {
      for (const [key, raw] of Object.entries(groups)) {
        const g = obj(raw);
        const label = str(g?.Label)?.trim() || key;
        if (this.contexts.some((c) => c.name === label)) {
          this.storedGroups[key] = raw;
          continue;
        }
        const id = add(label, key);
        const members = Array.isArray(g?.Members) ? (g!.Members as unknown[]) : [];
        for (const m of members) if (typeof m === "string" && !this.membership.has(m)) this.membership.set(m, id);
        // Keep what the exporter would not write back by itself (verbatim group shape, other keys).
        this.storedGroups[key] = raw;
      }
      return;
    }
    for (const [lid, r] of Object.entries(this.resources)) {
      const props = obj(obj(r)?.Properties);
      const tags = props?.Tags;
      const value = Array.isArray(tags) ? tagList(tags)?.context : str(obj(tags)?.context);
      if (!value?.trim()) continue;
      let c = this.contexts.find((x) => x.name === value.trim());
      const id = c?.id ?? add(value.trim());
      this.membership.set(lid, id);
    }
  }

  private contextFor(lid: string): string | undefined {
    const c = this.membership.get(lid);
    if (c) return c;
    if (this.contexts.length && this.fallbackContext === undefined) return undefined;
    if (!this.contexts.length || this.fallbackContext) {
      if (!this.fallbackContext) {
        const c = ContextSchema.parse({ id: makeId("context", this.name, this.taken), name: this.name, color: CONTEXT_PALETTE[0] });
        this.taken.add(c.id);
        this.contexts.push(c);
        this.fallbackContext = c.id;
      }
      return this.fallbackContext;
    }
    return undefined;
  }

  // -------------------------------------------------------------------------------------------
  // Nodes
  // -------------------------------------------------------------------------------------------

  private addNode(kind: TopoNode["kind"], fields: Record<string, unknown>, lid: string | undefined, extras: Record<string, unknown> = {}): Draft {
    const name = String(fields.name ?? humanize(lid ?? kind)).slice(0, 140);
    const id = makeId(kind, name, this.taken);
    this.taken.add(id);
    const x: Record<string, unknown> = { ...extras };
    if (lid) x["@logicalId"] = lid;
    const node = NodeSchema.parse({ ...fields, id, kind, name, ...(Object.keys(x).length ? { extras: x } : {}) }) as Draft;
    this.nodes.push(node);
    if (lid) this.byLogicalId.set(lid, node);
    return node;
  }

  private forget(lid: string) {
    const n = this.byLogicalId.get(lid);
    if (!n) return;
    this.byLogicalId.delete(lid);
    this.nodes.splice(this.nodes.indexOf(n), 1);
    this.origins.delete(n.id);
  }

  private mapResource(lid: string, r: JsonObject, type: string, pointer: string) {
    if (!MODELLED_TYPES.has(type)) {
      this.report.opaque.push(this.entry(pointer, `${type} is not modelled; kept verbatim`, { logicalId: lid, type }));
      return;
    }
    const p = obj(r.Properties) ?? {};
    const contextId = this.contextFor(lid);
    const base = { ...(contextId ? { contextId } : {}) };
    const typeNote = (kind: string) => this.report.understood.push(this.entry(pointer, `${type} → ${kind}`, { logicalId: lid, type }));
    let node: Draft | undefined;
    switch (type) {
      case "AWS::Serverless::Function":
      case "AWS::Lambda::Function":
        node = this.addNode("function", { ...base, ...this.functionFields(p, type === "AWS::Serverless::Function") }, lid, type === "AWS::Lambda::Function" ? { "@type": type } : {});
        typeNote("function");
        break;
      case "AWS::SQS::Queue":
        node = this.addNode(
          "queue",
          {
            ...base,
            ...defined({
              fifo: bool(p.FifoQueue),
              contentBasedDeduplication: bool(p.FifoQueue) ? bool(p.ContentBasedDeduplication) : undefined,
              visibilityTimeoutSeconds: int(p.VisibilityTimeout),
              messageRetentionSeconds: int(p.MessageRetentionPeriod),
              delaySeconds: int(p.DelaySeconds),
              maxMessageSizeBytes: int(p.MaximumMessageSize),
              tags: this.tags(p.Tags),
            }),
          },
          lid,
        );
        typeNote("queue");
        break;
      case "AWS::Kinesis::Stream": {
        const onDemand = str(obj(p.StreamModeDetails)?.StreamMode) === "ON_DEMAND";
        node = this.addNode("stream", { ...base, ...defined({ mode: onDemand ? "on-demand" : "provisioned", shardCount: int(p.ShardCount), retentionHours: int(p.RetentionPeriodHours), tags: this.tags(p.Tags) }) }, lid);
        typeNote("stream");
        break;
      }
      case "AWS::DynamoDB::Table":
        node = this.addNode("table", { ...base, ...this.tableFields(p) }, lid);
        typeNote("table");
        break;
      case "AWS::Serverless::SimpleTable": {
        const pk = obj(p.PrimaryKey);
        const t = oneOf(pk?.Type, ["String", "Number", "Binary"] as const);
        node = this.addNode(
          "table",
          { ...base, ...defined({ partitionKey: str(pk?.Name) ? { name: pk!.Name, type: t ? t[0] : "S" } : undefined, billingMode: p.ProvisionedThroughput ? "PROVISIONED" : "PAY_PER_REQUEST", tags: this.tags(p.Tags) }) },
          lid,
          { "@type": type },
        );
        typeNote("table");
        break;
      }
      case "AWS::SNS::Topic":
        node = this.addNode("sns-topic", { ...base, ...defined({ fifo: bool(p.FifoTopic), tags: this.tags(p.Tags) }) }, lid);
        typeNote("SNS topic");
        break;
      case "AWS::Events::EventBus": {
        const name = str(p.Name);
        node = this.addNode("event-bus", { ...base, busName: name && name !== "default" ? name : lid, ...defined({ tags: this.tags(p.Tags) }) }, lid);
        typeNote("event bus");
        break;
      }
      case "AWS::S3::Bucket":
        node = this.addNode("bucket", { ...base, ...defined({ versioned: str(obj(p.VersioningConfiguration)?.Status) === "Enabled" ? true : undefined, tags: this.tags(p.Tags) }) }, lid);
        typeNote("bucket");
        break;
      default:
        // Mappings, schedules, rules and pipes join two nodes: read once every node exists.
        this.deferred.push({ lid, r, type, pointer });
        return;
    }
    if (node) this.origins.set(node.id, { pointer, source: r, level: "resource" });
  }

  private readonly deferred: { lid: string; r: JsonObject; type: string; pointer: string }[] = [];

  private tags(v: unknown): Record<string, string> | undefined {
    const t = Array.isArray(v) ? tagList(v) : obj(v) ? stringMap(v) : undefined;
    if (!t) return undefined;
    const { context: _ctx, ...rest } = t;
    void _ctx;
    return Object.keys(rest).length ? rest : undefined;
  }

  private functionFields(own: JsonObject, serverless: boolean): Record<string, unknown> {
    const g = serverless ? this.globals : {};
    const e = (k: string) => (k in own ? own[k] : g[k]);
    const env = { ...stringMap(obj(g.Environment)?.Variables), ...stringMap(obj(own.Environment)?.Variables) };
    const archs = e("Architectures");
    const arch = Array.isArray(archs) && archs.length === 1 ? oneOf(archs[0], ["x86_64", "arm64"] as const) : undefined;
    const layers = [...(Array.isArray(g.Layers) ? g.Layers : []), ...(Array.isArray(own.Layers) ? own.Layers : [])];
    const logging = obj(e("LoggingConfig"));
    const aliasName = serverless ? str(e("AutoPublishAlias")) : undefined;
    const pref = oneOf(obj(e("DeploymentPreference"))?.Type, AliasSchema.shape.deploymentPreference.unwrap().options);
    const code = serverless ? undefined : own.Code;
    const fields = defined({
      description: str(own.Description)?.slice(0, 4_000),
      handler: str(e("Handler")) || undefined,
      runtime: oneOf(e("Runtime"), RUNTIMES),
      codeUri: serverless ? str(own.CodeUri ?? g.CodeUri) : typeof code === "string" ? code : undefined,
      inlineSource: serverless ? str(own.InlineCode) : str(obj(code)?.ZipFile),
      memoryMb: int(e("MemorySize")),
      timeoutSeconds: int(e("Timeout")),
      architecture: arch,
      ephemeralStorageMb: int(obj(e("EphemeralStorage"))?.Size),
      environment: Object.keys(env).length ? env : undefined,
      layers: layers.length && layers.every((l) => typeof l === "string" && l.length > 0) ? layers : undefined,
      reservedConcurrency: int(e("ReservedConcurrentExecutions")),
      provisionedConcurrency: serverless ? int(obj(e("ProvisionedConcurrencyConfig"))?.ProvisionedConcurrentExecutions) : undefined,
      snapStart: str(obj(e("SnapStart"))?.ApplyOn) === "PublishedVersions" ? true : undefined,
      logFormat: oneOf(logging?.LogFormat, ["Text", "JSON"] as const),
      logGroupName: str(logging?.LogGroup),
      alias: aliasName && aliasName.length <= 128 ? { name: aliasName, versions: [{ version: "1", weight: 1 }], ...(pref ? { deploymentPreference: pref } : {}) } : undefined,
      tags: this.tags(serverless ? { ...(obj(g.Tags) ?? {}), ...(obj(own.Tags) ?? {}) } : own.Tags),
    });
    return fields;
  }

  private tableFields(p: JsonObject): Record<string, unknown> {
    const attrs = Array.isArray(p.AttributeDefinitions) ? p.AttributeDefinitions.map(obj) : [];
    const typeOf = (name: string) => oneOf(attrs.find((a) => a?.AttributeName === name)?.AttributeType, ["S", "N", "B"] as const);
    const keys = Array.isArray(p.KeySchema) ? p.KeySchema.map(obj) : [];
    const hash = keys.find((k) => k?.KeyType === "HASH");
    const range = keys.find((k) => k?.KeyType === "RANGE");
    const key = (k: JsonObject | undefined) => {
      const name = str(k?.AttributeName);
      const type = name ? typeOf(name) : undefined;
      return name && type ? { name, type } : undefined;
    };
    const view = oneOf(obj(p.StreamSpecification)?.StreamViewType, ["NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES", "KEYS_ONLY"] as const);
    const billing = oneOf(p.BillingMode, ["PAY_PER_REQUEST", "PROVISIONED"] as const) ?? (p.ProvisionedThroughput ? "PROVISIONED" : undefined);
    return defined({ partitionKey: key(hash), sortKey: key(range), billingMode: billing, stream: view ? { viewType: view } : undefined, tags: this.tags(p.Tags) });
  }

  // -------------------------------------------------------------------------------------------
  // References
  // -------------------------------------------------------------------------------------------

  /** The node an expression points at: a modelled node when it is exactly how the exporter would point at it, else a referenced node. */
  private resolve(expr: unknown, kinds: readonly TopoNode["kind"][], attr: RefAttr, name?: string): Draft | undefined {
    if (expr === undefined || expr === null) return undefined;
    const r = refOf(expr);
    if (r) {
      const n = this.byLogicalId.get(r.logicalId);
      if (n && kinds.includes(n.kind) && deepEqual(refExpr(n as TopoNode, attr, r.logicalId), expr)) return n;
      if (n) return undefined;
    }
    return this.referenced(kinds[0], attr, expr, name);
  }

  private referenced(kind: TopoNode["kind"], attr: RefAttr | "cluster", expr: unknown, name?: string, fields: Record<string, unknown> = {}): Draft | undefined {
    if (kind === "function" || kind === "http-route" || kind === "schedule" || kind === "data-store" || kind === "external") return undefined;
    const key = `${kind}|${attr}|${JSON.stringify(expr)}|${JSON.stringify(fields)}`;
    const existing = this.refNodes.get(key);
    if (existing) return existing;
    const n = this.addNode(kind, { name: name ?? refName(expr, kind), ...fields }, undefined, { "@ref": { [attr]: cloneJson(expr) } });
    this.refNodes.set(key, n);
    return n;
  }

  private nodeOf(lid: string | undefined): Draft | undefined {
    return lid ? this.byLogicalId.get(lid) : undefined;
  }

  // -------------------------------------------------------------------------------------------
  // Edges
  // -------------------------------------------------------------------------------------------

  private addEdge(fields: Record<string, unknown> & { kind: TopoEdge["kind"]; source: string; target: string }, extras: Record<string, unknown> = {}): DraftEdge | undefined {
    const id = makeEdgeId(fields.source, fields.target, this.taken);
    const edge = EdgeSchema.safeParse({ ...fields, id, ...(Object.keys(extras).length ? { extras } : {}) });
    if (!edge.success) return undefined;
    const source = this.nodes.find((n) => n.id === fields.source) as TopoNode | undefined;
    const target = this.nodes.find((n) => n.id === fields.target) as TopoNode | undefined;
    if (!source || !target) return undefined;
    const check = checkConnection(source, target, fields.kind, fields.kind === "trigger" ? ((fields.type as TriggerEdge["type"]) ?? "event") : undefined);
    if (!check.ok) return undefined;
    this.taken.add(id);
    this.edges.push(edge.data as DraftEdge);
    return edge.data as DraftEdge;
  }

  /** Function-level links: events, policies, DLQs, destinations, redrives, mappings, schedules, pollers. */
  private mapFunctionLinks() {
    for (const n of [...this.nodes]) {
      const lid = n.extras?.["@logicalId"];
      if (typeof lid !== "string") continue;
      const r = obj(this.resources[lid]);
      const p = obj(r?.Properties) ?? {};
      const pointer = childPointer("/Resources", lid);
      if (n.kind === "queue") {
        const rp = obj(p.RedrivePolicy);
        const dlq = rp ? this.resolve(rp.deadLetterTargetArn, ["queue"], "arn") : undefined;
        const max = int(rp?.maxReceiveCount);
        if (dlq && max !== undefined && dlq.kind === "queue" && dlq.id !== n.id && dlq.fifo === n.fifo) n.redrive = { deadLetterQueueId: dlq.id, maxReceiveCount: max };
      }
      if (n.kind !== "function") continue;
      const serverless = r?.Type === "AWS::Serverless::Function";
      const e = (k: string) => (k in p ? p[k] : serverless ? this.globals[k] : undefined);
      // Async DLQ and destinations.
      const dlq = serverless ? obj(e("DeadLetterQueue")) : obj(p.DeadLetterConfig);
      if (dlq) {
        const type = serverless ? str(dlq.Type) : undefined;
        const target = serverless ? (type === "SNS" ? this.resolve(dlq.TargetArn, ["sns-topic"], "arn") : type === "SQS" ? this.resolve(dlq.TargetArn, ["queue"], "arn") : undefined) : this.resolve(dlq.TargetArn, ["queue"], "arn") ?? undefined;
        if (target && (target.kind === "queue" ? !target.fifo : true)) n.deadLetterQueueId = target.id;
      }
      const eic = serverless ? obj(e("EventInvokeConfig")) : undefined;
      if (eic) {
        const dest = obj(eic.DestinationConfig);
        const d = (x: unknown) => {
          const o = obj(x);
          const kind = { SQS: "queue", SNS: "sns-topic", EventBridge: "event-bus", Lambda: "function" }[str(o?.Type) ?? ""] as TopoNode["kind"] | undefined;
          if (!o || !kind) return undefined;
          const t = this.resolve(o.Destination, [kind], "arn");
          return t && !(t.kind === "queue" && t.fifo) ? t.id : undefined;
        };
        n.asyncInvoke = {
          maximumRetryAttempts: int(eic.MaximumRetryAttempts) ?? 2,
          maximumEventAgeSeconds: int(eic.MaximumEventAgeInSeconds) ?? 21_600,
          ...defined({ onSuccessDestinationId: d(dest?.OnSuccess), onFailureDestinationId: d(dest?.OnFailure) }),
        };
      }
      if (!serverless) continue;
      // Events.
      const events = obj(p.Events);
      if (events)
        for (const [name, ev] of Object.entries(events)) {
          const evPointer = childPointer(childPointer(childPointer(pointer, "Properties"), "Events"), name);
          try {
            this.mapEvent(n, lid, name, obj(ev), evPointer);
          } catch (err) {
            // e.g. an Api path longer than the model allows: the event stays in the function's extras.
            if (err instanceof TopoError) throw err;
            this.report.failed.push(this.entry(evPointer, `event "${name}" could not be read (${readableError(err)}); kept verbatim`, { logicalId: lid }));
          }
        }
      // Policies → access, produce and call edges.
      const policies = e("Policies");
      if (Array.isArray(policies)) for (const item of policies) this.mapPolicy(n, item);
      // A consumer-lag poller this exporter wrote?
      const vars = obj(obj(p.Environment)?.Variables);
      if (vars && LAG_TARGET_ENV in vars) this.mapPoller(n, lid, vars);
    }
    for (const d of this.deferred) {
      try {
        if (!this.mapLinkResource(d.lid, d.r, d.type, d.pointer)) this.report.opaque.push(this.entry(d.pointer, `${d.type} does not join two modelled elements in a way the model can hold; kept verbatim`, { logicalId: d.lid, type: d.type }));
      } catch (err) {
        this.report.failed.push(this.entry(d.pointer, `could not be read (${readableError(err)}); kept verbatim`, { logicalId: d.lid, type: d.type }));
      }
    }
  }

  private mapEvent(fn: Draft, fnLid: string, name: string, ev: JsonObject | undefined, pointer: string) {
    const type = str(ev?.Type);
    const p = obj(ev?.Properties) ?? {};
    if (!ev || !type) return;
    let source: Draft | undefined;
    const ctx = fn.contextId ? { contextId: fn.contextId } : {};
    switch (type) {
      case "SQS":
        source = this.resolve(p.Queue, ["queue"], "arn");
        break;
      case "Kinesis":
        source = this.resolve(p.Stream, ["stream"], "arn");
        break;
      case "DynamoDB":
        source = this.resolve(p.Stream, ["table"], "streamArn", undefined);
        if (source?.kind === "table" && !source.stream && source.extras?.["@ref"]) (source as { stream?: unknown }).stream = { viewType: "NEW_AND_OLD_IMAGES" };
        break;
      case "MSK": {
        const topic = topicOf(p.Topics);
        if (!topic || p.Stream === undefined) break;
        const arn = str(p.Stream);
        source = this.referenced("kafka-topic", "cluster", arn === undefined ? p.Stream : null, topic, { topic, cluster: "msk", ...(arn ? { clusterArn: arn } : {}) });
        if (source && arn) delete (source.extras as Record<string, unknown>)["@ref"];
        break;
      }
      case "SelfManagedKafka": {
        const topic = topicOf(p.Topics);
        const servers = p.KafkaBootstrapServers;
        if (!topic || !Array.isArray(servers) || !servers.every((s) => typeof s === "string" && s)) break;
        source = this.referenced("kafka-topic", "cluster", null, topic, { topic, cluster: "self-managed", bootstrapServers: servers });
        if (source) delete (source.extras as Record<string, unknown>)["@ref"];
        break;
      }
      case "SNS":
        source = this.resolve(p.Topic, ["sns-topic"], "arn");
        break;
      case "EventBridgeRule": {
        const busName = p.EventBusName;
        if (busName === undefined || busName === "default") source = this.defaultBus();
        else source = this.resolve(busName, ["event-bus"], "name");
        break;
      }
      case "Schedule":
      case "ScheduleV2": {
        const expr = str(type === "Schedule" ? p.Schedule : p.ScheduleExpression);
        if (!expr || !SCHEDULE.test(expr)) break;
        const enabled = type === "Schedule" ? bool(p.Enabled) : str(p.State) === "DISABLED" ? false : undefined;
        source = this.addNode("schedule", { ...ctx, name: humanize(name), expression: expr, scheduler: type === "Schedule" ? "rule" : "scheduler", ...defined({ enabled, timezone: type === "ScheduleV2" ? str(p.ScheduleExpressionTimezone) : undefined }) }, undefined);
        break;
      }
      case "S3": {
        const r = refOf(p.Bucket);
        const b = this.nodeOf(r && !r.attribute ? r.logicalId : undefined);
        source = b?.kind === "bucket" ? b : undefined;
        break;
      }
      case "Api":
      case "HttpApi": {
        const path = str(p.Path) ?? (type === "HttpApi" && p.Path === undefined ? "/" : undefined);
        const m = str(p.Method)?.toUpperCase() ?? (type === "HttpApi" && p.Method === undefined ? "ANY" : undefined);
        const method = oneOf(m, ["ANY", "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const);
        if (!path || !path.startsWith("/") || !method) break;
        const auth = obj(p.Auth);
        const routeAuth = type === "Api" ? (str(auth?.Authorizer) === "AWS_IAM" && Object.keys(auth!).length === 1 ? "iam" : auth?.ApiKeyRequired === true && Object.keys(auth!).length === 1 ? "api-key" : undefined) : undefined;
        source = this.addNode("http-route", { ...ctx, name: `${method} ${path}`, api: type === "Api" ? "rest" : "http", method, path, ...defined({ auth: routeAuth }) }, undefined);
        break;
      }
      default:
        return;
    }
    if (!source) {
      this.report.failed.push(this.entry(pointer, `${type} event "${name}": its source is not something the model can point at; kept verbatim on the function`, { logicalId: fnLid, type }));
      return;
    }
    const settings = this.triggerSettings(p, type, source);
    const edge = this.addEdge({ kind: "trigger", source: source.id, target: fn.id, ...settings }, { "@eventName": name });
    if (!edge) {
      this.report.failed.push(this.entry(pointer, `${type} event "${name}" cannot be drawn as a trigger; kept verbatim on the function`, { logicalId: fnLid, type }));
      return;
    }
    this.origins.set(edge.id, { pointer, source: ev, level: "event" });
    this.report.understood.push(this.entry(pointer, `${type} event "${name}" → trigger from ${source.name}`, { logicalId: fnLid, type }));
  }

  private defaultBus(): Draft {
    const existing = this.nodes.find((n) => n.kind === "event-bus" && n.busName === "default" && !n.extras?.["@logicalId"]);
    return existing ?? this.addNode("event-bus", { name: "Default event bus", busName: "default" }, undefined);
  }

  /** Event/mapping settings the model holds, limited to those that apply to the source kind. */
  private triggerSettings(p: JsonObject, type: string, source: Draft): Record<string, unknown> {
    const ts = num(p.StartingPositionTimestamp);
    const failure = obj(obj(p.DestinationConfig)?.OnFailure);
    const onFailure = failure ? this.resolve(failure.Destination, ["queue", "sns-topic", "bucket"].filter((k) => !failure.Type || k === { SQS: "queue", SNS: "sns-topic", S3: "bucket" }[str(failure.Type) ?? ""]) as TopoNode["kind"][], "arn") : undefined;
    const filters = obj(p.FilterCriteria)?.Filters;
    const patterns = Array.isArray(filters) ? filters.map((f) => str(obj(f)?.Pattern)) : [];
    const frt = p.FunctionResponseTypes;
    const kafkaGroup = str(p.ConsumerGroupId) ?? str(obj(p.AmazonManagedKafkaEventSourceConfig)?.ConsumerGroupId) ?? str(obj(p.SelfManagedKafkaEventSourceConfig)?.ConsumerGroupId);
    const pattern = type === "EventBridgeRule" ? p.Pattern : p.EventPattern;
    const s3 = obj(obj(p.Filter)?.S3Key)?.Rules;
    const rules = Array.isArray(s3) ? s3.map(obj) : undefined;
    const s3Filter = rules && rules.every((r) => r && /^(prefix|suffix)$/.test(str(r.Name) ?? "") && typeof r.Value === "string") ? Object.fromEntries(rules.map((r) => [r!.Name, r!.Value])) : undefined;
    const s3Events = typeof p.Events === "string" ? [p.Events] : Array.isArray(p.Events) && p.Events.every((x) => typeof x === "string") ? p.Events : undefined;
    const all: Record<string, unknown> = defined({
      batchSize: int(p.BatchSize),
      maximumBatchingWindowSeconds: num(p.MaximumBatchingWindowInSeconds),
      startingPosition: oneOf(p.StartingPosition, ["TRIM_HORIZON", "LATEST", "AT_TIMESTAMP"] as const),
      startingPositionTimestamp: ts !== undefined && Number.isFinite(ts) && Math.abs(ts) < 1e11 ? new Date(ts * 1000).toISOString() : undefined,
      parallelizationFactor: int(p.ParallelizationFactor),
      bisectBatchOnFunctionError: bool(p.BisectBatchOnFunctionError),
      maximumRetryAttempts: int(p.MaximumRetryAttempts),
      maximumRecordAgeSeconds: int(p.MaximumRecordAgeInSeconds),
      tumblingWindowSeconds: int(p.TumblingWindowInSeconds),
      onFailureDestinationId: onFailure?.id,
      reportBatchItemFailures: Array.isArray(frt) && frt.length === 1 && frt[0] === "ReportBatchItemFailures" ? true : undefined,
      maximumConcurrency: int(obj(p.ScalingConfig)?.MaximumConcurrency),
      filterCriteria: patterns.length && patterns.every((x) => x && x.length >= 2) ? { patterns } : undefined,
      consumerGroupId: kafkaGroup && kafkaGroup.length <= 200 ? kafkaGroup : undefined,
      snsFilterPolicy: obj(p.FilterPolicy) ? JSON.stringify(p.FilterPolicy) : undefined,
      eventPattern: obj(pattern) ? JSON.stringify(pattern) : undefined,
      input: str(p.Input),
      s3Events: s3Events && s3Events.every((x: string) => x.startsWith("s3:")) ? s3Events : undefined,
      s3Filter,
    });
    if (p.Enabled === false || str(p.State) === "DISABLED") all.enabled = false;
    const allowed = new Set<string>(TRIGGER_SETTINGS[source.kind as (typeof TRIGGER_SOURCES)[number]] ?? []);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(all)) if (allowed.has(k) || k === "enabled") out[k] = v;
    return out;
  }

  private mapPolicy(fn: Draft, item: unknown) {
    const o = obj(item);
    if (!o || Object.keys(o).length !== 1) return;
    const [template, params] = Object.entries(o)[0];
    const param = obj(params);
    if (!param || Object.keys(param).length !== 1) return;
    const value = Object.values(param)[0];
    const r = refOf(value);
    const target = this.nodeOf(r?.logicalId);
    if (!target) return;
    let fields: Record<string, unknown> | undefined;
    const m = /^(DynamoDB|S3)(Read|Write|Crud)Policy$/.exec(template);
    if (m && ((m[1] === "DynamoDB" && target.kind === "table") || (m[1] === "S3" && target.kind === "bucket"))) fields = { kind: "access", mode: m[2] === "Read" ? "read" : m[2] === "Write" ? "write" : "read-write" };
    else if (template === "LambdaInvokePolicy" && target.kind === "function") fields = { kind: "call", mode: "sync" };
    else if (/^(SQSSendMessage|KinesisCrud|SNSPublishMessage|EventBridgePutEvents)Policy$/.test(template)) fields = { kind: "produce" };
    if (!fields) return;
    // Only when the exporter would write exactly this item back.
    const probe = { ...fields, id: "probe", source: fn.id, target: target.id } as TopoEdge;
    const expected = policyFor(probe, target as TopoNode, (attr) => refExpr(target as TopoNode, attr, r!.logicalId));
    if (!expected || !deepEqual(expected, o)) return;
    if (this.edges.some((e) => e.kind === fields!.kind && e.source === fn.id && e.target === target.id)) return;
    const edge = this.addEdge({ ...(fields as { kind: TopoEdge["kind"] }), source: fn.id, target: target.id });
    const lid = fn.extras?.["@logicalId"] as string;
    if (edge) this.report.understood.push(this.entry(childPointer(childPointer(childPointer("/Resources", lid), "Properties"), "Policies"), `${template} → ${fields.kind} edge to ${target.name}`, { logicalId: lid }));
  }

  private mapPoller(fn: Draft, lid: string, vars: JsonObject) {
    const targetRef = refOf(vars[LAG_TARGET_ENV]);
    const target = this.nodeOf(targetRef && !targetRef.attribute ? targetRef.logicalId : undefined);
    if (!target || target.kind !== "function") return;
    let source: Draft | undefined;
    const kind = str(vars.LAG_SOURCE_KIND);
    if (kind === "msk" || kind === "kafka") {
      const topic = str(vars.KAFKA_TOPIC);
      if (!topic) return;
      const cluster = vars.KAFKA_CLUSTER_ARN;
      source =
        kind === "msk"
          ? this.nodes.find((n) => n.kind === "kafka-topic" && n.topic === topic && n.cluster === "msk" && (typeof cluster === "string" ? n.clusterArn === cluster : deepEqual(n.extras?.["@ref"], { cluster })))
          : this.nodes.find((n) => n.kind === "kafka-topic" && n.topic === topic && n.cluster === "self-managed" && n.bootstrapServers.join(",") === vars.KAFKA_BOOTSTRAP_SERVERS);
      if (!source && kind === "msk" && cluster !== undefined) {
        const arn = str(cluster);
        source = this.referenced("kafka-topic", "cluster", arn === undefined ? cluster : null, topic, { topic, cluster: "msk", ...(arn ? { clusterArn: arn } : {}) });
        if (source && arn) delete (source.extras as Record<string, unknown>)["@ref"];
      }
    } else if (kind === "kinesis") source = this.resolve(vars.KINESIS_STREAM_NAME, ["stream"], "name");
    else if (kind === "sqs") source = this.resolve(vars.SQS_QUEUE_URL, ["queue"], "url");
    if (!source) return;
    const threshold = Number(vars.LAG_THRESHOLD);
    const interval = Number(vars.LAG_CHECK_INTERVAL_SECONDS);
    const edge = this.addEdge(
      {
        kind: "trigger",
        type: "consumer-lag",
        source: source.id,
        target: target.id,
        ...defined({
          lagThreshold: Number.isInteger(threshold) ? threshold : undefined,
          lagCheckIntervalSeconds: Number.isInteger(interval) ? interval : undefined,
          consumerGroupId: source.kind === "kafka-topic" ? str(vars.KAFKA_CONSUMER_GROUP_ID) : undefined,
        }),
      },
      { "@logicalId": lid },
    );
    if (edge) this.pollerCandidates.set(edge.id, { edge, fn });
  }

  /** Mappings, scheduler schedules, rules and pipes: an edge (and for schedules a node) when they join modelled elements. */
  private mapLinkResource(lid: string, r: JsonObject, type: string, pointer: string): boolean {
    const p = obj(r.Properties) ?? {};
    const fnOf = (v: unknown, attr: RefAttr) => {
      const ref = refOf(v);
      const n = this.nodeOf(ref?.logicalId);
      return n?.kind === "function" && deepEqual(refExpr(n as TopoNode, attr, ref!.logicalId), v) ? n : undefined;
    };
    const ctx = (fn: Draft) => (fn.contextId ? { contextId: fn.contextId } : {});
    let edge: DraftEdge | undefined;
    if (type === "AWS::Lambda::EventSourceMapping") {
      const fn = fnOf(p.FunctionName, "name");
      if (!fn) return false;
      let source: Draft | undefined;
      const topic = topicOf(p.Topics);
      if (topic && p.EventSourceArn !== undefined) {
        const arn = str(p.EventSourceArn);
        source = this.referenced("kafka-topic", "cluster", arn === undefined ? p.EventSourceArn : null, topic, { topic, cluster: "msk", ...(arn ? { clusterArn: arn } : {}) });
        if (source && arn) delete (source.extras as Record<string, unknown>)["@ref"];
      } else if (topic && obj(p.SelfManagedEventSource)) {
        const servers = obj(obj(p.SelfManagedEventSource)?.Endpoints)?.KafkaBootstrapServers;
        if (Array.isArray(servers) && servers.every((s) => typeof s === "string" && s)) {
          source = this.referenced("kafka-topic", "cluster", null, topic, { topic, cluster: "self-managed", bootstrapServers: servers });
          if (source) delete (source.extras as Record<string, unknown>)["@ref"];
        }
      } else {
        const ref = refOf(p.EventSourceArn);
        const n = this.nodeOf(ref?.logicalId);
        if (n && (n.kind === "queue" || n.kind === "stream") && deepEqual(refExpr(n as TopoNode, "arn", ref!.logicalId), p.EventSourceArn)) source = n;
        else if (n && n.kind === "table" && deepEqual(refExpr(n as TopoNode, "streamArn", ref!.logicalId), p.EventSourceArn)) source = n;
        else if (!n) {
          const arn = str(p.EventSourceArn) ?? "";
          const kind = /^arn:[^:]+:sqs:/.test(arn) ? "queue" : /^arn:[^:]+:kinesis:/.test(arn) ? "stream" : /^arn:[^:]+:dynamodb:.*\/stream\//.test(arn) ? "table" : undefined;
          if (kind) source = this.referenced(kind, kind === "table" ? "streamArn" : "arn", p.EventSourceArn, undefined, kind === "table" ? { stream: { viewType: "NEW_AND_OLD_IMAGES" } } : {});
        }
      }
      if (!source) return false;
      edge = this.addEdge({ kind: "trigger", source: source.id, target: fn.id, ...this.triggerSettings(p, type, source) }, { "@logicalId": lid, "@type": type });
    } else if (type === "AWS::Scheduler::Schedule" || (type === "AWS::Events::Rule" && p.ScheduleExpression !== undefined)) {
      const target = type === "AWS::Scheduler::Schedule" ? obj(p.Target) : Array.isArray(p.Targets) && p.Targets.length === 1 ? obj(p.Targets[0]) : undefined;
      const fn = target ? fnOf(target.Arn, "arn") : undefined;
      const expr = str(p.ScheduleExpression);
      if (!fn || !expr || !SCHEDULE.test(expr)) return false;
      const state = str(p.State);
      const schedule = this.addNode(
        "schedule",
        { ...ctx(fn), name: humanize(lid), expression: expr, scheduler: type === "AWS::Scheduler::Schedule" ? "scheduler" : "rule", ...defined({ enabled: state === "DISABLED" ? false : undefined, timezone: str(p.ScheduleExpressionTimezone) }) },
        lid,
        { "@type": type },
      );
      this.origins.set(schedule.id, { pointer, source: r, level: "resource" });
      edge = this.addEdge({ kind: "trigger", source: schedule.id, target: fn.id, ...defined({ input: str(target!.Input) }) });
      if (!edge) {
        this.forget(lid);
        return false;
      }
      this.report.understood.push(this.entry(pointer, `${type} → schedule ${schedule.name} triggering ${fn.name}`, { logicalId: lid, type }));
      return true;
    } else if (type === "AWS::Events::Rule") {
      const targets = Array.isArray(p.Targets) && p.Targets.length === 1 ? obj(p.Targets[0]) : undefined;
      const fn = targets ? fnOf(targets.Arn, "arn") : undefined;
      if (!fn || !obj(p.EventPattern)) return false;
      const bus = p.EventBusName === undefined ? this.defaultBus() : this.resolve(p.EventBusName, ["event-bus"], "name");
      if (!bus) return false;
      edge = this.addEdge({ kind: "trigger", source: bus.id, target: fn.id, ...this.triggerSettings({ ...p, Input: targets!.Input }, type, bus) }, { "@logicalId": lid, "@type": type });
    } else if (type === "AWS::Pipes::Pipe") {
      const fn = fnOf(p.Target, "arn");
      const src = refOf(p.Source);
      const n = this.nodeOf(src?.logicalId);
      if (!fn || !n) return false;
      const attr: RefAttr = n.kind === "table" ? "streamArn" : "arn";
      if (!["queue", "stream", "table"].includes(n.kind) || !deepEqual(refExpr(n as TopoNode, attr, src!.logicalId), p.Source)) return false;
      const sp = obj(p.SourceParameters) ?? {};
      const inner = obj(sp.SqsQueueParameters) ?? obj(sp.KinesisStreamParameters) ?? obj(sp.DynamoDBStreamParameters) ?? {};
      const dlq = obj(inner.DeadLetterConfig);
      const settings = this.triggerSettings({ ...inner, FilterCriteria: sp.FilterCriteria, ...(dlq ? { DestinationConfig: { OnFailure: { Destination: dlq.Arn } } } : {}) }, type, n);
      edge = this.addEdge({ kind: "trigger", source: n.id, target: fn.id, ...settings, ...(str(p.DesiredState) === "STOPPED" ? { enabled: false } : {}) }, { "@logicalId": lid, "@type": type });
    }
    if (!edge) return false;
    this.origins.set(edge.id, { pointer, source: r, level: "resource" });
    this.report.understood.push(this.entry(pointer, `${type} → trigger`, { logicalId: lid, type }));
    return true;
  }

  // -------------------------------------------------------------------------------------------
  // Finish: diff against the source, passthrough, validation
  // -------------------------------------------------------------------------------------------

  private assemble(extrasOf: Map<string, Record<string, unknown>>): Topology {
    const withExtras = <T extends { id: string; extras?: Record<string, unknown> }>(el: T): T => {
      const x = { ...(el.extras ?? {}), ...(extrasOf.get(el.id) ?? {}) };
      const out = { ...el };
      if (Object.keys(x).length) out.extras = x;
      else delete out.extras;
      return out;
    };
    return {
      schemaVersion: 1,
      name: this.name,
      ...(typeof this.tpl.Description === "string" && this.tpl.Description.length <= 20_000 ? { description: this.tpl.Description } : {}),
      contexts: this.contexts,
      nodes: this.nodes.map((n) => withExtras(n as TopoNode)),
      edges: this.edges.map((e) => withExtras(e as TopoEdge)),
      iac: { sam: this.passthrough() },
    };
  }

  /** Sections and resources the model does not hold, verbatim, plus order and comments. */
  private passthrough(): JsonObject {
    const sam: JsonObject = {};
    const t = this.tpl;
    for (const [k, v] of Object.entries(t)) {
      if (k === "Resources") continue;
      if (k === "AWSTemplateFormatVersion" && v === "2010-09-09") continue;
      if (k === "Transform") {
        if (v === SAM_TRANSFORM || v === null || (Array.isArray(v) && v.length === 0)) continue;
        if (Array.isArray(v)) {
          // The exporter appends the SAM transform; keep the others (one of them as itself, so the record is a fixed point).
          const rest = v.filter((x) => x !== SAM_TRANSFORM);
          if (rest.length) sam.Transform = rest.length === 1 ? rest[0] : rest;
          continue;
        }
      }
      if (k === "Description" && typeof v === "string" && v.length <= 20_000) continue;
      if (k === "Metadata" && isPlainObject(v)) {
        const m: JsonObject = { ...v };
        delete m.Topograph;
        delete m[COMPOSER_GROUPS];
        const groups = this.keptGroups();
        if (groups) m[COMPOSER_GROUPS] = groups;
        if (Object.keys(m).length) sam.Metadata = m;
        continue;
      }
      sam[k] = v;
    }
    const modelled = new Set<string>();
    for (const el of [...this.nodes, ...this.edges]) {
      const lid = el.extras?.["@logicalId"];
      if (typeof lid === "string") modelled.add(lid);
    }
    const opaque: JsonObject = {};
    for (const [lid, r] of Object.entries(this.resources)) if (!modelled.has(lid)) opaque[lid] = r;
    if (Object.keys(opaque).length) sam.Resources = opaque;
    sam["@order"] = Object.keys(this.resources);
    if (Object.keys(this.parsed.comments).length) sam["@comments"] = this.parsed.comments;
    return sam;
  }

  /** Composer groups as stored: only what the exporter would not regenerate (passthrough members, other keys, unmatched groups). */
  private keptGroups(): JsonObject | undefined {
    const modelled = new Set<string>();
    for (const el of [...this.nodes, ...this.edges]) {
      const lid = el.extras?.["@logicalId"];
      if (typeof lid === "string") modelled.add(lid);
    }
    const out: JsonObject = {};
    for (const [key, raw] of Object.entries(this.storedGroups)) {
      const g = obj(raw);
      if (!g) {
        out[key] = raw;
        continue;
      }
      const kept = { ...g, Members: Array.isArray(g.Members) ? g.Members.filter((m) => typeof m !== "string" || !modelled.has(m)) : g.Members };
      const label = str(g.Label)?.trim() || key;
      const ctx = this.contexts.find((c) => c.name === label);
      const derivedKey = ctx && key === groupKeyFor(ctx);
      const onlyLabelAndMembers = Object.keys(kept).every((k) => k === "Label" || k === "Members");
      if (derivedKey && onlyLabelAndMembers && Array.isArray(kept.Members) && kept.Members.length === 0 && g.Label === label) continue;
      out[key] = kept;
    }
    return Object.keys(out).length ? out : undefined;
  }

  /**
   * Generates SAM from the model and keeps the difference with the source: events first (their
   * extras shape the function's Events), then nodes and edge resources, then once more for the
   * wiring variables that depend on what a function already names.
   */
  private finish(): Topology {
    let extrasOf = new Map<string, Record<string, unknown>>();
    // Pass 0 settles the events' extras, pass 1 the functions' (their Events now match), pass 2
    // the wiring variables, which depend on what a function's kept variables already name.
    const wiring = this.edges.some((e) => e.kind !== "trigger");
    let gen: SamGeneration | undefined;
    for (let pass = 0; pass < (wiring ? 3 : 2); pass++) {
      gen = generateSam(buildIr(this.assemble(extrasOf)));
      const next = new Map<string, Record<string, unknown>>();
      for (const [id, origin] of this.origins) {
        const placement = gen.placements.get(id);
        if (placement) next.set(id, this.overlayFor(origin, placement.raw));
      }
      extrasOf = next;
    }
    let doc = this.validated(this.assemble(extrasOf), extrasOf);
    // Generated parameters/outputs depend on the model only: the last pass's generation still holds unless validation changed the model.
    doc = this.withoutGenerated(doc, this.modelChanged ? undefined : gen);
    layoutImported(doc.contexts, doc.nodes);
    return doc;
  }

  /** Parameters, outputs and resources the exporter generates by itself are not passthrough (else a round trip would add them twice). */
  private withoutGenerated(doc: Topology, last?: SamGeneration): Topology {
    const gen = last ?? generateSam(buildIr(doc));
    const sam = { ...(doc.iac?.sam ?? {}) };
    let changed = false;
    for (const section of ["Parameters", "Outputs", "Resources"] as const) {
      const kept = obj(sam[section]);
      const generated = gen.generated[section];
      if (!kept) continue;
      const rest: JsonObject = {};
      for (const [k, v] of Object.entries(kept)) {
        if (k in generated && deepEqual(generated[k], v)) changed = true;
        else rest[k] = v;
      }
      if (Object.keys(rest).length !== Object.keys(kept).length) {
        if (Object.keys(rest).length) sam[section] = rest;
        else delete sam[section];
      }
    }
    return changed ? { ...doc, iac: { ...doc.iac, sam } } : doc;
  }

  private overlayFor(origin: Origin, raw: JsonObject): Record<string, unknown> {
    const props = obj(origin.source.Properties) ?? {};
    const diff = diffOverlay(raw, props);
    const extras = diff.extras;
    // Bounded contexts become a `context` tag on every resource, imported ones included: never omit it.
    let omit = diff.omit.filter((p) => p !== "/Tags" && p !== "/Tags/context");
    if (!("Tags" in props) && raw.Tags !== undefined && !isContextOnly(raw.Tags)) omit = diff.omit;
    if (Array.isArray(extras.Tags) && Array.isArray(raw.Tags)) {
      const ctx = raw.Tags.find((t) => obj(t)?.Key === "context");
      if (ctx && !extras.Tags.some((t) => obj(t)?.Key === "context")) extras.Tags = [...extras.Tags, ctx];
    }
    const out: Record<string, unknown> = { ...extras };
    if (omit.length) out["@omit"] = omit.sort();
    // Keep the author's property order when the export's own order would differ. A trailing Tags
    // (where the exporter puts the context tag anyway) is left out, so the record is a fixed point.
    const order = Object.keys(props);
    if (order[order.length - 1] === "Tags") order.pop();
    const plain = Object.keys(applyOverlay(raw, { extras: out })).join("\u0000");
    if (plain !== Object.keys(applyOverlay(raw, { extras: { ...out, "@keys": order } })).join("\u0000")) out["@keys"] = order;
    if (origin.level === "resource") {
      const attrs: JsonObject = {};
      for (const [k, v] of Object.entries(origin.source)) if (!RESOURCE_KEYS.has(k)) attrs[k] = v;
      if (Object.keys(attrs).length) out["@resource"] = attrs;
      if (isPlainObject(origin.source.Properties) && !Object.keys(origin.source.Properties).length && !Object.keys(applyOverlay(raw, { extras: out })).length) out["@emptyProperties"] = true;
    }
    return out;
  }

  /** Validates; drops what the model refuses (the template keeps it verbatim) and reports it. */
  private validated(doc: Topology, extrasOf: Map<string, Record<string, unknown>>): Topology {
    for (let round = 0; round < 6; round++) {
      const result = validateTopology(doc);
      if (result.ok) {
        this.modelChanged = round > 0;
        return result.topology;
      }
      let changed = false;
      for (const p of result.problems) {
        const m = /^(nodes|edges)\[(\d+)\](?:\.(\w+))?/.exec(p.path ?? "");
        if (!m) continue;
        if (m[1] === "edges") {
          const e = doc.edges[Number(m[2])];
          const i = this.edges.findIndex((x) => x.id === e?.id);
          if (i >= 0) {
            const origin = this.origins.get(e.id);
            this.report.failed.push(this.entry(origin?.pointer ?? "/Resources", `${p.message}; kept verbatim instead`, { code: p.code }));
            this.edges.splice(i, 1);
            this.origins.delete(e.id);
            changed = true;
          }
        } else if (m[3]) {
          const n = doc.nodes[Number(m[2])];
          const draft = this.nodes.find((x) => x.id === n?.id) as Record<string, unknown> | undefined;
          if (draft && m[3] in draft && m[3] !== "id" && m[3] !== "kind" && m[3] !== "name") {
            delete draft[m[3]];
            const origin = this.origins.get(n.id);
            this.report.failed.push(this.entry(origin?.pointer ?? "/Resources", `${p.message}; ${m[3]} kept verbatim instead`, { code: p.code }));
            changed = true;
          }
        }
      }
      if (!changed) break;
      // Re-derive the extras for what changed.
      const gen = generateSam(buildIr(this.assemble(extrasOf)));
      for (const [id, origin] of this.origins) {
        const placement = gen.placements.get(id);
        if (placement) extrasOf.set(id, this.overlayFor(origin, placement.raw));
      }
      const again = generateSam(buildIr(this.assemble(extrasOf)));
      for (const [id, origin] of this.origins) {
        const placement = again.placements.get(id);
        if (placement) extrasOf.set(id, this.overlayFor(origin, placement.raw));
      }
      doc = this.assemble(extrasOf);
    }
    const last = validateTopology(doc);
    if (last.ok) return last.topology;
    const first = last.problems[0];
    if (first?.code === "TOPO-E190") throw new TopoError("TOPO-E190", `the template is too large to draw as one topology: ${first.message}`);
    throw new TopoError("TOPO-E050", `the imported topology does not validate: ${last.problems[0]?.path}: ${last.problems[0]?.message}`, { details: last.problems });
  }

  /** Keeps a recognised poller as a consumer-lag edge only if the exporter writes exactly the same function back. */
  private resolvePollers(doc: Topology): Topology {
    if (!this.pollerCandidates.size) return doc;
    const gen = generateSam(buildIr(doc));
    let changed = false;
    for (const [edgeId, { fn }] of this.pollerCandidates) {
      const lid = fn.extras?.["@logicalId"] as string;
      const placement = gen.placements.get(edgeId);
      const source = obj(this.resources[lid]);
      const exact = placement && source && deepEqual(placement.raw, obj(source.Properties) ?? {}) && Object.keys(source).every((k) => RESOURCE_KEYS.has(k));
      if (exact) {
        // The edge owns the resource; the function node goes.
        const i = this.nodes.indexOf(fn);
        if (i >= 0) this.nodes.splice(i, 1);
        this.byLogicalId.delete(lid);
        this.origins.delete(fn.id);
        this.edges.splice(
          0,
          this.edges.length,
          ...this.edges.filter((e) => e.id === edgeId || (e.source !== fn.id && e.target !== fn.id)),
        );
        const edge = this.edges.find((e) => e.id === edgeId);
        if (edge) this.origins.set(edge.id, { pointer: childPointer("/Resources", lid), source, level: "resource" });
        this.report.understood.push(this.entry(childPointer("/Resources", lid), `consumer-lag poller → lag trigger`, { logicalId: lid }));
      } else {
        const i = this.edges.findIndex((e) => e.id === edgeId);
        if (i >= 0) this.edges.splice(i, 1);
        // Its @logicalId must not compete with the function's.
      }
      changed = true;
    }
    this.pollerCandidates.clear();
    return changed ? this.finish() : doc;
  }

  private finalReport(doc: Topology): ImportReport {
    const r = this.report;
    const modelled = new Set<string>();
    for (const el of [...doc.nodes, ...doc.edges]) {
      const lid = el.extras?.["@logicalId"];
      if (typeof lid === "string") modelled.add(lid);
    }
    r.counts.modelled = modelled.size;
    r.counts.opaque = r.counts.resources - modelled.size;
    r.counts.nodes = doc.nodes.length;
    r.counts.edges = doc.edges.length;
    r.counts.contexts = doc.contexts.length;
    r.nothingModelled = doc.nodes.length === 0;
    const kept = ["Parameters", "Conditions", "Mappings", "Outputs"].map((k) => [k, isPlainObject(this.tpl[k]) ? Object.keys(this.tpl[k] as JsonObject).length : 0] as const).filter(([, n]) => n > 0);
    const keptText = kept.length ? `; kept verbatim: ${kept.map(([k, n]) => `${n} ${k.toLowerCase()}`).join(", ")}` : "";
    if (r.nothingModelled) {
      r.summary = `TOPO-E064: nothing in ${r.file} is modelled (${r.counts.resources} resource${r.counts.resources === 1 ? "" : "s"}, none a function, queue, stream, table, topic, bus, schedule or bucket); the whole template is kept verbatim and exports unchanged${keptText}`;
      r.warnings.unshift({ pointer: "/Resources", code: "TOPO-E064", message: r.summary });
    } else
      r.summary = `${r.file}: ${r.counts.modelled} of ${r.counts.resources} resources modelled as ${doc.nodes.length} nodes and ${doc.edges.length} edges in ${doc.contexts.length} context${doc.contexts.length === 1 ? "" : "s"}; ${r.counts.opaque} kept verbatim${keptText}${r.failed.length ? `; ${r.failed.length} element(s) could not be modelled and are kept verbatim` : ""}`;
    // Understood entries of elements later dropped are moved to failed already; keep lists sorted by line.
    const byLine = (a: ImportEntry, b: ImportEntry) => (a.line ?? 0) - (b.line ?? 0);
    r.understood.sort(byLine);
    r.opaque.sort(byLine);
    r.failed.sort(byLine);
    return r;
  }
}

/** A generated Tags value holding nothing but the context tag. */
function isContextOnly(tags: unknown): boolean {
  if (Array.isArray(tags)) return tags.length === 1 && obj(tags[0])?.Key === "context";
  const o = obj(tags);
  return !!o && Object.keys(o).length === 1 && "context" in o;
}

/** Removes undefined values (zod defaults fill them). */
function defined<T extends Record<string, unknown>>(o: T): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as Partial<T>;
}

/** The one topic of a Kafka source: its name, or for a parameter or import its readable name (the expression stays verbatim). */
function topicOf(topics: unknown): string | undefined {
  if (!Array.isArray(topics) || topics.length !== 1) return undefined;
  const t = topics[0];
  if (typeof t === "string") return t.length >= 1 && t.length <= 249 ? t : undefined;
  return refName(t, "topic").slice(0, 249);
}

function nameFromFile(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  const stem = base
    .replace(/\.(ya?ml|json|template)$/i, "")
    .replace(/(^|__|[-_. ])template$/i, "")
    .replace(/__/g, " ")
    .replace(/[-_]+/g, " ")
    .trim();
  return stem && stem !== "template" ? stem : "Imported template";
}

/** A readable name for a referenced element: the end of a literal ARN, a parameter name, an import name. */
function refName(expr: unknown, kind: string): string {
  if (typeof expr === "string") return expr.split(/[:/]/).filter(Boolean).pop() || expr;
  const r = refOf(expr);
  if (r) return humanize(r.logicalId);
  if (isPlainObject(expr)) {
    const iv = expr["Fn::ImportValue"];
    if (typeof iv === "string") return iv;
    const sub = expr["Fn::Sub"];
    if (typeof sub === "string") return sub.replace(/\$\{[^}]*\}/g, "").split(/[:/]/).filter(Boolean).pop() || `${kind} (referenced)`;
  }
  return `${kind} (referenced)`;
}

/** The group key the exporter derives for a context (see ir/build.ts). */
function groupKeyFor(c: Context): string {
  return logicalIdBase(c.name, "Group");
}

/** A schema failure reads as "tags.team: Too big: …" rather than zod's JSON dump of its issues. */
function readableError(e: unknown): string {
  const issues = (e as { issues?: { path: PropertyKey[]; message: string }[] } | null)?.issues;
  if (Array.isArray(issues) && issues.length) return issues.slice(0, 3).map((i) => `${formatPath(i.path)}: ${i.message}`).join("; ") + (issues.length > 3 ? `; and ${issues.length - 3} more` : "");
  return e instanceof Error ? e.message : String(e);
}

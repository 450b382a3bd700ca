/**
 * Graph helpers over a topology document: indexes, which connections AWS can wire, which
 * trigger settings apply to which source, effective (defaulted) trigger settings, and the
 * reference-integrity check. Pure: data in, data out; the editor imports this file too.
 */
import type { ErrorCode, ProblemDetail } from "../errors";
import { LIMITS } from "./limits";
import type { EdgeKind, NodeKind, NodeOf, TopoEdge, TopoNode, Topology, TriggerEdge } from "./schema";

// ---------------------------------------------------------------------------------------------
// Index
// ---------------------------------------------------------------------------------------------

export interface TopologyIndex {
  nodes: Map<string, TopoNode>;
  edges: Map<string, TopoEdge>;
  contexts: Map<string, Topology["contexts"][number]>;
  outgoing: Map<string, TopoEdge[]>;
  incoming: Map<string, TopoEdge[]>;
}

/** Builds lookup maps once, so rules and helpers stay linear in the size of the document. */
export function indexTopology(doc: Pick<Topology, "nodes" | "edges" | "contexts">): TopologyIndex {
  const nodes = new Map(doc.nodes.map((n) => [n.id, n] as const));
  const edges = new Map(doc.edges.map((e) => [e.id, e] as const));
  const contexts = new Map(doc.contexts.map((c) => [c.id, c] as const));
  const outgoing = new Map<string, TopoEdge[]>();
  const incoming = new Map<string, TopoEdge[]>();
  for (const e of doc.edges) {
    push(outgoing, e.source, e);
    push(incoming, e.target, e);
  }
  return { nodes, edges, contexts, outgoing, incoming };
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V) {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

export function isKind<K extends NodeKind>(node: TopoNode | undefined, kind: K): node is NodeOf<K> {
  return node?.kind === kind;
}

// ---------------------------------------------------------------------------------------------
// Connections
// ---------------------------------------------------------------------------------------------

/** Sources that can invoke a function through an event trigger. */
export const TRIGGER_SOURCES = [
  "http-route",
  "queue",
  "stream",
  "table",
  "kafka-topic",
  "sns-topic",
  "event-bus",
  "schedule",
  "bucket",
] as const satisfies readonly NodeKind[];

/** Sources whose consumer-group lag can trigger a function (seed 000, "trigger based on consumer group lag"). */
export const LAG_TRIGGER_SOURCES = ["kafka-topic", "stream", "queue"] as const satisfies readonly NodeKind[];

const MESSAGE_SINKS = ["queue", "stream", "kafka-topic", "sns-topic", "event-bus", "http-route", "external"] as const;

/** Which node kinds may send to which, for `produce` edges (AWS-native integrations plus our own code). */
export const PRODUCE_TARGETS: Partial<Record<NodeKind, readonly NodeKind[]>> = {
  function: MESSAGE_SINKS,
  external: ["http-route", "queue", "stream", "kafka-topic", "sns-topic", "event-bus"],
  "sns-topic": ["queue", "http-route", "external"],
  "event-bus": ["queue", "stream", "sns-topic", "event-bus", "external"],
  bucket: ["queue", "sns-topic", "event-bus"],
  schedule: ["queue", "stream", "sns-topic", "event-bus"],
  table: ["stream"],
};

export const ACCESS_TARGETS = ["table", "bucket", "data-store"] as const satisfies readonly NodeKind[];

type TriggerSetting = Exclude<keyof TriggerEdge, "id" | "kind" | "source" | "target" | "label" | "extras" | "type" | "enabled">;

const STREAM_SETTINGS: TriggerSetting[] = [
  "batchSize",
  "maximumBatchingWindowSeconds",
  "startingPosition",
  "parallelizationFactor",
  "bisectBatchOnFunctionError",
  "maximumRetryAttempts",
  "maximumRecordAgeSeconds",
  "tumblingWindowSeconds",
  "onFailureDestinationId",
  "reportBatchItemFailures",
  "filterCriteria",
];

/** Event-source settings that apply to each kind of trigger source. Anything else is refused (TOPO-E014). */
export const TRIGGER_SETTINGS: Record<(typeof TRIGGER_SOURCES)[number], readonly TriggerSetting[]> = {
  "http-route": [],
  queue: ["batchSize", "maximumBatchingWindowSeconds", "reportBatchItemFailures", "maximumConcurrency", "filterCriteria"],
  stream: [...STREAM_SETTINGS, "startingPositionTimestamp"],
  table: STREAM_SETTINGS,
  "kafka-topic": [
    "batchSize",
    "maximumBatchingWindowSeconds",
    "startingPosition",
    "startingPositionTimestamp",
    "consumerGroupId",
    "filterCriteria",
    "bisectBatchOnFunctionError",
    "maximumRetryAttempts",
    "maximumRecordAgeSeconds",
    "onFailureDestinationId",
  ],
  "sns-topic": ["snsFilterPolicy"],
  "event-bus": ["eventPattern", "input"],
  schedule: ["input"],
  bucket: ["s3Events", "s3Filter"],
};

export const LAG_TRIGGER_SETTINGS: readonly TriggerSetting[] = ["lagThreshold", "lagCheckIntervalSeconds", "consumerGroupId"];

const ALL_TRIGGER_SETTINGS = new Set<TriggerSetting>([...Object.values(TRIGGER_SETTINGS).flat(), ...LAG_TRIGGER_SETTINGS]);

/** Node kinds each kind of destination reference may point at. */
export const DESTINATION_KINDS = {
  functionDeadLetter: ["queue", "sns-topic"],
  asyncDestination: ["queue", "sns-topic", "event-bus", "function"],
  streamOnFailure: ["queue", "sns-topic", "bucket"],
  queueRedrive: ["queue"],
} as const satisfies Record<string, readonly NodeKind[]>;

export type ConnectionCheck =
  | { ok: true; kind: EdgeKind }
  | { ok: false; code: ErrorCode; reason: string; fix: string };

const NODE_LABEL: Record<NodeKind, string> = {
  function: "a function",
  "http-route": "an HTTP route",
  queue: "a queue",
  stream: "a Kinesis stream",
  table: "a DynamoDB table",
  "kafka-topic": "a Kafka topic",
  "sns-topic": "an SNS topic",
  "event-bus": "an event bus",
  schedule: "a schedule",
  bucket: "an S3 bucket",
  "data-store": "a data store",
  external: "an external system",
};

export function describeKind(kind: NodeKind): string {
  return NODE_LABEL[kind];
}

/**
 * The edge kind a drag from `source` to `target` creates, or why it cannot exist.
 * @example inferEdgeKind(queueNode, functionNode) // { ok: true, kind: "trigger" }
 */
export function inferEdgeKind(source: TopoNode, target: TopoNode): ConnectionCheck {
  if (target.kind === "function") {
    if (source.kind === "function") return { ok: true, kind: "call" };
    return checkConnection(source, target, "trigger");
  }
  if (source.kind === "function" && (ACCESS_TARGETS as readonly string[]).includes(target.kind)) return { ok: true, kind: "access" };
  return checkConnection(source, target, "produce");
}

/**
 * Whether an edge of `kind` may join these two nodes, with the reason when it may not.
 * The editor calls this on every drop; validation calls it on every edge.
 */
export function checkConnection(
  source: TopoNode,
  target: TopoNode,
  kind: EdgeKind,
  triggerType: TriggerEdge["type"] = "event",
): ConnectionCheck {
  const bad = (reason: string, fix: string): ConnectionCheck => ({ ok: false, code: "TOPO-E013", reason, fix });
  const s = describeKind(source.kind);
  const t = describeKind(target.kind);
  if (source.id === target.id) return bad(`${s} cannot connect to itself`, "Connect two different nodes.");
  switch (kind) {
    case "trigger": {
      if (target.kind !== "function") return bad(`a trigger must end at a function, not at ${t}`, "Drag the connection onto a function.");
      if (triggerType === "consumer-lag") {
        if (!(LAG_TRIGGER_SOURCES as readonly string[]).includes(source.kind))
          return bad(`a consumer-lag trigger needs a Kafka topic, Kinesis stream or queue, not ${s}`, "Start the lag trigger at a Kafka topic, stream or queue.");
        return { ok: true, kind };
      }
      if (!(TRIGGER_SOURCES as readonly string[]).includes(source.kind))
        return bad(`${s} cannot trigger a function`, source.kind === "data-store" ? "Use a DynamoDB table with a stream, or an S3 bucket, to react to data changes." : "Triggers start at a route, queue, stream, table, Kafka topic, SNS topic, event bus, schedule or bucket.");
      if (source.kind === "table" && !source.stream)
        return bad(`the DynamoDB table "${source.name}" has no stream, so it cannot trigger a function`, "Enable the table's stream (view type NEW_AND_OLD_IMAGES) first.");
      return { ok: true, kind };
    }
    case "call":
      if (source.kind !== "function" || target.kind !== "function") return bad(`a call joins two functions, not ${s} and ${t}`, "Use a trigger or produce edge instead.");
      return { ok: true, kind };
    case "access":
      if (source.kind !== "function") return bad(`only a function reads or writes a data store, not ${s}`, "Start the connection at a function.");
      if (!(ACCESS_TARGETS as readonly string[]).includes(target.kind)) return bad(`${t} is not a data store`, "Connect the function to a DynamoDB table, S3 bucket or data store.");
      return { ok: true, kind };
    case "produce": {
      const allowed = PRODUCE_TARGETS[source.kind];
      if (!allowed) return bad(`${s} does not send messages`, "Start the connection at a function, external system, topic, bus, bucket or schedule.");
      if (!allowed.includes(target.kind)) {
        const hint = source.kind === "bucket" && target.kind === "kafka-topic" ? "S3 cannot publish to Kafka; send S3 events to a queue, SNS topic or event bus." : `${capital(s)} can send to ${allowed.map(describeKind).join(", ")}.`;
        return bad(`${s} cannot send to ${t}`, hint);
      }
      return { ok: true, kind };
    }
  }
}

function capital(s: string) {
  return s[0].toUpperCase() + s.slice(1);
}

/** Settings set on a trigger edge that do not apply to its source kind. */
export function inapplicableTriggerSettings(edge: TriggerEdge, sourceKind: NodeKind): TriggerSetting[] {
  const allowed = new Set<TriggerSetting>(
    edge.type === "consumer-lag"
      ? LAG_TRIGGER_SETTINGS.filter((k) => k !== "consumerGroupId" || sourceKind === "kafka-topic")
      : (TRIGGER_SETTINGS[sourceKind as keyof typeof TRIGGER_SETTINGS] ?? []),
  );
  const out: TriggerSetting[] = [];
  for (const key of ALL_TRIGGER_SETTINGS) {
    if (edge[key] !== undefined && !allowed.has(key)) out.push(key);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Effective settings
// ---------------------------------------------------------------------------------------------

export interface EffectiveTrigger {
  batchSize?: number;
  maximumBatchingWindowSeconds?: number;
  startingPosition?: TriggerEdge["startingPosition"];
  parallelizationFactor?: number;
  bisectBatchOnFunctionError?: boolean;
  maximumRetryAttempts?: number;
  maximumRecordAgeSeconds?: number;
  reportBatchItemFailures?: boolean;
}

/**
 * A trigger's settings with AWS defaults filled in for its source kind (a batch size left empty
 * is 10 on SQS but 100 on Kinesis). Settings that do not apply to the source stay undefined.
 * @example effectiveTrigger({ ...edge, batchSize: undefined }, queue).batchSize // 10
 */
export function effectiveTrigger(edge: TriggerEdge, source: TopoNode): EffectiveTrigger {
  const T = LIMITS.trigger;
  if (edge.type === "consumer-lag") return {};
  switch (source.kind) {
    case "queue":
      return {
        batchSize: edge.batchSize ?? T.batchSize.sqs.default,
        maximumBatchingWindowSeconds: edge.maximumBatchingWindowSeconds ?? T.maximumBatchingWindowSeconds.defaultSqs,
        reportBatchItemFailures: edge.reportBatchItemFailures ?? false,
      };
    case "stream":
    case "table":
      return {
        batchSize: edge.batchSize ?? T.batchSize.stream.default,
        maximumBatchingWindowSeconds: edge.maximumBatchingWindowSeconds ?? T.maximumBatchingWindowSeconds.defaultStream,
        startingPosition: edge.startingPosition ?? "LATEST",
        parallelizationFactor: edge.parallelizationFactor ?? T.parallelizationFactor.default,
        bisectBatchOnFunctionError: edge.bisectBatchOnFunctionError ?? false,
        maximumRetryAttempts: edge.maximumRetryAttempts ?? T.maximumRetryAttempts.default,
        maximumRecordAgeSeconds: edge.maximumRecordAgeSeconds ?? T.maximumRecordAgeSeconds.default,
        reportBatchItemFailures: edge.reportBatchItemFailures ?? false,
      };
    case "kafka-topic":
      return {
        batchSize: edge.batchSize ?? T.batchSize.kafka.default,
        maximumBatchingWindowSeconds: edge.maximumBatchingWindowSeconds ?? T.maximumBatchingWindowSeconds.defaultKafka,
        startingPosition: edge.startingPosition ?? "LATEST",
        bisectBatchOnFunctionError: edge.bisectBatchOnFunctionError ?? false,
        maximumRetryAttempts: edge.maximumRetryAttempts ?? T.maximumRetryAttempts.default,
        maximumRecordAgeSeconds: edge.maximumRecordAgeSeconds ?? T.maximumRecordAgeSeconds.default,
      };
    default:
      return {};
  }
}

// ---------------------------------------------------------------------------------------------
// Integrity
// ---------------------------------------------------------------------------------------------

export interface IntegrityProblem extends ProblemDetail {
  code: ErrorCode;
  fix: string;
}

/**
 * Reference integrity and connection validity of a schema-valid document: unique ids, no edge
 * to a missing node, no node in a missing context, every edge a connection AWS can wire, every
 * setting applicable to its source, every destination pointing at a suitable node.
 * Returns all problems (not just the first), each with a code and a fix.
 */
export function checkIntegrity(doc: Topology): IntegrityProblem[] {
  const problems: IntegrityProblem[] = [];
  const add = (code: ErrorCode, path: string, elementId: string | undefined, message: string, fix: string) =>
    problems.push({ code, path, elementId, message, fix });

  const seen = new Map<string, string>();
  const claim = (id: string, path: string) => {
    const prev = seen.get(id);
    if (prev) add("TOPO-E010", path, id, `id "${id}" is used by ${prev} and ${path}`, "Rename one of them; ids must be unique across contexts, nodes and edges.");
    else seen.set(id, path);
  };
  doc.contexts.forEach((c, i) => claim(c.id, `contexts[${i}]`));
  doc.nodes.forEach((n, i) => claim(n.id, `nodes[${i}]`));
  doc.edges.forEach((e, i) => claim(e.id, `edges[${i}]`));

  const idx = indexTopology(doc);

  doc.nodes.forEach((n, i) => {
    if (n.contextId && !idx.contexts.has(n.contextId))
      add("TOPO-E012", `nodes[${i}].contextId`, n.id, `${n.name} belongs to context "${n.contextId}", which does not exist`, `Create context "${n.contextId}" or move ${n.name} to an existing one.`);
  });

  const ref = (path: string, owner: TopoNode | TopoEdge, id: string | undefined, kinds: readonly NodeKind[], what: string) => {
    if (id === undefined) return;
    const target = idx.nodes.get(id);
    const ownerName = "name" in owner ? owner.name : owner.id;
    if (!target) add("TOPO-E015", path, owner.id, `${what} of ${ownerName} points at "${id}", which does not exist`, `Choose an existing ${kinds.map(describeKind).join(" or ")}.`);
    else if (!kinds.includes(target.kind))
      add("TOPO-E015", path, owner.id, `${what} of ${ownerName} is ${describeKind(target.kind)} ("${target.name}")`, `Use ${kinds.map(describeKind).join(" or ")}.`);
  };

  doc.nodes.forEach((n, i) => {
    if (n.kind === "function") {
      ref(`nodes[${i}].deadLetterQueueId`, n, n.deadLetterQueueId, DESTINATION_KINDS.functionDeadLetter, "the dead-letter queue");
      ref(`nodes[${i}].asyncInvoke.onSuccessDestinationId`, n, n.asyncInvoke?.onSuccessDestinationId, DESTINATION_KINDS.asyncDestination, "the on-success destination");
      ref(`nodes[${i}].asyncInvoke.onFailureDestinationId`, n, n.asyncInvoke?.onFailureDestinationId, DESTINATION_KINDS.asyncDestination, "the on-failure destination");
      // Lambda's async DLQ and destinations accept standard queues only.
      for (const [field, id] of [["deadLetterQueueId", n.deadLetterQueueId], ["asyncInvoke.onSuccessDestinationId", n.asyncInvoke?.onSuccessDestinationId], ["asyncInvoke.onFailureDestinationId", n.asyncInvoke?.onFailureDestinationId]] as const) {
        const q = id ? idx.nodes.get(id) : undefined;
        if (q?.kind === "queue" && q.fifo)
          add("TOPO-E015", `nodes[${i}].${field}`, n.id, `${n.name} sends failed or finished async events to the FIFO queue ${q.name}; Lambda accepts only standard queues there`, "Use a standard queue (or an SNS topic) as the function's DLQ or destination.");
      }
    }
    if (n.kind === "queue" && n.redrive) {
      ref(`nodes[${i}].redrive.deadLetterQueueId`, n, n.redrive.deadLetterQueueId, DESTINATION_KINDS.queueRedrive, "the redrive dead-letter queue");
      const dlq = idx.nodes.get(n.redrive.deadLetterQueueId);
      if (dlq?.id === n.id) add("TOPO-E015", `nodes[${i}].redrive.deadLetterQueueId`, n.id, `${n.name} redrives into itself`, "Choose another queue as its dead-letter queue.");
      else if (dlq?.kind === "queue" && dlq.fifo !== n.fifo)
        add("TOPO-E015", `nodes[${i}].redrive.deadLetterQueueId`, n.id, `${n.name} is ${n.fifo ? "FIFO" : "standard"} but its dead-letter queue ${dlq.name} is ${dlq.fifo ? "FIFO" : "standard"}`, "A FIFO queue needs a FIFO dead-letter queue and a standard queue a standard one.");
    }
  });

  doc.edges.forEach((e, i) => {
    const source = idx.nodes.get(e.source);
    const target = idx.nodes.get(e.target);
    if (!source) add("TOPO-E011", `edges[${i}].source`, e.id, `edge ${e.id} starts at "${e.source}", which does not exist`, "Reconnect the edge to an existing node or delete it.");
    if (!target) add("TOPO-E011", `edges[${i}].target`, e.id, `edge ${e.id} ends at "${e.target}", which does not exist`, "Reconnect the edge to an existing node or delete it.");
    if (!source || !target) return;
    const check = checkConnection(source, target, e.kind, e.kind === "trigger" ? e.type : undefined);
    if (!check.ok) {
      add(check.code, `edges[${i}]`, e.id, `${source.name} → ${target.name}: ${check.reason}`, check.fix);
      return;
    }
    if (e.kind === "trigger") {
      for (const key of inapplicableTriggerSettings(e, source.kind))
        add("TOPO-E014", `edges[${i}].${key}`, e.id, `${key} does not apply to a ${e.type === "consumer-lag" ? "consumer-lag trigger" : `trigger from ${describeKind(source.kind)}`} (${source.name} → ${target.name})`, `Remove ${key} from this trigger.`);
      ref(`edges[${i}].onFailureDestinationId`, e, e.onFailureDestinationId, DESTINATION_KINDS.streamOnFailure, "the on-failure destination");
    }
  });
  return problems;
}

/** Contexts a node can be reached from: its own context id, or undefined when shared. */
export function contextOf(idx: TopologyIndex, nodeId: string): string | undefined {
  return idx.nodes.get(nodeId)?.contextId;
}

/** Whether a node is a dead-letter queue: some queue redrives into it, or some function or trigger names it as DLQ/on-failure target. */
export function deadLetterQueueIds(doc: Topology): Set<string> {
  const ids = new Set<string>();
  for (const n of doc.nodes) {
    if (n.kind === "queue" && n.redrive) ids.add(n.redrive.deadLetterQueueId);
    if (n.kind === "function") {
      if (n.deadLetterQueueId) ids.add(n.deadLetterQueueId);
      if (n.asyncInvoke?.onFailureDestinationId) ids.add(n.asyncInvoke.onFailureDestinationId);
    }
  }
  for (const e of doc.edges) if (e.kind === "trigger" && e.onFailureDestinationId) ids.add(e.onFailureDestinationId);
  const nodes = new Map(doc.nodes.map((n) => [n.id, n]));
  for (const id of [...ids]) if (nodes.get(id)?.kind !== "queue") ids.delete(id);
  return ids;
}

/**
 * Resolves an environment into everything a collector needs: the latest topology, AWS SDK v3
 * clients pointed at the right place, and a binding (physical resource) for every node.
 *
 * - local: endpoints and names come from the running sandbox's `Meta` row (`sandbox:<projectId>`,
 *   see the contract in server/observe/README.md); no sandbox → TOPO-E120.
 * - aws: the environment's region, and credentials from its reference only ("default" → the provider
 *   chain, "profile:<name>" → the shared config, a role ARN → assumed). Never a user-supplied
 *   endpoint (no SSRF): the only override is TOPO_AWS_ENDPOINT_OVERRIDE, a server-side setting for tests,
 *   honoured only when it names loopback URLs.
 *
 * Bindings: hand-edited fields win; else the CloudFormation stack's resources (the exporter's logical
 * ids map to node ids exactly); else the sandbox's names (local) or a naming convention.
 */
import type { SandboxMeta } from "../sandbox/manager";
import { CloudFormationClient, ListStackResourcesCommand, type StackResourceSummary } from "@aws-sdk/client-cloudformation";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { KinesisClient } from "@aws-sdk/client-kinesis";
import { SQSClient } from "@aws-sdk/client-sqs";
import { fromIni, fromNodeProviderChain, fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import { TopoError } from "../errors";
import type { Db } from "../db/client";
import { getEnvironmentOrThrow, type EnvironmentRecord } from "../db/environments";
import { getRevisionOrThrow } from "../db/projects";
import { assignLogicalIds } from "../iac/ir/logical-ids";
import type { Environment, TopoNode, Topology } from "../model/schema";
import { classifyAwsError, type Problem } from "./aws-errors";

export type SchemaBinding = Environment["bindings"][string];

/** Where a binding's fields came from (the most authoritative one that contributed). */
export type BindingSource = "manual" | "stack" | "sandbox" | "convention";

/** A node's physical resource, with the names the SDK calls need derived once. */
export interface Binding extends SchemaBinding {
  /** SQS queue name (GetQueueUrl resolves the URL when only the name is known). */
  queueName?: string;
  /** Kinesis stream name (from the ARN, the stack or the convention). */
  streamName?: string;
  /** Kafka topic name on the cluster. */
  kafkaTopic?: string;
  source: BindingSource;
}

/** The sandbox's Meta row (contract shared with the sandbox manager, the DLQ browser and the CLI). */
export type { SandboxMeta };

export interface ObserveClients {
  sqs: SQSClient;
  kinesis: KinesisClient;
  logs: CloudWatchLogsClient;
  /** null for a local sandbox that serves no metrics endpoint. */
  cloudwatch: CloudWatchClient | null;
  /** null for local environments (no stack). */
  cloudformation: CloudFormationClient | null;
}

export interface StackInfo {
  name: string;
  /** Resources read from the stack (0 when it could not be read). */
  resources: number;
  problem?: Problem;
}

export interface ResolvedEnvironment {
  env: EnvironmentRecord;
  kind: "local" | "aws";
  region: string;
  clients: ObserveClients;
  bindings: Record<string, Binding>;
  topology: Topology;
  revision: number;
  /** local only: the sandbox the clients point at. */
  sandbox?: SandboxMeta;
  /** aws with a stack name: how reading the stack went. */
  stack?: StackInfo;
}

export const SANDBOX_META_PREFIX = "sandbox:";
const LOCAL_CREDENTIALS = { accessKeyId: "sandbox", secretAccessKey: "sandbox" };

// ---------------------------------------------------------------------------------------------
// The sandbox Meta row
// ---------------------------------------------------------------------------------------------

function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The running sandbox of a project, or undefined (no row, unreadable row, or its process is gone). */
export async function readSandboxMeta(db: Db, projectId: string): Promise<SandboxMeta | undefined> {
  const row = await db.meta.findUnique({ where: { key: SANDBOX_META_PREFIX + projectId } });
  if (!row) return undefined;
  let meta: SandboxMeta;
  try {
    meta = JSON.parse(row.value) as SandboxMeta;
  } catch {
    return undefined;
  }
  if (!meta || typeof meta !== "object" || !meta.endpoints || !pidAlive(meta.pid)) return undefined;
  return meta;
}

// ---------------------------------------------------------------------------------------------
// Endpoints and credentials
// ---------------------------------------------------------------------------------------------

export type ServiceName = "sqs" | "kinesis" | "logs" | "cloudwatch" | "cloudformation";
const SERVICES: ServiceName[] = ["sqs", "kinesis", "logs", "cloudwatch", "cloudformation"];

/** Whether a URL is http(s) on a loopback address (127.0.0.0/8, ::1, localhost). */
export function isLoopbackUrl(raw: string): boolean {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return false;
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") return false;
  if (u.username || u.password) return false;
  const h = u.hostname.replace(/^\[|\]$/g, "");
  return h === "localhost" || h === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/**
 * The test-only endpoint override for aws environments: TOPO_AWS_ENDPOINT_OVERRIDE is one loopback URL
 * (every service) or a JSON object {service: url}. Anything that is not loopback is refused (TOPO-E122).
 */
export function endpointOverride(raw = process.env.TOPO_AWS_ENDPOINT_OVERRIDE): Partial<Record<ServiceName, string>> {
  if (!raw || !raw.trim()) return {};
  const text = raw.trim();
  let map: Partial<Record<ServiceName, string>>;
  if (text.startsWith("{")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new TopoError("TOPO-E122", "TOPO_AWS_ENDPOINT_OVERRIDE is not valid JSON");
    }
    map = {};
    for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
      if (!SERVICES.includes(k as ServiceName) || typeof v !== "string") throw new TopoError("TOPO-E122", `TOPO_AWS_ENDPOINT_OVERRIDE: unknown service "${k}" or non-string URL`);
      map[k as ServiceName] = v;
    }
  } else {
    map = Object.fromEntries(SERVICES.map((s) => [s, text]));
  }
  for (const [k, v] of Object.entries(map)) {
    if (!isLoopbackUrl(v!)) throw new TopoError("TOPO-E122", `TOPO_AWS_ENDPOINT_OVERRIDE for ${k} is not a loopback URL`);
  }
  return map;
}

/** Credentials from an environment's reference: never a secret, only where to find one. */
export function credentialsFor(ref: string | undefined, region: string): AwsCredentialIdentityProvider {
  if (!ref || ref === "default") return fromNodeProviderChain();
  if (ref.startsWith("profile:")) return fromIni({ profile: ref.slice("profile:".length) });
  if (/^arn:aws:iam::\d{12}:role\//.test(ref)) {
    return fromTemporaryCredentials({
      params: { RoleArn: ref, RoleSessionName: "topograph-observe", DurationSeconds: 3600 },
      clientConfig: { region },
    });
  }
  throw new TopoError("TOPO-E121", `credentials reference "${ref}" is not 'default', 'profile:<name>' or a role ARN`);
}

interface ClientSpec {
  region: string;
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  endpoints: Partial<Record<ServiceName, string | null>>;
  /** local: the sandbox has no CloudWatch endpoint unless it says so; aws: always. */
  cloudwatch: boolean;
  cloudformation: boolean;
}

function buildClients(spec: ClientSpec): ObserveClients {
  const base = (svc: ServiceName) => ({
    region: spec.region,
    credentials: spec.credentials,
    ...(spec.endpoints[svc] ? { endpoint: spec.endpoints[svc]! } : {}),
    // Collectors retry on their own schedule (backoff in the poller); the SDK's retries would multiply upstream calls.
    maxAttempts: 1,
  });
  const local = (svc: ServiceName) => !!spec.endpoints[svc] && isLoopbackUrl(spec.endpoints[svc]!);
  const handler = (svc: ServiceName) =>
    // kinesalite speaks HTTP/1.1 only; loopback endpoints get a plain Node handler with short timeouts.
    local(svc) ? { requestHandler: new NodeHttpHandler({ connectionTimeout: 2_000, requestTimeout: 10_000 }) } : {};
  return {
    sqs: new SQSClient({ ...base("sqs"), ...handler("sqs") }),
    kinesis: new KinesisClient({ ...base("kinesis"), ...handler("kinesis") }),
    // StartLiveTail prefixes the host with "stream-": not on a loopback stand-in.
    logs: new CloudWatchLogsClient({ ...base("logs"), ...handler("logs"), ...(local("logs") ? { disableHostPrefix: true } : {}) }),
    cloudwatch: spec.cloudwatch ? new CloudWatchClient({ ...base("cloudwatch"), ...handler("cloudwatch") }) : null,
    cloudformation: spec.cloudformation ? new CloudFormationClient({ ...base("cloudformation"), ...handler("cloudformation") }) : null,
  };
}

// ---------------------------------------------------------------------------------------------
// Bindings (pure)
// ---------------------------------------------------------------------------------------------

const lastSegment = (s: string) => s.slice(s.lastIndexOf("/") + 1);

/** Stream name from an ARN (arn:aws:kinesis:region:acct:stream/name) or a bare name. */
export function streamNameOf(arnOrName: string): string {
  const i = arnOrName.indexOf(":stream/");
  return i >= 0 ? arnOrName.slice(i + ":stream/".length) : arnOrName;
}

/** Account id from an SQS queue URL or any ARN among the stack's physical ids. */
function accountFrom(physicalIds: string[]): string | undefined {
  for (const p of physicalIds) {
    const url = /^https?:\/\/[^/]+\/(\d{12})\//.exec(p);
    if (url) return url[1];
    const arn = /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):/.exec(p);
    if (arn) return arn[1];
  }
  return undefined;
}

/** Bindings by naming convention: what a deployment without a stack most likely calls each node. */
export function conventionBinding(node: TopoNode, topology: Topology): Binding | undefined {
  switch (node.kind) {
    case "function":
      return { functionName: node.name, logGroupName: node.logGroupName ?? `/aws/lambda/${node.name}`, source: "convention" };
    case "queue":
      return { queueName: node.fifo ? `${node.id}.fifo` : node.id, source: "convention" };
    case "stream":
      return { streamName: node.id, source: "convention" };
    case "table":
      return { tableName: node.id, source: "convention" };
    case "kafka-topic": {
      const group = topology.edges.find((e) => e.kind === "trigger" && e.source === node.id && e.consumerGroupId);
      return {
        kafkaTopic: node.topic,
        ...(node.bootstrapServers.length ? { kafkaBootstrapServers: node.bootstrapServers } : {}),
        ...(group && group.kind === "trigger" && group.consumerGroupId ? { kafkaConsumerGroupId: group.consumerGroupId } : {}),
        source: "convention",
      };
    }
    default:
      return undefined;
  }
}

/** Bindings from a running sandbox's names. */
export function sandboxBinding(node: TopoNode, meta: SandboxMeta): Partial<Binding> | undefined {
  const out: Partial<Binding> = {};
  if (meta.functionNames?.[node.id]) out.functionName = meta.functionNames[node.id];
  if (meta.logGroups?.[node.id]) out.logGroupName = meta.logGroups[node.id];
  if (meta.queueUrls?.[node.id]) {
    out.queueUrl = meta.queueUrls[node.id];
    out.queueName = lastSegment(meta.queueUrls[node.id]);
  }
  if (meta.streamArns?.[node.id]) {
    out.streamArn = meta.streamArns[node.id];
    out.streamName = streamNameOf(meta.streamArns[node.id]);
  }
  if (meta.kafka?.[node.id]) out.kafkaTopic = meta.kafka[node.id];
  return Object.keys(out).length ? out : undefined;
}

/**
 * Bindings from a stack's resources: the exporter's logical id of each node (server/iac) names
 * the resource whose physical id is the function name, queue URL, stream name, table name or topic ARN.
 */
export function stackBindings(topology: Topology, resources: Pick<StackResourceSummary, "LogicalResourceId" | "PhysicalResourceId" | "ResourceType">[], region: string): Record<string, Partial<Binding>> {
  const logical = assignLogicalIds(topology);
  const physical = new Map<string, string>();
  for (const r of resources) if (r.LogicalResourceId && r.PhysicalResourceId) physical.set(r.LogicalResourceId, r.PhysicalResourceId);
  const account = accountFrom([...physical.values()]);
  const out: Record<string, Partial<Binding>> = {};
  for (const node of topology.nodes) {
    const id = logical.get(node.id);
    const p = id ? physical.get(id) : undefined;
    if (!p) continue;
    switch (node.kind) {
      case "function":
        out[node.id] = { functionName: p, logGroupName: node.logGroupName ?? `/aws/lambda/${p}` };
        break;
      case "queue":
        out[node.id] = p.startsWith("http") ? { queueUrl: p, queueName: lastSegment(p) } : { queueName: p };
        break;
      case "stream": {
        const name = streamNameOf(p);
        out[node.id] = { streamName: name, ...(account ? { streamArn: `arn:aws:kinesis:${region}:${account}:stream/${name}` } : {}) };
        break;
      }
      case "table":
        out[node.id] = { tableName: p };
        break;
      case "sns-topic":
        out[node.id] = { topicArn: p };
        break;
    }
  }
  return out;
}

/** Lays the layers over one another, most authoritative last; derived names follow the fields they come from. */
export function mergeBindings(
  topology: Topology,
  layers: { source: BindingSource; bindings: Record<string, Partial<Binding> | undefined> }[],
): Record<string, Binding> {
  const out: Record<string, Binding> = {};
  for (const node of topology.nodes) {
    let merged: Binding | undefined = conventionBinding(node, topology);
    for (const layer of layers) {
      const b = layer.bindings[node.id];
      if (!b || !Object.keys(b).length) continue;
      const clean = Object.fromEntries(Object.entries(b).filter(([k, v]) => v !== undefined && k !== "source"));
      merged = { ...(merged ?? {}), ...clean, source: layer.source } as Binding;
      // A hand-set URL/ARN/function wins over names derived from an earlier layer.
      if (clean.queueUrl) merged.queueName = lastSegment(String(clean.queueUrl));
      if (clean.streamArn) merged.streamName = streamNameOf(String(clean.streamArn));
      if (clean.functionName && !clean.logGroupName && layer.source === "manual") {
        merged.logGroupName = node.kind === "function" && node.logGroupName ? node.logGroupName : `/aws/lambda/${String(clean.functionName)}`;
      }
    }
    if (merged) out[node.id] = merged;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The stack
// ---------------------------------------------------------------------------------------------

/** Every resource of a stack, following NextToken. */
export async function listStackResources(cfn: CloudFormationClient, stackName: string): Promise<StackResourceSummary[]> {
  const out: StackResourceSummary[] = [];
  let token: string | undefined;
  for (let page = 0; page < 200; page++) {
    const res = await cfn.send(new ListStackResourcesCommand({ StackName: stackName, NextToken: token }));
    out.push(...(res.StackResourceSummaries ?? []));
    token = res.NextToken;
    if (!token) break;
  }
  return out;
}

const STACK_TTL_MS = 60_000;
const stackCache = new Map<string, { at: number; resources: StackResourceSummary[]; problem?: Problem }>();

async function readStack(cfn: CloudFormationClient, cacheKey: string, stackName: string) {
  const hit = stackCache.get(cacheKey);
  if (hit && Date.now() - hit.at < STACK_TTL_MS) return hit;
  let entry: { at: number; resources: StackResourceSummary[]; problem?: Problem };
  try {
    entry = { at: Date.now(), resources: await listStackResources(cfn, stackName) };
  } catch (e) {
    const problem = classifyAwsError(e, "cloudformation:ListStackResources", `stack ${stackName}`);
    // "Stack with id X does not exist" comes as a ValidationError.
    if (/does not exist/i.test(String((e as Error).message))) problem.kind = "not-found";
    // Keep the last good resources on a failed refresh.
    entry = { at: Date.now(), resources: hit?.resources ?? [], problem };
  }
  stackCache.set(cacheKey, entry);
  if (stackCache.size > 500) stackCache.delete(stackCache.keys().next().value!);
  return entry;
}

/** Makes the next resolve re-read the stack (after a deploy or a check); the last good resources stay as a fallback. */
export function forgetStack(environmentId?: string): void {
  for (const [k, v] of stackCache) if (!environmentId || k.startsWith(environmentId + "|")) v.at = 0;
  forgetResolved(environmentId);
}

// ---------------------------------------------------------------------------------------------
// resolveEnvironment
// ---------------------------------------------------------------------------------------------

const topologyCache = new Map<string, Topology>();
const clientCache = new Map<string, ObserveClients>();

function cached<T>(map: Map<string, T>, key: string, make: () => T, limit = 200): T {
  let v = map.get(key);
  if (v === undefined) {
    v = make();
    map.set(key, v);
    if (map.size > limit) map.delete(map.keys().next().value!);
  }
  return v;
}

async function latestTopology(db: Db, projectId: string): Promise<{ topology: Topology; revision: number }> {
  const head = await db.topologyRevision.findFirst({ where: { projectId }, orderBy: { number: "desc" }, select: { number: true } });
  if (!head) {
    const rev = await getRevisionOrThrow(db, projectId, "latest"); // throws the usual not-found
    return { topology: rev.document, revision: rev.number };
  }
  const key = `${projectId}@${head.number}`;
  let topology = topologyCache.get(key);
  if (!topology) {
    topology = (await getRevisionOrThrow(db, projectId, head.number)).document;
    topologyCache.set(key, topology);
    if (topologyCache.size > 100) topologyCache.delete(topologyCache.keys().next().value!);
  }
  return { topology, revision: head.number };
}

export function sandboxNotRunning(projectId: string): TopoError {
  return new TopoError("TOPO-E120", `the local sandbox is not running for project "${projectId}"; press Run locally`);
}

/**
 * Everything a collector needs for one environment of a project (see the file comment).
 * Throws TOPO-E020 (unknown project/environment), TOPO-E120 (local, no sandbox), TOPO-E121/E122 (aws misconfigured).
 */
export async function resolveEnvironment(db: Db, projectId: string, environmentId: string, opts: { fresh?: boolean } = {}): Promise<ResolvedEnvironment> {
  // Viewers poll every second or so: one resolution per environment per RESOLVE_TTL_MS serves them all (and
  // concurrent requests share one). Edits to bindings, a new revision or a stopped sandbox show within that time.
  const key = `${projectId}|${environmentId}`;
  const now = Date.now();
  const hit = resolvedCache.get(key);
  if (!opts.fresh && hit && now - hit.at < resolveTtlMs()) return hit.value;
  const value = resolveUncached(db, projectId, environmentId);
  resolvedCache.set(key, { at: now, value });
  if (resolvedCache.size > 500) resolvedCache.delete(resolvedCache.keys().next().value!);
  value.catch(() => {
    if (resolvedCache.get(key)?.value === value) resolvedCache.delete(key);
  });
  return value;
}

const resolvedCache = new Map<string, { at: number; value: Promise<ResolvedEnvironment> }>();
const resolveTtlMs = () => Number(process.env.TOPO_OBSERVE_RESOLVE_TTL_MS ?? 1_000);

/** Drops cached resolutions (all, or one environment's). */
export function forgetResolved(environmentId?: string): void {
  for (const k of [...resolvedCache.keys()]) if (!environmentId || k.endsWith(`|${environmentId}`)) resolvedCache.delete(k);
}

async function resolveUncached(db: Db, projectId: string, environmentId: string): Promise<ResolvedEnvironment> {
  const env = await getEnvironmentOrThrow(db, projectId, environmentId);
  const { topology, revision } = await latestTopology(db, projectId);
  const manual = env.bindings as Record<string, Partial<Binding>>;

  if (env.kind === "local") {
    const meta = await readSandboxMeta(db, projectId);
    if (!meta) throw sandboxNotRunning(projectId);
    const region = meta.region || "us-east-1";
    const clients = cached(clientCache, `local|${projectId}|${meta.pid}|${meta.startedAt}|${JSON.stringify(meta.endpoints)}`, () =>
      buildClients({
        region,
        credentials: LOCAL_CREDENTIALS,
        endpoints: { sqs: meta.endpoints.sqs, kinesis: meta.endpoints.kinesis, logs: meta.endpoints.logs, cloudwatch: meta.endpoints.cloudwatch },
        cloudwatch: !!meta.endpoints.cloudwatch,
        cloudformation: false,
      }),
    );
    const fromSandbox = Object.fromEntries(topology.nodes.map((n) => [n.id, sandboxBinding(n, meta)]));
    const bindings = mergeBindings(topology, [
      { source: "sandbox", bindings: fromSandbox },
      { source: "manual", bindings: manual },
    ]);
    return { env, kind: "local", region, clients, bindings, topology, revision, sandbox: meta };
  }

  if (!env.region) throw new TopoError("TOPO-E121", `environment "${env.name}" has no region`);
  const region = env.region;
  const override = endpointOverride();
  const credentials = credentialsFor(env.credentialsRef, region);
  const clients = cached(clientCache, `aws|${env.id}|${env.updatedAt}|${region}|${env.credentialsRef ?? "default"}|${JSON.stringify(override)}`, () =>
    buildClients({ region, credentials, endpoints: override, cloudwatch: true, cloudformation: true }),
  );
  let stack: StackInfo | undefined;
  let fromStack: Record<string, Partial<Binding>> = {};
  if (env.stackName && clients.cloudformation) {
    const read = await readStack(clients.cloudformation, `${env.id}|${env.updatedAt}|${env.stackName}`, env.stackName);
    fromStack = stackBindings(topology, read.resources, region);
    stack = { name: env.stackName, resources: read.resources.length, ...(read.problem ? { problem: read.problem } : {}) };
  }
  const bindings = mergeBindings(topology, [
    { source: "stack", bindings: fromStack },
    { source: "manual", bindings: manual },
  ]);
  return { env, kind: "aws", region, clients, bindings, topology, revision, stack };
}

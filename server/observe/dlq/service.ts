/**
 * The DLQ browser's operations, as the routes call them: list the DLQs of an environment, peek, delete one
 * message, redrive (StartMessageMoveTask where the endpoint has it, else a resumable copy-then-delete move),
 * purge. Every destructive action is written to the audit log. Authorization is the route table's job
 * (server/auth/policy.ts: peek = editor, redrive/delete/purge = admin).
 *
 * The core works on a `DlqEnv` (an SQS client, the topology, the bindings), so tests run it against fauxqs
 * or the move-task wire endpoint without a database-backed environment; `resolveDlqEnv` builds one from
 * `resolveEnvironment` for the routes.
 */
import { GetMetricDataCommand, type CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { recordAudit } from "../../audit/audit";
import type { Db } from "../../db/client";
import { TopoError } from "../../errors";
import type { Topology } from "../../model/schema";
import { classifyAwsError } from "../aws-errors";
import { resolveEnvironment, type Binding } from "../environment";
import type { DlqList, DlqPeek, DlqSummary, Freshness, MoveTask } from "../types";
import { decodeDeadLetter, oldestAgeSeconds } from "./decode";
import { getDeadLetterQueueOrThrow, listDeadLetterQueues, resolveRedriveTarget, type DlqInfo } from "./model";
import {
  createMoveTask,
  getMoveTaskRow,
  latestMoveTask,
  modeOf,
  refreshNativeTask,
  runCopyMove,
  startNativeMove,
  toMoveTask,
  type CopyMoveOptions,
} from "./move";
import { deleteMessageById, peekMessages, purgeQueue, queueUrlOf, readQueueState, type QueueState } from "./sqs";

export interface DlqEnv {
  projectId: string;
  environmentId: string;
  kind: "local" | "aws";
  revision: number;
  topology: Topology;
  bindings: Record<string, Partial<Binding>>;
  sqs: SQSClient;
  cloudwatch: CloudWatchClient | null;
}

export const PEEK_NOTICE =
  "Peeking receives the messages with a short visibility timeout and releases them at once: nothing is consumed, but each peek raises every shown message's receive count by one.";

export async function resolveDlqEnv(db: Db, projectId: string, environmentId: string): Promise<DlqEnv> {
  const r = await resolveEnvironment(db, projectId, environmentId);
  return { projectId, environmentId, kind: r.kind, revision: r.revision, topology: r.topology, bindings: r.bindings, sqs: r.clients.sqs, cloudwatch: r.clients.cloudwatch };
}

async function urlOrThrow(env: DlqEnv, nodeId: string, name: string): Promise<string> {
  const url = await queueUrlOf(env.sqs, env.bindings[nodeId]);
  if (!url)
    throw new TopoError("TOPO-E151", `${name} (${nodeId}) has no queue in this environment${env.kind === "local" ? " (is the running sandbox of an older revision?)" : ": bind it to its queue URL or name"}`);
  return url;
}

// ---------------------------------------------------------------------------------------------
// Oldest age
// ---------------------------------------------------------------------------------------------

/** The oldest SentTimestamp each DLQ showed at its last peek, per process (local has no CloudWatch). */
const peekedOldest = new Map<string, { sentMs: number; at: number }>();

async function cloudwatchOldest(cw: CloudWatchClient, queueName: string): Promise<number | null> {
  const end = new Date();
  const r = await cw.send(
    new GetMetricDataCommand({
      StartTime: new Date(end.getTime() - 15 * 60_000),
      EndTime: end,
      MetricDataQueries: [
        { Id: "age", MetricStat: { Metric: { Namespace: "AWS/SQS", MetricName: "ApproximateAgeOfOldestMessage", Dimensions: [{ Name: "QueueName", Value: queueName }] }, Period: 60, Stat: "Maximum" } },
      ],
      ScanBy: "TimestampDescending",
    }),
  );
  const v = r.MetricDataResults?.[0]?.Values?.[0];
  return typeof v === "number" ? v : null;
}

// ---------------------------------------------------------------------------------------------
// List
// ---------------------------------------------------------------------------------------------

/** Queue states read for the list are shared for a moment, so N viewers polling cost one GetQueueAttributes. */
const STATE_TTL_MS = 2_000;
const stateCache = new Map<string, { at: number; p: Promise<QueueState> }>();

function sharedQueueState(sqs: SQSClient, url: string): Promise<QueueState> {
  const hit = stateCache.get(url);
  if (hit && Date.now() - hit.at < STATE_TTL_MS) return hit.p;
  const p = readQueueState(sqs, url);
  stateCache.set(url, { at: Date.now(), p });
  p.catch(() => stateCache.delete(url));
  if (stateCache.size > 1000) stateCache.delete(stateCache.keys().next().value!);
  return p;
}

function forgetState(url: string) {
  stateCache.delete(url);
}

export async function listDlqs(db: Db, env: DlqEnv): Promise<DlqList> {
  const readAt = new Date().toISOString();
  const dlqs = await Promise.all(listDeadLetterQueues(env.topology).map((info) => summarize(db, env, info, readAt)));
  return { projectId: env.projectId, environmentId: env.environmentId, revision: env.revision, readAt, dlqs };
}

async function summarize(db: Db, env: DlqEnv, info: DlqInfo, readAt: string): Promise<DlqSummary> {
  const base: DlqSummary = {
    nodeId: info.nodeId,
    name: info.name,
    fifo: info.fifo,
    queueUrl: null,
    depth: null,
    inFlight: null,
    oldestAgeSec: null,
    oldestAgeSource: null,
    sources: info.sources,
    defaultDestinationNodeId: info.defaultDestinationNodeId,
    ownRedrive: info.ownRedrive,
    task: null,
    freshness: { readAt: null, state: "never" },
  };
  try {
    const url = await queueUrlOf(env.sqs, env.bindings[info.nodeId]);
    if (!url) return { ...base, freshness: { readAt: null, state: "failing", problem: { kind: "unbound", code: "TOPO-E151", message: `${info.name} has no queue in this environment` } } };
    base.queueUrl = url;
    base.task = await latestMoveTask(db, env.environmentId, url);
    if (base.task?.mode === "message-move-task" && base.task.status === "running") base.task = await refreshTask(db, env, base.task.id, url).catch(() => base.task);
    const q = await sharedQueueState(env.sqs, url);
    base.depth = q.depth;
    base.inFlight = q.inFlight;
    const name = env.bindings[info.nodeId]?.queueName ?? url.slice(url.lastIndexOf("/") + 1);
    // An empty queue has no oldest message: no CloudWatch call for it.
    let ageProblem: Freshness["problem"];
    if (env.cloudwatch && env.kind === "aws" && q.depth + q.inFlight > 0) {
      try {
        base.oldestAgeSec = await cloudwatchOldest(env.cloudwatch, name);
      } catch (e) {
        const p = classifyAwsError(e, "cloudwatch:GetMetricData", `ApproximateAgeOfOldestMessage of ${name}`);
        ageProblem = { kind: p.kind, code: p.code, message: `oldest age unknown: ${p.message}`, ...(p.fix ? { fix: p.fix } : {}), ...(p.missingAction ? { missingAction: p.missingAction } : {}) };
      }
      base.oldestAgeSource = base.oldestAgeSec === null ? null : "cloudwatch";
    }
    if (base.oldestAgeSource === null && q.depth > 0) {
      const seen = peekedOldest.get(url);
      if (seen) {
        base.oldestAgeSec = Math.round((Date.now() - seen.sentMs) / 1000);
        base.oldestAgeSource = "peek";
      }
    }
    if (q.depth === 0 && q.inFlight === 0) peekedOldest.delete(url);
    base.freshness = { readAt, state: "fresh", ...(ageProblem ? { problem: ageProblem } : {}) };
    return base;
  } catch (e) {
    const p = e instanceof TopoError ? { kind: String(e.extra?.kind ?? "error"), code: e.code, message: e.message, fix: e.fix, ...(e.extra?.missingAction ? { missingAction: String(e.extra.missingAction) } : {}) } : classifyAwsError(e, "sqs:GetQueueAttributes");
    const freshness: Freshness = { readAt: null, state: "failing", problem: p };
    return { ...base, freshness };
  }
}

// ---------------------------------------------------------------------------------------------
// Peek, delete, purge
// ---------------------------------------------------------------------------------------------

export const MAX_PEEK = 100;

export async function peekDlq(env: DlqEnv, nodeId: string, max = 10): Promise<DlqPeek> {
  if (!Number.isInteger(max) || max < 1 || max > MAX_PEEK) throw new TopoError("TOPO-E159", `max=${max} is not between 1 and ${MAX_PEEK}`);
  const info = getDeadLetterQueueOrThrow(env.topology, nodeId);
  const url = await urlOrThrow(env, nodeId, info.name);
  const raw = await peekMessages(env.sqs, url, { max });
  const messages = raw.map(decodeDeadLetter).sort((a, b) => (a.sentAt ?? "").localeCompare(b.sentAt ?? ""));
  const q = await readQueueState(env.sqs, url).catch(() => null);
  const oldest = oldestAgeSeconds(messages);
  if (oldest !== null) {
    const sentMs = Math.min(...messages.filter((m) => m.sentAt).map((m) => Date.parse(m.sentAt!)));
    peekedOldest.set(url, { sentMs, at: Date.now() });
  }
  forgetState(url);
  return {
    nodeId,
    readAt: new Date().toISOString(),
    depth: q ? q.depth : null,
    oldestAgeSec: oldest,
    messages,
    partial: q ? messages.length < q.depth + q.inFlight : true,
    notice: PEEK_NOTICE + (info.ownRedrive ? ` This DLQ itself redrives after ${info.ownRedrive.maxReceiveCount} receives: peeking it that many times moves a message on to ${info.ownRedrive.deadLetterQueueId}.` : ""),
  };
}

export async function deleteDeadLetter(db: Db, env: DlqEnv, actor: string, nodeId: string, input: { messageId: string; receiptHandle?: string }): Promise<{ deleted: string }> {
  const info = getDeadLetterQueueOrThrow(env.topology, nodeId);
  const url = await urlOrThrow(env, nodeId, info.name);
  await deleteMessageById(env.sqs, url, input.messageId);
  forgetState(url);
  await recordAudit(db, { actor, projectId: env.projectId, action: "dlq.delete", target: input.messageId, details: { environmentId: env.environmentId, nodeId, queueUrl: url } });
  return { deleted: input.messageId };
}

export async function purgeDlq(db: Db, env: DlqEnv, actor: string, nodeId: string): Promise<{ purged: number }> {
  const info = getDeadLetterQueueOrThrow(env.topology, nodeId);
  const url = await urlOrThrow(env, nodeId, info.name);
  const before = await readQueueState(env.sqs, url);
  await purgeQueue(env.sqs, url);
  forgetState(url);
  peekedOldest.delete(url);
  const purged = before.depth + before.inFlight;
  await recordAudit(db, { actor, projectId: env.projectId, action: "dlq.purge", target: url, details: { environmentId: env.environmentId, nodeId, approximateMessages: purged } });
  return { purged };
}

// ---------------------------------------------------------------------------------------------
// Redrive
// ---------------------------------------------------------------------------------------------

export interface RedriveOptions {
  destinationNodeId?: string;
  maxPerSecond?: number;
  /** The copy-delete worker's settings (tests shorten them). */
  copy?: CopyMoveOptions;
}

/**
 * Starts a redrive of DLQ `nodeId` — or resumes its interrupted one — and returns the task at once; the UI polls
 * `getRedriveTask`. TOPO-E155 while another redrive of this DLQ runs.
 */
export async function startRedrive(db: Db, env: DlqEnv, actor: string, nodeId: string, opts: RedriveOptions = {}): Promise<{ task: MoveTask; resumed: boolean }> {
  const info = getDeadLetterQueueOrThrow(env.topology, nodeId);
  const sourceUrl = await urlOrThrow(env, nodeId, info.name);
  const latest = await latestMoveTask(db, env.environmentId, sourceUrl, opts.copy?.leaseMs);

  if (latest?.status === "interrupted") {
    void runCopyMove(db, env.sqs, latest.id, opts.copy).catch(() => {});
    await recordAudit(db, { actor, projectId: env.projectId, action: "dlq.redrive", target: sourceUrl, details: { environmentId: env.environmentId, nodeId, taskId: latest.id, resumed: true, movedBefore: latest.moved } });
    return { task: { ...latest, status: "running" }, resumed: true };
  }
  if (latest?.status === "running") {
    const current = latest.mode === "message-move-task" ? await refreshTask(db, env, latest.id, sourceUrl) : latest;
    if (current.status === "running") throw new TopoError("TOPO-E155", `${info.name} is being redriven (task ${latest.id}, ${current.moved} of ${current.total} moved)`);
  }

  const target = resolveRedriveTarget(env.topology, info, opts.destinationNodeId);
  const destNode = env.topology.nodes.find((n) => n.id === target.nodeId)!;
  const destUrl = await urlOrThrow(env, target.nodeId, destNode.name);
  if (destUrl === sourceUrl) throw new TopoError("TOPO-E154", `${destNode.name} and ${info.name} are the same queue in this environment`);
  const source = await readQueueState(env.sqs, sourceUrl);
  const total = source.depth + source.inFlight;

  // SQS's own move task handles DLQs fed by queues only (not a function's DLQ or on-failure destination).
  const queueFed = info.sources.length > 0 && info.sources.every((s) => s.relation === "redrive");
  let task: MoveTask | undefined;
  if (queueFed && source.arn) {
    const destArn = target.kind === "chosen" ? (await readQueueState(env.sqs, destUrl)).arn : null;
    const handle = await startNativeMove(env.sqs, source.arn, destArn, opts.maxPerSecond);
    if (handle !== null)
      task = await createMoveTask(db, { mode: "message-move-task", projectId: env.projectId, environmentId: env.environmentId, sourceUrl, destUrl, startedBy: actor, total });
  }
  if (!task) {
    task = await createMoveTask(db, { mode: "copy-delete", projectId: env.projectId, environmentId: env.environmentId, sourceUrl, destUrl, startedBy: actor, total });
    void runCopyMove(db, env.sqs, task.id, { maxPerSecond: opts.maxPerSecond, ...opts.copy, justCreated: true }).catch(() => {});
  }
  forgetState(sourceUrl);
  await recordAudit(db, {
    actor,
    projectId: env.projectId,
    action: "dlq.redrive",
    target: sourceUrl,
    details: { environmentId: env.environmentId, nodeId, taskId: task.id, mode: task.mode, destination: target.nodeId, destUrl, approximateMessages: total },
  });
  return { task, resumed: false };
}

async function refreshTask(db: Db, env: DlqEnv, taskId: string, sourceUrl: string): Promise<MoveTask> {
  const row = await getMoveTaskRow(db, taskId);
  if (modeOf(taskId) !== "message-move-task" || row.status !== "running") return toMoveTask(row);
  const arn = (await readQueueState(env.sqs, sourceUrl)).arn;
  return arn ? refreshNativeTask(db, env.sqs, row, arn) : toMoveTask(row);
}

/** A redrive task of this environment and DLQ, with its progress (message-move tasks are refreshed from SQS). */
export async function getRedriveTask(db: Db, env: DlqEnv, nodeId: string, taskId: string): Promise<MoveTask> {
  const row = await getMoveTaskRow(db, taskId);
  if (row.projectId !== env.projectId || row.environmentId !== env.environmentId) throw new TopoError("TOPO-E156", `there is no redrive task "${taskId}" in this environment`);
  const url = await queueUrlOf(env.sqs, env.bindings[nodeId]).catch(() => null);
  if (url && row.sourceUrl !== url) throw new TopoError("TOPO-E156", `task "${taskId}" is not a redrive of ${nodeId}`);
  return refreshTask(db, env, taskId, row.sourceUrl);
}

/**
 * Redrive tasks, kept in the `MoveTask` table so the UI can poll their progress and a move survives the
 * process that ran it.
 *
 * - `message-move-task`: SQS's own StartMessageMoveTask (AWS); progress read with ListMessageMoveTasks.
 * - `copy-delete`: where the endpoint has no message-move API (the sandbox's fauxqs) or the DLQ is fed by a
 *   function: batches of SendMessageBatch to the destination, then DeleteMessageBatch of exactly the ones sent
 *   (sqs.ts `moveBatch`). Interrupted anywhere, it loses nothing: unsent messages return to the DLQ when their
 *   visibility ends, and a message sent but not yet deleted is moved again (at least once: a duplicate, never a
 *   loss). The worker writes its progress after every batch; that write is also its heartbeat. A running task
 *   whose heartbeat is older than the lease is `interrupted`, and `resumeCopyMove` claims it (compare-and-set
 *   on updatedAt, so one worker across all server instances) and carries on.
 *
 * Task ids say their mode (`mmt-…`, `mv-…`), since the table has no column for it.
 */
import { randomUUID } from "node:crypto";
import {
  ListMessageMoveTasksCommand,
  StartMessageMoveTaskCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import type { Db } from "../../db/client";
import { TopoError } from "../../errors";
import { awsErrorName, classifyAwsError, problemError } from "../aws-errors";
import type { MoveTask } from "../types";
import { moveBatch, readQueueState } from "./sqs";

type MoveDb = Pick<Db, "moveTask">;
type Row = Awaited<ReturnType<Db["moveTask"]["findFirstOrThrow"]>>;

export const NATIVE_PREFIX = "mmt-";
export const COPY_PREFIX = "mv-";
/** A copy-delete task whose worker has not written for this long is interrupted (and may be resumed). */
export const DEFAULT_LEASE_MS = 20_000;

export function modeOf(id: string): MoveTask["mode"] {
  return id.startsWith(NATIVE_PREFIX) ? "message-move-task" : "copy-delete";
}

export function toMoveTask(row: Row, now = Date.now(), leaseMs = DEFAULT_LEASE_MS): MoveTask {
  const mode = modeOf(row.id);
  let status = row.status as MoveTask["status"];
  if (status === "running" && mode === "copy-delete" && now - row.updatedAt.getTime() > leaseMs && !workers.has(row.id)) status = "interrupted";
  return {
    id: row.id,
    mode,
    status,
    moved: row.moved,
    total: row.total,
    sourceUrl: row.sourceUrl,
    destUrl: row.destUrl || null,
    error: row.error,
    startedBy: row.startedBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

/** Workers running in this process, by task id (a task with a live worker here is never "interrupted"). */
const workers = new Map<string, Promise<MoveTask>>();

export interface CopyMoveOptions {
  /** How long a batch stays invisible in the source while it is copied (default 30 s). */
  visibilitySeconds?: number;
  /** Messages per second at most (like StartMessageMoveTask's MaxNumberOfMessagesPerSecond); unlimited when absent. */
  maxPerSecond?: number;
  /** How long to wait for messages in flight elsewhere (another peek, a crashed batch) before finishing; default visibility + 5 s. */
  inFlightWaitMs?: number;
  leaseMs?: number;
  /** Set by the caller that just created the task: claim it although its heartbeat is fresh. */
  justCreated?: boolean;
  /** Tests: called between a batch's copy and its delete (throw to simulate a crash there). */
  afterSend?: (batch: number) => void | Promise<void>;
}

export async function createMoveTask(
  db: MoveDb,
  t: { mode: MoveTask["mode"]; projectId: string; environmentId: string; sourceUrl: string; destUrl: string | null; startedBy: string; total: number },
): Promise<MoveTask> {
  const row = await db.moveTask.create({
    data: {
      id: (t.mode === "message-move-task" ? NATIVE_PREFIX : COPY_PREFIX) + randomUUID(),
      projectId: t.projectId,
      environmentId: t.environmentId,
      sourceUrl: t.sourceUrl,
      destUrl: t.destUrl ?? "",
      status: "running",
      total: t.total,
      startedBy: t.startedBy,
    },
  });
  return toMoveTask(row);
}

export async function getMoveTaskRow(db: MoveDb, id: string): Promise<Row> {
  const row = await db.moveTask.findUnique({ where: { id } });
  if (!row) throw new TopoError("TOPO-E156", `there is no redrive task "${id}"`);
  return row;
}

/** The latest task of a source queue in an environment (running or not). */
export async function latestMoveTask(db: MoveDb, environmentId: string, sourceUrl: string, leaseMs?: number): Promise<MoveTask | null> {
  const row = await db.moveTask.findFirst({ where: { environmentId, sourceUrl }, orderBy: { createdAt: "desc" } });
  return row ? toMoveTask(row, Date.now(), leaseMs) : null;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Claims an interrupted (or just created) copy-delete task and runs it to the end in this process. Resolves with the
 * final task; a crash of this process leaves it `running` with a stale heartbeat, i.e. interrupted and resumable.
 * Only one caller wins the claim; the others get the task as it is.
 */
export function runCopyMove(db: MoveDb, sqs: SQSClient, id: string, opts: CopyMoveOptions = {}): Promise<MoveTask> {
  const existing = workers.get(id);
  if (existing) return existing;
  const p = claimAndRun(db, sqs, id, opts).finally(() => workers.delete(id));
  workers.set(id, p);
  return p;
}

async function claimAndRun(db: MoveDb, sqs: SQSClient, id: string, opts: CopyMoveOptions): Promise<MoveTask> {
  const leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
  const row = await getMoveTaskRow(db, id);
  if (modeOf(id) !== "copy-delete" || row.status !== "running") return toMoveTask(row, Date.now(), leaseMs);
  // A worker elsewhere (another instance, another process) is alive while its heartbeat is fresh.
  if (!opts.justCreated && Date.now() - row.updatedAt.getTime() <= leaseMs) return toMoveTask(row, Date.now(), leaseMs);
  // A fresh task (moved 0, just created by our caller) or a stale one: compare-and-set on updatedAt.
  const claimed = await db.moveTask.updateMany({ where: { id, status: "running", updatedAt: row.updatedAt }, data: { error: null } });
  if (claimed.count !== 1) return toMoveTask(await getMoveTaskRow(db, id), Date.now(), leaseMs);
  return copyLoop(db, sqs, row, opts, leaseMs);
}

async function copyLoop(db: MoveDb, sqs: SQSClient, row: Row, opts: CopyMoveOptions, leaseMs: number): Promise<MoveTask> {
  const id = row.id;
  const visibilitySeconds = opts.visibilitySeconds ?? 30;
  const inFlightWaitMs = opts.inFlightWaitMs ?? visibilitySeconds * 1000 + 5_000;
  const dest = row.destUrl;
  const finish = async (status: "completed" | "failed", error: string | null) =>
    toMoveTask(await db.moveTask.update({ where: { id }, data: { status, error, finishedAt: new Date() } }), Date.now(), leaseMs);
  try {
    const destFifo = (await readQueueState(sqs, dest)).fifo;
    let batch = 0;
    let emptySince: number | null = null;
    let lastBeat = Date.now();
    const started = Date.now();
    let movedHere = 0;
    for (;;) {
      const r = await moveBatch(sqs, row.sourceUrl, dest, { visibilitySeconds, destFifo, afterSend: opts.afterSend ? () => opts.afterSend!(batch) : undefined });
      batch++;
      if (r.received > 0) {
        emptySince = null;
        if (r.moved === 0 && r.failed.length === r.received) return finish("failed", `the destination refused every message of a batch: ${r.failed[0].message}`);
        movedHere += r.moved;
        await db.moveTask.update({ where: { id }, data: { moved: { increment: r.moved } } });
        lastBeat = Date.now();
        if (opts.maxPerSecond) {
          const ahead = (movedHere / opts.maxPerSecond) * 1000 - (Date.now() - started);
          if (ahead > 0) await sleep(ahead);
        }
        continue;
      }
      // Nothing visible: done, unless messages are in flight (a batch of a crashed worker, someone's peek) —
      // they come back when their visibility ends, so wait for them a while.
      const q = await readQueueState(sqs, row.sourceUrl);
      if (q.depth === 0 && q.inFlight === 0) return finish("completed", null);
      emptySince ??= Date.now();
      if (q.depth === 0 && Date.now() - emptySince > inFlightWaitMs)
        return finish("completed", `${q.inFlight} message${q.inFlight === 1 ? " was" : "s were"} in flight elsewhere and stayed in the DLQ`);
      if (Date.now() - lastBeat > leaseMs / 4) {
        await db.moveTask.update({ where: { id }, data: { error: null } });
        lastBeat = Date.now();
      }
      await sleep(q.depth > 0 ? 0 : 200);
    }
  } catch (e) {
    const msg = e instanceof TopoError ? `${e.code}: ${e.message}` : (e as Error).message;
    // A crash simulated by a test hook leaves the task running (interrupted), exactly as a killed process would.
    if ((e as { interrupt?: boolean }).interrupt) throw e;
    return finish("failed", msg);
  }
}

/** Thrown by test hooks to stop a worker as a crash would (the task stays running, its heartbeat goes stale). */
export class SimulatedCrash extends Error {
  readonly interrupt = true;
}

// ---------------------------------------------------------------------------------------------
// StartMessageMoveTask
// ---------------------------------------------------------------------------------------------

/** Error names meaning "this endpoint has no message-move API" (fauxqs, older emulators): fall back to copy-delete. */
const UNSUPPORTED = new Set(["InvalidAction", "UnknownOperationException", "UnknownOperation", "NotImplemented", "InvalidParameterValue.UnknownAction"]);

export function isMoveApiMissing(e: unknown): boolean {
  return UNSUPPORTED.has(awsErrorName(e)) || /unknown (action|operation)/i.test(String((e as Error)?.message ?? ""));
}

/**
 * StartMessageMoveTask from `sourceArn` (to `destArn`, or back to each message's source queue when null).
 * Resolves with null when the endpoint does not support it; access denied etc. throw with the IAM action.
 */
export async function startNativeMove(sqs: SQSClient, sourceArn: string, destArn: string | null, maxPerSecond?: number): Promise<string | null> {
  try {
    const r = await sqs.send(
      new StartMessageMoveTaskCommand({ SourceArn: sourceArn, ...(destArn ? { DestinationArn: destArn } : {}), ...(maxPerSecond ? { MaxNumberOfMessagesPerSecond: maxPerSecond } : {}) }),
    );
    return r.TaskHandle ?? "";
  } catch (e) {
    if (isMoveApiMissing(e)) return null;
    throw problemError(classifyAwsError(e, "sqs:StartMessageMoveTask", sourceArn));
  }
}

const NATIVE_STATUS: Record<string, MoveTask["status"]> = { RUNNING: "running", CANCELLING: "running", COMPLETED: "completed", CANCELLED: "cancelled", FAILED: "failed" };

/**
 * Refreshes a message-move-task row from ListMessageMoveTasks: the result started at (or just after) the row's
 * creation is ours (SQS runs one task per queue at a time, and this table records each one we start).
 */
export async function refreshNativeTask(db: MoveDb, sqs: SQSClient, row: Row, sourceArn: string): Promise<MoveTask> {
  if (row.status !== "running") return toMoveTask(row);
  const r = await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: sourceArn, MaxResults: 10 })).catch((e) => {
    throw problemError(classifyAwsError(e, "sqs:ListMessageMoveTasks", sourceArn));
  });
  const since = row.createdAt.getTime() - 60_000;
  const mine = (r.Results ?? [])
    .filter((t) => (t.StartedTimestamp ?? 0) >= since)
    .sort((a, b) => (a.StartedTimestamp ?? 0) - (b.StartedTimestamp ?? 0))[0];
  if (!mine) return toMoveTask(row);
  const status = NATIVE_STATUS[mine.Status ?? ""] ?? "running";
  const updated = await db.moveTask.update({
    where: { id: row.id },
    data: {
      moved: Number(mine.ApproximateNumberOfMessagesMoved ?? row.moved),
      total: Number(mine.ApproximateNumberOfMessagesToMove ?? row.total),
      status,
      error: mine.FailureReason ?? null,
      ...(status !== "running" ? { finishedAt: new Date() } : {}),
    },
  });
  return toMoveTask(updated);
}

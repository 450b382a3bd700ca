/**
 * What the sandbox routes do (app/api/projects/[id]/sandbox/**): parse input, call the manager, audit.
 * The route files stay thin; this module is the tested core.
 */
import { z } from "zod";
import { parseOrThrow } from "../api/parse";
import { recordAudit } from "../audit/audit";
import type { Db } from "../db/client";
import { getProjectOrThrow } from "../db/projects";
import { sandboxSummary, startProjectSandbox, startTrafficRun, stopProjectSandbox, stopTrafficRuns, type StartOptions } from "./manager";

/** Limits of one traffic run: up to 2,000 events/s for up to 10 minutes. */
export const TRAFFIC_LIMITS = { ratePerSec: { min: 0.1, max: 2_000 }, durationSec: { min: 1, max: 600 } } as const;

export const TrafficRunInputSchema = z.strictObject({
  nodeId: z.string().min(1).max(64).regex(/^[a-z0-9][a-z0-9-]*$/, "a node id"),
  ratePerSec: z.number().min(TRAFFIC_LIMITS.ratePerSec.min).max(TRAFFIC_LIMITS.ratePerSec.max),
  durationSec: z.number().int().min(TRAFFIC_LIMITS.durationSec.min).max(TRAFFIC_LIMITS.durationSec.max),
  poisonFraction: z.number().min(0).max(1).default(0),
});

export const TrafficStopInputSchema = z.strictObject({ runId: z.string().min(1).max(64).optional() });

export async function getSandbox(db: Db, projectId: string) {
  await getProjectOrThrow(db, projectId);
  return sandboxSummary(projectId);
}

export async function startSandboxFor(db: Db, projectId: string, actor: string, opts: Omit<StartOptions, "db"> = {}) {
  await getProjectOrThrow(db, projectId);
  const before = (await sandboxSummary(projectId)).meta?.revision;
  const status = await startProjectSandbox(projectId, { ...opts, db });
  if (status.meta && status.meta.revision !== before)
    await recordAudit(db, { actor, projectId, action: "sandbox.start", target: String(status.meta.revision), details: { endpoints: status.meta.endpoints } });
  return status;
}

export async function stopSandboxFor(db: Db, projectId: string, actor: string) {
  await getProjectOrThrow(db, projectId);
  const stopped = await stopProjectSandbox(projectId);
  if (stopped) await recordAudit(db, { actor, projectId, action: "sandbox.stop" });
  return stopped;
}

export async function startTrafficFor(db: Db, projectId: string, actor: string, input: unknown) {
  const spec = parseOrThrow(TrafficRunInputSchema, input);
  await getProjectOrThrow(db, projectId);
  const run = startTrafficRun(projectId, spec);
  await recordAudit(db, { actor, projectId, action: "sandbox.traffic", target: spec.nodeId, details: { ...spec, runId: run.id } });
  return run;
}

export async function stopTrafficFor(db: Db, projectId: string, input: unknown) {
  const { runId } = parseOrThrow(TrafficStopInputSchema, input ?? {});
  await getProjectOrThrow(db, projectId);
  return stopTrafficRuns(projectId, runId);
}

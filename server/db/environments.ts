/**
 * Environments of a project: where its topology is observed (the local sandbox or an AWS
 * account). Only credential *references* are stored ("default", "profile:<name>", a role ARN);
 * the schema refuses anything else, so a secret can never end up in the database.
 */
import { randomBytes } from "node:crypto";
import { TopoError } from "../errors";
import { EnvironmentInputSchema, type Environment } from "../model/schema";
import { EnvironmentUpdateSchema } from "../api/schemas";
import { parseOrThrow } from "../api/parse";
import type { Db } from "./client";
import { isUniqueViolation } from "./errors";
import { getProjectOrThrow } from "./projects";

export interface EnvironmentRecord extends Environment {
  id: string;
  projectId: string;
  createdAt: string;
  updatedAt: string;
}

type Row = Awaited<ReturnType<Db["environment"]["findFirstOrThrow"]>>;

function toRecord(row: Row): EnvironmentRecord {
  return {
    id: row.id,
    projectId: row.projectId,
    name: row.name,
    kind: row.kind as Environment["kind"],
    region: row.region ?? undefined,
    credentialsRef: row.credentialsRef ?? undefined,
    stackName: row.stackName ?? undefined,
    bindings: JSON.parse(row.bindings) as Environment["bindings"],
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const taken = (name: string) =>
  new TopoError("TOPO-E022", `this project already has an environment named "${name}"`, {
    details: [{ code: "TOPO-E022", path: "name", message: "this name is taken" }],
  });

export async function listEnvironments(db: Db, projectId: string): Promise<EnvironmentRecord[]> {
  await getProjectOrThrow(db, projectId);
  const rows = await db.environment.findMany({ where: { projectId }, orderBy: { name: "asc" } });
  return rows.map(toRecord);
}

export async function getEnvironmentOrThrow(db: Db, projectId: string, id: string): Promise<EnvironmentRecord> {
  const row = await db.environment.findFirst({ where: { projectId, id } });
  if (!row) throw new TopoError("TOPO-E020", `environment "${id}" not found in project "${projectId}"`);
  return toRecord(row);
}

export async function createEnvironment(db: Db, projectId: string, input: unknown): Promise<EnvironmentRecord> {
  const env = parseOrThrow(EnvironmentInputSchema, input);
  await getProjectOrThrow(db, projectId);
  try {
    const row = await db.environment.create({
      data: {
        id: `env-${randomBytes(6).toString("hex")}`,
        projectId,
        name: env.name,
        kind: env.kind,
        region: env.region ?? null,
        credentialsRef: env.credentialsRef ?? null,
        stackName: env.stackName ?? null,
        bindings: JSON.stringify(env.bindings),
      },
    });
    return toRecord(row);
  } catch (e) {
    if (isUniqueViolation(e)) throw taken(env.name);
    throw e;
  }
}

/** Applies a partial update, re-validating the whole environment so it can never become invalid. */
export async function updateEnvironment(db: Db, projectId: string, id: string, input: unknown): Promise<EnvironmentRecord> {
  const patch = parseOrThrow(EnvironmentUpdateSchema, input);
  const current = await getEnvironmentOrThrow(db, projectId, id);
  const merged = parseOrThrow(EnvironmentInputSchema, {
    name: patch.name ?? current.name,
    kind: patch.kind ?? current.kind,
    region: patch.region === null ? undefined : (patch.region ?? current.region),
    credentialsRef: patch.credentialsRef === null ? undefined : (patch.credentialsRef ?? current.credentialsRef),
    stackName: patch.stackName === null ? undefined : (patch.stackName ?? current.stackName),
    bindings: patch.bindings ?? current.bindings,
  });
  try {
    const row = await db.environment.update({
      where: { id },
      data: {
        name: merged.name,
        kind: merged.kind,
        region: merged.region ?? null,
        credentialsRef: merged.credentialsRef ?? null,
        stackName: merged.stackName ?? null,
        bindings: JSON.stringify(merged.bindings),
      },
    });
    return toRecord(row);
  } catch (e) {
    if (isUniqueViolation(e)) throw taken(merged.name);
    throw e;
  }
}

export async function deleteEnvironment(db: Db, projectId: string, id: string): Promise<void> {
  await getEnvironmentOrThrow(db, projectId, id);
  await db.environment.delete({ where: { id } });
}

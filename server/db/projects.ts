/**
 * Projects and their append-only topology revisions.
 *
 * Saving is optimistic: a save names the revision it started from. If another save landed
 * since, the save is refused with 409 (TOPO-E021) carrying both numbers, and nothing is
 * written; the client keeps its document and decides. Two racing saves on the same base both
 * try to insert number N + 1; the (projectId, number) unique index lets exactly one win.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { TopoError } from "../errors";
import { parseTopologyOrThrow } from "../model/validate";
import type { Topology } from "../model/schema";
import { MAX_DOCUMENT_BYTES, ProjectCreateSchema, ProjectUpdateSchema, RevisionSaveSchema, type ProjectCreate, type RevisionSave } from "../api/schemas";
import { parseOrThrow } from "../api/parse";
import type { Db } from "./client";
import { isUniqueViolation } from "./errors";

export interface ProjectSummary {
  id: string;
  name: string;
  description: string;
  createdAt: string;
  updatedAt: string;
  latestRevision: number;
  counts: { contexts: number; functions: number; nodes: number; edges: number };
}

export interface RevisionMeta {
  number: number;
  message: string;
  author: string;
  size: number;
  createdAt: string;
}

export interface Revision extends RevisionMeta {
  projectId: string;
  document: Topology;
}

function newProjectId(): string {
  return `p-${randomBytes(6).toString("hex")}`;
}

function emptyTopology(name: string, description: string): Topology {
  return parseTopologyOrThrow({ schemaVersion: 1, name, description: description || undefined });
}

/** Canonical stored form: compact JSON of the validated (defaults filled, migrated) document. */
function serialize(doc: Topology): string {
  const text = JSON.stringify(doc);
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_DOCUMENT_BYTES) throw new TopoError("TOPO-E024", `the topology is ${bytes} bytes; the limit is ${MAX_DOCUMENT_BYTES}`);
  return text;
}

function countsOf(doc: Topology) {
  return {
    contexts: doc.contexts.length,
    functions: doc.nodes.filter((n) => n.kind === "function").length,
    nodes: doc.nodes.length,
    edges: doc.edges.length,
  };
}

function nameTaken(name: string) {
  return new TopoError("TOPO-E022", `a project named "${name}" already exists`, {
    fix: "Choose another name, or open the existing project.",
    details: [{ code: "TOPO-E022", path: "name", message: "this name is taken" }],
  });
}

function notFound(what: string) {
  return new TopoError("TOPO-E020", `${what} not found`);
}

type ProjectRow = Awaited<ReturnType<Db["project"]["findFirstOrThrow"]>>;

function toSummary(p: ProjectRow, latest: { number: number; document: string } | undefined): ProjectSummary {
  const doc = latest ? readDocument(latest.document) : undefined;
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
    latestRevision: latest?.number ?? 0,
    counts: doc ? countsOf(doc) : { contexts: 0, functions: 0, nodes: 0, edges: 0 },
  };
}

/** Each project's latest revision comes with it, so listing costs two queries whatever the number of projects. */
const withLatest = { revisions: { orderBy: { number: "desc" as const }, take: 1, select: { number: true, document: true } } };

export async function listProjects(db: Db): Promise<ProjectSummary[]> {
  const projects = await db.project.findMany({ orderBy: { updatedAt: "desc" }, include: withLatest });
  return projects.map((p) => toSummary(p, p.revisions[0]));
}

export async function getProjectOrThrow(db: Db, id: string): Promise<ProjectSummary> {
  const p = await db.project.findUnique({ where: { id }, include: withLatest });
  if (!p) throw notFound(`project "${id}"`);
  return toSummary(p, p.revisions[0]);
}

/**
 * Creates a project and its first revision in one transaction.
 * @example await createProject(db, { name: "Orders", document: ordersTopology })
 */
export async function createProject(db: Db, input: ProjectCreate, author = "local"): Promise<ProjectSummary> {
  const body = parseOrThrow(ProjectCreateSchema, input);
  const doc = body.document === undefined ? emptyTopology(body.name, body.description) : parseTopologyOrThrow(body.document);
  const text = serialize(doc);
  const id = newProjectId();
  try {
    await db.$transaction([
      db.project.create({ data: { id, name: body.name, description: body.description } }),
      db.topologyRevision.create({
        data: { id: randomUUID(), projectId: id, number: 1, document: text, message: "Created", author, size: Buffer.byteLength(text) },
      }),
    ]);
  } catch (e) {
    if (isUniqueViolation(e)) throw nameTaken(body.name);
    throw e;
  }
  return getProjectOrThrow(db, id);
}

export async function updateProject(db: Db, id: string, input: unknown): Promise<ProjectSummary> {
  const body = parseOrThrow(ProjectUpdateSchema, input);
  await getProjectOrThrow(db, id);
  try {
    await db.project.update({ where: { id }, data: { ...(body.name !== undefined ? { name: body.name } : {}), ...(body.description !== undefined ? { description: body.description } : {}) } });
  } catch (e) {
    if (isUniqueViolation(e)) throw nameTaken(body.name ?? "");
    throw e;
  }
  return getProjectOrThrow(db, id);
}

/** Deletes a project with all its revisions and environments, in one transaction. */
export async function deleteProject(db: Db, id: string): Promise<void> {
  await getProjectOrThrow(db, id);
  await db.$transaction([
    db.topologyRevision.deleteMany({ where: { projectId: id } }),
    db.environment.deleteMany({ where: { projectId: id } }),
    db.project.delete({ where: { id } }),
  ]);
}

export async function listRevisions(db: Db, projectId: string): Promise<RevisionMeta[]> {
  await getProjectOrThrow(db, projectId);
  const rows = await db.topologyRevision.findMany({
    where: { projectId },
    orderBy: { number: "desc" },
    select: { number: true, message: true, author: true, size: true, createdAt: true },
  });
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
}

/** Reads a stored document; older schema versions are upgraded on read. */
function readDocument(text: string): Topology {
  return parseTopologyOrThrow(JSON.parse(text));
}

export async function getRevisionOrThrow(db: Db, projectId: string, number: number | "latest"): Promise<Revision> {
  await getProjectOrThrow(db, projectId);
  const row =
    number === "latest"
      ? await db.topologyRevision.findFirst({ where: { projectId }, orderBy: { number: "desc" } })
      : await db.topologyRevision.findUnique({ where: { projectId_number: { projectId, number } } });
  if (!row) throw notFound(`revision ${number} of project "${projectId}"`);
  return {
    projectId,
    number: row.number,
    message: row.message,
    author: row.author,
    size: row.size,
    createdAt: row.createdAt.toISOString(),
    document: readDocument(row.document),
  };
}

function conflict(baseRevision: number, latestRevision: number) {
  return new TopoError(
    "TOPO-E021",
    `revision ${latestRevision} was saved after your base revision ${baseRevision}; nothing was overwritten`,
    { extra: { baseRevision, latestRevision } },
  );
}

/**
 * Appends a revision if `baseRevision` is still the latest; otherwise throws TOPO-E021 (409)
 * with `baseRevision` and `latestRevision`, and writes nothing.
 */
export async function saveRevision(db: Db, projectId: string, input: RevisionSave): Promise<RevisionMeta> {
  const body = parseOrThrow(RevisionSaveSchema, input);
  const doc = parseTopologyOrThrow(body.document);
  const text = serialize(doc);
  await getProjectOrThrow(db, projectId);
  const latest = await db.topologyRevision.findFirst({ where: { projectId }, orderBy: { number: "desc" }, select: { number: true } });
  const latestNumber = latest?.number ?? 0;
  if (latestNumber !== body.baseRevision) throw conflict(body.baseRevision, latestNumber);
  const number = latestNumber + 1;
  try {
    const [row] = await db.$transaction([
      db.topologyRevision.create({
        data: { id: randomUUID(), projectId, number, document: text, message: body.message, author: body.author, size: Buffer.byteLength(text) },
        select: { number: true, message: true, author: true, size: true, createdAt: true },
      }),
      db.project.update({ where: { id: projectId }, data: { updatedAt: new Date() } }),
    ]);
    return { ...row, createdAt: row.createdAt.toISOString() };
  } catch (e) {
    // Another save took number N + 1 between our read and our insert.
    if (isUniqueViolation(e)) {
      const now = await db.topologyRevision.findFirst({ where: { projectId }, orderBy: { number: "desc" }, select: { number: true } });
      throw conflict(body.baseRevision, now?.number ?? number);
    }
    throw e;
  }
}

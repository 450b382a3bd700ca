/**
 * The History tab's server side: a readable diff between two revisions of a project, and
 * restoring an old revision by saving its document again as a NEW revision (history is never
 * rewritten; a restore is a save like any other, refused with 409 when its base is stale).
 */
import { z } from "zod";
import { TopoError } from "../errors";
import { diffTopologies, type DiffOptions, type TopologyDiff } from "../model/diff";
import { parseTopologyOrThrow } from "../model/validate";
import type { Db } from "./client";
import { getRevisionOrThrow, saveRevision, type RevisionMeta } from "./projects";

/** Body of `POST /api/projects/:id/revisions/:number/restore`. */
export const RevisionRestoreSchema = z.object({
  baseRevision: z.number().int().min(0).describe("The latest revision the client knows; the restore is refused with 409 if another save landed since."),
  author: z.string().trim().min(1).max(100).default("local"),
});

export interface RevisionDiff extends TopologyDiff {
  /** The older side; 0 is the empty document a project starts from (revision 1 against nothing). */
  from: number;
  /** The newer side. */
  to: number;
}

/**
 * Diff of revision `number` against revision `against` (default: the one before it; revision 1
 * is compared with an empty document, so everything in it reads as added).
 * @example (await diffRevisions(db, "p-1", 3)).summary // "1 edge changed"
 * @example await diffRevisions(db, "p-1", 3, 1) // what changed from revision 1 to revision 3
 */
export async function diffRevisions(
  db: Db,
  projectId: string,
  number: number | "latest",
  against?: number | "latest",
  opts: DiffOptions = {},
): Promise<RevisionDiff> {
  const target = await getRevisionOrThrow(db, projectId, number);
  const base = against ?? target.number - 1;
  if (base === 0) {
    const empty = parseTopologyOrThrow({ schemaVersion: 1, name: target.document.name });
    return { from: 0, to: target.number, ...diffTopologies(empty, target.document, opts) };
  }
  const other = await getRevisionOrThrow(db, projectId, base);
  return { from: other.number, to: target.number, ...diffTopologies(other.document, target.document, opts) };
}

/**
 * Saves revision `number`'s document as a new revision ("Restored revision N") on top of
 * `baseRevision`; TOPO-E021 (409) if another save landed since `baseRevision`.
 * @example await restoreRevision(db, "p-1", 1, 3) // → { number: 4, message: "Restored revision 1", … }
 */
export async function restoreRevision(db: Db, projectId: string, number: number | "latest", baseRevision: number, author = "local"): Promise<RevisionMeta> {
  if (!Number.isInteger(baseRevision) || baseRevision < 0)
    throw new TopoError("TOPO-E023", `baseRevision ${baseRevision} is not a revision number`, { details: [{ code: "TOPO-E023", path: "baseRevision", message: "a whole number ≥ 0" }] });
  const source = await getRevisionOrThrow(db, projectId, number);
  return saveRevision(db, projectId, { baseRevision, document: source.document, message: `Restored revision ${source.number}`, author });
}

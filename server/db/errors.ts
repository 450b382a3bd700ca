/** Maps database driver errors to user-facing TopoErrors. */
import { TopoError } from "../errors";

function prismaCode(e: unknown): string | undefined {
  return e && typeof e === "object" && "code" in e && typeof (e as { code: unknown }).code === "string" ? (e as { code: string }).code : undefined;
}

/** True for a unique-constraint violation, whichever driver raised it. */
export function isUniqueViolation(e: unknown): boolean {
  const code = prismaCode(e);
  if (code === "P2002" || code === "23505" || code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY") return true;
  const msg = e instanceof Error ? e.message : "";
  return /Unique constraint failed|UNIQUE constraint failed|duplicate key value/i.test(msg);
}

export function isNotFound(e: unknown): boolean {
  return prismaCode(e) === "P2025";
}

/** Connection failures are a 503 with a fix, not an internal error. */
export function isConnectionError(e: unknown): boolean {
  const code = prismaCode(e);
  const msg = e instanceof Error ? e.message : "";
  return code === "ECONNREFUSED" || code === "P1001" || /ECONNREFUSED|unable to open database|Can't reach database/i.test(msg);
}

export function mapDbError(e: unknown): unknown {
  if (e instanceof TopoError) return e;
  if (isConnectionError(e)) return new TopoError("TOPO-E040", "the database is not reachable");
  return e;
}

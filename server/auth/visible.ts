/** The project list shows only what the caller may see: global admins (and the local admin) see all. */
import type { Db } from "../db/client";
import type { Principal } from "./access";
import { visibleProjectIds } from "./users";

/** @example const projects = await onlyVisible(db, ctx.user, await listProjects(db)) */
export async function onlyVisible<T extends { id: string }>(db: Db, user: Principal | null, projects: T[]): Promise<T[]> {
  if (!user) return [];
  const ids = await visibleProjectIds(db, { id: user.id, role: user.globalRole });
  if (!ids) return projects;
  return projects.filter((p) => ids.has(p.id));
}

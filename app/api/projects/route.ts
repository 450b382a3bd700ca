import { created, readJson, route } from "@/server/api/handler";
import { getDb } from "@/server/db/client";
import { createProject, listProjects } from "@/server/db/projects";
import { onlyVisible } from "@/server/auth/visible";

// GET /api/projects – the projects the caller may see, with their latest revision number and element counts
export const GET = route(async (_req, _params, ctx) => ({ projects: await onlyVisible(getDb(), ctx.user, await listProjects(getDb())) }));

// POST /api/projects – create a project ({ name, description?, document? }) with revision 1
export const POST = route(async (req) => created({ project: await createProject(getDb(), (await readJson(req)) as never) }));

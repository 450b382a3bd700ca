import { created, readJson, route } from "@/server/api/handler";
import { getDb } from "@/server/db/client";
import { createProject, listProjects } from "@/server/db/projects";
import { onlyVisible } from "@/server/auth/visible";
import { authorFor } from "@/server/auth/access";

// GET /api/projects – the projects the caller may see, with their latest revision number and element counts
export const GET = route(async (_req, _params, ctx) => ({ projects: await onlyVisible(getDb(), ctx.user, await listProjects(getDb())) }));

// POST /api/projects – create a project ({ name, description?, document? }) with revision 1
export const POST = route(async (req, _params, ctx) => created({ project: await createProject(getDb(), (await readJson(req)) as never, authorFor(ctx.user, undefined)) }));

import { created, readJson, route } from "@/server/api/handler";
import { getDb } from "@/server/db/client";
import { createProject, listProjects } from "@/server/db/projects";

// GET /api/projects – every project with its latest revision number and element counts
export const GET = route(async () => ({ projects: await listProjects(getDb()) }));

// POST /api/projects – create a project ({ name, description?, document? }) with revision 1
export const POST = route(async (req) => created({ project: await createProject(getDb(), (await readJson(req)) as never) }));

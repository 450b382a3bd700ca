import { noContent, readJson, route } from "@/server/api/handler";
import { getDb } from "@/server/db/client";
import { deleteProject, getProjectOrThrow, updateProject } from "@/server/db/projects";

type P = { id: string };

// GET /api/projects/:id – one project
export const GET = route<P>(async (_req, { id }) => ({ project: await getProjectOrThrow(getDb(), id) }));

// PATCH /api/projects/:id – rename or re-describe ({ name?, description? })
export const PATCH = route<P>(async (req, { id }) => ({ project: await updateProject(getDb(), id, await readJson(req)) }));

// DELETE /api/projects/:id – delete the project, its revisions and environments
export const DELETE = route<P>(async (_req, { id }) => {
  await deleteProject(getDb(), id);
  return noContent();
});

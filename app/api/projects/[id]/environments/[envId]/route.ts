import { noContent, readJson, route } from "@/server/api/handler";
import { getDb } from "@/server/db/client";
import { deleteEnvironment, getEnvironmentOrThrow, updateEnvironment } from "@/server/db/environments";

type P = { id: string; envId: string };

// GET /api/projects/:id/environments/:envId – one environment
export const GET = route<P>(async (_req, { id, envId }) => ({ environment: await getEnvironmentOrThrow(getDb(), id, envId) }));

// PATCH /api/projects/:id/environments/:envId – partial update, re-validated as a whole
export const PATCH = route<P>(async (req, { id, envId }) => ({ environment: await updateEnvironment(getDb(), id, envId, await readJson(req)) }));

// DELETE /api/projects/:id/environments/:envId – remove the environment
export const DELETE = route<P>(async (_req, { id, envId }) => {
  await deleteEnvironment(getDb(), id, envId);
  return noContent();
});

import { created, readJson, route } from "@/server/api/handler";
import { getDb } from "@/server/db/client";
import { createEnvironment, listEnvironments } from "@/server/db/environments";

type P = { id: string };

// GET /api/projects/:id/environments – the project's environments
export const GET = route<P>(async (_req, { id }) => ({ environments: await listEnvironments(getDb(), id) }));

// POST /api/projects/:id/environments – create { name, kind, region?, credentialsRef?, stackName?, bindings? }
export const POST = route<P>(async (req, { id }) => created({ environment: await createEnvironment(getDb(), id, await readJson(req)) }));

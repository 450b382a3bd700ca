import { created, readJson, route } from "@/server/api/handler";
import { getDb } from "@/server/db/client";
import { listRevisions, saveRevision } from "@/server/db/projects";

type P = { id: string };

// GET /api/projects/:id/revisions – revision metadata, newest first (no documents)
export const GET = route<P>(async (_req, { id }) => ({ revisions: await listRevisions(getDb(), id) }));

// POST /api/projects/:id/revisions – save { baseRevision, document, message?, author? }; 409 if baseRevision is stale
export const POST = route<P>(async (req, { id }) => created({ revision: await saveRevision(getDb(), id, (await readJson(req)) as never) }));

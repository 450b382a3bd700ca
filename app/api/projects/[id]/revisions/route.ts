import { created, readJson, route } from "@/server/api/handler";
import { getDb } from "@/server/db/client";
import { listRevisions, saveRevision } from "@/server/db/projects";
import { authorFor } from "@/server/auth/access";

type P = { id: string };

// GET /api/projects/:id/revisions – revision metadata, newest first (no documents)
export const GET = route<P>(async (_req, { id }) => ({ revisions: await listRevisions(getDb(), id) }));

// POST /api/projects/:id/revisions – save { baseRevision, document, message?, author? }; 409 if baseRevision is stale
export const POST = route<P>(async (req, { id }, ctx) => {
  const body = await readJson(req);
  // With sign-in on, the author is who is signed in, not what the client claims.
  const withAuthor = body && typeof body === "object" && !Array.isArray(body) ? { ...body, author: authorFor(ctx.user, (body as { author?: string }).author) } : body;
  return created({ revision: await saveRevision(getDb(), id, withAuthor as never) });
});

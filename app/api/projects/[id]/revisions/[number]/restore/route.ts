import { created, parseRevisionNumber, readJson, route } from "@/server/api/handler";
import { parseOrThrow } from "@/server/api/parse";
import { getDb } from "@/server/db/client";
import { RevisionRestoreSchema, restoreRevision } from "@/server/db/history";
import { authorFor } from "@/server/auth/access";

// POST /api/projects/:id/revisions/:number/restore – { baseRevision, author? }: saves revision :number's document as a
// new revision ("Restored revision N"); 409 TOPO-E021 if baseRevision is stale
export const POST = route<{ id: string; number: string }>(async (req, { id, number }, ctx) => {
  const body = parseOrThrow(RevisionRestoreSchema, await readJson(req));
  return created({ revision: await restoreRevision(getDb(), id, parseRevisionNumber(number), body.baseRevision, authorFor(ctx.user, body.author)) });
});

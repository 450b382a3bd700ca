import { parseRevisionNumber, route } from "@/server/api/handler";
import { getDb } from "@/server/db/client";
import { getRevisionOrThrow } from "@/server/db/projects";

// GET /api/projects/:id/revisions/:number – one revision with its document (number or "latest")
export const GET = route<{ id: string; number: string }>(async (_req, { id, number }) => ({
  revision: await getRevisionOrThrow(getDb(), id, parseRevisionNumber(number)),
}));

import { parseRevisionNumber, route } from "@/server/api/handler";
import { getDb } from "@/server/db/client";
import { diffRevisions } from "@/server/db/history";

// GET /api/projects/:id/revisions/:number/diff?against=<n>&positions=1 – readable diff against revision `against`
// (default: the previous one; revision 1 against the empty document); positions=1 lists moves as fields too
export const GET = route<{ id: string; number: string }>(async (req, { id, number }) => {
  const query = new URL(req.url).searchParams;
  const against = query.get("against");
  const positions = query.get("positions");
  return {
    diff: await diffRevisions(getDb(), id, parseRevisionNumber(number), against ? parseRevisionNumber(against) : undefined, {
      includePositions: positions === "1" || positions === "true",
    }),
  };
});

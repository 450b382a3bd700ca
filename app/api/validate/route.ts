import { readJson, route } from "@/server/api/handler";
import { validateTopology } from "@/server/model/validate";

// POST /api/validate – validate a topology document; always 200 with { ok, problems }
export const POST = route(async (req) => {
  const result = validateTopology(await readJson(req));
  return { ok: result.ok, problems: result.problems };
});

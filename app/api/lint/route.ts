import { readJson, route } from "@/server/api/handler";
import { parseTopologyOrThrow } from "@/server/model/validate";
import { lintTopology } from "@/server/rules";

// POST /api/lint – design-rule findings for a topology document ({ findings }); 422 if the document is invalid
export const POST = route(async (req) => ({ findings: lintTopology(parseTopologyOrThrow(await readJson(req))) }));

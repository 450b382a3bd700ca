import { route } from "@/server/api/handler";
import { topologyJsonSchema } from "@/server/model/schema";

// GET /api/schema – the JSON Schema of the topology document
export const GET = route(async () => topologyJsonSchema());

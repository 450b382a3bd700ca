import type { z } from "zod";
import { TopoError } from "../errors";
import { zodProblems } from "../model/validate";

/** Parses a request body with zod; failures become TOPO-E023 listing every field's problem. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const details = zodProblems(r.error).map((p) => ({ ...p, code: "TOPO-E023" as const, fix: undefined }));
  throw new TopoError("TOPO-E023", `invalid request: ${details.map((d) => `${d.path}: ${d.message}`).join("; ")}`, { details });
}

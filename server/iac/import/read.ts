/**
 * Small readers for template values: each returns a value only when the template holds a
 * literal the model can store as is; anything else (an intrinsic, a wrong type) is undefined
 * and stays verbatim in extras.
 */
import { isIntrinsic, isPlainObject, type JsonObject } from "../parse/intrinsics";

export const int = (v: unknown): number | undefined => (typeof v === "number" && Number.isInteger(v) ? v : undefined);
export const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
export const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
export const bool = (v: unknown): boolean | undefined => (typeof v === "boolean" ? v : undefined);
export const obj = (v: unknown): JsonObject | undefined => (isPlainObject(v) && !isIntrinsic(v) ? v : undefined);
export function oneOf<T extends string>(v: unknown, values: readonly T[]): T | undefined {
  return typeof v === "string" && (values as readonly string[]).includes(v) ? (v as T) : undefined;
}

/** Literal string values of a map (numbers and intrinsics stay in extras). */
export function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const o = obj(v);
  if (o) for (const k in o) if (typeof o[k] === "string") out[k] = o[k] as string;
  return out;
}

/** `[{Key, Value}]` tags with literal strings. */
export function tagList(v: unknown): Record<string, string> | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: Record<string, string> = {};
  for (const t of v) {
    const o = obj(t);
    if (!o || typeof o.Key !== "string" || typeof o.Value !== "string") return undefined;
    out[o.Key] = o.Value;
  }
  return out;
}

/** "OrderHandlerFunction" → "Order handler function", "SQSLambdaFunction" → "SQS lambda function". */
export function humanize(id: string): string {
  const words = id
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .split(/[\s_-]+/)
    .filter(Boolean);
  const text = words.map((w, i) => (i > 0 && !/^[A-Z0-9]{2,}$/.test(w) ? w.toLowerCase() : w)).join(" ");
  return (text || id || "Resource").slice(0, 140);
}

/**
 * The IaC vocabulary inside `extras`. Keys without `@` are template properties, kept verbatim
 * (CloudFormation/SAM names: they can never start with `@`). Keys with `@` are Topograph's own
 * notes about how the element is written in a template:
 *
 * | key           | on            | meaning |
 * |---------------|---------------|---------|
 * | `@logicalId`  | node, edge    | the resource's logical id, kept across renames |
 * | `@type`       | node, edge    | the resource type when it is not the default one (`AWS::Lambda::Function`, `AWS::Lambda::EventSourceMapping`, …) |
 * | `@resource`   | node, edge    | resource attributes verbatim: `Condition`, `DependsOn`, `Metadata`, `DeletionPolicy`, … |
 * | `@omit`       | node, edge    | JSON pointers (under `Properties`) the exporter would write but the source did not have |
 * | `@ref`        | node          | the element is referenced, not owned: `{ arn?, name?, url?, streamArn?, cluster? }` expressions; no resource is written |
 * | `@keys`       | node, edge    | the source's order of `Properties` keys, when the export's own order differs |
 * | `@emptyProperties` | node, edge | the source wrote `Properties: {}` |
 * | `@eventName`  | trigger edge  | the key of the event under the function's `Events` |
 *
 * On `iac.sam`: `@order` (logical ids in template order) and `@comments` (comments by JSON pointer).
 */
import { isPlainObject, type JsonObject } from "../parse/intrinsics";

export type Annotated = { extras?: Record<string, unknown> };

export function annotation(el: Annotated, key: `@${string}`): unknown {
  return el.extras?.[key];
}

/** Template properties kept in extras (every key that is not an `@` annotation). */
export function extraProperties(el: Annotated): JsonObject {
  const out: JsonObject = {};
  const x = el.extras;
  if (!x) return out;
  for (const k in x) if (!k.startsWith("@")) out[k] = x[k];
  return out;
}

export function omitted(el: Annotated): string[] {
  const v = el.extras?.["@omit"];
  return Array.isArray(v) ? v.filter((p): p is string => typeof p === "string") : [];
}

export interface RefAnnotation {
  arn?: unknown;
  name?: unknown;
  url?: unknown;
  streamArn?: unknown;
  cluster?: unknown;
}

export function refAnnotation(el: Annotated): RefAnnotation | undefined {
  const v = el.extras?.["@ref"];
  return isPlainObject(v) ? (v as RefAnnotation) : undefined;
}

export function resourceAttributes(el: Annotated): JsonObject {
  const v = el.extras?.["@resource"];
  return isPlainObject(v) ? v : {};
}

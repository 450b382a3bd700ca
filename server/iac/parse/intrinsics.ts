/**
 * CloudFormation intrinsic functions in their JSON (long) form, which is how every template value
 * travels inside Topograph: `!Ref X` is `{ "Ref": "X" }`, `!GetAtt A.Arn` is
 * `{ "Fn::GetAtt": ["A", "Arn"] }`. The YAML parser turns short-form tags into this form and the
 * YAML writer turns it back into tags, so a value survives import → export whatever form it had.
 */

/** Short-form YAML tag → long-form key. `!Condition` is the condition reference used inside `Fn::And` & co. */
export const SHORT_TAGS: Readonly<Record<string, string>> = {
  "!Ref": "Ref",
  "!Condition": "Condition",
  "!GetAtt": "Fn::GetAtt",
  "!Sub": "Fn::Sub",
  "!Join": "Fn::Join",
  "!If": "Fn::If",
  "!Equals": "Fn::Equals",
  "!Select": "Fn::Select",
  "!Split": "Fn::Split",
  "!FindInMap": "Fn::FindInMap",
  "!ImportValue": "Fn::ImportValue",
  "!Base64": "Fn::Base64",
  "!Cidr": "Fn::Cidr",
  "!GetAZs": "Fn::GetAZs",
  "!And": "Fn::And",
  "!Or": "Fn::Or",
  "!Not": "Fn::Not",
  "!Transform": "Fn::Transform",
  // AWS::LanguageExtensions
  "!ToJsonString": "Fn::ToJsonString",
  "!Length": "Fn::Length",
};

/** Long-form key → short tag, for the writer (`Condition` is never shortened: it is also a resource attribute). */
export const LONG_TO_SHORT: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(SHORT_TAGS)
    .filter(([, long]) => long !== "Condition")
    .map(([short, long]) => [long, short]),
);

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: unknown };

export function isPlainObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** `{ Ref: … }`, `{ "Fn::…": … }` or `{ Condition: … }` (single key). */
export function isIntrinsic(v: unknown): v is JsonObject {
  if (!isPlainObject(v)) return false;
  let key: string | undefined;
  for (const k in v) {
    if (key !== undefined) return false;
    key = k;
  }
  return key !== undefined && (key === "Ref" || key === "Condition" || key.startsWith("Fn::"));
}

/** Whether a value contains an intrinsic function anywhere (so it cannot be read as a literal). */
export function containsIntrinsic(v: unknown): boolean {
  if (Array.isArray(v)) return v.some(containsIntrinsic);
  if (!isPlainObject(v)) return false;
  const o: JsonObject = v;
  if (isIntrinsic(v)) return true;
  for (const k in o) if (containsIntrinsic(o[k])) return true;
  return false;
}

export interface ResourceRef {
  logicalId: string;
  /** Attribute of `Fn::GetAtt`; undefined for `Ref`. */
  attribute?: string;
}

/**
 * The resource a `Ref` or `Fn::GetAtt` points at, or undefined for anything else.
 * @example refOf({ "Fn::GetAtt": ["Queue", "Arn"] }) // { logicalId: "Queue", attribute: "Arn" }
 */
export function refOf(v: unknown): ResourceRef | undefined {
  if (!isIntrinsic(v)) return undefined;
  if (typeof v.Ref === "string") return { logicalId: v.Ref };
  const att = v["Fn::GetAtt"];
  if (Array.isArray(att) && att.length === 2 && typeof att[0] === "string" && typeof att[1] === "string") return { logicalId: att[0], attribute: att[1] };
  if (typeof att === "string") {
    const dot = att.indexOf(".");
    if (dot > 0) return { logicalId: att.slice(0, dot), attribute: att.slice(dot + 1) };
  }
  return undefined;
}

export const ref = (logicalId: string) => ({ Ref: logicalId });
export const getAtt = (logicalId: string, attribute: string) => ({ "Fn::GetAtt": [logicalId, attribute] });
export const sub = (text: string) => ({ "Fn::Sub": text });

/** Structural equality of JSON values (object key order ignored, array order kept). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ao = a as JsonObject;
  const bo = b as JsonObject;
  let n = 0;
  for (const k in ao) {
    if (!Object.prototype.hasOwnProperty.call(bo, k) || !deepEqual(ao[k], bo[k])) return false;
    n++;
  }
  for (const _ in bo) n--;
  return n === 0;
}

/** Deep copy of a JSON value (templates and extras are plain data). */
export function cloneJson<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

/** Sets an own property, including `__proto__`, without touching prototypes. */
export function setOwn(obj: JsonObject, key: string, value: unknown) {
  if (key === "__proto__") Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

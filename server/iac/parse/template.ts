/**
 * Parse: template text (YAML or JSON) → a plain JSON value with long-form intrinsics, the
 * comments of the source keyed by JSON pointer, and line numbers for the import report.
 * Lenient about content (any CloudFormation is fine here), strict about the format: a document
 * that is not YAML/JSON, not UTF-8, too large or an alias bomb is refused fast with a TopoError.
 */
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node as YamlNode, type ScalarTag, type CollectionTag } from "yaml";
import { TopoError } from "../../errors";
import { SHORT_TAGS, setOwn, type JsonObject } from "./intrinsics";

/** Limits that keep a hostile upload from costing more than a normal one. */
export const PARSE_LIMITS = {
  maxBytes: 5 * 1024 * 1024,
  maxDepth: 128,
  maxAliases: 100,
  /** Nodes produced after alias expansion. */
  maxNodes: 2_000_000,
} as const;

/**
 * Comments around one value, keyed by the value's JSON pointer:
 * - `before`: comment lines above the key (or the `- ` item) holding the value;
 * - `first`: comment lines between the key line and the first entry of a collection value;
 * - `trailing`: comment on the same line as a scalar value;
 * - `end`: comment lines after the last entry of a collection value.
 * Text is the comment without `#`, lines joined by `\n` (an empty line stands for a blank line).
 */
export interface CommentSlots {
  before?: string;
  first?: string;
  trailing?: string;
  end?: string;
}
export type CommentMap = Record<string, CommentSlots>;

export interface ParsedTemplate {
  format: "yaml" | "json";
  value: JsonObject;
  /** Comments by JSON pointer ("" is the document: `before` above it, `end` below it). */
  comments: CommentMap;
  /** 1-based line of the key holding the value at `pointer`, when known. */
  line(pointer: string): number | undefined;
  /** Things that parsed but deserve a word in the import report (duplicate keys). */
  warnings: { line?: number; pointer: string; message: string }[];
}

/** JSON pointer of a child: `/Resources/MyQueue/Properties`. */
export function childPointer(parent: string, key: string | number): string {
  const k = String(key);
  // Most keys need no escaping; skip the regexes for them (this runs for every key of every template).
  if (k.indexOf("~") < 0 && k.indexOf("/") < 0) return `${parent}/${k}`;
  return `${parent}/${k.replace(/~/g, "~0").replace(/\//g, "~1")}`;
}

// Registering the CloudFormation tags keeps the YAML library from warning about them; the walker
// below reads `node.tag` itself, so these resolvers only hand the node back unchanged.
const CFN_TAGS: (ScalarTag | CollectionTag)[] = Object.keys(SHORT_TAGS).flatMap((tag) => [
  { tag, resolve: (s: string) => s } as ScalarTag,
  { tag, collection: "map", resolve: (m: unknown) => m } as unknown as CollectionTag,
  { tag, collection: "seq", resolve: (s: unknown) => s } as unknown as CollectionTag,
]);

/**
 * Parses a SAM/CloudFormation template. Throws TopoError TOPO-E060 (syntax, with line),
 * TOPO-E061 (not a template object), TOPO-E062 (size, depth, aliases) or TOPO-E063 (not UTF-8).
 * @example parseTemplate("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n").value.Resources // { Q: { Type: "AWS::SQS::Queue" } }
 */
export function parseTemplate(input: string | Uint8Array, opts: { fileName?: string } = {}): ParsedTemplate {
  const name = opts.fileName ?? "the template";
  let text = decodeText(input, name);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.length > PARSE_LIMITS.maxBytes)
    throw new TopoError("TOPO-E062", `${name} is ${text.length} characters; the limit is ${PARSE_LIMITS.maxBytes}`);
  const trimmed = text.trimStart();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      return parseJson(text, name);
    } catch (e) {
      // Flow-style YAML (`{Resources: {Q: {Type: AWS::SQS::Queue}}}`) starts like JSON; SAM CLI falls
      // back to YAML when JSON fails, and so do we. If YAML fails too, the JSON error says more.
      if (!(e instanceof TopoError) || e.code !== "TOPO-E060") throw e;
      try {
        return parseYaml(text, name);
      } catch (y) {
        if (y instanceof TopoError && y.code === "TOPO-E060") throw e;
        throw y;
      }
    }
  }
  return parseYaml(text, name);
}

function decodeText(input: string | Uint8Array, name: string): string {
  let text: string;
  if (typeof input === "string") text = input;
  else {
    if (input.length > PARSE_LIMITS.maxBytes) throw new TopoError("TOPO-E062", `${name} is ${input.length} bytes; the limit is ${PARSE_LIMITS.maxBytes}`);
    if (input.length >= 2 && ((input[0] === 0xff && input[1] === 0xfe) || (input[0] === 0xfe && input[1] === 0xff)))
      throw new TopoError("TOPO-E063", `${name} is UTF-16 text; templates are UTF-8`);
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(input);
    } catch {
      throw new TopoError("TOPO-E063", `${name} is not valid UTF-8 (binary data or another encoding)`);
    }
  }
  // NUL and most C0 controls never appear in a text template; they mean a binary file.
  const bad = /[\u0000-\u0008\u000e-\u001a\u001c-\u001f]/.exec(text);
  if (bad) {
    const line = text.slice(0, bad.index).split("\n").length;
    throw new TopoError("TOPO-E063", `${name} contains binary data (control character U+${bad[0].charCodeAt(0).toString(16).padStart(4, "0").toUpperCase()} on line ${line})`);
  }
  // U+FFFD is what a browser's File.text() (or any lenient decoder) puts where bytes were not UTF-8:
  // a Latin-1 or Windows-1252 file arrives here as text with these holes, which must not be imported silently.
  const hole = text.indexOf("\ufffd");
  if (hole >= 0) {
    const line = text.slice(0, hole).split("\n").length;
    throw new TopoError("TOPO-E063", `${name} is not valid UTF-8: line ${line} has a byte sequence that is not UTF-8 (shown as U+FFFD; the file is probably Latin-1, Windows-1252 or UTF-16)`);
  }
  return text;
}

function notATemplate(name: string, what: string): TopoError {
  return new TopoError("TOPO-E061", `${name} is not a CloudFormation or SAM template: ${what}`);
}

// ---------------------------------------------------------------------------------------------
// YAML
// ---------------------------------------------------------------------------------------------

function parseYaml(text: string, name: string): ParsedTemplate {
  // The YAML parser recurses per flow bracket and takes seconds to overflow on 100,000 of them; a
  // linear scan refuses such input in milliseconds (brackets in quotes and comments do not count).
  if (flowDepth(text, 1_000) > 1_000) throw new TopoError("TOPO-E062", `${name} is nested more than ${PARSE_LIMITS.maxDepth} levels deep`);
  const lineCounter = new LineCounter();
  let doc: Document.Parsed;
  try {
    // Duplicate keys are accepted, last one wins (as SAM CLI's PyYAML does), and reported.
    doc = parseDocument(text, { customTags: CFN_TAGS, lineCounter, prettyErrors: false, uniqueKeys: false, strict: true, keepSourceTokens: false });
  } catch (e) {
    if (e instanceof RangeError) throw new TopoError("TOPO-E062", `${name} is nested too deeply to parse`);
    throw e;
  }
  const lineAt = (offset: number | undefined) => (offset === undefined ? undefined : lineCounter.linePos(offset).line);
  if (doc.errors.some((e) => /call stack/i.test(e.message))) throw new TopoError("TOPO-E062", `${name} is nested too deeply to parse`);
  if (doc.errors.length) {
    const err = doc.errors[0];
    const line = lineAt(err.pos?.[0]);
    const what = err.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
    throw new TopoError("TOPO-E060", `${name} is not valid YAML${line ? ` (line ${line})` : ""}: ${what}`, {
      details: doc.errors.slice(0, 5).map((e) => ({ code: "TOPO-E060" as const, path: `line ${lineAt(e.pos?.[0]) ?? "?"}`, message: e.message.split("\n")[0] })),
      extra: line ? { line } : undefined,
    });
  }
  for (const w of doc.warnings) {
    if (w.code === "TAG_RESOLVE_FAILED") {
      const line = lineAt(w.pos?.[0]);
      const tag = /tag: (\S+)/.exec(w.message)?.[1] ?? "a tag";
      throw new TopoError("TOPO-E060", `${name} uses the YAML tag ${tag}${line ? ` on line ${line}` : ""}, which CloudFormation does not understand`, {
        fix: `Use one of CloudFormation's short forms (${Object.keys(SHORT_TAGS).slice(0, 6).join(", ")}, …) or the long form (Fn::…).`,
        extra: line ? { line } : undefined,
      });
    }
  }
  const walker = new YamlWalker(doc, name, lineAt);
  const root = doc.contents;
  if (!root || !isMap(root)) {
    throw notATemplate(name, root ? "the document is not a mapping of sections" : "the document is empty");
  }
  const value = walker.convert(root, "", 0) as JsonObject;
  const comments = walker.comments;
  const docSlots: CommentSlots = {};
  if (doc.commentBefore) docSlots.before = doc.commentBefore;
  if (doc.comment) docSlots.end = doc.comment;
  if (docSlots.before || docSlots.end) comments[""] = { ...comments[""], ...docSlots };
  checkIsTemplate(value, name);
  const offsets = walker.offsets;
  const warnings = walker.duplicates.map((d) => ({ pointer: d.pointer, line: lineAt(d.offset), message: `duplicate key "${d.key}": the last value is used` }));
  return { format: "yaml", value, comments, line: (pointer) => lineAt(offsets.get(pointer)), warnings };
}

/** Whether a quote at `i` opens a quoted scalar (after `[ { , : - ?`, or first on its line), not an apostrophe inside a word. */
function startsNode(text: string, i: number): boolean {
  for (let j = i - 1; j >= 0; j--) {
    const d = text.charCodeAt(j);
    if (d === 32 || d === 9) continue;
    return d === 10 || d === 91 || d === 123 || d === 44 || d === 58 || d === 45 || d === 63;
  }
  return true;
}

/**
 * Deepest nesting of flow brackets `[` `{`, stopping early once past `limit`. A rough count
 * (brackets inside block scalars count too), so it guards with a far larger limit than the exact
 * depth check of the walker: it only has to stop input that would take the parser seconds.
 */
function flowDepth(text: string, limit: number): number {
  let depth = 0;
  let max = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 91 || c === 123) {
      if (++depth > max) max = depth;
      if (max > limit) return max;
    } else if (c === 93 || c === 125) {
      if (depth > 0) depth--;
    } else if ((c === 34 || c === 39) && startsNode(text, i)) {
      // A quoted scalar: skip to its closing quote on this line (YAML escapes: \" in double, '' in single).
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === 10) break;
        if (c === 34 && d === 92) i++;
        else if (d === c) break;
      }
    } else if (c === 35 && (i === 0 || text.charCodeAt(i - 1) === 32 || text.charCodeAt(i - 1) === 9 || text.charCodeAt(i - 1) === 10)) {
      while (i < n && text.charCodeAt(i) !== 10) i++;
    }
  }
  return max;
}

class YamlWalker {
  readonly comments: CommentMap = {};
  readonly offsets = new Map<string, number>();
  readonly duplicates: { pointer: string; key: string; offset?: number }[] = [];
  private aliases = 0;
  private nodes = 0;

  constructor(
    private readonly doc: Document.Parsed,
    private readonly name: string,
    private readonly lineAt?: (offset: number | undefined) => number | undefined,
  ) {}

  private slot(pointer: string, key: keyof CommentSlots, text: string | null | undefined) {
    if (!text) return;
    const s = (this.comments[pointer] ??= {});
    s[key] = s[key] ? `${s[key]}\n${text}` : text;
  }

  /** Converts a node; `record` is false inside alias expansions (their comments belong to the anchor). */
  convert(node: YamlNode | null | undefined, pointer: string, depth: number, record = true): unknown {
    if (++this.nodes > PARSE_LIMITS.maxNodes) throw new TopoError("TOPO-E062", `${this.name} expands to more than ${PARSE_LIMITS.maxNodes} values (YAML aliases)`);
    if (depth > PARSE_LIMITS.maxDepth) throw new TopoError("TOPO-E062", `${this.name} is nested more than ${PARSE_LIMITS.maxDepth} levels deep`);
    if (node == null) return null;
    if (isAlias(node)) {
      if (++this.aliases > PARSE_LIMITS.maxAliases) throw new TopoError("TOPO-E062", `${this.name} uses more than ${PARSE_LIMITS.maxAliases} YAML aliases`);
      const target = node.resolve(this.doc);
      if (!target) throw new TopoError("TOPO-E060", `${this.name} refers to an unknown YAML anchor *${node.source}`);
      return this.convert(target as YamlNode, pointer, depth + 1, false);
    }
    const tag = node.tag && SHORT_TAGS[node.tag];
    if (tag) {
      const inner = this.convertPlain(node, pointer, depth, record);
      return { [tag]: tag === "Fn::GetAtt" && typeof inner === "string" ? splitGetAtt(inner) : tag === "Ref" || tag === "Condition" ? stringOf(inner) : inner };
    }
    return this.convertPlain(node, pointer, depth, record);
  }

  private convertPlain(node: YamlNode, pointer: string, depth: number, record: boolean): unknown {
    if (isScalar(node)) {
      if (record) {
        this.slot(pointer, "trailing", node.comment);
        this.slot(pointer, "before", node.commentBefore);
      }
      const v = node.value;
      return typeof v === "bigint" ? Number(v) : v === undefined ? null : v;
    }
    if (isMap(node)) {
      if (record) {
        this.slot(pointer, "first", node.commentBefore);
        this.slot(pointer, "end", node.comment);
      }
      const out: JsonObject = {};
      for (const pair of node.items) {
        const keyNode = pair.key as YamlNode | null;
        let key: string;
        if (keyNode && isScalar(keyNode)) key = stringOf(keyNode.value);
        else if (keyNode && isAlias(keyNode)) key = stringOf(this.convert(keyNode, pointer, depth + 1, false));
        else throw new TopoError("TOPO-E060", `${this.name} uses a complex mapping key${keyNode?.range ? ` near offset ${keyNode.range[0]}` : ""}; CloudFormation keys are strings`);
        if (key === "__proto__") throw reservedKey(this.name, this.lineAt?.(keyNode?.range?.[0]));
        const child = childPointer(pointer, key);
        if (record) {
          if (keyNode && isScalar(keyNode)) {
            this.slot(child, "before", keyNode.commentBefore);
            if (keyNode.comment) this.slot(child, "first", keyNode.comment);
            if (keyNode.range && depth < 8) this.offsets.set(child, keyNode.range[0]);
          }
        }
        if (Object.prototype.hasOwnProperty.call(out, key)) this.duplicates.push({ pointer: child, key, offset: keyNode?.range?.[0] });
        setOwn(out, key, this.convert(pair.value as YamlNode | null, child, depth + 1, record));
      }
      // The long form `Fn::GetAtt: A.Arn` is the same call as `!GetAtt A.Arn`; keep one spelling.
      const att = out["Fn::GetAtt"];
      if (typeof att === "string" && node.items.length === 1) out["Fn::GetAtt"] = splitGetAtt(att);
      return out;
    }
    if (isSeq(node)) {
      if (record) {
        this.slot(pointer, "first", node.commentBefore);
        this.slot(pointer, "end", node.comment);
      }
      const out: unknown[] = [];
      node.items.forEach((item, i) => {
        const child = childPointer(pointer, i);
        const itemNode = item as YamlNode | null;
        // A collection item's own comment-before belongs above its `- `; keep it in `before`.
        if (record && itemNode && !isScalar(itemNode) && !isAlias(itemNode) && itemNode.commentBefore) {
          this.slot(child, "before", itemNode.commentBefore);
          const saved = itemNode.commentBefore;
          itemNode.commentBefore = undefined;
          out.push(this.convert(itemNode, child, depth + 1, record));
          itemNode.commentBefore = saved;
          return;
        }
        out.push(this.convert(itemNode, child, depth + 1, record));
      });
      return out;
    }
    return null;
  }
}

function stringOf(v: unknown): string {
  return typeof v === "string" ? v : v === null || v === undefined ? "" : String(v);
}

/** `!GetAtt A.B.C` → ["A", "B.C"] (the logical id never contains a dot; attributes may). */
function splitGetAtt(s: string): unknown {
  const dot = s.indexOf(".");
  return dot > 0 ? [s.slice(0, dot), s.slice(dot + 1)] : s;
}

// ---------------------------------------------------------------------------------------------
// JSON
// ---------------------------------------------------------------------------------------------

function parseJson(text: string, name: string): ParsedTemplate {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const pos = Number(/position (\d+)/.exec(msg)?.[1]);
    const line = Number.isFinite(pos) ? text.slice(0, pos).split("\n").length : Number(/line (\d+)/.exec(msg)?.[1]) || undefined;
    throw new TopoError("TOPO-E060", `${name} is not valid JSON${line ? ` (line ${line})` : ""}: ${msg.replace(/^JSON\.parse: /, "")}`, { extra: line ? { line } : undefined });
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) throw notATemplate(name, "the document is not an object of sections");
  checkDepth(value, 0, name);
  checkIsTemplate(value as JsonObject, name);
  const memo = new Map<string, number | undefined>();
  return { format: "json", value: value as JsonObject, comments: {}, line: (pointer) => jsonLine(text, pointer, memo), warnings: [] };
}

function checkDepth(v: unknown, depth: number, name: string) {
  if (depth > PARSE_LIMITS.maxDepth) throw new TopoError("TOPO-E062", `${name} is nested more than ${PARSE_LIMITS.maxDepth} levels deep`);
  if (Array.isArray(v)) for (const x of v) checkDepth(x, depth + 1, name);
  else if (v && typeof v === "object")
    for (const k in v) {
      if (k === "__proto__") throw reservedKey(name, undefined);
      checkDepth((v as JsonObject)[k], depth + 1, name);
    }
}

/**
 * `__proto__` is never a CloudFormation name (logical ids are alphanumeric, properties come from
 * resource schemas), and as an object key in JavaScript it replaces the object's prototype; a
 * template using it is refused rather than carried through every later step.
 */
function reservedKey(name: string, line: number | undefined): TopoError {
  return new TopoError("TOPO-E060", `${name} uses the key "__proto__"${line ? ` on line ${line}` : ""}, which is not a CloudFormation name`, {
    fix: "Rename or remove the key; CloudFormation logical ids are letters and digits, and properties are named by the resource type.",
    extra: line ? { line } : undefined,
  });
}


/** Line of a key in JSON text: the first `"key":` after its parent's key (good enough for a report). */
function jsonLine(text: string, pointer: string, memo: Map<string, number | undefined>): number | undefined {
  const offset = jsonOffset(text, pointer, memo);
  return offset === undefined ? undefined : text.slice(0, offset).split("\n").length;
}

function jsonOffset(text: string, pointer: string, memo: Map<string, number | undefined>): number | undefined {
  if (!pointer) return 0;
  if (memo.has(pointer)) return memo.get(pointer);
  const cut = pointer.lastIndexOf("/");
  const parent = jsonOffset(text, pointer.slice(0, cut), memo);
  const key = pointer.slice(cut + 1).replace(/~1/g, "/").replace(/~0/g, "~");
  let found: number | undefined;
  if (parent !== undefined && !/^\d+$/.test(key)) {
    const re = new RegExp(`${JSON.stringify(key).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s*:`, "g");
    re.lastIndex = parent;
    const m = re.exec(text);
    found = m ? m.index : undefined;
  } else found = parent;
  memo.set(pointer, found);
  return found;
}

// ---------------------------------------------------------------------------------------------

const TEMPLATE_SECTIONS = new Set(["AWSTemplateFormatVersion", "Description", "Metadata", "Parameters", "Rules", "Mappings", "Conditions", "Transform", "Resources", "Outputs", "Globals", "Hooks"]);

function checkIsTemplate(value: JsonObject, name: string) {
  const keys = Object.keys(value);
  if (!("Resources" in value)) {
    const known = keys.filter((k) => TEMPLATE_SECTIONS.has(k));
    throw notATemplate(name, known.length ? "it has no Resources section" : `it has none of the template sections (found ${keys.slice(0, 4).map((k) => JSON.stringify(k)).join(", ") || "nothing"})`);
  }
  const resources = value.Resources;
  // `Resources:` left empty (a skeleton) is an empty template, not a broken one.
  if (resources === null) return;
  if (typeof resources !== "object" || Array.isArray(resources)) throw notATemplate(name, "Resources is not a mapping of logical ids to resources");
}

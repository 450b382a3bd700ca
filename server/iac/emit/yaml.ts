/**
 * YAML writer for templates: a JSON value (long-form intrinsics) → CloudFormation YAML with
 * short-form tags (`!Ref`, `!GetAtt A.Arn`, `!Sub`), block style, two-space indentation, a blank
 * line between sections and between resources, and the source's comments put back by JSON pointer.
 *
 * Scalars are quoted whenever a YAML 1.1 *or* 1.2 reader could take them for something else
 * (`yes`, `0777`, `2012-10-17`, `1:30`), so SAM CLI (PyYAML), CloudFormation and this importer
 * all read the same value; multi-line text is written as a literal block when that is exact.
 */
import { childPointer, type CommentMap } from "../parse/template";
import { LONG_TO_SHORT, isIntrinsic, isPlainObject, type JsonObject } from "../parse/intrinsics";
import { CodeBuffer } from "./buffer";

export interface WriteYamlOptions {
  comments?: CommentMap;
  /** Pointers of maps whose entries are separated by a blank line (default: "" and "/Resources"). */
  spacedMaps?: ReadonlySet<string>;
}

const DEFAULT_SPACED = new Set(["", "/Resources"]);

/**
 * @example writeYaml({ Resources: { Q: { Type: "AWS::SQS::Queue" } } })
 * // "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n"
 */
export function writeYaml(root: JsonObject, opts: WriteYamlOptions = {}): string {
  const w = new YamlWriter(opts.comments ?? {}, opts.spacedMaps ?? DEFAULT_SPACED);
  return w.document(root);
}

class YamlWriter {
  private readonly buf = new CodeBuffer("  ");
  /** Pointers are only needed to find comments: without comments, skip building them. */
  private readonly track: boolean;
  /** Scalars repeat a lot (keys, types, ids): format each once. */
  private readonly memo = new Map<string, string>();

  constructor(
    private readonly comments: CommentMap,
    private readonly spaced: ReadonlySet<string>,
  ) {
    let any = false;
    for (const _ in comments) {
      any = true;
      break;
    }
    this.track = any;
  }

  private child(pointer: string, key: string | number): string {
    return this.track ? childPointer(pointer, key) : pointer === "" && this.spaced.has(`/${key}`) ? `/${key}` : "~";
  }

  private scalar(v: unknown): string {
    if (typeof v !== "string") return formatScalar(v);
    let out = this.memo.get(v);
    if (out === undefined) {
      out = formatScalar(v);
      if (v.length < 200) this.memo.set(v, out);
    }
    return out;
  }

  document(root: JsonObject): string {
    const doc = this.comments[""];
    if (doc?.before) {
      this.buf.comment(doc.before);
      // A blank line keeps the header comment on the document rather than on the first key.
      this.buf.line();
    }
    if (doc?.first) this.buf.comment(doc.first);
    this.mapBody(root, "");
    if (doc?.end) this.buf.comment(doc.end);
    return this.buf.toString();
  }

  private mapBody(obj: JsonObject, pointer: string) {
    const spaced = this.spaced.has(pointer);
    let i = 0;
    let prev: unknown;
    for (const key in obj) {
      // No blank line right after a comment: YAML readers would fold it into the comment.
      // Top-level scalars (version, transform, description) stay together; collections get air.
      const scalar = (v: unknown) => v !== null && typeof v !== "object";
      const air = pointer === "" ? !(scalar(obj[key]) && scalar(prev)) : true;
      if (spaced && i > 0 && air && !this.buf.afterComment) this.buf.line();
      prev = obj[key];
      this.pair(key, obj[key], this.child(pointer, key));
      i++;
    }
  }

  private pair(key: string, value: unknown, pointer: string) {
    const c = this.comments[pointer];
    if (c?.before) this.buf.comment(c.before);
    this.value(`${this.scalar(key)}:`, value, pointer);
  }

  private item(value: unknown, pointer: string) {
    const c = this.comments[pointer];
    if (c?.before) this.buf.comment(c.before);
    this.buf.item(() => this.value("", value, pointer));
  }

  /** Writes `head value` (head is "key:" or "" for an item) and anything nested under it. */
  private value(head: string, value: unknown, pointer: string) {
    const c = this.comments[pointer];
    let trailing = c?.trailing ? ` #${c.trailing.replace(/\n/g, " ")}` : "";
    // An empty collection is written inline, so its end comment can only trail it.
    const emptyCollection = (Array.isArray(value) && value.length === 0) || (isPlainObject(value) && !isIntrinsic(value) && isEmpty(value));
    if (emptyCollection && c?.end && !c.end.includes("\n")) trailing += ` #${c.end}`;
    const sep = head ? " " : "";
    if (isIntrinsic(value)) {
      const fn = Object.keys(value)[0];
      const tag = LONG_TO_SHORT[fn];
      const arg = value[fn];
      if (tag && !isIntrinsic(arg)) {
        const inline = inlineIntrinsic(tag, fn, arg);
        if (inline !== undefined) {
          this.buf.line(`${head}${sep}${inline}${trailing}`);
          return;
        }
        if (typeof arg === "string") {
          this.blockScalar(`${head}${sep}${tag}`, arg, trailing);
          return;
        }
        // A tag on a collection: `key: !Join` with the list below it.
        this.buf.line(`${head}${sep}${tag}${trailing}`);
        this.buf.indent(() => this.collection(arg, pointer));
        return;
      }
      // Intrinsics of intrinsics (`Fn::Base64: !Sub …`) use the long form: a node has one tag.
    }
    if (isPlainObject(value)) {
      if (isEmpty(value)) {
        this.buf.line(`${head}${sep}{}${trailing}`);
        return;
      }
      if (!head) {
        // An item that is a mapping: its first key shares the `- ` line.
        this.collectionComments(pointer, () => this.mapBody(value, pointer));
        return;
      }
      this.buf.line(`${head}${trailing}`);
      this.buf.indent(() => this.collectionComments(pointer, () => this.mapBody(value, pointer)));
      return;
    }
    if (Array.isArray(value)) {
      if (value.length === 0) {
        this.buf.line(`${head}${sep}[]${trailing}`);
        return;
      }
      if (!head) {
        this.collectionComments(pointer, () => this.items(value, pointer));
        return;
      }
      this.buf.line(`${head}${trailing}`);
      // Sequences under a key are indented one step, the common SAM style.
      this.buf.indent(() => this.collectionComments(pointer, () => this.items(value, pointer)));
      return;
    }
    if (typeof value === "string" && value.includes("\n") && literalBlockOk(value) && !/\n\n$/.test(value)) {
      this.blockScalar(head, value, trailing);
      return;
    }
    const text = value === null || value === undefined ? (head ? "" : "null") : this.scalar(value);
    this.buf.line(`${head}${text ? sep + text : ""}${trailing}`);
  }

  private collection(value: unknown, pointer: string) {
    if (Array.isArray(value)) this.collectionComments(pointer, () => this.items(value, pointer));
    else if (isPlainObject(value)) this.collectionComments(pointer, () => this.mapBody(value, pointer));
  }

  private collectionComments(pointer: string, body: () => void) {
    const c = this.comments[pointer];
    if (c?.first) this.buf.comment(c.first);
    body();
    if (c?.end) this.buf.comment(c.end);
  }

  private items(list: unknown[], pointer: string) {
    for (let i = 0; i < list.length; i++) this.item(list[i], this.child(pointer, i));
  }

  private blockScalar(head: string, text: string, trailing: string) {
    // Two or more trailing newlines would need `|+`, which also swallows the blank line after it.
    if (!literalBlockOk(text) || /\n\n$/.test(text)) {
      this.buf.line(`${head}${head ? " " : ""}${formatScalar(text)}${trailing}`);
      return;
    }
    const m = /\n*$/.exec(text)!;
    const newlines = m[0].length;
    const chomp = newlines === 0 ? "-" : "";
    const body = newlines === 0 ? text : text.slice(0, -1);
    this.buf.line(`${head}${head ? " " : ""}|${chomp}${trailing}`);
    this.buf.indent(() => {
      for (const l of body.split("\n")) this.buf.line(l);
    });
  }
}

function isEmpty(o: JsonObject): boolean {
  for (const _ in o) return false;
  return true;
}

/** `!Ref X`, `!GetAtt A.B`, `!Sub text`: the one-line form of an intrinsic, if it has one. */
function inlineIntrinsic(tag: string, fn: string, arg: unknown): string | undefined {
  if (fn === "Fn::GetAtt") {
    if (Array.isArray(arg) && arg.length === 2 && typeof arg[0] === "string" && typeof arg[1] === "string" && !arg[0].includes(".") && arg[0])
      return `${tag} ${formatScalar(`${arg[0]}.${arg[1]}`)}`;
    if (typeof arg === "string" && !arg.includes("\n")) return `${tag} ${formatScalar(arg)}`;
    return undefined;
  }
  if (typeof arg === "string") return arg.includes("\n") ? undefined : `${tag} ${formatScalar(arg)}`;
  if (typeof arg === "number" || typeof arg === "boolean") return `${tag} ${formatScalar(arg)}`;
  if (arg === null) return `${tag} ''`;
  if (Array.isArray(arg) && arg.length === 0) return `${tag} []`;
  if (isPlainObject(arg) && isEmpty(arg)) return `${tag} {}`;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Scalars
// ---------------------------------------------------------------------------------------------

/** Words YAML 1.1 or 1.2 would read as booleans or null. */
const RESERVED = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~|=|<<)$/;
/** Numbers in any YAML 1.1/1.2 spelling, dates and sexagesimals. */
const NUMBERISH = [
  /^[-+]?(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][-+]?\d+)?$/,
  /^[-+]?0x[\da-fA-F_]+$/,
  /^[-+]?0o[0-7_]+$/,
  /^[-+]?0b[01_]+$/,
  /^[-+]?\.(?:inf|Inf|INF)$/,
  /^\.(?:nan|NaN|NAN)$/,
  /^[-+]?\d[\d_]*(?::[0-5]?\d)+(?:\.\d*)?$/,
  /^\d{4}-\d\d?-\d\d?(?:(?:[Tt]|[ \t]+)\d\d?:\d\d:\d\d(?:\.\d*)?(?:[ \t]*(?:Z|[-+]\d\d?(?::\d\d)?))?)?$/,
];
/** Characters that force the double-quoted style (escapes), beyond what single quotes can hold. */
const NEEDS_ESCAPE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]/;

function plainOk(s: string): boolean {
  if (!s || s.length > 2_000) return false;
  if (!/^[\x20-\x7e]+$/.test(s)) return false;
  if (/^[\s\-?:,[\]{}#&*!|>'"%@`]/.test(s) && !/^-[A-Za-z0-9]/.test(s)) return false;
  if (/\s$/.test(s) || s.includes(": ") || s.includes(" #") || s.endsWith(":")) return false;
  if (RESERVED.test(s)) return false;
  for (const re of NUMBERISH) if (re.test(s)) return false;
  return true;
}

/** A string, number, boolean or null as a one-line YAML scalar. */
export function formatScalar(v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : Number.isNaN(v) ? ".nan" : v > 0 ? ".inf" : "-.inf";
  const s = String(v);
  if (s === "") return "''";
  if (plainOk(s)) return s;
  if (NEEDS_ESCAPE.test(s)) return doubleQuoted(s);
  return `'${s.replace(/'/g, "''")}'`;
}

function doubleQuoted(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Whether `|` can hold this text exactly (no escapes, no whitespace-only lines, no leading indentation). */
function literalBlockOk(text: string): boolean {
  if (/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]/.test(text)) return false;
  const lines = text.replace(/\n+$/, "").split("\n");
  if (lines.length === 1 && !text.endsWith("\n")) return false;
  const firstContent = lines.find((l) => l !== "");
  if (firstContent === undefined) return false;
  if (/^[ \t]/.test(firstContent)) return false;
  for (const l of lines) if (l !== "" && /^[ \t]+$/.test(l)) return false;
  return true;
}

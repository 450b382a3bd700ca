/**
 * Mutators: text (insert, delete, duplicate, swap lines, splice, YAML/JSON tokens), bytes, and
 * JSON trees (replace, delete, add, retype, duplicate, deepen). Each takes the input's own Rng.
 */
import { Rng, randomJson, randomNumber, randomString, setOwn } from "./rng";

const TOKENS = [
  ":", ": ", "- ", "-", "{", "}", "[", "]", ",", "'", '"', "#", "&a ", "*a", "&b [", "*b", "<<: ", "!Ref ", "!GetAtt ", "!Sub ", "!If ", "!Foo ",
  "Fn::GetAtt", "Ref", "\t", "\n", "\n  ", "\n    ", "\r", "\u0000", "\ufeff", "\ufffd", "---\n", "...\n", "? ", "|\n", ">-\n", "%YAML 1.2\n",
  "Type: AWS::SQS::Queue", "Type: AWS::Serverless::Function", "Events:", "Properties:", "Resources:", "Transform: AWS::Serverless-2016-10-31\n",
  "null", "~", "true", "1e999", "0o17", ".nan", "-.inf", "😀", "\\u0000", "\\", "'''",
];

/** One text mutation. */
export function mutateText(r: Rng, text: string, other?: string): string {
  if (!text) return r.pick(TOKENS);
  const at = () => r.int(0, text.length);
  switch (r.int(0, 11)) {
    case 0: {
      const i = at();
      return text.slice(0, i) + r.pick(TOKENS) + text.slice(i);
    }
    case 1: {
      const i = at();
      return text.slice(0, i) + text.slice(Math.min(text.length, i + r.int(1, 64)));
    }
    case 2: {
      const i = at();
      const j = Math.min(text.length, i + r.int(1, 200));
      return text.slice(0, j) + text.slice(i, j).repeat(r.int(1, 8)) + text.slice(j);
    }
    case 3: {
      const lines = text.split("\n");
      const a = r.int(0, lines.length - 1);
      const b = r.int(0, lines.length - 1);
      [lines[a], lines[b]] = [lines[b], lines[a]];
      return lines.join("\n");
    }
    case 4: {
      // Re-indent one line.
      const lines = text.split("\n");
      const a = r.int(0, lines.length - 1);
      lines[a] = r.chance(0.5) ? " ".repeat(r.int(1, 6)) + lines[a] : lines[a].trimStart();
      return lines.join("\n");
    }
    case 5:
      return text.slice(0, at());
    case 6: {
      const i = at();
      return text.slice(0, i) + String.fromCharCode(r.int(0, 0xffff)) + text.slice(i + 1);
    }
    case 7: {
      if (!other) return text + r.pick(TOKENS);
      const i = at();
      const j = r.int(0, other.length);
      return text.slice(0, i) + other.slice(j, j + r.int(1, 2_000));
    }
    case 8: {
      // Replace a scalar-looking word with something else.
      const words = [...text.matchAll(/[A-Za-z0-9_.:-]{2,}/g)];
      if (!words.length) return text;
      const w = r.pick(words);
      const repl = r.chance(0.5) ? String(randomNumber(r)) : randomString(r, 12);
      return text.slice(0, w.index) + repl + text.slice((w.index ?? 0) + w[0].length);
    }
    case 9: {
      // An anchor on a value and aliases to it elsewhere.
      const lines = text.split("\n");
      const a = r.int(0, lines.length - 1);
      if (/:\s+\S/.test(lines[a])) lines[a] = lines[a].replace(/:\s+/, ": &z ");
      for (let k = r.int(1, 4); k > 0; k--) {
        const b = r.int(0, lines.length - 1);
        if (/:\s+\S/.test(lines[b])) lines[b] = lines[b].replace(/:\s+.*$/, ": *z");
      }
      return lines.join("\n");
    }
    case 10: {
      const i = at();
      const n = r.int(1, 300);
      const open = r.pick(["[", "{a: ", '{"a":', "- ", "  "]);
      return text.slice(0, i) + open.repeat(n) + text.slice(i);
    }
    default: {
      // Delete a whole line range.
      const lines = text.split("\n");
      const a = r.int(0, lines.length - 1);
      lines.splice(a, r.int(1, 5));
      return lines.join("\n");
    }
  }
}

export function mutateBytes(r: Rng, bytes: Uint8Array): Uint8Array {
  const out = Array.from(bytes);
  for (let k = r.int(1, 8); k > 0; k--) {
    const i = r.int(0, Math.max(0, out.length - 1));
    switch (r.int(0, 3)) {
      case 0:
        out[i] = r.int(0, 255);
        break;
      case 1:
        out.splice(i, 0, ...Array.from({ length: r.int(1, 4) }, () => r.pick([0x00, 0xff, 0xfe, 0xc0, 0xed, 0xa0, 0x80, 0xe9, 0xf0, 0x9f, r.int(0, 255)])));
        break;
      case 2:
        out.splice(i, r.int(1, 4));
        break;
      default:
        out[i] = out[i] ^ (1 << r.int(0, 7));
    }
  }
  return new Uint8Array(out);
}

type Json = unknown;

/** All (container, key) slots of a JSON tree, up to `limit`. */
function slots(root: Json, limit = 2_000): [Record<string, Json> | Json[], string | number][] {
  const out: [Record<string, Json> | Json[], string | number][] = [];
  const stack: Json[] = [root];
  while (stack.length && out.length < limit) {
    const v = stack.pop();
    if (Array.isArray(v)) v.forEach((x, i) => (out.push([v, i]), stack.push(x)));
    else if (v && typeof v === "object") for (const k of Object.keys(v)) out.push([v as Record<string, Json>, k]), stack.push((v as Record<string, Json>)[k]);
  }
  return out;
}

/** 1–`max` mutations of a JSON tree (mutated in place; returns the root, which may be replaced). */
export function mutateJson(r: Rng, root: Json, max = 4, pools: { strings?: string[] } = {}): Json {
  for (let k = r.int(1, max); k > 0; k--) {
    const all = slots(root);
    if (!all.length) return randomJson(r);
    const [c, key] = r.pick(all);
    const cur = (c as Record<string | number, Json>)[key];
    const set = (v: Json) => (Array.isArray(c) ? (c[key as number] = v) : setOwn(c as Record<string, Json>, key as string, v));
    switch (r.int(0, 9)) {
      case 0:
        set(randomJson(r, 2));
        break;
      case 1:
        if (Array.isArray(c)) c.splice(key as number, 1);
        else delete (c as Record<string, Json>)[key as string];
        break;
      case 2:
        // Retype: string ↔ number ↔ array ↔ object.
        set(typeof cur === "string" ? (Number(cur) || [cur]) : typeof cur === "number" ? String(cur) : Array.isArray(cur) ? { ...cur } : cur && typeof cur === "object" ? Object.values(cur) : "x");
        break;
      case 3:
        // Duplicate a sibling (duplicate ids, repeated edges).
        if (Array.isArray(c)) c.push(structuredClone(cur));
        else setOwn(c as Record<string, Json>, `${String(key)}${r.int(0, 9)}`, structuredClone(cur));
        break;
      case 4:
        if (typeof cur === "number") set(r.pick([-cur, cur * 1e6, cur + 0.5, Number.MAX_SAFE_INTEGER, -1, 0]));
        else set(randomNumber(r));
        break;
      case 5:
        if (typeof cur === "string" && pools.strings?.length) set(r.pick(pools.strings));
        else set(randomString(r));
        break;
      case 6:
        if (!Array.isArray(c)) setOwn(c as Record<string, Json>, r.pick(["__proto__", "constructor", "extra", randomString(r, 6)]), randomJson(r, 2));
        break;
      case 7: {
        // Deepen: wrap in arrays/objects.
        let v = cur;
        for (let d = r.int(1, 40); d > 0; d--) v = r.chance(0.5) ? [v] : { a: v };
        set(v);
        break;
      }
      case 8:
        set(null);
        break;
      default:
        if (typeof cur === "string") set(mutateText(r, cur));
        else set(cur === undefined ? null : cur);
    }
  }
  return root;
}

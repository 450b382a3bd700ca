/**
 * A small seeded PRNG (mulberry32) and helpers. Every fuzz input is generated from its own
 * generator, seeded by (run seed, target, index), so any one input can be regenerated alone.
 */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  /** 0 ≤ x < 1 */
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** min ≤ n ≤ max */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }
  /** Picks by weight: `[[3, "a"], [1, "b"]]`. */
  weighted<T>(xs: readonly (readonly [number, T])[]): T {
    const total = xs.reduce((a, [w]) => a + w, 0);
    let r = this.next() * total;
    for (const [w, v] of xs) if ((r -= w) < 0) return v;
    return xs[xs.length - 1][1];
  }
}

/** A 32-bit seed for input `index` of `target` in a run seeded with `seed`. */
export function inputSeed(seed: number, target: string, index: number): number {
  let h = 2166136261 ^ seed;
  for (const c of `${target}:${index}`) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  h ^= index * 0x9e3779b1;
  return h >>> 0;
}

const INTERESTING_STRINGS = [
  "",
  " ",
  "\t",
  "\n",
  "\r\n",
  "\u0000",
  "\ufeff",
  "\ufffd",
  "\u202e",
  "😀",
  "é",
  "<script>alert(1)</script>",
  "<img src=x onerror=alert(1)>",
  "&amp;",
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "hasOwnProperty",
  "null",
  "true",
  "~",
  "0x1F",
  "1e309",
  "-0",
  "NaN",
  "${AWS::Region}",
  "!Ref",
  "*alias",
  "&anchor",
  "- item",
  "key: value",
  "{a: 1}",
  "[1, 2]",
  "#comment",
  "'",
  '"',
  "\\",
  "%",
  "@",
  "`",
  "|",
  ">",
];

/** A short random string: mostly readable, sometimes hostile. */
export function randomString(r: Rng, maxLen = 24): string {
  switch (r.int(0, 5)) {
    case 0:
      return r.pick(INTERESTING_STRINGS);
    case 1: {
      let s = "";
      const n = r.int(0, maxLen);
      for (let i = 0; i < n; i++) s += String.fromCharCode(r.int(0, 0xffff));
      return s;
    }
    case 2:
      return "x".repeat(r.pick([0, 1, 127, 128, 129, 140, 141, 256, 257, 1_024, 4_097]));
    default: {
      const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_ .:/";
      let s = "";
      const n = r.int(1, maxLen);
      for (let i = 0; i < n; i++) s += alphabet[r.int(0, alphabet.length - 1)];
      return s;
    }
  }
}

export function randomNumber(r: Rng): number {
  return r.weighted([
    [6, r.int(0, 100)],
    [2, r.int(-1_000, 100_000)],
    [1, r.next() * 1000],
    [1, r.pick([-1, 0, 1, 2 ** 31, 2 ** 53, -(2 ** 53), Number.MAX_VALUE, Number.MIN_VALUE, 1e-7, 0.5, 1e21])],
  ] as const);
}

/** Any JSON value, up to `depth` levels. */
export function randomJson(r: Rng, depth = 3): unknown {
  const k = r.int(0, depth > 0 ? 6 : 3);
  switch (k) {
    case 0:
      return null;
    case 1:
      return r.chance(0.5);
    case 2:
      return randomNumber(r);
    case 3:
      return randomString(r);
    case 4:
    case 5: {
      const n = r.int(0, 4);
      return Array.from({ length: n }, () => randomJson(r, depth - 1));
    }
    default: {
      const o: Record<string, unknown> = {};
      const n = r.int(0, 4);
      for (let i = 0; i < n; i++) setOwn(o, randomString(r, 8), randomJson(r, depth - 1));
      return o;
    }
  }
}

/** Sets an own property even for "__proto__", as JSON.parse does (plain assignment would change the prototype). */
export function setOwn(o: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Display formatting shared by the pages. Pure; locale-dependent parts run in the browser only. */

/**
 * "1 function", "3 functions".
 * @example plural(2, "context") // "2 contexts"
 */
export function plural(n: number, word: string, pluralWord = `${word}s`): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? word : pluralWord}`;
}

/**
 * Bytes as kilobytes with one decimal, as the History tab shows sizes.
 * @example formatKb(12_345) // "12.1 KB"
 */
export function formatKb(bytes: number): string {
  const kb = bytes / 1024;
  return `${kb < 10 ? kb.toFixed(1) : Math.round(kb).toLocaleString("en-US")} KB`;
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

/**
 * "just now", "5 minutes ago", "yesterday".
 * @example formatRelative("2025-01-01T10:00:00Z", Date.parse("2025-01-01T12:00:00Z")) // "2 hours ago"
 */
export function formatRelative(iso: string, now: number): string {
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  if (Math.abs(seconds) < 45) return "just now";
  const rtf = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return rtf.format(Math.round(seconds / size), unit);
  }
  return rtf.format(Math.round(seconds / 60) || -1, "minute");
}

/** Date and time in the viewer's locale and time zone, e.g. "23 Nov 2025, 20:12". */
export function formatAbsolute(iso: string): string {
  return new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));
}

"use client";

import { useSyncExternalStore } from "react";
import { formatAbsolute, formatRelative } from "../format";

// One clock for every timestamp on the page: a minute tick re-renders "5 minutes ago" labels.
let now = Date.now();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(onChange: () => void) {
  listeners.add(onChange);
  if (!timer) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const l of listeners) l();
    }, 30_000);
  }
  return () => {
    listeners.delete(onChange);
    if (!listeners.size && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

/**
 * A timestamp shown relative ("3 hours ago") with the absolute date in a tooltip, or both
 * inline with `absolute`. The server and hydration render the UTC ISO date, which the browser
 * replaces with its own locale and time zone right after hydration.
 */
export function RelativeTime({ iso, absolute = false }: { iso: string; absolute?: boolean }) {
  const clock = useSyncExternalStore(subscribe, () => now, () => 0);
  if (clock === 0) {
    const utc = `${iso.slice(0, 16).replace("T", " ")} UTC`;
    return <time dateTime={iso}>{absolute ? utc : utc.slice(0, 10)}</time>;
  }
  const rel = formatRelative(iso, Math.max(clock, Date.now()));
  const abs = formatAbsolute(iso);
  if (absolute)
    return (
      <time dateTime={iso} title={abs}>
        {rel} <span className="muted">· {abs}</span>
      </time>
    );
  return (
    <time dateTime={iso} title={abs}>
      {rel}
    </time>
  );
}

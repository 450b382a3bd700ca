"use client";
/**
 * One shared one-second clock for "read 3 s ago" labels. It ticks only while someone listens and
 * the page is visible, so a hidden tab does no work at all.
 */
import { useSyncExternalStore } from "react";

let now = 0;
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

const tick = () => {
  now = Date.now();
  for (const l of listeners) l();
};
function start() {
  if (!timer && typeof document !== "undefined" && document.visibilityState !== "hidden") {
    tick();
    timer = setInterval(tick, 1_000);
  }
}
function stop() {
  if (timer) clearInterval(timer);
  timer = undefined;
}
function onVisibility() {
  if (document.visibilityState === "hidden") stop();
  else if (listeners.size) start();
}

function subscribe(onChange: () => void) {
  if (listeners.size === 0) document.addEventListener("visibilitychange", onVisibility);
  listeners.add(onChange);
  start();
  return () => {
    listeners.delete(onChange);
    if (!listeners.size) {
      stop();
      document.removeEventListener("visibilitychange", onVisibility);
    }
  };
}

/** Epoch ms, updated every second while visible; 0 during server rendering and hydration. */
export function useNow(): number {
  return useSyncExternalStore(
    subscribe,
    () => (now ||= Date.now()),
    () => 0,
  );
}

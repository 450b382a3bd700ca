/**
 * Debian's Chromium through Playwright, as the e2e suite runs it: loopback only (Chromium's own
 * look-ups of Google hosts fail on this closed network), 1440 × 900 pages.
 */
import { chromium, type Browser, type BrowserContext } from "@playwright/test";

export const VIEWPORT = { width: 1440, height: 900 } as const;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.TOPO_CHROMIUM || "/usr/bin/chromium",
    args: ["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"],
  });
}

/** A fresh context (no cache, no storage) with the benchmark viewport. */
export function newContext(browser: Browser, opts: { colorScheme?: "light" | "dark" } = {}): Promise<BrowserContext> {
  return browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1, colorScheme: opts.colorScheme ?? "light" });
}

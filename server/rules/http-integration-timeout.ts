import { finding, num, q } from "./context";
import type { Finding, Rule } from "./types";

/**
 * API Gateway stops waiting for a Lambda integration after 30 s on an HTTP API and 29 s on a
 * REST API (the REST default; Regional REST APIs can ask for more through a quota increase).
 * A function allowed to run longer answers a client that already got a 504, and keeps billing.
 * API Gateway quotas, not Lambda ones, so they stay here rather than in LIMITS.
 */
export const API_GATEWAY_TIMEOUT_SECONDS = { http: 30, rest: 29 } as const;

export const httpIntegrationTimeout: Rule = {
  id: "http-integration-timeout",
  severity: "warning",
  title: "A function behind an HTTP route may run longer than API Gateway waits",
  check(ctx) {
    const out: Finding[] = [];
    for (const t of ctx.triggers) {
      if (t.source.kind !== "http-route") continue;
      const limit = API_GATEWAY_TIMEOUT_SECONDS[t.source.api];
      if (t.target.timeoutSeconds <= limit) continue;
      out.push(
        finding(
          httpIntegrationTimeout,
          [t.target.id, t.edge.id, t.source.id],
          `${q(t.target.name)} may run ${num(t.target.timeoutSeconds)} s, but ${t.source.api === "http" ? "an HTTP API" : "a REST API"} route (${q(`${t.source.method} ${t.source.path}`)}) gives up after ${limit} s: the client gets a 504 while the function keeps running.`,
          `Lower the timeout of ${q(t.target.name)} to ${limit} s or less, or make the route asynchronous: accept the request, queue the work and let the client poll or get a callback.`,
        ),
      );
    }
    return out;
  },
};

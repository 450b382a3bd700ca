/**
 * The browser's one way to call the HTTP API. Every failure becomes an `ApiError` carrying the
 * catalog code, message and fix the server sent (`{ error: { code, message, fix, details? } }`),
 * so `<ErrorNotice>` can show them as they are; nothing else about the failure reaches the UI.
 */
import type { ProblemDetail } from "@/server/errors";

export class ApiError extends Error {
  /** A catalog code such as "TOPO-E022", or "NETWORK" / "HTTP-<status>" when no API answer arrived. */
  readonly code: string;
  readonly fix: string;
  readonly status: number;
  readonly details: ProblemDetail[];
  /** Extra fields of the error body, e.g. `baseRevision` and `latestRevision` on TOPO-E021. */
  readonly extra: Record<string, unknown>;

  constructor(init: { code: string; message: string; fix: string; status: number; details?: ProblemDetail[]; extra?: Record<string, unknown> }) {
    super(init.message);
    this.name = "ApiError";
    this.code = init.code;
    this.fix = init.fix;
    this.status = init.status;
    this.details = init.details ?? [];
    this.extra = init.extra ?? {};
  }

  /**
   * The problem reported for one request field, for showing it next to that field.
   * @example error.fieldMessage("region") // "a region looks like eu-west-1"
   */
  fieldMessage(path: string): string | undefined {
    return this.details.find((d) => d.path === path)?.message;
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

type ErrorBody = { error: { code: string; message: string; fix: string; details?: ProblemDetail[] } & Record<string, unknown> };

function isErrorBody(v: unknown): v is ErrorBody {
  if (!v || typeof v !== "object" || !("error" in v)) return false;
  const e = (v as { error: unknown }).error;
  return !!e && typeof e === "object" && typeof (e as { code?: unknown }).code === "string" && typeof (e as { message?: unknown }).message === "string";
}

/**
 * Calls the API and returns the parsed JSON body (undefined for 204); throws `ApiError` otherwise.
 * @example const { projects } = await apiFetch<{ projects: ProjectSummary[] }>("/api/projects")
 * @example await apiFetch("/api/projects/p-1", { method: "PATCH", body: { name: "Billing" } })
 */
export async function apiFetch<T>(path: string, init: { method?: "GET" | "POST" | "PATCH" | "DELETE"; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: init.method ?? "GET",
      headers: init.body === undefined ? { accept: "application/json" } : { accept: "application/json", "content-type": "application/json" },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: init.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === "AbortError") throw e;
    throw new ApiError({
      code: "NETWORK",
      message: "the Topograph server did not answer",
      fix: "Check that the server is running (npm start) and reload the page.",
      status: 0,
    });
  }
  if (res.status === 204) return undefined as T;
  const body: unknown = await res.json().catch(() => undefined);
  if (res.ok) return body as T;
  if (isErrorBody(body)) {
    const { code, message, fix, details, ...extra } = body.error;
    throw new ApiError({ code, message, fix, details, extra, status: res.status });
  }
  throw new ApiError({
    code: `HTTP-${res.status}`,
    message: `the server answered ${res.status} ${res.statusText} without an error description`,
    fix: "Retry; if it persists, check the server's log.",
    status: res.status,
  });
}

/**
 * The per-field problems of a failed request, keyed by request path (`error.details[].path`),
 * for showing each next to its field. A name clash (TOPO-E022) belongs to the `name` field.
 * @example fieldErrors(error).credentialsRef // "use 'default', 'profile:<name>' or a role ARN"
 */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!isApiError(error)) return {};
  if (error.code === "TOPO-E022") return { name: error.message };
  const out: Record<string, string> = {};
  for (const d of error.details) if (d.path && !(d.path in out)) out[d.path] = d.message;
  return out;
}

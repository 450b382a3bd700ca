/**
 * The error catalog. Every error a user can see (API, CLI, canvas) carries one of these codes,
 * a message saying what was wrong, and a fix saying what to do. Numbers are never reused.
 */
export const ERRORS = {
  "TOPO-E001": { status: 400, title: "Malformed JSON", fix: "Send a valid JSON document (check quotes, commas and brackets)." },
  "TOPO-E002": { status: 422, title: "Document does not match the topology schema", fix: "Correct the fields listed; `topo schema` prints the schema." },
  "TOPO-E003": { status: 422, title: "Unsupported schemaVersion", fix: "Use a document written by this or an earlier version of Topograph." },
  "TOPO-E010": { status: 422, title: "Duplicate id", fix: "Give every context, node and edge its own id." },
  "TOPO-E011": { status: 422, title: "Edge to a missing node", fix: "Point the edge at an existing node, or delete the edge." },
  "TOPO-E012": { status: 422, title: "Node in a missing context", fix: "Move the node into an existing context, or create the context." },
  "TOPO-E013": { status: 422, title: "Invalid connection", fix: "Connect kinds that AWS can wire together; see docs/model.md#connections." },
  "TOPO-E014": { status: 422, title: "Setting does not apply to this source", fix: "Remove the setting; it only applies to the sources listed in docs/model.md#triggers." },
  "TOPO-E015": { status: 422, title: "Reference to a missing or unsuitable node", fix: "Point the reference at an existing node of a suitable kind." },
  "TOPO-E020": { status: 404, title: "Not found", fix: "Check the id; list what exists with GET on the collection." },
  "TOPO-E021": { status: 409, title: "Revision conflict", fix: "Someone saved since your base revision: load theirs, or save yours again on top of it as a new revision." },
  "TOPO-E022": { status: 409, title: "Name already taken", fix: "Choose another name." },
  "TOPO-E023": { status: 400, title: "Invalid request", fix: "Correct the fields listed; docs/api.md describes each request." },
  "TOPO-E024": { status: 413, title: "Request too large", fix: "Send a smaller document (limits are in the README)." },
  "TOPO-E030": { status: 400, title: "Bad command-line usage", fix: "Run `topo --help`." },
  "TOPO-E031": { status: 400, title: "File not readable", fix: "Check the path and the file's permissions." },
  "TOPO-E040": { status: 503, title: "Database unavailable", fix: "Check DATABASE_URL and that the database server is running; `npm run setup` applies migrations." },
  "TOPO-E050": { status: 500, title: "Internal error", fix: "Retry; if it persists, report it with the request id." },
} as const;

export type ErrorCode = keyof typeof ERRORS;

export interface ProblemDetail {
  /** Where: a JSON path such as `nodes[3].timeoutSeconds`, or an element id. */
  path?: string;
  elementId?: string;
  code?: ErrorCode;
  message: string;
  fix?: string;
}

/** An error meant for users: code, message and fix are shown as they are; nothing else leaks. */
export class TopoError extends Error {
  readonly code: ErrorCode;
  readonly fix: string;
  readonly status: number;
  readonly details?: ProblemDetail[];
  readonly extra?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, opts: { fix?: string; details?: ProblemDetail[]; extra?: Record<string, unknown> } = {}) {
    super(message);
    this.name = "TopoError";
    this.code = code;
    this.fix = opts.fix ?? ERRORS[code].fix;
    this.status = ERRORS[code].status;
    this.details = opts.details;
    this.extra = opts.extra;
  }

  toJSON() {
    return {
      error: {
        code: this.code,
        message: this.message,
        fix: this.fix,
        ...(this.details ? { details: this.details } : {}),
        ...(this.extra ?? {}),
      },
    };
  }
}

export function isTopoError(e: unknown): e is TopoError {
  return e instanceof TopoError;
}

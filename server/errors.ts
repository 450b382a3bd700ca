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
  "TOPO-E060": { status: 422, title: "Template is not valid YAML or JSON", fix: "Fix the syntax at the line shown (`sam validate --lint` or `cfn-lint` point at the same place), then import again." },
  "TOPO-E061": { status: 422, title: "Not a CloudFormation or SAM template", fix: "Import a SAM or CloudFormation template: a YAML or JSON object with a Resources section." },
  "TOPO-E062": { status: 413, title: "Template too large or too deeply nested", fix: "Remove recursive YAML aliases and deep nesting; templates are limited to 5 MiB, 128 levels and 100 aliases." },
  "TOPO-E063": { status: 415, title: "Template is not UTF-8 text", fix: "Save the template as UTF-8 text (not a zip, an image or a UTF-16 file) and import it again." },
  "TOPO-E064": { status: 200, title: "Nothing in the template is modelled", fix: "The template was kept verbatim (it exports unchanged) but has no function, queue, stream, table, topic, bus, schedule or bucket to draw; add them on the canvas or import a template that has some." },
  "TOPO-E065": { status: 422, title: "Export blocked by design errors", fix: "Fix the error-severity findings listed (`topo lint` shows them), or export anyway with --force (API: force: true)." },
  "TOPO-E066": { status: 500, title: "Cannot write the export", fix: "Check that the output directory can be created and written." },
  "TOPO-E067": { status: 400, title: "Unknown export format", fix: "Use --format sam or --format cdk." },
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

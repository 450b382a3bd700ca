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
  "TOPO-E120": { status: 409, title: "The local sandbox is not running", fix: "Press Run locally on the project (or `topo sandbox`), then open Observe again." },
  "TOPO-E121": { status: 422, title: "Environment cannot be observed", fix: "Give the environment a region and a credentials reference ('default', 'profile:<name>' or a role ARN)." },
  "TOPO-E122": { status: 500, title: "Endpoint override refused", fix: "TOPO_AWS_ENDPOINT_OVERRIDE is for tests only and must name a loopback URL (http://127.0.0.1:<port>); unset it to reach AWS." },
  "TOPO-E123": { status: 502, title: "CloudFormation stack not readable", fix: "Check the stack name and region, and that the credentials allow cloudformation:ListStackResources; or bind the nodes by hand." },
  "TOPO-E124": { status: 400, title: "Invalid observe window", fix: "Use window=5m, 1h or 24h, or window=custom with from and to (ISO times, from before to, at most 14 days apart)." },
  "TOPO-E125": { status: 404, title: "Not an observable element", fix: "Use the id of a function node (functions/…) or of a trigger edge (triggers/…) of the latest revision." },
  "TOPO-E126": { status: 429, title: "AWS throttled the request", fix: "Wait; the poller backs off and retries, and the panel keeps its last good data." },
  "TOPO-E127": { status: 403, title: "Access denied by AWS", fix: "Allow the IAM action named in the message for the environment's credentials." },
  "TOPO-E128": { status: 404, title: "AWS resource not found", fix: "Check the binding (function name, log group, queue URL, stream) or deploy the stack, then check the bindings again." },
  "TOPO-E129": { status: 502, title: "AWS request failed", fix: "Check the network and the region; the message says what the service answered." },
  "TOPO-E130": { status: 400, title: "Invalid Logs Insights query", fix: "Correct the query; the sandbox supports filter, fields, parse, stats … by bin(), sort and limit." },
  "TOPO-E190": { status: 422, title: "Topology too large", fix: "Split the design into several projects (one per bounded context or team): a topology holds at most 5,000 functions, 10,000 nodes, 20,000 edges and 1,000 contexts." },
  "TOPO-E191": { status: 422, title: "Backup file is damaged or not a backup", fix: "Use a file written by `topo backup` and copied whole (compare its size with the original); nothing was restored." },
  "TOPO-E192": { status: 422, title: "Backup does not match this version's database schema", fix: "Restore with the Topograph version that wrote the backup (its migrations are listed in the message), or upgrade this one." },
  "TOPO-E193": { status: 409, title: "Database is not empty", fix: "Restore into a new, empty database, or add --force to replace everything in this one." },
  "TOPO-E194": { status: 500, title: "Restore failed; nothing was written", fix: "The database is as it was before; check the message (disk space, permissions, a running server holding locks) and run the restore again." },
  "TOPO-E195": { status: 500, title: "Cannot write the backup", fix: "Check that the output file's directory exists and can be written, and that there is disk space." },
  "TOPO-E100": { status: 409, title: "The local sandbox is not running", fix: "Start it first: Run locally on the project's Observe tab (POST /api/projects/:id/sandbox)." },
  "TOPO-E101": { status: 500, title: "The local sandbox did not start", fix: "Read the message (a port or the data directory is the usual cause), fix the design if it names a node, then Run locally again." },
  "TOPO-E102": { status: 400, title: "Not a traffic source", fix: "Send traffic to a queue, stream, Kafka topic, HTTP route, SNS topic, event bus, bucket, table or function of the running revision." },
  "TOPO-E103": { status: 429, title: "Too many traffic runs", fix: "Wait for a run to finish or stop one (DELETE /api/projects/:id/sandbox/traffic); at most 4 run at once." },
  "TOPO-E104": { status: 404, title: "Traffic run not found", fix: "Use the id of a run listed by GET /api/projects/:id/sandbox." },
  "TOPO-E105": { status: 422, title: "Invalid filter pattern", fix: "Write the pattern as Lambda/EventBridge JSON: values are arrays of literals or of {prefix}, {numeric}, {exists}, {anything-but} objects." },
  "TOPO-E170": { status: 401, title: "Sign-in required", fix: "Sign in at /signin (or send the session cookie); this server requires sign-in because it is not bound to loopback only or auth is configured." },
  "TOPO-E171": { status: 403, title: "Your role on this project does not allow this", fix: "Ask an admin of the project to give you a higher role (Settings → Members): viewer sees, editor changes designs and runs the sandbox, admin manages environments, dead letters and members." },
  "TOPO-E172": { status: 403, title: "Administrators only", fix: "Ask a Topograph administrator to do this, or to make you one (`topo user set-role <email> admin`)." },
  "TOPO-E173": { status: 500, title: "No authorization rule for this route", fix: "Add a row for this method and route to server/auth/policy.ts (the authorization test lists the missing ones)." },
  "TOPO-E174": { status: 403, title: "Cross-origin request refused", fix: "Call the API from Topograph's own pages or from a client that sends no foreign Origin; behind a proxy, set NEXTAUTH_URL (or TOPO_ALLOWED_ORIGINS) to the public URL." },
  "TOPO-E175": { status: 403, title: "Host not allowed without sign-in", fix: "Without sign-in this server answers only to localhost, 127.0.0.1 and [::1]; open it by one of those names, or turn sign-in on (TOPO_AUTH=on) to serve it under another name or behind a proxy." },
  "TOPO-E176": { status: 429, title: "Too many requests", fix: "Wait for the number of seconds in Retry-After; the limits are TOPO_RATE_LIMIT (see the README's Security section)." },
  "TOPO-E177": { status: 409, title: "Topograph is already set up", fix: "An administrator exists: sign in at /signin; other users are added by an administrator (Settings → Members, or `topo user add`)." },
  "TOPO-E178": { status: 400, title: "Password too weak", fix: "Use at least 12 characters (a passphrase of a few words works well)." },
  "TOPO-E179": { status: 404, title: "No such user", fix: "Check the email; an administrator adds users (`topo user add <email>`, or with a password in Settings → Members)." },
  "TOPO-E180": { status: 409, title: "A project needs an admin", fix: "Make another member admin first, then change or remove this one." },
  "TOPO-E181": { status: 409, title: "Email already registered", fix: "Use another email, or change the existing user's role instead." },
  "TOPO-E182": { status: 403, title: "Setup token required", fix: "This server was started with TOPO_SETUP_TOKEN: enter that token on the setup page (or create the administrator with `topo user add <email> --admin`)." },
  "TOPO-E150": { status: 404, title: "Not a dead-letter queue", fix: "Use the id of a queue that another queue redrives into, or that a function or trigger names as its DLQ or on-failure destination, in the latest revision." },
  "TOPO-E151": { status: 409, title: "Dead-letter queue not bound", fix: "Run the sandbox (local) or bind the queue to its URL in the environment's bindings / stack (aws), then open the DLQ again." },
  "TOPO-E152": { status: 404, title: "Dead letter not found", fix: "The message was deleted, moved, or is being received by someone else; peek again and pick it from the fresh list." },
  "TOPO-E153": { status: 422, title: "Choose where to redrive", fix: "This DLQ has no single source queue (several queues, or a function, feed it); pass destinationNodeId, a queue of the topology." },
  "TOPO-E154": { status: 422, title: "Invalid redrive destination", fix: "Choose a bound queue other than the DLQ itself, of the same type (FIFO with FIFO, standard with standard)." },
  "TOPO-E155": { status: 409, title: "A redrive of this DLQ is already running", fix: "Wait for it to finish (its progress is on the DLQ page), then start another; SQS allows one move task per queue." },
  "TOPO-E156": { status: 404, title: "Redrive task not found", fix: "Check the task id; tasks are listed on the DLQ page of the environment that started them." },
  "TOPO-E157": { status: 502, title: "Redrive stopped", fix: "Messages not moved are still in the DLQ (a move is copy-then-delete); fix the cause named in the message and start the redrive again to resume." },
  "TOPO-E158": { status: 429, title: "Purge already in progress", fix: "SQS allows one PurgeQueue per queue every 60 seconds; wait a minute and purge again." },
  "TOPO-E159": { status: 422, title: "Peek limit out of range", fix: "Ask for 1 to 100 messages (max=1..100); each peeked message's receive count goes up by one." },
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

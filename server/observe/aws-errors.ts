/**
 * What an AWS SDK v3 error means for a panel: throttled (back off), access denied (with the IAM
 * action that was missing), not found (a wrong binding), or unreachable. Pure; the collectors' SDK
 * edges call it with the action they were performing.
 */
import { TopoError, type ErrorCode } from "../errors";

export type ProblemKind = "throttled" | "access-denied" | "not-found" | "unreachable" | "unbound" | "error";

export interface Problem {
  kind: ProblemKind;
  code: ErrorCode;
  message: string;
  fix?: string;
  /** For access denied: the IAM action that was refused, e.g. "logs:FilterLogEvents". */
  missingAction?: string;
}

const THROTTLED = new Set([
  "ThrottlingException",
  "Throttling",
  "ThrottledException",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "RequestThrottled",
  "RequestThrottledException",
  "ProvisionedThroughputExceededException",
  "LimitExceededException",
  "SlowDown",
]);

const DENIED = new Set([
  "AccessDenied",
  "AccessDeniedException",
  "UnauthorizedOperation",
  "AuthorizationError",
  "UnrecognizedClientException",
  "InvalidClientTokenId",
  "ExpiredToken",
  "ExpiredTokenException",
  "KMS.AccessDeniedException",
]);

const NOT_FOUND = new Set([
  "ResourceNotFoundException",
  "AWS.SimpleQueueService.NonExistentQueue",
  "QueueDoesNotExist",
  "NonExistentQueue",
  "NotFoundException",
  "NoSuchEntity",
  "StackNotFoundException",
]);

const NETWORK = new Set(["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "ETIMEDOUT", "EHOSTUNREACH", "TimeoutError", "EPIPE"]);

interface SdkErrorLike {
  name?: string;
  code?: string;
  Code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $response?: { statusCode?: number };
}

/** The error's code as AWS named it (SDK v3 puts it in `name`; query-compatible services also in `Code`). */
export function awsErrorName(e: unknown): string {
  const x = (e ?? {}) as SdkErrorLike;
  return String(x.Code ?? x.name ?? x.code ?? "Error");
}

/** The IAM action named in an AccessDenied message ("… is not authorized to perform: logs:FilterLogEvents on …"). */
export function actionFromMessage(message: string): string | undefined {
  const m = /perform:?\s+([a-z0-9-]+:[A-Za-z0-9*]+)/.exec(message);
  return m?.[1];
}

/**
 * Classifies an SDK error raised while performing `action` (the IAM action, e.g. "sqs:GetQueueAttributes").
 * @example classifyAwsError({ name: "ThrottlingException", message: "Rate exceeded" }, "logs:FilterLogEvents").kind // "throttled"
 */
export function classifyAwsError(e: unknown, action: string, resource = ""): Problem {
  const x = (e ?? {}) as SdkErrorLike;
  const name = awsErrorName(e);
  const message = String(x.message ?? name);
  const status = x.$metadata?.httpStatusCode ?? x.$response?.statusCode;
  const what = resource ? ` (${resource})` : "";
  if (THROTTLED.has(name) || status === 429 || /rate exceeded|throttl/i.test(message)) {
    return { kind: "throttled", code: "TOPO-E126", message: `${action} was throttled${what}: ${message}` };
  }
  if (DENIED.has(name) || status === 403) {
    const missing = actionFromMessage(message) ?? action;
    return {
      kind: "access-denied",
      code: "TOPO-E127",
      message: `access denied: the credentials may not call ${missing}${what}`,
      fix: `Allow ${missing} on this resource for the environment's credentials (IAM policy), then retry.`,
      missingAction: missing,
    };
  }
  if (NOT_FOUND.has(name) || /does not exist|not found/i.test(message)) {
    return { kind: "not-found", code: "TOPO-E128", message: `not found${what}: ${message}` };
  }
  if (NETWORK.has(name) || NETWORK.has(String(x.code)) || /ECONNREFUSED|socket hang up|ENOTFOUND/.test(message)) {
    return { kind: "unreachable", code: "TOPO-E129", message: `could not reach the service for ${action}${what}: ${message}` };
  }
  if (name === "CredentialsProviderError" || /Could not load credentials|Unable to locate credentials/i.test(message)) {
    return {
      kind: "error",
      code: "TOPO-E129",
      message: `${action} failed${what}: ${name}: ${message}`,
      fix: "Give the server credentials (aws sso login, AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), or set the environment's credentials to a profile or a role ARN.",
    };
  }
  return { kind: "error", code: "TOPO-E129", message: `${action} failed${what}: ${name}: ${message}` };
}

/** A problem as a TopoError, for routes and the CLI that fail instead of showing a stale panel. */
export function problemError(p: Problem): TopoError {
  return new TopoError(p.code, p.message, {
    fix: p.fix,
    extra: { kind: p.kind, ...(p.missingAction ? { missingAction: p.missingAction } : {}) },
  });
}

import { isApiError } from "../api";
import { AlertIcon } from "./icons";

export interface ErrorInfo {
  code: string;
  message: string;
  fix: string;
  details?: { path?: string; message: string }[];
}

/** Anything thrown, reduced to what a user may see: an API error as sent, anything else generic. */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (isApiError(error)) return { code: error.code, message: error.message, fix: error.fix, details: error.details };
  if (error && typeof error === "object" && "code" in error && "message" in error && "fix" in error) {
    const e = error as ErrorInfo;
    return { code: String(e.code), message: String(e.message), fix: String(e.fix), details: e.details };
  }
  // A bug in the page itself: its stack means nothing to the user and is in the browser console.
  return { code: "UI-ERROR", message: "the page hit an unexpected problem", fix: "Reload the page; if it persists, report it with the browser console's output." };
}

/**
 * Shows an error as code, message and fix (never a stack). `hidePaths` leaves out details
 * that the form already shows next to their fields.
 * @example <ErrorNotice error={mutation.error} title="Could not save" />
 */
export function ErrorNotice({
  error,
  title,
  hidePaths = [],
  onRetry,
  compact = false,
}: {
  error: unknown;
  title?: string;
  hidePaths?: string[];
  onRetry?: () => void;
  compact?: boolean;
}) {
  const info = toErrorInfo(error);
  const details = (info.details ?? []).filter((d) => !d.path || !hidePaths.includes(d.path));
  return (
    <div role="alert" className={compact ? "notice notice-error notice-compact" : "notice notice-error"}>
      <AlertIcon className="notice-icon" />
      <div className="notice-body">
        {title && <p className="notice-title">{title}</p>}
        <p>
          <code className="error-code">{info.code}</code> {info.message}
        </p>
        {details.length > 0 && (
          <ul className="notice-details">
            {details.map((d, i) => (
              <li key={i}>
                {d.path && <code>{d.path}</code>} {d.message}
              </li>
            ))}
          </ul>
        )}
        <p className="notice-fix">
          <strong>Fix:</strong> {info.fix}
        </p>
      </div>
      {onRetry && (
        <button type="button" className="btn btn-sm" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}

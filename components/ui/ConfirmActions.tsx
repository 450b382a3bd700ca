import { ErrorNotice } from "./ErrorNotice";

/** The footer of a destructive confirmation: the failure (code, message, fix), Cancel, and the danger button. */
export function ConfirmActions({
  error,
  pending,
  label,
  pendingLabel,
  onCancel,
  onConfirm,
}: {
  error: unknown;
  pending: boolean;
  label: string;
  pendingLabel: string;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  return (
    <>
      {error ? <ErrorNotice error={error} compact /> : null}
      <div className="btn-row">
        <button type="button" className="btn" onClick={onCancel} autoFocus>
          Cancel
        </button>
        <button type="button" className="btn btn-danger" disabled={pending} onClick={onConfirm}>
          {pending ? pendingLabel : label}
        </button>
      </div>
    </>
  );
}

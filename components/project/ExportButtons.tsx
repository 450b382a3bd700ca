"use client";

import { useState } from "react";
import { ApiError } from "../api";
import { Dialog } from "../ui/Dialog";
import { ErrorNotice, toErrorInfo, type ErrorInfo } from "../ui/ErrorNotice";
import { DownloadIcon } from "../ui/icons";

type Format = "sam" | "cdk";
const LABEL: Record<Format, string> = { sam: "SAM", cdk: "CDK" };

/** Fetches the export zip; a JSON error body becomes an ApiError (e.g. TOPO-E065 with the blocking findings). */
async function fetchExport(projectId: string, format: Format, force: boolean): Promise<{ blob: Blob; fileName: string }> {
  const res = await fetch(`/api/projects/${encodeURIComponent(projectId)}/export?format=${format}${force ? "&force=1" : ""}`);
  if (res.ok) {
    const name = /filename="([^"]+)"/.exec(res.headers.get("content-disposition") ?? "")?.[1] ?? `${format}.zip`;
    return { blob: await res.blob(), fileName: name };
  }
  const body = (await res.json().catch(() => undefined)) as { error?: { code: string; message: string; fix: string; details?: { path?: string; message: string }[] } } | undefined;
  if (body?.error) throw new ApiError({ ...body.error, status: res.status });
  throw new ApiError({ code: `HTTP-${res.status}`, message: `the export failed with ${res.status}`, fix: "Retry; if it persists, check the server's log.", status: res.status });
}

function save(blob: Blob, fileName: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * "Export SAM" / "Export CDK": downloads the latest revision as a zip. When design errors block
 * the export, a dialog lists them and offers to export anyway.
 */
export function ExportButtons({ projectId }: { projectId: string }) {
  const [busy, setBusy] = useState<Format | null>(null);
  const [blocked, setBlocked] = useState<{ format: Format; error: ErrorInfo } | null>(null);
  const [failed, setFailed] = useState<unknown>(null);

  const run = async (format: Format, force = false) => {
    setBusy(format);
    setFailed(null);
    try {
      const { blob, fileName } = await fetchExport(projectId, format, force);
      save(blob, fileName);
      setBlocked(null);
    } catch (e) {
      if (e instanceof ApiError && e.code === "TOPO-E065") setBlocked({ format, error: toErrorInfo(e) });
      else setFailed(e);
    } finally {
      setBusy(null);
    }
  };

  return (
    <>
      {(["sam", "cdk"] as const).map((f) => (
        <button key={f} type="button" className="btn btn-sm" onClick={() => run(f)} disabled={busy !== null} aria-label={`Export ${LABEL[f]}`}>
          <DownloadIcon size={14} /> {busy === f ? "Exporting…" : `Export ${LABEL[f]}`}
        </button>
      ))}
      {failed !== null && <ErrorNotice error={failed} compact title="Export failed" />}
      <Dialog
        open={blocked !== null}
        onClose={() => setBlocked(null)}
        title="Design errors block the export"
        description="AWS would reject or mis-deploy these. Fix them in the design, or export anyway to inspect the output."
        tone="danger"
      >
        {blocked && <ErrorNotice error={blocked.error} title="Errors found" />}
        <div className="btn-row">
          <button type="button" className="btn" onClick={() => setBlocked(null)}>
            Cancel
          </button>
          <button type="button" className="btn btn-danger" onClick={() => blocked && run(blocked.format, true)} disabled={busy !== null}>
            Export {blocked ? LABEL[blocked.format] : ""} anyway
          </button>
        </div>
      </Dialog>
    </>
  );
}

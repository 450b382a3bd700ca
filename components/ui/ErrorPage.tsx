import Link from "next/link";
import { ErrorNotice, type ErrorInfo } from "./ErrorNotice";

/** A whole page for an error that stops a page from showing: heading, code/message/fix, a way back. */
export function ErrorPage({ heading, title, error }: { heading: string; title: string; error: ErrorInfo }) {
  return (
    <div className="container page">
      <div className="page-header">
        <div>
          <h1>{heading}</h1>
        </div>
      </div>
      <ErrorNotice error={error} title={title} />
      <p style={{ marginTop: 16 }}>
        <Link href="/" className="btn">
          Back to projects
        </Link>
      </p>
    </div>
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { ErrorNotice } from "@/components/ui/ErrorNotice";

export const metadata: Metadata = { title: { absolute: "Not found · Topograph" } };

/** Any page that does not exist, and projects that do not (the project layout calls notFound()), answer 404 here. */
export default function NotFound() {
  return (
    <div className="container page">
      <div className="page-header">
        <div>
          <h1>Not found</h1>
        </div>
      </div>
      <ErrorNotice
        error={{ code: "TOPO-E020", message: "there is nothing at this address", fix: "It may have been deleted or renamed under another id: open it from the project list." }}
        title="Could not open this page"
      />
      <p style={{ marginTop: 16 }}>
        <Link href="/" className="btn">
          Back to projects
        </Link>
      </p>
    </div>
  );
}

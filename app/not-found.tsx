import type { Metadata } from "next";
import { ErrorPage } from "@/components/ui/ErrorPage";

export const metadata: Metadata = { title: { absolute: "Not found · Topograph" } };

/** Any page that does not exist, and projects that do not (the project layout calls notFound()), answer 404 here. */
export default function NotFound() {
  return (
    <ErrorPage
      heading="Not found"
      title="Could not open this page"
      error={{ code: "TOPO-E020", message: "there is nothing at this address", fix: "It may have been deleted or renamed under another id: open it from the project list." }}
    />
  );
}

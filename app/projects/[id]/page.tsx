import { redirect } from "next/navigation";

// /projects/:id – a project opens on its Design tab
export default async function ProjectPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  redirect(`/projects/${encodeURIComponent(id)}/design`);
}

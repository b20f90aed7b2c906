import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { WorkflowEditor } from "@/features/workflow-editor/workflow-editor";
import { requireUserId } from "@/server/auth/require-user";
import { catalogEntries } from "@/server/catalog";
import { getDb } from "@/server/db";
import { AppError } from "@/lib/errors";
import { getWorkflow } from "@/server/services/workflows";

export const metadata = { title: "Edit workflow" };

// The workflow and the catalog are loaded while the page renders on the server, so the canvas
// draws as soon as the script runs instead of after two more round trips.
export default async function WorkflowEditorPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const userId = await requireUserId();
  const workflow = await getWorkflow(getDb(), userId, id, new Headers(await headers())).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "NOT_FOUND") notFound();
    throw error;
  });
  return <WorkflowEditor id={id} initialWorkflow={workflow} initialCatalog={catalogEntries()} />;
}

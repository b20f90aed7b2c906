import { WorkflowEditor } from "@/features/workflow-editor/workflow-editor";

export const metadata = { title: "Edit workflow" };

export default async function WorkflowEditorPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <WorkflowEditor id={id} />;
}

import { RunsView } from "./runs-view";

export const metadata = { title: "Runs" };

export default async function WorkflowRunsPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ run?: string | string[] }>;
}) {
  const { id } = await params;
  const { run } = await searchParams;
  return <RunsView workflowId={id} initialRunId={typeof run === "string" ? run : null} />;
}

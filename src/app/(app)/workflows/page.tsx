import { WorkflowList } from "./workflow-list";

export const metadata = { title: "Workflows" };

export default function WorkflowsPage() {
  return <WorkflowList />;
}

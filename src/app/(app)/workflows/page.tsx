import { ComingSoon } from "@/components/coming-soon";

export const metadata = { title: "Workflows" };

export default function WorkflowsPage() {
  return (
    <ComingSoon
      title="Workflows"
      description="Draw automations that turn events in one service into actions in others, then watch every run step by step."
    />
  );
}

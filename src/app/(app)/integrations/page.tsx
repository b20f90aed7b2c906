import { ComingSoon } from "@/components/coming-soon";

export const metadata = { title: "Integrations" };

export default function IntegrationsPage() {
  return (
    <ComingSoon
      title="Integrations"
      description="Connect Stripe, Pipedrive, Jira, Slack, Twilio, SendGrid, GitHub and Pipedream from one page."
    />
  );
}

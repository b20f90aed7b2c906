import { ComingSoon } from "@/components/coming-soon";

export const metadata = { title: "Billing" };

export default function BillingPage() {
  return (
    <ComingSoon
      title="Billing"
      description="Choose a plan, pay through Stripe and manage your subscription here."
    />
  );
}

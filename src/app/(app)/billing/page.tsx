import { BillingView } from "./billing-view";

export const metadata = { title: "Billing" };

export default async function BillingPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { checkout } = await searchParams;
  return (
    <>
      <header className="page-header">
        <h1>Billing</h1>
        <p className="muted">Your plan, what you have used this period, and your subscription. Payments are handled by Stripe.</p>
      </header>
      <BillingView checkoutReturn={checkout === "success" || checkout === "cancelled" ? checkout : null} />
    </>
  );
}

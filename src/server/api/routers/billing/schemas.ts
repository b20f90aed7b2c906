import { z } from "zod";
import { BILLING_INTERVALS } from "@/server/billing/plans";

const paidPlan = z.enum(["pro", "business"], { error: "Choose Pro or Business" });
const interval = z.enum(BILLING_INTERVALS, { error: "Choose monthly or yearly" });

export const planChoiceInput = z.object({ plan: paidPlan, interval }).strict();

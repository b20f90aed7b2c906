// Runs started by hand from the editor or the API, with whatever JSON the person supplies.
import { z } from "zod";
import { defineIntegration, defineTrigger } from "../core/define";

const run = defineTrigger({
  type: "manual.run",
  title: "Run manually",
  description: "Starts when you click Run, with optional test data.",
  phrases: ["manually", "when i click run", "on demand", "run by hand", "manual trigger", "test run"],
  payloadSchema: z.object({ data: z.unknown() }),
  sample: { data: { email: "jenny.rosen@example.com", name: "Jenny Rosen" } },
});

export const manual = defineIntegration({
  key: "manual",
  name: "Manual",
  description: "Start a workflow yourself.",
  color: "#64748B",
  icon: { kind: "svg", path: "M6 4l14 8-14 8V4Z" },
  connection: { kind: "none" },
  triggers: [run],
  actions: [],
});

import { defineIntegration } from "../core/define";
import { httpRequest } from "./actions/request";

export const http = defineIntegration({
  key: "http",
  name: "HTTP",
  description: "Call any public HTTP API.",
  color: "#6B7280",
  icon: { kind: "svg", path: "M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20Zm0 0c2.5 2.7 3.8 6 3.8 10s-1.3 7.3-3.8 10m0-20C9.5 4.7 8.2 8 8.2 12s1.3 7.3 3.8 10M2.5 9h19m-19 6h19" },
  connection: { kind: "none" },
  triggers: [],
  actions: [httpRequest],
});

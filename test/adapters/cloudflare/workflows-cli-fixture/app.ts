// An app with two workflows, for `skiff check` / `skiff build` with engine: "cloudflare" (workflows-cli.test.ts).
import { Skiff } from "skiff";
import { z } from "zod";

export const app = new Skiff({
  workflows: { checkout: z.object({ orderId: z.string() }), "order-report": z.object({}) },
});
app.workflow("checkout", async (event, step) => step.do("confirm", () => event.payload.orderId));
app.workflow("order-report", async (_event, step) => step.do("count", () => 0));

import { describe, expect, it } from "vitest";
import { z } from "zod";
import { Skiff } from "skiff";
import { createTestRuntime } from "skiff/testing";
import { describeApp } from "../../src/cli/app/manifest.js";
import { wranglerToml } from "../../src/cli/targets/cloudflare/target.js";
import { samTemplate } from "../../src/cli/targets/lambda/sam-template.js";

const Checkout = z.object({ orderId: z.string() });

describe("workflows are ordinary registry entries", () => {
  it("declaring a workflow declares the internal queue; implementing one registers its consumer and the timer cron", () => {
    const declared = new Skiff({ workflows: { checkout: Checkout } });
    expect(declared.triggers.schemas.has("skiff-workflows")).toBe(true);
    expect(declared.triggers.queues.has("skiff-workflows")).toBe(false);
    declared.workflow("checkout", async () => undefined);
    expect(declared.triggers.queues.get("skiff-workflows")?.options).toMatchObject({
      maxRetries: 20,
      deadLetter: undefined,
    });
    expect([...declared.triggers.crons.keys()]).toEqual(["*/5 * * * *"]);
    expect(new Skiff().triggers.schemas.has("skiff-workflows")).toBe(false);
  });

  it("takes the timer cron's expression from workflowTimers (Vercel Hobby: daily)", () => {
    const app = new Skiff({ workflows: { checkout: Checkout }, workflowTimers: "0 0 * * *" });
    app.workflow("checkout", async () => undefined);
    expect([...app.triggers.crons.keys()]).toEqual(["0 0 * * *"]);
    expect(() => new Skiff({ workflowTimers: "every minute" })).toThrow(/^\[skiff\]/);
  });

  it("refuses a handler for an undeclared workflow and a second handler", () => {
    const app = new Skiff({ workflows: { checkout: Checkout } });
    // @ts-expect-error: "refund" is not declared
    expect(() => app.workflow("refund", async () => undefined)).toThrow(
      '[skiff] workflow "refund" has a handler but is not declared; add it to new Skiff({ workflows: { refund: schema } }) (declared: "checkout")',
    );
    app.workflow("checkout", async () => undefined);
    expect(() => app.workflow("checkout", async () => undefined)).toThrow(/already has a handler/);
  });

  it("merges the workflows of a sub-app mounted with route(), with one consumer and one timer cron", async () => {
    const billing = new Skiff({ workflows: { invoice: z.object({ n: z.number() }) } });
    billing.workflow("invoice", async (event, step) => step.do("bill", () => event.payload.n * 2));
    const app = new Skiff({ workflows: { checkout: Checkout } });
    app.workflow("checkout", async () => "ok");
    app.route("/billing", billing);
    expect([...app.triggers.workflows.keys()].sort()).toEqual(["checkout", "invoice"]);
    expect(app.triggers.crons.get("*/5 * * * *")).toHaveLength(1);
    const t = createTestRuntime(app);
    const invoice = t.runtime.workflows.invoice as NonNullable<typeof t.runtime.workflows.invoice>;
    const { id } = await invoice.start({ n: 21 });
    await t.runWorkflows();
    expect(await invoice.get(id)).toMatchObject({ status: "completed", output: 42 });
  });

  it("the generated wrangler config and SAM template carry the internal queue and the timer cron", () => {
    const app = new Skiff({ workflows: { checkout: Checkout } });
    app.workflow("checkout", async () => undefined);
    const manifest = describeApp(app);
    const toml = wranglerToml(manifest, {
      name: "shop",
      main: "src/worker.ts",
      compatibilityDate: "2026-04-26",
    });
    expect(toml).toContain('queue = "skiff-workflows"');
    expect(toml).toContain("*/5 * * * *");
    const { yaml } = samTemplate(manifest);
    expect(yaml).toContain("skiff-workflows");
    expect(yaml).toContain("cron(0/5 * * * ? *)");
  });

  it("sends wake messages through the app's queue carrying ids only: { run } and { run, seq, idx }", async () => {
    const app = new Skiff({ workflows: { checkout: Checkout } });
    app.workflow("checkout", async (event, step) =>
      step.map("lines", [event.payload.orderId, "b"], (x) => x),
    );
    const t = createTestRuntime(app);
    const { id } = await t.runtime.workflows.checkout!.start({ orderId: "secret-payload" });
    expect((await t.queueStore.peek("skiff-workflows")).map((m) => m.body)).toEqual([{ run: id }]);
    const [message] = await t.queueStore.peek("skiff-workflows");
    await t.deliver("skiff-workflows", [{ id: message!.id, body: message!.body }]);
    const bodies = (await t.queueStore.peek("skiff-workflows")).map((m) => m.body);
    expect(bodies).toContainEqual({ run: id, seq: 0, idx: 0 });
    expect(bodies).toContainEqual({ run: id, seq: 0, idx: 1 });
    expect(JSON.stringify(bodies)).not.toContain("secret-payload");
  });
});

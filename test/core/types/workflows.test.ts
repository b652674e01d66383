import { describe, expect, expectTypeOf, it } from "vitest";
import { z } from "zod";
import { Skiff, type WorkflowClient, type WorkflowEvent, type WorkflowRun, type WorkflowStart } from "skiff";
import { createTestRuntime } from "skiff/testing";

// Workflow types are inferred from `new Skiff({ workflows })` like queue types, and folded into the env's
// Variables, so that routes (`c.var.workflows`) and every trigger (`ctx.workflows`) see the same typed clients.
const Checkout = z.object({ orderId: z.string(), qty: z.number().int().default(1) });
type CheckoutOut = { orderId: string; qty: number };
type CheckoutIn = { orderId: string; qty?: number | undefined };
const Order = z.object({ orderId: z.string() });
interface Env {
  API_KEY: string;
}

describe("workflow types", () => {
  it("types event.payload by the schema's output and start() by its input, and rejects undeclared names", async () => {
    const app = new Skiff({ workflows: { checkout: Checkout } });
    app.workflow("checkout", async (event, step, ctx) => {
      expectTypeOf(event).toEqualTypeOf<WorkflowStart<CheckoutOut>>();
      expectTypeOf(ctx.workflows.checkout).toEqualTypeOf<WorkflowClient<CheckoutIn, CheckoutOut>>();
      const n = await step.do("double", () => event.payload.qty * 2);
      expectTypeOf(n).toEqualTypeOf<number>();
      const [a, b] = await step.all([step.do("a", () => "x"), step.do("b", async () => 1)]);
      expectTypeOf(a).toEqualTypeOf<string>();
      expectTypeOf(b).toEqualTypeOf<number>();
      const m = await step.map("m", [1, 2], (item, s) => ({ item, i: s.index }));
      expectTypeOf(m).toEqualTypeOf<{ item: number; i: number }[]>();
      const e = await step.waitForEvent<{ by: string }>("ok", { type: "ok", timeout: "1 hour" });
      expectTypeOf(e).toEqualTypeOf<WorkflowEvent<{ by: string }>>();
      // @ts-expect-error a duration is milliseconds or "<n> <unit>"
      await step.sleep("bad", "soon");
      return n;
    });
    // @ts-expect-error "refund" is not a declared workflow
    expect(() => app.workflow("refund", async () => undefined)).toThrow(/not declared/);
    app.post("/start", async (c) => {
      expectTypeOf<Parameters<typeof c.var.workflows.checkout.start>[0]>().toEqualTypeOf<CheckoutIn>();
      expectTypeOf(c.var.workflows.checkout.get).returns.toEqualTypeOf<Promise<WorkflowRun | undefined>>();
      // @ts-expect-error no workflow "nope" is declared
      expect(c.var.workflows.nope).toBeUndefined();
      // @ts-expect-error the input must match the schema's input
      if (c.req.query("never")) await c.var.workflows.checkout.start({ qty: 1 });
      return c.json(await c.var.workflows.checkout.start({ orderId: "o1" }));
    });
    const t = createTestRuntime(app);
    expect((await t.fetch(new Request("http://test/start", { method: "POST" }))).status).toBe(200);
  });

  it("gives cron and queue handlers ctx.workflows, with queues declared alongside", () => {
    const app = new Skiff({ queues: { orders: Order }, workflows: { checkout: Checkout } });
    app.queue("orders", async (message, ctx) => {
      expectTypeOf(ctx.workflows.checkout.start).parameter(0).toEqualTypeOf<CheckoutIn>();
      await ctx.workflows.checkout.start({ orderId: message.body.orderId });
    });
    app.cron("0 9 * * *", async (_event, ctx) => {
      expectTypeOf(ctx.workflows.checkout).toEqualTypeOf<WorkflowClient<CheckoutIn, CheckoutOut>>();
    });
    expect(app.triggers.queues.has("orders")).toBe(true);
  });

  it("keeps the env typed through Skiff.withEnv<E>()({ workflows })", () => {
    const app = Skiff.withEnv<{ Bindings: Env }>()({ workflows: { checkout: Checkout } });
    app.workflow("checkout", async (event, _step, ctx) => {
      expectTypeOf(ctx.env.API_KEY).toEqualTypeOf<string>();
      expectTypeOf(event.payload).toEqualTypeOf<CheckoutOut>();
    });
    app.get("/", (c) => {
      expectTypeOf(c.env.API_KEY).toEqualTypeOf<string>();
      expectTypeOf(c.var.workflows.checkout).toEqualTypeOf<WorkflowClient<CheckoutIn, CheckoutOut>>();
      return c.text("ok");
    });
  });

  it("rejects workflows given with a type argument, where they could not be inferred", () => {
    const workflows = { checkout: Checkout };
    // @ts-expect-error write Skiff.withEnv<{ Bindings: Env }>()({ workflows }) instead
    const app = new Skiff<{ Bindings: Env }>({ workflows });
    expect(app.triggers.workflowSchemas.size).toBe(1);
  });

  it("an app without workflows has an empty ctx.workflows", () => {
    const app = new Skiff();
    app.cron("0 9 * * *", async (_e, ctx) => {
      // @ts-expect-error no workflow is declared
      void ctx.workflows.checkout;
    });
    expect(app.triggers.workflowSchemas.size).toBe(0);
  });
});

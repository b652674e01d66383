import { describe, expect, expectTypeOf, it } from "vitest";
import { z } from "zod";
import type { Env as HonoEnv } from "hono";
import { type QueueMessage, type QueueSchemas, Skiff, SkiffError } from "skiff";
import { createTestRuntime } from "skiff/testing";

// Queue types are inferred from `new Skiff({ queues })`; naming the env as a type argument would stop that
// inference (TypeScript has no partial inference), so these tests pin every supported way of writing an app
// with typed queues, and the rejected one.
const Order = z.object({ orderId: z.string(), qty: z.number().int().default(1) });
type OrderOut = { orderId: string; qty: number };
type OrderIn = { orderId: string; qty?: number | undefined };
interface Env {
  API_KEY: string;
}

async function deliverOne<E extends HonoEnv, Q extends QueueSchemas>(app: Skiff<E, Q>, body: unknown) {
  const t = createTestRuntime(app, { env: { API_KEY: "k" } });
  try {
    return await t.deliver("orders", [{ body }]);
  } finally {
    await t.close();
  }
}

describe("queue types without an env: new Skiff({ queues })", () => {
  it("types message.body by the schema's output, rejects unknown queue names and types producers", async () => {
    const app = new Skiff({ queues: { orders: Order } });
    const seen: OrderOut[] = [];
    app.queue("orders", async (message) => {
      expectTypeOf(message).toEqualTypeOf<QueueMessage<OrderOut>>();
      seen.push(message.body);
    });
    // @ts-expect-error "typo" is not a declared queue
    expect(() => app.queue("typo", async () => {})).toThrow(SkiffError);
    app.post("/orders", async (c) => {
      expectTypeOf<Parameters<typeof c.var.queues.orders.send>[0]>().toEqualTypeOf<OrderIn>();
      // @ts-expect-error no queue "nope" is declared
      expect(c.var.queues.nope).toBeUndefined();
      return c.text("ok");
    });
    expect((await app.request("/orders", { method: "POST" })).status).toBe(200);
    expect(await deliverOne(app, { orderId: "o1" })).toEqual([expect.objectContaining({ outcome: "acked" })]);
    expect(seen).toEqual([{ orderId: "o1", qty: 1 }]);
  });
});

describe("queue types with an env: Skiff.withEnv<E>()({ queues })", () => {
  it("types c.env and ctx.env by the env and message.body by the schema, and rejects unknown names", async () => {
    const app = Skiff.withEnv<{ Bindings: Env; Variables: { user: string } }>()({
      queues: { orders: Order },
    });
    const seen: string[] = [];
    app.queue("orders", async (message, ctx) => {
      expectTypeOf(message.body).toEqualTypeOf<OrderOut>();
      expectTypeOf(ctx.env).toEqualTypeOf<Env>();
      seen.push(`${message.body.orderId}:${ctx.env.API_KEY}`);
    });
    // @ts-expect-error "typo" is not a declared queue
    expect(() => app.queueBatch("typo", async () => {})).toThrow(SkiffError);
    app.get("/env", (c) => {
      expectTypeOf(c.env).toEqualTypeOf<Env>();
      expectTypeOf(c.var.user).toEqualTypeOf<string>();
      // @ts-expect-error no queue "nope" is declared
      expect(c.var.queues.nope).toBeUndefined();
      return c.text(c.env.API_KEY);
    });
    expect(await (await app.request("/env", {}, { API_KEY: "secret" })).text()).toBe("secret");
    await deliverOne(app, { orderId: "o2", qty: 2 });
    expect(seen).toEqual(["o2:k"]);
  });

  it("types a batch consumer's bodies", async () => {
    const app = Skiff.withEnv<{ Bindings: Env }>()({ queues: { orders: Order } });
    const seen: OrderOut[] = [];
    app.queueBatch("orders", async (batch) => {
      expectTypeOf(batch.messages[0]!.body).toEqualTypeOf<OrderOut>();
      seen.push(...batch.messages.map((m) => m.body));
    });
    await deliverOne(app, { orderId: "o3" });
    expect(seen).toEqual([{ orderId: "o3", qty: 1 }]);
  });
});

describe("queue types with both type arguments: new Skiff<E, typeof queues>({ queues })", () => {
  it("types message.body and rejects unknown names", async () => {
    const queues = { orders: Order };
    const app = new Skiff<{ Bindings: Env }, typeof queues>({ queues });
    const seen: OrderOut[] = [];
    app.queue("orders", async (message, ctx) => {
      expectTypeOf(message.body).toEqualTypeOf<OrderOut>();
      expectTypeOf(ctx.env).toEqualTypeOf<Env>();
      seen.push(message.body);
    });
    // @ts-expect-error "typo" is not a declared queue
    expect(() => app.queue("typo", async () => {})).toThrow(SkiffError);
    app.get("/", (c) => {
      // @ts-expect-error no queue "nope" is declared
      expect(c.var.queues.nope).toBeUndefined();
      return c.text("ok");
    });
    expect((await app.request("/")).status).toBe(200);
    await deliverOne(app, { orderId: "o4" });
    expect(seen).toEqual([{ orderId: "o4", qty: 1 }]);
  });
});

describe("the form that cannot infer queue types: new Skiff<E>({ queues })", () => {
  it("does not compile, instead of silently leaving the queues untyped", () => {
    // @ts-expect-error queue types are inferred only without type arguments: use Skiff.withEnv<E>()
    const app = new Skiff<{ Bindings: Env }>({ queues: { orders: Order } });
    // At run time the queue is still declared; only its types were lost, which is what the error prevents.
    expect(app.triggers.schemas.has("orders")).toBe(true);
  });

  it("declares no queue at all when the env is named and no queues are given", () => {
    const app = new Skiff<{ Bindings: Env }>();
    // @ts-expect-error the app declares no queue
    expect(() => app.queue("orders", async () => {})).toThrow(/not declared/);
    app.get("/", (c) => {
      expectTypeOf(c.var.queues).toEqualTypeOf<{}>();
      return c.text("ok");
    });
  });
});

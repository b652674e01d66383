import { describe, expect, expectTypeOf, it } from "vitest";
import { z } from "zod";
import { Hono } from "hono";
import { hc, type InferResponseType } from "hono/client";
import { Hono as Hono412 } from "hono-4-12";
import { Skiff } from "skiff";
import { requestId, validate } from "skiff/middleware";

// Hono's RPC client (`hc<typeof app>`) reads the app's route schema from its type. These tests pin that a skiff app
// keeps that schema through basePath(), route() and chained triggers, and that the typed client reaches the routes.
type Fetchable = {
  request: (input: Request | string | URL, init?: RequestInit) => Response | Promise<Response>;
};
const clientOf =
  <T extends Fetchable>(app: T) =>
  (input: RequestInfo | URL, init?: RequestInit) =>
    app.request(input instanceof Request ? input : String(input), init);

const Order = z.object({ orderId: z.string(), qty: z.number().int().positive() });

describe("basePath(): the base path is part of the type", () => {
  it("types and calls /api/ping", async () => {
    const app = new Skiff().basePath("/api").get("/ping", (c) => c.json({ pong: true }));
    const client = hc<typeof app>("http://localhost", { fetch: clientOf(app) });
    expectTypeOf<InferResponseType<typeof client.api.ping.$get>>().toEqualTypeOf<{ pong: boolean }>();
    // @ts-expect-error the route lives under /api
    expect(client.ping).toBeTypeOf("function"); // hc builds any path at run time; only the type refuses it
    const res = await client.api.ping.$get();
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ pong: true });
  });

  it("nests base paths", async () => {
    const app = new Skiff()
      .basePath("/api")
      .basePath("/v1")
      .get("/ping", (c) => c.text("pong"));
    const client = hc<typeof app>("http://localhost", { fetch: clientOf(app) });
    expect(await (await client.api.v1.ping.$get()).text()).toBe("pong");
  });
});

describe("triggers chain with routes and keep the schema", () => {
  it("chains cron(), queue() and queueBatch() before and after routes", async () => {
    const app = new Skiff({ queues: { orders: Order, audit: z.string() } })
      .cron("0 9 * * *", () => {})
      .get("/api/ping", (c) => c.json({ pong: true }))
      .queue("orders", async (message) => {
        expectTypeOf(message.body).toEqualTypeOf<{ orderId: string; qty: number }>();
      })
      .post("/api/orders", validate("json", Order), async (c) => {
        const order = c.req.valid("json");
        return c.json({ accepted: order.orderId }, 202);
      })
      .queueBatch("audit", async (batch) => {
        expectTypeOf(batch.messages[0]!.body).toEqualTypeOf<string>();
      })
      .cron("*/5 * * * *", () => {});
    expect([...app.triggers.crons.keys()]).toHaveLength(2);
    expect([...app.triggers.queues.keys()].sort()).toEqual(["audit", "orders"]);

    const client = hc<typeof app>("http://localhost", { fetch: clientOf(app) });
    expectTypeOf<Parameters<typeof client.api.orders.$post>[0]["json"]>().toEqualTypeOf<
      z.input<typeof Order>
    >();
    expectTypeOf<InferResponseType<typeof client.api.orders.$post>>().toEqualTypeOf<{ accepted: string }>();
    const res = await client.api.orders.$post({ json: { orderId: "o1", qty: 2 } });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: "o1" });
    expect(await (await client.api.ping.$get()).json()).toEqual({ pong: true });
    // The chained app still types its triggers: an undeclared queue is refused.
    // @ts-expect-error "typo" is not a declared queue
    expect(() => app.queue("typo", async () => {})).toThrow(/not declared/);
  });

  it("chains after use() with the middleware's variables typed", async () => {
    const app = new Skiff()
      .use(requestId())
      .get("/api/id", (c) => c.json({ id: c.var.requestId }))
      .cron("0 0 * * *", () => {});
    const client = hc<typeof app>("http://localhost", { fetch: clientOf(app) });
    expectTypeOf<InferResponseType<typeof client.api.id.$get>>().toEqualTypeOf<{ id: string }>();
    const res = await client.api.id.$get({}, { headers: { "x-request-id": "req-1" } });
    expect(await res.json()).toEqual({ id: "req-1" });
  });
});

describe("route(): sub-apps join the schema", () => {
  it("adds a skiff sub-app's routes and adopts its triggers", async () => {
    const billing = new Skiff({ queues: { invoices: z.string() } })
      .get("/invoices/:id", (c) => c.json({ id: c.req.param("id") }))
      .queue("invoices", async () => {});
    const app = new Skiff().route("/billing", billing).cron("0 1 * * *", () => {});
    expect(app.triggers.queues.has("invoices")).toBe(true);
    const client = hc<typeof app>("http://localhost", { fetch: clientOf(app) });
    const res = await client.billing.invoices[":id"].$get({ param: { id: "i7" } });
    expectTypeOf<InferResponseType<(typeof client.billing.invoices)[":id"]["$get"]>>().toEqualTypeOf<{
      id: string;
    }>();
    expect(await res.json()).toEqual({ id: "i7" });
  });

  it("adds a plain Hono sub-app's routes, including ones it mounted itself", async () => {
    const inner = new Hono().get("/leaf", (c) => c.json({ leaf: true }));
    const users = new Hono().get("/me", (c) => c.json({ name: "ada" })).route("/inner", inner);
    const app = new Skiff().basePath("/api").route("/users", users);
    const client = hc<typeof app>("http://localhost", { fetch: clientOf(app) });
    expectTypeOf<InferResponseType<typeof client.api.users.me.$get>>().toEqualTypeOf<{ name: string }>();
    expect(await (await client.api.users.me.$get()).json()).toEqual({ name: "ada" });
    expect(await (await client.api.users.inner.leaf.$get()).json()).toEqual({ leaf: true });
  });

  it("mounts a sub-app from another copy of Hono (hono-4-12), outside the typed schema", async () => {
    const legacy = new Hono412().get("/ping", (c) => c.text("pong from 4.12"));
    const app = new Skiff().get("/own", (c) => c.text("own")).route("/legacy", legacy);
    expect(await (await app.request("/legacy/ping")).text()).toBe("pong from 4.12");
    const client = hc<typeof app>("http://localhost", { fetch: clientOf(app) });
    expect(await (await client.own.$get()).text()).toBe("own");
    // TypeScript compares Hono classes nominally (private members), so the other copy's schema is unreadable.
    // @ts-expect-error the 4.12 sub-app's routes are not in the schema
    expect(client.legacy).toBeTypeOf("function");
  });
});

import { Hono } from "hono";
import { cors } from "hono/cors";
import { HTTPException } from "hono/http-exception";
import { secureHeaders } from "hono/secure-headers";
import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { ProblemError, Skiff, sql } from "skiff";
import { cronFromSlug, cronSlug } from "skiff/adapter";
import { createTestRuntime } from "skiff/testing";

const req = (path: string, init?: RequestInit) => new Request(`http://app.test${path}`, init);

describe("a skiff app is a Hono app", () => {
  it("keeps Hono's routing, params, middleware, route() and basePath()", async () => {
    const app = new Skiff();
    app.use("*", cors({ origin: "https://example.com" }), secureHeaders());
    app.get("/hello/:name", (c) => c.json({ hi: c.req.param("name"), q: c.req.query("x") }));
    const users = new Hono().get("/", (c) => c.text("users"));
    app.route("/users", users);
    const api = app.basePath("/api");
    api.get("/health", (c) => c.text("ok"));
    const t = createTestRuntime(app);

    const res = await t.fetch(req("/hello/ada?x=1", { headers: { origin: "https://example.com" } }));
    expect(await res.json()).toEqual({ hi: "ada", q: "1" });
    expect(res.headers.get("access-control-allow-origin")).toBe("https://example.com");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await (await t.fetch(req("/users"))).text()).toBe("users");
    expect(await (await t.fetch(req("/api/health"))).text()).toBe("ok");
  });

  it("lets app.onError and app.notFound replace skiff's defaults", async () => {
    const app = new Skiff();
    app.get("/boom", () => {
      throw new Error("x");
    });
    app.onError((_e, c) => c.text("mine", 418));
    app.notFound((c) => c.text("nothing", 404));
    const t = createTestRuntime(app);
    expect((await t.fetch(req("/boom"))).status).toBe(418);
    expect(await (await t.fetch(req("/nope"))).text()).toBe("nothing");
  });

  it("answers app.request() without an adapter, and says how to run it when a route needs a binding", async () => {
    const app = new Skiff();
    app.get("/", (c) => c.text(`hi from ${c.var.platform}`));
    app.get("/users", async (c) => c.json(await c.var.db.all(sql`SELECT 1 AS one`)));
    app.get("/cache", async (c) => c.text((await c.var.kv.get("k")) ?? "none"));
    expect(await (await app.request("/")).text()).toBe("hi from none");

    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    for (const path of ["/users", "/cache"]) {
      const res = await app.request(path);
      expect(res.status).toBe(500);
      expect(await res.text()).not.toContain("runtime"); // a 500 shows nothing of the internals...
    }
    // ...while the log says what to do.
    expect(logged.mock.calls.map((call) => String(call[0])).join("\n")).toContain(
      "without a skiff runtime, so it has no db, kv or queues",
    );
    logged.mockRestore();
  });
});

describe("errors answer application/problem+json", () => {
  const app = new Skiff();
  app.get("/problem", () => {
    throw new ProblemError(409, { detail: "taken", extras: { field: "email" } });
  });
  app.get("/http", () => {
    throw new HTTPException(403, { message: "no" });
  });
  app.get("/zod", (c) => c.json(z.object({ a: z.string() }).parse({})));
  app.post("/json", async (c) => c.json(await c.req.json()));
  app.get("/crash", () => {
    throw new Error("secret connection string postgres://u:p@h");
  });
  const t = createTestRuntime(app);

  it.each([
    ["/problem", undefined, 409, { title: "Conflict", detail: "taken", field: "email" }],
    ["/http", undefined, 403, { title: "Forbidden", detail: "no" }],
    ["/zod", undefined, 422, { errors: [{ path: "a", message: expect.any(String) }] }],
    [
      "/json",
      { method: "POST", body: "{nope", headers: { "content-type": "application/json" } },
      400,
      { detail: "Malformed JSON in request body" },
    ],
    ["/missing", undefined, 404, { detail: "No route for GET /missing" }],
  ] as const)("%s → %i", async (path, init, status, body) => {
    const res = await t.fetch(req(path, init as RequestInit | undefined));
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(await res.json()).toMatchObject({ type: "about:blank", status, ...body });
  });

  it("never shows internals in a 500", async () => {
    const res = await t.fetch(req("/crash"));
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain("postgres");
    expect(JSON.parse(text)).toEqual({ type: "about:blank", title: "Internal Server Error", status: 500 });
  });
});

describe("crons and queues are registered, validated and kept by route()", () => {
  it("fails at registration on a bad cron expression, naming it", () => {
    const app = new Skiff();
    expect(() => app.cron("every day", () => undefined)).toThrow(/"every day" must have 5 fields/);
    expect(() => app.cron("0 0 9 * * *", () => undefined)).toThrow(/5 fields/);
    expect(() => app.cron("61 * * * *", () => undefined)).toThrow(/"61 \* \* \* \*" is invalid/);
  });

  it("fails at registration on a consumer for an undeclared queue and on bad options", () => {
    const app = new Skiff({ queues: { orders: z.object({}) } });
    expect(() => (app as unknown as Skiff).queue("emails", () => undefined)).toThrow(
      /queue "emails" has a consumer but is not declared/,
    );
    expect(() => app.queue("orders", () => undefined, { maxBatchSize: 500 })).toThrow(
      /maxBatchSize must be an integer from 1 to 100/,
    );
    app.queue("orders", () => undefined);
    expect(() => app.queue("orders", () => undefined)).toThrow(/already has a consumer/);
  });

  it("adopts crons, schemas and consumers of sub-apps mounted with route()", async () => {
    const billing = new Skiff({ queues: { invoices: z.object({ id: z.string() }) } });
    const ran: string[] = [];
    billing.cron("0 1 * * *", () => void ran.push("cron"));
    billing.queue("invoices", (m) => void ran.push(m.body.id));
    billing.get("/status", (c) => c.text("billing ok"));
    const app = new Skiff();
    app.route("/billing", billing);
    expect([...app.triggers.crons.keys()]).toEqual(["0 1 * * *"]);
    expect([...app.triggers.queues.keys()]).toEqual(["invoices"]);

    const t = createTestRuntime(app);
    expect(await (await t.fetch(req("/billing/status"))).text()).toBe("billing ok");
    await t.fireCron("0 1 * * *");
    await (t.runtime.queues as Record<string, { send(b: unknown): Promise<void> }>).invoices?.send({
      id: "inv-1",
    });
    await t.drainQueues();
    expect(ran).toEqual(["cron", "inv-1"]);
  });

  it("runs every handler of an expression and fails the run when one fails", async () => {
    const app = new Skiff();
    const ran: number[] = [];
    app.cron("0 9 * * *", () => void ran.push(1));
    app.cron("0  9 * * *", () => {
      ran.push(2);
      throw new Error("second failed");
    });
    const t = createTestRuntime(app);
    await expect(t.fireCron("0 9 * * *")).rejects.toThrow("second failed");
    expect(ran.sort()).toEqual([1, 2]);
    await expect(t.fireCron("1 9 * * *")).rejects.toThrow(/no handler is registered/);
  });

  it("gives cron handlers the same bindings as routes and awaits their waitUntil work", async () => {
    const app = new Skiff();
    app.cron("*/5 * * * *", async (event, ctx) => {
      ctx.waitUntil(ctx.kv.put("last", String(event.scheduledTime)));
    });
    app.get("/last", async (c) => c.text((await c.var.kv.get("last")) ?? "none"));
    const t = createTestRuntime(app);
    await t.fireCron("*/5 * * * *", 1234);
    expect(await (await t.fetch(req("/last"))).text()).toBe("1234");
  });

  it("maps expressions to stable URL-safe slugs and back", () => {
    for (const e of ["0 9 * * *", "*/15 9-17 * * 1-5", "0 0 1,15 * *"])
      expect(cronFromSlug(cronSlug(e))).toBe(e);
    expect(cronSlug("0 9 * * *")).toBe("0_9_*_*_*");
  });
});

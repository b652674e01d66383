import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { Skiff, sql } from "skiff";
import { runtimeContext } from "skiff/adapter";
import { createTestRuntime } from "skiff/testing";

// The bindings ride on the app's router instead of a middleware: every handler sees them, and a route with one
// handler is called by Hono directly, so a synchronous handler answers synchronously.
describe("the bindings on the context", () => {
  it("cost no middleware step: a synchronous route answers without a promise", () => {
    const app = new Skiff();
    app.get("/", (c) => c.text(typeof c.var.db.all));
    const { runtime } = createTestRuntime(app, { databaseUrl: ":memory:" });
    const response = app.fetch(
      new Request("http://127.0.0.1/"),
      {},
      runtimeContext(runtime, { waitUntil() {} }),
    );
    expect(response).toBeInstanceOf(Response);
    expect(app.routes.map((r) => r.path)).toEqual(["/"]);
  });

  it("are there for middleware, handlers, mounted skiff and Hono sub-apps and basePath copies", async () => {
    const app = new Skiff();
    const seen: string[] = [];
    app.use(async (c, next) => {
      seen.push(`mw:${c.var.platform}`);
      await next();
    });
    const skiffSub = new Skiff().get("/s", (c) => c.text(c.var.platform));
    const honoSub = new Hono<{ Variables: { platform: string } }>().get("/h", (c) => c.text(c.var.platform));
    app.route("/skiff", skiffSub);
    app.route("/hono", honoSub);
    const api = app.basePath("/api");
    api.get("/b", (c) => c.text(c.var.platform));
    const t = createTestRuntime(app, { databaseUrl: ":memory:", platform: "node" });
    for (const path of ["/skiff/s", "/hono/h", "/api/b"]) {
      const res = await t.fetch(new Request(`http://127.0.0.1${path}`));
      expect(await res.text(), path).toBe("node");
    }
    expect(seen).toEqual(["mw:node", "mw:node", "mw:node"]);
  });

  it("reach a custom not-found handler, which matched no route", async () => {
    const app = new Skiff();
    app.notFound((c) => c.json({ platform: c.var.platform, log: typeof c.var.log.info }, 404));
    const t = createTestRuntime(app, { databaseUrl: ":memory:", platform: "node" });
    const res = await t.fetch(new Request("http://127.0.0.1/nowhere"));
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ platform: "node", log: "function" });
  });

  it("without an adapter, leave routes that use none working and say how to run the app when one is used", async () => {
    const app = new Skiff();
    app.get("/plain", (c) => c.text("ok"));
    app.get("/db", async (c) => c.json(await c.var.db.all(sql`SELECT 1 AS one`)));
    expect(await (await app.request("/plain")).text()).toBe("ok");
    const res = await app.request("/db");
    expect(res.status).toBe(500);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
  });
});

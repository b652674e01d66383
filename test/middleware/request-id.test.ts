import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { describe, expect, it } from "vitest";
import { isWellFormedRequestId, requestId } from "../../middleware/request-id/index.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const appWith = (mw = requestId()) => {
  const app = new Hono().use(mw);
  app.get("/", (c) => c.text(c.var.requestId));
  return app;
};

describe("request ids", () => {
  it("generates a UUID when the request has none, exposes it as c.var.requestId and echoes it", async () => {
    const res = await appWith().request("/");
    const id = res.headers.get("x-request-id");
    expect(id).toMatch(UUID);
    expect(await res.text()).toBe(id);
  });

  it("gives each request its own id", async () => {
    const app = appWith();
    const [a, b] = await Promise.all([app.request("/"), app.request("/")]);
    expect(a.headers.get("x-request-id")).not.toBe(b.headers.get("x-request-id"));
  });

  it.each(["abc", "4bf92f35-77b3-4da6-a3ce-929d0e0e4736", "01HZX3J7Q8", "svc:web.1_x-y", "a".repeat(128)])(
    "keeps a well-formed incoming id %s",
    async (incoming) => {
      const res = await appWith().request("/", { headers: { "X-Request-Id": incoming } });
      expect(res.headers.get("x-request-id")).toBe(incoming);
      expect(await res.text()).toBe(incoming);
    },
  );

  it.each([
    ["too long", "a".repeat(129)],
    ["a space", "a b"],
    ["a quote", 'a"b'],
    ["a logfmt key", "x level=error"],
    ["a comma", "a,b"],
    ["non-ASCII", "café"],
  ])("replaces an incoming id with %s", async (_, incoming) => {
    const res = await appWith().request("/", { headers: { "X-Request-Id": incoming } });
    expect(res.headers.get("x-request-id")).toMatch(UUID);
    expect(res.headers.get("x-request-id")).not.toBe(incoming);
  });

  it("rejects CR/LF injection attempts in the validator itself", () => {
    expect(isWellFormedRequestId("abc\r\nSet-Cookie: x=1")).toBe(false);
    expect(isWellFormedRequestId("")).toBe(false);
  });

  it("echoes the id on responses made by app.onError when a later handler throws", async () => {
    const app = new Hono().use(requestId());
    app.get("/boom", () => {
      throw new Error("kaput");
    });
    // A bare Response, built without `c`, so prepared headers cannot help: the header is added afterwards.
    app.onError(() => new Response("sorry", { status: 500 }));
    const res = await app.request("/boom", { headers: { "X-Request-Id": "trace-1" } });
    expect(res.status).toBe(500);
    expect(res.headers.get("x-request-id")).toBe("trace-1");
  });

  it("echoes the id on Hono's default error response and on 404s", async () => {
    const app = new Hono().use(requestId());
    app.get("/deny", () => {
      throw new HTTPException(403, { message: "no" });
    });
    const denied = await app.request("/deny", { headers: { "X-Request-Id": "t-2" } });
    expect(denied.status).toBe(403);
    expect(denied.headers.get("x-request-id")).toBe("t-2");
    const missing = await app.request("/nowhere", { headers: { "X-Request-Id": "t-3" } });
    expect(missing.status).toBe(404);
    expect(missing.headers.get("x-request-id")).toBe("t-3");
  });

  it("can add the header to a response whose headers are immutable", async () => {
    const app = new Hono().use(requestId());
    app.get("/redirect", () => Response.redirect("https://example.com/", 302));
    const res = await app.request("/redirect");
    expect(res.status).toBe(302);
    expect(res.headers.get("x-request-id")).toMatch(UUID);
  });

  it("honours a custom header name, generator and validator", async () => {
    let n = 0;
    const mw = requestId({
      headerName: "X-Correlation-Id",
      generator: () => `gen-${++n}`,
      validator: (id) => id.startsWith("ok-"),
    });
    const app = appWith(mw);
    const kept = await app.request("/", { headers: { "X-Correlation-Id": "ok-7" } });
    expect(kept.headers.get("x-correlation-id")).toBe("ok-7");
    const replaced = await app.request("/", { headers: { "X-Correlation-Id": "nope" } });
    expect(replaced.headers.get("x-correlation-id")).toBe("gen-1");
    expect(replaced.headers.has("x-request-id")).toBe(false);
  });

  it("throws at setup for a bad option, naming it", () => {
    expect(() => requestId({ headerName: "X Request Id" })).toThrow(/\[skiff\] requestId: headerName/);
    expect(() => requestId({ generator: "uuid" as unknown as () => string })).toThrow(/generator/);
    expect(() => requestId({ validator: /x/ as unknown as (id: string) => boolean })).toThrow(/validator/);
  });
});

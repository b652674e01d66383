import { describe, expect, it } from "vitest";
import { Skiff, createLogger, onError, type LogRecord } from "skiff";
import { copies, problemOf } from "./support/hono-copies.js";

describe.each(copies)("an HTTPException from $name becomes a problem", (hono) => {
  const app = new Skiff();
  app.get("/forbidden", () => {
    throw new hono.HTTPException(403, { message: "Not your order" });
  });
  app.get("/own-response", () => {
    const res = new Response("Slow down", { headers: { "Retry-After": "7", "X-Reason": "quota" } });
    throw new hono.HTTPException(429, { res });
  });
  app.get("/own-json", () => {
    const res = Response.json(
      { error: "quota", limit: 10, status: 200, type: 5 },
      { headers: { "Retry-After": "7" } },
    );
    throw new hono.HTTPException(429, { res });
  });
  app.get("/own-html", () => {
    const res = new Response("<h1>Stack trace at db.ts:12</h1>", {
      headers: { "content-type": "text/html" },
    });
    throw new hono.HTTPException(409, { res });
  });
  app.get("/unavailable", () => {
    throw new hono.HTTPException(503, {
      message: "pool exhausted at postgres://user:pw@db",
      res: new Response("postgres://user:pw@db", { headers: { "Retry-After": "30" } }),
    });
  });
  app.get("/redirect", (c) => {
    throw new hono.HTTPException(302, { res: c.redirect("/elsewhere") });
  });

  it("keeps the status and the message as detail", async () => {
    const res = await app.request("/forbidden");
    expect(res.status).toBe(403);
    expect(await problemOf(res)).toEqual({
      type: "about:blank",
      title: "Forbidden",
      status: 403,
      detail: "Not your order",
    });
  });

  it("keeps the headers and status of its own response, its short text body as detail", async () => {
    const res = await app.request("/own-response");
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("7");
    expect(res.headers.get("x-reason")).toBe("quota");
    expect(await problemOf(res)).toEqual({
      type: "about:blank",
      title: "Too Many Requests",
      status: 429,
      detail: "Slow down",
    });
  });

  it("keeps a JSON body's members, never its status nor a type that is not a string", async () => {
    const res = await app.request("/own-json");
    expect(res.status).toBe(429);
    expect(await problemOf(res)).toEqual({
      type: "about:blank",
      title: "Too Many Requests",
      status: 429,
      error: "quota",
      limit: 10,
    });
  });

  it("drops a body that is not text or JSON", async () => {
    const body = await problemOf(await app.request("/own-html"));
    expect(body).toEqual({ type: "about:blank", title: "Conflict", status: 409 });
  });

  it("shows nothing of a 5xx but keeps its headers, and logs it", async () => {
    const records: LogRecord[] = [];
    const logged = new Skiff();
    logged.use(async (c, next) => {
      c.set("log", createLogger({ sink: (r) => records.push(r) }));
      await next();
    });
    logged.route("/", app);
    const res = await logged.request("/unavailable");
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("30");
    const text = await res.text();
    expect(text).not.toContain("postgres");
    expect(JSON.parse(text)).toEqual({ type: "about:blank", title: "Service Unavailable", status: 503 });
    expect(records.map((r) => r.msg)).toContain("unhandled error");
  });

  it("answers a thrown redirect as it was built", async () => {
    const res = await app.request("/redirect");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/elsewhere");
  });
});

describe("onError used on a plain Hono app", () => {
  it.each(copies)("turns $name's HTTPException into a problem", async (hono) => {
    const app = new hono.Hono();
    app.onError(onError);
    app.use(hono.bearerAuth({ token: "t" }));
    app.get("/", (c) => c.text("ok"));
    const res = await app.request("/");
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe('Bearer realm=""');
    await problemOf(res);
  });
});

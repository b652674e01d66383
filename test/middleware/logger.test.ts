import { type Env, Hono } from "hono";
import { cors } from "hono/cors";
import { etag } from "hono/etag";
import { secureHeaders } from "hono/secure-headers";
import { timing } from "hono/timing";
import { type LogRecord, type QueueSchemas, Skiff } from "skiff";
import { createTestRuntime } from "skiff/testing";
import { tempDbUrl } from "../contract/node-driver.js";
import { afterAll, describe, expect, expectTypeOf, it } from "vitest";
import { z } from "zod";
import { type LoggerMiddlewareOptions, logger, redactingSink } from "../../middleware/logger/index.js";
import { requestId } from "../../middleware/request-id/index.js";
import type { Logger } from "skiff";

// ---- harness: the only Node-specific part; the cases below use fetch-shaped calls and web APIs only ----

/** The app on real local bindings, with the runtime logger built from the app's own `log` option. */
function inProcess<E extends Env, Q extends QueueSchemas>(app: Skiff<E, Q>) {
  const t = createTestRuntime(app, { databaseUrl: tempDbUrl(), platform: "node" });
  return {
    fetch: (path: string, init?: RequestInit) => t.fetch(new Request(`http://test${path}`, init)),
    fireCron: (cron: string) => t.fireCron(cron),
    deliver: (queue: string, body: unknown) => t.deliver(queue, [{ id: "m1", body }]),
    close: () => t.close(),
  };
}

const harnesses: Array<{ close(): Promise<void> }> = [];
afterAll(async () => {
  await Promise.all(harnesses.map((h) => h.close()));
});

/** A skiff app whose runtime logger writes into `lines`, with logger() and routes for each outcome. */
function appWith(
  options: LoggerMiddlewareOptions = {},
  before: "requestId-first" | "logger-first" | "none" = "requestId-first",
) {
  const lines: LogRecord[] = [];
  const app = new Skiff({ log: { sink: (r) => lines.push(r) } });
  if (before === "requestId-first") app.use(requestId(), logger(options));
  else if (before === "logger-first") app.use(logger(options), requestId());
  else app.use(logger(options));
  app.get("/ok", (c) => {
    c.var.log.info("handler line", { orderId: "o1" });
    return c.json({ ok: true });
  });
  app.get("/missing", (c) => c.json({ missing: true }, 404));
  app.get("/boom", () => {
    throw new Error("kaput");
  });
  app.post("/login", async (c) => {
    c.var.log.child({ step: "login" }).info("login attempt", await c.req.json());
    return c.body(null, 204, { "set-cookie": "session=abc", "x-trace": "t1" });
  });
  const h = inProcess(app);
  harnesses.push(h);
  return { ...h, lines, app, requests: () => lines.filter((l) => l.msg === "request") };
}

describe("logger(): one JSON line per request", () => {
  it("logs time, level, requestId, method, path, status, durationMs, platform and coldStart", async () => {
    const t = appWith();
    const res = await t.fetch("/ok?x=1", { headers: { "x-request-id": "req-1" } });
    expect(res.status).toBe(200);
    const [line] = t.requests();
    expect(line).toMatchObject({
      level: "info",
      msg: "request",
      requestId: "req-1",
      method: "GET",
      path: "/ok",
      status: 200,
      platform: "node",
      coldStart: true,
    });
    expect(typeof line!.durationMs).toBe("number");
    expect(new Date(line!.time).toISOString()).toBe(line!.time);
    expect(line).not.toHaveProperty("query"); // query strings are opt-in: they often carry tokens
    expect(() => JSON.parse(JSON.stringify(line))).not.toThrow();
  });

  it("marks only the first request of the isolate or process as a cold start, even when requests race", async () => {
    const t = appWith();
    await Promise.all([t.fetch("/ok"), t.fetch("/ok"), t.fetch("/ok")]);
    await t.fetch("/ok");
    expect(t.requests().map((l) => l.coldStart)).toEqual([true, false, false, false]);
  });

  it("picks the level from the status: 5xx error, 4xx warn", async () => {
    const t = appWith();
    await t.fetch("/ok");
    await t.fetch("/missing");
    await t.fetch("/boom");
    await t.fetch("/no-such-route");
    expect(t.requests().map((l) => [l.status, l.level])).toEqual([
      [200, "info"],
      [404, "warn"],
      [500, "error"],
      [404, "warn"],
    ]);
  });

  it("finds the request id whichever of requestId() and logger() is registered first", async () => {
    const t = appWith({}, "logger-first");
    const res = await t.fetch("/ok");
    const id = res.headers.get("x-request-id");
    expect(id).toBeTruthy();
    expect(t.lines.filter((l) => l.requestId === id).map((l) => l.msg)).toEqual(["handler line", "request"]);
  });

  it("writes no request line for skipped requests but still gives them c.var.log", async () => {
    const t = appWith({ skip: (c) => c.req.path === "/ok" });
    await t.fetch("/ok");
    expect(t.requests()).toHaveLength(0);
    expect(t.lines.map((l) => l.msg)).toEqual(["handler line"]);
  });
});

describe("logger(): c.var.log for handlers", () => {
  it("carries the request id to handler lines and the core's unhandled-error line, through the same sink", async () => {
    const t = appWith();
    await t.fetch("/ok", { headers: { "x-request-id": "req-2" } });
    await t.fetch("/boom", { headers: { "x-request-id": "req-3" } });
    expect(t.lines.find((l) => l.msg === "handler line")).toMatchObject({
      requestId: "req-2",
      orderId: "o1",
      platform: "node",
    });
    expect(t.lines.find((l) => l.msg === "unhandled error")).toMatchObject({
      requestId: "req-3",
      level: "error",
    });
  });

  it("redacts Authorization, Cookie and configured fields at any depth, in children too", async () => {
    const t = appWith({ redact: ["password"] });
    await t.fetch("/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        user: "ada",
        password: "hunter2",
        nested: { Authorization: "Bearer x", cookie: "c=1", ok: 1 },
      }),
    });
    const line = t.lines.find((l) => l.msg === "login attempt");
    expect(line).toMatchObject({
      step: "login",
      user: "ada",
      password: "[REDACTED]",
      nested: { Authorization: "[REDACTED]", cookie: "[REDACTED]", ok: 1 },
    });
    expect(JSON.stringify(t.lines)).not.toContain("hunter2");
  });

  it("types c.var.log on a plain Hono app", () => {
    const app = new Hono().use(logger());
    app.get("/", (c) => {
      expectTypeOf(c.var.log).toEqualTypeOf<Logger>();
      return c.text("ok");
    });
  });
});

describe("logger(): headers and query", () => {
  it("redacts Authorization, Cookie, Set-Cookie and configured headers and query parameters when they are logged", async () => {
    const t = appWith({
      requestHeaders: true,
      responseHeaders: true,
      query: true,
      redact: ["x-api-key", "token"],
    });
    await t.fetch("/login?token=t0p&page=2&page=3", {
      method: "POST",
      headers: {
        authorization: "Bearer secret",
        cookie: "sid=1",
        "x-api-key": "k",
        "user-agent": "curl/8",
        "content-type": "application/json",
      },
      body: "{}",
    });
    const [line] = t.requests();
    expect(line!.requestHeaders).toMatchObject({
      authorization: "[REDACTED]",
      cookie: "[REDACTED]",
      "x-api-key": "[REDACTED]",
      "user-agent": "curl/8",
    });
    expect(line!.responseHeaders).toMatchObject({ "set-cookie": "[REDACTED]", "x-trace": "t1" });
    expect(line!.query).toEqual({ token: "[REDACTED]", page: ["2", "3"] });
    expect(JSON.stringify(t.lines)).not.toMatch(/secret|sid=1|t0p|session=abc/);
  });

  it("logs only the listed headers when given names", async () => {
    const t = appWith({ requestHeaders: ["User-Agent", "authorization"] });
    await t.fetch("/ok", { headers: { "user-agent": "curl/8", authorization: "Bearer s", accept: "*/*" } });
    expect(t.requests()[0]!.requestHeaders).toEqual({ "user-agent": "curl/8", authorization: "[REDACTED]" });
  });
});

describe("logger(): one sink for requests, crons and queue messages", () => {
  it("sends request, handler, cron and queue lines to the sink given to new Skiff({ log: { sink } })", async () => {
    const lines: LogRecord[] = [];
    const app = new Skiff({
      log: { sink: redactingSink((r) => lines.push(r), ["token"]) },
      queues: { jobs: z.object({ token: z.string() }) },
    });
    app.use(requestId(), logger());
    app.get("/", (c) => c.text("ok"));
    app.cron("0 9 * * *", (_event, ctx) => ctx.log.info("report", { token: "cron-secret" }));
    app.queue("jobs", (message, ctx) => ctx.log.info("job", { token: message.body.token }));
    const t = inProcess(app);
    harnesses.push(t);
    await t.fetch("/");
    await t.fireCron("0 9 * * *");
    await t.deliver("jobs", { token: "queue-secret" });
    expect(lines.map((l) => l.msg)).toEqual(["request", "report", "cron run", "job", "queue message"]);
    expect(lines.find((l) => l.msg === "cron run")).toMatchObject({ trigger: "cron", outcome: "ok" });
    expect(lines.find((l) => l.msg === "queue message")).toMatchObject({
      trigger: "queue",
      outcome: "acked",
      attempts: 1,
    });
    expect(JSON.stringify(lines)).not.toMatch(/cron-secret|queue-secret/);
  });

  it("writes to its own sink, with its own level and fields, on a plain Hono app", async () => {
    const lines: LogRecord[] = [];
    const app = new Hono().use(
      logger({ sink: (r) => lines.push(r), level: "warn", fields: { service: "api" } }),
    );
    app.get("/", (c) => {
      c.var.log.info("dropped");
      c.var.log.warn("kept");
      return c.text("ok");
    });
    app.get("/gone", (c) => c.text("gone", 410));
    await app.request("/");
    await app.request("/gone");
    expect(lines.map((l) => [l.msg, l.level, l.service])).toEqual([
      ["kept", "warn", "api"],
      ["request", "warn", "api"],
    ]);
    expect(lines[1]).not.toHaveProperty("platform");
  });
});

describe("Hono's own middleware on a skiff app", () => {
  it("cors, secure-headers, etag and timing work unchanged next to logger()", async () => {
    const lines: LogRecord[] = [];
    const app = new Skiff({ log: { sink: (r) => lines.push(r) } });
    app.use(logger(), cors({ origin: "https://shop.example" }), secureHeaders(), etag(), timing());
    app.get("/", (c) => c.json({ hello: "world" }));
    const t = inProcess(app);
    harnesses.push(t);
    const res = await t.fetch("/", { headers: { origin: "https://shop.example" } });
    expect(res.headers.get("access-control-allow-origin")).toBe("https://shop.example");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("server-timing")).toContain("total");
    const tag = res.headers.get("etag");
    expect(tag).toBeTruthy();
    const cached = await t.fetch("/", { headers: { "if-none-match": tag! } });
    expect(cached.status).toBe(304);
    expect(lines.filter((l) => l.msg === "request").map((l) => l.status)).toEqual([200, 304]);
  });
});

describe("logger() setup", () => {
  it.each([
    [{ level: "verbose" }, /level must be one of debug, info, warn, error/],
    [{ sink: "console" }, /sink must be a function/],
    [{ redact: "password" }, /redact must be an array of non-empty strings/],
    [{ requestHeaders: [""] }, /requestHeaders/],
    [{ query: "yes" }, /query must be a boolean/],
    [{ skip: true }, /skip must be a function/],
  ])("rejects %j with a [skiff] error naming the option", (options, message) => {
    expect(() => logger(options as LoggerMiddlewareOptions)).toThrow(message);
    expect(() => logger(options as LoggerMiddlewareOptions)).toThrow(/^\[skiff\] logger: /);
  });

  it("rejects a redactingSink without a sink", () => {
    expect(() => redactingSink(undefined as never)).toThrow(
      /^\[skiff\] redactingSink: sink must be a function/,
    );
  });
});

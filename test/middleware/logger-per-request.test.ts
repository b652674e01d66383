import { Hono } from "hono";
import { type LogRecord, type Logger, Skiff } from "skiff";
import { createTestRuntime } from "skiff/testing";
import { afterAll, describe, expect, it } from "vitest";
import { logger } from "../../middleware/logger/index.js";
import { requestId } from "../../middleware/request-id/index.js";

// What logger() does per request: only the work whose result is written, and the same JSON line as before.

const runtimes: Array<{ close(): Promise<void> }> = [];
afterAll(async () => {
  await Promise.all(runtimes.map((t) => t.close()));
});

function skiffApp(options: Parameters<typeof logger>[0] = {}) {
  const lines: LogRecord[] = [];
  const app = new Skiff({ log: { sink: (r) => lines.push(r) } });
  app.use(requestId(), logger(options));
  app.get("/ok", (c) => {
    c.var.log.info("handler", { orderId: "o1", authorization: "secret" });
    c.var.log.child({ step: "pay" }).warn("child");
    return c.text("ok");
  });
  const t = createTestRuntime(app, { databaseUrl: ":memory:", platform: "node" });
  runtimes.push(t);
  const get = (path: string) =>
    t.fetch(new Request(`http://test${path}`, { headers: { "x-request-id": "r1" } }));
  return { lines, get };
}

const keys = (lines: LogRecord[]) => lines.map((l) => Object.keys(l).join(","));

describe("logger(): per-request work", () => {
  it("writes the request and handler lines with the same keys, in the same order, as the JSON line always had", async () => {
    const { lines, get } = skiffApp();
    await get("/ok");
    expect(keys(lines)).toEqual([
      "time,level,msg,platform,requestId,orderId,authorization",
      "time,level,msg,platform,step,requestId",
      "time,level,msg,platform,requestId,method,path,status,durationMs,coldStart",
    ]);
    expect(lines[0]!.authorization).toBe("[REDACTED]");
    const { lines: withFields, get: getWithFields } = skiffApp({ fields: { service: "shop" } });
    await getWithFields("/ok");
    expect(keys(withFields)[2]).toBe(
      "time,level,msg,platform,service,requestId,method,path,status,durationMs,coldStart",
    );
  });

  it("still redacts a request-line key the options name", async () => {
    const { lines, get } = skiffApp({ redact: ["path"] });
    await get("/ok");
    expect(lines.find((l) => l.msg === "request")!.path).toBe("[REDACTED]");
  });

  it("builds nothing for a request line below its level: not even the response headers it would list", async () => {
    const lines: LogRecord[] = [];
    let headerReads = 0;
    const app = new Hono().use(logger({ level: "warn", responseHeaders: true, sink: (r) => lines.push(r) }));
    app.get("/ok", () => {
      const res = new Response("ok");
      const headers = res.headers;
      Object.defineProperty(res, "headers", {
        get: () => {
          headerReads++;
          return headers;
        },
      });
      return res;
    });
    app.get("/missing", (c) => c.text("no", 404));
    await app.request("/ok");
    expect(lines).toEqual([]);
    expect(headerReads).toBe(0);
    await app.request("/missing");
    expect(lines.map((l) => [l.status, l.responseHeaders])).toEqual([
      [404, { "content-type": "text/plain; charset=UTF-8" }],
    ]);
  });

  it("derives the child logger for `fields` from the runtime logger once, not on every request", async () => {
    const records: LogRecord[] = [];
    let children = 0;
    const make = (base: Record<string, unknown>): Logger => {
      const write = (level: LogRecord["level"]) => (msg: string, fields?: Record<string, unknown>) =>
        void records.push({ time: "t", level, msg, ...base, ...fields });
      return {
        debug: write("debug"),
        info: write("info"),
        warn: write("warn"),
        error: write("error"),
        child: (fields) => (children++, make({ ...base, ...fields })),
      };
    };
    const runtimeLog = make({ platform: "node" });
    const app = new Hono<{ Variables: { log: Logger } }>()
      .use(async (c, next) => {
        c.set("log", runtimeLog); // what the skiff runtime puts on every request
        await next();
      })
      .use(logger({ fields: { service: "shop" } }));
    app.get("/ok", (c) => c.text("ok"));
    for (let i = 0; i < 3; i++) await app.request("/ok");
    expect(children).toBe(1);
    expect(records.map((r) => [r.msg, r.service, r.platform])).toEqual(
      Array.from({ length: 3 }, () => ["request", "shop", "node"]),
    );
  });

  it("gives handlers a c.var.log whose methods work detached, carrying the request id", async () => {
    const lines: LogRecord[] = [];
    const app = new Hono<{ Variables: { log: Logger } }>().use(
      requestId(),
      logger({ sink: (r) => lines.push(r) }),
    );
    app.get("/ok", (c) => {
      const { info, child } = c.var.log;
      info("detached");
      child({ step: 1 }).info("child");
      return c.text("ok");
    });
    await app.request("/ok", { headers: { "x-request-id": "r9" } });
    expect(lines.map((l) => [l.msg, l.requestId])).toEqual([
      ["detached", "r9"],
      ["child", "r9"],
      ["request", "r9"],
    ]);
  });
});

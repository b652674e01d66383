import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { PLATFORM_BODY_LIMITS, bodyLimit } from "../../middleware/body-limit/index.js";
import { validate } from "../../middleware/validate/index.js";

const LIMIT = 1024;

/** A chunked body (no Content-Length) that records how many bytes were pulled from it. */
const chunkedBody = (chunks: number, chunkSize: number) => {
  const stats = { pulled: 0, cancelled: false };
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (sent === chunks) return controller.close();
        sent++;
        stats.pulled += chunkSize;
        controller.enqueue(new Uint8Array(chunkSize).fill(97));
      },
      cancel() {
        stats.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, stats };
};

const post = (app: Hono, body: BodyInit, headers: Record<string, string> = {}) =>
  app.request("/", { method: "POST", body, headers, duplex: "half" } as RequestInit);

/** An app whose handler reads the body chunk by chunk and records how much it got. */
const countingApp = (options = { maxBytes: LIMIT }) => {
  const seen = { bytes: 0, calls: 0, readError: undefined as unknown };
  const app = new Hono();
  app.post("/", bodyLimit(options), async (c) => {
    seen.calls++;
    const reader = c.req.raw.body!.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        seen.bytes += value.byteLength;
      }
    } catch (error) {
      seen.readError = error;
      return c.text("handler turned the read error into this", 500);
    }
    return c.text(`got ${seen.bytes}`);
  });
  return { app, seen };
};

const expect413 = async (res: Response) => {
  expect(res.status).toBe(413);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  expect(await res.json()).toEqual({
    type: "about:blank",
    title: "Content Too Large",
    status: 413,
    detail: `The request body exceeds the limit of ${LIMIT} bytes`,
    maxBytes: LIMIT,
  });
};

describe("body limit: declared Content-Length", () => {
  it("refuses a Content-Length over the limit before the handler runs or the body is read", async () => {
    const { app, seen } = countingApp();
    const { stream, stats } = chunkedBody(4, 1024);
    await expect413(await post(app, stream, { "content-length": String(LIMIT + 1) }));
    expect(seen.calls).toBe(0);
    expect(stats.pulled).toBe(0);
  });

  it("passes a body of exactly the limit", async () => {
    const { app, seen } = countingApp();
    const res = await post(app, "a".repeat(LIMIT), { "content-length": String(LIMIT) });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(`got ${LIMIT}`);
    expect(seen.bytes).toBe(LIMIT);
  });

  it("still counts when Content-Length understates the body", async () => {
    const { app, seen } = countingApp();
    await expect413(await post(app, "a".repeat(LIMIT + 10), { "content-length": "10" }));
    expect(seen.bytes).toBeLessThanOrEqual(LIMIT);
  });
});

describe("body limit: chunked bodies without Content-Length", () => {
  it("answers 413 once the stream passes the limit, and the handler never sees more than the limit", async () => {
    const { app, seen } = countingApp();
    const { stream, stats } = chunkedBody(100, 300); // 30 000 bytes offered
    await expect413(await post(app, stream));
    expect(seen.calls).toBe(1);
    expect(seen.bytes).toBeLessThanOrEqual(LIMIT);
    expect(seen.bytes).toBe(900); // three whole chunks; the fourth would cross the limit and is never delivered
    expect(seen.readError).toBeDefined();
    // The upload is cancelled: only a bounded read-ahead past the limit was ever pulled from the client.
    expect(stats.cancelled).toBe(true);
    expect(stats.pulled).toBeLessThanOrEqual(LIMIT + 300);
  });

  it("passes a chunked body of exactly the limit", async () => {
    const { app, seen } = countingApp();
    const { stream } = chunkedBody(4, LIMIT / 4);
    const res = await post(app, stream);
    expect(res.status).toBe(200);
    expect(seen.bytes).toBe(LIMIT);
  });

  it("turns the handler's own parse error into the 413 (here: validate's 400 for unreadable JSON)", async () => {
    const app = new Hono();
    app.post("/", bodyLimit({ maxBytes: LIMIT }), validate("json", z.object({ s: z.string() })), (c) =>
      c.text("ok"),
    );
    const { stream } = chunkedBody(10, 300);
    await expect413(await post(app, stream, { "content-type": "application/json" }));
  });

  it("goes through app.onError, so apps can log or reshape it", async () => {
    const { app } = countingApp();
    const statuses: number[] = [];
    app.onError((err, c) => {
      statuses.push((err as { status?: number }).status ?? 500);
      return c.text("custom", (err as { status?: 413 }).status ?? 500);
    });
    const { stream } = chunkedBody(10, 300);
    const res = await post(app, stream);
    expect(res.status).toBe(413);
    expect(statuses).toEqual([413]);
  });

  it("does not buffer: a handler that does not read the body is never blocked by it", async () => {
    const app = new Hono();
    app.post("/", bodyLimit({ maxBytes: LIMIT }), (c) => c.text("ignored the body"));
    const { stream, stats } = chunkedBody(100, 300);
    const res = await post(app, stream);
    expect(res.status).toBe(200);
    expect(stats.pulled).toBeLessThanOrEqual(2 * 300); // at most the pipe's one-chunk read-ahead, not the body
  });

  it("lets GET requests (no body) through", async () => {
    const app = new Hono();
    app.get("/", bodyLimit({ maxBytes: 0 }), (c) => c.text("ok"));
    expect((await app.request("/")).status).toBe(200);
  });
});

describe("body limit: defaults and options", () => {
  it("exports the platform table, with Node's 1 MiB as the default", async () => {
    expect(PLATFORM_BODY_LIMITS).toEqual({
      lambda: 4_669_440,
      "lambda-alb": 1_000_000,
      vercel: 4_500_000,
      cloudflare: 100_000_000,
      node: 1_048_576,
    });
    const app = new Hono();
    app.post("/", bodyLimit(), (c) => c.text("ok"));
    expect((await post(app, "x", { "content-length": String(1_048_577) })).status).toBe(413);
    expect((await post(app, "x", { "content-length": "1" })).status).toBe(200);
  });

  it("uses the platform's limit, and maxBytes over it", async () => {
    const app = new Hono();
    app.post("/vercel", bodyLimit({ platform: "vercel" }), (c) => c.text("ok"));
    app.post("/small", bodyLimit({ platform: "vercel", maxBytes: 10 }), (c) => c.text("ok"));
    const at = (path: string, n: number) =>
      app.request(path, { method: "POST", body: "x", headers: { "content-length": String(n) } });
    expect((await at("/vercel", 4_500_000)).status).toBe(200);
    expect((await at("/vercel", 4_500_001)).status).toBe(413);
    expect((await at("/small", 11)).status).toBe(413);
  });

  it("throws at setup for a bad option, naming it", () => {
    expect(() => bodyLimit({ maxBytes: -1 })).toThrow(/\[skiff\] bodyLimit: maxBytes/);
    expect(() => bodyLimit({ maxBytes: 1.5 })).toThrow(/maxBytes/);
    expect(() => bodyLimit({ platform: "heroku" as "node" })).toThrow(
      /\[skiff\] bodyLimit: platform "heroku"/,
    );
  });
});

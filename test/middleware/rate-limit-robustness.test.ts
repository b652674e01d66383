import { Hono } from "hono";
import { type LogRecord, type SkiffVariables, createLogger } from "skiff";
import { MemoryKV } from "skiff/adapter";
import { afterAll, describe, expect, it, vi } from "vitest";
import { rateLimit, type RateLimitOptions } from "../../middleware/rate-limit/index.js";
import { harnesses, limited, statuses, times } from "./support/rate-limit.js";

afterAll(async () => {
  await Promise.all(harnesses.map((h) => h.close()));
});

// ---- failure and setup ----

describe("rateLimit robustness", () => {
  it("lets the request through and logs when the store fails", async () => {
    const lines: LogRecord[] = [];
    const log = createLogger({ sink: (r) => lines.push(r) });
    const kv = new MemoryKV();
    vi.spyOn(kv, "get").mockRejectedValue(new Error("KV down"));
    const t = limited({ limit: 1, windowSeconds: 60, store: "kv", key: () => "c" }, { kv, log });
    expect(statuses(await times(3, () => t.hit()))).toEqual([200, 200, 200]);
    expect(
      lines.filter((l) => l.level === "error" && l.msg.includes("the request is let through")),
    ).toHaveLength(3);
  });

  it("digests a client's key once, not on each of its requests, and still counts each client apart", async () => {
    const digest = vi.spyOn(crypto.subtle, "digest");
    try {
      const kv = new MemoryKV();
      const app = new Hono<{ Variables: Pick<SkiffVariables, "kv"> }>();
      app.use((c, next) => (c.set("kv", kv), next()));
      app.use(rateLimit({ limit: 2, windowSeconds: 60, store: "kv", key: (c) => c.req.header("x-client") }));
      app.get("/", (c) => c.text("ok"));
      const hit = async (client: string) =>
        (await app.request("/", { headers: { "x-client": client } })).status;
      expect([await hit("a"), await hit("a"), await hit("a")]).toEqual([200, 200, 429]);
      expect(await hit("b")).toBe(200);
      expect(digest).toHaveBeenCalledTimes(2);
    } finally {
      digest.mockRestore();
    }
  });

  it("works on any Hono app whose context has the skiff variables", async () => {
    const kv = new MemoryKV();
    const app = new Hono<{ Variables: Pick<SkiffVariables, "kv"> }>();
    app.use((c, next) => (c.set("kv", kv), next()));
    app.use(rateLimit({ limit: 1, windowSeconds: 60, store: "kv", key: () => "k" }));
    app.get("/", (c) => c.text("ok"));
    expect((await app.request("/")).status).toBe(200);
    expect((await app.request("/")).status).toBe(429);
  });

  it("fails loudly (500, [skiff] message) when the store's binding is missing, rather than letting everything through", async () => {
    const app = new Hono();
    let seen: unknown;
    app.onError((error, c) => ((seen = error), c.text("misconfigured", 500)));
    app.use(rateLimit({ limit: 1, windowSeconds: 60, key: () => "k" }));
    app.get("/", (c) => c.text("ok"));
    expect((await app.request("/")).status).toBe(500);
    expect(String(seen)).toMatch(/\[skiff\] rateLimit: store "db" needs c\.var\.db/);
  });

  it.each([
    [{ limit: 0, windowSeconds: 60 }, /limit must be a whole number ≥ 1/],
    [{ limit: 1.5, windowSeconds: 60 }, /limit/],
    [{ limit: 5, windowSeconds: 0 }, /windowSeconds/],
    [{ limit: 5, windowSeconds: 60, algorithm: "token-bucket" }, /algorithm must be "fixed" or "sliding"/],
    [{ limit: 5, windowSeconds: 60, store: "redis" }, /store must be "db" or "kv"/],
    [{ limit: 5, windowSeconds: 60, key: "user" }, /key must be "ip"/],
    [{ limit: 5, windowSeconds: 60, key: { header: "bad header" } }, /key must be/],
    [
      { limit: 5, windowSeconds: 30, binding: "LIMITER" },
      /windowSeconds must be 10 or 60 with a Cloudflare Rate Limiting binding/,
    ],
    [{ limit: 5, windowSeconds: 60, name: "has space" }, /name must be/],
    [{ limit: 5, windowSeconds: 60, trustedProxies: -1 }, /trustedProxies/],
  ])("rejects %j at setup with a [skiff] error naming the option", (options, message) => {
    expect(() => rateLimit(options as RateLimitOptions)).toThrow(message);
    expect(() => rateLimit(options as RateLimitOptions)).toThrow(/^\[skiff\] rateLimit: /);
  });
});

import { type Context, type Env, Hono } from "hono";
import {
  type KVStore,
  type Logger,
  type LogRecord,
  MemoryKV,
  type QueueSchemas,
  type PlatformName,
  Skiff,
  type SkiffVariables,
  createLogger,
} from "skiff";
import { serve, type SkiffServer } from "skiff/node";
import { createTestRuntime } from "skiff/testing";
import { tempDbUrl } from "../contract/node-driver.js";
import { afterAll, describe, expect, it, vi } from "vitest";
import { clientIp, rateLimit, type RateLimitOptions } from "../../middleware/rate-limit/index.js";
import { retryAfterMs, toSeconds, windowPosition } from "../../middleware/rate-limit/window.js";

// ---- harness: the only Node-specific part; the cases below use fetch-shaped calls and web APIs only ----

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

interface HarnessOptions {
  kv?: KVStore;
  env?: Record<string, unknown>;
  platform?: PlatformName;
  log?: Logger;
}

function inProcess<E extends Env, Q extends QueueSchemas>(app: Skiff<E, Q>, options: HarnessOptions = {}) {
  const t = createTestRuntime(app, { databaseUrl: tempDbUrl(), log: silent, ...options });
  return {
    db: t.db,
    fetch: (path: string, init?: RequestInit) => t.fetch(new Request(`http://test${path}`, init)),
    close: () => t.close(),
  };
}

const harnesses: Array<{ close(): Promise<void> }> = [];
afterAll(async () => {
  await Promise.all(harnesses.map((h) => h.close()));
});

/** An app with one limited route and a controllable clock. */
function limited(options: Omit<RateLimitOptions, "now">, harness: HarnessOptions = {}, start = T0) {
  const clock = { now: start };
  const app = new Skiff();
  app.get("/api/ping", rateLimit({ ...options, now: () => clock.now }), (c) =>
    c.json({ remaining: c.var.rateLimit.remaining }),
  );
  const h = inProcess(app, harness);
  harnesses.push(h);
  return { ...h, clock, hit: (headers: Record<string, string> = {}) => h.fetch("/api/ping", { headers }) };
}

// A minute boundary, so window arithmetic in the cases is easy to follow.
const T0 = 1_700_000_040_000;
const statuses = (responses: Response[]) => responses.map((r) => r.status);
const count = (responses: Response[], status: number) => responses.filter((r) => r.status === status).length;
async function times(n: number, f: () => Promise<Response>): Promise<Response[]> {
  const out: Response[] = [];
  for (let i = 0; i < n; i++) out.push(await f());
  return out;
}

// ---- exact at the boundary, under concurrency, across processes ----

describe("rateLimit on libSQL, on real Node servers (two instances, one database file)", () => {
  const servers: SkiffServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });

  it.each(["fixed", "sliding"] as const)(
    "lets exactly `limit` of 30 concurrent requests through (%s window), keyed by the socket address",
    async (algorithm) => {
      const app = new Skiff();
      // A long window so the test cannot straddle a boundary.
      app.use(rateLimit({ limit: 10, windowSeconds: 3600, algorithm, name: `boundary-${algorithm}` }));
      app.get("/", (c) => c.text("ok"));
      const url = tempDbUrl();
      const options = {
        port: 0,
        env: {},
        database: { url },
        scheduler: false,
        queues: false,
        handleSignals: false,
      } as const;
      const pair = [await serve(app, options), await serve(app, options)];
      servers.push(...pair);

      const responses = await Promise.all(
        Array.from({ length: 30 }, (_, i) => fetch(`${pair[i % 2]!.url}/`)),
      );
      expect(count(responses, 200)).toBe(10);
      expect(count(responses, 429)).toBe(20);
      const remaining = responses
        .filter((r) => r.status === 200)
        .map((r) => Number(r.headers.get("ratelimit-remaining")));
      expect(remaining.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      await Promise.all(responses.map((r) => r.text()));
    },
  );
});

// ---- headers and the 429 ----

describe("rateLimit responses", () => {
  it("sends RateLimit-Limit, -Remaining, -Reset and -Policy on every response and exposes c.var.rateLimit", async () => {
    const t = limited({ limit: 3, windowSeconds: 60, algorithm: "fixed" }, {}, T0 + 15_000);
    const res = await t.hit();
    expect(res.status).toBe(200);
    expect(Object.fromEntries([...res.headers].filter(([k]) => k.startsWith("ratelimit")))).toEqual({
      "ratelimit-limit": "3",
      "ratelimit-remaining": "2",
      "ratelimit-reset": "45",
      "ratelimit-policy": "3;w=60",
    });
    expect(await res.json()).toEqual({ remaining: 2 });
    expect((await t.hit()).headers.get("ratelimit-remaining")).toBe("1");
  });

  it("answers 429 as application/problem+json with Retry-After once the limit is spent", async () => {
    const t = limited({ limit: 2, windowSeconds: 60, algorithm: "fixed" }, {}, T0 + 20_000);
    await times(2, () => t.hit());
    const res = await t.hit();
    expect(res.status).toBe(429);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.headers.get("retry-after")).toBe("40");
    expect(res.headers.get("ratelimit-remaining")).toBe("0");
    expect(res.headers.get("ratelimit-reset")).toBe("40");
    expect(await res.json()).toMatchObject({
      type: "about:blank",
      title: "Too Many Requests",
      status: 429,
      detail: "At most 2 requests per 60 s are allowed; retry in 40 s",
    });
  });

  it("resets a fixed window at the boundary, and does not count rejected requests", async () => {
    const t = limited({ limit: 2, windowSeconds: 60, algorithm: "fixed" }, {}, T0 + 59_000);
    expect(statuses(await times(5, () => t.hit()))).toEqual([200, 200, 429, 429, 429]);
    t.clock.now = T0 + 60_000;
    expect(statuses(await times(3, () => t.hit()))).toEqual([200, 200, 429]);
  });

  it("adds headers to responses a handler builds itself and to error responses", async () => {
    const app = new Skiff();
    app.use(rateLimit({ limit: 5, windowSeconds: 60 }));
    app.get("/raw", () => new Response("raw"));
    app.get("/boom", () => {
      throw new Error("boom");
    });
    const t = inProcess(app);
    harnesses.push(t);
    expect((await t.fetch("/raw")).headers.get("ratelimit-limit")).toBe("5");
    expect((await t.fetch("/boom")).headers.get("ratelimit-remaining")).toBe("3");
  });
});

// ---- the sliding window ----

describe("sliding window math", () => {
  it("weighs in the previous window by how much of it still overlaps", async () => {
    const t = limited({ limit: 10, windowSeconds: 60, algorithm: "sliding" }, {}, T0);
    expect(count(await times(12, () => t.hit()), 200)).toBe(10); // window 0: 10 pass

    // Half-way through window 1: 10 × 0.5 = 5 still count, so 5 more pass.
    t.clock.now = T0 + 90_000;
    const half = await times(6, () => t.hit());
    expect(statuses(half)).toEqual([200, 200, 200, 200, 200, 429]);
    // The previous window's share drops below 5 a moment later: Retry-After is the next whole second.
    expect(half[5]!.headers.get("retry-after")).toBe("1");
    t.clock.now = T0 + 91_000; // weight 29/60: floor(4.83) = 4, plus 5 = 9 → one more
    expect(statuses(await times(2, () => t.hit()))).toEqual([200, 429]);

    // Near the end of window 1 the previous window barely counts: floor(10 × 6/60) = 1, plus 6 = 7 → 3 more.
    t.clock.now = T0 + 114_000;
    expect(count(await times(5, () => t.hit()), 200)).toBe(3);
  });

  it("computes Retry-After into the next window when the current one alone is full", () => {
    const w = 60_000;
    // 10 used of 10 in the current window: wait for the window to end, then for 10 × w' to fall below 10 (1 ms).
    const pos = windowPosition(T0 + 15_000, w, "sliding");
    expect(retryAfterMs(0, 10, 10, pos, w, "sliding")).toBe(45_001);
    expect(toSeconds(45_001)).toBe(46);
    // 20 counted (a lower limit since): the next window must be half over.
    expect(retryAfterMs(0, 20, 10, pos, w, "sliding")).toBe(45_000 + 30_001);
    // Fixed: just the end of the window.
    expect(retryAfterMs(0, 10, 10, windowPosition(T0 + 15_000, w, "fixed"), w, "fixed")).toBe(45_000);
  });

  it("agrees with SQLite's truncation for fractional weights", () => {
    const pos = windowPosition(T0 + 40_000, 60_000, "sliding");
    expect(pos.weight).toBeCloseTo(1 / 3);
    expect(retryAfterMs(9, 7, 10, pos, 60_000, "sliding")).toBeGreaterThan(0);
  });
});

// ---- keys ----

function ipApp(platform: PlatformName | undefined, env: Record<string, unknown> = {}) {
  const app = new Hono<{ Variables: Partial<SkiffVariables> }>();
  app.get("/", (c) => {
    if (platform) c.set("platform", platform);
    return c.text(clientIp(c as unknown as Context) ?? "unknown");
  });
  return async (headers: Record<string, string>) => (await app.request("/", { headers }, env)).text();
}

describe("client IP (the platform's trusted source only)", () => {
  it("uses CF-Connecting-IP on Cloudflare and ignores X-Forwarded-For there", async () => {
    const ip = ipApp("cloudflare");
    expect(await ip({ "cf-connecting-ip": "203.0.113.7", "x-forwarded-for": "1.1.1.1" })).toBe("203.0.113.7");
    expect(await ip({ "x-forwarded-for": "1.1.1.1" })).toBe("unknown");
  });

  it("uses X-Real-IP, then X-Vercel-Forwarded-For, on Vercel", async () => {
    const ip = ipApp("vercel-edge");
    expect(await ip({ "x-real-ip": "203.0.113.8", "x-vercel-forwarded-for": "198.51.100.1" })).toBe(
      "203.0.113.8",
    );
    expect(await ip({ "x-vercel-forwarded-for": "198.51.100.1, 10.0.0.1" })).toBe("198.51.100.1");
  });

  it("takes the right-most X-Forwarded-For hop on Lambda (the one AWS appended), skipping trusted proxies", async () => {
    const ip = ipApp("lambda");
    expect(await ip({ "x-forwarded-for": "6.6.6.6, 203.0.113.9" })).toBe("203.0.113.9");
    const app = new Hono();
    app.get("/", (c) => {
      c.set("platform" as never, "lambda" as never);
      return c.text(clientIp(c, { trustedProxies: 1 }) ?? "unknown");
    });
    const behindCloudFront = await app.request("/", {
      headers: { "x-forwarded-for": "6.6.6.6, 203.0.113.9, 130.176.0.1" },
    });
    expect(await behindCloudFront.text()).toBe("203.0.113.9");
    // The event's own source IP wins when the adapter exposes requestContext.
    const withContext = ipApp("lambda", { requestContext: { http: { sourceIp: "198.51.100.2" } } });
    expect(await withContext({ "x-forwarded-for": "6.6.6.6" })).toBe("198.51.100.2");
  });

  it("reads the socket on Node, normalises IPv4-mapped addresses, and keys IPv6 by /64", async () => {
    expect(await ipApp("node", { incoming: { socket: { remoteAddress: "::ffff:127.0.0.1" } } })({})).toBe(
      "127.0.0.1",
    );
    expect(
      await ipApp("node", { incoming: { socket: { remoteAddress: "2001:db8:1:2:aaaa:bbbb:cccc:dddd" } } })(
        {},
      ),
    ).toBe("2001:db8:1:2:0:0:0:0/64");
    expect(await ipApp("node", { incoming: { socket: { remoteAddress: "2001:db8::1" } } })({})).toBe(
      "2001:db8:0:0:0:0:0:0/64",
    );
    expect(await ipApp(undefined)({ "x-forwarded-for": "1.2.3.4", "cf-connecting-ip": "1.2.3.4" })).toBe(
      "unknown",
    );
  });

  it("gives each client IP its own budget", async () => {
    const t = limited({ limit: 1, windowSeconds: 60 }, { platform: "cloudflare" });
    expect((await t.hit({ "cf-connecting-ip": "203.0.113.1" })).status).toBe(200);
    expect((await t.hit({ "cf-connecting-ip": "203.0.113.1" })).status).toBe(429);
    expect((await t.hit({ "cf-connecting-ip": "203.0.113.2" })).status).toBe(200);
  });

  it("shares one budget among requests whose IP is unknown, and says so once in the log", async () => {
    const lines: LogRecord[] = [];
    const log = createLogger({ sink: (r) => lines.push(r) });
    const t = limited({ limit: 1, windowSeconds: 60 }, { log });
    expect(statuses(await times(3, () => t.hit()))).toEqual([200, 429, 429]);
    expect(lines.filter((l) => l.msg.includes("client IP is unknown"))).toHaveLength(1);
  });

  it("keys by a trusted header (falling back to the IP), and a key function may exempt a request", async () => {
    const t = limited({ limit: 1, windowSeconds: 60, key: { header: "x-api-key", trusted: true } });
    expect((await t.hit({ "x-api-key": "k1" })).status).toBe(200);
    expect((await t.hit({ "x-api-key": "k1" })).status).toBe(429);
    expect((await t.hit({ "x-api-key": "k2" })).status).toBe(200);

    const f = limited({
      limit: 1,
      windowSeconds: 60,
      key: (c) => (c.req.header("x-internal") ? undefined : "everyone"),
    });
    await f.hit();
    expect((await f.hit()).status).toBe(429);
    const exempt = await f.hit({ "x-internal": "1" });
    expect(exempt.status).toBe(200);
    expect(exempt.headers.get("ratelimit-limit")).toBeNull();
  });

  it("never stores the raw key (IP or API key), only its hash", async () => {
    const t = limited({ limit: 5, windowSeconds: 60, key: { header: "x-api-key", trusted: true } });
    await t.hit({ "x-api-key": "sk_live_secret" });
    const rows = await t.db.client.execute("SELECT key FROM _skiff_rate_limit");
    expect(rows.rows).toHaveLength(1);
    expect(String(rows.rows[0]![0])).not.toContain("sk_live_secret");
  });
});

// ---- Cloudflare's Rate Limiting binding ----

describe("rateLimit with the Cloudflare Rate Limiting binding", () => {
  it("asks env.<binding>.limit({ key }) and answers 429 with a whole window as Retry-After when it says no", async () => {
    const keys: string[] = [];
    let budget = 2;
    const LIMITER = {
      limit: async ({ key }: { key: string }) => (keys.push(key), { success: budget-- > 0 }),
    };
    const t = limited(
      { limit: 2, windowSeconds: 60, binding: "LIMITER" },
      { platform: "cloudflare", env: { LIMITER } },
    );
    const ok = await t.hit({ "cf-connecting-ip": "203.0.113.5" });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("ratelimit-limit")).toBe("2");
    expect(ok.headers.get("ratelimit-remaining")).toBeNull(); // the binding does not say
    await t.hit({ "cf-connecting-ip": "203.0.113.5" });
    const no = await t.hit({ "cf-connecting-ip": "203.0.113.5" });
    expect(no.status).toBe(429);
    expect(no.headers.get("retry-after")).toBe("60");
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).not.toContain("203.0.113.5");
    // Nothing was counted in the database.
    await expect(t.db.client.execute("SELECT count(*) FROM _skiff_rate_limit")).rejects.toThrow(
      /no such table/,
    );
  });

  it("falls back to the store where the binding is absent (local dev)", async () => {
    const t = limited({ limit: 1, windowSeconds: 60, binding: "LIMITER" }, { platform: "node" });
    expect((await t.hit()).status).toBe(200);
    expect((await t.hit()).status).toBe(429);
  });
});

// ---- KV: approximate ----

describe("rateLimit on KV (approximate)", () => {
  it("is exact within one isolate", async () => {
    const t = limited({ limit: 5, windowSeconds: 60, store: "kv", algorithm: "fixed", key: () => "c" });
    expect(count(await Promise.all(Array.from({ length: 12 }, () => t.hit())), 200)).toBe(5);
  });

  it("writes each counter at most once per second, and catches up on the next write", async () => {
    const kv = new MemoryKV();
    const put = vi.spyOn(kv, "put");
    const t = limited(
      { limit: 100, windowSeconds: 60, store: "kv", algorithm: "fixed", key: () => "c" },
      { kv },
    );
    await times(20, () => t.hit());
    expect(put).toHaveBeenCalledTimes(1);
    t.clock.now += 1000;
    await t.hit();
    expect(put).toHaveBeenCalledTimes(2);
    const [key, value, options] = put.mock.calls[1]!;
    expect(key).toMatch(/^rl:fixed-100-60s:/);
    expect(value).toBe("21");
    expect(options).toEqual({ expirationTtl: 120 });
  });

  it("can let more than `limit` through across isolates, as KV's consistency allows, and converges once counts are written", async () => {
    const kv = new MemoryKV();
    const options = {
      limit: 10,
      windowSeconds: 60,
      store: "kv",
      algorithm: "fixed",
      key: () => "c",
    } as const;
    const a = limited(options, { kv });
    const b = limited(options, { kv });
    const passedA = count(await times(10, () => a.hit()), 200);
    const passedB = count(await times(10, () => b.hit()), 200);
    expect(passedA).toBe(10);
    expect(passedB).toBeGreaterThan(0); // B only saw A's first write
    expect(passedA + passedB).toBeLessThanOrEqual(20);
    a.clock.now += 1000;
    b.clock.now += 1000;
    await a.hit(); // A flushes its count (10)
    expect((await b.hit()).status).toBe(429);
  });
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

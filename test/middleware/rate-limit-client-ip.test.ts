import { Hono } from "hono";
import { type LogRecord, createLogger } from "skiff";
import { afterAll, describe, expect, it } from "vitest";
import { clientIp } from "../../middleware/rate-limit/index.js";
import { harnesses, limited, statuses, times, ipApp } from "./support/rate-limit.js";

afterAll(async () => {
  await Promise.all(harnesses.map((h) => h.close()));
});

// ---- keys ----

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

  it("reads Deno.serve's connection info on Deno (remoteAddr.hostname), never a header", async () => {
    expect(
      await ipApp("deno", { remoteAddr: { transport: "tcp", hostname: "203.0.113.11", port: 5 } })({}),
    ).toBe("203.0.113.11");
    expect(await ipApp("deno", {})({ "x-forwarded-for": "6.6.6.6" })).toBe("unknown");
  });

  it("asks Bun's server for the peer address on Bun (the shape Bun.serve hands to fetch), never a header", async () => {
    const server = { requestIP: (r: Request) => (r.url ? { address: "::ffff:203.0.113.10" } : null) };
    expect(await ipApp("bun", { server })({ "x-forwarded-for": "6.6.6.6" })).toBe("203.0.113.10");
    expect(await ipApp("bun", {})({ "x-forwarded-for": "6.6.6.6" })).toBe("unknown");
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

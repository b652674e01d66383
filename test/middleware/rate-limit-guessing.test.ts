import { Hono } from "hono";
import { type Logger, Skiff } from "skiff";
import { serve, type SkiffServer } from "skiff/node";
import { createTestRuntime } from "skiff/testing";
import { tempDbUrl } from "../contract/node-driver.js";
import { afterAll, describe, expect, it } from "vitest";
import { type ApiKeyEntry, type AuthVariables, apiKeyAuth, hashApiKey } from "../../middleware/auth/index.js";
import { rateLimit, type RateLimitOptions } from "../../middleware/rate-limit/index.js";

// A limiter keyed by a header the client chooses gives every guessed API key a fresh budget: guessing is never
// limited. The documented pattern is one limiter per IP before auth (it counts the guesses) and one per verified
// principal after it (each tenant's budget, whatever address it calls from).

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
const KEY_A = "sk_live_tenant_a_0123456789";
const KEY_B = "sk_live_tenant_b_9876543210";
const keys = async (): Promise<ApiKeyEntry[]> => [
  { id: "tenant-a", hash: await hashApiKey(KEY_A) },
  { id: "tenant-b", hash: await hashApiKey(KEY_B) },
];

/** The pattern docs/middleware.md shows: per IP, then auth, then per principal. */
async function documentedApp(perIp: number, perKey: number) {
  const app = new Skiff<{ Variables: AuthVariables }>();
  app.use("/api/*", rateLimit({ name: "per-ip", limit: perIp, windowSeconds: 3600 }));
  app.use("/api/*", apiKeyAuth({ keys: await keys() }));
  app.use("/api/*", rateLimit({ name: "per-key", limit: perKey, windowSeconds: 3600, key: "principal" }));
  app.get("/api/me", (c) => c.json({ id: c.var.principal.subject }));
  return app;
}

const servers: SkiffServer[] = [];
const runtimes: Array<{ close(): Promise<void> }> = [];
afterAll(async () => {
  await Promise.all([...servers.map((s) => s.close()), ...runtimes.map((r) => r.close())]);
});

describe("rateLimit limits API-key guessing with the documented pattern", () => {
  it("answers 429 after `limit` guesses from one client, on a real Node server (keyed by the socket address)", async () => {
    const server = await serve(await documentedApp(5, 100), {
      port: 0,
      env: {},
      database: { url: tempDbUrl() },
      scheduler: false,
      queues: false,
      handleSignals: false,
    });
    servers.push(server);
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`${server.url}/api/me`, { headers: { "x-api-key": `sk_live_guess_${i}` } });
      statuses.push(res.status);
      await res.text();
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual(Array(15).fill(429));
    // The right key is no way around the per-IP budget either: the guesser's address is spent.
    const right = await fetch(`${server.url}/api/me`, { headers: { "x-api-key": KEY_A } });
    expect(right.status).toBe(429);
    await right.text();
  });

  it("gives each verified tenant its own budget across addresses, untouched by someone guessing", async () => {
    const t = createTestRuntime(await documentedApp(1000, 3), {
      databaseUrl: tempDbUrl(),
      log: silent,
      platform: "cloudflare",
    });
    runtimes.push(t);
    const hit = (key: string, ip: string) =>
      t.fetch(new Request("http://test/api/me", { headers: { "x-api-key": key, "cf-connecting-ip": ip } }));
    for (let i = 0; i < 10; i++) expect((await hit(`guess-${i}`, "198.51.100.66")).status).toBe(401);
    const a = [];
    for (let i = 0; i < 4; i++) a.push((await hit(KEY_A, `203.0.113.${i + 1}`)).status);
    expect(a).toEqual([200, 200, 200, 429]); // a new address does not buy a new budget
    expect((await hit(KEY_B, "203.0.113.1")).status).toBe(200);
  });
});

describe("rateLimit refuses the unsafe configuration", () => {
  it("refuses a header key the client chooses at setup, saying why and what to use", () => {
    const unsafe = [
      { header: "x-api-key" },
      { header: "authorization", trusted: false },
      { header: "x-tenant" },
    ];
    for (const key of unsafe) {
      expect(() => rateLimit({ limit: 10, windowSeconds: 60, key } as RateLimitOptions)).toThrow(
        /^\[skiff\] rateLimit: key \{ header: ".+" \} gives every value a client sends its own budget, so guessing API keys is never limited\. Before auth, key by "ip"; after apiKeyAuth\(\)\/jwtAuth\(\), use key: "principal"/,
      );
    }
    expect(() =>
      rateLimit({ limit: 10, windowSeconds: 60, key: { header: "x-gateway-client", trusted: true } }),
    ).not.toThrow();
  });

  it('fails loudly (a [skiff] 500) when key "principal" runs before any auth middleware', async () => {
    const app = new Hono();
    app.use(rateLimit({ name: "misplaced", limit: 10, windowSeconds: 60, key: "principal" }));
    app.get("/", (c) => c.text("ok"));
    let message = "";
    app.onError((error, c) => ((message = error.message), c.text("error", 500)));
    expect((await app.request("/")).status).toBe(500);
    expect(message).toMatch(
      /^\[skiff\] rateLimit "misplaced": key "principal" needs jwtAuth\(\) or apiKeyAuth\(\) registered before it/,
    );
  });
});

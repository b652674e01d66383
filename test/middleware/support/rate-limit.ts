import { type Context, type Env, Hono } from "hono";
import {
  type KVStore,
  type Logger,
  type QueueSchemas,
  type PlatformName,
  Skiff,
  type SkiffVariables,
} from "skiff";
import { createTestRuntime } from "skiff/testing";
import { tempDbUrl } from "../../contract/node-driver.js";
import { clientIp, rateLimit, type RateLimitOptions } from "../../../middleware/rate-limit/index.js";

/** Shared by the rate-limit tests: the in-process harness, a limited route with a controllable clock, and counters. */

// ---- harness: the only Node-specific part; the cases below use fetch-shaped calls and web APIs only ----

export const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

export interface HarnessOptions {
  kv?: KVStore;
  env?: Record<string, unknown>;
  platform?: PlatformName;
  log?: Logger;
}

export function inProcess<E extends Env, Q extends QueueSchemas>(
  app: Skiff<E, Q>,
  options: HarnessOptions = {},
) {
  const t = createTestRuntime(app, { databaseUrl: tempDbUrl(), log: silent, ...options });
  return {
    db: t.db,
    fetch: (path: string, init?: RequestInit) => t.fetch(new Request(`http://test${path}`, init)),
    close: () => t.close(),
  };
}

export const harnesses: Array<{ close(): Promise<void> }> = [];

/** An app with one limited route and a controllable clock. */
export function limited(options: Omit<RateLimitOptions, "now">, harness: HarnessOptions = {}, start = T0) {
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
export const T0 = 1_700_000_040_000;
export const statuses = (responses: Response[]) => responses.map((r) => r.status);
export const count = (responses: Response[], status: number) =>
  responses.filter((r) => r.status === status).length;
export async function times(n: number, f: () => Promise<Response>): Promise<Response[]> {
  const out: Response[] = [];
  for (let i = 0; i < n; i++) out.push(await f());
  return out;
}

export function ipApp(platform: PlatformName | undefined, env: Record<string, unknown> = {}) {
  const app = new Hono<{ Variables: Partial<SkiffVariables> }>();
  app.get("/", (c) => {
    if (platform) c.set("platform", platform);
    return c.text(clientIp(c as unknown as Context) ?? "unknown");
  });
  return async (headers: Record<string, string>) => (await app.request("/", { headers }, env)).text();
}

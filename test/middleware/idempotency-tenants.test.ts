import type { Env, MiddlewareHandler } from "hono";
import { SignJWT } from "jose";
import { type Logger, type QueueSchemas, Skiff } from "skiff";
import { type IncomingMessage, MemoryKV } from "skiff/adapter";
import { createTestRuntime } from "skiff/testing";
import { tempDbUrl } from "../contract/node-driver.js";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { apiKeyAuth, hashApiKey, jwtAuth } from "../../middleware/auth/index.js";
import {
  idempotency,
  idempotentConsumer,
  type IdempotencyOptions,
} from "../../middleware/idempotency/index.js";

// An Idempotency-Key names a request of one caller. Whoever else sends the same key (by accident, or because they
// saw it) must run their own request and never receive the first caller's stored response.

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
const harnesses: Array<{ close(): Promise<void> }> = [];
afterAll(async () => {
  await Promise.all(harnesses.map((h) => h.close()));
});

function inProcess<E extends Env, Q extends QueueSchemas>(app: Skiff<E, Q>) {
  const t = createTestRuntime(app, { databaseUrl: tempDbUrl(), kv: new MemoryKV(), log: silent });
  harnesses.push(t);
  return {
    fetch: (path: string, init?: RequestInit) => t.fetch(new Request(`http://test${path}`, init)),
    deliver: (queue: string, messages: IncomingMessage[]) => t.deliver(queue, messages),
  };
}

let counter = 0;
const uniqueKey = () => `key-${Date.now().toString(36)}-${(counter++).toString(36)}`;
const post = (key: string, headers: Record<string, string>, body: unknown = { sku: "a" }): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json", "Idempotency-Key": key, ...headers },
  body: JSON.stringify(body),
});

/** POST /orders behind `middleware`, answering with who ran it and a run number, so a replay is recognisable. */
function shop(middleware: MiddlewareHandler[]) {
  const app = new Skiff();
  const runs: string[] = [];
  for (const mw of middleware) app.use("/orders", mw);
  app.post("/orders", (c) => {
    const who = (c.var as { principal?: { subject: string } }).principal?.subject ?? "anonymous";
    runs.push(who);
    return c.json({ run: runs.length, who }, 201);
  });
  return { ...inProcess(app), runs };
}

const TENANT_A = "sk_live_tenant_a_0123456789";
const TENANT_B = "sk_live_tenant_b_9876543210";
const tenants = async (header?: string) =>
  apiKeyAuth({
    keys: [
      { id: "tenant-a", hash: await hashApiKey(TENANT_A) },
      { id: "tenant-b", hash: await hashApiKey(TENANT_B) },
    ],
    ...(header ? { header } : {}),
  }) as unknown as MiddlewareHandler;

describe.each(["db", "kv"] as const)("idempotency keys belong to their caller (store %s)", (store) => {
  const idem = (options: IdempotencyOptions = {}) => idempotency({ store, ...options }) as MiddlewareHandler;

  it("keeps two API-key tenants apart: B sending A's key runs B's request and never sees A's response", async () => {
    const t = shop([await tenants(), idem()]);
    const key = uniqueKey();
    const a = await t.fetch("/orders", post(key, { "x-api-key": TENANT_A }));
    expect(await a.json()).toEqual({ run: 1, who: "tenant-a" });
    const b = await t.fetch("/orders", post(key, { "x-api-key": TENANT_B }));
    expect(b.status).toBe(201);
    expect(b.headers.get("idempotent-replayed")).toBeNull();
    expect(await b.json()).toEqual({ run: 2, who: "tenant-b" });
    // Each tenant's own retry still replays its own answer.
    const again = await t.fetch("/orders", post(key, { "x-api-key": TENANT_A }));
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await again.json()).toEqual({ run: 1, who: "tenant-a" });
    expect(t.runs).toEqual(["tenant-a", "tenant-b"]);
  });

  it("keeps tenants apart when idempotency() runs before apiKeyAuth(), by hashing the API-key header", async () => {
    const t = shop([idem(), await tenants()]);
    const key = uniqueKey();
    await t.fetch("/orders", post(key, { "x-api-key": TENANT_A }));
    const b = await t.fetch("/orders", post(key, { "x-api-key": TENANT_B }));
    expect(b.headers.get("idempotent-replayed")).toBeNull();
    expect(await b.json()).toMatchObject({ who: "tenant-b" });
    // A caller without any key can no more replay A's answer (auth runs and refuses it).
    const anonymous = await t.fetch("/orders", post(key, {}));
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("idempotent-replayed")).toBeNull();
  });

  it("hashes a custom API-key header named in credentialHeaders when auth comes after", async () => {
    const t = shop([idem({ credentialHeaders: ["X-Partner-Key"] }), await tenants("x-partner-key")]);
    const key = uniqueKey();
    await t.fetch("/orders", post(key, { "x-partner-key": TENANT_A }));
    const b = await t.fetch("/orders", post(key, { "x-partner-key": TENANT_B }));
    expect(await b.json()).toMatchObject({ who: "tenant-b" });
  });

  it("keys by the verified JWT subject: two users are apart, one user's fresh token still replays", async () => {
    const secret = new TextEncoder().encode("a-shared-secret-of-at-least-32-bytes!");
    const token = (sub: string, jti: string) =>
      new SignJWT({ jti })
        .setProtectedHeader({ alg: "HS256" })
        .setSubject(sub)
        .setExpirationTime("5m")
        .sign(secret);
    const t = shop([jwtAuth({ secret, algorithms: ["HS256"] }) as unknown as MiddlewareHandler, idem()]);
    const key = uniqueKey();
    const bearer = async (sub: string, jti: string) => ({ authorization: `Bearer ${await token(sub, jti)}` });
    await t.fetch("/orders", post(key, await bearer("alice", "1")));
    const bob = await t.fetch("/orders", post(key, await bearer("bob", "2")));
    expect(await bob.json()).toEqual({ run: 2, who: "bob" });
    const refreshed = await t.fetch("/orders", post(key, await bearer("alice", "3")));
    expect(refreshed.headers.get("idempotent-replayed")).toBe("true");
    expect(await refreshed.json()).toEqual({ run: 1, who: "alice" });
  });

  it("without auth, keeps different Authorization headers, API keys and named session cookies apart", async () => {
    const t = shop([idem({ cookies: ["session"] })]);
    const cases: Array<[Record<string, string>, Record<string, string>]> = [
      [{ authorization: "Bearer alice" }, { authorization: "Bearer bob" }],
      [{ "x-api-key": "k1" }, { "x-api-key": "k2" }],
      [{ cookie: "session=s1; theme=dark" }, { cookie: "session=s2; theme=dark" }],
      [{ authorization: "Bearer alice" }, {}],
      [{ cookie: "session=s1" }, { "x-api-key": "s1" }],
    ];
    for (const [first, second] of cases) {
      const key = uniqueKey();
      await t.fetch("/orders", post(key, first));
      const other = await t.fetch("/orders", post(key, second));
      expect(other.headers.get("idempotent-replayed"), JSON.stringify([first, second])).toBeNull();
    }
    // The same session with another, unnamed cookie is the same caller: its retry replays.
    const key = uniqueKey();
    await t.fetch("/orders", post(key, { cookie: "session=s1; theme=dark" }));
    const retry = await t.fetch("/orders", post(key, { cookie: "theme=light; session=s1" }));
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
  });

  it("falls back to the caller's credentials when scope() returns nothing, never to one shared namespace", async () => {
    const t = shop([idem({ scope: () => undefined })]);
    const key = uniqueKey();
    await t.fetch("/orders", post(key, { authorization: "Bearer alice" }));
    const bob = await t.fetch("/orders", post(key, { authorization: "Bearer bob" }));
    expect(bob.headers.get("idempotent-replayed")).toBeNull();
  });
});

describe("idempotency() credential options", () => {
  it("rejects bad credentialHeaders and cookies at setup, naming the option", () => {
    expect(() => idempotency({ credentialHeaders: ["bad header"] })).toThrow(
      /^\[skiff\] idempotency: credentialHeaders must be an array of header names/,
    );
    expect(() => idempotency({ cookies: "session" as unknown as string[] })).toThrow(
      /^\[skiff\] idempotency: cookies must be an array of cookie names/,
    );
  });
});

describe("idempotentConsumer() namespaces", () => {
  const Job = z.object({ orderId: z.string() });
  const message = (id: string, orderId: string): IncomingMessage => ({
    id,
    body: { orderId },
    attempts: 1,
    timestamp: new Date(),
  });

  it("requires a scope with a business key, so two consumers keyed by the same ids never skip each other's", () => {
    expect(() => idempotentConsumer(() => undefined, { key: (m: { id: string }) => m.id })).toThrow(
      /^\[skiff\] idempotentConsumer: with key, set scope to a name unique to this consumer/,
    );
  });

  it("processes the same order id once per consumer, on two queues sharing one database", async () => {
    const app = new Skiff({ queues: { orders: Job, refunds: Job } });
    const handled: string[] = [];
    for (const queue of ["orders", "refunds"] as const) {
      app.queue(
        queue,
        idempotentConsumer(
          (m) => {
            handled.push(`${queue}:${m.body.orderId}`);
          },
          { key: (m) => m.body.orderId, scope: queue },
        ),
      );
    }
    const t = inProcess(app);
    await t.deliver("orders", [message("m1", "o-42")]);
    await t.deliver("refunds", [message("m2", "o-42")]);
    await t.deliver("refunds", [message("m3", "o-42")]); // a duplicate send: skipped
    expect(handled).toEqual(["orders:o-42", "refunds:o-42"]);
  });
});

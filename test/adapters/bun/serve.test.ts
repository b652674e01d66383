import { afterEach, describe, expect, it } from "vitest";
import { CONTRACT_API_KEY } from "../../contract/driver.js";
import type { BunProcess } from "./support/bun-process.js";
import { nodeDatabase } from "skiff/node";
import { sql } from "skiff";
import { fixture, startBun, tempDbUrl, until } from "./support/bun-process.js";
import { startShop, type ShopReady } from "./support/bun-driver.js";

const started: Array<BunProcess<ShopReady>> = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((p) => p.stop()));
});

async function shop(env: Record<string, string>): Promise<BunProcess<ShopReady>> {
  const bun = await startShop(env);
  started.push(bun);
  return bun;
}

const order = (url: string, sku: string) =>
  fetch(`${url}/api/orders`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": CONTRACT_API_KEY },
    body: JSON.stringify({ sku, qty: 1 }),
  }).then(async (res) => {
    expect(res.status).toBe(202);
    return ((await res.json()) as { orderId: string }).orderId;
  });

const status = async (url: string, id: string) =>
  (await (await fetch(`${url}/api/orders/${id}`)).json()) as { status: string; attempts: number };

describe("serve() from skiff/bun in a real bun process", () => {
  it("delivers the durable queue in the background: an order is fulfilled, a failing one retried and dead-lettered", async () => {
    const { ready } = await shop({ SKIFF_TEST_QUEUES: "1" });
    const ok = await order(ready.url, "TEA-1");
    const failing = await order(ready.url, "FAIL");
    await until(async () => (await status(ready.url, ok)).status === "fulfilled");
    // maxRetries 2: delivered three times, then the dead-letter consumer marks it failed.
    await until(async () => (await status(ready.url, failing)).status === "failed");
    expect(await status(ready.url, failing)).toMatchObject({ status: "failed", attempts: 3 });
    const dead = (await (await fetch(`${ready.control}/sent?queue=orders-dlq`)).json()) as unknown[];
    expect(dead).toEqual([]); // consumed: the dead-letter queue has a consumer too
  });

  it("lists the app's crons with their next run in UTC", async () => {
    const { ready } = await shop({ SKIFF_TEST_SCHEDULER: "1" });
    const runs = (await (await fetch(`${ready.control}/next-runs`)).json()) as Array<{
      cron: string;
      next: string;
    }>;
    const daily = runs.find((r) => r.cron === "0 9 * * *");
    expect(daily?.next).toMatch(/T09:00:00\.000Z$/);
    expect(Date.parse(daily?.next ?? "") - Date.now()).toBeLessThanOrEqual(86_400_000);
  });

  it("answers /__scheduled errors as problem+json: 400 for a bad expression, 404 for one with no handler", async () => {
    const { ready } = await shop({});
    const bad = await fetch(`${ready.url}/__scheduled?cron=not+a+cron`);
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toContain("application/problem+json");
    const none = await fetch(`${ready.url}/__scheduled?cron=5+4+*+*+*`);
    expect(none.status).toBe(404);
    expect(((await none.json()) as { registered: string[] }).registered).toContain("0 9 * * *");
  });

  it("gives routes the env and Bun's Server, so getConnInfo from hono/bun sees the client's address", async () => {
    const { ready } = await startBun<{ ready: true; seen: unknown }>(fixture("conn-info.ts"));
    expect(ready.seen).toMatchObject({
      remote: { address: "127.0.0.1", addressType: "IPv4" },
      greeting: "hi",
    });
  });

  it("shuts down on SIGTERM within its grace and exits 0, closing the database", async () => {
    const bun = await shop({ SKIFF_TEST_QUEUES: "1", SKIFF_TEST_SCHEDULER: "1" });
    expect((await fetch(`${bun.ready.url}/`)).status).toBe(200);
    const t0 = Date.now();
    expect(await bun.stop(5_000)).toBe(0);
    expect(Date.now() - t0).toBeLessThan(3_000);
    expect(bun.output()).toContain('"msg":"shutting down"');
  });

  it("bounds shutdown by its grace when a handler hangs, and releases its message for the next start", async () => {
    const url = tempDbUrl();
    const bun = await startBun<{ ready: true; url: string }>(fixture("hanging-consumer.ts"), {
      SKIFF_TEST_DB: url,
    });
    expect((await fetch(`${bun.ready.url}/jobs`, { method: "POST" })).status).toBe(202);
    await until(() => bun.output().includes('"handling":true'));
    const t0 = Date.now();
    expect(await bun.stop(5_000)).toBe(0);
    expect(Date.now() - t0).toBeLessThan(2_000); // grace 300 ms, not the 5 s SIGKILL fallback
    expect(bun.output()).toContain("their messages are released for redelivery");
    const db = nodeDatabase({ url });
    try {
      const rows = await db.all(sql`SELECT attempts, lease FROM _skiff_queue WHERE queue = ${"jobs"}`);
      expect(rows).toEqual([{ attempts: 1, lease: null }]);
    } finally {
      db.close();
    }
  });
});

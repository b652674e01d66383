import { createClient } from "@libsql/client";
import { describe, expect, it } from "vitest";
import { sql } from "skiff";
import { Database, LibsqlQueueStore } from "skiff/adapter";
import { toVercel } from "skiff/vercel";
import { app } from "../../../examples/shop/app.js";
import { CONTRACT_API_KEY, CONTRACT_API_KEY_SHA256 } from "../../contract/driver.js";
import { tempDbUrl } from "../../contract/node-driver.js";

const SECRET = "queue-secret-0123456789";

function setup(intervalMs = 60_000) {
  const url = tempDbUrl("skiff-vercel-queues");
  let clock = Date.UTC(2026, 0, 2, 12);
  const handlers = toVercel(app, {
    basePath: "/api",
    env: { TURSO_DATABASE_URL: url, CRON_SECRET: SECRET, SHOP_API_KEY_SHA256: CONTRACT_API_KEY_SHA256 },
    createClient,
    drainOnRequest: { intervalMs },
    now: () => clock,
  });
  const db = new Database(() => createClient({ url, intMode: "number", timeout: 5_000 }));
  const store = new LibsqlQueueStore(db);
  const request = async (path: string, init: RequestInit = {}) => {
    const res = await handlers.fetch(new Request(`https://shop.vercel.app${path}`, init));
    await handlers.settle(); // what Vercel's waitUntil would let finish
    return res;
  };
  const order = async (sku = "TEA-1") => {
    const res = await request("/api/orders", {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": CONTRACT_API_KEY },
      body: JSON.stringify({ sku, qty: 1 }),
    });
    return ((await res.json()) as { orderId: string }).orderId;
  };
  const status = async (id: string) =>
    ((await (await request(`/api/orders/${id}`)).json()) as { status: string }).status;
  // Sent by "another instance": straight into the table, so this instance's send hook never sees it.
  const sendElsewhere = async (body: unknown) => {
    await store.stats("orders");
    await db.run(
      sql`INSERT INTO _skiff_queue (id, queue, body, visible_at, enqueued_at) VALUES (${crypto.randomUUID()}, 'orders', ${JSON.stringify(body)}, 0, 0)`,
    );
  };
  return {
    handlers,
    db,
    store,
    request,
    order,
    status,
    sendElsewhere,
    advance: (ms: number) => (clock += ms),
  };
}

describe("the durable queue on Vercel", () => {
  it("delivers a message in the waitUntil of the request that sent it", async () => {
    const { order, status } = setup();
    const id = await order();
    expect(await status(id)).toBe("fulfilled");
  });

  it("leaves other instances' messages for the periodic round or the drain path, not every request", async () => {
    const { request, sendElsewhere, store, advance } = setup(60_000);
    await request("/"); // the first request of an instance runs a full round
    await sendElsewhere({ orderId: crypto.randomUUID(), sku: "TEA-2", qty: 1 });
    await request("/");
    expect((await store.stats("orders")).ready).toBe(1); // not due yet: nothing sent here, interval not over
    advance(60_000);
    await request("/");
    expect((await store.stats("orders")).ready).toBe(0);
  });

  it("drains every consumed queue through the drain path, batch after batch, and reports what it delivered", async () => {
    const { request, sendElsewhere, store } = setup(Number.MAX_SAFE_INTEGER);
    await request("/");
    for (let i = 0; i < 25; i++) await sendElsewhere({ orderId: crypto.randomUUID(), sku: "TEA-3", qty: 1 });
    const res = await request("/api/__skiff/queues/drain", {
      headers: { authorization: `Bearer ${SECRET}` },
    });
    // skiff-workflows: the internal queue of the shop's workflows (their wakes), consumed like the others.
    expect(await res.json()).toEqual({
      // The shop's internal queues (storage events, database changes) are drained too, with nothing in them.
      delivered: {
        orders: 25,
        "orders-dlq": 0,
        "skiff-workflows": 0,
        "skiff-storage-uploads": 0,
        "skiff-changes": 0,
      },
    });
    expect(await store.stats("orders")).toEqual({ ready: 0, delayed: 0, inFlight: 0 });
  });

  it("retries a failing message and dead-letters it after maxRetries, across drain-path calls (at least once, never lost)", async () => {
    const { order, status, request, store } = setup(Number.MAX_SAFE_INTEGER);
    const id = await order("FAIL"); // attempt 1 in the request's waitUntil
    const drain = () =>
      request("/api/__skiff/queues/drain?queue=orders", { headers: { authorization: `Bearer ${SECRET}` } });
    await drain(); // attempt 2
    await drain(); // attempt 3 > maxRetries 2: dead-lettered...
    // ...and the dead-letter send was made here, so that request's waitUntil delivered it to the DLQ consumer.
    expect(await store.stats("orders")).toEqual({ ready: 0, delayed: 0, inFlight: 0 });
    expect(await store.peek("orders-dlq")).toEqual([]);
    expect(await status(id)).toBe("failed");
  });
});

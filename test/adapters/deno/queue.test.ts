import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONTRACT_API_KEY } from "../../contract/driver.js";
import { until } from "./support/deno.js";
import { startShop } from "./support/driver.js";

type Shop = Awaited<ReturnType<typeof startShop>>;

// The shop's queues delivered by the real Deno KV queue (enqueue → listenQueue), with nothing held back: what a
// deployed app does, end to end.
describe("queues on Deno KV, delivered by listenQueue", () => {
  let shop: Shop;
  const url = (path: string) => `${shop.deno.url}${path}`;
  const order = async (sku: string) => {
    const res = await fetch(url("/api/orders"), {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": CONTRACT_API_KEY },
      body: JSON.stringify({ sku, qty: 1 }),
    });
    expect(res.status).toBe(202);
    return ((await res.json()) as { orderId: string }).orderId;
  };
  const status = async (id: string) =>
    (await (await fetch(url(`/api/orders/${id}`))).json()) as { status: string; attempts: number | null };
  const delivered = async () =>
    (await (await fetch(url("/__test/delivered"))).json()) as Array<{
      id: string;
      queue: string;
      attempts: number;
      body: { orderId?: string };
    }>;

  beforeAll(async () => {
    shop = await startShop("queues", { hold: false });
  });
  afterAll(async () => {
    await shop?.close();
  });

  it("delivers a sent message to its consumer once, which fulfils the order", async () => {
    const id = await order("TEA-1");
    await until(async () => (await status(id)).status === "fulfilled", 10_000);
    expect(await status(id)).toMatchObject({ status: "fulfilled", attempts: 1 });
    const deliveries = (await delivered()).filter((d) => d.body.orderId === id);
    expect(deliveries.map((d) => [d.queue, d.attempts])).toEqual([["orders", 1]]);
  });

  it("retries a failing message with attempts counted, then dead-letters it after maxRetries", async () => {
    const id = await order("FAIL");
    // maxRetries 2: attempts 1, 2 and 3 fail, then the core sends it to orders-dlq, whose consumer marks it failed.
    await until(async () => (await status(id)).status === "failed", 15_000);
    const sent = (await (await fetch(url("/__test/sent?queue=orders"))).json()) as Array<{ orderId: string }>;
    expect(sent.filter((m) => m.orderId === id)).toHaveLength(1);
    const dead = (await (await fetch(url("/__test/sent?queue=orders-dlq"))).json()) as Array<{
      orderId: string;
    }>;
    expect(dead.filter((m) => m.orderId === id)).toHaveLength(1);
    expect((await status(id)).attempts).toBe(3);
    // Each attempt was its own delivery by Deno KV (the adapter re-enqueued each retry under the same id with the
    // next number), then the dead-letter queue's consumer got it once.
    const deliveries = (await delivered()).filter((d) => d.body.orderId === id);
    const [first] = deliveries;
    expect(deliveries.map((d) => [d.queue, d.attempts])).toEqual([
      ["orders", 1],
      ["orders", 2],
      ["orders", 3],
      ["orders-dlq", 1],
    ]);
    expect(deliveries.slice(0, 3).every((d) => d.id === first?.id)).toBe(true);
  });

  it("keeps a message for a queue this app does not consume in Deno KV, where Deno parks what it gave up on", async () => {
    const res = await fetch(url("/__test/deliver"), {
      method: "POST",
      body: JSON.stringify({
        queue: "audit",
        messages: [{ id: "m-audit", body: { event: "login" }, attempts: 1 }],
      }),
    });
    expect(await res.json()).toEqual({ "m-audit": "ack" });
    const parked = await (await fetch(url("/__test/parked?queue=audit"))).json();
    expect(parked).toEqual([{ id: "m-audit", body: { event: "login" } }]);
    expect(shop.deno.output()).toContain("queue has no consumer in this app");
  });
});

import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { CONTRACT_API_KEY } from "../../../contract/driver.js";

// examples/shop/worker.ts as workerd runs it: requests through the Worker's own entrypoint, with wrangler.toml's
// bindings, and orders travelling through Miniflare's real queues to the Worker's queue() handler (the test
// config only sets max_batch_timeout to 0 so batches leave at once).
const worker = exports.default;
const BASE = "http://shop.test";

async function order(sku: string): Promise<string> {
  const res = await worker.fetch(`${BASE}/api/orders`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": CONTRACT_API_KEY },
    body: JSON.stringify({ sku, qty: 1 }),
  });
  expect(res.status).toBe(202);
  return ((await res.json()) as { orderId: string }).orderId;
}

async function waitForStatus(
  orderId: string,
  status: string,
  timeoutMs = 15_000,
): Promise<{ status: string; attempts: number }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const current = (await (await worker.fetch(`${BASE}/api/orders/${orderId}`)).json()) as {
      status: string;
      attempts: number;
    };
    if (current.status === status || Date.now() > deadline) return current;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("the shop Worker through its entrypoint, on Miniflare's queues", () => {
  it("answers HTTP as a Worker", async () => {
    const res = await worker.fetch(`${BASE}/`);
    expect(await res.json()).toEqual({ name: "skiff shop", platform: "cloudflare" });
  });

  it("delivers an order through the orders queue to the consumer, which fulfils it", async () => {
    const orderId = await order("TEA-9");
    expect(await waitForStatus(orderId, "fulfilled")).toMatchObject({ status: "fulfilled", attempts: 1 });
  });

  it("retries a failing order on the queue, dead-letters it on its last attempt, and the orders-dlq consumer marks it failed", async () => {
    const orderId = await order("FAIL");
    // maxRetries 2: attempts 1, 2 and 3 fail; skiff sends the third to orders-dlq, whose consumer marks the order.
    expect(await waitForStatus(orderId, "failed")).toMatchObject({ status: "failed", attempts: 3 });
  });
});

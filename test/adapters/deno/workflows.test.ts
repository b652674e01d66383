import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONTRACT_API_KEY } from "../../contract/driver.js";
import { until } from "./support/deno.js";
import { startShop } from "./support/driver.js";

type Shop = Awaited<ReturnType<typeof startShop>>;
type Run = { status: string; output?: unknown };

// Workflows are ordinary registry entries (the skiff-workflows queue and a timer cron): on Deno their wake-ups
// travel on the Deno KV queue, through the same listener as the app's own queues.
describe("workflows on Deno", () => {
  let shop: Shop;
  const url = (path: string) => `${shop.deno.url}${path}`;
  beforeAll(async () => {
    shop = await startShop("workflows", { hold: false });
  });
  afterAll(async () => {
    await shop?.close();
  });

  it("runs the shop's inventory report, a fan-out over SKUs, to completion through the Deno KV queue", async () => {
    const res = await fetch(url("/api/reports/inventory"), {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": CONTRACT_API_KEY },
      body: JSON.stringify({}),
    });
    expect(res.status).toBe(202);
    const { runId } = (await res.json()) as { runId: string };
    let run: Run = { status: "unknown" };
    await until(async () => {
      run = (await (await fetch(url(`/api/reports/inventory/${runId}`))).json()) as Run;
      return ["completed", "failed", "cancelled"].includes(run.status);
    }, 20_000);
    expect(run.status).toBe("completed");
    const delivered = (await (await fetch(url("/__test/delivered"))).json()) as Array<{ queue: string }>;
    expect(delivered.filter((d) => d.queue === "skiff-workflows").length).toBeGreaterThan(0);
  });
});

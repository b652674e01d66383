import { sql } from "skiff";
import { createTestRuntime, type TestRuntime } from "skiff/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { app } from "../../examples/shop/app.js";
import { release, reserve } from "../../examples/shop/inventory.js";
import { charge, refund } from "../../examples/shop/payments.js";
import { REVIEW_ABOVE_CENTS, type InventoryReport } from "../../examples/shop/workflows.js";

// The shop's workflows through the public test runtime: real libSQL (in memory), the libSQL queue that carries the
// workflow wake-ups, and the app's own routes. Nothing is mocked: payments and stock are rows of the shop's database.

const KEY = "test-key";
const BASE = "http://shop.test";

interface RunJson {
  id: string;
  status: string;
  output?: Record<string, unknown>;
  error?: { name: string; message: string };
  steps: Array<{
    name: string;
    kind: string;
    status: string;
    attempts: number;
    compensation?: string;
    children?: Record<string, number>;
  }>;
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

let t: TestRuntime;

beforeEach(async () => {
  t = createTestRuntime(app, { env: { SHOP_API_KEY_SHA256: await sha256Hex(KEY) } });
});
afterEach(async () => {
  await t.close();
});

function send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  return t.fetch(
    new Request(`${BASE}${path}`, {
      method,
      headers: {
        "x-api-key": KEY,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
    }),
  );
}

async function read(path: string): Promise<RunJson> {
  const res = await send("GET", path);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as RunJson;
}

/** Runs workflows until nothing more can happen now (bounded by runWorkflows' rounds), then reads the run. */
async function settled(path: string): Promise<RunJson> {
  await t.runWorkflows();
  return read(path);
}

async function checkout(body: unknown): Promise<{ runId: string; location: string }> {
  const res = await send("POST", "/api/checkouts", body);
  expect(res.status, await res.clone().text()).toBe(202);
  const { runId } = (await res.json()) as { runId: string };
  return { runId, location: res.headers.get("location") ?? "" };
}

const stockOf = async (sku: string) =>
  (await t.db.get<{ stock: number }>(sql`SELECT stock FROM products WHERE sku = ${sku}`))?.stock;
const paymentsOf = (runId: string) =>
  t.db.all<{ amount_cents: number; status: string }>(
    sql`SELECT amount_cents, status FROM payments WHERE checkout_id = ${runId}`,
  );
const stepNames = (run: RunJson) => run.steps.map((s) => `${s.name}:${s.status}`);

describe("the shop's checkout workflow", () => {
  it("charges, reserves and confirms a checkout, and answers a retried POST with the same run", async () => {
    const basket = {
      orderId: "o-happy",
      email: "ada@example.com",
      items: [
        { sku: "TEA-1", qty: 2 },
        { sku: "MUG-1", qty: 1 },
        { sku: "TEA-1", qty: 1 },
      ],
    };
    const { runId, location } = await checkout(basket);
    expect(runId).toBe("checkout-o-happy");
    expect(location).toBe(`/api/checkouts/${runId}`);

    const run = await settled(location);
    expect(run.status, JSON.stringify(run)).toBe("completed");
    expect(stepNames(run)).toEqual([
      "validate:completed",
      "charge:completed",
      "reserve:completed",
      "confirm:completed",
    ]);
    expect(run.output).toMatchObject({ orderId: "o-happy", status: "confirmed", totalCents: 3 * 850 + 1200 });
    expect(run).not.toHaveProperty("input"); // the status route does not show the customer's email

    // One charge, of the total; the stock of both SKUs went down once (the two TEA-1 lines were merged).
    expect(await paymentsOf(runId)).toEqual([{ amount_cents: 3750, status: "charged" }]);
    expect(await stockOf("TEA-1")).toBe(497);
    expect(await stockOf("MUG-1")).toBe(49);
    const confirmed = await t.db.get(sql`SELECT total_cents, payment_id FROM checkouts WHERE id = 'o-happy'`);
    expect(confirmed).toEqual({ total_cents: 3750, payment_id: run.output?.chargeId });

    // The client retries (its answer was lost): the same run, nothing charged again.
    const again = await send("POST", "/api/checkouts", basket);
    expect(again.status).toBe(202);
    expect(await again.json()).toEqual({ runId, created: false });
    await t.runWorkflows();
    expect(await paymentsOf(runId)).toHaveLength(1);
    expect(await stockOf("TEA-1")).toBe(497);

    // The same order id with another basket is a conflict, not a silent replay.
    const other = await send("POST", "/api/checkouts", { ...basket, items: [{ sku: "TEA-2", qty: 1 }] });
    expect(other.status).toBe(409);
    expect(other.headers.get("content-type")).toContain("application/problem+json");
  });

  it("refunds the charge when the stock is short, and the run fails naming the SKU", async () => {
    const { location, runId } = await checkout({
      orderId: "o-short",
      email: "bob@example.com",
      items: [
        { sku: "TEA-2", qty: 1 },
        { sku: "RARE-1", qty: 2 }, // one in stock
      ],
    });
    const run = await settled(location);
    expect(run.status, JSON.stringify(run)).toBe("failed");
    expect(run.error?.message).toContain("not enough stock for RARE-1: 2 wanted, 1 left");
    const charge = run.steps.find((s) => s.name === "charge");
    expect(charge).toMatchObject({ status: "completed", compensation: "completed" });
    const reserve = run.steps.find((s) => s.name === "reserve");
    // A NonRetryableError: one attempt, no retries, and nothing to undo for a step that never completed.
    expect(reserve).toMatchObject({ status: "failed", attempts: 1 });
    expect(reserve?.compensation).toBeUndefined();

    expect(await paymentsOf(runId)).toEqual([{ amount_cents: 650 + 2 * 4900, status: "refunded" }]);
    expect(await stockOf("RARE-1")).toBe(1);
    expect(await stockOf("TEA-2")).toBe(500); // all or nothing: TEA-2 was not taken either
    expect(await t.db.get(sql`SELECT id FROM checkouts WHERE id = 'o-short'`)).toBeUndefined();
  });

  it("fails an unknown SKU at validation, before anything is charged", async () => {
    const { location, runId } = await checkout({
      orderId: "o-unknown",
      email: "eve@example.com",
      items: [{ sku: "NOPE-1", qty: 1 }],
    });
    const run = await settled(location);
    expect(run.status).toBe("failed");
    expect(run.error?.message).toContain("unknown SKU NOPE-1");
    expect(stepNames(run)).toEqual(["validate:failed"]);
    expect(await paymentsOf(runId)).toEqual([]);
  });
});

describe("the checkout's side effects, which run at least once", () => {
  it("charges once per idempotency key and refunds once, however often a step or an undo runs again", async () => {
    const db = t.runtime.db;
    const request = { idempotencyKey: "checkout-o-x:1", checkoutId: "checkout-o-x", amountCents: 1234 };
    const first = await charge(db, request);
    const [again, concurrent] = await Promise.all([charge(db, request), charge(db, request)]);
    expect(again).toEqual(first);
    expect(concurrent).toEqual(first);
    expect(await paymentsOf("checkout-o-x")).toEqual([{ amount_cents: 1234, status: "charged" }]);
    expect(await refund(db, first.id)).toEqual({ ...first, status: "refunded" });
    expect(await refund(db, first.id)).toEqual({ ...first, status: "refunded" });
  });

  it("reserves stock once per reservation id and puts it back once", async () => {
    const db = t.runtime.db;
    const lines = [
      { sku: "TEA-1", qty: 4 },
      { sku: "MUG-1", qty: 2 },
    ];
    const request = { reservationId: "checkout-o-y:2", checkoutId: "checkout-o-y", lines };
    await Promise.all([reserve(db, request), reserve(db, request), reserve(db, request)]);
    expect([await stockOf("TEA-1"), await stockOf("MUG-1")]).toEqual([496, 48]);
    expect(await release(db, request.reservationId)).toEqual({ released: true });
    expect(await release(db, request.reservationId)).toEqual({ released: false });
    expect([await stockOf("TEA-1"), await stockOf("MUG-1")]).toEqual([500, 50]);
  });
});

describe("the review of a large checkout", () => {
  const large = (orderId: string) => ({
    orderId,
    email: "big@example.com",
    items: [{ sku: "TEA-1", qty: 30 }], // 255.00, above the review threshold
  });

  it("holds the charge and the stock until an approval arrives, then confirms", async () => {
    expect(30 * 850).toBeGreaterThan(REVIEW_ABOVE_CENTS);
    const { location, runId } = await checkout(large("o-review"));
    const waiting = await settled(location);
    expect(waiting.status).toBe("waiting");
    expect(waiting.steps.find((s) => s.name === "review")?.status).toBe("waiting");
    expect(await paymentsOf(runId)).toEqual([{ amount_cents: 25_500, status: "charged" }]);
    expect(await stockOf("TEA-1")).toBe(470);

    const review = await send("POST", `${location}/review`, { approved: true, by: "ops@shop" });
    expect(review.status, await review.clone().text()).toBe(202);
    const run = await settled(location);
    expect(run.status, JSON.stringify(run)).toBe("completed");
    expect(run.output).toMatchObject({ status: "confirmed", reviewedBy: "ops@shop" });

    // Reviewing an ended run is refused.
    const late = await send("POST", `${location}/review`, { approved: false, by: "ops@shop" });
    expect(late.status).toBe(409);
  });

  it("releases the stock, then refunds, when the review rejects the checkout", async () => {
    const { location, runId } = await checkout(large("o-rejected"));
    await settled(location);
    await send("POST", `${location}/review`, { approved: false, by: "fraud@shop" });
    const run = await settled(location);
    expect(run.status).toBe("failed");
    expect(run.error?.message).toContain("rejected in review by fraud@shop");
    expect(run.steps.filter((s) => s.compensation).map((s) => `${s.name}:${s.compensation}`)).toEqual([
      "charge:completed",
      "reserve:completed",
    ]);
    expect(await paymentsOf(runId)).toEqual([{ amount_cents: 25_500, status: "refunded" }]);
    expect(await stockOf("TEA-1")).toBe(500);
  });

  it("refunds when no review arrives within a day (the wait lives in the timer table)", async () => {
    const { location, runId } = await checkout(large("o-timeout"));
    await settled(location);
    // A day passes (the test runtime moves every stored time of the journal back); the timer cron wakes the run.
    await t.advanceTime(24 * 3_600_000 + 1_000);
    const run = await settled(location);
    expect(run.status, JSON.stringify(run)).toBe("failed");
    expect(run.error?.name).toBe("WorkflowTimeoutError");
    expect(await paymentsOf(runId)).toEqual([{ amount_cents: 25_500, status: "refunded" }]);
    expect(await stockOf("TEA-1")).toBe(500);
  });

  it("cancels a waiting checkout: undoes reserve and charge, newest first, and ends it cancelled", async () => {
    const { location, runId } = await checkout(large("o-cancel"));
    await settled(location);
    const cancel = await send("DELETE", location);
    expect(cancel.status, await cancel.clone().text()).toBe(202);
    const run = await settled(location);
    expect(run.status).toBe("cancelled");
    expect(run.steps.filter((s) => s.compensation).map((s) => s.name)).toEqual(["charge", "reserve"]);
    expect(await paymentsOf(runId)).toEqual([{ amount_cents: 25_500, status: "refunded" }]);
    expect(await stockOf("TEA-1")).toBe(500);
    expect((await send("DELETE", location)).status).toBe(409);
  });
});

describe("the inventory report (fan-out/fan-in)", () => {
  it("reports on 300 SKUs, one queue message each, and adds them up once all have finished", async () => {
    const skus = Array.from({ length: 300 }, (_, i) => `BULK-${String(i).padStart(3, "0")}`);
    await t.runtime.db.get(sql`SELECT 1`); // the first query applies the shop's migrations
    await t.db.batch(
      skus.map(
        (sku, i) =>
          sql`INSERT INTO products (sku, name, price_cents, stock) VALUES (${sku}, ${sku}, 100, ${i})`,
      ),
    );
    // Two checkouts hold stock, so the report has reservations to add up.
    await checkout({ orderId: "r-1", email: "a@example.com", items: [{ sku: "BULK-299", qty: 5 }] });
    await checkout({ orderId: "r-2", email: "b@example.com", items: [{ sku: "BULK-299", qty: 3 }] });
    await t.runWorkflows();

    const res = await send("POST", "/api/reports/inventory", { lowStockBelow: 10 });
    expect(res.status, await res.clone().text()).toBe(202);
    const location = res.headers.get("location") ?? "";
    expect(location).toMatch(/^\/api\/reports\/inventory\/.+/);
    const run = await settled(location);
    expect(run.status, JSON.stringify(run.error)).toBe("completed");

    const fanOut = run.steps.find((s) => s.name === "sku");
    expect(fanOut).toMatchObject({ kind: "map", status: "completed" });
    expect(fanOut?.children?.completed).toBe(304); // 300 + the 4 seeded products

    const report = run.output as unknown as InventoryReport;
    const expected = await t.db.get<{ stock: number }>(sql`SELECT sum(stock) AS stock FROM products`);
    expect(report.skus).toBe(304);
    expect(report.totals).toEqual({ stock: expected?.stock, unitsReserved: 8, reservedCents: 800 });
    // Stock below 10: BULK-000..BULK-009, and RARE-1 (1 left).
    expect(report.low).toEqual([...skus.slice(0, 10), "RARE-1"]);
    expect(report.lines.map((l) => l.sku)).toEqual([...skus, "MUG-1", "RARE-1", "TEA-1", "TEA-2"].sort());
    // The fan-in stored what it returned.
    expect(await t.runtime.kv.get("report:inventory", "json")).toEqual(report);
  });

  it("reports an unknown SKU instead of failing the run", async () => {
    const res = await send("POST", "/api/reports/inventory", { skus: ["TEA-1", "GONE-1"] });
    const run = await settled(res.headers.get("location") ?? "");
    expect(run.status).toBe("completed");
    expect(run.output).toMatchObject({ skus: 2, unknown: ["GONE-1"], totals: { stock: 500 } });
  });
});

describe("the workflow routes", () => {
  it("answers an unknown run with a 404 problem", async () => {
    for (const path of ["/api/checkouts/checkout-nope", "/api/reports/inventory/nope"]) {
      const res = await send("GET", path);
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
    expect((await send("DELETE", "/api/checkouts/checkout-nope")).status).toBe(404);
    expect(
      (await send("POST", "/api/checkouts/checkout-nope/review", { approved: true, by: "x" })).status,
    ).toBe(404);
  });

  it("validates a checkout before starting anything: 400 for malformed JSON, 422 naming each field", async () => {
    const malformed = await send("POST", "/api/checkouts", "{oops");
    expect(malformed.status).toBe(400);

    const invalid = await send("POST", "/api/checkouts", {
      orderId: "has spaces",
      email: "not-an-email",
      items: [{ sku: "tea", qty: 0 }],
    });
    expect(invalid.status).toBe(422);
    const problem = (await invalid.json()) as { errors: Array<{ path: string }> };
    expect(problem.errors.map((e) => e.path).sort()).toEqual([
      "email",
      "items.0.qty",
      "items.0.sku",
      "orderId",
    ]);

    const empty = await send("POST", "/api/checkouts", { orderId: "o-1", email: "a@example.com", items: [] });
    expect(empty.status).toBe(422);

    const review = await send("POST", "/api/checkouts/checkout-o-1/review", { approved: "yes" });
    expect(review.status).toBe(422);
    const report = await send("POST", "/api/reports/inventory", { skus: [] });
    expect(report.status).toBe(422);

    // Nothing was started.
    const runs = await t.db.all(sql`SELECT id FROM _skiff_workflow_runs`).catch(() => []);
    expect(runs).toEqual([]);
  });

  it("needs the API key to start, review or cancel", async () => {
    const body = { orderId: "o-auth", email: "a@example.com", items: [{ sku: "TEA-1", qty: 1 }] };
    expect((await send("POST", "/api/checkouts", body, { "x-api-key": "wrong" })).status).toBe(401);
    expect(
      (await send("DELETE", "/api/checkouts/checkout-o-auth", undefined, { "x-api-key": "" })).status,
    ).toBe(401);
    expect((await send("POST", "/api/reports/inventory", {}, { "x-api-key": "" })).status).toBe(401);
  });
});

import {
  NonRetryableError,
  sql,
  type Database,
  type KVStore,
  type StepAttempt,
  type WorkflowStart,
  type WorkflowStep,
} from "skiff";
import type { z } from "zod";
import { reserve, release, skuReport, type OrderLine, type SkuReport } from "./inventory.js";
import { charge, refund } from "./payments.js";
import type { CheckoutInput, InventoryReportInput, ReviewDecision } from "./schema.js";

/**
 * Checkouts above this total (in cents) wait for a person's review (`POST /api/checkouts/:id/review`) with the
 * card charged and the stock held; a rejection, a cancel or no answer within a day refunds and releases.
 *
 * @example
 * ```ts
 * const held = order.totalCents > REVIEW_ABOVE_CENTS;
 * ```
 */
export const REVIEW_ABOVE_CENTS = 20_000;

/**
 * What a confirmed checkout returns: the run's output.
 *
 * @example
 * ```ts
 * const done = (await c.var.workflows.checkout.get(id))?.output as CheckoutResult | undefined;
 * ```
 */
export interface CheckoutResult {
  readonly orderId: string;
  readonly status: "confirmed";
  readonly totalCents: number;
  readonly chargeId: string;
  readonly reservationId: string;
  readonly reviewedBy?: string;
}

/**
 * The seed's order pipeline as a saga: validate (price the lines), charge, reserve stock, wait for a review when
 * the total is large, confirm. Each step is journaled, so a crash or a redeploy resumes after the last finished
 * step; a step that fails for good runs the `undo` of the finished ones, newest first (release the stock, then
 * refund), and the run ends `failed`. Side effects run at least once, so each takes the step's idempotency key.
 *
 * @example
 * ```ts
 * app.workflow("checkout", (event, step, ctx) => checkout(event, step, ctx));
 * ```
 */
export async function checkout(
  event: WorkflowStart<z.output<typeof CheckoutInput>>,
  step: WorkflowStep,
  ctx: { db: Database },
): Promise<CheckoutResult> {
  const { db } = ctx;
  const order = await step.do("validate", () => priceOrder(db, event.payload.items));
  // `s: StepAttempt` is annotated so that TypeScript infers the result type from the function, which `undo` sees.
  const paid = await step.do(
    "charge",
    { retries: { limit: 3, backoff: "exponential" }, timeout: "30 seconds", undo: (c) => refund(db, c.id) },
    (s: StepAttempt) =>
      charge(db, {
        idempotencyKey: s.idempotencyKey,
        checkoutId: event.runId,
        amountCents: order.totalCents,
      }),
  );
  const held = await step.do("reserve", { undo: (r) => release(db, r.id) }, (s: StepAttempt) =>
    reserve(db, { reservationId: s.idempotencyKey, checkoutId: event.runId, lines: order.lines }),
  );
  let reviewedBy: string | undefined;
  if (order.totalCents > REVIEW_ABOVE_CENTS) {
    // Past 12 hours the wait is kept in the timer table, not in a queue delay; a timeout fails the run (saga).
    const review = await step.waitForEvent<z.output<typeof ReviewDecision>>("review", {
      type: "review",
      timeout: "24 hours",
    });
    // A step of its own, so that a rejection fails a step and the saga compensates.
    reviewedBy = await step.do("decide", () => {
      if (!review.payload.approved) throw new NonRetryableError(`rejected in review by ${review.payload.by}`);
      return review.payload.by;
    });
  }
  await step.do("confirm", async () => {
    await db.run(
      sql`INSERT INTO checkouts (id, email, total_cents, payment_id, reservation_id)
          VALUES (${event.payload.orderId}, ${event.payload.email}, ${order.totalCents}, ${paid.id}, ${held.id})
          ON CONFLICT (id) DO NOTHING`,
    );
    return { confirmed: true };
  });
  return {
    orderId: event.payload.orderId,
    status: "confirmed",
    totalCents: order.totalCents,
    chargeId: paid.id,
    reservationId: held.id,
    ...(reviewedBy === undefined ? {} : { reviewedBy }),
  };
}

/** The lines of an order, one per SKU, priced from the catalogue. An unknown SKU is final: retrying won't help. */
async function priceOrder(
  db: Database,
  items: readonly OrderLine[],
): Promise<{ lines: OrderLine[]; totalCents: number }> {
  const lines = new Map<string, number>();
  for (const { sku, qty } of items) lines.set(sku, (lines.get(sku) ?? 0) + qty);
  const prices = await db.all<{ sku: string; price_cents: number }>(
    sql`SELECT sku, price_cents FROM products WHERE sku IN (${sql.join([...lines.keys()])})`,
  );
  let totalCents = 0;
  for (const [sku, qty] of lines) {
    const price = prices.find((p) => p.sku === sku);
    if (!price) throw new NonRetryableError(`unknown SKU ${sku}`);
    totalCents += price.price_cents * qty;
  }
  return { lines: [...lines].map(([sku, qty]) => ({ sku, qty })), totalCents };
}

/**
 * The inventory report: the run's output and what `report:inventory` in KV holds.
 *
 * @example
 * ```ts
 * const report = run.output as InventoryReport;
 * console.log(report.low); // SKUs under the threshold
 * ```
 */
export interface InventoryReport {
  readonly generatedAt: string;
  readonly skus: number;
  readonly totals: { readonly stock: number; readonly unitsReserved: number; readonly reservedCents: number };
  readonly low: readonly string[];
  readonly unknown: readonly string[];
  readonly lines: readonly SkuReport[];
}

/**
 * Fan-out/fan-in: one queue message per SKU (`step.map`, at most 20 at once, so they spread over instances), then
 * one step that adds them up once all have finished and stores the report in KV.
 *
 * @example
 * ```ts
 * app.workflow("inventory-report", (event, step, ctx) => inventoryReport(event, step, ctx));
 * ```
 */
export async function inventoryReport(
  event: WorkflowStart<z.output<typeof InventoryReportInput>>,
  step: WorkflowStep,
  ctx: { db: Database; kv: KVStore },
): Promise<InventoryReport> {
  const { db, kv } = ctx;
  const { skus: given, lowStockBelow } = event.payload;
  const skus = await step.do(
    "list-skus",
    async () =>
      given ??
      (await db.all<{ sku: string }>(sql`SELECT sku FROM products ORDER BY sku LIMIT 1000`)).map(
        (r) => r.sku,
      ),
  );
  const lines = await step.map("sku", skus, (sku) => skuReport(db, sku, lowStockBelow), { concurrency: 20 });
  const known = lines.filter((l) => l.known);
  const report: InventoryReport = {
    // The run's start, not Date.now(): the handler's code must give the same values on every replay.
    generatedAt: event.startedAt.toISOString(),
    skus: lines.length,
    totals: {
      stock: known.reduce((n, l) => n + l.stock, 0),
      unitsReserved: known.reduce((n, l) => n + l.unitsReserved, 0),
      reservedCents: known.reduce((n, l) => n + l.reservedCents, 0),
    },
    low: known.filter((l) => l.low).map((l) => l.sku),
    unknown: lines.filter((l) => !l.known).map((l) => l.sku),
    lines,
  };
  await step.do("store", () => kv.put("report:inventory", JSON.stringify(report)));
  return report;
}

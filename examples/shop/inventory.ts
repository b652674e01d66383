import { NonRetryableError, sql, type Database } from "skiff";

/**
 * One line of an order: a SKU and how many.
 *
 * @example
 * ```ts
 * const line: OrderLine = { sku: "TEA-1", qty: 2 };
 * ```
 */
export interface OrderLine {
  readonly sku: string;
  readonly qty: number;
}

/**
 * Stock held for one checkout, until it is confirmed or released.
 *
 * @example
 * ```ts
 * const held: Reservation = await reserve(db, { reservationId: s.idempotencyKey, checkoutId, lines });
 * ```
 */
export interface Reservation {
  readonly id: string;
  readonly lines: readonly OrderLine[];
}

/**
 * Takes every line's quantity out of stock, all or nothing, once per `reservationId`: a retried or replayed step
 * that passes the same id finds its reservation and takes nothing more. A line with too little stock fails with a
 * {@link NonRetryableError} naming it (waiting would not bring stock back), which starts the checkout's saga.
 *
 * @example
 * ```ts
 * await step.do("reserve", { undo: (r) => release(ctx.db, r.id) }, (s) =>
 *   reserve(ctx.db, { reservationId: s.idempotencyKey, checkoutId: event.runId, lines: order.lines }),
 * );
 * ```
 */
export async function reserve(
  db: Database,
  request: { reservationId: string; checkoutId: string; lines: readonly OrderLine[] },
): Promise<Reservation> {
  const { reservationId, checkoutId, lines } = request;
  const reservation = { id: reservationId, lines };
  if (await db.get(sql`SELECT id FROM reservations WHERE id = ${reservationId}`)) return reservation;
  // Checked first only to say which line is short; the CHECK (stock >= 0) in the batch below is what decides.
  const stock = await db.all<{ sku: string; stock: number }>(
    sql`SELECT sku, stock FROM products WHERE sku IN (${sql.join(lines.map((l) => l.sku))})`,
  );
  for (const line of lines) {
    const left = stock.find((s) => s.sku === line.sku)?.stock ?? 0;
    if (left < line.qty)
      throw new NonRetryableError(`not enough stock for ${line.sku}: ${line.qty} wanted, ${left} left`);
  }
  try {
    // One batch is one transaction: the reservation row, its lines and every decrement commit together or not at all.
    await db.batch([
      sql`INSERT INTO reservations (id, checkout_id, status) VALUES (${reservationId}, ${checkoutId}, 'held')`,
      ...lines.flatMap((l) => [
        sql`INSERT INTO reservation_items (reservation_id, sku, qty) VALUES (${reservationId}, ${l.sku}, ${l.qty})`,
        sql`UPDATE products SET stock = stock - ${l.qty} WHERE sku = ${l.sku}`,
      ]),
    ]);
  } catch (error) {
    const message = String(error);
    // Another attempt of this step got there first (at-least-once delivery): its reservation is this one.
    if (message.includes("UNIQUE") && message.includes("reservations.id")) return reservation;
    if (message.includes("CHECK"))
      throw new NonRetryableError("not enough stock: a concurrent checkout took it", { cause: error });
    throw error;
  }
  return reservation;
}

/**
 * Puts a reservation's stock back. Releasing a released reservation changes nothing (the undo of a saga may run
 * again after a crash), and the stock comes back in the same transaction that marks it released.
 *
 * @example
 * ```ts
 * const { released } = await release(db, reservation.id); // false when it was already released
 * ```
 */
export async function release(db: Database, reservationId: string): Promise<{ released: boolean }> {
  const [, mark] = await db.batch([
    sql`UPDATE products SET stock = stock + (
          SELECT qty FROM reservation_items WHERE reservation_id = ${reservationId} AND sku = products.sku)
        WHERE sku IN (SELECT sku FROM reservation_items WHERE reservation_id = ${reservationId})
          AND EXISTS (SELECT 1 FROM reservations WHERE id = ${reservationId} AND status = 'held')`,
    sql`UPDATE reservations SET status = 'released' WHERE id = ${reservationId} AND status = 'held'`,
  ]);
  return { released: (mark?.rowsAffected ?? 0) > 0 };
}

/**
 * One SKU's line in the inventory report: what is in stock, and what checkouts took out of it and its value (the
 * reservations still held: confirmed checkouts and those awaiting review; released ones gave their stock back).
 *
 * @example
 * ```ts
 * const line: SkuReport = await skuReport(db, "TEA-1", 10);
 * ```
 */
export interface SkuReport {
  readonly sku: string;
  readonly known: boolean;
  readonly stock: number;
  readonly unitsReserved: number;
  readonly reservedCents: number;
  readonly low: boolean;
}

/**
 * Reports on one SKU (one fan-out child of the inventory report). An unknown SKU is reported, not thrown: one bad
 * SKU in a list of a thousand should not fail the report.
 *
 * @example
 * ```ts
 * const lines = await step.map("sku", skus, (sku) => skuReport(ctx.db, sku, 10), { concurrency: 20 });
 * ```
 */
export async function skuReport(db: Database, sku: string, lowStockBelow: number): Promise<SkuReport> {
  const row = await db.get<{ stock: number; units: number; cents: number }>(
    sql`SELECT p.stock AS stock, coalesce(sum(ri.qty), 0) AS units, coalesce(sum(ri.qty), 0) * p.price_cents AS cents
        FROM products p
        LEFT JOIN reservation_items ri ON ri.sku = p.sku
          AND ri.reservation_id IN (SELECT id FROM reservations WHERE status = 'held')
        WHERE p.sku = ${sku}
        GROUP BY p.sku`,
  );
  if (!row) return { sku, known: false, stock: 0, unitsReserved: 0, reservedCents: 0, low: false };
  return {
    sku,
    known: true,
    stock: row.stock,
    unitsReserved: row.units,
    reservedCents: row.cents,
    low: row.stock < lowStockBelow,
  };
}

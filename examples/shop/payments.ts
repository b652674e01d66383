import { sql, type Database, type SqlQuery } from "skiff";

/**
 * A charge of the shop's simulated payment provider. The provider is a table in the shop's own database, so the
 * example needs no account, but it behaves like a real one where it matters: one charge per idempotency key, and a
 * refund that can be asked for any number of times.
 *
 * @example
 * ```ts
 * const paid: Charge = await charge(db, { idempotencyKey: s.idempotencyKey, checkoutId, amountCents: 1700 });
 * ```
 */
export interface Charge {
  readonly id: string;
  readonly amountCents: number;
  readonly status: "charged" | "refunded";
}

/**
 * Charges `amountCents` once per idempotency key: a retried or replayed step that passes the same key gets the
 * first charge back instead of a second one, as with a real provider's `Idempotency-Key`.
 *
 * @example
 * ```ts
 * await step.do("charge", { undo: (c) => refund(ctx.db, c.id) }, (s) =>
 *   charge(ctx.db, { idempotencyKey: s.idempotencyKey, checkoutId: event.runId, amountCents: order.totalCents }),
 * );
 * ```
 */
export async function charge(
  db: Database,
  request: { idempotencyKey: string; checkoutId: string; amountCents: number },
): Promise<Charge> {
  const { idempotencyKey, checkoutId, amountCents } = request;
  await db.run(
    sql`INSERT INTO payments (id, idempotency_key, checkout_id, amount_cents, status)
        VALUES (${`pay_${crypto.randomUUID()}`}, ${idempotencyKey}, ${checkoutId}, ${amountCents}, 'charged')
        ON CONFLICT (idempotency_key) DO NOTHING`,
  );
  return chargeBy(db, sql`idempotency_key = ${idempotencyKey}`);
}

/**
 * Refunds a charge. Refunding a refunded charge changes nothing, so an undo that runs again after a crash is safe.
 *
 * @example
 * ```ts
 * const refunded = await refund(db, "pay_0b6c…"); // { id, amountCents, status: "refunded" }
 * ```
 */
export async function refund(db: Database, chargeId: string): Promise<Charge> {
  await db.run(
    sql`UPDATE payments SET status = 'refunded', refunded_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
        WHERE id = ${chargeId} AND status = 'charged'`,
  );
  return chargeBy(db, sql`id = ${chargeId}`);
}

async function chargeBy(db: Database, where: SqlQuery): Promise<Charge> {
  const row = await db.get<{ id: string; amountCents: number; status: Charge["status"] }>(
    sql`SELECT id, amount_cents AS amountCents, status FROM payments WHERE ${where}`,
  );
  if (!row)
    throw new Error("[skiff shop] payment vanished: the payments table was changed behind the provider");
  return { id: row.id, amountCents: row.amountCents, status: row.status };
}

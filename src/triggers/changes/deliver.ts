// Runs the handlers of outbox rows in order per (handler, table, row key): a row is claimed only when no earlier row
// of its key is left, and whoever settles a row goes on with the next row of the same key, so a change never runs
// before the previous change of its row succeeded or was dead-lettered.
import type { Database } from "../../bindings/db/database.js";
import { sql } from "../../bindings/db/sql.js";
import { SkiffError } from "../../errors.js";
import type { TriggerContext } from "../../types.js";
import { CHANGE_TIMINGS } from "./schema.js";
import type { ChangeEvent, ChangeKey, ChangeOperation, ChangeSubscription } from "./types.js";

type OutboxRow = {
  id: number;
  sub: string;
  tbl: string;
  op: string;
  row_key: string;
  old_row: string | null;
  new_row: string | null;
  at: number;
  attempts: number;
};

/** @internal What is left to do after a message: nothing, or a retry of one row after a delay. */
export type DeliverResult = { retry: number; delaySeconds: number } | undefined;

async function claim(db: Database, id: number, lease: string): Promise<OutboxRow | undefined> {
  const now = Date.now();
  return db.get<OutboxRow>(sql`
    UPDATE _skiff_changes
    SET attempts = attempts + 1, lease = ${lease}, lease_until = ${now + CHANGE_TIMINGS.leaseMs},
        sent_at = coalesce(sent_at, ${now})
    WHERE id = ${id} AND (lease_until IS NULL OR lease_until <= ${now})
      AND NOT EXISTS (SELECT 1 FROM _skiff_changes AS p
                      WHERE p.sub = _skiff_changes.sub AND p.tbl = _skiff_changes.tbl
                        AND p.row_key = _skiff_changes.row_key AND p.id < _skiff_changes.id)
    RETURNING id, sub, tbl, op, row_key, old_row, new_row, at, attempts`);
}

/** @internal The event a handler receives for an outbox row. */
export function toEvent(row: OutboxRow): ChangeEvent {
  const key = JSON.parse(row.row_key) as (string | number | null)[];
  return {
    table: row.tbl,
    operation: row.op as ChangeOperation,
    key: (key.length === 1 ? key[0] : key) as ChangeKey,
    row: row.new_row === null ? null : (JSON.parse(row.new_row) as Record<string, unknown>),
    old: row.old_row === null ? null : (JSON.parse(row.old_row) as Record<string, unknown>),
    changeId: Number(row.id),
    time: new Date(Number(row.at)),
  };
}

/**
 * Deletes a settled row if this lease still holds it and returns the next row of its key, in one round trip;
 * `undefined` when there is none, or when another consumer took the row over (it goes on from there).
 */
async function settle(db: Database, row: OutboxRow, lease: string): Promise<number | undefined> {
  const [deleted, next] = await db.batch<{ id: number }>([
    sql`DELETE FROM _skiff_changes WHERE id = ${row.id} AND lease = ${lease}`,
    sql`SELECT id FROM _skiff_changes
        WHERE sub = ${row.sub} AND tbl = ${row.tbl} AND row_key = ${row.row_key} AND id > ${row.id}
        ORDER BY id LIMIT 1`,
  ]);
  const id = next?.rows[0]?.id;
  return deleted?.rowsAffected && id !== undefined ? Number(id) : undefined;
}

/** Makes a failed row wait `delaySeconds` for its retry message (the cron re-sends it if that message is lost). */
async function release(db: Database, id: number, lease: string, delaySeconds: number): Promise<void> {
  await db.run(sql`UPDATE _skiff_changes SET lease = NULL, lease_until = NULL, sent_at = ${Date.now() + delaySeconds * 1000}
                   WHERE id = ${id} AND lease = ${lease}`);
}

/**
 * @internal Handles row `id`, then the later rows of its key, within a time budget. Returns the row to retry when a
 * handler failed and has retries left (or its dead-letter send failed), or `undefined` when nothing is left for this
 * message: done, not claimable (another consumer holds it, or an earlier change of its row is pending and its
 * consumer will go on with this one), or handed to a new message when the budget ran out.
 */
export async function deliverChanges(
  id: number,
  ctx: TriggerContext,
  subscriptions: readonly ChangeSubscription[],
  handOver: (id: number) => Promise<void>,
): Promise<DeliverResult> {
  const started = Date.now();
  const lease = crypto.randomUUID();
  for (let current: number | undefined = id; current !== undefined;) {
    if (Date.now() - started > CHANGE_TIMINGS.chainBudgetMs) {
      await handOver(current);
      return undefined;
    }
    const row = await claim(ctx.db, current, lease);
    if (!row) return undefined;
    const sub = subscriptions.find((s) => s.name === row.sub);
    const log = ctx.log.child({
      trigger: "change",
      handler: row.sub,
      changeId: row.id,
      attempts: row.attempts,
    });
    if (!sub) {
      log.error("change dropped: no app.onChange handler has this name any more (renamed or removed?)");
    } else {
      try {
        await sub.handler(toEvent(row), { ...ctx, log });
        log.info("change", { outcome: "acked", table: row.tbl, operation: row.op });
      } catch (error) {
        if (row.attempts <= sub.maxRetries) {
          log.warn("change", { outcome: "retried", error });
          await release(ctx.db, row.id, lease, sub.retryDelaySeconds);
          return { retry: row.id, delaySeconds: sub.retryDelaySeconds };
        }
        if (!(await deadLetter(sub, row, ctx, log, error))) {
          await release(ctx.db, row.id, lease, sub.retryDelaySeconds);
          return { retry: row.id, delaySeconds: sub.retryDelaySeconds };
        }
      }
    }
    current = await settle(ctx.db, row, lease);
  }
  return undefined;
}

async function deadLetter(
  sub: ChangeSubscription,
  row: OutboxRow,
  ctx: TriggerContext,
  log: TriggerContext["log"],
  error: unknown,
): Promise<boolean> {
  const reason = `failed ${row.attempts} times (maxRetries ${sub.maxRetries})`;
  if (!sub.deadLetter) {
    log.error("change dropped: no deadLetter queue is configured", { outcome: "dropped", reason, error });
    return true;
  }
  try {
    const event = toEvent(row);
    const producer = ctx.queues[sub.deadLetter];
    if (!producer) throw new SkiffError(`the dead-letter queue "${sub.deadLetter}" is not declared`);
    await producer.send({ ...event, time: event.time.toISOString() });
    log.error("change", { outcome: "dead-lettered", deadLetter: sub.deadLetter, reason, error });
    return true;
  } catch (sendError) {
    // Never lose a change: if the dead-letter queue cannot take it, it stays in the outbox and is retried.
    log.error("dead-letter send failed; the change will be retried", {
      deadLetter: sub.deadLetter,
      error: sendError,
    });
    return false;
  }
}

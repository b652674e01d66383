// Moves outbox rows to the internal queue. Rows are claimed (sent_at set) in one statement before the send, so two
// relays never send the same row; a failed send un-claims them, and a crash between claim and send is repaired by
// the cron, which re-sends every row whose message is overdue (`resendStale`).
import type { Database } from "../../bindings/db/database.js";
import { sql } from "../../bindings/db/sql.js";
import type { QueueProducer } from "../../bindings/queues/types.js";
import { CHANGE_TIMINGS, type ChangeMessage } from "./schema.js";

/** @internal Where relayed ids go: the internal queue's producer. */
export type ChangeSender = Pick<QueueProducer<ChangeMessage>, "sendBatch">;

const MAX_ROUNDS = 50;

async function sendClaimed(db: Database, queue: ChangeSender, ids: number[]): Promise<void> {
  try {
    await queue.sendBatch(ids.map((id) => ({ body: { id } })));
  } catch (error) {
    // Un-claim so the next relay tries again at once rather than after the stale delay.
    await db
      .run(sql`UPDATE _skiff_changes SET sent_at = NULL WHERE id IN (${sql.join(ids)}) AND lease IS NULL`)
      .catch(() => undefined);
    throw error;
  }
}

async function rounds(db: Database, queue: ChangeSender, claim: () => Promise<number[]>): Promise<number> {
  let total = 0;
  const started = Date.now();
  for (let round = 0; round < MAX_ROUNDS && Date.now() - started < CHANGE_TIMINGS.chainBudgetMs; round++) {
    const ids = await claim();
    if (ids.length === 0) break;
    await sendClaimed(
      db,
      queue,
      ids.sort((a, b) => a - b),
    );
    total += ids.length;
    if (ids.length < CHANGE_TIMINGS.relayBatch) break;
  }
  return total;
}

/**
 * @internal Sends the ids of rows never relayed, oldest first, 100 per send, within a time budget (what is left
 * waits for the next relay). Returns how many it sent. One indexed statement when there is nothing to send.
 */
export function relayChanges(db: Database, queue: ChangeSender): Promise<number> {
  return rounds(db, queue, async () => {
    const rows = await db.all<{ id: number }>(sql`
      UPDATE _skiff_changes SET sent_at = ${Date.now()}
      WHERE id IN (SELECT id FROM _skiff_changes WHERE sent_at IS NULL ORDER BY id LIMIT ${CHANGE_TIMINGS.relayBatch})
      RETURNING id`);
    return rows.map((r) => Number(r.id));
  });
}

/**
 * @internal Sends again the rows whose message is overdue by `staleMs` and that no consumer holds: a relay that
 * crashed after its claim, a message the platform dropped, a consumer that died. Only the oldest pending row of each
 * key is sent (the others wait for it).
 */
export function resendStale(
  db: Database,
  queue: ChangeSender,
  staleMs: number = CHANGE_TIMINGS.staleMs,
): Promise<number> {
  return rounds(db, queue, async () => {
    const now = Date.now();
    const rows = await db.all<{ id: number }>(sql`
      UPDATE _skiff_changes SET sent_at = ${now}
      WHERE id IN (
        SELECT c.id FROM _skiff_changes AS c
        WHERE c.sent_at <= ${now - staleMs} AND (c.lease_until IS NULL OR c.lease_until <= ${now})
          AND NOT EXISTS (SELECT 1 FROM _skiff_changes AS p
                          WHERE p.sub = c.sub AND p.tbl = c.tbl AND p.row_key = c.row_key AND p.id < c.id)
        ORDER BY c.id LIMIT ${CHANGE_TIMINGS.relayBatch})
      RETURNING id`);
    return rows.map((r) => Number(r.id));
  });
}

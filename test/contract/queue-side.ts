import { sql } from "skiff";
import { type Database, LibsqlQueueStore } from "skiff/adapter";
import type { DeliveredMessage, Settlement } from "./driver.js";

/**
 * The libSQL queue as another process sees it, independent of the handlers under test: how the contract drivers of
 * platforms that drain the queue on request (Vercel, Netlify) put messages on it and read what became of them.
 *
 * @example
 * ```ts
 * const side = queueSide(db);
 * await side.enqueue("orders", messages);
 * await drainOverHttp("orders");
 * const settled = await side.settlements("orders", messages); // { m1: "ack", m2: "retry" }
 * ```
 */
export function queueSide(db: Database) {
  const store = new LibsqlQueueStore(db);
  return {
    store,
    /** Puts messages on the queue as if delivered `attempts - 1` times before, like test/contract/node-driver.ts. */
    async enqueue(queue: string, messages: DeliveredMessage[]): Promise<void> {
      const now = Date.now();
      await store.stats(queue); // creates the table
      await db.batch(
        messages.map(
          (m) => sql`INSERT INTO _skiff_queue (id, queue, body, attempts, visible_at, enqueued_at)
                     VALUES (${m.id}, ${queue}, ${JSON.stringify(m.body)}, ${m.attempts - 1}, ${now - 1}, ${now})`,
        ),
      );
    },
    /** Settlement of each message by what is left on the queue, then empties it for the next case. */
    async settlements(queue: string, messages: DeliveredMessage[]): Promise<Record<string, Settlement>> {
      const left = new Set((await store.peek(queue, 1000)).map((m) => m.id));
      await db.run(sql`DELETE FROM _skiff_queue WHERE queue = ${queue}`);
      return Object.fromEntries(messages.map((m) => [m.id, left.has(m.id) ? "retry" : "ack"]));
    },
    sent: async (queue: string) => (await store.peek(queue, 1000)).map((m) => m.body),
  };
}

import type { Database } from "../../db/database.js";
import { ensureSchema } from "../../db/ensure-schema.js";
import { sql } from "../../db/sql.js";
import type { OutgoingMessage, QueueTransport } from "../types.js";

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS _skiff_queue (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    queue TEXT NOT NULL,
    body TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    visible_at INTEGER NOT NULL,
    enqueued_at INTEGER NOT NULL,
    lease TEXT
  )`,
  `CREATE INDEX IF NOT EXISTS _skiff_queue_ready ON _skiff_queue (queue, visible_at, seq)`,
];

/**
 * A message leased to a consumer. `attempts` counts this delivery. {@link LibsqlQueueStore.receive} returns them
 * with the body parsed from JSON but not yet validated against the queue's schema.
 *
 * @example
 * ```ts
 * const { lease, messages } = await store.receive("orders", { max: 10, visibilitySeconds: 30 });
 * const first: LeasedMessage | undefined = messages[0]; // { id, body, attempts: 1, timestamp }
 * ```
 */
export interface LeasedMessage {
  id: string;
  body: unknown;
  attempts: number;
  timestamp: Date;
}

/**
 * How to settle one leased message: `ack` deletes it, `retry` makes it visible again after `delaySeconds`. Passed
 * to {@link LibsqlQueueStore.settle} together with the lease the message came from.
 *
 * @example
 * ```ts
 * const settlements: Settle[] = [{ id: a.id, action: "ack" }, { id: b.id, action: "retry", delaySeconds: 60 }];
 * await store.settle(lease, settlements);
 * ```
 */
export type Settle = { id: string; action: "ack" } | { id: string; action: "retry"; delaySeconds: number };

/**
 * Counts of one queue, for `skiff dev`, health checks and tests: `ready` messages can be delivered now, `delayed`
 * ones wait for a send or retry delay, and `inFlight` ones are leased to a consumer.
 *
 * @example
 * ```ts
 * const { ready, delayed, inFlight }: QueueStats = await store.stats("orders");
 * ```
 */
export interface QueueStats {
  ready: number;
  delayed: number;
  inFlight: number;
}

/**
 * A durable queue in a libSQL table: what `serve()` and Vercel use, so local development needs no queue service.
 * A message is stored before `send` resolves, survives restarts, and is leased to one consumer at a time
 * (visibility timeout): a lease that is never settled, because the process crashed, expires and the message is
 * delivered again with `attempts` incremented. Delivery is at least once, as on every platform.
 *
 * @example
 * ```ts
 * const store = new LibsqlQueueStore(db);
 * await store.transport("orders").send([{ body: { orderId: "o1" } }]);
 * const { lease, messages } = await store.receive("orders", { max: 10, visibilitySeconds: 30 });
 * await store.settle(lease, messages.map((m) => ({ id: m.id, action: "ack" })));
 * ```
 */
export class LibsqlQueueStore {
  readonly #db: Database;
  readonly #now: () => number;
  readonly #listeners = new Set<(queue: string) => void>();
  // Leases this instance took and has not settled, so a shutdown that cannot wait for a handler can release them
  // (releaseLeases). In memory only: after a crash, visibility timeouts do the same job.
  readonly #held = new Map<string, { expiresAt: number; unsettled: number }>();

  constructor(db: Database, options: { now?: () => number } = {}) {
    this.#db = db;
    this.#now = options.now ?? Date.now;
  }

  #init(): Promise<void> {
    return ensureSchema(this.#db, "queue", SCHEMA);
  }

  /** Calls `listener` after each send in this process, so a local consumer can wake up at once. */
  onSend(listener: (queue: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The transport producers and dead-letter sends use for `queue`. */
  transport(queue: string): QueueTransport {
    return { send: (messages) => this.send(queue, messages) };
  }

  /** Stores messages atomically (all or none). */
  async send(queue: string, messages: readonly OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await this.#init();
    const now = this.#now();
    // Multi-row INSERTs, not one per message: each statement is prepared and stepped on its own, which was most of
    // the enqueue time. SQLite inserts VALUES rows in order, so `seq` (delivery order) follows `messages`.
    await this.#db.batch(
      chunks(messages, ROWS_PER_INSERT).map(
        (part) =>
          sql`INSERT INTO _skiff_queue (id, queue, body, visible_at, enqueued_at) VALUES ${sql.join(
            part.map(
              (m) =>
                sql`(${crypto.randomUUID()}, ${queue}, ${JSON.stringify(m.body)}, ${now + (m.delaySeconds ?? 0) * 1000}, ${now})`,
            ),
          )}`,
      ),
    );
    for (const listener of this.#listeners) listener(queue);
  }

  /**
   * Leases up to `max` visible messages, oldest first, in one atomic statement, so two consumers never receive
   * the same message at once.
   */
  async receive(
    queue: string,
    options: { max: number; visibilitySeconds: number },
  ): Promise<{ lease: string; messages: LeasedMessage[] }> {
    await this.#init();
    const lease = crypto.randomUUID();
    const now = this.#now();
    const rows = await this.#db.all<{
      id: string;
      body: string;
      attempts: number;
      enqueued_at: number;
      seq: number;
    }>(sql`
      UPDATE _skiff_queue SET attempts = attempts + 1, visible_at = ${now + options.visibilitySeconds * 1000}, lease = ${lease}
      WHERE seq IN (SELECT seq FROM _skiff_queue WHERE queue = ${queue} AND visible_at <= ${now} ORDER BY visible_at, seq LIMIT ${options.max})
      RETURNING id, body, attempts, enqueued_at, seq`);
    rows.sort((a, b) => a.seq - b.seq);
    if (rows.length > 0) {
      for (const [held, { expiresAt }] of this.#held) if (expiresAt <= now) this.#held.delete(held);
      this.#held.set(lease, { expiresAt: now + options.visibilitySeconds * 1000, unsettled: rows.length });
    }
    return {
      lease,
      messages: rows.map((r) => ({
        id: r.id,
        body: parseBody(r.body),
        attempts: r.attempts,
        timestamp: new Date(r.enqueued_at),
      })),
    };
  }

  /**
   * Settles leased messages in one atomic batch: acked ones are deleted, retried ones become visible after their
   * delay. A settle whose lease has expired (and the message was leased again) changes nothing.
   */
  async settle(lease: string, settlements: readonly Settle[]): Promise<void> {
    if (settlements.length === 0) return;
    const now = this.#now();
    // One DELETE for the acks and one UPDATE per retry delay, each over an id list, instead of a statement per
    // message (preparing and stepping those was most of the delivery time); still one atomic batch.
    const acks: string[] = [];
    const retries = new Map<number, string[]>();
    for (const s of settlements) {
      if (s.action === "ack") acks.push(s.id);
      else {
        const ids = retries.get(s.delaySeconds);
        if (ids) ids.push(s.id);
        else retries.set(s.delaySeconds, [s.id]);
      }
    }
    const statements = chunks(acks, IDS_PER_STATEMENT).map(
      (ids) => sql`DELETE FROM _skiff_queue WHERE lease = ${lease} AND id IN (${sql.join(ids)})`,
    );
    for (const [delaySeconds, all] of retries)
      for (const ids of chunks(all, IDS_PER_STATEMENT))
        statements.push(
          sql`UPDATE _skiff_queue SET visible_at = ${now + delaySeconds * 1000}, lease = NULL WHERE lease = ${lease} AND id IN (${sql.join(ids)})`,
        );
    await this.#db.batch(statements);
    const held = this.#held.get(lease);
    if (held && (held.unsettled -= settlements.length) <= 0) this.#held.delete(lease);
  }

  /**
   * Releases every lease this store took and has not settled: the messages become visible at once (lease cleared),
   * so the next consumer, in this process or the next one, receives them without waiting for their visibility
   * timeout. The interrupted delivery still counts in `attempts`, so a message whose handler always hangs reaches
   * `maxRetries` and its dead-letter queue like one that always throws. A late `settle()` of a released lease
   * changes nothing. Returns how many messages were released. `serve()` calls it when shutdown outlasts its grace.
   */
  async releaseLeases(): Promise<number> {
    const leases = [...this.#held.keys()];
    this.#held.clear();
    if (leases.length === 0) return 0;
    const result = await this.#db.run(
      sql`UPDATE _skiff_queue SET lease = NULL, visible_at = ${this.#now()} WHERE lease IN (${sql.join(leases)})`,
    );
    return result.rowsAffected;
  }

  /** Counts of ready, delayed and in-flight messages. */
  async stats(queue: string): Promise<QueueStats> {
    await this.#init();
    const row = await this.#db.get<{ ready: number; delayed: number; inFlight: number }>(sql`
      SELECT
        coalesce(sum(CASE WHEN visible_at <= ${this.#now()} THEN 1 ELSE 0 END), 0) AS ready,
        coalesce(sum(CASE WHEN visible_at > ${this.#now()} AND lease IS NULL THEN 1 ELSE 0 END), 0) AS delayed,
        coalesce(sum(CASE WHEN visible_at > ${this.#now()} AND lease IS NOT NULL THEN 1 ELSE 0 END), 0) AS inFlight
      FROM _skiff_queue WHERE queue = ${queue}`);
    return {
      ready: Number(row?.ready ?? 0),
      delayed: Number(row?.delayed ?? 0),
      inFlight: Number(row?.inFlight ?? 0),
    };
  }

  /** Bodies waiting on a queue, oldest first (for dead-letter inspection and tests). */
  async peek(queue: string, limit = 100): Promise<Array<{ id: string; body: unknown; attempts: number }>> {
    await this.#init();
    const rows = await this.#db.all<{ id: string; body: string; attempts: number }>(
      sql`SELECT id, body, attempts FROM _skiff_queue WHERE queue = ${queue} ORDER BY seq LIMIT ${limit}`,
    );
    return rows.map((r) => ({ id: r.id, body: parseBody(r.body), attempts: r.attempts }));
  }
}

// Bound parameters per statement stay far below SQLite's limit (999 before 3.32): 5 per inserted row, 1 per id.
const ROWS_PER_INSERT = 100;
const IDS_PER_STATEMENT = 500;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

// Bodies are stored as JSON by send(); a row written by hand that is not JSON is delivered as text, to fail its
// schema and be dead-lettered rather than crash the consumer.
function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

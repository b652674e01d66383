// The outbox of database change triggers, in the app's own libSQL database. SQL triggers insert one row per change
// and handler in the same transaction as the change; the relay sends each row's id on the internal queue; the
// consumer deletes the row once its handler succeeded or it was dead-lettered. A row that exists is pending.
import type { StandardSchemaV1 } from "@standard-schema/spec";

/** @internal The internal queue that carries outbox row ids (never row contents) to the consumer. */
export const CHANGE_QUEUE = "skiff-changes";

/** @internal The backstop cron: relays what no request relayed (a crash, a write outside a request), re-sends lost messages. */
export const CHANGE_RELAY_CRON = "* * * * *";

/** @internal Prefix of the names of the SQL triggers skiff owns. */
export const TRIGGER_PREFIX = "_skiff_change_";

/** @internal Timings of delivery. */
export const CHANGE_TIMINGS = {
  /** How long a consumer holds a row while its handler runs; another consumer may take it after that. */
  leaseMs: 5 * 60_000,
  /** A relayed row whose message has not led to an attempt by then is sent again by the cron. */
  staleMs: 2 * 60_000,
  /** Rows one message handles in a row (later changes of the same key) before handing over to a new message. */
  chainBudgetMs: 10_000,
  /** Rows claimed by one relay statement (one queue sendBatch). */
  relayBatch: 100,
} as const;

/** @internal Statements that create the outbox; each is idempotent. */
export const CHANGE_SCHEMA: readonly string[] = [
  // sent_at: NULL until relayed, then the time the latest message for the row is due (a retry's delay included).
  // lease/lease_until: the consumer running the row's handler. attempts: handler runs so far.
  `CREATE TABLE IF NOT EXISTS _skiff_changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sub TEXT NOT NULL,
    tbl TEXT NOT NULL,
    op TEXT NOT NULL,
    row_key TEXT NOT NULL,
    old_row TEXT,
    new_row TEXT,
    at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    sent_at INTEGER,
    lease TEXT,
    lease_until INTEGER
  )`,
  `CREATE INDEX IF NOT EXISTS _skiff_changes_unsent ON _skiff_changes (id) WHERE sent_at IS NULL`,
  `CREATE INDEX IF NOT EXISTS _skiff_changes_key ON _skiff_changes (sub, tbl, row_key, id)`,
];

/** @internal A message of the internal queue: the id of one outbox row. */
export interface ChangeMessage {
  readonly id: number;
}

/** @internal The Standard Schema of {@link ChangeMessage}, declared as the internal queue's schema. */
export const CHANGE_MESSAGE_SCHEMA: StandardSchemaV1<ChangeMessage, ChangeMessage> = {
  "~standard": {
    version: 1,
    vendor: "skiff",
    validate(value) {
      const id = (value as { id?: unknown } | null)?.id;
      return Number.isSafeInteger(id) && (id as number) > 0
        ? { value: { id: id as number } }
        : {
            issues: [{ message: "a change message is { id } with the positive integer id of an outbox row" }],
          };
    },
  },
};

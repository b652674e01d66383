import type { Database } from "./database.js";

const created = new WeakMap<Database, Map<string, Promise<void>>>();

/**
 * Creates a feature's tables on first use, once per database per isolate or process (never at import time), in one
 * atomic batch. Concurrent first uses share the one attempt; a failed attempt is forgotten so the next use retries.
 * The statements must be idempotent (`CREATE ... IF NOT EXISTS`). Used by KV, the local queue, rate limits and
 * idempotency, and available to any extension that owns a table.
 *
 * @example
 * ```ts
 * await ensureSchema(db, "audit", ["CREATE TABLE IF NOT EXISTS audit (at INTEGER, what TEXT)"]);
 * ```
 */
export function ensureSchema(db: Database, feature: string, statements: readonly string[]): Promise<void> {
  let byFeature = created.get(db);
  if (!byFeature) created.set(db, (byFeature = new Map()));
  let done = byFeature.get(feature);
  if (!done) {
    const map = byFeature;
    done = db.client.batch([...statements], "write").then(
      () => undefined,
      (error: unknown) => {
        map.delete(feature);
        throw error;
      },
    );
    map.set(feature, done);
  }
  return done;
}

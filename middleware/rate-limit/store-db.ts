import type { Database } from "../../src/bindings/db/database.js";
import { ensureSchema } from "../../src/bindings/db/ensure-schema.js";
import { sql } from "../../src/bindings/db/sql.js";
import type { WindowPosition } from "./window.js";

/** @internal Counts after one request, as every backend reports them. */
export interface WindowCount {
  allowed: boolean;
  previous: number;
  current: number;
}

// Created on first use, once per Database (isolate or process); never at import time.
function init(db: Database): Promise<void> {
  return ensureSchema(db, "rate-limit", [
    `CREATE TABLE IF NOT EXISTS _skiff_rate_limit (
          key TEXT PRIMARY KEY,
          win INTEGER NOT NULL,
          count INTEGER NOT NULL,
          prev INTEGER NOT NULL,
          allowed INTEGER NOT NULL,
          expires_at INTEGER NOT NULL
        ) WITHOUT ROWID`,
    `CREATE INDEX IF NOT EXISTS _skiff_rate_limit_expires ON _skiff_rate_limit (expires_at)`,
  ]);
}

/**
 * @internal Counts one request for `key` in one statement, so the check and the increment are atomic whatever the
 * concurrency: SQLite (and libSQL's server) runs each statement alone, and every `SET` expression of an upsert reads
 * the row as it was before the statement. A rejected request is not counted, so a client hammering a limit is not
 * locked out for longer than the window says. The previous window's count is kept in the same row for the sliding
 * window.
 */
export async function countInDatabase(
  db: Database,
  key: string,
  limit: number,
  pos: WindowPosition,
  expiresAt: number,
): Promise<WindowCount> {
  await init(db);
  const previous = sql`(CASE WHEN win = excluded.win THEN prev WHEN win = excluded.win - 1 THEN count ELSE 0 END)`;
  const current = sql`(CASE WHEN win = excluded.win THEN count ELSE 0 END)`;
  const fits = sql`(CAST(${previous} * ${pos.weight} AS INTEGER) + ${current} < ${limit})`;
  const row = await db.get<{ count: number; prev: number; allowed: number }>(sql`
    INSERT INTO _skiff_rate_limit (key, win, count, prev, allowed, expires_at)
    VALUES (${key}, ${pos.index}, 1, 0, 1, ${expiresAt})
    ON CONFLICT (key) DO UPDATE SET
      prev = ${previous},
      count = ${current} + ${fits},
      allowed = ${fits},
      win = excluded.win,
      expires_at = excluded.expires_at
    RETURNING count, prev, allowed`);
  if (!row) throw new Error("[skiff] rateLimit: the counter upsert returned no row");
  return { allowed: Number(row.allowed) === 1, previous: Number(row.prev), current: Number(row.count) };
}

/** @internal Deletes up to 500 counters whose windows are over, so the table stays the size of the active clients. */
export async function sweepDatabase(db: Database, now: number): Promise<void> {
  await init(db);
  await db.run(
    sql`DELETE FROM _skiff_rate_limit WHERE key IN (SELECT key FROM _skiff_rate_limit WHERE expires_at <= ${now} LIMIT 500)`,
  );
}

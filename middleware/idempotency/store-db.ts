import type { Database } from "../../src/bindings/db/database.js";
import { ensureSchema } from "../../src/bindings/db/ensure-schema.js";
import { sql } from "../../src/bindings/db/sql.js";
import type { Entry, IdempotencyStore } from "./store.js";

// Created on first use, once per Database (isolate or process); never at import time.
function init(db: Database): Promise<void> {
  return ensureSchema(db, "idempotency", [
    `CREATE TABLE IF NOT EXISTS _skiff_idempotency (
          id TEXT PRIMARY KEY,
          token TEXT NOT NULL,
          fingerprint TEXT NOT NULL,
          state TEXT NOT NULL,
          locked_until INTEGER NOT NULL,
          expires_at INTEGER NOT NULL,
          status INTEGER,
          headers TEXT,
          body BLOB
        )`,
    `CREATE INDEX IF NOT EXISTS _skiff_idempotency_expires ON _skiff_idempotency (expires_at)`,
  ]);
}

interface Row {
  [column: string]: unknown;
  fingerprint: string;
  state: string;
  locked_until: number;
  status: number | null;
  headers: string | null;
  body: ArrayBuffer | Uint8Array | null;
}

/**
 * @internal Entries in a libSQL table, claimed atomically: an upsert that inserts a new key, or takes over one
 * that expired or whose holder's lock lapsed, and otherwise changes nothing; `RETURNING` says which. The claim and
 * the read of the existing entry run in one batch (one transaction, one round trip), so the entry read is the one
 * that won.
 *
 * @example
 * ```ts
 * const store = databaseStore(c.var.db);
 * ```
 */
export function databaseStore(db: Database): IdempotencyStore {
  return {
    async claim(id, fingerprint, token, { now, lockedUntil, expiresAt }) {
      await init(db);
      const [claimed, existing] = await db.batch<Row>([
        sql`INSERT INTO _skiff_idempotency (id, token, fingerprint, state, locked_until, expires_at)
            VALUES (${id}, ${token}, ${fingerprint}, 'running', ${lockedUntil}, ${expiresAt})
            ON CONFLICT (id) DO UPDATE SET
              token = excluded.token, fingerprint = excluded.fingerprint, state = 'running',
              locked_until = excluded.locked_until, expires_at = excluded.expires_at,
              status = NULL, headers = NULL, body = NULL
            WHERE _skiff_idempotency.expires_at <= ${now}
               OR (_skiff_idempotency.state = 'running' AND _skiff_idempotency.locked_until <= ${now})
            RETURNING token`,
        sql`SELECT fingerprint, state, locked_until, status, headers, body FROM _skiff_idempotency WHERE id = ${id}`,
      ]);
      if (claimed?.rows.length) return { claimed: true };
      const row = existing?.rows[0];
      return { claimed: false, entry: row ? entryOf(row) : undefined };
    },
    async complete(id, token, response, { expiresAt }) {
      await db.run(sql`UPDATE _skiff_idempotency
        SET state = 'done', locked_until = 0, expires_at = ${expiresAt},
            status = ${response?.status ?? null}, headers = ${response ? JSON.stringify(response.headers) : null}, body = ${response?.body ?? null}
        WHERE id = ${id} AND token = ${token}`);
    },
    async release(id, token) {
      await db.run(sql`DELETE FROM _skiff_idempotency WHERE id = ${id} AND token = ${token}`);
    },
    async sweep(now) {
      await init(db);
      await db.run(
        sql`DELETE FROM _skiff_idempotency WHERE id IN (SELECT id FROM _skiff_idempotency WHERE expires_at <= ${now} LIMIT 500)`,
      );
    },
  };
}

function entryOf(row: Row): Entry {
  if (row.state === "running")
    return { state: "running", fingerprint: row.fingerprint, lockedUntil: Number(row.locked_until) };
  const response =
    row.status === null
      ? undefined
      : {
          status: Number(row.status),
          headers: JSON.parse(row.headers ?? "[]") as Array<[string, string]>,
          body: row.body === null ? new Uint8Array() : new Uint8Array(row.body),
        };
  return { state: "done", fingerprint: row.fingerprint, response };
}

import type { Database } from "../db/database.js";
import { ensureSchema } from "../db/ensure-schema.js";
import { sql } from "../db/sql.js";
import { KVBackend, type KVEntry } from "./base.js";

const SCHEMA = `CREATE TABLE IF NOT EXISTS _skiff_kv (
  key TEXT PRIMARY KEY,
  value BLOB NOT NULL,
  expires_at INTEGER
) WITHOUT ROWID`;

/**
 * KV on a libSQL table (`_skiff_kv`), so Lambda, Vercel and Node need no extra service. Unlike Cloudflare KV it is
 * strongly consistent; expired rows are hidden on read and swept opportunistically.
 *
 * @example
 * ```ts
 * const kv = new LibsqlKV(db);
 * await kv.put("report:latest", JSON.stringify(report));
 * ```
 */
export class LibsqlKV extends KVBackend {
  readonly #db: Database;

  constructor(db: Database, options: { now?: () => number } = {}) {
    super(options);
    this.#db = db;
  }

  #init(): Promise<void> {
    return ensureSchema(this.#db, "kv", [SCHEMA]);
  }

  protected async read(key: string): Promise<KVEntry | null> {
    await this.#init();
    const row = await this.#db.get<{ value: ArrayBuffer; expires_at: number | null }>(
      sql`SELECT value, expires_at FROM _skiff_kv WHERE key = ${key}`,
    );
    return row ? { key, value: new Uint8Array(row.value), expiresAt: row.expires_at } : null;
  }

  protected async write(entry: KVEntry): Promise<void> {
    await this.#init();
    await this.#db.batch([
      sql`INSERT INTO _skiff_kv (key, value, expires_at) VALUES (${entry.key}, ${entry.value}, ${entry.expiresAt})
          ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`,
      // Sweep a few expired rows on each write so the table does not grow without bound.
      sql`DELETE FROM _skiff_kv WHERE key IN (SELECT key FROM _skiff_kv WHERE expires_at <= ${this.now()} LIMIT 16)`,
    ]);
  }

  protected async remove(key: string): Promise<void> {
    await this.#init();
    await this.#db.run(sql`DELETE FROM _skiff_kv WHERE key = ${key}`);
  }

  protected async scan(prefix: string, after: string | undefined, limit: number, now: number) {
    await this.#init();
    // Keys are compared as BLOBs so the order is UTF-8 byte order, as on Cloudflare.
    const rows = await this.#db.all<{ key: string; expires_at: number | null }>(sql`
      SELECT key, expires_at FROM _skiff_kv
      WHERE substr(CAST(key AS BLOB), 1, ${new TextEncoder().encode(prefix).byteLength}) = CAST(${prefix} AS BLOB)
        ${after === undefined ? sql.empty : sql`AND CAST(key AS BLOB) > CAST(${after} AS BLOB)`}
        AND (expires_at IS NULL OR expires_at > ${now})
      ORDER BY CAST(key AS BLOB) LIMIT ${limit}`);
    return rows.map((r) => ({ key: r.key, expiresAt: r.expires_at }));
  }
}

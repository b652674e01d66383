// The SQL triggers that write the outbox. They are generated from the table's columns (PRAGMA table_info) and
// compared with what sqlite_master holds, so they are (re)created only when a column or a handler changed.
import type { Database } from "../../bindings/db/database.js";
import { SkiffError } from "../../errors.js";
import { CHANGE_SCHEMA, TRIGGER_PREFIX } from "./schema.js";
import type { ChangeOperation, ChangeSubscription } from "./types.js";

const OPERATIONS: readonly ChangeOperation[] = ["insert", "update", "delete"];
const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
// Epoch milliseconds in SQL; julianday() is in every SQLite and libSQL (unixepoch('subsec') needs 3.42).
const NOW_MS = "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)";

interface Column {
  name: string;
  pk: number;
}

/** @internal The name of the trigger skiff owns for one table and operation. */
export function triggerName(table: string, operation: ChangeOperation): string {
  return `${TRIGGER_PREFIX}${table}_${operation}`;
}

/**
 * Statements that drop skiff's change triggers of `table`, for a migration that drops a column of a watched table
 * (SQLite refuses `DROP COLUMN` while a trigger names the column). The triggers are created again, over the new
 * columns, right after the migrations ran.
 *
 * @example
 * ```ts
 * const migrations: Migration[] = [
 *   { id: "007_drop_nickname", sql: [...dropChangeTriggers("users"), "ALTER TABLE users DROP COLUMN nickname"] },
 * ];
 * ```
 */
export function dropChangeTriggers(table: string): string[] {
  return OPERATIONS.map((op) => `DROP TRIGGER IF EXISTS ${quote(triggerName(table, op))}`);
}

function rowJson(ref: "NEW" | "OLD", columns: readonly Column[]): string {
  // json_object() rejects BLOBs, which any column may hold: they go as hex.
  const pairs = columns.map((c) => {
    const v = `${ref}.${quote(c.name)}`;
    return `'${c.name.replaceAll("'", "''")}', CASE WHEN typeof(${v}) = 'blob' THEN hex(${v}) ELSE ${v} END`;
  });
  return `json_object(${pairs.join(", ")})`;
}

function keyJson(ref: "NEW" | "OLD", columns: readonly Column[]): string {
  const key = columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk);
  const parts = key.length ? key.map((c) => `${ref}.${quote(c.name)}`) : [`${ref}.rowid`];
  return `json_array(${parts.join(", ")})`;
}

/** @internal The CREATE TRIGGER statement for one table, operation and the handlers that watch it. */
export function triggerSql(
  table: string,
  operation: ChangeOperation,
  columns: readonly Column[],
  subs: readonly string[],
): string {
  const ref = operation === "delete" ? "OLD" : "NEW";
  const oldRow = operation === "insert" ? "NULL" : rowJson("OLD", columns);
  const newRow = operation === "delete" ? "NULL" : rowJson("NEW", columns);
  const sorted = [...subs].sort();
  // One handler (the usual case) needs no json_each; names are checked at registration ([A-Za-z0-9_:,-]).
  const from =
    sorted.length === 1 ? "" : `\n  FROM json_each('${JSON.stringify(sorted)}') AS s ORDER BY s.key`;
  const sub = sorted.length === 1 ? `'${sorted[0]}'` : "s.value";
  return `CREATE TRIGGER ${quote(triggerName(table, operation))} AFTER ${operation.toUpperCase()} ON ${quote(table)} FOR EACH ROW BEGIN
  INSERT INTO _skiff_changes (sub, tbl, op, row_key, old_row, new_row, at)
  SELECT ${sub}, '${table}', '${operation}', ${keyJson(ref, columns)}, ${oldRow}, ${newRow}, ${NOW_MS}${from};
END`;
}

/**
 * @internal Creates the outbox and makes skiff's triggers match the handlers and the tables' current columns:
 * missing or outdated triggers are (re)created, those of tables or operations no longer watched are dropped, all in
 * one atomic batch. Idempotent and cheap when nothing changed (a read of sqlite_master and one PRAGMA per table).
 * Goes through `db.client`, since it runs before the first query of the app (after the migrations).
 */
export async function syncChangeTriggers(
  db: Database,
  subscriptions: readonly ChangeSubscription[],
): Promise<void> {
  const client = db.client;
  await client.batch([...CHANGE_SCHEMA], "write");
  const desired = new Map<string, string>();
  const tables = new Set(subscriptions.map((s) => s.table));
  for (const table of tables) {
    const info = await client.execute(`PRAGMA table_info(${quote(table)})`);
    const columns = info.rows.map((r) => ({ name: String(r["name"]), pk: Number(r["pk"]) }));
    if (columns.length === 0) {
      throw new SkiffError(
        `app.onChange("${table}"): the table "${table}" does not exist; create it in a migration (new Skiff({ migrations })), which runs before the change triggers are created`,
      );
    }
    for (const op of OPERATIONS) {
      const subs = subscriptions.filter((s) => s.table === table && s.operations.has(op)).map((s) => s.name);
      if (subs.length) desired.set(triggerName(table, op), triggerSql(table, op, columns, subs));
    }
  }
  const existing = await client.execute(
    `SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND substr(name, 1, ${TRIGGER_PREFIX.length}) = '${TRIGGER_PREFIX}'`,
  );
  const statements: string[] = [];
  const have = new Map(existing.rows.map((r) => [String(r["name"]), String(r["sql"])]));
  for (const name of have.keys())
    if (!desired.has(name)) statements.push(`DROP TRIGGER IF EXISTS ${quote(name)}`);
  for (const [name, sql] of desired) {
    if (have.get(name) === sql) continue;
    statements.push(`DROP TRIGGER IF EXISTS ${quote(name)}`, sql);
  }
  if (statements.length) await client.batch(statements, "write");
}

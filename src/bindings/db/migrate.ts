import { LibsqlError } from "@libsql/client/http";
import { SkiffError } from "../../errors.js";
import type { Database } from "./database.js";
import { splitStatements } from "./split-statements.js";

/**
 * One schema migration. `id`s are applied in the order given, once each, and recorded in `_skiff_migrations`.
 * `sql` is a list of statements, or one script that skiff splits on top-level semicolons (trigger bodies included).
 *
 * @example
 * ```ts
 * const migrations: Migration[] = [
 *   { id: "001_users", sql: "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE)" },
 *   { id: "002_orders", sql: ["CREATE TABLE orders (id TEXT PRIMARY KEY)", "CREATE INDEX orders_id ON orders (id)"] },
 * ];
 * ```
 */
export interface Migration {
  id: string;
  sql: string | readonly string[];
}

/**
 * What {@link migrate} did: the ids it applied now and those already applied before (by this or another process).
 *
 * @example
 * ```ts
 * const { applied, skipped }: MigrationReport = await db.migrate(migrations);
 * log.info("migrations", { applied, skipped });
 * ```
 */
export interface MigrationReport {
  applied: string[];
  skipped: string[];
}

const TABLE = "_skiff_migrations";

/**
 * Applies pending migrations. Each migration runs as one atomic batch whose first statement records its id, so when
 * two processes start together, the loser's batch fails on the primary key before touching the schema and is
 * skipped: every migration runs exactly once, and a failing one leaves no trace.
 *
 * @example
 * ```ts
 * const report = await migrate(db, migrations);
 * console.log(report.applied); // ["001_users"]
 * ```
 */
export async function migrate(db: Database, migrations: readonly Migration[]): Promise<MigrationReport> {
  checkIds(migrations);
  await db.client.execute(
    `CREATE TABLE IF NOT EXISTS ${TABLE} (id TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)`,
  );
  // Through the client, not db.all(): migrations are what db.all() waits for when they run before the first query.
  const done = new Set((await db.client.execute(`SELECT id FROM ${TABLE}`)).rows.map((r) => String(r[0])));
  const report: MigrationReport = { applied: [], skipped: [] };
  for (const migration of migrations) {
    if (done.has(migration.id)) {
      report.skipped.push(migration.id);
      continue;
    }
    const statements =
      typeof migration.sql === "string" ? splitStatements(migration.sql) : [...migration.sql];
    try {
      await db.client.batch(
        [
          { sql: `INSERT INTO ${TABLE} (id, applied_at) VALUES (?, ?)`, args: [migration.id, Date.now()] },
          ...statements,
        ],
        "write",
      );
      report.applied.push(migration.id);
    } catch (error) {
      if (isDuplicateRecord(error)) {
        report.skipped.push(migration.id);
        continue;
      }
      throw new SkiffError(
        `migration "${migration.id}" failed and was rolled back: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
  }
  return report;
}

function checkIds(migrations: readonly Migration[]): void {
  const seen = new Set<string>();
  for (const m of migrations) {
    if (!m.id) throw new SkiffError("every migration needs a non-empty id");
    if (seen.has(m.id)) throw new SkiffError(`migration id "${m.id}" appears twice; ids must be unique`);
    seen.add(m.id);
  }
}

function isDuplicateRecord(error: unknown): boolean {
  if (!(error instanceof LibsqlError) && !(error instanceof Error)) return false;
  const code = error instanceof LibsqlError ? `${error.code} ${error.extendedCode ?? ""}` : "";
  return (
    (code.includes("CONSTRAINT") || /constraint/i.test(error.message)) &&
    error.message.includes(`${TABLE}.id`)
  );
}

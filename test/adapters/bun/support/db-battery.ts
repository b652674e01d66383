import { sql, type Database } from "skiff";

/**
 * One run of the `Database` API over a fresh database, reduced to what a caller observes. The bun:sqlite backend
 * (in a real bun process) and the libSQL client (on Node) must report exactly the same thing. No Node built-in, so
 * Bun runs it as is.
 */
export async function dbBattery(db: Database): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const error = async (work: () => Promise<unknown>) => {
    try {
      await work();
      return "no error";
    } catch (e) {
      const err = e as Error & { code?: string };
      return { name: err.name, code: err.code ?? null, unique: /UNIQUE constraint failed/.test(err.message) };
    }
  };
  out.migrations = await db.migrate([
    {
      id: "001_items",
      sql: "CREATE TABLE items (id INTEGER PRIMARY KEY, sku TEXT UNIQUE NOT NULL, qty INTEGER, data BLOB, note TEXT); CREATE INDEX items_qty ON items (qty)",
    },
  ]);
  const inserted = await db.run(
    sql`INSERT INTO items (sku, qty, data) VALUES (${"tea"}, ${2}, ${new Uint8Array([1, 2, 3])})`,
  );
  out.inserted = { rowsAffected: inserted.rowsAffected, lastInsertRowid: String(inserted.lastInsertRowid) };
  const row = await db.get<{ id: number; sku: string; qty: number; data: ArrayBuffer; note: null }>(
    sql`SELECT id, sku, qty, data, note FROM items WHERE sku = ${"tea"}`,
  );
  out.row = {
    ...row,
    data: row && [...new Uint8Array(row.data)],
    dataIsArrayBuffer: row?.data instanceof ArrayBuffer,
  };
  out.returning = await db.all(sql`INSERT INTO items (sku, qty) VALUES (${"jam"}, ${1}) RETURNING id, sku`);
  out.unique = await error(() => db.run(sql`INSERT INTO items (sku) VALUES (${"tea"})`));
  out.batchAtomic = await error(() =>
    db.batch([
      sql`INSERT INTO items (sku) VALUES (${"oat"})`,
      sql`INSERT INTO items (sku) VALUES (${"tea"})`,
    ]),
  );
  out.afterFailedBatch = await db.all(sql`SELECT sku FROM items ORDER BY id`);
  out.batch = (
    await db.batch([sql`UPDATE items SET qty = qty + 1`, sql`SELECT count(*) AS n FROM items`])
  ).map((r) => ({ rowsAffected: r.rowsAffected, rows: r.rows }));
  out.rolledBack = await error(() =>
    db.transaction(async (tx) => {
      await tx.run(sql`DELETE FROM items`);
      throw new Error("changed my mind");
    }),
  );
  // While a transaction has written but not committed, a query outside it sees the committed state only.
  out.isolation = await db.transaction(async (tx) => {
    await tx.run(sql`INSERT INTO items (sku) VALUES (${"rye"})`);
    const inside = await tx.get(sql`SELECT count(*) AS n FROM items`);
    const outside = await db.get(sql`SELECT count(*) AS n FROM items`);
    return { inside, outside };
  });
  out.committed = await db.get(sql`SELECT count(*) AS n FROM items`);
  out.values = await db.get(
    sql`SELECT ${true} AS yes, ${false} AS no, ${new Date(1_700_000_000_000)} AS date, ${2.5} AS real, ${null} AS empty`,
  );
  out.bigInteger = await error(() => db.get(sql`SELECT 9007199254740993 AS big`));
  out.safeInteger = await db.get(sql`SELECT 9007199254740991 AS big`);
  out.named = (
    await db.client.execute({ sql: "SELECT :a AS a, $b AS b", args: { a: 1, $b: "two" } })
  ).rows.map((r) => ({ ...r }));
  out.positionalRow = (await db.client.execute("SELECT 1 AS one, 'x' AS one")).rows.map((r) => [
    r[0],
    r[1],
    r.one,
    r.length,
  ]);
  out.remigrate = await db.migrate([{ id: "001_items", sql: "CREATE TABLE items (x)" }]);
  return out;
}

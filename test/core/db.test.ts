import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type Database, sql } from "skiff";
import { nodeDatabase } from "skiff/node";

const opened: Database[] = [];
function fileDb(path = join(mkdtempSync(join(tmpdir(), "skiff-db-")), "t.db")): {
  db: Database;
  path: string;
} {
  const db = nodeDatabase({ url: `file:${path}` });
  opened.push(db);
  return { db, path };
}
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

describe("db: libSQL behind all/get/run/batch/transaction", () => {
  it("reads rows as plain objects and reports writes", async () => {
    const { db } = fileDb();
    await db.run(sql`CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, data BLOB)`);
    const a = await db.run(sql`INSERT INTO t (name, data) VALUES (${"a"}, ${new Uint8Array([1, 2, 3])})`);
    expect(a).toEqual({ rowsAffected: 1, lastInsertRowid: 1n });
    const rows = await db.all(sql`SELECT id, name FROM t`);
    expect(rows).toEqual([{ id: 1, name: "a" }]);
    expect(JSON.parse(JSON.stringify(rows))).toEqual(rows);
    const one = await db.get<{ data: ArrayBuffer }>(sql`SELECT data FROM t WHERE id = ${1}`);
    expect([...new Uint8Array(one?.data ?? new ArrayBuffer(0))]).toEqual([1, 2, 3]);
    expect(await db.get(sql`SELECT * FROM t WHERE id = ${99}`)).toBeUndefined();
  });

  it("refuses a raw string where a statement is expected", async () => {
    const { db } = fileDb();
    await expect(db.all("SELECT 1" as never)).rejects.toThrow(/sql`...` tag/);
  });

  it("runs a batch atomically: one failing statement rolls back all", async () => {
    const { db } = fileDb();
    await db.run(sql`CREATE TABLE u (email TEXT UNIQUE)`);
    await expect(
      db.batch([sql`INSERT INTO u VALUES (${"a"})`, sql`INSERT INTO u VALUES (${"a"})`]),
    ).rejects.toThrow(/UNIQUE/);
    expect(await db.all(sql`SELECT * FROM u`)).toEqual([]);
    const results = await db.batch([sql`INSERT INTO u VALUES (${"a"})`, sql`SELECT count(*) AS n FROM u`]);
    expect(results[1]?.rows).toEqual([{ n: 1 }]);
  });

  it("commits a transaction that resolves and rolls back one that throws", async () => {
    const { db } = fileDb();
    await db.run(sql`CREATE TABLE s (sku TEXT PRIMARY KEY, stock INTEGER)`);
    await db.run(sql`INSERT INTO s VALUES (${"tea"}, ${1})`);
    await db.transaction(async (tx) => {
      await tx.run(sql`UPDATE s SET stock = stock - 1 WHERE sku = ${"tea"}`);
    });
    await expect(
      db.transaction(async (tx) => {
        await tx.run(sql`UPDATE s SET stock = stock - 1 WHERE sku = ${"tea"}`);
        throw new Error("out of stock");
      }),
    ).rejects.toThrow("out of stock");
    expect(await db.get(sql`SELECT stock FROM s`)).toEqual({ stock: 0 });
  });
});

describe("db.migrate: ordered, once, recorded, safe under concurrency", () => {
  const migrations = [
    { id: "001", sql: "CREATE TABLE a (x INTEGER); INSERT INTO a VALUES (1);" },
    { id: "002", sql: ["CREATE TABLE b (y TEXT)", "INSERT INTO b VALUES ('b')"] },
  ];

  it("applies pending migrations in order, once", async () => {
    const { db } = fileDb();
    expect(await db.migrate(migrations)).toEqual({ applied: ["001", "002"], skipped: [] });
    expect(await db.migrate(migrations)).toEqual({ applied: [], skipped: ["001", "002"] });
    expect(await db.all(sql`SELECT id FROM _skiff_migrations ORDER BY id`)).toEqual([
      { id: "001" },
      { id: "002" },
    ]);
    expect(await db.all(sql`SELECT x FROM a`)).toEqual([{ x: 1 }]);
  });

  it("applies each migration exactly once when several connections start together", async () => {
    const { path } = fileDb();
    const dbs = Array.from({ length: 4 }, () => fileDb(path).db);
    const reports = await Promise.all(dbs.map((db) => db.migrate(migrations)));
    expect(reports.flatMap((r) => r.applied).sort()).toEqual(["001", "002"]);
    expect(await dbs[0]?.all(sql`SELECT x FROM a`)).toEqual([{ x: 1 }]);
  });

  it("rolls back a failing migration entirely and names it", async () => {
    const { db } = fileDb();
    await expect(
      db.migrate([{ id: "bad", sql: ["CREATE TABLE c (z)", "INSERT INTO nope VALUES (1)"] }]),
    ).rejects.toThrow(/migration "bad" failed and was rolled back/);
    expect(await db.all(sql`SELECT name FROM sqlite_master WHERE name = 'c'`)).toEqual([]);
    expect(await db.all(sql`SELECT id FROM _skiff_migrations`)).toEqual([]);
  });

  it("refuses duplicate ids", async () => {
    const { db } = fileDb();
    await expect(
      db.migrate([
        { id: "x", sql: "SELECT 1" },
        { id: "x", sql: "SELECT 2" },
      ]),
    ).rejects.toThrow(/appears twice/);
  });

  it("runs before the first query when registered with beforeFirstQuery", async () => {
    const { db } = fileDb();
    db.beforeFirstQuery((d) => d.migrate(migrations));
    expect(await db.all(sql`SELECT y FROM b`)).toEqual([{ y: "b" }]);
  });
});

import { describe, expect, it } from "vitest";
import { isSqlQuery, sql } from "skiff";
import { splitStatements } from "../../src/bindings/db/split-statements.js";

describe("the sql tag always parameterises", () => {
  it("turns every interpolated value into a bound ? argument", () => {
    const email = "x' OR 1=1 --";
    const q = sql`SELECT * FROM users WHERE email = ${email} AND id > ${3}`;
    expect(q.sql).toBe("SELECT * FROM users WHERE email = ? AND id > ?");
    expect(q.args).toEqual([email, 3]);
  });

  it("splices nested fragments with their own arguments, in order", () => {
    const where = sql`WHERE status = ${"paid"}`;
    const q = sql`SELECT * FROM orders ${where} LIMIT ${10}`;
    expect(q.sql).toBe("SELECT * FROM orders WHERE status = ? LIMIT ?");
    expect(q.args).toEqual(["paid", 10]);
    expect(sql`SELECT 1 ${sql.empty}`.sql).toBe("SELECT 1 ");
  });

  it("joins lists and quotes identifiers", () => {
    expect(sql`IN (${sql.join([1, 2, 3])})`).toMatchObject({ sql: "IN (?, ?, ?)", args: [1, 2, 3] });
    expect(sql`SELECT * FROM ${sql.id('we"ird')}`.sql).toBe('SELECT * FROM "we""ird"');
  });

  it("refuses undefined and objects with a message saying what to do", () => {
    expect(() => sql`SELECT ${undefined}`).toThrow(/pass null/);
    expect(() => sql`SELECT ${{ a: 1 }}`).toThrow(/JSON.stringify/);
  });

  it("is recognisable, so raw strings can be refused at run time", () => {
    expect(isSqlQuery(sql`SELECT 1`)).toBe(true);
    expect(isSqlQuery("SELECT 1")).toBe(false);
  });
});

describe("migration scripts split on top-level semicolons only", () => {
  it("keeps semicolons inside strings, identifiers and comments", () => {
    expect(
      splitStatements(`CREATE TABLE "a;b" (x TEXT DEFAULT ';'); -- a comment; here
        /* block; comment */ INSERT INTO t VALUES ('it''s; fine');`),
    ).toEqual([
      `CREATE TABLE "a;b" (x TEXT DEFAULT ';')`,
      expect.stringContaining("INSERT INTO t VALUES ('it''s; fine')"),
    ]);
  });

  it("keeps a trigger body (with CASE ... END inside) as one statement", () => {
    const script = `CREATE TABLE t (x);
      CREATE TRIGGER tr AFTER INSERT ON t BEGIN
        UPDATE t SET x = CASE WHEN x > 1 THEN 1 ELSE 0 END;
        DELETE FROM t WHERE x IS NULL;
      END;
      CREATE INDEX i ON t (x);`;
    const parts = splitStatements(script);
    expect(parts).toHaveLength(3);
    expect(parts[1]).toMatch(/^CREATE TRIGGER[\s\S]*END$/);
  });

  it("drops empty statements and trailing comments", () => {
    expect(splitStatements(";; SELECT 1 ;\n-- done")).toEqual(["SELECT 1"]);
  });
});

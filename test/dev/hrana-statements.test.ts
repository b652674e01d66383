import { LibsqlError } from "@libsql/client/web";
import { describe, expect, it } from "vitest";
import { server, db, useHranaServer } from "./support/hrana.js";

useHranaServer();

describe("version discovery", () => {
  it("answers /v2, /v3 and /health, and 404s /v3-protobuf so clients fall back to JSON", async () => {
    expect((await fetch(`${server.url}/v2`)).status).toBe(200);
    expect((await fetch(`${server.url}/v3`)).status).toBe(200);
    expect((await fetch(`${server.url}/v3-protobuf`)).status).toBe(404);
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok" });
  });
});

describe("statements through @libsql/client/web", () => {
  it("binds positional and named arguments (with or without the prefix)", async () => {
    await db.execute({
      sql: "INSERT INTO users (email, score) VALUES (?, ?)",
      args: ["ann@example.com", 1.5],
    });
    await db.execute({
      sql: "INSERT INTO users (email, score) VALUES (:email, $score)",
      args: { email: "bob@example.com", $score: 2.5 },
    });
    const rs = await db.execute({
      sql: "SELECT email, score FROM users WHERE email IN (@a, @b) ORDER BY email",
      args: { a: "bob@example.com", "@b": "ann@example.com" },
    });
    expect(rs.rows.map((r) => [r.email, r.score])).toEqual([
      ["ann@example.com", 1.5],
      ["bob@example.com", 2.5],
    ]);
    expect(rs.columns).toEqual(["email", "score"]);
    expect(rs.columnTypes).toEqual(["TEXT", "REAL"]);
  });

  it("reports lastInsertRowid as a bigint and rowsAffected", async () => {
    const inserted = await db.execute({
      sql: "INSERT INTO users (id, email) VALUES (?, ?)",
      args: [9007199254740993n, "big@example.com"],
    });
    expect(inserted.lastInsertRowid).toBe(9007199254740993n);
    expect(inserted.rowsAffected).toBe(1);
    const updated = await db.execute(
      "UPDATE users SET note = 'x' WHERE email IN ('ann@example.com', 'bob@example.com')",
    );
    expect(updated.rowsAffected).toBe(2);
    const selected = await db.execute("SELECT count(*) AS n FROM users");
    expect(selected.rowsAffected).toBe(0);
    expect(selected.rows[0]?.n).toBe(3n);
  });

  it("round-trips 64-bit integers, floats, text, blobs and null exactly", async () => {
    const bytes = new Uint8Array([0, 1, 2, 253, 254, 255]);
    const rs = await db.execute({
      sql: "SELECT ? AS max, ? AS min, ? AS beyond53, ? AS pi, ? AS tiny, ? AS text, ? AS blob, ? AS buffer, ? AS nul, typeof(?) AS t",
      args: [
        2n ** 63n - 1n,
        -(2n ** 63n),
        2n ** 53n + 1n,
        Math.PI,
        5e-324,
        "héllo ✓ 😀",
        bytes,
        bytes.buffer.slice(0),
        null,
        1.0,
      ],
    });
    const row = rs.rows[0];
    expect(row?.max).toBe(2n ** 63n - 1n);
    expect(row?.min).toBe(-(2n ** 63n));
    expect(row?.beyond53).toBe(2n ** 53n + 1n);
    expect(row?.pi).toBe(Math.PI);
    expect(row?.tiny).toBe(5e-324);
    expect(row?.text).toBe("héllo ✓ 😀");
    expect(new Uint8Array(row?.blob as ArrayBuffer)).toEqual(bytes);
    expect(new Uint8Array(row?.buffer as ArrayBuffer)).toEqual(bytes);
    expect(row?.nul).toBeNull();
    expect(row?.t).toBe("real"); // a JavaScript number is a float on the wire, as with Turso
  });

  it("surfaces a UNIQUE violation as a LibsqlError with Turso's code", async () => {
    const error = await db
      .execute({ sql: "INSERT INTO users (email) VALUES (?)", args: ["ann@example.com"] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LibsqlError);
    // sqld sends the base result code only (libsql-server/src/hrana/stmt.rs); the message names the constraint.
    expect((error as LibsqlError).code).toBe("SQLITE_CONSTRAINT");
    expect((error as LibsqlError).message).toMatch(/UNIQUE constraint failed: users\.email/);
  });

  it("rejects argument mismatches and multi-statement strings instead of guessing", async () => {
    await expect(db.execute({ sql: "SELECT ?, ?", args: [1] })).rejects.toMatchObject({
      code: "ARGS_INVALID",
    });
    await expect(db.execute({ sql: "SELECT ?", args: [1, 2] })).rejects.toMatchObject({
      code: "ARGS_INVALID",
    });
    // Named arguments against a bare `?` would abort the libSQL driver; the server must answer instead.
    await expect(db.execute({ sql: "SELECT ?", args: { a: 1 } })).rejects.toMatchObject({
      code: "ARGS_INVALID",
    });
    await expect(db.execute("SELECT 1; SELECT 2")).rejects.toMatchObject({ code: "SQL_MANY_STATEMENTS" });
    await expect(db.execute("SELEC 1")).rejects.toMatchObject({ code: "SQL_INPUT_ERROR" });
    expect((await db.execute("SELECT 1 AS one")).rows[0]?.one).toBe(1n);
  });

  it("runs executeMultiple, trigger bodies included", async () => {
    await db.executeMultiple(`
      CREATE TABLE audit (email TEXT);
      CREATE TRIGGER users_audit AFTER INSERT ON users BEGIN INSERT INTO audit VALUES (new.email); SELECT CASE WHEN 1 THEN 1 END; END;
      INSERT INTO users (email) VALUES ('trigger@example.com');
    `);
    const rs = await db.execute("SELECT email FROM audit");
    expect(rs.rows.map((r) => r.email)).toEqual(["trigger@example.com"]);
  });
});

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient, LibsqlError, type Client } from "@libsql/client/web";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveHrana, type HranaServer } from "../../src/dev/hrana/index.js";

// Every behaviour is checked through the official web client (what Workers and Vercel Edge run), plus raw HTTP
// where the client does not reach (v3 endpoints, cursors, malformed requests).

let dir: string;
let server: HranaServer;
let db: Client;

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "skiff-hrana-"));
  server = await serveHrana({ url: `file:${join(dir, "main.db")}`, port: 0 });
  db = createClient({ url: server.url, intMode: "bigint" });
  await db.execute(
    "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, score REAL, avatar BLOB, note TEXT)",
  );
});

afterAll(async () => {
  db.close();
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

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

describe("batches", () => {
  it("commits a write batch and reads in read and deferred batches", async () => {
    const results = await db.batch(
      [
        { sql: "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT UNIQUE)", args: [] },
        { sql: "INSERT INTO items (name) VALUES (?)", args: ["a"] },
        { sql: "INSERT INTO items (name) VALUES (?)", args: ["b"] },
      ],
      "write",
    );
    expect(results[2]?.lastInsertRowid).toBe(2n);
    const [read] = await db.batch(["SELECT count(*) AS n FROM items"], "read");
    expect(read?.rows[0]?.n).toBe(2n);
    const [deferred] = await db.batch(["SELECT name FROM items ORDER BY id"], "deferred");
    expect(deferred?.rows.map((r) => r.name)).toEqual(["a", "b"]);
  });

  it("rolls the whole batch back when one statement fails", async () => {
    const attempt = db.batch(
      [
        "INSERT INTO items (name) VALUES ('c')",
        "INSERT INTO items (name) VALUES ('a')",
        "INSERT INTO items (name) VALUES ('d')",
      ],
      "write",
    );
    await expect(attempt).rejects.toMatchObject({ code: "SQLITE_CONSTRAINT" });
    const rs = await db.execute("SELECT name FROM items ORDER BY id");
    expect(rs.rows.map((r) => r.name)).toEqual(["a", "b"]);
  });
});

describe("interactive transactions", () => {
  it("commits, and reads its own writes before that while others do not see them", async () => {
    const tx = await db.transaction("write");
    await tx.execute("INSERT INTO items (name) VALUES ('tx-commit')");
    const inside = await tx.execute("SELECT count(*) AS n FROM items WHERE name = 'tx-commit'");
    expect(inside.rows[0]?.n).toBe(1n);
    const outside = await db.execute("SELECT count(*) AS n FROM items WHERE name = 'tx-commit'");
    expect(outside.rows[0]?.n).toBe(0n);
    await tx.commit();
    const after = await db.execute("SELECT count(*) AS n FROM items WHERE name = 'tx-commit'");
    expect(after.rows[0]?.n).toBe(1n);
  });

  it("rolls back", async () => {
    const tx = await db.transaction("write");
    await tx.execute("INSERT INTO items (name) VALUES ('tx-rollback')");
    await tx.rollback();
    const rs = await db.execute("SELECT count(*) AS n FROM items WHERE name = 'tx-rollback'");
    expect(rs.rows[0]?.n).toBe(0n);
  });

  it("keeps the file consistent under concurrent requests and interleaved transactions", async () => {
    await db.execute("CREATE TABLE hits (id INTEGER PRIMARY KEY, source TEXT)");
    const first = await db.transaction("write");
    await first.execute("INSERT INTO hits (source) VALUES ('tx1')");
    // The second transaction and the 20 inserts wait for the first one's write lock without blocking the server.
    const second = (async () => {
      const tx = await db.transaction("write");
      await tx.execute("INSERT INTO hits (source) VALUES ('tx2')");
      await tx.execute("INSERT INTO hits (source) VALUES ('tx2')");
      await tx.commit();
    })();
    const inserts = Array.from({ length: 20 }, (_, i) =>
      db.execute({ sql: "INSERT INTO hits (source) VALUES (?)", args: [`p${i}`] }),
    );
    const reads = Array.from({ length: 5 }, () => db.execute("SELECT count(*) AS n FROM hits"));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await first.execute("INSERT INTO hits (source) VALUES ('tx1')");
    await first.commit();
    await Promise.all([second, ...inserts, ...reads]);
    const counts = await db.execute(
      "SELECT source, count(*) AS n FROM hits GROUP BY source HAVING source LIKE 'tx%' ORDER BY source",
    );
    expect(counts.rows.map((r) => [r.source, r.n])).toEqual([
      ["tx1", 2n],
      ["tx2", 2n],
    ]);
    expect((await db.execute("SELECT count(*) AS n FROM hits")).rows[0]?.n).toBe(24n);
    expect((await db.execute("PRAGMA integrity_check")).rows[0]?.[0]).toBe("ok");
  });
});

describe("raw protocol", () => {
  it("serves v2 pipelines: integers as strings, decltypes, batons and close", async () => {
    const res = await post("/v2/pipeline", {
      baton: null,
      requests: [
        {
          type: "execute",
          stmt: {
            sql: "SELECT id, name, 1.0 AS f FROM items WHERE name = ?",
            args: [{ type: "text", value: "a" }],
          },
        },
        { type: "close" },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    const body = await res.json();
    expect(body).toEqual({
      baton: null,
      base_url: null,
      results: [
        {
          type: "ok",
          response: {
            type: "execute",
            result: {
              cols: [
                { name: "id", decltype: "INTEGER" },
                { name: "name", decltype: "TEXT" },
                { name: "f", decltype: null },
              ],
              rows: [
                [
                  { type: "integer", value: "1" },
                  { type: "text", value: "a" },
                  { type: "float", value: 1 },
                ],
              ],
              affected_row_count: 0,
              last_insert_rowid: null,
              query_duration_ms: expect.any(Number),
            },
          },
        },
        { type: "ok", response: { type: "close" } },
      ],
    });
  });

  it("keeps stream state between v3 requests and evaluates batch conditions", async () => {
    const first = await (
      await post("/v3/pipeline", {
        baton: null,
        requests: [
          { type: "store_sql", sql_id: 1, sql: "SELECT count(*) FROM items" },
          { type: "execute", stmt: { sql: "BEGIN" } },
          { type: "get_autocommit" },
        ],
      })
    ).json();
    expect(first.results[2]).toEqual({
      type: "ok",
      response: { type: "get_autocommit", is_autocommit: false },
    });
    expect(typeof first.baton).toBe("string");
    const second = await (
      await post("/v3/pipeline", {
        baton: first.baton,
        requests: [
          {
            type: "batch",
            batch: {
              steps: [
                { stmt: { sql_id: 1 } },
                { condition: { type: "is_autocommit" }, stmt: { sql: "SELECT 'skipped'" } },
                {
                  condition: {
                    type: "and",
                    conds: [
                      { type: "ok", step: 0 },
                      { type: "not", cond: { type: "error", step: 0 } },
                    ],
                  },
                  stmt: { sql: "ROLLBACK" },
                },
                {
                  condition: { type: "or", conds: [{ type: "is_autocommit" }] },
                  stmt: { sql: "SELECT nope FROM nowhere" },
                },
              ],
            },
          },
          { type: "describe", sql: "SELECT name FROM items WHERE id = :id AND name = ?" },
          { type: "close" },
        ],
      })
    ).json();
    const batch = second.results[0].response.result;
    expect(batch.step_results[0].rows).toEqual([[{ type: "integer", value: "3" }]]); // a, b, tx-commit
    expect(batch.step_results[1]).toBeNull();
    expect(batch.step_errors[1]).toBeNull();
    expect(batch.step_results[2]).not.toBeNull();
    expect(batch.step_errors[3]).toMatchObject({ code: "SQL_INPUT_ERROR" });
    expect(second.results[1].response.result).toEqual({
      params: [{ name: ":id" }, { name: null }],
      cols: [{ name: "name", decltype: "TEXT" }],
      is_explain: false,
      is_readonly: true,
    });
    expect(second.baton).toBeNull();
    // A baton is good for one request only.
    const reused = await post("/v3/pipeline", { baton: first.baton, requests: [] });
    expect(reused.status).toBe(400);
    expect(await reused.json()).toMatchObject({ code: "BATON_INVALID" });
  });

  it("refuses get_autocommit on v2", async () => {
    const body = await (
      await post("/v2/pipeline", { baton: null, requests: [{ type: "get_autocommit" }, { type: "close" }] })
    ).json();
    expect(body.results[0]).toMatchObject({ type: "error", error: { code: "NOT_SUPPORTED" } });
  });

  it("streams a v3 cursor as newline-delimited JSON", async () => {
    const res = await post("/v3/cursor", {
      baton: null,
      batch: {
        steps: [
          { stmt: { sql: "SELECT name FROM items ORDER BY id" } },
          { stmt: { sql: "SELECT * FROM nowhere" } },
        ],
      },
    });
    const lines = (await res.text())
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines[0]).toEqual({ baton: expect.any(String), base_url: null });
    expect(lines.slice(1).map((l) => l.type)).toEqual([
      "step_begin",
      "row",
      "row",
      "row",
      "step_end",
      "step_error",
    ]);
    expect(lines[2]).toEqual({ type: "row", row: [{ type: "text", value: "a" }] });
    await post("/v3/pipeline", { baton: lines[0].baton, requests: [{ type: "close" }] });
  });

  it("answers malformed requests with a 400 JSON message and keeps serving", async () => {
    for (const body of [
      "{not json",
      { requests: "nope" },
      { baton: null, requests: [{ type: "explode" }] },
      {
        baton: null,
        requests: [{ type: "execute", stmt: { sql: "SELECT ?", args: [{ type: "integer", value: "1.5" }] } }],
      },
      { baton: null, requests: [{ type: "execute", stmt: {} }] },
      {
        baton: null,
        requests: [
          {
            type: "batch",
            batch: { steps: [{ condition: { type: "ok", step: 0 }, stmt: { sql: "SELECT 1" } }] },
          },
        ],
      },
    ]) {
      const res = await post("/v3/pipeline", body);
      expect(res.status).toBe(400);
      const json = await res.json();
      expect(json.message).toMatch(/^\[skiff\]/);
    }
    expect((await fetch(`${server.url}/v3/pipeline`)).status).toBe(405);
    expect((await db.execute("SELECT 1 AS ok")).rows[0]?.ok).toBe(1n);
  });
});

describe("request size", () => {
  it("answers an oversized body with 413", async () => {
    const small = await serveHrana({ url: `file:${join(dir, "small.db")}`, maxBodyBytes: 1024 });
    try {
      const body = JSON.stringify({
        baton: null,
        requests: [{ type: "execute", stmt: { sql: `SELECT '${"x".repeat(2048)}'` } }],
      });
      const res = await fetch(`${small.url}/v2/pipeline`, { method: "POST", body });
      expect(res.status).toBe(413);
      expect(await res.json()).toMatchObject({ code: "BODY_TOO_LARGE" });
    } finally {
      await small.close();
    }
  });
});

describe("idle streams", () => {
  it("expire, releasing their write lock, and their baton then reports STREAM_EXPIRED", async () => {
    const quick = await serveHrana({
      url: `file:${join(dir, "expiry.db")}`,
      streamIdleTimeoutMs: 150,
      busyTimeoutMs: 5_000,
    });
    try {
      const client = createClient({ url: quick.url });
      await client.execute("CREATE TABLE t (x)");
      const abandoned = await (
        await fetch(`${quick.url}/v2/pipeline`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            baton: null,
            requests: [
              { type: "execute", stmt: { sql: "BEGIN IMMEDIATE" } },
              { type: "execute", stmt: { sql: "INSERT INTO t VALUES (1)" } },
            ],
          }),
        })
      ).json();
      // This write waits for the abandoned transaction's lock, which the expiry releases.
      await client.execute("INSERT INTO t VALUES (2)");
      expect((await client.execute("SELECT x FROM t")).rows.map((r) => r.x)).toEqual([2]);
      const late = await fetch(`${quick.url}/v2/pipeline`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ baton: abandoned.baton, requests: [] }),
      });
      expect(await late.json()).toMatchObject({ code: "STREAM_EXPIRED" });
      client.close();
    } finally {
      await quick.close();
    }
  });
});

describe("lock waits", () => {
  it("give up with SQLITE_BUSY after busyTimeoutMs, and the waiting stream then refuses statements", async () => {
    const strict = await serveHrana({ url: `file:${join(dir, "busy.db")}`, busyTimeoutMs: 100 });
    const pipeline = async (baton: string | null, sql: string[]) =>
      (
        await fetch(`${strict.url}/v2/pipeline`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ baton, requests: sql.map((s) => ({ type: "execute", stmt: { sql: s } })) }),
        })
      ).json();
    try {
      const client = createClient({ url: strict.url });
      await client.execute("CREATE TABLE t (x)");
      const holder = await pipeline(null, ["BEGIN IMMEDIATE", "INSERT INTO t VALUES (1)"]);
      const waiter = await pipeline(null, ["BEGIN", "INSERT INTO t VALUES (2)"]);
      expect(waiter.results[1]).toMatchObject({ type: "error", error: { code: "SQLITE_BUSY" } });
      // The waiter's connection was reset: it must not carry on as if its transaction were still open.
      const after = await pipeline(waiter.baton, ["INSERT INTO t VALUES (3)", "ROLLBACK"]);
      expect(after.results[0]).toMatchObject({ type: "error", error: { code: "STREAM_CLOSED" } });
      expect(after.results[1]).toMatchObject({ type: "ok" }); // the rollback already happened; saying so is not an error
      await pipeline(holder.baton, ["COMMIT"]);
      await client.execute("INSERT INTO t VALUES (4)");
      expect((await client.execute("SELECT x FROM t ORDER BY x")).rows.map((r) => r.x)).toEqual([1, 4]);
      client.close();
    } finally {
      await strict.close();
    }
  });

  it("fail a deferred transaction whose snapshot went stale, and let the client roll it back", async () => {
    await db.execute("CREATE TABLE snap (x)");
    const tx = await db.transaction("deferred");
    await tx.execute("SELECT count(*) FROM snap"); // the read fixes the snapshot
    await db.execute("INSERT INTO snap VALUES (1)");
    await expect(tx.execute("INSERT INTO snap VALUES (2)")).rejects.toMatchObject({ code: "SQLITE_BUSY" });
    await tx.rollback();
    await db.execute("INSERT INTO snap VALUES (3)");
    expect((await db.execute("SELECT x FROM snap ORDER BY x")).rows.map((r) => r.x)).toEqual([1n, 3n]);
  });
});

describe("auth token", () => {
  it("requires the bearer token on statements, not on version probes", async () => {
    const secured = await serveHrana({ url: `file:${join(dir, "auth.db")}`, authToken: "s3cret" });
    try {
      const good = createClient({ url: secured.url, authToken: "s3cret" });
      expect((await good.execute("SELECT 1 AS one")).rows[0]?.one).toBe(1);
      const wrong = createClient({ url: secured.url, authToken: "guess" });
      await expect(wrong.execute("SELECT 1")).rejects.toBeInstanceOf(LibsqlError);
      const none = createClient({ url: secured.url });
      await expect(none.execute("SELECT 1")).rejects.toMatchObject({ code: "UNAUTHORIZED" });
      const raw = await fetch(`${secured.url}/v2/pipeline`, { method: "POST", body: "{}" });
      expect(raw.status).toBe(401);
      expect((await fetch(`${secured.url}/v2`)).status).toBe(200);
      for (const c of [good, wrong, none]) c.close();
    } finally {
      await secured.close();
    }
  });
});

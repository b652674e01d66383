import { describe, expect, it } from "vitest";
import { server, db, post, useHranaServer } from "./support/hrana.js";

useHranaServer();

// The raw-protocol cases read the items table the batches and transactions below leave behind.

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

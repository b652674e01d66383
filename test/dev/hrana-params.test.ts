import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient, type Client } from "@libsql/client/web";
import Database from "libsql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveHrana, type HranaServer } from "../../src/dev/hrana/index.js";

// The oracle is SQLite itself (the libSQL driver, in this process): the server must number parameters as it does.

let dir: string;
let server: HranaServer;
let db: Client;
const sqlite = new Database(":memory:");

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "skiff-hrana-params-"));
  server = await serveHrana({ url: `file:${join(dir, "params.db")}`, port: 0 });
  db = createClient({ url: server.url });
});

afterAll(async () => {
  db.close();
  sqlite.close();
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

const named = { b: "B", a: "A", x: "X", y: "Y", z: "Z" };
const cases: Array<{ sql: string; args: Record<string, string>; positional: string[] }> = [
  { sql: "SELECT :b, :a, ?1", args: { b: "B", a: "A" }, positional: ["p1", "p2"] },
  { sql: "SELECT :b, :a, ?2, :b", args: { b: "B", a: "A" }, positional: ["p1", "p2"] },
  { sql: "SELECT @x, $y, ?2, ?1, :z", args: { x: "X", y: "Y", z: "Z" }, positional: ["p1", "p2", "p3"] },
];

describe("numbered parameters mixed with named ones", () => {
  it("bind `?1` in `SELECT :b, :a, ?1` to `:b`, as SQLite does", async () => {
    const rs = await db.execute({ sql: "SELECT :b, :a, ?1", args: { b: "B", a: "A" } });
    expect(Array.from(rs.rows[0] ?? [])).toEqual(["B", "A", "B"]);
    expect(sqlite.prepare("SELECT :b, :a, ?1").raw(true).all(named)).toEqual([["B", "A", "B"]]);
  });

  it.each(cases)("binds $sql like SQLite, by name and by position", async ({ sql, args, positional }) => {
    const byName = await db.execute({ sql, args });
    expect(Array.from(byName.rows[0] ?? [])).toEqual(sqlite.prepare(sql).raw(true).all(named)[0]);
    const byPosition = await db.execute({ sql, args: positional });
    expect(Array.from(byPosition.rows[0] ?? [])).toEqual(sqlite.prepare(sql).raw(true).all(positional)[0]);
  });

  it("describes the slot by its first name", async () => {
    const res = await fetch(`${server.url}/v3/pipeline`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        baton: null,
        requests: [{ type: "describe", sql: "SELECT :b, :a, ?1, ?3" }, { type: "close" }],
      }),
    });
    const body = await res.json();
    expect(body.results[0].response.result.params).toEqual([{ name: ":b" }, { name: ":a" }, { name: "?3" }]);
  });
});

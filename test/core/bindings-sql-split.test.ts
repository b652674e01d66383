import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@libsql/client/web";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "skiff";
import { nodeDatabase } from "skiff/node";
import { Database } from "../../src/bindings/db/database.js";
import { splitSql, splitStatements } from "../../src/bindings/db/split-statements.js";
import { serveHrana, type HranaServer } from "../../src/dev/hrana/index.js";

// A column may be called `begin` (SQLite accepts the keyword as a name), and a comment may mention a trigger: neither
// opens a trigger body. The trigger's own body, with `;` and CASE ... END inside, stays one statement.
const SCRIPT = `-- runs are logged by the trigger below
CREATE TABLE runs (id INTEGER PRIMARY KEY, begin TEXT, note TEXT DEFAULT 'a;b');
CREATE TABLE log (run INTEGER, kind TEXT);
CREATE TRIGGER runs_log AFTER INSERT ON runs BEGIN
  INSERT INTO log VALUES (new.id, CASE WHEN new.begin IS NULL THEN 'open' ELSE 'started' END);
  /* a second statement; in the body */ INSERT INTO log VALUES (new.id, 'end');
END;
INSERT INTO runs (begin) VALUES ('09:00');`;

const EXPECTED_LOG = [
  { run: 1, kind: "started" },
  { run: 1, kind: "end" },
];

describe("one SQL splitter for migrations and the Hrana endpoint", () => {
  it("splits the script into the same four statements, the trigger body whole", () => {
    const parts = splitStatements(SCRIPT);
    expect(parts).toHaveLength(4);
    expect(parts[0]).toBe("CREATE TABLE runs (id INTEGER PRIMARY KEY, begin TEXT, note TEXT DEFAULT 'a;b')");
    expect(parts[2]).toMatch(/^CREATE TRIGGER runs_log[\s\S]*'end'\);\nEND$/);
    expect(splitSql(SCRIPT).map((s) => s.text.replace(/;$/, ""))).toEqual(parts);
  });

  it("applies the script as a migration on the Node client", async () => {
    const db = nodeDatabase({ url: ":memory:" });
    await db.migrate([{ id: "001-runs", sql: SCRIPT }]);
    expect(await db.all(sql`SELECT run, kind FROM log ORDER BY rowid`)).toEqual(EXPECTED_LOG);
    db.close();
  });

  describe("through the Hrana endpoint", () => {
    let dir: string;
    let server: HranaServer;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), "skiff-split-"));
      server = await serveHrana({ url: `file:${join(dir, "main.db")}`, port: 0 });
    });
    afterAll(async () => {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    });

    it("runs the script with executeMultiple (the server splits it)", async () => {
      const client = createClient({ url: server.url, intMode: "number" });
      await client.executeMultiple(SCRIPT);
      const rs = await client.execute("SELECT run, kind FROM log ORDER BY rowid");
      expect(rs.rows.map((r) => ({ run: r.run, kind: r.kind }))).toEqual(EXPECTED_LOG);
      await client.execute("DROP TABLE log");
      await client.execute("DROP TABLE runs");
      client.close();
    });

    it("applies the script as a migration over HTTP (skiff splits it, one statement per batch entry)", async () => {
      const db = new Database(() => createClient({ url: server.url, intMode: "number" }));
      await db.migrate([{ id: "001-runs", sql: SCRIPT }]);
      expect(await db.all(sql`SELECT run, kind FROM log ORDER BY rowid`)).toEqual(EXPECTED_LOG);
      db.close();
    });
  });
});

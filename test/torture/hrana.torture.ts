import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@libsql/client/web";
import { createClient as createNodeClient } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveHrana, type HranaServer } from "skiff/local";
import { recordFigures } from "./figures.js";
import { prng } from "./http/hostile.js";

// Bounded: MALFORMED hostile pipeline bodies, WRITERS clients x TXS transactions, and a few runaway statements.
const MALFORMED = Number(process.env.SKIFF_TORTURE_HRANA_REQUESTS ?? 1500);
const WRITERS = 6;
const TXS = 40;
const file = join(mkdtempSync(join(tmpdir(), "torture-hrana-")), "dev.db");
let server: HranaServer;

beforeAll(async () => {
  server = await serveHrana({ url: `file:${file}`, port: 0, onError: () => undefined });
  const db = createClient({ url: server.url });
  await db.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)");
  await db.execute("INSERT INTO counter (id, n) VALUES (1, 0)");
  await db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)");
  db.close();
});
afterAll(() => server?.close());

/** Pipeline bodies that are wrong in every way the protocol allows: types, shapes, batons, sizes, encodings. */
function malformedBodies(count: number): Array<{ path: string; type: string; body: string }> {
  const rand = prng(11);
  const stmts: unknown[] = [
    { sql: 1 },
    { sql: "SELECT ?", args: [{ type: "integer", value: "nope" }] },
    { sql: "SELECT ?", args: [{ type: "blob", base64: "***" }] },
    { sql: "SELECT ?", args: [{ type: "float", value: "x" }] },
    { sql: "SELECT :a", named_args: [{ name: 5, value: {} }] },
    { sql: "SELECT ?", args: [{ type: "text" }] },
    { sql_id: -1 },
    { sql: "SELEC nonsense" },
    { sql: "SELECT 1; SELECT 2" },
    { sql: "\u0000" },
    { sql: "INSERT INTO notes (body) VALUES (?)", args: [{ type: "text", value: "x".repeat(100_000) }] },
    { sql: `SELECT ${"?,".repeat(40_000)}1` },
    { sql: "PRAGMA writable_schema = 1" },
    { sql: "SELECT * FROM sqlite_master; --" },
  ];
  const requests: unknown[] = [
    null,
    [],
    "string",
    { requests: "no" },
    { baton: 12, requests: [] },
    { baton: "forged-baton", requests: [{ type: "execute", stmt: { sql: "SELECT 1" } }] },
    { requests: [{ type: "nope" }] },
    { requests: [{ type: "execute" }] },
    {
      requests: [
        {
          type: "batch",
          batch: { steps: [{ stmt: { sql: "SELECT 1" }, condition: { type: "ok", step: 99 } }] },
        },
      ],
    },
    { requests: [{ type: "batch", batch: { steps: "x" } }] },
    { requests: [{ type: "store_sql", sql_id: 1, sql: 7 }] },
    { requests: [{ type: "close_sql", sql_id: "x" }] },
    { requests: Array.from({ length: 2000 }, () => ({ type: "close" })) },
  ];
  const out: Array<{ path: string; type: string; body: string }> = [];
  for (let i = 0; i < count; i++) {
    const path = ["/v2/pipeline", "/v3/pipeline", "/v3/cursor", "/v1/execute", "/v2"][
      Math.floor(rand() * 5)
    ] as string;
    const type = rand() < 0.9 ? "application/json" : "text/plain";
    let body: string;
    const roll = rand();
    if (roll < 0.15) body = '{"requests": [';
    else if (roll < 0.2) body = `${"[".repeat(20_000)}${"]".repeat(20_000)}`;
    else if (roll < 0.55) body = JSON.stringify(requests[Math.floor(rand() * requests.length)]);
    else {
      const stmt = stmts[Math.floor(rand() * stmts.length)];
      body = JSON.stringify({ requests: [{ type: "execute", stmt }, { type: "close" }] });
    }
    out.push({ path, type, body });
  }
  return out;
}

describe("serveHrana under hostile clients", () => {
  it(`answers ${MALFORMED} malformed requests without a 5xx and stays up`, async () => {
    const failures: string[] = [];
    const bodies = malformedBodies(MALFORMED);
    for (let i = 0; i < bodies.length; i += 25) {
      const answers = await Promise.all(
        bodies.slice(i, i + 25).map(async (b) => {
          const res = await fetch(`${server.url}${b.path}`, {
            method: "POST",
            headers: { "content-type": b.type },
            body: b.body,
          });
          return { b, status: res.status, text: await res.text() };
        }),
      );
      for (const a of answers)
        if (a.status >= 500)
          failures.push(`${a.b.path} ${a.b.body.slice(0, 80)}: ${a.status} ${a.text.slice(0, 120)}`);
    }
    const health = await fetch(`${server.url}/health`);
    recordFigures({
      suite: "hrana malformed",
      tried: bodies.length,
      held: bodies.length - failures.length,
      lost: failures.length,
    });
    expect(failures.slice(0, 10)).toEqual([]);
    expect(health.status).toBe(200);
  });

  it(`serialises ${WRITERS} concurrent writers: ${WRITERS * TXS} read-modify-write transactions, none lost`, async () => {
    const clients = Array.from({ length: WRITERS }, () => createClient({ url: server.url }));
    let failed = 0;
    await Promise.all(
      clients.map(async (db) => {
        for (let i = 0; i < TXS; i++) {
          for (let attempt = 0; ; attempt++) {
            const tx = await db.transaction("write");
            try {
              const row = await tx.execute("SELECT n FROM counter WHERE id = 1");
              await tx.execute({
                sql: "UPDATE counter SET n = ? WHERE id = 1",
                args: [Number(row.rows[0]?.n) + 1],
              });
              await tx.commit();
              break;
            } catch (error) {
              await tx.rollback().catch(() => undefined);
              if (attempt >= 5) {
                failed++;
                throw error;
              }
            } finally {
              tx.close();
            }
          }
        }
      }),
    );
    const check = createClient({ url: server.url });
    const n = Number((await check.execute("SELECT n FROM counter WHERE id = 1")).rows[0]?.n);
    check.close();
    clients.forEach((c) => c.close());
    recordFigures({
      suite: "hrana writers",
      tried: WRITERS * TXS,
      held: n,
      lost: WRITERS * TXS - n,
      notes: { failed },
    });
    expect(n).toBe(WRITERS * TXS);
  });

  it("keeps answering /health while a runaway statement runs, and refuses file-writing statements", async () => {
    const db = createClient({ url: server.url });
    const started = Date.now();
    const runaway = db
      .execute("WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r) SELECT count(*) FROM r")
      .then(
        () => "finished",
        (error: Error) => error.message,
      );
    const latencies: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t = performance.now();
      const res = await fetch(`${server.url}/health`, { signal: AbortSignal.timeout(5_000) });
      latencies.push(performance.now() - t);
      expect(res.status).toBe(200);
      await new Promise((r) => setTimeout(r, 50));
    }
    const outcome = await runaway;
    const refused = await Promise.all(
      [`ATTACH DATABASE '${file}.evil' AS evil`, `VACUUM INTO '${file}.copy'`, "DETACH DATABASE main"].map(
        (s) =>
          db.execute(s).then(
            () => "ran",
            (error: Error) => error.message,
          ),
      ),
    );
    db.close();
    recordFigures({
      suite: "hrana runaway sql",
      tried: 1 + refused.length,
      held: (outcome === "finished" ? 0 : 1) + refused.filter((r) => r !== "ran").length,
      lost: (outcome === "finished" ? 1 : 0) + refused.filter((r) => r === "ran").length,
      notes: { healthMaxMs: Math.round(Math.max(...latencies)), runawayStoppedMs: Date.now() - started },
    });
    expect(outcome).not.toBe("finished");
    expect(Math.max(...latencies)).toBeLessThan(1_000);
    expect(refused.filter((r) => r === "ran")).toEqual([]);
  });

  it("leaves the database file intact", async () => {
    await server.close();
    const db = createNodeClient({ url: `file:${file}` });
    const result = await db.execute("PRAGMA integrity_check");
    db.close();
    expect(result.rows[0]?.[0]).toBe("ok");
  });
});

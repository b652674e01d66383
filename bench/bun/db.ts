import { sql, type SqlQuery } from "skiff";
import type { Database } from "skiff/adapter";
import { bunDatabase } from "../../src/adapters/bun/runtime.js";
import type { BunApi } from "../../src/adapters/bun/types.js";
import { nodeDatabase } from "../../src/bindings/db/node.js";
import { alternate, median, spread } from "../lib/stats.js";

// Run by bun (bench/bun.ts spawns it): the same workloads through skiff's Database on the two backends a Bun server
// could use for a file: database, the libSQL client (its native module, as on Node) and bun:sqlite (what skiff/bun
// picks), alternated round by round. Prints one JSON line: per workload, each backend's median ms and spread.
const bun = (globalThis as { Bun?: BunApi }).Bun as BunApi;
const N = Number(process.env.BENCH_BUN_DB_N ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const dir = process.env.BENCH_BUN_DB_DIR ?? "/tmp/skiff-bench/bun-db";
const stamp = Date.now().toString(36);

const backends: Record<"libsql" | "bun:sqlite", Database> = {
  libsql: nodeDatabase({ url: `file:${dir}/libsql-${stamp}.db` }),
  "bun:sqlite": await bunDatabase({ url: `file:${dir}/bun-sqlite-${stamp}.db` }, bun),
};
await bun.write(`${dir}/libsql-${stamp}.db`, ""); // the libSQL client does not create the folder itself

const SCHEMA = sql`CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, qty INTEGER NOT NULL)`;
const insert = (i: number): SqlQuery => sql`INSERT INTO items (name, qty) VALUES (${`item-${i}`}, ${i})`;

async function fill(db: Database): Promise<void> {
  await db.run(sql`DELETE FROM items`);
  await db.batch(Array.from({ length: N }, (_, i) => insert(i)));
}

const WORKLOADS: Record<
  string,
  { prepare: (db: Database) => Promise<void>; run: (db: Database) => Promise<unknown> }
> = {
  [`${N} single inserts (db.run)`]: {
    prepare: (db) => db.run(sql`DELETE FROM items`).then(() => undefined),
    run: async (db) => {
      for (let i = 0; i < N; i++) await db.run(insert(i));
    },
  },
  [`one batch of ${N} inserts (db.batch)`]: {
    prepare: (db) => db.run(sql`DELETE FROM items`).then(() => undefined),
    run: (db) => db.batch(Array.from({ length: N }, (_, i) => insert(i))),
  },
  [`${N} point reads (db.get by id)`]: {
    prepare: fill,
    run: async (db) => {
      const first = (await db.get<{ id: number }>(sql`SELECT min(id) AS id FROM items`))?.id ?? 1;
      for (let i = 0; i < N; i++) await db.get(sql`SELECT id, name, qty FROM items WHERE id = ${first + i}`);
    },
  },
  [`${N / 10} reads of 100 rows (db.all)`]: {
    prepare: fill,
    run: async (db) => {
      for (let i = 0; i < N / 10; i++)
        await db.all(sql`SELECT id, name, qty FROM items ORDER BY id LIMIT 100`);
    },
  },
};

const results: Array<{ workload: string; libsql: number[]; "bun:sqlite": number[] }> = [];
for (const db of Object.values(backends)) await db.run(SCHEMA);
for (const [workload, { prepare, run }] of Object.entries(WORKLOADS)) {
  const samples = await alternate(["libsql", "bun:sqlite"] as const, ROUNDS, async (name) => {
    const db = backends[name];
    await prepare(db);
    const started = performance.now();
    await run(db);
    return performance.now() - started;
  });
  results.push({ workload, ...samples });
}
for (const db of Object.values(backends)) db.close();
console.log(
  JSON.stringify({
    ready: true,
    bun: bun.version,
    n: N,
    rounds: ROUNDS,
    results: results.map((r) => ({
      workload: r.workload,
      libsql: { ms: median(r.libsql), spread: spread(r.libsql) },
      bunSqlite: { ms: median(r["bun:sqlite"]), spread: spread(r["bun:sqlite"]) },
    })),
  }),
);

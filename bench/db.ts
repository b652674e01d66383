import { createClient } from "@libsql/client/web";
import { sql, type SqlQuery } from "skiff";
import { Database } from "skiff/adapter";
import { nodeDatabase } from "skiff/node";
import { serveHrana } from "../src/dev/hrana/index.js";
import { freshDatabase } from "./lib/files.js";
import { progress, runComparison } from "./lib/report.js";
import { alternate, fmt, median, spread } from "./lib/stats.js";
import { table } from "./lib/table.js";

// Goal 4: db.batch() against one statement at a time, embedded and over HTTP, and what the sql tag costs.
const N = 1000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
// Many short alternating blocks rather than a few long ones: on a busy machine the median of many is steadier.
const QUERY_ROUNDS = 30;
const QUERIES = 200;

const SCHEMA = sql`CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, qty INTEGER NOT NULL)`;
const insert = (i: number): SqlQuery => sql`INSERT INTO items (name, qty) VALUES (${`item-${i}`}, ${i})`;

/**
 * Times N single inserts against one batch of N, alternating, and checks each wrote exactly N rows. `requests`
 * reads an HTTP request counter, so each write's round trips are counted, not assumed.
 */
async function inserts(db: Database, requests: () => number = () => 0) {
  await db.run(SCHEMA);
  const write = {
    singles: async () => {
      for (let i = 0; i < N; i++) await db.run(insert(i));
    },
    batch: () => db.batch(Array.from({ length: N }, (_, i) => insert(i))),
  };
  const calls = { singles: [] as number[], batch: [] as number[] };
  const samples = await alternate(["singles", "batch"] as const, ROUNDS, async (how) => {
    await db.run(sql`DELETE FROM items`);
    const before = requests();
    const started = performance.now();
    await write[how]();
    const ms = performance.now() - started;
    calls[how].push(requests() - before);
    const rows = await db.get<{ n: number }>(sql`SELECT count(*) AS n FROM items`);
    if (Number(rows?.n) !== N) throw new Error(`${how} wrote ${String(rows?.n)} rows, not ${N}`);
    return ms;
  });
  return { ...samples, calls };
}

const cell = (s: number[]) => `${fmt.ms(median(s))} ${fmt.pct(spread(s))}`;

await runComparison("4. Database (libSQL)", async (out) => {
  const rows: string[][] = [];

  progress(`embedded file: ${N} inserts × ${ROUNDS} rounds`);
  const embedded = nodeDatabase({ url: freshDatabase("inserts") });
  const e = await inserts(embedded);
  const eRatio = median(e.singles) / median(e.batch);
  rows.push(["embedded file (WAL)", cell(e.singles), cell(e.batch), fmt.ratio(eRatio), "—"]);

  progress(`local libSQL HTTP endpoint: ${N} inserts × ${ROUNDS} rounds`);
  const server = await serveHrana({ url: freshDatabase("hrana"), port: 0 });
  let requests = 0;
  // Counts every HTTP request the web client makes.
  const counting = (input: RequestInfo | URL, init?: RequestInit) => {
    requests++;
    return fetch(input, init);
  };
  const remote = new Database(() => createClient({ url: server.url, fetch: counting, intMode: "number" }));
  try {
    await remote.all(sql`SELECT 1`); // protocol discovery happens once per client, before any timing
    const h = await inserts(remote, () => requests);
    const hRatio = median(h.singles) / median(h.batch);
    const batchRequests = h.calls.batch;
    rows.push([
      "libSQL over HTTP (serveHrana + @libsql/client/web)",
      cell(h.singles),
      cell(h.batch),
      fmt.ratio(hRatio),
      `${h.calls.singles.map(fmt.int).join(", ")} vs ${batchRequests.join(", ")}`,
    ]);
    out.add(
      table(
        [
          `${N} inserts`,
          "one at a time",
          "db.batch()",
          "speed-up",
          "HTTP requests (singles vs batch, per round)",
        ],
        rows,
        ["l", "r", "r", "r", "r"],
      ),
    );
    out.note(
      `Over HTTP one single insert takes ${fmt.ms(median(h.singles) / N)} (one pipeline request each).`,
    );
    out.atLeast(
      `db: batch of ${N} ≥ 10× faster than ${N} single inserts (embedded file)`,
      eRatio,
      10,
      fmt.ratio(eRatio),
    );
    out.atMost(
      `db: a batch over HTTP is exactly 1 request`,
      Math.max(...batchRequests),
      1,
      `${batchRequests.join(", ")} request(s) per batch of ${N}; ${fmt.ratio(hRatio)} faster than singles`,
    );
  } finally {
    remote.close();
    await server.close();
  }

  progress(`sql tag + db.all vs raw execute: ${QUERY_ROUNDS} rounds × ${QUERIES} queries`);
  const client = embedded.client;
  const q = await alternate(["skiff", "raw"] as const, QUERY_ROUNDS, async (how) => {
    const started = performance.now();
    let seen = 0;
    for (let i = 0; i < QUERIES; i++) {
      const after = i % 900;
      if (how === "skiff")
        seen += (
          await embedded.all(sql`SELECT id, name, qty FROM items WHERE id > ${after} ORDER BY id LIMIT 10`)
        ).length;
      else
        seen += (
          await client.execute({
            sql: "SELECT id, name, qty FROM items WHERE id > ? ORDER BY id LIMIT 10",
            args: [after],
          })
        ).rows.length;
    }
    if (seen !== QUERIES * 10) throw new Error(`${how} read ${seen} rows`);
    return ((performance.now() - started) * 1000) / QUERIES;
  });
  const qRatio = median(q.skiff) / median(q.raw);
  out.add(
    table(
      ["10-row SELECT, embedded", "µs per query (median)", "vs raw"],
      [
        [
          "raw `client.execute({ sql, args })`",
          `${median(q.raw).toFixed(1)} ${fmt.pct(spread(q.raw))}`,
          "1.00×",
        ],
        [
          "skiff `db.all(sql\\`...\\`)` (plain-object rows)",
          `${median(q.skiff).toFixed(1)} ${fmt.pct(spread(q.skiff))}`,
          fmt.ratio(qRatio),
        ],
      ],
      ["l", "r", "r"],
    ),
  );
  out.note(
    `Both on the same @libsql/client instance (intMode "number"); ${QUERY_ROUNDS} alternating rounds of ${QUERIES} queries.`,
  );
  out.atMost("db: sql tag + db.all ≤ 1.05× raw @libsql/client execute", qRatio, 1.05, fmt.ratio(qRatio));
  embedded.close();
});

import { DBOS } from "@dbos-inc/dbos-sdk";
import pg, { type Pool, type PoolClient } from "pg";
import type { StatementCounts } from "./harness.js";
import type { DbosReply, DbosRequest } from "./dbos.js";

// The DBOS contender, in its own process (DBOS is a process-wide singleton with its own background loops, which
// must not share an event loop with the skiff contenders). The parent sends a measurement over IPC and gets its
// figures back. Every step does the same work as skiff's: one INSERT of (job, step) into the app's own table.
const STEPS = Number(process.env.BENCH_STEPS);
const socketDir = process.env.BENCH_PG_SOCKET ?? "";
const port = Number(process.env.BENCH_PG_PORT);
const user = process.env.BENCH_PG_USER ?? "bench";
const DATABASE = "bench";

let counts: StatementCounts = { calls: 0, statements: 0, writes: 0 };
const control = /^\s*(BEGIN|START|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE)\b/i;

interface Result {
  command?: string;
  rowCount?: number | null;
}
const tally = (result: Result | Result[]) => {
  for (const r of Array.isArray(result) ? result : [result])
    if (/^(INSERT|UPDATE|DELETE)$/.test(r.command ?? "") && (r.rowCount ?? 0) > 0) counts.writes++;
};

// Counts every statement on the pool's connections, as the libSQL proxy does for skiff: a round trip per query,
// a statement per query that is not transaction control, a write per INSERT/UPDATE/DELETE that changed a row.
function countedPool(database: string, max: number): Pool {
  const pool = new pg.Pool({ host: socketDir, port, user, database, max });
  pool.on("error", () => {});
  pool.on("connect", (client: PoolClient) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (...args: unknown[]) => {
      const first = args[0] as { text?: string; submit?: unknown } | string | undefined;
      if (typeof first === "object" && typeof first?.submit === "function") return query(...args);
      const text = typeof first === "string" ? first : (first?.text ?? "");
      counts.calls++;
      if (!control.test(text)) counts.statements++;
      const last = args.at(-1);
      if (typeof last === "function") {
        args[args.length - 1] = (error: unknown, result: Result | Result[]) => {
          if (!error) tally(result);
          (last as (e: unknown, r: unknown) => void)(error, result);
        };
        return query(...args);
      }
      return (query(...args) as Promise<Result | Result[]>).then((result) => {
        tally(result);
        return result;
      });
    };
  });
  return pool;
}

async function createDatabase(): Promise<void> {
  const admin = new pg.Client({ host: socketDir, port, user, database: "postgres" });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await admin.end();
  }
}

await createDatabase();
const app = countedPool(DATABASE, 10);
const system = countedPool(DATABASE, 10); // DBOS's default system pool size
await app.query("CREATE TABLE work (job INTEGER NOT NULL, step INTEGER NOT NULL)");

const work = (job: number, step: number) =>
  app.query("INSERT INTO work (job, step) VALUES ($1, $2)", [job, step]).then(() => step);

const chain = DBOS.registerWorkflow(
  async (job: number) => {
    for (let i = 0; i < STEPS; i++) await DBOS.runStep(() => work(job, i), { name: `s${i}` });
    return job;
  },
  { name: "chain" },
);
const item = DBOS.registerWorkflow(
  async (job: number, i: number) => DBOS.runStep(() => work(job, i), { name: "item" }),
  { name: "item" },
);
// DBOS's fan-out/fan-in: start every child workflow (one step each) at once, then await every handle. DBOS
// reserves a child's function id before its first await, so concurrent starts replay deterministically.
const fanChildren = DBOS.registerWorkflow(
  async (job: number, items: number) => {
    const all = Array.from({ length: items }, (_, i) => i);
    const handles = await Promise.all(all.map((i) => DBOS.startWorkflow(item)(job, i)));
    const done = await Promise.all(handles.map((h) => h.getResult()));
    return { items: done.length, inOrder: done.every((v, i) => v === i) };
  },
  { name: "fanChildren" },
);
// The lighter variant: every item a step of the parent itself, all started at once (Promise.all over runStep).
const fanSteps = DBOS.registerWorkflow(
  async (job: number, items: number) => {
    const all = Array.from({ length: items }, (_, i) => i);
    const done = await Promise.all(all.map((i) => DBOS.runStep(() => work(job, i), { name: "item" })));
    return { items: done.length, inOrder: done.every((v, i) => v === i) };
  },
  { name: "fanSteps" },
);

DBOS.setConfig({
  name: "skiff-bench",
  systemDatabaseUrl: `postgresql://${user}@127.0.0.1:${port}/${DATABASE}`,
  systemDatabasePool: system,
  logLevel: "error",
});
await DBOS.launch();

let run = 0;
const workRows = async () =>
  Number((await app.query<{ n: string }>("SELECT count(*) AS n FROM work")).rows[0]?.n ?? -1);

async function overhead(jobs: number, concurrent: boolean) {
  const prefix = `r${++run}`;
  await app.query("TRUNCATE work");
  await DBOS.startWorkflow(chain, { workflowID: `${prefix}-warm` })(0).then((h) => h.getResult());
  counts = { calls: 0, statements: 0, writes: 0 };
  const started = performance.now();
  if (concurrent) {
    const handles = await Promise.all(
      Array.from({ length: jobs }, (_, j) =>
        DBOS.startWorkflow(chain, { workflowID: `${prefix}-${j}` })(j + 1),
      ),
    );
    await Promise.all(handles.map((h) => h.getResult()));
  } else {
    for (let j = 0; j < jobs; j++)
      await (await DBOS.startWorkflow(chain, { workflowID: `${prefix}-${j}` })(j + 1)).getResult();
  }
  const ms = performance.now() - started;
  const taken = counts;
  const rows = (await workRows()) - STEPS;
  if (rows !== jobs * STEPS) throw new Error(`DBOS: ${rows} units of work for ${jobs} jobs`);
  const ok = await system.query<{ n: string }>(
    "SELECT count(*) AS n FROM dbos.workflow_status WHERE workflow_uuid LIKE $1 AND status = 'SUCCESS'",
    [`${prefix}-%`],
  );
  if (Number(ok.rows[0]?.n) !== jobs + 1)
    throw new Error(`DBOS: ${ok.rows[0]?.n} of ${jobs + 1} runs succeeded`);
  const steps = jobs * STEPS;
  return {
    ms: ms / steps,
    counts: {
      calls: taken.calls / steps,
      statements: taken.statements / steps,
      writes: taken.writes / steps,
    },
  };
}

async function fanOut(items: number, children: boolean) {
  const fan = children ? fanChildren : fanSteps;
  const prefix = `r${++run}`;
  await app.query("TRUNCATE work");
  await (await DBOS.startWorkflow(fan, { workflowID: `${prefix}-warm` })(0, 1)).getResult();
  counts = { calls: 0, statements: 0, writes: 0 };
  const started = performance.now();
  const result = await (await DBOS.startWorkflow(fan, { workflowID: `${prefix}-fan` })(1, items)).getResult();
  const ms = performance.now() - started;
  const taken = counts;
  if (result.items !== items || !result.inOrder)
    throw new Error(`DBOS: the fan-in returned ${JSON.stringify(result)}`);
  const rows = (await workRows()) - 1;
  if (rows !== items) throw new Error(`DBOS: ${rows} units of work for ${items} items`);
  return {
    ms,
    counts: {
      calls: taken.calls / items,
      statements: taken.statements / items,
      writes: taken.writes / items,
    },
  };
}

async function shutdown(): Promise<void> {
  await DBOS.shutdown().catch(() => {});
  await Promise.allSettled([app.end(), system.end()]);
}

process.on("message", (message: DbosRequest) => {
  const reply = (r: DbosReply) => process.send?.(r);
  if (message.op === "quit") {
    void shutdown().finally(() => process.exit(0));
    return;
  }
  const job =
    message.op === "overhead"
      ? overhead(message.jobs, message.concurrent)
      : fanOut(message.items, message.children);
  job.then(
    (result) => reply({ id: message.id, ok: true, ...result }),
    (error: unknown) => reply({ id: message.id, ok: false, error: String((error as Error)?.stack ?? error) }),
  );
});
// What the server really runs with, for the report (the cluster is started with these left at their defaults).
const durability = await app.query<{ name: string; setting: string }>(
  "SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'wal_sync_method') ORDER BY name",
);
process.send?.({ ready: true, settings: durability.rows.map((r) => `${r.name}=${r.setting}`).join(", ") });

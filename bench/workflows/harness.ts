import type { Client, InStatement, ResultSet, Transaction } from "@libsql/client";
import {
  createRuntime,
  Database,
  drainOnce,
  LibsqlKV,
  LibsqlQueueStore,
  WaitUntilTracker,
  type SkiffRuntime,
} from "skiff/adapter";
import { nodeDatabase } from "skiff/node";
import { sql } from "skiff";
import { freshDatabase } from "../lib/files.js";

/** Statements sent to libSQL through one app's Database: every call, and each statement by kind. */
export interface StatementCounts {
  /** Round trips: `execute`, `batch`, `executeMultiple`, transaction begin/commit/rollback. */
  calls: number;
  statements: number;
  /** Statements that changed at least one row (a fenced or empty UPDATE that changed nothing is not one). */
  writes: number;
}

const zero = (): StatementCounts => ({ calls: 0, statements: 0, writes: 0 });

/** Counts one round trip of `n` statements, and its writes once it has resolved. */
async function counted<R extends ResultSet | ResultSet[]>(
  counts: StatementCounts,
  n: number,
  call: Promise<R>,
): Promise<R> {
  counts.calls++;
  counts.statements += n;
  const result = await call;
  for (const r of Array.isArray(result) ? result : [result]) if (r.rowsAffected > 0) counts.writes++;
  return result;
}

// Wraps the client so every statement the app, the queue store and the workflow engine send is counted, whichever
// method they use. A Proxy keeps the client's full interface without restating it.
function countingTransaction(tx: Transaction, counts: StatementCounts): Transaction {
  return new Proxy(tx, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (prop === "execute") return (stmt: InStatement) => counted(counts, 1, target.execute(stmt));
      if (prop === "batch")
        return (stmts: InStatement[]) => counted(counts, stmts.length, target.batch(stmts));
      if (prop === "commit" || prop === "rollback") counts.calls++;
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

function countingClient(client: Client, counts: StatementCounts): Client {
  return new Proxy(client, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (prop === "execute")
        return (stmt: InStatement, args?: never) =>
          counted(counts, 1, args === undefined ? target.execute(stmt) : target.execute(stmt as never, args));
      if (prop === "batch")
        return (stmts: InStatement[], mode?: never) =>
          counted(counts, stmts.length, target.batch(stmts, mode));
      if (prop === "transaction")
        return async (mode?: never) => {
          counts.calls++;
          return countingTransaction(await target.transaction(mode), counts);
        };
      if (prop === "executeMultiple")
        return (text: string) => {
          counts.calls++;
          counts.statements += text.split(";").filter((s) => s.trim()).length;
          return target.executeMultiple(text);
        };
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** One app on the embedded libSQL file, as serve() assembles it, with its statements counted. */
export interface Harness {
  readonly runtime: SkiffRuntime;
  readonly store: LibsqlQueueStore;
  /** The counted Database the app, its queue and the engine use. */
  readonly db: Database;
  /** Another connection to the same file, for the harness's own checks (not counted). */
  readonly probe: Database;
  readonly waitUntil: (promise: Promise<unknown>) => void;
  /** Applies the app's migrations (they run before the first query through the runtime's Database). */
  ready(): Promise<void>;
  /** Returns the counts since the last call (or since the harness was made) and starts counting afresh. */
  takeCounts(): StatementCounts;
  close(): Promise<void>;
}

/**
 * Assembles `app` as `serve()` does (node platform, embedded file, LibsqlKV, the durable libSQL queue in the same
 * file), with a statement counter between the app and libSQL.
 *
 * @example
 * ```ts
 * const h = harness(app, "wf-0");
 * await pump(h, async () => (await h.probe.get(sql`SELECT 1 AS ok`))?.ok === 1);
 * ```
 */
export function harness(app: Parameters<typeof createRuntime>[0], name: string): Harness {
  const url = freshDatabase(name);
  const counts = { current: zero() };
  const raw = nodeDatabase({ url });
  const db = new Database(() => countingClient(raw.client, counts.current));
  const probe = nodeDatabase({ url });
  const store = new LibsqlQueueStore(db);
  const runtime = createRuntime(app, {
    platform: "node",
    env: {},
    db: () => db,
    kv: () => new LibsqlKV(db),
    queue: (q) => store.transport(q),
  });
  const tracker = new WaitUntilTracker(runtime.log);
  return {
    runtime,
    store,
    db,
    probe,
    waitUntil: tracker.waitUntil,
    ready: () => runtime.db.run(sql`SELECT 1`).then(() => undefined),
    takeCounts() {
      const taken = { ...counts.current };
      Object.assign(counts.current, zero());
      return taken;
    },
    async close() {
      await tracker.settle();
      db.close();
      raw.close();
      probe.close();
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Delivers the app's queues as the Node queue worker does (one loop per queue, a batch at a time) until `done`
 * says so, and returns how many polls found nothing (each is one statement, an UPDATE that changes no row, which
 * the per-step figures leave out). Bounded: throws after `budgetMs`, so a run that never ends cannot hang the bench.
 *
 * @example
 * ```ts
 * await pump(h, async () => (await h.probe.get<{ n: number }>(sql`SELECT count(*) AS n FROM work`))?.n === 100);
 * ```
 */
export async function pump(h: Harness, done: () => Promise<boolean>, budgetMs = 60_000): Promise<number> {
  const deadline = performance.now() + budgetMs;
  let stop = false;
  let idle = 0;
  const loops = [...h.runtime.registry.queues.keys()].map(async (queue) => {
    while (!stop && performance.now() < deadline) {
      if ((await drainOnce(h.runtime, h.store, queue, h.waitUntil)) > 0) continue;
      idle++;
      await sleep(1);
    }
  });
  try {
    while (!(await done())) {
      if (performance.now() > deadline) throw new Error(`not done within ${budgetMs} ms`);
      await sleep(2);
    }
  } finally {
    stop = true;
    await Promise.all(loops);
  }
  return idle;
}

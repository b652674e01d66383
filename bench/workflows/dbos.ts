import { fork, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { TS_FLAGS } from "../lib/child.js";
import { fromRoot } from "../lib/paths.js";
import type { StatementCounts } from "./harness.js";
import { postgresBinaries, startCluster, type Cluster } from "./postgres.js";

// DBOS as a peer of the workflow bench: a throwaway Postgres cluster for its journal, and the DBOS app in a child
// process (bench/workflows/dbos-child.ts) that runs one measurement per request.
const PACKAGE = "@dbos-inc/dbos-sdk";
const READY_MS = 60_000;
const REQUEST_MS = 90_000;

/** A measurement the parent asks of the DBOS child. */
export type DbosRequest =
  | { id: number; op: "overhead"; jobs: number; concurrent: boolean }
  | { id: number; op: "fanout"; items: number; children: boolean }
  | { op: "quit" };

/** ms (per step for `overhead`, for the whole run for `fanout`) and the statements per step or item. */
export interface DbosSample {
  ms: number;
  counts: StatementCounts;
}

/** The child's answer to one request. */
export type DbosReply = ({ id: number; ok: true } & DbosSample) | { id: number; ok: false; error: string };

/** A running DBOS contender: its Postgres cluster and the child process that hosts the app. */
export interface DbosPeer {
  /** e.g. "@dbos-inc/dbos-sdk 5.3.0 on PostgreSQL 15.18 ...". */
  readonly describe: string;
  /** `jobs` 10-step workflows, all at once or one after the other; ms and statements per step. */
  overhead(jobs: number, concurrent: boolean): Promise<DbosSample>;
  /**
   * One workflow over `items` items, each a child workflow of one step (`children`) or a step of its own, all
   * started at once and then awaited; ms for the run, statements per item.
   */
  fanOut(items: number, children: boolean): Promise<DbosSample>;
  /** Ends the child, stops Postgres and deletes the cluster (bounded; safe to call twice). */
  close(): Promise<void>;
}

/** A measurement DBOS failed (as opposed to a failure of skiff's contenders): the bench goes on without DBOS. */
export class DbosFailure extends Error {}

/** Either a peer to measure, or why DBOS does not run here: `skipped` (nothing to run it on) or `missed` (it failed). */
export type DbosStart = { peer: DbosPeer } | { skipped: string } | { missed: string };

const version = (): string | undefined => {
  const file = fromRoot(`node_modules/${PACKAGE}/package.json`);
  return existsSync(file)
    ? (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version
    : undefined;
};

/**
 * Starts Postgres and the DBOS child; never throws: a failure comes back as `missed` with its cause, and whatever
 * was started is stopped again.
 *
 * @example
 * ```ts
 * const dbos = await startDbos(10);
 * if ("peer" in dbos) try { await dbos.peer.overhead(100, true); } finally { await dbos.peer.close(); }
 * ```
 */
export async function startDbos(steps: number): Promise<DbosStart> {
  const v = version();
  if (!v) return { skipped: `\`${PACKAGE}\` is not installed (\`npm i -E -D ${PACKAGE}@5.3.0\`)` };
  const bin = postgresBinaries();
  if (!bin)
    return {
      skipped: "no Postgres binaries (initdb, pg_ctl, postgres) on PATH or in /usr/lib/postgresql/*/bin",
    };
  let cluster: Cluster;
  try {
    cluster = await startCluster(bin);
  } catch (error) {
    return { missed: `Postgres did not start: ${(error as Error).message}` };
  }
  const child = fork(fromRoot("bench/workflows/dbos-child.ts"), [], {
    execArgv: TS_FLAGS,
    env: {
      ...process.env,
      BENCH_STEPS: String(steps),
      BENCH_PG_SOCKET: cluster.socketDir,
      BENCH_PG_PORT: String(cluster.port),
      BENCH_PG_USER: cluster.user,
    },
    stdio: ["ignore", "ignore", "pipe", "ipc"],
  });
  let stderr = "";
  child.stderr?.on("data", (c: Buffer) => (stderr = (stderr + c.toString()).slice(-2000)));
  const tail = () => stderr.trim().split("\n").slice(-4).join(" ").slice(-600);
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    process.off("exit", onExit);
    try {
      await endChild(child);
    } finally {
      await cluster.stop();
    }
  };
  // A crash of this process must not leave a postgres behind: kill the child at exit (the cluster goes with close()).
  const onExit = () => void child.kill("SIGKILL");
  process.once("exit", onExit);
  let settings: string;
  try {
    settings = await ready(child, tail);
  } catch (error) {
    await close().catch(() => {});
    return { missed: `DBOS did not launch: ${(error as Error).message}` };
  }
  let next = 0;
  const ask = (request: DbosRequest & { id: number }) =>
    new Promise<DbosSample>((resolve, reject) => {
      const timer = setTimeout(
        () => finish(new DbosFailure(`no answer within ${REQUEST_MS} ms`)),
        REQUEST_MS,
      );
      const onMessage = (reply: DbosReply) => {
        if (reply.id !== request.id) return;
        if (reply.ok) finish(undefined, reply);
        else finish(new DbosFailure(reply.error.split("\n").slice(0, 3).join(" ")));
      };
      const onExitChild = (code: number | null) =>
        finish(new DbosFailure(`the DBOS process exited (${code}): ${tail()}`));
      function finish(error?: Error, reply?: DbosSample) {
        clearTimeout(timer);
        child.off("message", onMessage);
        child.off("exit", onExitChild);
        if (error) reject(error);
        else resolve({ ms: reply!.ms, counts: reply!.counts });
      }
      child.on("message", onMessage);
      child.once("exit", onExitChild);
      child.send(request);
    });
  return {
    peer: {
      describe: `\`${PACKAGE}\` ${v}; ${cluster.settings} (${settings})`,
      overhead: (jobs, concurrent) => ask({ id: ++next, op: "overhead", jobs, concurrent }),
      fanOut: (items, children) => ask({ id: ++next, op: "fanout", items, children }),
      close,
    },
  };
}

// Resolves with the durability settings the child read from the server once DBOS has launched.
function ready(child: ChildProcess, tail: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready within ${READY_MS} ms: ${tail()}`)), READY_MS);
    child.once("message", (message: { settings?: string }) => {
      clearTimeout(timer);
      resolve(message.settings ?? "settings not reported");
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`exited (${signal ?? code}) before it was ready: ${tail()}`));
    });
  });
}

// Asks the child to shut DBOS down and exit; kills it when it has not within a few seconds.
function endChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    if (child.connected) child.send({ op: "quit" } satisfies DbosRequest);
    else child.kill("SIGKILL");
  });
}

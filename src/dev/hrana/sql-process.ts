// The SQL process: a child of the Hrana server that owns SQLite connections and runs their statements. SQLite runs
// synchronously and the libSQL driver cannot interrupt a running statement from another thread (its `interrupt()`
// waits for the lock the statement holds, and a worker thread stuck in native code can be neither terminated nor
// joined), so statements run here, where the server can stop a runaway one by ending the process.
import { Worker } from "node:worker_threads";
import { cursorEntries, executeBatch } from "./batch.js";
import { HranaConnection } from "./connection.js";
import { HranaRequestError, toHranaError } from "./errors.js";
import { parseCursorBody, parsePipelineBody } from "./parse.js";
import { runPipeline, type StreamState } from "./pipeline.js";
import type { HranaCursorEntry } from "./protocol.js";
import type { SqlCommand, SqlProcessConfig, SqlReport } from "./sql-process-messages.js";

const BEAT_MS = 100;
const config = JSON.parse(process.argv[2] ?? "{}") as SqlProcessConfig;
const streams = new Map<number, StreamState>();
let lastBeat = 0;
let lastConn: number | null = null;
let lastStatement = false;

const send = (report: SqlReport) => process.send?.(report);

// A beat says "this process is alive". The server stops the process when beats stop for longer than its statement
// time limit after one said a statement was starting; `conn` tells it whose statement that was.
function beat(conn: number | null, statement: boolean): void {
  const now = performance.now();
  if (conn === lastConn && statement === lastStatement && now - lastBeat < BEAT_MS) return;
  lastBeat = now;
  lastConn = conn;
  lastStatement = statement;
  send({ type: "beat", conn, statement });
}

// A malformed body is the client's error, reported as an HTTP status; nothing has run.
function requestError(id: number, error: unknown): boolean {
  if (!(error instanceof HranaRequestError)) return false;
  send({
    type: "done",
    id,
    requestError: { status: error.status, code: error.code, message: error.message },
  });
  return true;
}

function stream(conn: number): StreamState {
  const found = streams.get(conn);
  if (!found) throw new Error(`[skiff] SQL process: no connection ${conn}`);
  return found;
}

async function handle(command: SqlCommand): Promise<void> {
  const { id, conn } = command;
  switch (command.op) {
    case "open": {
      const opened = HranaConnection.open(config.path, {
        busyTimeoutMs: config.busyTimeoutMs,
        allowAttach: config.allowAttach,
        beforeStatement: () => beat(conn, true),
      });
      if (command.resetReason !== undefined) opened.reset(command.resetReason);
      streams.set(conn, { conn: opened, sqls: new Map(), closed: false });
      return void send({ type: "done", id, autocommit: true });
    }
    case "pipeline": {
      const state = stream(conn);
      beat(conn, false);
      let parsed: ReturnType<typeof parsePipelineBody>;
      try {
        parsed = parsePipelineBody(JSON.parse(command.body), command.version);
      } catch (error) {
        if (requestError(id, error)) return;
        throw error;
      }
      await runPipeline(state, parsed.requests, command.version, (result, index) => {
        beat(conn, false);
        send({
          type: "result",
          id,
          index,
          json: JSON.stringify(result),
          autocommit: state.conn.isAutocommit(),
        });
      });
      return void send({ type: "done", id, closed: state.closed, autocommit: state.conn.isAutocommit() });
    }
    case "cursor": {
      const state = stream(conn);
      beat(conn, false);
      let parsed: ReturnType<typeof parseCursorBody>;
      try {
        parsed = parseCursorBody(JSON.parse(command.body), 3);
      } catch (error) {
        if (requestError(id, error)) return;
        throw error;
      }
      let entries: HranaCursorEntry[];
      try {
        entries = cursorEntries(await executeBatch(state.conn, parsed.batch, state.sqls));
      } catch (error) {
        entries = [{ type: "error", error: toHranaError(error) }];
      }
      beat(conn, false);
      const text = entries.map((entry) => `${JSON.stringify(entry)}\n`).join("");
      return void send({ type: "done", id, entries: text, autocommit: state.conn.isAutocommit() });
    }
    case "close":
      streams.get(conn)?.conn.close();
      streams.delete(conn);
      return void send({ type: "done", id });
  }
}

process.on("message", (command: SqlCommand) => {
  handle(command).catch((error: unknown) =>
    send({ type: "done", id: command.id, error: toHranaError(error) }),
  );
});
// The server is gone: nothing can use these connections any more, and closing them rolls back their transactions.
process.on("disconnect", () => {
  for (const { conn } of streams.values()) conn.close();
  process.exit(0);
});
// If the server dies without ending this process (SIGKILL, or a signal it has no handler for), a statement running
// here would keep the process, and its locks, alive forever. A thread of its own watches the server: a signal sent
// from it ends the process even while this thread is inside SQLite.
new Worker(
  `const { parent } = require("node:worker_threads").workerData;
   setInterval(() => {
     let gone = process.ppid !== parent;
     try { process.kill(parent, 0); } catch { gone = true; }
     if (gone) process.kill(process.pid, "SIGKILL");
   }, 250);`,
  { eval: true, workerData: { parent: process.ppid } },
).unref();
setInterval(() => beat(null, false), BEAT_MS);
beat(null, false); // the first beat also tells the server that commands can be sent

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient, type Client } from "@libsql/client/web";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { serveHrana, type HranaServer } from "../../src/dev/hrana/index.js";

// Statements run in SQL processes, away from the server's event loop, and one that runs over statementTimeoutMs is
// stopped. Every wait here is bounded; the runaway statement would otherwise never end.

const RUNAWAY = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c";
const LIMIT_MS = 600;

let dir: string;
let server: HranaServer;
let db: Client;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "skiff-hrana-interrupt-"));
  server = await serveHrana({ url: `file:${join(dir, "main.db")}`, statementTimeoutMs: LIMIT_MS });
  db = createClient({ url: server.url, intMode: "number" });
  await db.execute("CREATE TABLE t (x INTEGER)");
  // Two statements at once need two SQL processes: after this both are started, so what the tests measure is
  // how a running server behaves, not how long a process takes to start.
  const warm = createClient({ url: server.url });
  const slow =
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 50000) SELECT count(*) FROM c";
  await Promise.all([db.execute(slow), ...Array.from({ length: 4 }, () => warm.execute("SELECT 1"))]);
  warm.close();
}, 30_000);

afterAll(async () => {
  db.close();
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

/** Polls `/health` of `url` every 20 ms until `until` settles, and returns the slowest answer in ms. */
async function slowestHealth(
  until: Promise<unknown>,
  url = server.url,
): Promise<{ max: number; count: number }> {
  let settled = false;
  void until.finally(() => (settled = true)).catch(() => {});
  let max = 0;
  let count = 0;
  for (let i = 0; i < 5_000 && !settled; i++) {
    const started = performance.now();
    const res = await fetch(`${url}/health`);
    expect(res.status).toBe(200);
    await res.body?.cancel();
    max = Math.max(max, performance.now() - started);
    count++;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { max, count };
}

describe("a runaway statement", () => {
  it("fails with SQLITE_INTERRUPT after statementTimeoutMs while /health and other clients keep answering", async () => {
    const started = performance.now();
    const runaway = db.execute(RUNAWAY).catch((e: unknown) => e);
    const other = createClient({ url: server.url, intMode: "number" });
    const othersDone = (async () => {
      for (let i = 0; i < 5; i++) await other.execute({ sql: "INSERT INTO t VALUES (?)", args: [i] });
      return performance.now() - started;
    })();
    const health = await slowestHealth(runaway);
    const error = await runaway;
    const elapsed = performance.now() - started;
    expect(error).toMatchObject({ code: "SQLITE_INTERRUPT" });
    expect((error as Error).message).toMatch(/statementTimeoutMs \(600 ms\)/);
    expect(elapsed).toBeGreaterThanOrEqual(LIMIT_MS - 50);
    expect(elapsed).toBeLessThan(LIMIT_MS + 4_000);
    expect(health.count).toBeGreaterThan(3);
    expect(health.max).toBeLessThan(500);
    expect(await othersDone).toBeLessThan(elapsed); // they did not wait for the runaway statement
    // The client's stream was outside a transaction, so it is usable again at once.
    expect((await db.execute("SELECT count(*) AS n FROM t")).rows[0]?.n).toBe(5);
    other.close();
  });

  it("inside a transaction rolls it back, refuses the stream's next statements, and accepts its ROLLBACK", async () => {
    const tx = await db.transaction("write");
    await tx.execute("INSERT INTO t VALUES (100)");
    await expect(tx.execute(RUNAWAY)).rejects.toMatchObject({ code: "SQLITE_INTERRUPT" });
    await expect(tx.execute("INSERT INTO t VALUES (101)")).rejects.toMatchObject({ code: "STREAM_CLOSED" });
    await tx.rollback();
    const rs = await db.execute("SELECT count(*) AS n FROM t WHERE x >= 100");
    expect(rs.rows[0]?.n).toBe(0);
    // The write lock went with the stopped process: another writer gets it at once.
    await db.execute("INSERT INTO t VALUES (6)");
    expect((await db.execute("PRAGMA integrity_check")).rows[0]?.[0]).toBe("ok");
  });

  it("in a batch fails the batch, and a runaway write releases its lock", async () => {
    const write = `INSERT INTO t ${RUNAWAY.replace("SELECT count(*) FROM c", "SELECT x FROM c")}`;
    await expect(db.batch(["INSERT INTO t VALUES (200)", write], "write")).rejects.toMatchObject({
      code: "SQLITE_INTERRUPT",
    });
    expect((await db.execute("SELECT count(*) AS n FROM t WHERE x >= 200")).rows[0]?.n).toBe(0);
  });
});

describe("shutdown", () => {
  it("close() ends promptly while a statement runs, and the server then refuses connections", async () => {
    const local = await serveHrana({ url: `file:${join(dir, "close.db")}`, statementTimeoutMs: 60_000 });
    const client = createClient({ url: local.url });
    await client.execute("SELECT 1"); // the SQL process is up
    const pending = client.execute(RUNAWAY).catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const started = performance.now();
    await local.close();
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(await pending).toBeInstanceOf(Error);
    await expect(fetch(`${local.url}/health`)).rejects.toThrow();
    client.close();
  });
});

describe("a long batch", () => {
  it("of 400,000 steps does not stall /health", { timeout: 180_000 }, async () => {
    const steps = 400_000;
    // Its own server, with the default statementTimeoutMs: the batch is long but never stuck, and on a loaded
    // machine a SQL process can be kept off the CPU for longer than this file's 600 ms limit, which would stop it.
    const local = await serveHrana({ url: `file:${join(dir, "big.db")}` });
    const bigDb = createClient({ url: local.url, intMode: "number" });
    onTestFinished(async () => {
      bigDb.close();
      await local.close();
    });
    await bigDb.execute("CREATE TABLE big (x INTEGER)");
    // The client runs in its own process: building the body and parsing the 50 MB answer would otherwise stall
    // this event loop, which is the server's, and the figure would not be the server's.
    const client = `
      const steps = [{ stmt: { sql: "BEGIN" } }];
      for (let i = 0; i < ${steps - 2}; i++) steps.push({ stmt: { sql_id: 1 } });
      steps.push({ stmt: { sql: "COMMIT" } });
      const body = JSON.stringify({ baton: null, requests: [
        { type: "store_sql", sql_id: 1, sql: "INSERT INTO big VALUES (1)" },
        { type: "batch", batch: { steps } },
        { type: "close" },
      ] });
      const res = await fetch(${JSON.stringify(`${local.url}/v3/pipeline`)}, { method: "POST", headers: { "content-type": "application/json" }, body });
      const json = await res.json();
      const batch = json.results[1];
      // A failed batch reports its error, so that the assertion below shows why.
      const errors = batch.type === "ok" ? batch.response.result.step_errors.filter((e) => e !== null).length : batch;
      console.log(JSON.stringify({ status: res.status, errors }));
    `;
    const { spawn } = await import("node:child_process");
    const started = performance.now();
    const child = spawn(process.execPath, ["--input-type=module", "-e", client], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const run = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    const health = await slowestHealth(run, local.url);
    await run;
    const total = performance.now() - started;
    console.log(
      `[hrana] ${steps}-step batch: ${Math.round(total)} ms; /health answered ${health.count} times, slowest ${Math.round(health.max)} ms`,
    );
    expect(JSON.parse(output)).toEqual({ status: 200, errors: 0 });
    expect((await bigDb.execute("SELECT count(*) AS n FROM big")).rows[0]?.n).toBe(steps - 2);
    expect(health.max).toBeLessThan(1_000);
  });
});

describe("a server killed by a signal", () => {
  it("leaves no SQL process behind, even one inside a runaway statement", { timeout: 60_000 }, async () => {
    const { spawn } = await import("node:child_process");
    const { readFileSync, readdirSync } = await import("node:fs");
    const script = `
      import { serveHrana } from ${JSON.stringify(new URL("../../src/dev/hrana/index.ts", import.meta.url).pathname)};
      const server = await serveHrana({ url: ${JSON.stringify(`file:${join(dir, "killed.db")}`)}, statementTimeoutMs: 600000 });
      const post = (sql) => fetch(server.url + "/v2/pipeline", { method: "POST", headers: { "content-type": "application/json" },
        body: JSON.stringify({ baton: null, requests: [{ type: "execute", stmt: { sql } }] }) });
      await post("SELECT 1");
      void post(${JSON.stringify(RUNAWAY)});
      setTimeout(() => console.log("running"), 300);
    `;
    const server = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    await new Promise<void>((resolve, reject) => {
      server.stdout.on("data", (chunk: Buffer) => chunk.toString().includes("running") && resolve());
      server.once("exit", () => reject(new Error("the server script exited early")));
    });
    const childrenOf = (pid: number) =>
      readdirSync("/proc")
        .filter((name) => /^\d+$/.test(name))
        .filter((name) => {
          try {
            // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces, so read after the last ")".
            return Number(readFileSync(`/proc/${name}/stat`, "utf8").split(") ")[1]?.split(" ")[1]) === pid;
          } catch {
            return false;
          }
        })
        .map(Number);
    const sqlProcesses = childrenOf(server.pid ?? -1);
    expect(sqlProcesses.length).toBeGreaterThan(0);
    server.kill("SIGKILL");
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return !readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.startsWith("Z");
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 100 && sqlProcesses.some(alive); i++) await new Promise((r) => setTimeout(r, 100));
    expect(sqlProcesses.filter(alive)).toEqual([]);
  });
});

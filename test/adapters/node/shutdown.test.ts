import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { Env } from "hono";
import { type LogRecord, type QueueSchemas, Skiff } from "skiff";
import type { ServeOptions } from "skiff/node";
import { tempDbUrl } from "../../contract/node-driver.js";
import { forget, start as startServer, until } from "./support/servers.js";

// The scheduler stays off unless a test turns it on: these tests are about queue handlers and shutdown.
const start = <E extends Env, Q extends QueueSchemas>(
  app: Skiff<E, Q>,
  url: string,
  options: ServeOptions = {},
) => startServer(app, url, { scheduler: false, ...options });
const forever = () => new Promise<never>(() => undefined);
const Job = z.object({ n: z.number() });

describe("serve(): shutdown has an upper bound, and a stuck queue handler loses nothing", () => {
  it("closes within shutdownGraceMs while a handler hangs, and the next start delivers its messages again", async () => {
    const url = tempDbUrl("hang");
    const logs: LogRecord[] = [];
    const first = new Skiff({ queues: { jobs: Job }, log: { sink: (r) => void logs.push(r) } });
    let started = 0;
    first.queue("jobs", async () => {
      started++;
      await forever();
    });
    const server = await start(first, url, { shutdownGraceMs: 300 });
    await server.queueStore.send("jobs", [{ body: { n: 1 } }, { body: { n: 2 } }, { body: { n: 3 } }]);
    await until(() => started === 1);

    const began = Date.now();
    await server.close();
    const tookMs = Date.now() - began;
    forget(server); // already closed
    expect(tookMs).toBeGreaterThanOrEqual(290);
    expect(tookMs).toBeLessThan(2_000);
    expect(logs.find((r) => r.msg.includes("released for redelivery"))).toMatchObject({ released: 3 });

    // A second runtime on the same file gets every message at once (not after the visibility timeout), and the
    // interrupted delivery counts as an attempt.
    const got: Array<[number, number]> = [];
    const second = new Skiff({ queues: { jobs: Job } });
    second.queue("jobs", (m) => void got.push([m.body.n, m.attempts]), { visibilityTimeoutSeconds: 600 });
    const next = await start(second, url);
    await until(() => got.length === 3, 3_000);
    expect(got.sort()).toEqual([
      [1, 2],
      [2, 2],
      [3, 2],
    ]);
    await until(async () => (await next.queueStore.stats("jobs")).inFlight === 0);
    expect(await next.queueStore.stats("jobs")).toEqual({ ready: 0, delayed: 0, inFlight: 0 });
  });

  it("bounds a batch handler, a cron run and a waitUntil task that never finish", async () => {
    const url = tempDbUrl("hang-batch");
    const app = new Skiff({ queues: { jobs: Job } });
    let batches = 0;
    app.queueBatch("jobs", async () => {
      batches++;
      await forever();
    });
    app.cron("0 9 * * *", () => forever());
    app.get("/later", (c) => {
      c.executionCtx.waitUntil(forever());
      return c.text("accepted");
    });
    const server = await start(app, url, { shutdownGraceMs: 300 });
    await server.queueStore.send("jobs", [{ body: { n: 1 } }]);
    await until(() => batches === 1);
    void server.fireCron("0 9 * * *").catch(() => undefined);
    expect(await (await fetch(`${server.url}/later`)).text()).toBe("accepted");

    const began = Date.now();
    await server.close();
    expect(Date.now() - began).toBeLessThan(2_000);
    forget(server); // already closed

    const again = new Skiff({ queues: { jobs: Job } });
    const got: number[] = [];
    again.queueBatch("jobs", (batch) => void got.push(...batch.messages.map((m) => m.attempts)));
    await start(again, url);
    await until(() => got.length === 1, 3_000);
    expect(got).toEqual([2]);
  });

  it("exits on SIGTERM within the grace while a handler hangs, and the message is not lost", async () => {
    const url = tempDbUrl("sigterm-hang");
    const repo = resolve(fileURLToPath(new URL("../../..", import.meta.url)));
    const entry = join(dirname(url.slice("file:".length)), "hang.mts");
    const src = (p: string) => JSON.stringify(pathToFileURL(join(repo, p)).href);
    writeFileSync(
      entry,
      [
        `import { z } from ${JSON.stringify(pathToFileURL(createRequire(import.meta.url).resolve("zod")).href)};`,
        `import { Skiff } from ${src("src/index.ts")};`,
        `import { serve } from ${src("src/adapters/node/index.ts")};`,
        `const app = new Skiff({ queues: { jobs: z.object({ n: z.number() }) } });`,
        `app.queue("jobs", async () => { console.log("handler started"); await new Promise(() => {}); });`,
        `const server = await serve(app, { shutdownGraceMs: 500, pollIntervalMs: 20, scheduler: false });`,
        `await server.queueStore.send("jobs", [{ body: { n: 7 } }]);`,
      ].join("\n"),
    );
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
    const child = spawn(process.execPath, ["--import", tsx, entry], {
      env: { PATH: process.env.PATH, PORT: "0", TURSO_DATABASE_URL: url },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += String(d)));
    child.stderr.on("data", (d) => (out += String(d)));
    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    await until(() => out.includes("handler started") || child.exitCode !== null, 15_000);
    expect(out).toContain("handler started");
    const began = Date.now();
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(Date.now() - began).toBeLessThan(3_000);

    const got: Array<[number, number]> = [];
    const next = new Skiff({ queues: { jobs: Job } });
    next.queue("jobs", (m) => void got.push([m.body.n, m.attempts]));
    await start(next, url);
    await until(() => got.length === 1, 3_000);
    expect(got).toEqual([[7, 2]]);
  }, 30_000);
});

import { spawn } from "node:child_process";
import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { Skiff, sql } from "skiff";
import { nodeDatabase } from "skiff/node";
import { tempDbUrl } from "../../contract/node-driver.js";
import { forget, start, until } from "./support/servers.js";

afterEach(() => {
  vi.useRealTimers();
});

describe("serve(): the Node target", () => {
  it("fires crons from the in-process scheduler in UTC, on the minute", async () => {
    vi.useFakeTimers({
      toFake: ["setTimeout", "clearTimeout", "Date"],
      now: Date.UTC(2026, 0, 1, 8, 59, 30),
    });
    const fired: Array<{ cron: string; scheduledTime: number }> = [];
    const app = new Skiff();
    app.cron("0 9 * * *", (event) => void fired.push(event));
    app.cron("*/30 * * * *", () => undefined);
    const server = await start(app, ":memory:", { queues: false });
    expect(server.nextRuns()).toEqual([
      { cron: "0 9 * * *", next: new Date(Date.UTC(2026, 0, 1, 9, 0)) },
      { cron: "*/30 * * * *", next: new Date(Date.UTC(2026, 0, 1, 9, 0)) },
    ]);
    await vi.advanceTimersByTimeAsync(31_000);
    expect(fired).toEqual([{ cron: "0 9 * * *", scheduledTime: Date.UTC(2026, 0, 1, 9, 0) }]);
  });

  it("delivers queued messages in the background, retries failures and dead-letters the exhausted", async () => {
    const app = new Skiff({ queues: { jobs: z.object({ n: z.number() }), "jobs-dlq": z.unknown() } });
    const attempts: Record<number, number> = {};
    app.queue(
      "jobs",
      async (m) => {
        attempts[m.body.n] = m.attempts;
        if (m.body.n === 0) throw new Error("never works");
      },
      { maxRetries: 2, deadLetter: "jobs-dlq" },
    );
    app.post("/jobs/:n", async (c) => {
      await c.var.queues.jobs.send({ n: Number(c.req.param("n")) });
      return c.body(null, 202);
    });
    const server = await start(app, tempDbUrl(), { scheduler: false });
    for (const n of [0, 1, 2])
      expect((await fetch(`${server.url}/jobs/${n}`, { method: "POST" })).status).toBe(202);
    await until(async () => (await server.queueStore.peek("jobs-dlq")).length === 1);
    expect(attempts).toEqual({ 0: 3, 1: 1, 2: 1 });
    expect((await server.queueStore.peek("jobs-dlq"))[0]?.body).toEqual({ n: 0 });
    expect(await server.queueStore.stats("jobs")).toEqual({ ready: 0, delayed: 0, inFlight: 0 });
  });

  it("delivers after a restart a message accepted before it (durable local queue)", async () => {
    const url = tempDbUrl();
    const Jobs = z.object({ id: z.string() });
    const first = new Skiff({ queues: { jobs: Jobs } });
    first.queue("jobs", () => undefined);
    first.post("/", async (c) => {
      await c.var.queues.jobs.send({ id: "survivor" });
      return c.body(null, 202);
    });
    const before = await start(first, url, { queues: false, scheduler: false });
    await fetch(`${before.url}/`, { method: "POST" });
    await before.close();

    const got: string[] = [];
    const second = new Skiff({ queues: { jobs: Jobs } });
    second.queue("jobs", (m) => void got.push(m.body.id));
    await start(second, url, { scheduler: false });
    await until(async () => got.length === 1);
    expect(got).toEqual(["survivor"]);
  });

  it("redelivers a message whose consumer died mid-batch once its visibility timeout passes", async () => {
    const url = tempDbUrl();
    const app = new Skiff({ queues: { jobs: z.object({ id: z.string() }) } });
    app.queue("jobs", () => undefined, { visibilityTimeoutSeconds: 1 });
    const server = await start(app, url, { queues: false, scheduler: false });
    await server.queueStore.send("jobs", [{ body: { id: "a" } }]);
    // A consumer leases the message and never settles it (as if the process crashed).
    const leased = await server.queueStore.receive("jobs", { max: 10, visibilitySeconds: 1 });
    expect(leased.messages.map((m) => m.attempts)).toEqual([1]);
    expect((await server.queueStore.receive("jobs", { max: 10, visibilitySeconds: 1 })).messages).toEqual([]);
    await new Promise((r) => setTimeout(r, 1_100));
    const again = await server.queueStore.receive("jobs", { max: 10, visibilitySeconds: 1 });
    expect(again.messages.map((m) => [m.body, m.attempts])).toEqual([[{ id: "a" }, 2]]);
    // The dead consumer's late settle must not delete the redelivered message.
    await server.queueStore.settle(leased.lease, [{ id: leased.messages[0]?.id ?? "", action: "ack" }]);
    expect((await server.queueStore.stats("jobs")).inFlight).toBe(1);
  });

  it("shuts down gracefully: in-flight requests finish and waitUntil work is awaited", async () => {
    const app = new Skiff();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    app.get("/slow", async (c) => {
      await gate;
      c.executionCtx.waitUntil(
        new Promise((r) => setTimeout(r, 100)).then(() => c.var.db.run(sql`CREATE TABLE done (x)`)),
      );
      return c.text("finished");
    });
    const url = tempDbUrl();
    const server = await start(app, url, { scheduler: false, queues: false });
    const inFlight = fetch(`${server.url}/slow`).then((r) => r.text());
    await new Promise((r) => setTimeout(r, 50));
    const closed = server.close();
    release();
    expect(await inFlight).toBe("finished");
    await closed;
    forget(server); // already closed
    await expect(fetch(`${server.url}/slow`)).rejects.toThrow();
    // The waitUntil task ran to completion before close() resolved.
    const check = nodeDatabase({ url });
    expect(await check.all(sql`SELECT name FROM sqlite_master WHERE name = 'done'`)).toEqual([
      { name: "done" },
    ]);
    check.close();
  });

  it("serves the README's /__scheduled route to fire a cron by hand, like wrangler dev", async () => {
    const app = new Skiff();
    let runs = 0;
    app.cron("0 9 * * *", () => void runs++);
    const server = await start(app, ":memory:", { scheduler: false, testScheduled: true });
    expect((await fetch(`${server.url}/__scheduled?cron=0+9+*+*+*`)).status).toBe(200);
    expect(runs).toBe(1);
    expect((await fetch(`${server.url}/__scheduled`)).status).toBe(400);
    expect((await fetch(`${server.url}/__scheduled?cron=1+1+*+*+*`)).status).toBe(404);
  });

  it("exits cleanly on SIGTERM (npm start as a user runs it)", async () => {
    const child = spawn(
      process.execPath,
      ["--conditions=skiff-source", "--import", "tsx", "examples/shop/node.ts"],
      {
        env: { ...process.env, PORT: "0", TURSO_DATABASE_URL: tempDbUrl("sigterm") },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    child.stdout.on("data", (d) => (out += String(d)));
    await until(async () => out.includes("listening on"), 15_000);
    const url = /listening on (http:\/\/[^"]+)/.exec(out)?.[1];
    expect((await fetch(`${url}/`)).status).toBe(200);
    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  }, 30_000);
});

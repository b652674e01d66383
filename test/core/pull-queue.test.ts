import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createLogger, type LogRecord, Skiff } from "skiff";
import { drainQueues, drainUntilIdle, runtimeContext, safeWaitUntil } from "skiff/adapter";
import { createTestRuntime } from "skiff/testing";

const Job = z.object({ n: z.number().int() });
const none = () => undefined;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const refuse = () => {
  throw new Error("context gone");
};

function capture() {
  const records: LogRecord[] = [];
  return { records, log: createLogger({ sink: (r) => void records.push(r) }) };
}

async function enqueue(t: ReturnType<typeof createTestRuntime>, queue: string, count: number) {
  const bodies = Array.from({ length: count }, (_, n) => ({ body: { n } }));
  await t.runtime.queues[queue]?.sendBatch(bodies);
}

describe("the runtime owns its registry", () => {
  it("delivers and fires through the registry it was created with", async () => {
    const app = new Skiff({ queues: { jobs: Job } });
    const fired: string[] = [];
    app.queue("jobs", (m) => {
      if (m.body.n === 1) throw new Error("boom");
    });
    app.cron("0 9 * * *", (event) => void fired.push(event.cron));
    const t = createTestRuntime(app);
    expect(t.runtime.registry).toBe(app.triggers);
    const at = new Date(0);
    expect(
      await t.runtime.deliver(
        "jobs",
        [
          { id: "a", body: { n: 0 }, attempts: 1, timestamp: at },
          { id: "b", body: { n: 1 }, attempts: 1, timestamp: at },
        ],
        none,
      ),
    ).toEqual([
      { id: "a", outcome: "acked" },
      { id: "b", outcome: "retried", delaySeconds: 0 },
    ]);
    await t.runtime.fire({ cron: "0  9 * * *", scheduledTime: 0 }, none);
    expect(fired).toEqual(["0 9 * * *"]);
    await expect(t.runtime.fire({ cron: "0 10 * * *", scheduledTime: 0 }, none)).rejects.toThrow(
      /no handler is registered/,
    );
    await t.close();
  });
});

describe("pull-queue engine: drainQueues", () => {
  it("batches until a short batch, and stops at maxBatches", async () => {
    const app = new Skiff({ queues: { jobs: Job } });
    const batches: number[] = [];
    app.queueBatch("jobs", (batch) => void batches.push(batch.messages.length), { maxBatchSize: 2 });
    const t = createTestRuntime(app);
    await enqueue(t, "jobs", 5);
    expect(await drainQueues(t.runtime, t.queueStore, { maxBatches: 2, budgetMs: 60_000 }, none)).toEqual({
      jobs: 4,
    });
    expect(batches).toEqual([2, 2]);
    await enqueue(t, "jobs", 2);
    // 3 left: a full batch, then a short one ends the queue without a third lease.
    expect(
      await drainQueues(t.runtime, t.queueStore, { maxBatches: Infinity, budgetMs: 60_000 }, none),
    ).toEqual({ jobs: 3 });
    expect(batches).toEqual([2, 2, 2, 1]);
    await t.close();
  });

  it("starts no batch once the time budget has passed", async () => {
    const app = new Skiff({ queues: { jobs: Job } });
    app.queueBatch("jobs", () => sleep(60), { maxBatchSize: 2 });
    const t = createTestRuntime(app);
    await enqueue(t, "jobs", 6);
    expect(await drainQueues(t.runtime, t.queueStore, { maxBatches: 10, budgetMs: 30 }, none)).toEqual({
      jobs: 2,
    });
    expect((await t.queueStore.stats("jobs")).ready).toBe(4);
    await t.close();
  });

  it("drains every consumed queue by default, and only the named ones when asked", async () => {
    const app = new Skiff({ queues: { a: Job, b: Job, unconsumed: Job } });
    const seen: string[] = [];
    app.queue("a", () => void seen.push("a"));
    app.queue("b", () => void seen.push("b"));
    const t = createTestRuntime(app);
    await enqueue(t, "a", 1);
    await enqueue(t, "b", 1);
    const limits = { maxBatches: 1, budgetMs: 60_000 };
    expect(await drainQueues(t.runtime, t.queueStore, { ...limits, queues: ["b"] }, none)).toEqual({ b: 1 });
    expect(await drainQueues(t.runtime, t.queueStore, limits, none)).toEqual({ a: 1, b: 0 });
    expect(seen).toEqual(["b", "a"]);
    await t.close();
  });

  it("drainUntilIdle delivers retries due now and messages handlers send to other queues", async () => {
    const app = new Skiff({ queues: { first: Job, second: Job } });
    const handled: string[] = [];
    app.queue("first", async (m, ctx) => {
      if (m.attempts === 1) return m.retry();
      handled.push(`first ${m.body.n} attempt ${m.attempts}`);
      await ctx.queues.second.send({ n: m.body.n });
    });
    app.queue("second", (m) => void handled.push(`second ${m.body.n}`));
    const t = createTestRuntime(app);
    await enqueue(t, "first", 1);
    await drainUntilIdle(t.runtime, t.queueStore, none);
    expect(handled).toEqual(["first 0 attempt 2", "second 0"]);
    for (const queue of ["first", "second"]) {
      const stats = await t.queueStore.stats(queue);
      expect(stats.ready + stats.inFlight + stats.delayed).toBe(0);
    }
    await t.close();
  });
});

describe("waitUntil never throws", () => {
  it("safeWaitUntil logs a refused promise instead of throwing", () => {
    const { log, records } = capture();
    expect(() => safeWaitUntil(refuse, log)(Promise.resolve())).not.toThrow();
    expect(records.map((r) => r.msg)).toEqual(["waitUntil failed"]);
  });

  it("the execution context and the trigger context use it", () => {
    const { log, records } = capture();
    const app = new Skiff({ queues: { jobs: Job } });
    const t = createTestRuntime(app, { log });
    expect(() => runtimeContext(t.runtime, { waitUntil: refuse }).waitUntil(Promise.resolve())).not.toThrow();
    expect(() => t.runtime.triggerContext(refuse).waitUntil(Promise.resolve())).not.toThrow();
    expect(records.map((r) => r.msg)).toEqual(["waitUntil failed", "waitUntil failed"]);
  });
});

import { describe, expect, it } from "vitest";
import { z } from "zod";
import { Skiff } from "skiff";
import { drainQueues } from "skiff/adapter";
import { createTestRuntime } from "skiff/testing";

const Job = z.object({ n: z.number().int() });
const none = () => undefined;

describe("pull-queue engine: drainQueues takes turns between queues", () => {
  it("gives every queue a batch even while the first has a backlog longer than the budget", async () => {
    const app = new Skiff({ queues: { busy: Job, quiet: Job } });
    const seen = { busy: 0, quiet: 0 };
    app.queue(
      "busy",
      async () => {
        seen.busy++;
        await new Promise((resolve) => setTimeout(resolve, 5));
      },
      { maxBatchSize: 10 },
    );
    app.queue("quiet", () => void seen.quiet++);
    const t = createTestRuntime(app);
    for (let i = 0; i < 2; i++)
      await t.runtime.queues.busy?.sendBatch(Array.from({ length: 100 }, (_, n) => ({ body: { n } })));
    await t.runtime.queues.quiet?.send({ n: 0 });

    // 200 slow messages take far longer than 150 ms: one queue after the other, "quiet" would never get a turn.
    const delivered = await drainQueues(
      t.runtime,
      t.queueStore,
      { maxBatches: Number.POSITIVE_INFINITY, budgetMs: 150 },
      none,
    );
    expect(delivered.quiet).toBe(1);
    expect(seen.quiet).toBe(1);
    expect(delivered.busy).toBeGreaterThan(0);
    expect(delivered.busy).toBeLessThan(200);
    await t.close();
  });

  it("still stops each queue at maxBatches and at its first short batch", async () => {
    const app = new Skiff({ queues: { a: Job, b: Job } });
    app.queue("a", () => undefined, { maxBatchSize: 2 });
    app.queue("b", () => undefined, { maxBatchSize: 2 });
    const t = createTestRuntime(app);
    await t.runtime.queues.a?.sendBatch(Array.from({ length: 9 }, (_, n) => ({ body: { n } })));
    await t.runtime.queues.b?.sendBatch([{ body: { n: 0 } }]);
    expect(await drainQueues(t.runtime, t.queueStore, { maxBatches: 3, budgetMs: 10_000 }, none)).toEqual({
      a: 6,
      b: 1,
    });
    await t.close();
  });
});

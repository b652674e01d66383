import { describe, expect, it } from "vitest";
import { z } from "zod";
import { NonRetryableError, Skiff, sql } from "skiff";
import { createTestRuntime } from "skiff/testing";

describe("fan-out and fan-in", () => {
  // 1,000 children take about 3 s alone and several times that beside other files on 2 cores: the bound is generous.
  it(
    "maps over 1,000 items as separate queue messages, at most `concurrency` in flight, results in item order",
    { timeout: 120_000 },
    async () => {
      const app = new Skiff({ workflows: { report: z.object({ n: z.number() }) } });
      let maxInFlight = 0;
      let t!: ReturnType<typeof createTestRuntime>;
      app.workflow("report", async (event, step) => {
        const items = await step.do("items", () => Array.from({ length: event.payload.n }, (_, i) => i));
        const scores = await step.map(
          "score",
          items,
          async (item, s) => {
            const row = await t.db.get<{ n: number }>(
              sql`SELECT count(*) AS n FROM _skiff_workflow_steps WHERE run_id = ${event.runId} AND idx >= 0 AND status = 'running'`,
            );
            maxInFlight = Math.max(maxInFlight, Number(row?.n));
            return { item, square: item * item, index: s.index };
          },
          { concurrency: 20 },
        );
        return step.do("sum", () => ({
          count: scores.length,
          sum: scores.reduce((a, s) => a + s.square, 0),
          scores,
        }));
      });
      t = createTestRuntime(app);
      const client = t.runtime.workflows.report!;
      const { id } = await client.start({ n: 1000 });
      await t.runWorkflows();
      const run = await client.get(id);
      expect(run?.status).toBe("completed");
      const output = run?.output as { count: number; sum: number; scores: { item: number; index: number }[] };
      expect(output.count).toBe(1000);
      expect(output.sum).toBe(Array.from({ length: 1000 }, (_, i) => i * i).reduce((a, b) => a + b, 0));
      expect(output.scores.every((s, i) => s.item === i && s.index === i)).toBe(true);
      expect(maxInFlight).toBeGreaterThan(1);
      expect(maxInFlight).toBeLessThanOrEqual(20);
      const children = run!.steps.filter((s) => s.index !== undefined);
      expect(children).toHaveLength(1000);
      expect(children[999]).toMatchObject({ name: "score[999]", status: "completed", attempts: 1 });
    },
  );

  it("wakes the parent once: only the child that leaves none outstanding sends the fan-in wake", async () => {
    const app = new Skiff({ workflows: { w: z.object({}) } });
    let replays = 0;
    app.workflow("w", async (_e, step) => {
      replays++;
      return step.map("m", [1, 2, 3, 4, 5], (x) => x, { concurrency: 5 });
    });
    const t = createTestRuntime(app);
    const { id } = await t.runtime.workflows.w!.start({});
    await t.runWorkflows();
    expect(await t.runtime.workflows.w!.get(id)).toMatchObject({
      status: "completed",
      output: [1, 2, 3, 4, 5],
    });
    // The start, then one child replay per item, then the one fan-in wake.
    expect(replays).toBe(1 + 5 + 1);
  });

  it("step.all runs un-awaited steps in parallel, each its own message, and returns their results in order", async () => {
    const app = new Skiff({ workflows: { w: z.object({}) } });
    const ran: string[] = [];
    app.workflow("w", async (_e, step) => {
      const [a, b, c] = await step.all([
        step.do("a", () => (ran.push("a"), 1)),
        step.do("b", () => (ran.push("b"), "two")),
        step.do("c", () => (ran.push("c"), { three: 3 })),
      ]);
      return { a, b, c };
    });
    const t = createTestRuntime(app);
    const { id } = await t.runtime.workflows.w!.start({});
    await t.runWorkflows();
    expect(await t.runtime.workflows.w!.get(id)).toMatchObject({
      status: "completed",
      output: { a: 1, b: "two", c: { three: 3 } },
    });
    expect([...ran].sort()).toEqual(["a", "b", "c"]);
  });

  it("fails the group when a child fails for good: the parent's await throws, and the handler can catch it", async () => {
    const app = new Skiff({ workflows: { w: z.object({ catch: z.boolean() }) } });
    app.workflow("w", async (event, step) => {
      try {
        await step.map("m", [0, 1, 2], (x) => {
          if (x === 1) throw new NonRetryableError(`item ${x} is bad`);
          return x;
        });
        return "all good";
      } catch (error) {
        if (!event.payload.catch) throw error;
        return `caught: ${(error as Error).message}`;
      }
    });
    const t = createTestRuntime(app);
    const caught = await t.runtime.workflows.w!.start({ catch: true });
    const uncaught = await t.runtime.workflows.w!.start({ catch: false });
    await t.runWorkflows();
    expect(await t.runtime.workflows.w!.get(caught.id)).toMatchObject({
      status: "completed",
      output: "caught: item 1 is bad",
    });
    expect(await t.runtime.workflows.w!.get(uncaught.id)).toMatchObject({
      status: "failed",
      error: { message: "item 1 is bad" },
    });
  });

  it("retries a child with its own attempt count and delay", async () => {
    const app = new Skiff({ workflows: { w: z.object({}) } });
    const attempts: number[] = [];
    app.workflow("w", async (_e, step) =>
      step.map(
        "m",
        [0],
        (_x, s) => {
          attempts.push(s.attempt);
          if (s.attempt < 3) throw new Error("flaky");
          return s.attempt;
        },
        { retries: { limit: 3, delay: "10 seconds", backoff: "constant" } },
      ),
    );
    const t = createTestRuntime(app);
    const { id } = await t.runtime.workflows.w!.start({});
    await t.runWorkflows();
    expect(attempts).toEqual([1]);
    await t.advanceTime(10_000);
    await t.runWorkflows();
    await t.advanceTime(10_000);
    await t.runWorkflows();
    expect(attempts).toEqual([1, 2, 3]);
    expect(await t.runtime.workflows.w!.get(id)).toMatchObject({ status: "completed", output: [3] });
  });

  it("re-dispatches a child whose message was lost, once it is stale (the timer cron)", async () => {
    const app = new Skiff({ workflows: { w: z.object({}) } });
    app.workflow("w", async (_e, step) => step.map("m", ["a", "b"], (x) => x.toUpperCase()));
    const t = createTestRuntime(app);
    const { id } = await t.runtime.workflows.w!.start({});
    const [start] = await t.queueStore.peek("skiff-workflows");
    await t.deliver("skiff-workflows", [{ id: start!.id, body: start!.body }]);
    await t.db.run(sql`DELETE FROM _skiff_queue`); // both child messages are lost
    await t.runWorkflows();
    expect((await t.runtime.workflows.w!.get(id))?.status).toBe("waiting");
    await t.advanceTime(5 * 60_000);
    await t.runWorkflows();
    expect(await t.runtime.workflows.w!.get(id)).toMatchObject({ status: "completed", output: ["A", "B"] });
  });

  it("hands the parent the same results on the fan-in and on every later replay (undefined is null)", async () => {
    const app = new Skiff({ workflows: { w: z.object({}) } });
    app.workflow("w", async (_e, step) => {
      const results = await step.map("m", [0, 1], () => undefined);
      // A branch on the results: had the fan-in seen `undefined` and the replay `null`, the replay would fail.
      await step.do(results[0] === null ? "saw-null" : "saw-other", () => results);
      await step.sleep("pause", "1 second");
      return results;
    });
    const t = createTestRuntime(app);
    const { id } = await t.runtime.workflows.w!.start({});
    await t.runWorkflows();
    await t.advanceTime(1000);
    await t.runWorkflows();
    const run = await t.runtime.workflows.w!.get(id);
    expect(run).toMatchObject({ status: "completed", output: [null, null] });
    expect(run?.steps.find((s) => s.kind === "do" && s.index === undefined)).toMatchObject({
      name: "saw-null",
      output: [null, null],
    });
  });

  it("journals a child's delayed retry and its timer in one transaction: a crash between them loses no wake", async () => {
    const app = new Skiff({ workflows: { w: z.object({}) } });
    app.workflow("w", async (_e, step) =>
      step.map(
        "m",
        [0],
        (_x, s) => {
          if (s.attempt < 2) throw new Error("flaky");
          return s.attempt;
        },
        { retries: { limit: 1, delay: "1 hour" } },
      ),
    );
    const t = createTestRuntime(app);
    const { id } = await t.runtime.workflows.w!.start({});
    // The write of the child's timer row fails (were it a transaction after the `waiting` step row, the child
    // would wait with no timer and no message, and the stale-child scan only looks at `running` children).
    await t.db.run(sql`CREATE TRIGGER crash BEFORE INSERT ON _skiff_workflow_timers WHEN NEW.idx >= 0
                       BEGIN SELECT RAISE(ABORT, 'the executor died here'); END`);
    await t.runWorkflows();
    await t.db.run(sql`DROP TRIGGER crash`);
    // The child is still `running`, so the timer cron dispatches it again once stale; then its retry is due.
    for (const ms of [5 * 60_000, 3_600_000]) {
      await t.advanceTime(ms);
      await t.runWorkflows();
    }
    expect(await t.runtime.workflows.w!.get(id)).toMatchObject({ status: "completed", output: [2] });
  });

  it("refuses more than 10,000 items with a clear error", async () => {
    const app = new Skiff({ workflows: { w: z.object({}) } });
    app.workflow("w", async (_e, step) =>
      step.map(
        "huge",
        Array.from({ length: 10_001 }, (_, i) => i),
        (x) => x,
      ),
    );
    const t = createTestRuntime(app);
    const { id } = await t.runtime.workflows.w!.start({});
    await t.runWorkflows();
    expect((await t.runtime.workflows.w!.get(id))?.error?.message).toBe(
      '[skiff] step.map("huge") fans out to 10001 items; the limit is 10000: split the items over several steps',
    );
  });
});

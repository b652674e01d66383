import { describe, expect, it } from "vitest";
import { z } from "zod";
import { Skiff, sql } from "skiff";
import { createTestRuntime } from "skiff/testing";

// A fan-out whose child messages are lost right after the group was journaled: the crash window between the
// journal commit and the send. The timer cron recovers it once the dispatch is stale; workflowTimings says when.
function lostChildren(timings?: ConstructorParameters<typeof Skiff>[0]) {
  const app = new Skiff({ workflows: { w: z.object({}) }, ...timings });
  app.workflow("w", async (_e, step) => step.map("m", ["a", "b"], (x) => x.toUpperCase()));
  return app;
}

async function startAndLoseChildren(app: ReturnType<typeof lostChildren>) {
  const t = createTestRuntime(app);
  const { id } = await t.runtime.workflows.w!.start({});
  const [start] = await t.queueStore.peek("skiff-workflows");
  await t.deliver("skiff-workflows", [{ id: start!.id, body: start!.body }]);
  await t.db.run(sql`DELETE FROM _skiff_queue`);
  return { t, id };
}

describe("workflowTimings: how soon the engine recovers", () => {
  it("re-dispatches lost fan-out children after staleMs instead of the 5-minute default", async () => {
    const quick = await startAndLoseChildren(lostChildren({ workflowTimings: { staleMs: 10_000 } }));
    const slow = await startAndLoseChildren(lostChildren());
    for (const { t } of [quick, slow]) {
      await t.advanceTime(11_000);
      await t.runWorkflows();
    }
    expect(await quick.t.runtime.workflows.w!.get(quick.id)).toMatchObject({
      status: "completed",
      output: ["A", "B"],
    });
    expect((await slow.t.runtime.workflows.w!.get(slow.id))?.status).toBe("waiting");
  });

  it("refuses an unknown timing or one that is not a whole number of milliseconds from 100", () => {
    const workflows = { w: z.object({}) };
    expect(() => new Skiff({ workflows, workflowTimings: { staleMs: 50 } })).toThrow(
      "[skiff] workflowTimings.staleMs must be a whole number of milliseconds from 100 to 86400000 (got 50)",
    );
    expect(() => new Skiff({ workflows, workflowTimings: { leaseMs: 1.5 } })).toThrow(
      /leaseMs must be a whole/,
    );
    expect(
      () => new Skiff({ workflows, workflowTimings: { lease: 1000 } as unknown as { leaseMs: number } }),
    ).toThrow("[skiff] workflowTimings.lease is not a timing; use leaseMs, budgetMs, graceMs or staleMs");
  });
});

import { describe, expect, it } from "vitest";
import { z } from "zod";
import { Skiff, sql } from "skiff";
import { WaitUntilTracker } from "skiff/adapter";
import { createTestRuntime } from "skiff/testing";

describe("executors are fenced by the run's lease", () => {
  it("of two executors on one run, only the lease holder records: a paused stale executor records nothing", async () => {
    const app = new Skiff({ workflows: { w: z.object({}) } });
    const effects: string[] = [];
    let release!: () => void;
    const paused = new Promise<void>((resolve) => (release = resolve));
    let executor = 0;
    app.workflow("w", async (_e, step) => {
      const me = ++executor;
      return step.do("charge", async () => {
        effects.push(`executor ${me}`);
        if (me === 1) await paused; // the first executor stalls inside the step (a GC pause, a frozen isolate)
        return `charged by ${me}`;
      });
    });
    const t = createTestRuntime(app);
    const { id } = await t.runtime.workflows.w!.start({});
    const ctx = t.runtime.triggerContext(new WaitUntilTracker(t.runtime.log).waitUntil);
    const first = t.runtime.workflowEngine.wake({ run: id }, ctx);
    while (effects.length === 0) await new Promise((r) => setTimeout(r, 5));

    // While it holds the lease, a second wake is told to come back when the lease ends (never acked and lost).
    expect(await t.runtime.workflowEngine.wake({ run: id }, ctx)).toMatchObject({ kind: "retry" });

    // Its lease expires; a second executor takes the run over and completes the step.
    await t.db.run(sql`UPDATE _skiff_workflow_runs SET lease_until = 0 WHERE id = ${id}`);
    expect(await t.runtime.workflowEngine.wake({ run: id }, ctx)).toEqual({ kind: "done" });
    expect(await t.runtime.workflows.w!.get(id)).toMatchObject({
      status: "completed",
      output: "charged by 2",
    });

    release(); // the stale executor wakes up and tries to record its result
    expect(await first).toEqual({ kind: "done" });
    const run = await t.runtime.workflows.w!.get(id);
    expect(run).toMatchObject({ status: "completed", output: "charged by 2" });
    expect(run?.steps).toHaveLength(1);
    expect(run?.steps[0]).toMatchObject({ output: "charged by 2", attempts: 1 });
    expect(effects).toEqual(["executor 1", "executor 2"]); // side effects at least once, the result exactly once
  });

  it("a fan-out child's executor that lost its lease leaves the new owner's retry timer alone", async () => {
    const app = new Skiff({ workflows: { w: z.object({}) } });
    let calls = 0;
    let release!: () => void;
    const paused = new Promise<void>((resolve) => (release = resolve));
    app.workflow("w", async (_e, step) =>
      step.map("m", [0], async () => {
        if (++calls === 1) await paused; // the first executor stalls inside the child's function
        return `done by ${calls}`;
      }),
    );
    const t = createTestRuntime(app);
    const { id } = await t.runtime.workflows.w!.start({});
    const ctx = t.runtime.triggerContext(new WaitUntilTracker(t.runtime.log).waitUntil);
    await t.runtime.workflowEngine.wake({ run: id }, ctx); // fans out
    const first = t.runtime.workflowEngine.wake({ run: id, seq: 0, idx: 0 }, ctx);
    while (calls === 0) await new Promise((r) => setTimeout(r, 5));
    // Meanwhile another executor took the child over, failed an attempt and waits for its retry in 1 hour.
    const wakeAt = Date.now() + 3_600_000;
    await t.db.batch([
      sql`UPDATE _skiff_workflow_steps SET lease_owner = NULL, status = 'waiting', attempts = 1, wake_at = ${wakeAt}
          WHERE run_id = ${id} AND idx = 0`,
      sql`INSERT INTO _skiff_workflow_timers (run_id, seq, idx, wake_at, sent_for) VALUES (${id}, 0, 0, ${wakeAt}, NULL)`,
    ]);
    release();
    expect(await first).toEqual({ kind: "done" });
    await t.runWorkflows(); // the queued child message finds it not due
    expect(await t.db.all(sql`SELECT wake_at FROM _skiff_workflow_timers WHERE idx = 0`)).toEqual([
      { wake_at: wakeAt },
    ]);
    await t.advanceTime(3_600_000); // only the timer row wakes the child now
    await t.runWorkflows();
    expect(await t.runtime.workflows.w!.get(id)).toMatchObject({
      status: "completed",
      output: ["done by 2"],
    });
  });

  it("drops a wake for a run that is not in the journal, with an error log", async () => {
    const errors: string[] = [];
    const app = new Skiff({
      workflows: { w: z.object({}) },
      log: { sink: (r) => void (r.level === "error" && errors.push(r.msg)) },
    });
    app.workflow("w", async () => 1);
    const t = createTestRuntime(app);
    const results = await t.deliver("skiff-workflows", [{ body: { run: "ghost" } }]);
    expect(results[0]?.outcome).toBe("acked");
    expect(errors).toContain(
      '[skiff] a workflow wake names run "ghost", which is not in the journal; it is dropped',
    );
  });

  it("logs a clear error for a run of a workflow this app does not implement", async () => {
    const errors: string[] = [];
    const app = new Skiff({
      workflows: { a: z.object({}), b: z.object({}) },
      log: { sink: (r) => void (r.level === "error" && errors.push(r.msg)) },
    });
    app.workflow("a", async () => 1);
    const t = createTestRuntime(app);
    const { id } = await t.runtime.workflows.b!.start({});
    await t.runWorkflows();
    expect(errors).toContain(
      `[skiff] run "${id}" belongs to workflow "b", which this app does not implement: register it with app.workflow("b", handler)`,
    );
  });
});

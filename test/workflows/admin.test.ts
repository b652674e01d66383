import { describe, expect, it } from "vitest";
import { z } from "zod";
import { NonRetryableError, Skiff } from "skiff";
import { cancelRun, ensureWorkflowSchema, getRun, listRuns, retryRun } from "skiff/adapter";
import { createTestRuntime } from "skiff/testing";

function app() {
  const a = new Skiff({ workflows: { job: z.object({ fail: z.boolean() }), other: z.object({}) } });
  const effects: string[] = [];
  let failing = true;
  a.workflow("job", async (event, step) => {
    await step.do("one", { undo: () => void effects.push("undo one") }, () => void effects.push("one"));
    await step.do("two", { retries: { limit: 0 } }, () => {
      effects.push("two");
      if (event.payload.fail && failing) throw new NonRetryableError("two failed");
    });
    return "done";
  });
  a.workflow("other", async (_e, step) => step.waitForEvent("never", { type: "never" }));
  return { app: a, effects, heal: () => (failing = false) };
}

describe("the journal's admin functions (used by skiff workflows)", () => {
  it("list runs newest first, filtered by workflow and status, and show one with its steps", async () => {
    const { app: a } = app();
    const t = createTestRuntime(a);
    await ensureWorkflowSchema(t.db);
    expect(await listRuns(t.db)).toEqual([]);
    const ok = await t.runtime.workflows.job!.start({ fail: false }, { id: "ok" });
    await t.runtime.workflows.other!.start({}, { id: "waits" });
    await t.runWorkflows();
    expect((await listRuns(t.db)).map((r) => r.id).sort()).toEqual(["ok", "waits"]);
    expect(await listRuns(t.db, { workflow: "other" })).toMatchObject([{ id: "waits", status: "waiting" }]);
    expect(await listRuns(t.db, { status: "completed", limit: 1 })).toMatchObject([
      { id: ok.id, workflow: "job" },
    ]);
    const run = await getRun(t.db, "ok");
    expect(run?.steps.map((s) => s.name)).toEqual(["one", "two"]);
    expect(run?.createdAt).toBeInstanceOf(Date);
    expect(await getRun(t.db, "missing")).toBeUndefined();
  });

  it("cancelRun writes the flag and a due timer, so the next timer cron stops the run", async () => {
    const { app: a } = app();
    const t = createTestRuntime(a);
    await t.runtime.workflows.other!.start({}, { id: "waits" });
    await t.runWorkflows();
    expect(await cancelRun(t.db, "waits")).toBe("requested");
    expect(await t.queueStore.stats("skiff-workflows")).toMatchObject({ ready: 0, delayed: 0 }); // no message: journal only
    await t.runWorkflows(); // the timer cron sends the wake
    expect((await getRun(t.db, "waits"))?.status).toBe("cancelled");
    expect(await cancelRun(t.db, "waits")).toBe("ended");
    expect(await cancelRun(t.db, "missing")).toBe("unknown");
  });

  it("retryRun resumes a failed run from its failed step when nothing was compensated", async () => {
    const a = new Skiff({ workflows: { job: z.object({}) } });
    const effects: string[] = [];
    let failing = true;
    a.workflow("job", async (_e, step) => {
      await step.do("one", () => void effects.push("one"));
      await step.do("two", { retries: { limit: 0 } }, () => {
        effects.push("two");
        if (failing) throw new Error("down");
      });
      return "done";
    });
    const t = createTestRuntime(a);
    await t.runtime.workflows.job!.start({}, { id: "r" });
    await t.runWorkflows();
    expect((await getRun(t.db, "r"))?.status).toBe("failed");
    failing = false;
    expect(await retryRun(t.db, "r")).toBe("resumed");
    await t.runWorkflows();
    expect(await getRun(t.db, "r")).toMatchObject({ status: "completed", output: "done" });
    expect(effects).toEqual(["one", "two", "two"]); // "one" was journaled and not run again
    expect(await retryRun(t.db, "r")).toBe("completed");
    expect(await retryRun(t.db, "missing")).toBe("unknown");
  });

  it("retryRun restarts from the start, journal cleared, when compensations ran", async () => {
    const { app: a, effects, heal } = app();
    const t = createTestRuntime(a);
    await t.runtime.workflows.job!.start({ fail: true }, { id: "r" });
    await t.runWorkflows();
    expect(effects).toEqual(["one", "two", "undo one"]);
    heal();
    expect(await retryRun(t.db, "r")).toBe("restarted");
    expect((await getRun(t.db, "r"))?.steps).toEqual([]);
    await t.runWorkflows();
    expect(await getRun(t.db, "r")).toMatchObject({ status: "completed" });
    expect(effects).toEqual(["one", "two", "undo one", "one", "two"]);
  });
});

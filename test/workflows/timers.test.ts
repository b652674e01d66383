import { describe, expect, it } from "vitest";
import { z } from "zod";
import { Skiff, sql } from "skiff";
import { createTestRuntime, type TestRuntime } from "skiff/testing";

const HOUR = 3_600_000;

function sleeper(duration: "13 hours" | "1 hour") {
  const app = new Skiff({ workflows: { nap: z.object({}) } });
  app.workflow("nap", async (_e, step) => {
    await step.sleep("long", duration);
    return step.do("after", () => "woke");
  });
  return app;
}

const timers = (t: TestRuntime) =>
  t.db.all<{ wake_at: number; sent_for: number | null }>(
    sql`SELECT wake_at, sent_for FROM _skiff_workflow_timers`,
  );

describe("sleeps longer than the queue's longest delay", () => {
  it("wait in the timer table (no queue message) until the timer cron finds them within 12 hours", async () => {
    const t = createTestRuntime(sleeper("13 hours"));
    const client = t.runtime.workflows.nap!;
    const { id } = await client.start({});
    await t.runWorkflows();
    expect((await client.get(id))?.status).toBe("waiting");
    expect(await t.queueStore.stats("skiff-workflows")).toEqual({ ready: 0, delayed: 0, inFlight: 0 });
    const [timer] = await timers(t);
    expect(timer?.sent_for).toBeNull();

    await t.advanceTime(30 * 60_000); // 12 h 30 min left: still beyond the queue's 12 h
    expect(await t.tickWorkflowTimers()).toBe(0);
    expect(await t.queueStore.stats("skiff-workflows")).toMatchObject({ delayed: 0, ready: 0 });

    await t.advanceTime(HOUR); // 11 h 30 min left: the cron hands it to the queue as a delayed message
    expect(await t.tickWorkflowTimers()).toBe(1);
    expect(await t.queueStore.stats("skiff-workflows")).toMatchObject({ delayed: 1, ready: 0 });
    expect(await t.tickWorkflowTimers()).toBe(0); // sent once

    await t.advanceTime(12 * HOUR);
    await t.runWorkflows();
    expect(await client.get(id)).toMatchObject({ status: "completed", output: "woke" });
    expect(await timers(t)).toEqual([]);
  });

  it("on a transport whose longest delay is 900 s (SQS), a 1 hour sleep uses the timer table too", async () => {
    const t = createTestRuntime(sleeper("1 hour"), { queueMaxDelaySeconds: 900 });
    const client = t.runtime.workflows.nap!;
    const { id } = await client.start({});
    await t.runWorkflows();
    expect(await t.queueStore.stats("skiff-workflows")).toMatchObject({ delayed: 0, ready: 0 });
    expect((await timers(t))[0]?.sent_for).toBeNull();
    await t.advanceTime(40 * 60_000); // 20 min left
    expect(await t.tickWorkflowTimers()).toBe(0);
    await t.advanceTime(6 * 60_000); // 14 min left: within 900 s
    expect(await t.tickWorkflowTimers()).toBe(1);
    const [message] = await t.db.all<{ visible_at: number; enqueued_at: number }>(
      sql`SELECT visible_at, enqueued_at FROM _skiff_queue WHERE queue = 'skiff-workflows'`,
    );
    expect((message!.visible_at - message!.enqueued_at) / 1000).toBeLessThanOrEqual(900);
    await t.advanceTime(15 * 60_000);
    await t.runWorkflows();
    expect(await client.get(id)).toMatchObject({ status: "completed", output: "woke" });
  });

  it("a sleep within the queue's delay goes as a delayed wake message, journaled first", async () => {
    const t = createTestRuntime(sleeper("1 hour"));
    const client = t.runtime.workflows.nap!;
    const { id } = await client.start({});
    await t.runWorkflows();
    expect(await t.queueStore.stats("skiff-workflows")).toMatchObject({ delayed: 1 });
    const [peeked] = await t.queueStore.peek("skiff-workflows");
    expect(peeked?.body).toEqual({ run: id });
    const run = await client.get(id);
    expect(run?.steps[0]).toMatchObject({ name: "long", kind: "sleep", status: "waiting" });
    await t.advanceTime(HOUR);
    await t.runWorkflows();
    expect((await client.get(id))?.status).toBe("completed");
  });

  it("recovers a run whose wake message was lost: the timer cron re-sends wakes overdue past the grace period", async () => {
    const t = createTestRuntime(sleeper("1 hour"));
    const client = t.runtime.workflows.nap!;
    const { id } = await client.start({});
    await t.runWorkflows();
    await t.db.run(sql`DELETE FROM _skiff_queue`); // the delayed wake is lost
    await t.advanceTime(HOUR);
    await t.runWorkflows();
    expect((await client.get(id))?.status).toBe("waiting"); // overdue, but within the grace period
    await t.advanceTime(2 * 60_000);
    await t.runWorkflows();
    expect((await client.get(id))?.status).toBe("completed");
  });
});

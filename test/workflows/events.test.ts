import { describe, expect, it } from "vitest";
import { z } from "zod";
import { Skiff, sql, WorkflowTimeoutError } from "skiff";
import { createTestRuntime } from "skiff/testing";

function approvals(timeout?: "1 hour") {
  const app = new Skiff({ workflows: { approval: z.object({}) } });
  app.workflow("approval", async (_e, step) => {
    try {
      const event = await step.waitForEvent<{ by: string }>("approved", {
        type: "approved",
        ...(timeout ? { timeout } : {}),
      });
      return { by: event.payload.by, type: event.type, at: event.timestamp instanceof Date };
    } catch (error) {
      if (error instanceof WorkflowTimeoutError) return { timedOut: true };
      throw error;
    }
  });
  return createTestRuntime(app);
}

/** A run of `approvals` that has reached its wait. */
async function waitingRun(timeout?: "1 hour") {
  const t = approvals(timeout);
  const client = t.runtime.workflows.approval!;
  const { id } = await client.start({});
  await t.runWorkflows();
  return { t, client, id };
}

describe("waitForEvent", () => {
  it("resumes the run when the event arrives after the run waits, with its payload", async () => {
    const { t, client, id } = await waitingRun();
    expect((await client.get(id))?.status).toBe("waiting");
    await client.sendEvent(id, { type: "other", payload: { by: "nobody" } });
    await t.runWorkflows();
    expect((await client.get(id))?.status).toBe("waiting");
    await client.sendEvent(id, { type: "approved", payload: { by: "ops" } });
    await t.runWorkflows();
    expect(await client.get(id)).toMatchObject({
      status: "completed",
      output: { by: "ops", type: "approved", at: true },
    });
  });

  it("keeps an event sent before the run reaches the wait, and hands it to the first matching wait", async () => {
    const t = approvals();
    const client = t.runtime.workflows.approval!;
    const { id } = await client.start({});
    await client.sendEvent(id, { type: "approved", payload: { by: "early" } });
    await client.sendEvent(id, { type: "approved", payload: { by: "second" } });
    await t.runWorkflows();
    expect(await client.get(id)).toMatchObject({ status: "completed", output: { by: "early" } });
  });

  it("throws a catchable WorkflowTimeoutError when the timeout passes first", async () => {
    const { t, client, id } = await waitingRun("1 hour");
    await t.advanceTime(59 * 60_000);
    await t.runWorkflows();
    expect((await client.get(id))?.status).toBe("waiting");
    await t.advanceTime(60_000);
    await t.runWorkflows();
    const run = await client.get(id);
    expect(run).toMatchObject({ status: "completed", output: { timedOut: true } });
    expect(run?.steps[0]).toMatchObject({
      kind: "event",
      status: "failed",
      error: { name: "WorkflowTimeoutError" },
    });
  });

  it("delivers an event that arrives within the timeout", async () => {
    const { t, client, id } = await waitingRun("1 hour");
    await t.advanceTime(30 * 60_000);
    await client.sendEvent(id, { type: "approved", payload: { by: "in time" } });
    await t.runWorkflows();
    expect(await client.get(id)).toMatchObject({ status: "completed", output: { by: "in time" } });
  });

  it("without a timeout waits indefinitely: no timer, no queued wake", async () => {
    const { t, client, id } = await waitingRun();
    await t.advanceTime(30 * 24 * 3_600_000);
    await t.runWorkflows();
    expect((await client.get(id))?.status).toBe("waiting");
    expect(await t.db.all(sql`SELECT run_id FROM _skiff_workflow_timers`)).toEqual([]);
    expect(await t.queueStore.stats("skiff-workflows")).toEqual({ ready: 0, delayed: 0, inFlight: 0 });
  });

  it("refuses an event for an unknown run and an event payload over 1 MiB", async () => {
    const t = approvals();
    const client = t.runtime.workflows.approval!;
    const { id } = await client.start({});
    await expect(client.sendEvent("nope", { type: "approved" })).rejects.toThrow(
      '[skiff] workflow "approval" has no run "nope"',
    );
    await expect(
      client.sendEvent(id, { type: "approved", payload: "x".repeat(1024 * 1024) }),
    ).rejects.toThrow(
      /^\[skiff\] the payload of event "approved" is \d+ bytes of JSON; the limit is 1048576/,
    );
  });
});

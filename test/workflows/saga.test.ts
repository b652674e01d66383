import { describe, expect, it } from "vitest";
import { z } from "zod";
import { NonRetryableError, Skiff, sql, type LogRecord } from "skiff";
import { createTestRuntime } from "skiff/testing";

const Input = z.object({ failAt: z.string().optional() });

describe("compensation (saga)", () => {
  it("runs the undo of every completed step newest first, each with its step's result, and ends failed", async () => {
    const lines: LogRecord[] = [];
    const app = new Skiff({ workflows: { order: Input }, log: { sink: (r) => void lines.push(r) } });
    const undone: Array<[string, unknown]> = [];
    app.workflow("order", async (event, step) => {
      await step.do("reserve", { undo: (r) => void undone.push(["reserve", r]) }, () => ({ hold: "h1" }));
      await step.do("note", () => "no undo");
      await step.do("charge", { undo: (c) => void undone.push(["charge", c]) }, () => ({ charge: "c1" }));
      const [label] = await step.all([
        step.do("label", { undo: (l) => void undone.push(["label", l]) }, () => "L1"),
        step.do("email", () => "sent"),
      ]);
      await step.do("ship", { retries: { limit: 0 } }, () => {
        if (event.payload.failAt === "ship") throw new NonRetryableError("carrier refused");
        return label;
      });
    });
    const t = createTestRuntime(app);
    const { id } = await t.runtime.workflows.order!.start({ failAt: "ship" });
    await t.runWorkflows();
    const run = await t.runtime.workflows.order!.get(id);
    expect(undone).toEqual([
      ["label", "L1"],
      ["charge", { charge: "c1" }],
      ["reserve", { hold: "h1" }],
    ]);
    expect(run).toMatchObject({
      status: "failed",
      error: { name: "NonRetryableError", message: "carrier refused" },
    });
    const outcome = Object.fromEntries(run!.steps.map((s) => [s.name, s.compensation]));
    expect(outcome).toMatchObject({ reserve: "completed", charge: "completed", label: "completed" });
    expect(outcome.note).toBeUndefined();
    expect(outcome.email).toBeUndefined();
    expect(lines.filter((l) => l.msg === "workflow compensation completed").map((l) => l.step)).toEqual([
      "label",
      "charge",
      "reserve",
    ]);
    expect(lines.find((l) => l.msg === "workflow failed")?.compensations).toHaveLength(3);
  });

  it("records an undo that throws as failed and goes on with the older ones", async () => {
    const app = new Skiff({ workflows: { order: Input } });
    const undone: string[] = [];
    app.workflow("order", async (_e, step) => {
      await step.do("a", { undo: () => void undone.push("a") }, () => 1);
      await step.do(
        "b",
        {
          undo: () => {
            throw new Error("refund API down");
          },
        },
        () => 2,
      );
      throw new Error("handler bug");
    });
    const t = createTestRuntime(app);
    const { id } = await t.runtime.workflows.order!.start({});
    await t.runWorkflows();
    const run = await t.runtime.workflows.order!.get(id);
    expect(undone).toEqual(["a"]);
    expect(run).toMatchObject({ status: "failed", error: { message: "handler bug" } });
    expect(run?.steps.map((s) => [s.name, s.compensation])).toEqual([
      ["a", "completed"],
      ["b", "failed"],
    ]);
  });

  it("runs an undo at most once: after an executor dies inside it, the next replay records it interrupted", async () => {
    const app = new Skiff({ workflows: { order: Input } });
    const calls: string[] = [];
    let t!: ReturnType<typeof createTestRuntime>;
    app.workflow("order", async (event, step) => {
      await step.do("first", { undo: () => void calls.push("undo first") }, () => 1);
      await step.do(
        "second",
        {
          undo: async () => {
            calls.push("undo second");
            // The executor "dies" here: its lease is taken over, so nothing it writes after this counts.
            await t.db.run(
              sql`UPDATE _skiff_workflow_runs SET lease_owner = 'a-later-executor', lease_until = 0 WHERE id = ${event.runId}`,
            );
          },
        },
        () => 2,
      );
      throw new NonRetryableError("give up");
    });
    t = createTestRuntime(app);
    const { id } = await t.runtime.workflows.order!.start({});
    await t.runWorkflows();
    expect(calls).toEqual(["undo second"]);
    expect((await t.runtime.workflows.order!.get(id))?.steps[1]?.compensation).toBe("interrupted"); // started, never ended
    // The timer cron recovers the run once its wake is overdue.
    await t.advanceTime(5 * 60_000);
    await t.runWorkflows();
    const run = await t.runtime.workflows.order!.get(id);
    expect(calls).toEqual(["undo second", "undo first"]);
    expect(run?.status).toBe("failed");
    expect(run?.steps.map((s) => [s.name, s.compensation])).toEqual([
      ["first", "completed"],
      ["second", "interrupted"],
    ]);
  });

  it("cancel stops a waiting run at its next step, compensates completed steps, and ends it cancelled", async () => {
    const app = new Skiff({ workflows: { order: Input } });
    const calls: string[] = [];
    app.workflow("order", async (_e, step) => {
      await step.do("charge", { undo: (c) => void calls.push(`refund ${c}`) }, () => "c1");
      await step.waitForEvent("approval", { type: "approved" });
      await step.do("ship", () => void calls.push("ship"));
    });
    const t = createTestRuntime(app);
    const client = t.runtime.workflows.order!;
    const { id } = await client.start({});
    await t.runWorkflows();
    expect((await client.get(id))?.status).toBe("waiting");
    await client.cancel(id);
    await t.runWorkflows();
    const run = await client.get(id);
    expect(run?.status).toBe("cancelled");
    expect(calls).toEqual(["refund c1"]);
    expect(run?.steps.find((s) => s.name === "charge")?.compensation).toBe("completed");
    // Cancelling an ended run changes nothing; an unknown id is an error.
    await client.cancel(id);
    expect((await client.get(id))?.status).toBe("cancelled");
    await expect(client.cancel("nope")).rejects.toThrow('[skiff] workflow "order" has no run "nope"');
  });
});

import { describe, expect, it } from "vitest";
import { z } from "zod";
import { NonRetryableError, Skiff, type LogRecord, type WorkflowStep } from "skiff";
import { listRuns } from "skiff/adapter";
import { createTestRuntime } from "skiff/testing";

const Order = z.object({ orderId: z.string(), qty: z.number().int().positive() });

function shop() {
  const lines: LogRecord[] = [];
  const app = new Skiff({ workflows: { checkout: Order }, log: { sink: (r) => void lines.push(r) } });
  return { app, lines };
}

describe("a workflow run", () => {
  it("runs its steps in order, journals each result once, and ends completed with the handler's output", async () => {
    const { app, lines } = shop();
    const effects: string[] = [];
    app.workflow("checkout", async (event, step) => {
      const total = await step.do("price", () => (effects.push("price"), event.payload.qty * 250));
      const receipt = await step.do(
        "charge",
        (s) => (effects.push("charge"), { total, key: s.idempotencyKey }),
      );
      return { orderId: event.payload.orderId, receipt };
    });
    app.post("/checkout", async (c) => c.json(await c.var.workflows.checkout.start(await c.req.json()), 202));
    const t = createTestRuntime(app);

    const res = await t.fetch(
      new Request("http://test/checkout", {
        method: "POST",
        body: JSON.stringify({ orderId: "o1", qty: 2 }),
      }),
    );
    expect(res.status).toBe(202);
    const { id, created } = (await res.json()) as { id: string; created: boolean };
    expect(created).toBe(true);
    await t.runWorkflows();

    const run = await t.runtime.workflows.checkout?.get(id);
    expect(run).toMatchObject({
      id,
      workflow: "checkout",
      status: "completed",
      input: { orderId: "o1", qty: 2 },
      output: { orderId: "o1", receipt: { total: 500, key: `${id}:1` } },
    });
    expect(run?.steps.map((s) => [s.name, s.kind, s.status, s.attempts])).toEqual([
      ["price", "do", "completed", 1],
      ["charge", "do", "completed", 1],
    ]);
    expect(effects).toEqual(["price", "charge"]);
    const stepLines = lines.filter((l) => l.msg === "workflow step completed");
    expect(stepLines.map((l) => [l.runId, l.workflow, l.step])).toEqual([
      [id, "checkout", "price"],
      [id, "checkout", "charge"],
    ]);
    expect(lines.some((l) => l.msg === "workflow completed" && l.runId === id)).toBe(true);
  });

  it("validates the input at start: a route answers a problem listing the fields, and no run exists", async () => {
    const { app } = shop();
    app.workflow("checkout", async () => "never");
    app.post("/checkout", async (c) => c.json(await c.var.workflows.checkout.start(await c.req.json())));
    const t = createTestRuntime(app);
    const res = await t.fetch(
      new Request("http://test/checkout", {
        method: "POST",
        body: JSON.stringify({ orderId: "o1", qty: -1 }),
      }),
    );
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(((await res.json()) as { errors: { path: string }[] }).errors[0]?.path).toBe("qty");
    expect(await listRuns(t.db)).toEqual([]);
  });

  it("starts idempotently by id: the second start returns the same run and runs nothing twice", async () => {
    const { app } = shop();
    let runs = 0;
    app.workflow("checkout", async (_event, step) => step.do("once", () => ++runs));
    const t = createTestRuntime(app);
    const client = t.runtime.workflows.checkout!;
    expect(await client.start({ orderId: "o1", qty: 1 }, { id: "checkout-o1" })).toEqual({
      id: "checkout-o1",
      created: true,
    });
    expect(await client.start({ orderId: "o1", qty: 9 }, { id: "checkout-o1" })).toEqual({
      id: "checkout-o1",
      created: false,
    });
    await t.runWorkflows();
    expect(runs).toBe(1);
    expect((await client.get("checkout-o1"))?.input).toEqual({ orderId: "o1", qty: 1 });
  });

  it("refuses an id that belongs to another workflow", async () => {
    const app = new Skiff({ workflows: { a: z.object({}), b: z.object({}) } });
    app.workflow("a", async () => 1).workflow("b", async () => 2);
    const t = createTestRuntime(app);
    await t.runtime.workflows.a!.start({}, { id: "shared" });
    await expect(t.runtime.workflows.b!.start({}, { id: "shared" })).rejects.toThrow(
      '[skiff] run id "shared" already belongs to workflow "a"',
    );
  });

  it("retries a failing step with its backoff, journals each attempt, then returns its result", async () => {
    const { app, lines } = shop();
    let calls = 0;
    app.workflow("checkout", async (_e, step) =>
      step.do("flaky", { retries: { limit: 3, delay: 0, backoff: "exponential" } }, (s) => {
        calls++;
        if (s.attempt < 3) throw new Error(`attempt ${s.attempt} failed`);
        return s.attempt;
      }),
    );
    const t = createTestRuntime(app);
    const { id } = await t.runtime.workflows.checkout!.start({ orderId: "o1", qty: 1 });
    await t.runWorkflows();
    const run = await t.runtime.workflows.checkout!.get(id);
    expect(run?.status).toBe("completed");
    expect(run?.output).toBe(3);
    expect(calls).toBe(3);
    expect(run?.steps[0]).toMatchObject({ name: "flaky", status: "completed", attempts: 3 });
    expect(lines.filter((l) => l.msg === "workflow step retry").map((l) => l.attempts)).toEqual([1, 2]);
  });

  it("waits for a delayed retry through the queue, not in process, and journals the attempt count meanwhile", async () => {
    const { app } = shop();
    let calls = 0;
    app.workflow("checkout", async (_e, step) =>
      step.do("slow-retry", { retries: { limit: 1, delay: "30 seconds" } }, () => {
        if (++calls === 1) throw new Error("first attempt fails");
        return "ok";
      }),
    );
    const t = createTestRuntime(app);
    const { id } = await t.runtime.workflows.checkout!.start({ orderId: "o1", qty: 1 });
    await t.runWorkflows();
    let run = await t.runtime.workflows.checkout!.get(id);
    expect(run?.status).toBe("waiting");
    expect(run?.steps[0]).toMatchObject({
      status: "waiting",
      attempts: 1,
      error: { message: "first attempt fails" },
    });
    expect(await t.queueStore.stats("skiff-workflows")).toMatchObject({ ready: 0, delayed: 1 });
    await t.advanceTime(30_000);
    await t.runWorkflows();
    run = await t.runtime.workflows.checkout!.get(id);
    expect(run).toMatchObject({ status: "completed", output: "ok" });
    expect(run?.steps[0]?.attempts).toBe(2);
  });

  it("fails a step at once on NonRetryableError and ends the run failed with that error", async () => {
    const { app } = shop();
    let calls = 0;
    app.workflow("checkout", async (_e, step) => {
      await step.do("charge", { retries: { limit: 5, delay: 0 } }, () => {
        calls++;
        throw new NonRetryableError("card declined");
      });
    });
    const t = createTestRuntime(app);
    const { id } = await t.runtime.workflows.checkout!.start({ orderId: "o1", qty: 1 });
    await t.runWorkflows();
    const run = await t.runtime.workflows.checkout!.get(id);
    expect(calls).toBe(1);
    expect(run).toMatchObject({
      status: "failed",
      error: { name: "NonRetryableError", message: "card declined" },
    });
    expect(run?.steps[0]).toMatchObject({ status: "failed", attempts: 1 });
  });

  it("lets the handler catch a step that failed for good, on every replay, from the journal", async () => {
    const { app } = shop();
    let calls = 0;
    app.workflow("checkout", async (_e, step) => {
      let fallback = false;
      try {
        await step.do("primary", { retries: { limit: 0 } }, () => {
          calls++;
          throw new Error("down");
        });
      } catch (error) {
        fallback = (error as Error).message === "down";
      }
      await step.sleep("pause", "1 second");
      return step.do("secondary", () => ({ fallback }));
    });
    const t = createTestRuntime(app);
    const { id } = await t.runtime.workflows.checkout!.start({ orderId: "o1", qty: 1 });
    await t.runWorkflows();
    await t.advanceTime(1000);
    await t.runWorkflows();
    expect(await t.runtime.workflows.checkout!.get(id)).toMatchObject({
      status: "completed",
      output: { fallback: true },
    });
    expect(calls).toBe(1);
  });

  it("aborts an attempt at its timeout and counts it as a failure", async () => {
    const { app } = shop();
    let aborted = false;
    app.workflow("checkout", async (_e, step) =>
      step.do(
        "hang",
        { timeout: 20, retries: { limit: 0 } },
        (s) =>
          new Promise((resolve) =>
            s.signal.addEventListener("abort", () => ((aborted = true), resolve("late"))),
          ),
      ),
    );
    const t = createTestRuntime(app);
    const { id } = await t.runtime.workflows.checkout!.start({ orderId: "o1", qty: 1 });
    await t.runWorkflows();
    expect(aborted).toBe(true);
    expect(await t.runtime.workflows.checkout!.get(id)).toMatchObject({
      status: "failed",
      error: { name: "WorkflowTimeoutError" },
    });
  });

  it("fails a run whose code asks for another step at a journaled position, naming both steps", async () => {
    const { app } = shop();
    let version = 1;
    app.workflow("checkout", async (_e, step) => {
      await step.do(version === 1 ? "reserve" : "charge", () => "done");
      await step.sleep("wait", "1 second");
      return "end";
    });
    const t = createTestRuntime(app);
    const { id } = await t.runtime.workflows.checkout!.start({ orderId: "o1", qty: 1 });
    await t.runWorkflows();
    version = 2; // a redeploy that reordered the steps
    await t.advanceTime(1000);
    await t.runWorkflows();
    const run = await t.runtime.workflows.checkout!.get(id);
    expect(run?.status).toBe("failed");
    expect(run?.error?.message).toMatch(
      /^\[skiff\] .*position 0 is step "reserve" \(do\).*step "charge" \(do\)/,
    );
  });

  it("rejects a reused step name, a step inside a step, and results that are not JSON or over 1 MiB", async () => {
    const app = new Skiff({
      workflows: { dup: z.object({}), nested: z.object({}), big: z.object({}), fn: z.object({}) },
    });
    app.workflow("dup", async (_e, step) => {
      await step.do("a", () => 1);
      await step.do("a", () => 2);
    });
    app.workflow("nested", async (_e, step: WorkflowStep) =>
      step.do("outer", () => step.do("inner", () => 1)),
    );
    app.workflow("big", async (_e, step) => step.do("huge", () => "x".repeat(1024 * 1024 + 1)));
    app.workflow("fn", async (_e, step) => step.do("fn", () => BigInt(1)));
    const t = createTestRuntime(app);
    const ids = {
      dup: (await t.runtime.workflows.dup!.start({})).id,
      nested: (await t.runtime.workflows.nested!.start({})).id,
      big: (await t.runtime.workflows.big!.start({})).id,
      fn: (await t.runtime.workflows.fn!.start({})).id,
    };
    await t.runWorkflows();
    const error = async (name: keyof typeof ids) =>
      (await t.runtime.workflows[name]!.get(ids[name]))?.error?.message;
    expect(await error("dup")).toBe(
      '[skiff] step name "a" is used twice in this run; every step needs a unique name',
    );
    expect(await error("nested")).toMatch(
      /^\[skiff\] step\.do\("inner"\) was called inside the function of step "outer"/,
    );
    expect(await error("big")).toMatch(
      /^\[skiff\] the result of step "huge" is \d+ bytes of JSON; the limit is 1048576/,
    );
    expect(await error("fn")).toMatch(/^\[skiff\] the result of step "fn" is not JSON-serialisable/);
    expect((await t.runtime.workflows.big!.get(ids.big))?.steps[0]).toMatchObject({
      status: "failed",
      attempts: 1,
    });
  });

  it("rejects an input over 1 MiB at start", async () => {
    const app = new Skiff({ workflows: { w: z.object({ blob: z.string() }) } });
    app.workflow("w", async () => undefined);
    const t = createTestRuntime(app);
    await expect(t.runtime.workflows.w!.start({ blob: "x".repeat(1024 * 1024) })).rejects.toThrow(
      /^\[skiff\] the input of workflow "w" is \d+ bytes of JSON; the limit is 1048576/,
    );
  });
});

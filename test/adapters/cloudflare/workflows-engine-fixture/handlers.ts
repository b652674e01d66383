// The behaviours of the workflow contract app (test/contract/workflows/app.ts) as plain handlers, so the Cloudflare
// mapping is tested on its own, handler by handler. Side effects the test reads (attempts, compensations) go to KV.
import { NonRetryableError } from "../../../../src/workflows/errors.js";
import type { WorkflowHandler } from "../../../../src/workflows/types.js";
import type { TriggerContext } from "../../../../src/types.js";

let sequence = 0;
/** Appends one entry to the run's log in KV; keys sort in the order entries were written. */
export const record = (ctx: TriggerContext, runId: string, entry: string) =>
  ctx.kv.put(
    `log:${runId}:${String(Date.now()).padStart(15, "0")}:${String(sequence++).padStart(6, "0")}`,
    entry,
  );

export const handlers: Record<string, WorkflowHandler<never>> = {
  chain: async (event: { payload: { n: number } }, step) => {
    const doubled = await step.do("double", () => event.payload.n * 2);
    const added = await step.do("add-ten", () => doubled + 10);
    const key = await step.do("key", (s) => s.idempotencyKey);
    return { value: added, key };
  },
  flaky: async (event: { runId: string; payload: { failures: number } }, step, ctx) =>
    step.do("flaky", { retries: { limit: 2, delay: 10, backoff: "constant" } }, async (s) => {
      await record(ctx, event.runId, `attempt ${s.attempt} ${s.idempotencyKey}`);
      if (s.attempt <= event.payload.failures) throw new Error(`attempt ${s.attempt} failed`);
      return { succeededOn: s.attempt };
    }),
  declined: async (event, step, ctx) => {
    await step.do("charge", { retries: { limit: 5, delay: 10 } }, async (s) => {
      await record(ctx, event.runId, `attempt ${s.attempt}`);
      throw new NonRetryableError("card declined");
    });
    return "unreachable";
  },
  saga: async (event, step, ctx) => {
    await step.do(
      "reserve",
      { undo: (r) => record(ctx, event.runId, `undo reserve ${JSON.stringify(r)}`) },
      () => ({
        reservation: "r-1",
      }),
    );
    await step.do(
      "charge",
      { undo: (c, s) => record(ctx, event.runId, `undo charge ${JSON.stringify(c)} ${s.idempotencyKey}`) },
      () => ({ chargeId: "c-1", amount: 42 }),
    );
    await step.do("ship", () => {
      throw new NonRetryableError("no courier");
    });
    return "unreachable";
  },
  approval: async (_event, step) => {
    const approved = await step.waitForEvent<{ by: string }>("approval", {
      type: "approved",
      timeout: "2 days",
    });
    return { type: approved.type, by: approved.payload.by, at: approved.timestamp instanceof Date };
  },
  timeout: async (_event, step) => {
    try {
      await step.waitForEvent("approval", { type: "approved", timeout: "1 day" });
      return { timedOut: false };
    } catch (error) {
      return { timedOut: true, error: error instanceof Error ? error.name : String(error) };
    }
  },
  sleeper: async (_event, step) => {
    const before = await step.do("before", () => "slept");
    await step.sleep("nap", "13 hours");
    const after = await step.do("after", () => "woke");
    return { before, after };
  },
  napper: async (_event, step) => {
    const started = await step.do("started", () => Date.now());
    await step.sleep("nap", "1 second");
    await step.sleepUntil("past", new Date(0)); // already past: returns at once
    const woke = await step.do("woke", () => Date.now());
    return { slept: woke - started };
  },
  fanout: async (event: { payload: { n: number } }, step) => {
    const items = Array.from({ length: event.payload.n }, (_, i) => i);
    const squares = await step.map("square", items, (i, s) => ({ i, square: i * i, index: s.index }), {
      concurrency: 50,
    });
    const [total, count] = await step.all([
      step.do("sum", () => squares.reduce((sum, r) => sum + r.square, 0)),
      step.do("count", () => squares.length),
    ]);
    return { count, total, inOrder: squares.every((r, i) => r.i === i && r.index === i) };
  },
  cancellable: async (event, step, ctx) => {
    await step.do(
      "hold",
      { undo: (h) => record(ctx, event.runId, `undo hold ${JSON.stringify(h)}`) },
      () => ({
        seat: "12A",
      }),
    );
    await step.waitForEvent("release", { type: "release", timeout: "7 days" });
    return "released";
  },
  // Fails every attempt; its retry policy is the workflow's default (worker.ts: limit 1), not skiff's (limit 3).
  policy: async (event, step, ctx) =>
    step.do("always-fails", async (s) => {
      await record(ctx, event.runId, `attempt ${s.attempt}`);
      throw new Error("down");
    }),
  twice: async (_event, step) => {
    await step.do("same", () => 1);
    await step.do("same", () => 2);
    return "unreachable";
  },
};

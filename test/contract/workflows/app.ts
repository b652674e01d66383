import {
  NonRetryableError,
  Skiff,
  sql,
  type TriggerContext,
  type WorkflowClient,
  type WorkflowClients,
  WorkflowTimeoutError,
} from "skiff";
import { z } from "zod";

/**
 * The app of the workflow contract suite, declared through the public API only: one workflow per behaviour the
 * suite checks, and routes under `/api` (Vercel's base path) to start, read, signal and cancel runs. Side effects
 * that the suite must observe (retry attempts, compensations and their inputs) are rows of `wf_log`, in the app's
 * own database, so every platform reports them the same way.
 */

const Count = z.object({ n: z.number().int().min(0).max(10_000) });
const Empty = z.object({}).strict();

export const workflowSchemas = {
  chain: Count,
  flaky: z.object({ failures: z.number().int().min(0) }),
  declined: Empty,
  saga: Empty,
  approval: Empty,
  timeout: Empty,
  sleeper: Empty,
  fanout: Count,
  branching: Empty,
  cancellable: Empty,
};

/** The workflow names the routes accept. */
export type ContractWorkflow = keyof typeof workflowSchemas;

export const app = new Skiff({
  workflows: workflowSchemas,
  migrations: [
    {
      id: "001_wf_log",
      sql: "CREATE TABLE wf_log (id INTEGER PRIMARY KEY AUTOINCREMENT, run_id TEXT NOT NULL, entry TEXT NOT NULL)",
    },
  ],
});

/** Appends one line to the run's log; compensations and attempts write here so the suite can read their order. */
const record = (ctx: TriggerContext, runId: string, entry: string) =>
  ctx.db.run(sql`INSERT INTO wf_log (run_id, entry) VALUES (${runId}, ${entry})`);

// Happy path: each step consumes the previous step's journaled result.
app.workflow("chain", async (event, step) => {
  const doubled = await step.do("double", () => event.payload.n * 2);
  const added = await step.do("add-ten", () => doubled + 10);
  const key = await step.do("key", (s) => s.idempotencyKey);
  return { value: added, key };
});

// Throws on the first `failures` attempts; the retry limit is 2, so 3 or more failures fail the run.
app.workflow("flaky", async (event, step, ctx) => {
  const ok = await step.do("flaky", { retries: { limit: 2, delay: 10, backoff: "constant" } }, async (s) => {
    await record(ctx, event.runId, `attempt ${s.attempt}`);
    if (s.attempt <= event.payload.failures) throw new Error(`attempt ${s.attempt} failed`);
    return { succeededOn: s.attempt };
  });
  return ok;
});

// A NonRetryableError fails the step on its first attempt despite a generous retry policy.
app.workflow("declined", async (event, step, ctx) => {
  await step.do("charge", { retries: { limit: 5, delay: 10 } }, async (s) => {
    await record(ctx, event.runId, `attempt ${s.attempt}`);
    throw new NonRetryableError("card declined");
  });
  return "unreachable";
});

// A saga: two completed steps with undo handlers, then a step that fails for good.
app.workflow("saga", async (event, step, ctx) => {
  await step.do(
    "reserve",
    { undo: (r) => record(ctx, event.runId, `undo reserve ${JSON.stringify(r)}`) },
    () => ({ reservation: "r-1" }),
  );
  await step.do(
    "charge",
    { undo: (c) => record(ctx, event.runId, `undo charge ${JSON.stringify(c)}`) },
    () => ({ chargeId: "c-1", amount: 42 }),
  );
  await step.do("ship", () => {
    throw new NonRetryableError("no courier");
  });
  return "unreachable";
});

// Waits for an event; the timeout (2 days) is far longer than any test.
app.workflow("approval", async (_event, step) => {
  const approved = await step.waitForEvent<{ by: string }>("approval", {
    type: "approved",
    timeout: "2 days",
  });
  return { type: approved.type, by: approved.payload.by };
});

// Waits for an event that never comes: the timeout (a day, past every queue's longest delay) goes through the timer
// table, and the handler catches the WorkflowTimeoutError to take another path.
app.workflow("timeout", async (_event, step) => {
  try {
    await step.waitForEvent("approval", { type: "approved", timeout: "1 day" });
    return { timedOut: false };
  } catch (error) {
    if (!(error instanceof WorkflowTimeoutError)) throw error;
    return { timedOut: true, error: error.name };
  }
});

// A sleep longer than any platform's queue delay (12 h on Cloudflare, 15 min on SQS): only the timer cron wakes it.
app.workflow("sleeper", async (_event, step) => {
  const before = await step.do("before", () => "slept");
  await step.sleep("nap", "13 hours");
  const after = await step.do("after", () => "woke");
  return { before, after };
});

// Fan-out over n items (each its own queue message), then a fan-in that checks order and sum.
app.workflow("fanout", async (event, step) => {
  const items = Array.from({ length: event.payload.n }, (_, i) => i);
  const squares = await step.map("square", items, (i, s) => ({ i, square: i * i, index: s.index }));
  const total = await step.do("sum", () => squares.reduce((sum, r) => sum + r.square, 0));
  return {
    count: squares.length,
    total,
    inOrder: squares.every((r, i) => r.i === i && r.index === i),
  };
});

// Non-deterministic on purpose: the step name depends on a KV flag read outside any step, so flipping the flag
// between the first run and the replay after the event asks for a different step at position 0.
app.workflow("branching", async (event, step, ctx) => {
  const branch = (await ctx.kv.get(`branch:${event.runId}`)) ?? "a";
  await step.do(`branch-${branch}`, () => branch);
  await step.waitForEvent("go", { type: "go", timeout: "1 day" });
  return branch;
});

// Completes one step with an undo, then waits; cancelling it runs the undo and ends it cancelled.
app.workflow("cancellable", async (event, step, ctx) => {
  await step.do("hold", { undo: (h) => record(ctx, event.runId, `undo hold ${JSON.stringify(h)}`) }, () => ({
    seat: "12A",
  }));
  await step.waitForEvent("release", { type: "release", timeout: "7 days" });
  return "released";
});

const Start = z.object({ input: z.unknown(), id: z.string().min(1).optional() });
const Signal = z.object({ type: z.string().min(1), payload: z.unknown().optional() });

app.get("/api/health", (c) => c.json({ platform: c.var.platform }));

app.post("/api/runs/:workflow", async (c) => {
  const client = clientOf(c.var.workflows, c.req.param("workflow"));
  if (!client) return c.notFound();
  const body = Start.parse(await c.req.json());
  const run = await client.start(body.input, body.id === undefined ? {} : { id: body.id });
  return c.json(run, run.created ? 201 : 200);
});

app.get("/api/runs/:workflow/:id", async (c) => {
  const client = clientOf(c.var.workflows, c.req.param("workflow"));
  const run = await client?.get(c.req.param("id"));
  return run ? c.json(run) : c.notFound();
});

app.post("/api/runs/:workflow/:id/events", async (c) => {
  const client = clientOf(c.var.workflows, c.req.param("workflow"));
  if (!client) return c.notFound();
  const event = Signal.parse(await c.req.json());
  await client.sendEvent(c.req.param("id"), event);
  return c.body(null, 202);
});

app.post("/api/runs/:workflow/:id/cancel", async (c) => {
  const client = clientOf(c.var.workflows, c.req.param("workflow"));
  if (!client) return c.notFound();
  await client.cancel(c.req.param("id"));
  return c.body(null, 202);
});

app.get("/api/log/:runId", async (c) => {
  const rows = await c.var.db.all<{ entry: string }>(
    sql`SELECT entry FROM wf_log WHERE run_id = ${c.req.param("runId")} ORDER BY id`,
  );
  return c.json({ entries: rows.map((r) => r.entry) });
});

app.put("/api/kv/:key", async (c) => {
  await c.var.kv.put(c.req.param("key"), await c.req.text());
  return c.body(null, 204);
});

// Every client accepts `unknown` here: start() validates the input against the workflow's schema anyway.
function clientOf(
  clients: WorkflowClients<typeof workflowSchemas>,
  name: string,
): WorkflowClient<unknown> | undefined {
  return Object.hasOwn(workflowSchemas, name)
    ? (clients[name as ContractWorkflow] as WorkflowClient<unknown>)
    : undefined;
}

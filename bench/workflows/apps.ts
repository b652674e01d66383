import { Skiff, sql, type Database, type LogSink } from "skiff";
import { z } from "zod";
import type { WorkflowClient } from "../../src/workflows/types.js";
import type { Harness } from "./harness.js";

// The apps the workflow bench compares. Every contender does the same work per step, one INSERT into `work`, so
// what differs is only how the steps are made durable: the workflow journal, or a message per step on the queue.
export const STEPS = 10;
const nullSink: LogSink = () => {};
const Job = z.object({ job: z.number().int() });
const Hop = z.object({ job: z.number().int(), step: z.number().int() });
const WORK = {
  id: "001_work",
  sql: "CREATE TABLE work (job INTEGER NOT NULL, step INTEGER NOT NULL); CREATE TABLE fanin (job INTEGER PRIMARY KEY, left INTEGER NOT NULL)",
};

/** One unit of work: the same statement in every contender. */
export const work = (db: Database, job: number, step: number): Promise<number> =>
  db.run(sql`INSERT INTO work (job, step) VALUES (${job}, ${step})`).then(() => step);

/** Whether this checkout has the workflow engine (`app.workflow`): the bench says "not available yet" otherwise. */
export const hasWorkflows = (): boolean =>
  typeof (new Skiff({ log: { sink: nullSink } }) as { workflow?: unknown }).workflow === "function";

/** A workflow of STEPS `step.do` steps, and a `step.map` over `items` (default concurrency). */
export function workflowApp(items: number) {
  const app = new Skiff({
    workflows: { chain: Job, fan: Job },
    migrations: [WORK],
    log: { sink: nullSink },
  });
  app.workflow("chain", async (event, step, ctx) => {
    for (let i = 0; i < STEPS; i++) await step.do(`s${i}`, () => work(ctx.db, event.payload.job, i));
    return event.payload.job;
  });
  app.workflow("fan", async (event, step, ctx) => {
    const all = Array.from({ length: items }, (_, i) => i);
    const done = await step.map("items", all, (i) => work(ctx.db, event.payload.job, i));
    return { items: done.length, inOrder: done.every((v, i) => v === i) };
  });
  return app;
}

/** The consumer options of the engine's own queue, so the plain consumers run on equal terms. */
export function engineQueueOptions(app: Skiff) {
  const internal = app.triggers.queues.get("skiff-workflows")?.options;
  return internal
    ? { maxBatchSize: internal.maxBatchSize, visibilityTimeoutSeconds: internal.visibilityTimeoutSeconds }
    : {};
}

/**
 * The same work on plain queue consumers through the same libSQL queue: `hop` carries a job from step to step (a
 * message per step, sent by the consumer of the one before), `once` does all STEPS in one message (no durability
 * between steps), `item` is one fan-out item that also counts down the job's fan-in row.
 */
export function queueApp(options: { maxBatchSize?: number; visibilityTimeoutSeconds?: number }) {
  const app = new Skiff({
    queues: { hop: Hop, once: Job, item: Hop },
    migrations: [WORK],
    log: { sink: nullSink },
  });
  app.queue(
    "hop",
    async (m, ctx) => {
      await work(ctx.db, m.body.job, m.body.step);
      if (m.body.step + 1 < STEPS) await ctx.queues.hop.send({ job: m.body.job, step: m.body.step + 1 });
    },
    options,
  );
  app.queue(
    "once",
    async (m, ctx) => {
      for (let i = 0; i < STEPS; i++) await work(ctx.db, m.body.job, i);
    },
    options,
  );
  app.queue(
    "item",
    async (m, ctx) => {
      await ctx.db.batch([
        sql`INSERT INTO work (job, step) VALUES (${m.body.job}, ${m.body.step})`,
        sql`UPDATE fanin SET left = left - 1 WHERE job = ${m.body.job}`,
      ]);
    },
    options,
  );
  return app;
}

/** The workflow clients outside a request, as a cron or a consumer sees them on `ctx.workflows`. */
export function workflowClients(h: Harness): Record<string, WorkflowClient<{ job: number }>> {
  const ctx = h.runtime.triggerContext(h.waitUntil) as {
    workflows?: Record<string, WorkflowClient<{ job: number }>>;
  };
  if (!ctx.workflows) throw new Error("the runtime has no workflow clients (ctx.workflows)");
  return ctx.workflows;
}

/** Rows of `work` in the probe connection, and the runs in each status. */
export async function progressOf(h: Harness): Promise<{ work: number; completed: number; other: number }> {
  const w = await h.probe.get<{ n: number }>(sql`SELECT count(*) AS n FROM work`);
  const runs = await h.probe
    .all<{ status: string; n: number }>(
      sql`SELECT status, count(*) AS n FROM _skiff_workflow_runs GROUP BY status`,
    )
    .catch(() => []);
  const completed = Number(runs.find((r) => r.status === "completed")?.n ?? 0);
  const failed = runs.filter((r) => r.status === "failed" || r.status === "cancelled");
  if (failed.length > 0) throw new Error(`workflow runs ended badly: ${JSON.stringify(failed)}`);
  return { work: Number(w?.n ?? 0), completed, other: runs.reduce((n, r) => n + Number(r.n), 0) - completed };
}

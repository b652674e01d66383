import { type LogRecord, Skiff } from "skiff";
import { type LambdaOptions, toLambda } from "skiff/lambda";
import { z } from "zod";
import { tempDbUrl } from "../../../contract/node-driver.js";
import { type SqsStandIn, TEST_CREDENTIALS } from "./sqs-stand-in.js";

/**
 * A small app that records what Lambda delivered to it, for the tests that look closer than the contract suite:
 * an echo route, a `jobs` queue (n < 0 throws, n = 7 asks for a 60 s delay), a FIFO-consumed `steps` queue
 * (n = 2 throws), crons, and `waitUntil` work on every trigger.
 */
export const Job = z.object({ n: z.number().int() });

export interface Recorded {
  logs: LogRecord[];
  jobs: Array<{ id: string; n: number; attempts: number; timestamp: number }>;
  steps: number[];
  crons: Array<{ cron: string; scheduledTime: number; executionId?: string }>;
  later: string[];
  dbs: Set<unknown>;
}

export const recorded: Recorded = { logs: [], jobs: [], steps: [], crons: [], later: [], dbs: new Set() };

export function resetRecorded(): void {
  recorded.logs.length = 0;
  recorded.jobs.length = 0;
  recorded.steps.length = 0;
  recorded.crons.length = 0;
  recorded.later.length = 0;
  recorded.dbs.clear();
}

const later = (what: string, ms = 30) =>
  new Promise<void>((resolve) => setTimeout(resolve, ms)).then(() => {
    recorded.later.push(what);
  });

export const app = new Skiff({
  queues: { jobs: Job, steps: Job, "jobs-dlq": z.unknown() },
  log: { sink: (record) => recorded.logs.push(record) },
});

app.get("/db", (c) => {
  recorded.dbs.add(c.var.db);
  return c.text("ok");
});
app.put("/kv/:key", async (c) => {
  await c.var.kv.put(c.req.param("key"), await c.req.text());
  return c.body(null, 204);
});
app.get("/kv/:key", async (c) => c.text((await c.var.kv.get(c.req.param("key"))) ?? "missing"));
app.get("/later", (c) => {
  c.executionCtx.waitUntil(later("http"));
  c.executionCtx.waitUntil(Promise.reject(new Error("background failure")));
  return c.text("sent before the background work ends");
});
app.get("/boom", () => {
  throw new Error("internal detail that must not leak");
});
app.all("*", async (c) =>
  c.json({
    method: c.req.method,
    path: c.req.path,
    query: c.req.queries(),
    body: await c.req.text(),
    platform: c.var.platform,
  }),
);

app.queue(
  "jobs",
  async (message, ctx) => {
    recorded.jobs.push({
      id: message.id,
      n: message.body.n,
      attempts: message.attempts,
      timestamp: message.timestamp.getTime(),
    });
    ctx.waitUntil(later(`job ${message.id}`));
    if (message.body.n < 0) throw new Error(`job ${message.id} failed`);
    if (message.body.n === 7) message.retry({ delaySeconds: 60 });
  },
  { maxRetries: 3, deadLetter: "jobs-dlq" },
);
app.queue("steps", async (message) => {
  recorded.steps.push(message.body.n);
  if (message.body.n === 2) throw new Error("step 2 failed");
});
app.queue("jobs-dlq", () => undefined);

app.cron("0 9 * * MON-FRI", (event, ctx) => {
  recorded.crons.push(event);
  ctx.waitUntil(later(`cron ${event.cron}`));
});
app.cron("30 * * * *", async (_event, ctx) => {
  await ctx.queues.jobs.send({ n: 100 });
});
app.cron("0 0 1 JAN *", () => {
  throw new Error("new year job failed");
});

/** The env Lambda would set for this app, with queue URLs on the stand-in. */
export function testEnv(standIn: SqsStandIn): Record<string, string | undefined> {
  return {
    ...TEST_CREDENTIALS,
    TURSO_DATABASE_URL: tempDbUrl("skiff-lambda-test"),
    SKIFF_QUEUE_URL_JOBS: standIn.queueUrl("jobs"),
    SKIFF_QUEUE_URL_STEPS: standIn.queueUrl("steps.fifo"),
    SKIFF_QUEUE_URL_JOBS_DLQ: standIn.queueUrl("jobs-dlq"),
  };
}

export const testHandler = (standIn: SqsStandIn, options: LambdaOptions = {}) =>
  toLambda(app, { env: testEnv(standIn), ...options });

import { createClient } from "@libsql/client";
import { QueueClient } from "@vercel/queue";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { Skiff } from "skiff";
import { Database, LibsqlQueueStore } from "skiff/adapter";
import { toVercel, toVercelSchedules, vercelQueueConsumer, vercelScheduleName } from "skiff/vercel";
import { tempDbUrl } from "../../contract/node-driver.js";
import { pushDelivery, startQueueService, type QueueService } from "./support/queue-service.js";

const Job = z.object({ n: z.number() });
const lines: Array<{ level: string; msg: string }> = [];
const app = new Skiff({
  queues: { jobs: Job, bulk: Job, "jobs-dlq": Job },
  log: { sink: (r) => void lines.push(r) },
});
const seen: number[] = [];
app.queue(
  "jobs",
  (message) => {
    seen.push(message.body.n);
    if (message.body.n === 1) message.retry({ delaySeconds: 90 });
    if (message.body.n === 2) throw new Error("boom");
  },
  { maxRetries: 2, deadLetter: "jobs-dlq", retryDelaySeconds: 7_200 },
);
app.queueBatch("bulk", () => undefined, { maxBatchSize: 25 });
const fired: Array<{ cron: string; scheduledTime: number; executionId?: string }> = [];
app.cron("*/5 9-17 * * MON-FRI", (event) => void fired.push(event));

let service: QueueService;
beforeAll(async () => {
  service = await startQueueService();
});
afterAll(() => service.close());

const options = () => ({
  env: {
    TURSO_DATABASE_URL: tempDbUrl("skiff-vercel-vq"),
    VERCEL_OIDC_TOKEN: "env-token",
    VERCEL_DEPLOYMENT_ID: "dpl_1",
  },
  createClient,
  vercelQueues: { baseUrl: service.url },
});

describe("Vercel Queues producer (HTTP API on fetch)", () => {
  it("sends each message to the topic with its delay, the OIDC token and the deployment id", async () => {
    const handlers = toVercel(app, { ...options(), queues: "vercel", drainOnRequest: false });
    app.post("/enqueue", async (c) => {
      await c.var.queues.jobs.sendBatch([{ body: { n: 10 } }, { body: { n: 11 }, delaySeconds: 60 }]);
      return c.body(null, 204);
    });
    const res = await handlers.fetch(new Request("https://x.vercel.app/enqueue", { method: "POST" }));
    expect(res.status).toBe(204);
    const mine = service.sent.filter((m) => (m.body as { n: number }).n >= 10);
    expect(mine).toEqual([
      {
        topic: "jobs",
        body: { n: 10 },
        delaySeconds: undefined,
        authorization: "Bearer env-token",
        deploymentId: "dpl_1",
      },
      {
        topic: "jobs",
        body: { n: 11 },
        delaySeconds: 60,
        authorization: "Bearer env-token",
        deploymentId: "dpl_1",
      },
    ]);
  });

  it("prefers the invocation's x-vercel-oidc-token and says what to do when there is no token", async () => {
    const key = Symbol.for("@vercel/request-context");
    const g = globalThis as Record<symbol, unknown>;
    const { env, ...rest } = options();
    const handlers = toVercel(app, {
      ...rest,
      env: { ...env, VERCEL_OIDC_TOKEN: undefined },
      queues: "vercel",
      drainOnRequest: false,
    });
    const enqueue = () => handlers.fetch(new Request("https://x.vercel.app/enqueue", { method: "POST" }));
    g[key] = { get: () => ({ headers: { "x-vercel-oidc-token": "ctx-token" } }) };
    try {
      expect((await enqueue()).status).toBe(204);
    } finally {
      delete g[key];
    }
    expect(service.sent.at(-1)).toMatchObject({ topic: "jobs", authorization: "Bearer ctx-token" });
    lines.length = 0;
    expect((await enqueue()).status).toBe(500);
    const logged = lines.find((l) => l.msg === "unhandled error") as { error?: Error } | undefined;
    expect(logged?.error?.message).toContain("run `vercel env pull` (it writes VERCEL_OIDC_TOKEN)");
  });
});

describe("Vercel Queues consumer (handleCallback of @vercel/queue)", () => {
  const client = () =>
    new QueueClient({
      region: "iad1",
      token: "t",
      resolveBaseUrl: () => new URL(service.url),
      deploymentId: null,
    });

  it("acks a handled message, reschedules retry({ delaySeconds }) by that delay, and caps a throw's 2 h delay at the 1 h lease", async () => {
    const opts = options();
    const consumer = vercelQueueConsumer(app, "jobs", opts);
    const POST = client().handleCallback(consumer.handler, consumer.options);
    const deliver = async (n: number, receiptHandle: string, attempts = 1) => {
      const res = await POST(
        pushDelivery("jobs", { id: receiptHandle, body: { n }, attempts, receiptHandle }),
      );
      await consumer.settle();
      return res.status;
    };
    expect(await deliver(0, "rh-ack")).toBe(200);
    expect(service.acked.has("rh-ack")).toBe(true);
    expect(await deliver(1, "rh-delay")).toBe(200);
    expect(service.rescheduled.get("rh-delay")).toBe(90);
    expect(service.acked.has("rh-delay")).toBe(false);
    expect(await deliver(2, "rh-throw")).toBe(200);
    expect(service.rescheduled.get("rh-throw")).toBe(3_600);
    // deliveryCount is attempts: the third failure is past maxRetries 2, so it goes to the dead letter and is acked.
    expect(await deliver(2, "rh-dead", 3)).toBe(200);
    expect(service.acked.has("rh-dead")).toBe(true);
    // jobs-dlq has no consumer, so it stays in libSQL (durable, past Vercel Queues' 24 h retention).
    const db = new Database(() => createClient({ url: opts.env.TURSO_DATABASE_URL }));
    expect((await new LibsqlQueueStore(db).peek("jobs-dlq", 10)).map((m) => m.body)).toEqual([{ n: 2 }]);
    expect(service.sent.filter((m) => m.topic === "jobs-dlq")).toEqual([]);
    db.close();
  });

  it("says at start-up what Vercel Queues cannot honour: batches of one, the 1 h lease", async () => {
    lines.length = 0;
    const consumer = vercelQueueConsumer(app, "bulk", options());
    await consumer.handler(
      { n: 5 },
      { messageId: "b1", deliveryCount: 1, createdAt: new Date(), topicName: "bulk" },
    );
    const warnings = lines.filter((l) => l.level === "warn").map((l) => l.msg);
    expect(warnings).toContain(
      '[skiff] Vercel Queues, queue "bulk": push delivery hands one message per callback, so app.queueBatch("bulk") gets batches of 1 (maxBatchSize 25 and maxBatchTimeoutSeconds are not honoured); use toVercel\'s queues: "libsql" for real batches',
    );
    expect(warnings).toContain(
      '[skiff] Vercel Queues, queue "jobs": retryDelaySeconds 7200 is above the service\'s 3600 s lease, so retries are delayed 3600 s; lower retryDelaySeconds to at most 3600',
    );
    expect(() => vercelQueueConsumer(app, "jobs-dlq")).toThrow('queue "jobs-dlq" has no consumer');
  });

  it("chooses the backend from the option, else SKIFF_QUEUES, and refuses any other value", async () => {
    const { env, ...rest } = options();
    const handlers = toVercel(app, { ...rest, env: { ...env, SKIFF_QUEUES: "sqs" } });
    await expect(
      handlers.fetch(new Request("https://x.vercel.app/enqueue", { method: "POST" })),
    ).rejects.toThrow('[skiff] toVercel: SKIFF_QUEUES is "sqs"; use "libsql" or "vercel"');
  });
});

describe("Vercel Schedules (the private schedule/v1beta function)", () => {
  const run = (body: unknown, method = "POST") =>
    new Request("https://x.vercel.app/api/skiff/schedule", {
      method,
      ...(method === "POST"
        ? { body: JSON.stringify(body), headers: { "content-type": "application/json" } }
        : {}),
    });

  it("fires the cron a run names, with the run's scheduled time and execution id", async () => {
    const schedules = toVercelSchedules(app, options());
    const name = vercelScheduleName("*/5 9-17 * * MON-FRI");
    expect(name).toBe("skiff-cron-x.s5_9-17_x_x_MON-FRI");
    const res = await schedules.POST(
      run({ name, scheduledAt: "2026-01-05T09:05:00.000Z", executionId: "exe_42" }),
    );
    expect(res.status).toBe(200);
    expect(fired).toEqual([
      {
        cron: "*/5 9-17 * * MON-FRI",
        scheduledTime: Date.parse("2026-01-05T09:05:00.000Z"),
        executionId: "exe_42",
      },
    ]);
  });

  it("answers 404 for an unknown schedule, 400 for a malformed run and 405 for another method", async () => {
    const schedules = toVercelSchedules(app, options());
    expect((await schedules.POST(run({ name: vercelScheduleName("5 4 * * *") }))).status).toBe(404);
    expect((await schedules.POST(run({ scheduledAt: 1 }))).status).toBe(400);
    expect((await schedules.POST(run(undefined, "GET"))).status).toBe(405);
  });

  it("is never reachable through the public route: toVercel hands a schedule run to the app, which has no such route", async () => {
    fired.length = 0;
    const handlers = toVercel(app, { ...options(), drainOnRequest: false });
    const body = {
      name: vercelScheduleName("*/5 9-17 * * MON-FRI"),
      scheduledAt: "2026-01-05T09:05:00.000Z",
    };
    for (const path of ["/api/skiff/schedule", "/api/__skiff/schedule", "/"]) {
      const res = await handlers.fetch(
        new Request(`https://x.vercel.app${path}`, { method: "POST", body: JSON.stringify(body) }),
      );
      expect([404, 405]).toContain(res.status);
    }
    expect(fired).toEqual([]);
  });
});

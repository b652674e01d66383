import {
  createExecutionContext,
  createMessageBatch,
  createScheduledController,
  getQueueResult,
  waitOnExecutionContext,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { ConfigError, Skiff } from "skiff";
import { type CloudflareWorker, toCloudflare } from "skiff/cloudflare";
import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { app } from "../../../../examples/shop/app.js";
import { deliverBatch, recordingQueue } from "./cloudflare-driver.js";

const BASE = "http://shop.test";

async function request(
  worker: CloudflareWorker,
  workerEnv: Cloudflare.Env,
  path: string,
  init?: RequestInit,
) {
  const ctx = createExecutionContext();
  const response = await worker.fetch(new Request(`${BASE}${path}`, init), workerEnv, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

async function fire(worker: CloudflareWorker, workerEnv: Cloudflare.Env, cron: string) {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ cron, scheduledTime: new Date() }), workerEnv, ctx);
  await waitOnExecutionContext(ctx);
}

function without<K extends keyof Cloudflare.Env>(key: K): Cloudflare.Env {
  const copy: Partial<Cloudflare.Env> = { ...env };
  delete copy[key];
  return copy as Cloudflare.Env;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("the database on a Worker comes from TURSO_DATABASE_URL, over HTTP only", () => {
  it("refuses a file: URL at the first query with a ConfigError naming the variable, while routes without the database still answer", async () => {
    const worker = toCloudflare(app);
    const badEnv = { ...env, TURSO_DATABASE_URL: "file:.skiff/dev.db" };
    const consoleError = vi.spyOn(console, "error").mockImplementation(() => undefined);

    expect((await request(worker, badEnv, "/")).status).toBe(200);

    const failed = fire(worker, badEnv, "0 9 * * *");
    await expect(failed).rejects.toBeInstanceOf(ConfigError);
    await expect(failed).rejects.toMatchObject({
      variable: "TURSO_DATABASE_URL",
      message: expect.stringContaining(
        'TURSO_DATABASE_URL is "file:.skiff/dev.db", but this runtime has no filesystem',
      ),
    });

    const res = await request(worker, badEnv, "/api/users");
    expect(res.status).toBe(500);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(JSON.stringify(await res.json())).not.toContain("TURSO"); // a 500 shows nothing of the internals...
    expect(consoleError.mock.calls.flat().join("\n")).toContain("TURSO_DATABASE_URL"); // ...the log says what to fix
  });

  it("names TURSO_DATABASE_URL when it is missing", async () => {
    const worker = toCloudflare(app);
    await expect(fire(worker, without("TURSO_DATABASE_URL"), "0 9 * * *")).rejects.toThrow(
      /TURSO_DATABASE_URL is not set/,
    );
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    await expect(
      fire(toCloudflare(app), { ...env, TURSO_DATABASE_URL: "postgres://db" }, "0 9 * * *"),
    ).rejects.toThrow(/TURSO_DATABASE_URL "postgres:\/\/db" is not a libSQL URL/);
  });
});

describe("bindings are created lazily, once per isolate, never per request", () => {
  it("reads nothing at setup, the database variables once at the first query, and the KV binding once", async () => {
    const reads = new Map<string, number>();
    const counted = new Proxy(
      { ...env },
      {
        get(target, key, receiver) {
          if (typeof key === "string") reads.set(key, (reads.get(key) ?? 0) + 1);
          return Reflect.get(target, key, receiver);
        },
      },
    );
    const worker = toCloudflare(app);
    expect(reads.size).toBe(0);

    expect((await request(worker, counted, "/")).status).toBe(200);
    expect(reads.get("TURSO_DATABASE_URL")).toBeUndefined(); // "/" never touches the database

    for (let i = 0; i < 3; i++)
      expect((await request(worker, counted, "/api/users?limit=1")).status).toBe(200);
    expect(reads.get("TURSO_DATABASE_URL")).toBe(1);
    expect(reads.get("TURSO_AUTH_TOKEN")).toBe(1);
    expect(reads.get("KV")).toBe(1); // the request counter's KV binding, looked up once
  });
});

describe("waitUntil goes to the Worker's ctx.waitUntil", () => {
  it("hands the request counter's write to ctx.waitUntil, and it lands after the response", async () => {
    const worker = toCloudflare(app);
    const before = (await (await request(worker, env, "/api/stats")).json()) as { requests: number };
    const ctx = createExecutionContext();
    const waitUntil = vi.fn((promise: Promise<unknown>) => ctx.waitUntil(promise));
    const res = await worker.fetch(new Request(`${BASE}/api/stats`), env, {
      waitUntil,
      passThroughOnException: () => undefined,
      props: {},
    });
    expect(res.status).toBe(200);
    // The counter's write, and the change relay of app.onChange (the request queried the database: its rate limit).
    expect(waitUntil).toHaveBeenCalledTimes(2);
    await waitOnExecutionContext(ctx);
    const after = (await (await request(worker, env, "/api/stats")).json()) as { requests: number };
    expect(after.requests).toBeGreaterThanOrEqual(before.requests + 2);
  });
});

describe("a failed cron run is reported to Cloudflare", () => {
  const controller = (cron: string) => ({ cron, scheduledTime: Date.now(), noRetry: vi.fn() });

  it("rejects when a handler throws, leaving Cloudflare free to retry", async () => {
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const run = controller("0 0 * * *");
    await expect(toCloudflare(jobsApp()).scheduled(run, env, createExecutionContext())).rejects.toThrow(
      "the nightly job failed",
    );
    expect(run.noRetry).not.toHaveBeenCalled();
  });

  it("rejects and opts out of retries when no handler is registered or configuration is missing", async () => {
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const unknown = controller("5 4 * * *");
    await expect(toCloudflare(app).scheduled(unknown, env, createExecutionContext())).rejects.toThrow(
      /no handler is registered/,
    );
    expect(unknown.noRetry).toHaveBeenCalledOnce();
    const misconfigured = controller("0 9 * * *");
    await expect(
      toCloudflare(app).scheduled(misconfigured, without("TURSO_DATABASE_URL"), createExecutionContext()),
    ).rejects.toThrow(ConfigError);
    expect(misconfigured.noRetry).toHaveBeenCalledOnce();
  });
});

const Job = z.object({ n: z.number().int() });
function jobsApp() {
  const jobs = new Skiff({ queues: { jobs: Job, "job-events": Job } });
  jobs.queue(
    "jobs",
    async (message) => {
      if (message.body.n === 2) throw new Error("job 2 fails");
      if (message.body.n === 3) message.retry({ delaySeconds: 90 });
    },
    { retryDelaySeconds: 30, maxRetries: 5 },
  );
  jobs.queueBatch("job-events", async (batch) => {
    batch.messages[0]?.ack();
    throw new Error("the batch write failed");
  });
  jobs.cron("0 0 * * *", () => {
    throw new Error("the nightly job failed");
  });
  jobs.cron("* * * * *", async (_event, ctx) => {
    await ctx.queues.jobs.sendBatch([{ body: { n: 1 } }, { body: { n: 2 }, delaySeconds: 30 }]);
  });
  return jobs;
}

describe("queue batches keep Cloudflare's per-message semantics", () => {
  it("acks what succeeded and retries only the message that threw, with the consumer's retry delay; an explicit retry keeps its delay", async () => {
    const worker = toCloudflare(jobsApp());
    const batch = createMessageBatch(
      "jobs",
      [1, 2, 3].map((n) => ({ id: `j${n}`, timestamp: new Date(), attempts: 1, body: { n } })),
    );
    // The pool's getQueueResult() does not report delays, so watch the calls themselves.
    const retries = batch.messages.map((m) => vi.spyOn(m, "retry"));
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.outcome).toBe("ok");
    expect(result.ackAll).toBe(false);
    expect(result.retryBatch.retry).toBe(false);
    expect(result.explicitAcks).toEqual(["j1"]);
    expect(result.retryMessages.map((r) => r.msgId)).toEqual(["j2", "j3"]);
    expect(retries.map((spy) => spy.mock.calls)).toEqual([
      [],
      [[{ delaySeconds: 30 }]],
      [[{ delaySeconds: 90 }]],
    ]);
  });

  it("acks a message that fails its schema when no dead-letter queue is configured (dropped with an error log), never retrying it", async () => {
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const result = await deliverBatch(toCloudflare(jobsApp()), env, "jobs", [
      { id: "bad", body: { n: "two" }, attempts: 1 },
    ]);
    expect(result.explicitAcks).toEqual(["bad"]);
    expect(result.retryMessages).toEqual([]);
  });

  it("gives a batch handler Cloudflare's batch semantics: a throw retries every message it did not settle", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const result = await deliverBatch(toCloudflare(jobsApp()), env, "job-events", [
      { id: "e1", body: { n: 1 }, attempts: 1 },
      { id: "e2", body: { n: 2 }, attempts: 1 },
    ]);
    expect(result.explicitAcks).toEqual(["e1"]);
    expect(result.retryMessages.map((r) => r.msgId)).toEqual(["e2"]);
  });

  it("rejects a batch for a queue the app does not consume, so Cloudflare retries the whole batch", async () => {
    await expect(
      deliverBatch(toCloudflare(jobsApp()), env, "nobody-consumes-this", [
        { id: "x", body: {}, attempts: 1 },
      ]),
    ).rejects.toThrow(/queue "nobody-consumes-this", which has no consumer/);
  });
});

describe("producers send JSON through the Queue binding", () => {
  it("sends a whole batch in one sendBatch call, as JSON, with each message's delay", async () => {
    const calls: unknown[] = [];
    const spied: Queue = {
      ...recordingQueue(env.CONTRACT_ORDERS, () => undefined),
      sendBatch: async (messages, options) => {
        const list = [...messages];
        calls.push(list);
        return env.CONTRACT_ORDERS.sendBatch(list, options);
      },
    };
    const worker = toCloudflare(jobsApp(), { queues: { jobs: "JOBS" } });
    await fire(worker, { ...env, JOBS: spied } as Cloudflare.Env, "* * * * *");
    expect(calls).toEqual([
      [
        { body: { n: 1 }, contentType: "json" },
        { body: { n: 2 }, contentType: "json", delaySeconds: 30 },
      ],
    ]);
  });

  it("fails the send with a ConfigError naming a missing Queue binding", async () => {
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const failed = fire(toCloudflare(jobsApp()), env, "* * * * *");
    await expect(failed).rejects.toBeInstanceOf(ConfigError);
    await expect(failed).rejects.toMatchObject({
      variable: "JOBS",
      message: expect.stringContaining('binding = "JOBS" queue = "jobs"'),
    });
  });

  it("fails with a ConfigError naming a missing KV binding at the first KV call", async () => {
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const failed = fire(toCloudflare(app), without("KV"), "0 9 * * *");
    await expect(failed).rejects.toMatchObject({
      name: "ConfigError",
      variable: "KV",
      message: expect.stringContaining("no binding KV"),
    });
    await expect(fire(toCloudflare(app, { kv: "TURSO_DATABASE_URL" }), env, "0 9 * * *")).rejects.toThrow(
      /binding TURSO_DATABASE_URL is not a KV namespace/,
    );
  });
});

describe("toCloudflare options are checked when the Worker is built", () => {
  it("names an option that points at a queue the app does not declare, or a bad binding name", () => {
    expect(() => toCloudflare(app, { queues: { nope: "NOPE" } as never })).toThrow(
      /queues\.nope names a queue the app does not declare/,
    );
    expect(() => toCloudflare(app, { queueNames: { "orders-prod": "nope" as never } })).toThrow(
      /queueNames\["orders-prod"\] is "nope"/,
    );
    expect(() => toCloudflare(app, { kv: "my-kv" })).toThrow(/kv must be a binding name/);
  });
});

describe("queue binding names default to upper snake case", () => {
  it("maps app queue names to the binding names wrangler.toml declares", async () => {
    const { queueBindingName } = await import("skiff/cloudflare");
    expect(queueBindingName("orders")).toBe("ORDERS");
    expect(queueBindingName("orders-dlq")).toBe("ORDERS_DLQ");
    expect(queueBindingName("emailEvents")).toBe("EMAIL_EVENTS");
    expect(queueBindingName("v2_jobs")).toBe("V2_JOBS");
  });
});

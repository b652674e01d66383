import { describe, expect, it } from "vitest";
import { z } from "zod";
import { type Logger, Skiff } from "skiff";
import {
  createRuntime,
  dispatchQueue,
  type IncomingMessage,
  MemoryKV,
  type QueueTransport,
} from "skiff/adapter";
import { nodeDatabase } from "skiff/node";

const Job = z.object({ n: z.number().int() });
const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

function setup(
  configure: (app: Skiff<{}, { jobs: typeof Job; "jobs-dlq": z.ZodUnknown }>) => void,
  transport?: QueueTransport,
) {
  const app = new Skiff({ queues: { jobs: Job, "jobs-dlq": z.unknown() } });
  configure(app);
  const sent: Record<string, unknown[]> = {};
  const runtime = createRuntime(app, {
    platform: "test",
    env: {},
    db: () => nodeDatabase({ url: ":memory:" }),
    kv: () => new MemoryKV(),
    queue: (name) =>
      transport ?? {
        send: async (messages) => void (sent[name] ??= []).push(...messages.map((m) => m.body)),
      },
    log: silent,
  });
  const deliver = (messages: IncomingMessage[], ordered = false) =>
    dispatchQueue(runtime, "jobs", messages, () => undefined, { ordered });
  return { app, runtime, sent, deliver };
}

const msg = (id: string, body: unknown, attempts = 1): IncomingMessage => ({
  id,
  body,
  attempts,
  timestamp: new Date(0),
});

describe("queue contract: per-message handlers", () => {
  it("acks a message whose handler returns and retries only the one that throws", async () => {
    const { deliver } = setup((app) =>
      app.queue("jobs", async (m) => {
        if (m.body.n === 2) throw new Error("boom");
      }),
    );
    expect(await deliver([msg("a", { n: 1 }), msg("b", { n: 2 }), msg("c", { n: 3 })])).toEqual([
      { id: "a", outcome: "acked" },
      { id: "b", outcome: "retried", delaySeconds: 0 },
      { id: "c", outcome: "acked" },
    ]);
  });

  it("lets the first ack() or retry() win over anything that follows, including a throw", async () => {
    const { deliver } = setup((app) =>
      app.queue("jobs", async (m) => {
        if (m.body.n === 1) {
          m.ack();
          m.retry({ delaySeconds: 5 });
          throw new Error("after ack");
        }
        m.retry({ delaySeconds: 30 });
        m.ack();
      }),
    );
    expect(await deliver([msg("a", { n: 1 }), msg("b", { n: 2 })])).toEqual([
      { id: "a", outcome: "acked" },
      { id: "b", outcome: "retried", delaySeconds: 30 },
    ]);
  });

  it("gives the handler typed bodies, attempts and the trigger context", async () => {
    const seen: unknown[] = [];
    const { deliver } = setup((app) =>
      app.queue("jobs", async (m, ctx) => {
        const doubled: number = m.body.n * 2;
        seen.push([
          m.id,
          m.attempts,
          doubled,
          ctx.platform,
          typeof ctx.db.all,
          typeof ctx.kv.get,
          typeof ctx.waitUntil,
        ]);
      }),
    );
    await deliver([msg("a", { n: 21 }, 2)]);
    expect(seen).toEqual([["a", 2, 42, "test", "function", "function", "function"]]);
  });

  it("dead-letters after maxRetries, and at once when the body fails its schema", async () => {
    const { deliver, sent } = setup((app) =>
      app.queue(
        "jobs",
        async () => {
          throw new Error("always");
        },
        { maxRetries: 2, deadLetter: "jobs-dlq" },
      ),
    );
    const results = await deliver([
      msg("a", { n: 1 }, 2),
      msg("b", { n: 1 }, 3),
      msg("c", { n: "x" }, 1),
      msg("d", "not json", 1),
    ]);
    expect(results.map((r) => r.outcome)).toEqual([
      "retried",
      "dead-lettered",
      "dead-lettered",
      "dead-lettered",
    ]);
    expect(sent["jobs-dlq"]).toEqual([{ n: 1 }, { n: "x" }, "not json"]);
  });

  it("drops (with an error log) what it cannot dead-letter when no deadLetter queue is configured", async () => {
    const { deliver, sent } = setup((app) => app.queue("jobs", async () => undefined));
    expect(await deliver([msg("a", { wrong: true })])).toEqual([{ id: "a", outcome: "dropped" }]);
    expect(sent).toEqual({});
  });

  it("retries rather than loses a message when the dead-letter send fails", async () => {
    const failing: QueueTransport = { send: async () => Promise.reject(new Error("dlq down")) };
    const { deliver } = setup(
      (app) => app.queue("jobs", async () => undefined, { deadLetter: "jobs-dlq", retryDelaySeconds: 10 }),
      failing,
    );
    expect(await deliver([msg("a", { n: "bad" })])).toEqual([
      { id: "a", outcome: "retried", delaySeconds: 10 },
    ]);
  });

  it("uses retryDelaySeconds for a throw, and refuses a delay beyond 12 hours", async () => {
    const { deliver } = setup((app) =>
      app.queue(
        "jobs",
        async (m) => {
          if (m.body.n === 1) m.retry({ delaySeconds: 50_000 });
          throw new Error("x");
        },
        { retryDelaySeconds: 7 },
      ),
    );
    expect(await deliver([msg("a", { n: 1 }), msg("b", { n: 2 })])).toEqual([
      { id: "a", outcome: "retried", delaySeconds: 7 },
      { id: "b", outcome: "retried", delaySeconds: 7 },
    ]);
  });

  it("in FIFO order stops at the first failure and retries it and every later message unprocessed", async () => {
    const ran: string[] = [];
    const { deliver } = setup((app) =>
      app.queue(
        "jobs",
        async (m) => {
          ran.push(m.id);
          if (m.body.n === 2) throw new Error("stop");
        },
        { maxRetries: 0, deadLetter: "jobs-dlq" },
      ),
    );
    const results = await deliver([msg("a", { n: 1 }), msg("b", { n: 2 }, 1), msg("c", { n: 3 }, 5)], true);
    expect(ran).toEqual(["a", "b"]);
    // b failed with maxRetries 0: dead-lettered; c never ran, so it is retried however often it was delivered.
    expect(results.map((r) => [r.id, r.outcome])).toEqual([
      ["a", "acked"],
      ["b", "dead-lettered"],
      ["c", "retried"],
    ]);
  });

  it("rejects a batch for a queue that has no consumer", async () => {
    const { deliver } = setup(() => undefined);
    await expect(deliver([msg("a", { n: 1 })])).rejects.toThrow(/no consumer/);
  });
});

describe("queue contract: batch handlers", () => {
  it("acks unsettled messages when the handler returns, and keeps explicit settlements", async () => {
    const { deliver } = setup((app) =>
      app.queueBatch("jobs", async (batch) => {
        expect(batch.messages.map((m) => m.body.n)).toEqual([1, 2]);
        batch.messages[1]?.retry({ delaySeconds: 3 });
      }),
    );
    expect(await deliver([msg("a", { n: 1 }), msg("b", { n: 2 }), msg("x", { bad: 1 })])).toEqual([
      { id: "a", outcome: "acked" },
      { id: "b", outcome: "retried", delaySeconds: 3 },
      { id: "x", outcome: "dropped" },
    ]);
  });

  it("retries every message it did not settle when it throws, as Cloudflare does", async () => {
    const { deliver } = setup((app) =>
      app.queueBatch("jobs", async (batch) => {
        batch.messages[0]?.ack();
        throw new Error("db down");
      }),
    );
    expect((await deliver([msg("a", { n: 1 }), msg("b", { n: 2 })])).map((r) => r.outcome)).toEqual([
      "acked",
      "retried",
    ]);
  });

  it("supports ackAll and retryAll", async () => {
    const { deliver } = setup((app) =>
      app.queueBatch("jobs", async (batch) => batch.retryAll({ delaySeconds: 60 })),
    );
    expect(await deliver([msg("a", { n: 1 })])).toEqual([{ id: "a", outcome: "retried", delaySeconds: 60 }]);
  });
});

describe("typed producers", () => {
  it("validate bodies before anything leaves, and send a batch all or nothing", async () => {
    const { runtime, sent } = setup(() => undefined);
    const producer = runtime.queues.jobs as {
      send(b: unknown, o?: { delaySeconds?: number }): Promise<void>;
      sendBatch(m: Array<{ body: unknown }>): Promise<void>;
    };
    await producer.send({ n: 1 });
    await expect(producer.send({ n: "one" })).rejects.toThrow(/message for queue "jobs" is invalid: n:/);
    await expect(producer.sendBatch([{ body: { n: 2 } }, { body: { n: null } }])).rejects.toThrow(
      /message #2/,
    );
    expect(sent.jobs).toEqual([{ n: 1 }]);
  });

  it("enforce the portable size, count and delay limits", async () => {
    const app = new Skiff({ queues: { blobs: z.object({ data: z.string() }) } });
    const runtime = createRuntime(app, {
      platform: "test",
      env: {},
      db: () => nodeDatabase({ url: ":memory:" }),
      kv: () => new MemoryKV(),
      queue: () => ({ send: async () => undefined }),
      log: silent,
    });
    const blobs = runtime.queues.blobs as {
      send(b: unknown, o?: { delaySeconds?: number }): Promise<void>;
      sendBatch(m: Array<{ body: unknown }>): Promise<void>;
    };
    await expect(blobs.send({ data: "x".repeat(130 * 1024) })).rejects.toThrow(/limit is 131072/);
    await expect(
      blobs.sendBatch(Array.from({ length: 101 }, () => ({ body: { data: "" } }))),
    ).rejects.toThrow(/at most 100/);
    await expect(blobs.send({ data: "" }, { delaySeconds: 43_201 })).rejects.toThrow(/0 to 43200/);
  });
});

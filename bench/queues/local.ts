import { Skiff, sql, type LogSink } from "skiff";
import { createRuntime, drainOnce, LibsqlKV, LibsqlQueueStore, WaitUntilTracker } from "skiff/adapter";
import { nodeDatabase } from "skiff/node";
import { z } from "zod";
import { freshDatabase } from "../lib/files.js";
import { progress, type SectionBuilder } from "../lib/report.js";
import { alternate, fmt, median, spread } from "../lib/stats.js";
import { table } from "../lib/table.js";

// The local durable queue (what serve() and Vercel use) end to end, and batch vs per-message writes.
const MESSAGES = 2000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const Job = z.object({ n: z.number().int() });
const nullSink: LogSink = () => {};

type JobsApp = Skiff<{ Bindings: Record<string, string> }, { jobs: typeof Job }>;
const jobsApp = (): JobsApp => new Skiff({ queues: { jobs: Job }, log: { sink: nullSink } });

/** Each scenario registers one consumer and says how many messages it must have handled. */
const SCENARIOS = {
  "per-message, ack only, batch 10 (default)": (app: JobsApp, seen: { n: number }) =>
    app.queue("jobs", () => void seen.n++),
  "per-message, ack only, batch 100": (app: JobsApp, seen: { n: number }) =>
    app.queue("jobs", () => void seen.n++, { maxBatchSize: 100 }),
  "per-message db.run per message, batch 100": (app: JobsApp, seen: { n: number }) =>
    app.queue(
      "jobs",
      async (m, ctx) => void (await ctx.db.run(sql`INSERT INTO results (n) VALUES (${m.body.n})`), seen.n++),
      { maxBatchSize: 100 },
    ),
  "queueBatch, one db.batch per batch, batch 100": (app: JobsApp, seen: { n: number }) =>
    app.queueBatch(
      "jobs",
      async (batch, ctx) => {
        await ctx.db.batch(batch.messages.map((m) => sql`INSERT INTO results (n) VALUES (${m.body.n})`));
        seen.n += batch.messages.length;
      },
      { maxBatchSize: 100 },
    ),
};
type Scenario = keyof typeof SCENARIOS;

/** Enqueues MESSAGES through the typed producer, then drains with drainOnce until empty; returns both times. */
async function throughput(
  scenario: Scenario,
  round: number,
): Promise<{ enqueueMs: number; deliverMs: number }> {
  const db = nodeDatabase({
    url: freshDatabase(`queue-${Object.keys(SCENARIOS).indexOf(scenario)}-${round}`),
  });
  const store = new LibsqlQueueStore(db);
  const app = jobsApp();
  const seen = { n: 0 };
  SCENARIOS[scenario](app, seen);
  const runtime = createRuntime(app, {
    platform: "node",
    env: {},
    db: () => db,
    kv: () => new LibsqlKV(db),
    queue: (q) => store.transport(q),
  });
  const tracker = new WaitUntilTracker(runtime.log);
  const producer = runtime.queues.jobs;
  if (!producer) throw new Error("no producer for jobs");
  try {
    await db.run(sql`CREATE TABLE results (n INTEGER NOT NULL)`);
    const started = performance.now();
    for (let i = 0; i < MESSAGES; i += 100) {
      await producer.sendBatch(Array.from({ length: 100 }, (_, k) => ({ body: { n: i + k } })));
    }
    const enqueued = performance.now();
    // Bounded: never more calls than messages, so a queue that never empties cannot hang the run.
    for (let calls = 0; calls <= MESSAGES; calls++) {
      if ((await drainOnce(runtime, store, "jobs", tracker.waitUntil)) === 0) break;
    }
    const delivered = performance.now();
    await tracker.settle();
    const stats = await store.stats("jobs");
    if (seen.n !== MESSAGES || stats.ready + stats.inFlight + stats.delayed !== 0) {
      throw new Error(`${scenario}: handled ${seen.n} of ${MESSAGES}, left ${JSON.stringify(stats)}`);
    }
    return { enqueueMs: enqueued - started, deliverMs: delivered - enqueued };
  } finally {
    db.close();
  }
}

export async function localQueue(out: SectionBuilder): Promise<void> {
  const names = Object.keys(SCENARIOS) as Scenario[];
  const enqueue = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<Scenario, number[]>;
  progress(`local queue: ${names.length} scenarios × ${ROUNDS} rounds × ${MESSAGES} messages`);
  const deliver = await alternate(names, ROUNDS, async (name, round) => {
    const t = await throughput(name, round);
    enqueue[name].push(t.enqueueMs);
    return t.deliverMs;
  });
  const perSecond = (ms: number) => (MESSAGES / ms) * 1000;
  const rows = names.map((n) => [
    n,
    fmt.int(perSecond(median(enqueue[n]))),
    `${fmt.int(perSecond(median(deliver[n])))} ${fmt.pct(spread(deliver[n]))}`,
    fmt.int(perSecond(median(enqueue[n]) + median(deliver[n]))),
  ]);
  out.add(
    table(
      [`${MESSAGES} messages, embedded file`, "enqueue msg/s", "deliver + ack msg/s", "end to end msg/s"],
      rows,
      ["l", "r", "r", "r"],
    ),
  );
  const ack100 = perSecond(median(deliver["per-message, ack only, batch 100"]));
  out.atLeast(
    "queues: the local durable queue delivers and acks ≥ 10,000 msg/s at batch 100",
    ack100,
    10_000,
    `${fmt.int(ack100)} msg/s (per-message consumer, ack only, embedded file)`,
  );
  const batchGain =
    median(deliver["per-message db.run per message, batch 100"]) /
    median(deliver["queueBatch, one db.batch per batch, batch 100"]);
  out.note(
    `LibsqlQueueStore + drainOnce with app.queue / app.queueBatch consumers (zod-validated bodies, per-message outcome logs to a null sink); ` +
      `enqueue is the typed producer's sendBatch of 100. A batch handler writing one db.batch per message batch delivers ${fmt.ratio(batchGain)} the messages/s of per-message writes.`,
  );
}

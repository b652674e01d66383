import { sql } from "skiff";
import { progress, type SectionBuilder } from "../lib/report.js";
import { alternate, fmt, median, spread } from "../lib/stats.js";
import { table } from "../lib/table.js";
import { engineQueueOptions, progressOf, queueApp, workflowApp, workflowClients } from "./apps.js";
import type { DbosPeer } from "./dbos.js";
import { harness, pump, type Harness } from "./harness.js";

// Fan-out throughput: one run's `step.map` over ITEMS items against ITEMS plain queue messages whose consumer does
// the same work and counts down a fan-in row, through the same libSQL queue.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
export const ITEMS = 1000;
const CONTENDERS = ["workflow step.map", "queue, a message per item"] as const;
const DBOS_ROWS = ["DBOS child workflows (Postgres)", "DBOS steps, Promise.all (Postgres)"] as const;
type Skiff = (typeof CONTENDERS)[number];
type Contender = Skiff | (typeof DBOS_ROWS)[number];

interface Sample {
  ms: number;
  statements: number;
  writes: number;
}

async function warmUp(h: Harness, contender: Skiff): Promise<void> {
  if (contender === "workflow step.map") {
    await workflowClients(h).chain!.start({ job: -1 }, { id: "warm-up" });
    await pump(h, async () => (await progressOf(h)).completed === 1);
  } else {
    await h.db.run(sql`INSERT INTO fanin (job, left) VALUES (-1, 1)`);
    await h.runtime.queues.item!.send({ job: -1, step: 0 });
    await pump(h, async () => (await fanInLeft(h, -1)) === 0);
  }
}

const fanInLeft = async (h: Harness, job: number) =>
  Number((await h.probe.get<{ left: number }>(sql`SELECT left FROM fanin WHERE job = ${job}`))?.left ?? -1);

async function measure(contender: Skiff, round: number): Promise<Sample> {
  const workflows = workflowApp(ITEMS);
  const app = contender === "workflow step.map" ? workflows : queueApp(engineQueueOptions(workflows));
  const h = harness(app, `wf-fanout-${CONTENDERS.indexOf(contender)}-${round}`);
  try {
    await h.ready();
    await warmUp(h, contender);
    const before = (await progressOf(h)).work;
    h.takeCounts();
    const started = performance.now();
    let idle = 0;
    if (contender === "workflow step.map") {
      await workflowClients(h).fan!.start({ job: 1 }, { id: "fan-1" });
      idle = await pump(h, async () => (await progressOf(h)).completed === 2);
    } else {
      await h.db.run(sql`INSERT INTO fanin (job, left) VALUES (1, ${ITEMS})`);
      for (let i = 0; i < ITEMS; i += 100)
        await h.runtime.queues.item!.sendBatch(
          Array.from({ length: 100 }, (_, k) => ({ body: { job: 1, step: i + k } })),
        );
      idle = await pump(h, async () => (await fanInLeft(h, 1)) === 0);
    }
    const ms = performance.now() - started;
    const counts = h.takeCounts();
    const work = (await progressOf(h)).work - before;
    if (work !== ITEMS) throw new Error(`${contender}: ${work} units of work for ${ITEMS} items`);
    if (contender === "workflow step.map") {
      const run = await h.probe.get<{ output: string }>(
        sql`SELECT output FROM _skiff_workflow_runs WHERE id = 'fan-1'`,
      );
      if (run?.output !== JSON.stringify({ items: ITEMS, inOrder: true }))
        throw new Error(`the fan-in returned ${String(run?.output)}`);
    }
    return { ms, statements: (counts.statements - idle) / ITEMS, writes: counts.writes / ITEMS };
  } finally {
    await h.close();
  }
}

async function dbosSample(dbos: DbosPeer, contender: (typeof DBOS_ROWS)[number]): Promise<Sample> {
  const s = await dbos.fanOut(ITEMS, contender === DBOS_ROWS[0]);
  return { ms: s.ms, statements: s.counts.statements, writes: s.counts.writes };
}

/**
 * The fan-out table: steps/s of a 1,000-way map against 1,000 plain messages, and their statements per item; with
 * `dbos`, DBOS's two ways of fanning out alternate with them.
 */
export async function fanOut(
  out: SectionBuilder,
  dbos?: DbosPeer,
): Promise<{ ratio: number; stepsPerSecond: number; dbos?: Record<(typeof DBOS_ROWS)[number], number> }> {
  const contenders: readonly Contender[] = dbos ? [...CONTENDERS, ...DBOS_ROWS] : CONTENDERS;
  progress(`fan-out: ${contenders.length} contenders × ${ROUNDS} rounds × ${ITEMS} items`);
  const detail = Object.fromEntries(contenders.map((c) => [c, [] as Sample[]])) as Record<
    Contender,
    Sample[]
  >;
  const samples = await alternate(contenders, ROUNDS, async (c, round) => {
    const s = c === DBOS_ROWS[0] || c === DBOS_ROWS[1] ? await dbosSample(dbos!, c) : await measure(c, round);
    detail[c].push(s);
    return s.ms;
  });
  const rate = (c: Contender) => (ITEMS / median(samples[c])) * 1000;
  const base = rate("queue, a message per item");
  out.add(
    table(
      [
        `${ITEMS}-way fan-out, embedded file`,
        "steps/s",
        "vs queue",
        "time",
        "statements/item",
        "writes/item",
      ],
      contenders.map((c) => [
        c,
        `${fmt.int(rate(c))} ${fmt.pct(spread(samples[c]))}`,
        fmt.ratio(rate(c) / base),
        fmt.ms(median(samples[c])),
        median(detail[c].map((s) => s.statements)).toFixed(1),
        median(detail[c].map((s) => s.writes)).toFixed(1),
      ]),
      ["l", "r", "r", "r", "r", "r"],
    ),
  );
  out.note(
    `workflow: one run, \`step.map("items", 1000 items, fn)\` at the default concurrency, timed from \`start\` to the run completed (fan-in included); ` +
      `queue: 1000 messages sent in batches of 100, each consumer call doing the same INSERT and counting down a fan-in row in one db.batch, timed until the count is 0. ` +
      `Same queue options (the engine's own) and the same delivery loop as above.`,
  );
  if (dbos)
    out.note(
      `DBOS child workflows: one \`DBOS.registerWorkflow\` run that starts ${ITEMS} child workflows at once (\`Promise.all\` over \`DBOS.startWorkflow\`, each child one \`DBOS.runStep\` doing the same INSERT), then awaits every \`getResult()\`; ` +
        `DBOS steps: one run doing \`Promise.all\` over ${ITEMS} \`DBOS.runStep\` calls. Both check the fan-in (${ITEMS} results, in order) and the ${ITEMS} rows; timed from \`startWorkflow\` to the parent's result. ` +
        `DBOS runs everything in its process (no queue), skiff's step.map goes through its queue as separate messages.`,
    );
  return {
    ratio: rate("workflow step.map") / base,
    stepsPerSecond: rate("workflow step.map"),
    ...(dbos
      ? {
          dbos: { [DBOS_ROWS[0]]: rate(DBOS_ROWS[0]), [DBOS_ROWS[1]]: rate(DBOS_ROWS[1]) } as Record<
            (typeof DBOS_ROWS)[number],
            number
          >,
        }
      : {}),
  };
}

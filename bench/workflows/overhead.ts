import { sql } from "skiff";
import { progress, type SectionBuilder } from "../lib/report.js";
import { alternate, fmt, median, spread } from "../lib/stats.js";
import { table } from "../lib/table.js";
import { engineQueueOptions, progressOf, queueApp, STEPS, workflowApp, workflowClients } from "./apps.js";
import type { DbosPeer } from "./dbos.js";
import { harness, pump, type Harness, type StatementCounts } from "./harness.js";

// Per-step overhead: a 10-step job as a workflow, as a chain of queue messages (one per step, each consumer sends
// the next), and as one queue message doing all 10 steps (what it costs to have no durability between steps).
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONCURRENT = 100;
const SEQUENTIAL = 20;
const CONTENDERS = ["workflow", "queue chain", "queue, one message"] as const;
export const DBOS_ROW = "DBOS workflow (Postgres)";
type Contender = (typeof CONTENDERS)[number] | typeof DBOS_ROW;
type Mode = "concurrent" | "sequential";

interface Sample {
  ms: number;
  counts: StatementCounts;
}

async function start(h: Harness, contender: (typeof CONTENDERS)[number], job: number): Promise<void> {
  if (contender === "workflow") await workflowClients(h).chain!.start({ job }, { id: `job-${job}` });
  else if (contender === "queue chain") await h.runtime.queues.hop!.send({ job, step: 0 });
  else await h.runtime.queues.once!.send({ job });
}

/** Done when `jobs` jobs have all their steps' work written (and, for the workflow, their runs completed). */
function doneWhen(h: Harness, contender: Contender, jobs: number) {
  return async () => {
    const p = await progressOf(h);
    if (p.work > jobs * STEPS) throw new Error(`${contender}: ${p.work} units of work for ${jobs} jobs`);
    return p.work === jobs * STEPS && (contender !== "workflow" || p.completed === jobs);
  };
}

async function measure(contender: (typeof CONTENDERS)[number], mode: Mode, round: number): Promise<Sample> {
  const workflows = workflowApp(1);
  const app = contender === "workflow" ? workflows : queueApp(engineQueueOptions(workflows));
  const h = harness(app, `wf-overhead-${CONTENDERS.indexOf(contender)}-${mode}-${round}`);
  try {
    await h.ready();
    // One job first: creates the tables (migrations, queue, journal) and warms the JIT; not counted.
    await start(h, contender, 0);
    await pump(h, doneWhen(h, contender, 1));
    h.takeCounts();
    const jobs = mode === "concurrent" ? CONCURRENT : SEQUENTIAL;
    const started = performance.now();
    let idle = 0;
    if (mode === "concurrent") {
      await Promise.all(Array.from({ length: jobs }, (_, j) => start(h, contender, j + 1)));
      idle += await pump(h, doneWhen(h, contender, jobs + 1));
    } else {
      for (let j = 1; j <= jobs; j++) {
        await start(h, contender, j);
        idle += await pump(h, doneWhen(h, contender, j + 1));
      }
    }
    const ms = performance.now() - started;
    const counts = h.takeCounts();
    // An empty poll is one round trip of one statement; leave them out, they measure idling, not steps.
    const steps = jobs * STEPS;
    const perStep = {
      calls: (counts.calls - idle) / steps,
      statements: (counts.statements - idle) / steps,
      writes: counts.writes / steps,
    };
    // Nothing may be left behind: a message still queued would be work the figures did not count.
    const left = await h.probe.get<{ n: number }>(sql`SELECT count(*) AS n FROM _skiff_queue`);
    if (Number(left?.n) !== 0)
      throw new Error(`${contender}: ${String(left?.n)} messages left after the jobs ended`);
    return { ms: ms / steps, counts: perStep };
  } finally {
    await h.close();
  }
}

/** ms per step of one contender, and what it sent per step (skiff's to libSQL, DBOS's to Postgres). */
export interface StepFigures {
  concurrent: number;
  sequential: number;
  counts: StatementCounts;
}

/**
 * The per-step table: ms per step with 100 jobs at once and one job at a time, and what each step sends to its
 * database. With `dbos`, DBOS runs the same jobs as one more contender, alternating with the others round by round.
 */
export async function stepOverhead(
  out: SectionBuilder,
  dbos?: DbosPeer,
): Promise<{ ratio: number; writes: number; skiff: StepFigures; dbos?: StepFigures }> {
  const contenders: readonly Contender[] = dbos ? [...CONTENDERS, DBOS_ROW] : CONTENDERS;
  progress(
    `per-step overhead: ${contenders.length} contenders × ${ROUNDS} rounds × ${CONCURRENT} + ${SEQUENTIAL} jobs of ${STEPS} steps`,
  );
  const counts = Object.fromEntries(contenders.map((c) => [c, [] as StatementCounts[]])) as Record<
    Contender,
    StatementCounts[]
  >;
  const sample = (c: Contender, mode: Mode, round: number) =>
    c === DBOS_ROW
      ? dbos!.overhead(mode === "concurrent" ? CONCURRENT : SEQUENTIAL, mode === "concurrent")
      : measure(c, mode, round);
  const concurrent = await alternate(contenders, ROUNDS, async (c, round) => {
    const s = await sample(c, "concurrent", round);
    counts[c].push(s.counts);
    return s.ms;
  });
  const sequential = await alternate(
    contenders,
    ROUNDS,
    async (c, round) => (await sample(c, "sequential", round)).ms,
  );
  const per = (c: Contender, k: keyof StatementCounts) => median(counts[c].map((x) => x[k]));
  const base = median(concurrent["queue chain"]);
  const baseSeq = median(sequential["queue chain"]);
  out.add(
    table(
      [
        `${STEPS}-step job, embedded file`,
        `ms/step, ${CONCURRENT} jobs at once`,
        `vs queue chain`,
        `ms/step, one job at a time`,
        `vs queue chain`,
        "statements/step",
        "writes/step",
        "round trips/step",
      ],
      contenders.map((c) => [
        c,
        `${fmt.ms(median(concurrent[c]))} ${fmt.pct(spread(concurrent[c]))}`,
        fmt.ratio(median(concurrent[c]) / base),
        `${fmt.ms(median(sequential[c]))} ${fmt.pct(spread(sequential[c]))}`,
        fmt.ratio(median(sequential[c]) / baseSeq),
        per(c, "statements").toFixed(1),
        per(c, "writes").toFixed(1),
        per(c, "calls").toFixed(1),
      ]),
      ["l", "r", "r", "r", "r", "r", "r", "r"],
    ),
  );
  out.note(
    `Every step does the same work, one INSERT (counted in the figures: a step's own write is 1 of its writes). ` +
      `workflow: ${STEPS} \`step.do\` in one \`app.workflow\`, started with \`ctx.workflows.chain.start\`; queue chain: a consumer that does one step and sends the next message; ` +
      `queue, one message: one consumer call doing all ${STEPS} steps (no durability between them). The plain consumers use the engine's own queue options (batch size, visibility). ` +
      `Counted through a proxy on the libSQL client under the app's Database: every statement of the app, the queue store and the engine; a write is a statement that changed a row. ` +
      `Delivered as serve() does it: one loop per queue, LibsqlQueueStore + drainOnce; polls that found nothing are left out of the counts.`,
  );
  if (dbos)
    out.note(
      `${DBOS_ROW}: the same ${STEPS} steps as \`DBOS.runStep\` calls in one \`DBOS.registerWorkflow\` function, each doing the same INSERT into its own table in the same Postgres database as DBOS's journal, ` +
        `started with \`DBOS.startWorkflow\` (100 at once, then every \`getResult()\` awaited; one at a time: start, await, next), in its own process; ` +
        `its statements counted on the pg connections of DBOS's system pool and the app's pool (a write is an INSERT/UPDATE/DELETE that changed a row), DBOS's background polls included.`,
    );
  const figures = (c: Contender): StepFigures => ({
    concurrent: median(concurrent[c]),
    sequential: median(sequential[c]),
    counts: { calls: per(c, "calls"), statements: per(c, "statements"), writes: per(c, "writes") },
  });
  return {
    ratio: median(concurrent.workflow) / base,
    writes: per("workflow", "writes"),
    skiff: figures("workflow"),
    ...(dbos ? { dbos: figures(DBOS_ROW) } : {}),
  };
}

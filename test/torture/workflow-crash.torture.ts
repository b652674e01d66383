import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { sql } from "skiff";
import { nodeDatabase } from "skiff/node";
import { recordFigures } from "./figures.js";
import { startChild, type ChildServer } from "./servers/spawn.js";
import { cleanData } from "./workflow-audit-cases.js";
import { auditRuns, type Effect, type JournalStep, type RunRow, type Undo } from "./workflow-audit.js";

// Bounded: RUNS runs; a SIGKILL 0.3–0.8 s after each restart during the first KILL_PHASE_MS (MIN_KILLS to
// MAX_KILLS), while starts are still arriving and runs are executing; then the last server finishes. 85 s in all.
const RUNS = Number(process.env.SKIFF_TORTURE_RUNS ?? 200);
const FAIL_EVERY = 4; // every 4th run fails at its last step, so its compensations run through the kills
const MIN_KILLS = 5;
const MAX_KILLS = 8;
// Kills end early enough for the engine's recovery (a killed batch's wakes reappear after the workflow queue's
// 60 s visibility timeout; leases expire after 30 s) to finish within the bound.
// A slow machine (a restart takes seconds) may go on to MAX_KILL_PHASE_MS to reach MIN_KILLS.
const KILL_PHASE_MS = 18_000;
const MAX_KILL_PHASE_MS = 30_000;
const TIMER_CRON = "*/5 * * * *"; // the engine's default timer cron (src/workflows/schema.ts), fired by hand below
const url = `file:${join(mkdtempSync(join(tmpdir(), "torture-workflows-")), "test.db")}`;
const db = nodeDatabase({ url });
let child: ChildServer | undefined;
const startServer = () => startChild("../fixtures/workflow-crash-server.ts", { TORTURE_DB_URL: url });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

afterAll(async () => {
  await child?.kill();
  db.close();
});

async function ended(): Promise<number> {
  const row = await db
    .get<{ n: number }>(
      sql`SELECT count(*) AS n FROM _skiff_workflow_runs WHERE status IN ('completed', 'failed', 'cancelled')`,
    )
    .catch(() => undefined); // the engine creates its tables on its first query
  return Number(row?.n ?? 0);
}

describe("crash injection: kill -9 of a server running workflows", () => {
  it(`ends all ${RUNS} runs, records each step once and runs each undo at most once`, async () => {
    const started = Date.now();
    const deadline = started + 85_000;
    const runs = Array.from({ length: RUNS }, (_, n) => ({
      id: `order-${n}`,
      n,
      failLast: n % FAIL_EVERY === FAIL_EVERY - 1,
    }));
    let server = await startServer();
    child = server;

    // RUNS concurrent starts, one request each, to whichever server is up; a start cut by a kill is sent again
    // (start is idempotent by id), so starts and kills overlap.
    const unstarted = new Set(runs.map((r) => r.id));
    let startRounds = 0;
    const startStatuses = new Map<string, number>();
    const starting = (async () => {
      while (unstarted.size > 0 && Date.now() < deadline) {
        startRounds++;
        const target = server;
        await Promise.all(
          runs
            .filter((r) => unstarted.has(r.id))
            .map(async (r) => {
              const res = await fetch(`${target.url}/runs`, {
                method: "POST",
                headers: { "content-type": "application/json" },
                body: JSON.stringify([r]),
              }).catch(() => undefined);
              if (res?.ok) unstarted.delete(r.id);
              const code = String(res?.status ?? "refused");
              startStatuses.set(code, (startStatuses.get(code) ?? 0) + 1);
              await res?.body?.cancel();
            }),
        );
        // A round cut by a kill goes again once the next server is up (or after 1 s), not in a tight loop.
        for (let i = 0; i < 10 && unstarted.size > 0 && server === target; i++) await sleep(100);
      }
    })();

    // The timer cron recovers wakes lost between a journal commit and a send; on Node it fires every 5 minutes,
    // so the suite fires it by hand every second (as /__scheduled does for `wrangler dev`) to compress that wait.
    let cronFirings = 0;
    let firing = true;
    const cron = (async () => {
      while (firing && Date.now() < deadline) {
        await sleep(1_000);
        const res = await fetch(`${server.url}/__scheduled?cron=${encodeURIComponent(TIMER_CRON)}`).catch(
          () => undefined,
        );
        if (res?.ok) cronFirings++;
        await res?.body?.cancel();
      }
    })();

    const killed: number[] = [];
    const killing = () =>
      killed.length < MIN_KILLS
        ? Date.now() < started + MAX_KILL_PHASE_MS
        : killed.length < MAX_KILLS && Date.now() < started + KILL_PHASE_MS;
    while (killing()) {
      await sleep(300 + Math.random() * 500);
      if ((await ended()) === RUNS) break;
      if (server.proc.pid !== undefined) killed.push(server.proc.pid);
      await server.kill();
      server = await startServer();
      child = server;
    }
    await starting;
    // The last server finishes what is left: leases of the killed processes expire, their messages reappear.
    while ((await ended()) < RUNS && Date.now() < deadline) await sleep(200);
    firing = false;
    await cron;
    const seconds = (Date.now() - started) / 1000;
    await server.kill();

    const audit = auditRuns({
      runs,
      killedPids: new Set(killed),
      rows: await db.all<RunRow>(sql`SELECT id, status, output FROM _skiff_workflow_runs`),
      steps: await db.all<JournalStep>(
        sql`SELECT run_id, seq, idx, name, kind, status, output, compensation FROM _skiff_workflow_steps`,
      ),
      effects: await db.all<Effect>(sql`SELECT run, step, idx, token, pid FROM effects ORDER BY rowid`),
      undos: await db.all<Undo>(sql`SELECT run, step, token, pid FROM undos ORDER BY rowid`),
    });

    recordFigures({
      suite: "workflow crash",
      tried: RUNS,
      held: RUNS - audit.badRuns.length,
      lost: audit.badRuns.length,
      notes: {
        kills: killed.length,
        seconds: seconds.toFixed(1),
        steps: audit.stepsChecked,
        duplicates: audit.duplicates,
        undos: audit.undosRun,
        interrupted: audit.interrupted,
        cronFirings,
        startRounds,
        startsCut: [...startStatuses].filter(([k]) => k !== "200").reduce((n, [, v]) => n + v, 0),
      },
    });
    expect(killed.length).toBeGreaterThanOrEqual(MIN_KILLS);
    expect(unstarted.size).toBe(0);
    expect(await ended()).toBe(RUNS);
    expect(audit.problems.slice(0, 20)).toEqual([]);
    expect(audit.badRuns).toEqual([]);
    expect(seconds).toBeLessThan(90);
  });
});

// The audit above decides the verdict, so it is shown to catch each broken promise on hand-made journals.
describe("the crash suite's audit", () => {
  it("passes a journal a correct engine leaves", () => {
    expect(auditRuns(cleanData()).problems).toEqual([]);
  });

  const broken: Array<[string, (d: ReturnType<typeof cleanData>) => void]> = [
    ["a run that did not end", (d) => void (d.rows[0]!.status = "running")],
    [
      "a step re-run by a process that was not killed",
      (d) => void d.effects.push({ ...d.effects[0]!, token: "again", pid: 1 }),
    ],
    ["a step whose side effect never ran", (d) => void d.effects.splice(1, 1)],
    ["a result journaled twice", (d) => void d.steps.push({ ...d.steps[0]!, seq: 99 })],
    [
      "an output that is not the journaled results",
      (d) => void (d.rows[0]!.output = d.rows[0]!.output!.replace("ok-charge--1", "fresh")),
    ],
    ["an undo run twice", (d) => void d.undos.push({ ...d.undos[0]! })],
    ["undos oldest first", (d) => void d.undos.reverse()],
    ["an undo given another result", (d) => void (d.undos[0]!.token = "other")],
    ["a compensation marked completed that did not run", (d) => void d.undos.pop()],
    ["an undo for a completed run", (d) => void d.undos.push({ ...d.undos[0]!, run: "ok" })],
  ];
  it.each(broken)("flags %s", (_, breakIt) => {
    const data = cleanData();
    breakIt(data);
    expect(auditRuns(data).problems).not.toEqual([]);
  });

  it("accepts a duplicate from a killed process and an interrupted compensation", () => {
    const data = cleanData();
    data.effects.push({ ...data.effects[0]!, token: "lost-to-a-kill", pid: 7 });
    data.undos.splice(
      data.undos.findIndex((u) => u.step === "charge"),
      1,
    );
    data.steps.find((s) => s.run_id === "refused" && s.name === "charge")!.compensation = "interrupted";
    const audit = auditRuns(data);
    expect(audit.problems).toEqual([]);
    expect(audit).toMatchObject({ duplicates: 1, interrupted: 1 });
  });
});

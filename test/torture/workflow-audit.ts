import { ITEMS, SINGLE_STEPS, UNDOABLE } from "./fixtures/workflow-crash-shape.js";

/** A row of `_skiff_workflow_runs`, as the audit reads it. */
export type RunRow = {
  id: string;
  status: string;
  output: string | null;
};

/** A row of `_skiff_workflow_steps`, as the audit reads it. */
export type JournalStep = {
  run_id: string;
  seq: number;
  idx: number;
  name: string;
  kind: string;
  status: string;
  output: string | null;
  compensation: string | null;
};

/** A side effect written by a step of fixtures/workflow-crash-server.ts. */
export type Effect = {
  run: string;
  step: string;
  idx: number;
  token: string;
  pid: number;
};

/** A compensation written by an undo of fixtures/workflow-crash-server.ts. */
export type Undo = {
  run: string;
  step: string;
  token: string;
  pid: number;
};

/** What the crash suite found: one line per broken promise, the runs they concern, and the figures. */
export interface Audit {
  problems: string[];
  badRuns: string[];
  stepsChecked: number;
  /** Side effects that ran more than once (their extra executions all died with a killed process). */
  duplicates: number;
  undosRun: number;
  /** Compensations the journal marks `interrupted` (started by a process that was killed; not run again). */
  interrupted: number;
}

const tokenOf = (json: string | null): string | undefined => {
  if (!json) return undefined;
  const value: unknown = JSON.parse(json);
  return typeof value === "object" && value !== null && "token" in value && typeof value.token === "string"
    ? value.token
    : undefined;
};

const key = (run: string, step: string, idx: number) => `${run}/${step}/${idx}`;

function group<T>(rows: readonly T[], by: (row: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) map.set(by(row), [...(map.get(by(row)) ?? []), row]);
  return map;
}

/**
 * Checks the journal and the side-effect tables after the crash suite against the promises of the workflow
 * engine: every run ended as designed (completed, or failed at its last step); every step's side effect ran at
 * least once and exactly one execution's result is in the journal, the one the run's output and its undo saw; an
 * execution whose result the journal lacks belongs to a killed process (a crash mid-step); each undo ran at most
 * once, newest first, with the step's journaled result, and a compensation the journal calls `completed` did run.
 *
 * @example
 * ```ts
 * const audit = auditRuns({ runs, killedPids, rows, steps, effects, undos });
 * expect(audit.problems).toEqual([]);
 * ```
 */
export function auditRuns(input: {
  runs: ReadonlyArray<{ id: string; failLast: boolean }>;
  killedPids: ReadonlySet<number>;
  rows: readonly RunRow[];
  steps: readonly JournalStep[];
  effects: readonly Effect[];
  undos: readonly Undo[];
}): Audit {
  const problems: string[] = [];
  const bad = new Set<string>();
  const fail = (run: string, problem: string) => {
    bad.add(run);
    problems.push(`${run}: ${problem}`);
  };
  const rows = new Map(input.rows.map((r) => [r.id, r]));
  const journalByToken = group(
    input.steps.filter((s) => tokenOf(s.output) !== undefined),
    (s) => tokenOf(s.output)!,
  );
  const stepsByRun = group(input.steps, (s) => s.run_id);
  const effects = group(input.effects, (e) => key(e.run, e.step, e.idx));
  const undos = group(input.undos, (u) => u.run);
  const expectedKeys = new Set<string>();
  let stepsChecked = 0;
  let duplicates = 0;
  let interrupted = 0;
  const journalSizes = { completed: new Map<number, number>(), failed: new Map<number, number>() };

  for (const run of input.runs) {
    const row = rows.get(run.id);
    const want = run.failLast ? "failed" : "completed";
    const single = SINGLE_STEPS.filter((s) => !(run.failLast && s === "confirm")).map(
      (s) => [s, -1] as const,
    );
    const items = Array.from({ length: ITEMS }, (_, i) => ["items", i] as const);
    for (const [name, idx] of [...single, ...items]) expectedKeys.add(key(run.id, name, idx));
    if (row?.status !== want) {
      fail(run.id, `status ${row?.status ?? "missing"}, expected ${want}`);
      continue;
    }
    const size = stepsByRun.get(run.id)?.length ?? 0;
    journalSizes[want].set(size, (journalSizes[want].get(size) ?? 0) + 1);

    // Each step: its side effect at least once, exactly one execution journaled, the others lost to a kill.
    const journaled = new Map<string, { token: string; step: JournalStep }>();
    for (const [name, idx] of [...single, ...items]) {
      stepsChecked++;
      const k = key(run.id, name, idx);
      const ran = effects.get(k) ?? [];
      const recorded = ran.filter((e) => journalByToken.has(e.token));
      if (ran.length === 0) fail(run.id, `${name}[${idx}] never ran`);
      if (recorded.length !== 1) {
        fail(run.id, `${name}[${idx}]: ${recorded.length} of its ${ran.length} executions are journaled`);
        continue;
      }
      const entry = journalByToken.get(recorded[0]!.token)!;
      if (entry.length !== 1 || entry[0]!.run_id !== run.id || entry[0]!.status !== "completed")
        fail(run.id, `${name}[${idx}]: its result is journaled ${entry.length}× (${entry[0]!.status})`);
      journaled.set(`${name}/${idx}`, { token: recorded[0]!.token, step: entry[0]! });
      const lost = ran.filter((e) => e !== recorded[0]);
      duplicates += lost.length;
      for (const e of lost)
        if (!input.killedPids.has(e.pid))
          fail(run.id, `${name}[${idx}] ran again although its process ${e.pid} was not killed`);
    }
    const refused = effects.get(key(run.id, "confirm", -1)) ?? [];
    if (run.failLast && refused.length > 0) fail(run.id, "confirm wrote a side effect although it throws");

    // A completed run's output was built from replays: it must hold the journaled results, not fresh ones.
    const done = (name: string, idx = -1) => journaled.get(`${name}/${idx}`)?.token;
    if (!run.failLast) {
      const output = JSON.parse(row.output ?? "null") as Record<string, unknown> | null;
      const expected = {
        reserve: done("reserve"),
        charge: done("charge"),
        label: done("label"),
        notify: done("notify"),
        items: Array.from({ length: ITEMS }, (_, i) => done("items", i)),
        confirm: done("confirm"),
      };
      if (JSON.stringify(output) !== JSON.stringify(expected))
        fail(run.id, `output ${row.output} is not the journaled results ${JSON.stringify(expected)}`);
    }

    // Undo: never for a completed run; at most once per step, newest first, with the journaled result.
    const ran = undos.get(run.id) ?? [];
    if (!run.failLast && ran.length > 0) fail(run.id, `${ran.length} undo(s) ran for a completed run`);
    if (run.failLast) {
      const order = ran.map((u) => u.step);
      const newestFirst = [...UNDOABLE].reverse().filter((s) => order.includes(s));
      if (order.join() !== newestFirst.join()) fail(run.id, `undos ran in the order ${order.join(", ")}`);
      for (const name of UNDOABLE) {
        const mine = ran.filter((u) => u.step === name);
        const step = journaled.get(`${name}/-1`);
        if (mine.length > 1) fail(run.id, `undo of ${name} ran ${mine.length}×`);
        if (mine[0] && mine[0].token !== step?.token) fail(run.id, `undo of ${name} got another result`);
        const compensation = step?.step.compensation;
        if (compensation === "interrupted") interrupted++;
        else if (compensation !== "completed")
          fail(run.id, `compensation of ${name} is ${compensation ?? "missing"}`);
        if (compensation === "completed" && mine.length !== 1)
          fail(run.id, `compensation of ${name} is completed but its undo ran ${mine.length}×`);
      }
    }
  }
  for (const [k, list] of effects)
    if (!expectedKeys.has(k)) fail(list[0]!.run, `unexpected side effect ${k}`);
  for (const [status, sizes] of Object.entries(journalSizes))
    if (sizes.size > 1)
      problems.push(
        `journal rows per ${status} run differ: ${[...sizes].map(([n, c]) => `${n}×${c}`).join(", ")}`,
      );

  return {
    problems,
    badRuns: [...bad],
    stepsChecked,
    duplicates,
    undosRun: input.undos.length,
    interrupted,
  };
}

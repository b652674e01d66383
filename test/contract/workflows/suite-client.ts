import { sql } from "skiff";
import { expect } from "vitest";
import { TIMER_CRON, type WorkflowDriver } from "./driver.js";

const BASE = "http://workflows.test";

/** A run as the app's GET route answers it (`WorkflowRun` through JSON). */
export interface RunJson {
  id: string;
  workflow: string;
  status: string;
  output?: unknown;
  error?: { name: string; message: string };
  steps: Array<{
    name: string;
    kind: string;
    index?: number;
    status: string;
    attempts: number;
    output?: unknown;
    compensation?: string;
  }>;
}

/** How long one wait for a run may take, in delivery rounds and in time. Generous: a bound, not an expectation. */
export interface WaitBound {
  rounds: number;
  ms: number;
}

const ENDED = ["completed", "failed", "cancelled"];

// What a failed wait reports: the run's own steps, and fan-out children counted by status.
function summary(run: RunJson) {
  const children: Record<string, number> = {};
  for (const s of run.steps) if (s.index !== undefined) children[s.status] = (children[s.status] ?? 0) + 1;
  return {
    status: run.status,
    error: run.error,
    steps: run.steps.filter((s) => s.index === undefined),
    children,
  };
}
export const ended = (run: RunJson) => ENDED.includes(run.status);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let counter = 0;
const runId = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${(counter++).toString(36)}`;

/** Suspended on `step`: the step is journaled as waiting and the run's executor has let go of it. */
export const waitingOn = (step: string) => (run: RunJson) =>
  ended(run) ||
  (run.status === "waiting" && run.steps.some((s) => s.name === step && s.status === "waiting"));

/**
 * What the cases do through a driver: the app's routes (start, read, signal, the log of side effects), waiting for a
 * run while delivering the workflow queue, and making time pass for one run. `driver` is read on each call, as the
 * suite creates it in `beforeAll`.
 */
export function suiteClient(driver: () => WorkflowDriver, bound: WaitBound) {
  const send = (method: string, path: string, body?: unknown) =>
    driver().fetch(
      new Request(`${BASE}${path}`, {
        method,
        ...(body === undefined
          ? {}
          : typeof body === "string"
            ? { headers: { "content-type": "text/plain" }, body }
            : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
      }),
    );

  async function start(workflow: string, input: unknown, id = runId(workflow)) {
    const res = await send("POST", `/api/runs/${workflow}`, { input, id });
    expect(res.status, await res.clone().text()).toBe(201);
    return (await res.json()) as { id: string; created: boolean };
  }

  async function read(workflow: string, id: string): Promise<RunJson> {
    const res = await send("GET", `/api/runs/${workflow}/${id}`);
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as RunJson;
  }

  async function log(id: string): Promise<string[]> {
    return ((await (await send("GET", `/api/log/${id}`)).json()) as { entries: string[] }).entries;
  }

  async function signal(workflow: string, id: string, type: string, payload?: unknown) {
    const res = await send("POST", `/api/runs/${workflow}/${id}/events`, { type, payload });
    expect(res.status, await res.clone().text()).toBe(202);
  }

  /** Delivers the workflow queue until `done(run)` holds, within `limit`; fails with the last state seen. */
  async function until(
    workflow: string,
    id: string,
    done: (run: RunJson) => boolean,
    limit: WaitBound = bound,
  ): Promise<RunJson> {
    const deadline = Date.now() + limit.ms;
    let run: RunJson | undefined;
    let nextRead = 0;
    for (let round = 0; round < limit.rounds && Date.now() < deadline; round++) {
      // A run with a wide fan-out reads back as a large journal: read it at most every 250 ms once the wait is on.
      if (Date.now() >= nextRead) {
        run = await read(workflow, id);
        if (done(run)) return run;
        nextRead = Date.now() + Math.min(250, 25 * round);
      }
      const delivered = await driver().pump();
      if (!delivered) await sleep(20);
    }
    run = await read(workflow, id);
    if (done(run)) return run;
    throw new Error(
      `run ${id} did not reach the expected state within ${limit.rounds} rounds / ${limit.ms} ms; last seen: ${JSON.stringify(
        run && summary(run),
      )}`,
    );
  }

  /**
   * Makes `ms` pass for one run without waiting, the way skiff/testing's `advanceTime` does for a whole test
   * database: every stored time of the run's journal (step wake-ups and leases, its lease, its timers, its events)
   * moves `ms` into the past. Only the journal moves: the platform's own queue (SQS, Miniflare) keeps its clock.
   * Then the timer cron fires, as the platform fires it on its schedule.
   */
  async function passTime(id: string, ms: number) {
    await driver().db.batch([
      sql`UPDATE _skiff_workflow_steps SET wake_at = wake_at - ${ms}, lease_until = lease_until - ${ms} WHERE run_id = ${id}`,
      sql`UPDATE _skiff_workflow_runs SET lease_until = lease_until - ${ms} WHERE id = ${id}`,
      sql`UPDATE _skiff_workflow_timers SET wake_at = wake_at - ${ms}, sent_for = sent_for - ${ms} WHERE run_id = ${id}`,
      sql`UPDATE _skiff_workflow_events SET created_at = created_at - ${ms} WHERE run_id = ${id}`,
    ]);
    await driver().fireCron(TIMER_CRON, Date.now());
  }

  return { send, start, read, log, signal, until, passTime };
}

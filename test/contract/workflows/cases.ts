import { sql } from "skiff";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TIMER_CRON, type WorkflowDriver } from "./driver.js";
import { ended, suiteClient, type WaitBound, waitingOn } from "./suite-client.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Options of {@link workflowContractSuite}. */
export interface WorkflowSuiteOptions {
  /** Width of the fan-out case. Default 1,000 (the figure). */
  fanOut?: number;
  /** Bound of each wait for a run; default 2,000 rounds / 30 s. */
  wait?: WaitBound;
  /** Bound of the fan-out's wait; default 20,000 rounds / 240 s. */
  fanOutWait?: WaitBound;
}

/**
 * The workflow contract: the app of `app.ts` must behave the same through every adapter. Each platform's test file
 * calls this with a factory for its driver.
 */
export function workflowContractSuite(
  name: string,
  makeDriver: () => Promise<WorkflowDriver>,
  options: WorkflowSuiteOptions = {},
): void {
  const fanOut = options.fanOut ?? 1_000;
  const bound = options.wait ?? { rounds: 2_000, ms: 30_000 };
  const fanOutBound = options.fanOutWait ?? { rounds: 20_000, ms: 240_000 };
  // Each test's own limit sits above its waits' bounds, so a stuck run fails with its last state, not a timeout.
  const testTimeout = 2 * bound.ms + 10_000;

  describe(`workflow contract on ${name}`, () => {
    let driver: WorkflowDriver;

    beforeAll(async () => {
      driver = await makeDriver();
    }, 60_000);
    afterAll(async () => {
      await driver?.close();
    }, 30_000);

    const { send, start, read, log, signal, until, passTime } = suiteClient(() => driver, bound);

    it("answers on the platform it runs on", async () => {
      const res = await send("GET", "/api/health");
      expect(await res.json()).toEqual({ platform: driver.platform });
    });

    it(
      "runs chained steps in order, each on the journaled result of the one before; start is idempotent by id",
      async () => {
        const { id, created } = await start("chain", { n: 4 });
        expect(created).toBe(true);
        const again = await send("POST", "/api/runs/chain", { input: { n: 4 }, id });
        expect(again.status).toBe(200);
        expect(await again.json()).toEqual({ id, created: false });

        const run = await until("chain", id, ended);
        expect(run.status).toBe("completed");
        expect(run.steps.map((s) => [s.name, s.status, s.output])).toEqual([
          ["double", "completed", 8],
          ["add-ten", "completed", 18],
          ["key", "completed", expect.any(String)],
        ]);
        expect(run.output).toEqual({ value: 18, key: run.steps[2]?.output });
      },
      testTimeout,
    );

    it("refuses an input that fails the workflow's schema at start, with 422", async () => {
      const res = await send("POST", "/api/runs/chain", { input: { n: "four" } });
      expect(res.status).toBe(422);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    });

    it(
      "retries a failing step with backoff until it succeeds",
      async () => {
        const { id } = await start("flaky", { failures: 2 });
        const run = await until("flaky", id, ended);
        expect(run.status).toBe("completed");
        expect(run.output).toEqual({ succeededOn: 3 });
        expect(run.steps).toMatchObject([{ name: "flaky", status: "completed", attempts: 3 }]);
        expect(await log(id)).toEqual(["attempt 1", "attempt 2", "attempt 3"]);
      },
      testTimeout,
    );

    it(
      "fails the run with the last error once the retries are spent",
      async () => {
        const { id } = await start("flaky", { failures: 5 });
        const run = await until("flaky", id, ended);
        expect(run.status).toBe("failed");
        expect(run.error?.message).toContain("attempt 3 failed");
        expect(run.steps).toMatchObject([{ name: "flaky", status: "failed", attempts: 3 }]);
        expect(await log(id)).toEqual(["attempt 1", "attempt 2", "attempt 3"]);
      },
      testTimeout,
    );

    it(
      "fails a step at once on a NonRetryableError",
      async () => {
        const { id } = await start("declined", {});
        const run = await until("declined", id, ended);
        expect(run.status).toBe("failed");
        expect(run.error?.message).toContain("card declined");
        expect(run.steps).toMatchObject([{ name: "charge", status: "failed", attempts: 1 }]);
        expect(await log(id)).toEqual(["attempt 1"]);
      },
      testTimeout,
    );

    it(
      "compensates the completed steps newest first, each undo with its step's result",
      async () => {
        const { id } = await start("saga", {});
        const run = await until("saga", id, ended);
        expect(run.status).toBe("failed");
        expect(run.error?.message).toContain("no courier");
        expect(await log(id)).toEqual([
          'undo charge {"chargeId":"c-1","amount":42}',
          'undo reserve {"reservation":"r-1"}',
        ]);
        expect(run.steps).toMatchObject([
          { name: "reserve", status: "completed", compensation: "completed" },
          { name: "charge", status: "completed", compensation: "completed" },
          { name: "ship", status: "failed" },
        ]);
      },
      testTimeout,
    );

    it(
      "resumes a run waiting for an event with the event sent to it",
      async () => {
        const { id } = await start("approval", {});
        const waiting = await until("approval", id, waitingOn("approval"));
        expect(waiting.status).toBe("waiting");
        await signal("approval", id, "something-else", { by: "nobody" });
        await signal("approval", id, "approved", { by: "ops" });
        const run = await until("approval", id, ended);
        expect(run.status).toBe("completed");
        expect(run.output).toEqual({ type: "approved", by: "ops" });
      },
      testTimeout,
    );

    it(
      "times out a waitForEvent through the timer table and the timer cron",
      async () => {
        const { id } = await start("timeout", {});
        const waiting = await until("timeout", id, waitingOn("approval"));
        expect(waiting.status).toBe("waiting");
        await passTime(id, 24 * HOUR + MINUTE);
        const run = await until("timeout", id, ended);
        expect(run.status).toBe("completed");
        expect(run.output).toEqual({ timedOut: true, error: "WorkflowTimeoutError" });
      },
      testTimeout,
    );

    it(
      "sleeps past the queue's longest delay in the timer table, woken by the timer cron once due",
      async () => {
        const startedAt = Date.now();
        const { id } = await start("sleeper", {});
        const waiting = await until("sleeper", id, waitingOn("nap"));
        expect(waiting.status).toBe("waiting");
        const timers = await driver.db.all<{ wake_at: number }>(
          sql`SELECT wake_at FROM _skiff_workflow_timers WHERE run_id = ${id}`,
        );
        expect(timers).toHaveLength(1);
        expect(timers[0]?.wake_at).toBeGreaterThanOrEqual(startedAt + 13 * HOUR);

        // The cron firing before the timer is due wakes nothing.
        await driver.fireCron(TIMER_CRON, Date.now());
        for (let i = 0; i < 5; i++) await driver.pump();
        expect((await read("sleeper", id)).status).toBe("waiting");

        await passTime(id, 13 * HOUR + MINUTE);
        const run = await until("sleeper", id, ended);
        expect(run.status).toBe("completed");
        expect(run.output).toEqual({ before: "slept", after: "woke" });
      },
      testTimeout,
    );

    it(
      `fans out ${fanOut.toLocaleString("en")} steps and fans in with every result, in order`,
      async () => {
        const { id } = await start("fanout", { n: fanOut });
        const run = await until("fanout", id, ended, fanOutBound);
        expect(run.status, JSON.stringify(run.error)).toBe("completed");
        // sum of i^2 for i < n
        const total = ((fanOut - 1) * fanOut * (2 * fanOut - 1)) / 6;
        expect(run.output).toEqual({ count: fanOut, total, inOrder: true });
        // Each child is journaled as its own step, with its index (named `square[<index>]` by the engine).
        const children = run.steps.filter((s) => s.index !== undefined);
        expect(children).toHaveLength(fanOut);
        expect(
          children.every((s, i) => s.index === i && s.name.startsWith("square") && s.status === "completed"),
        ).toBe(true);
      },
      fanOutBound.ms + 30_000,
    );

    it(
      "fails a run whose replay asks for a different step at the same position",
      async () => {
        const { id } = await start("branching", {});
        const waiting = await until("branching", id, waitingOn("go"));
        expect(waiting.steps[0]).toMatchObject({ name: "branch-a", status: "completed" });
        const flip = await send("PUT", `/api/kv/branch:${id}`, "b");
        expect(flip.status).toBe(204);
        await signal("branching", id, "go");
        const run = await until("branching", id, ended);
        expect(run.status).toBe("failed");
        expect(run.error?.message).toMatch(/determinis/i);
        expect(run.error?.message).toContain("branch-a");
        expect(run.error?.message).toContain("branch-b");
      },
      testTimeout,
    );

    it(
      "cancels a waiting run: the undo of its completed step runs, and it ends cancelled",
      async () => {
        const { id } = await start("cancellable", {});
        await until("cancellable", id, waitingOn("release"));
        const res = await send("POST", `/api/runs/cancellable/${id}/cancel`);
        expect(res.status).toBe(202);
        const run = await until("cancellable", id, ended);
        expect(run.status).toBe("cancelled");
        expect(await log(id)).toEqual(['undo hold {"seat":"12A"}']);
        expect(run.steps[0]).toMatchObject({ name: "hold", compensation: "completed" });
      },
      testTimeout,
    );
  });
}

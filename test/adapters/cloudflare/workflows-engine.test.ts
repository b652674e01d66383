import { join } from "node:path";
import { bundleWorker } from "./support/bundle-worker.js";
import type { Readable } from "node:stream";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { workflowBindingName, workflowClassName } from "../../../src/workflows/cloudflare/names.js";

// skiff's step API on Cloudflare Workflows, in workerd: the fixture Worker's entrypoints run the contract's behaviours
// (workflows-engine-fixture/handlers.ts) through the mapping, on Miniflare's real Workflows engine, and its routes
// drive them through the skiff client over the Workflow bindings.
const FIXTURE = join("test", "adapters", "cloudflare", "workflows-engine-fixture", "worker.ts");
const WORKFLOWS = [
  "chain",
  "flaky",
  "declined",
  "saga",
  "approval",
  "timeout",
  "sleeper",
  "napper",
  "fanout",
  "cancellable",
  "twice",
  "policy",
];
const BASE = "http://workflows.test";

interface RunJson {
  id: string;
  workflow: string;
  status: string;
  output?: unknown;
  error?: { name: string; message: string };
  steps: unknown[];
  createdAt: unknown;
  updatedAt: unknown;
}

let mf: Miniflare;
let counter = 0;
const runId = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${(counter++).toString(36)}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function send(method: string, path: string, body?: unknown) {
  const res = await mf.dispatchFetch(`${BASE}${path}`, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
  });
  return { status: res.status, text: await res.text() };
}

async function start(workflow: string, input: unknown, id = runId(workflow)) {
  const res = await send("POST", `/runs/${workflow}`, { input, id });
  expect(res.status, res.text).toBe(201);
  return JSON.parse(res.text) as { id: string; created: boolean };
}

async function read(workflow: string, id: string): Promise<RunJson | undefined> {
  const res = await send("GET", `/runs/${workflow}/${id}`);
  if (res.status === 404) return undefined;
  expect(res.status, res.text).toBe(200);
  return JSON.parse(res.text) as RunJson;
}

const ENDED = ["completed", "failed", "cancelled"];
/** Polls the run until `done` holds: at most 2,000 reads and `limitMs` (15 s); fails with the last state seen. */
async function until(
  workflow: string,
  id: string,
  done: (run: RunJson) => boolean,
  limitMs = 15_000,
): Promise<RunJson> {
  const deadline = Date.now() + limitMs;
  let run: RunJson | undefined;
  for (let i = 0; i < 2000 && Date.now() < deadline; i++) {
    run = await read(workflow, id);
    if (run && done(run)) return run;
    await sleep(50);
  }
  throw new Error(`run ${id} did not reach the expected state; last seen: ${JSON.stringify(run)}`);
}
const ended = (run: RunJson) => ENDED.includes(run.status);

async function log(id: string): Promise<string[]> {
  return (JSON.parse((await send("GET", `/log/${id}`)).text) as { entries: string[] }).entries;
}

beforeAll(async () => {
  mf = new Miniflare({
    modules: true,
    script: await bundleWorker(FIXTURE),
    compatibilityDate: "2026-04-20",
    host: "127.0.0.1",
    kvNamespaces: ["KV"],
    workflows: Object.fromEntries(
      WORKFLOWS.map((w) => [workflowBindingName(w), { name: w, className: workflowClassName(w) }]),
    ),
    handleRuntimeStdio(stdout: Readable, stderr: Readable) {
      if (!process.env.SKIFF_TEST_LOGS) return;
      stdout.pipe(process.stdout);
      stderr.pipe(process.stderr);
    },
  });
  await mf.ready;
}, 60_000);

afterAll(async () => {
  await mf?.dispose();
});

describe("skiff workflows on Cloudflare Workflows (Miniflare)", () => {
  it("runs chained steps on each other's results; start is idempotent by id; the key is stable per step", async () => {
    const { id, created } = await start("chain", { n: 4 });
    expect(created).toBe(true);
    const again = await send("POST", "/runs/chain", { input: { n: 4 }, id });
    expect(again.status).toBe(200);
    expect(JSON.parse(again.text)).toEqual({ id, created: false });
    const run = await until("chain", id, ended);
    expect(run).toMatchObject({ id, workflow: "chain", status: "completed", steps: [] });
    expect(run.output).toEqual({ value: 18, key: `chain:${id}:key` });
    // Cloudflare's binding reports no times, so the run has none (documented), rather than invalid dates.
    expect(run.createdAt).toBeUndefined();
    expect(run.updatedAt).toBeUndefined();
  });

  it("refuses an input that fails the schema at start, before creating an instance", async () => {
    const id = runId("chain");
    const res = await send("POST", "/runs/chain", { input: { n: "four" }, id });
    expect(res.status).toBe(422);
    expect(await read("chain", id)).toBeUndefined();
  });

  it("refuses a run id Cloudflare would not accept, naming the rule", async () => {
    const res = await send("POST", "/runs/chain", { input: { n: 1 }, id: "not/valid" });
    expect(res.status).toBe(500);
    expect(res.text).not.toContain("not/valid"); // a 500 never leaks internals
  });

  it("retries a failing step with skiff's policy until it succeeds, with one idempotency key", async () => {
    const { id } = await start("flaky", { failures: 2 });
    const run = await until("flaky", id, ended);
    expect(run.status).toBe("completed");
    expect(run.output).toEqual({ succeededOn: 3 });
    const key = `flaky:${id}:flaky`;
    expect(await log(id)).toEqual([`attempt 1 ${key}`, `attempt 2 ${key}`, `attempt 3 ${key}`]);
  });

  it("fails the run with the last error once the retries (limit 2) are spent", async () => {
    const { id } = await start("flaky", { failures: 5 });
    const run = await until("flaky", id, ended);
    expect(run.status).toBe("failed");
    expect(run.error?.message).toContain("attempt 3 failed");
    expect(await log(id)).toHaveLength(3);
  });

  it("applies the workflow's default retry policy (app.workflow options) to a step that sets none", async () => {
    const { id } = await start("policy", {});
    const run = await until("policy", id, ended);
    expect(run).toMatchObject({ status: "failed", error: { message: "down" } });
    expect(await log(id)).toEqual(["attempt 1", "attempt 2"]);
  });

  it("fails a step at once on skiff's NonRetryableError, keeping its message", async () => {
    const { id } = await start("declined", {});
    const run = await until("declined", id, ended);
    expect(run.status).toBe("failed");
    expect(run.error).toEqual({ name: "WorkflowStepError", message: "card declined" });
    expect(await log(id)).toEqual(["attempt 1"]);
  });

  it("compensates the completed steps newest first, each undo a step with its result and own key", async () => {
    const { id } = await start("saga", {});
    const run = await until("saga", id, ended);
    expect(run.status).toBe("failed");
    expect(run.error?.message).toBe("no courier");
    expect(await log(id)).toEqual([
      `undo charge {"chargeId":"c-1","amount":42} saga:${id}:undo:charge`,
      'undo reserve {"reservation":"r-1"}',
    ]);
  });

  it("resumes a run waiting for an event with the event of its type; an event sent first is kept", async () => {
    const { id } = await start("approval", {});
    // Miniflare reports a run blocked on an event as "running" (Cloudflare hibernates it: "waiting").
    const waiting = await until("approval", id, (r) => r.status !== "queued");
    expect(["running", "waiting"]).toContain(waiting.status);
    await send("POST", `/runs/approval/${id}/events`, { type: "something-else", payload: { by: "nobody" } });
    expect(
      (await send("POST", `/runs/approval/${id}/events`, { type: "approved", payload: { by: "ops" } }))
        .status,
    ).toBe(202);
    const run = await until("approval", id, ended);
    expect(run.output).toEqual({ type: "approved", by: "ops", at: true });

    const early = runId("approval");
    await start("approval", {}, early);
    await send("POST", `/runs/approval/${early}/events`, { type: "approved", payload: { by: "early" } });
    expect((await until("approval", early, ended)).output).toMatchObject({ by: "early" });
  });

  it("times out a waitForEvent with skiff's WorkflowTimeoutError, which the handler catches", async () => {
    const id = runId("timeout");
    expect((await send("POST", `/modify/timeout/${id}`, { eventTimeout: "approval" })).status).toBe(204);
    await start("timeout", {}, id);
    const run = await until("timeout", id, ended);
    expect(run.status).toBe("completed");
    expect(run.output).toEqual({ timedOut: true, error: "WorkflowTimeoutError" });
  });

  it("sleeps on Cloudflare's timer: a 1 s sleep waits, a sleepUntil in the past returns at once", async () => {
    const { id } = await start("napper", {});
    const run = await until("napper", id, ended);
    expect(run.status).toBe("completed");
    expect((run.output as { slept: number }).slept).toBeGreaterThanOrEqual(1000);
  });

  it("sleeps 13 hours (Miniflare's disableSleeps stands in for the wait)", async () => {
    const id = runId("sleeper");
    await send("POST", `/modify/sleeper/${id}`, { disableSleeps: true });
    await start("sleeper", {}, id);
    const run = await until("sleeper", id, ended);
    expect(run.output).toEqual({ before: "slept", after: "woke" });
  });

  it("fans out 250 steps in one instance (map, then all) and fans in every result, in order", async () => {
    // 250, not the contract's 1,000: every child is a step of this one instance, and Miniflare's local engine takes
    // time quadratic in an instance's steps (≈2.5 s for 200, ≈5 s for 400, over 2 min for 1,000 here).
    const n = 250;
    const { id } = await start("fanout", { n });
    const began = Date.now();
    const run = await until("fanout", id, ended, 40_000);
    console.info(`fan-out of ${n} on Cloudflare Workflows (Miniflare): ${Date.now() - began} ms`);
    expect(run.status, JSON.stringify(run.error)).toBe("completed");
    expect(run.output).toEqual({ count: n, total: ((n - 1) * n * (2 * n - 1)) / 6, inOrder: true });
  }, 60_000);

  it("cancels a waiting run with terminate: it ends cancelled, and Cloudflare runs no undo", async () => {
    const { id } = await start("cancellable", {});
    await until("cancellable", id, (r) => r.status !== "queued");
    expect((await send("POST", `/runs/cancellable/${id}/cancel`)).status).toBe(202);
    const run = await until("cancellable", id, ended);
    expect(run.status).toBe("cancelled");
    expect(await log(id)).toEqual([]);
    // Cancelling an ended run is a no-op.
    expect((await send("POST", `/runs/cancellable/${id}/cancel`)).status).toBe(202);
  });

  it("fails a run that uses one step name twice, naming it", async () => {
    const { id } = await start("twice", {});
    const run = await until("twice", id, ended);
    expect(run.status).toBe("failed");
    expect(run.error?.message).toContain('step name "same" is used twice');
  });

  it("answers 404 for a run that does not exist", async () => {
    expect(await read("chain", "no-such-run")).toBeUndefined();
  });
});

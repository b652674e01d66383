import { join } from "node:path";
import { bundleWorker } from "./support/bundle-worker.js";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveHrana } from "../../../src/dev/hrana/index.js";
import { tempDbUrl } from "../../contract/node-driver.js";

// The contract app, unchanged, through toCloudflare(app, { workflows: { engine: "cloudflare" } }) and the classes of
// cloudflareWorkflows(worker): routes reach the runs through c.var.workflows over the Workflow bindings, and handlers
// reach the app's database (over HTTP to skiff's local libSQL endpoint) through ctx.
const FIXTURE = join("test", "adapters", "cloudflare", "workflows-engine-fixture", "app-worker.ts");
const BASE = "http://workflows.test";

let mf: Miniflare;
let hrana: Awaited<ReturnType<typeof serveHrana>>;

async function send(method: string, path: string, body?: unknown) {
  const res = await mf.dispatchFetch(`${BASE}${path}`, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/** Polls the run until it ends: at most 300 reads and 15 s. */
async function ended(workflow: string, id: string) {
  const deadline = Date.now() + 15_000;
  let run: Record<string, unknown> | undefined;
  for (let i = 0; i < 300 && Date.now() < deadline; i++) {
    const res = await send("GET", `/api/runs/${workflow}/${id}`);
    run = res.json;
    if (res.status === 200 && ["completed", "failed", "cancelled"].includes(String(run.status))) return run;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`run ${id} did not end; last seen: ${JSON.stringify(run)}`);
}

beforeAll(async () => {
  hrana = await serveHrana({ url: tempDbUrl("skiff-cf-workflows"), port: 0, hostname: "127.0.0.1" });
  mf = new Miniflare({
    modules: true,
    script: await bundleWorker(FIXTURE),
    compatibilityDate: "2026-04-20",
    host: "127.0.0.1",
    bindings: { TURSO_DATABASE_URL: hrana.url },
    kvNamespaces: ["KV"],
    workflows: {
      CHAIN_WORKFLOW: { name: "chain", className: "ChainWorkflow" },
      SAGA_WORKFLOW: { name: "saga", className: "SagaWorkflow" },
      FANOUT_WORKFLOW: { name: "fanout", className: "FanoutWorkflow" },
    },
  });
  await mf.ready;
}, 60_000);

afterAll(async () => {
  await mf?.dispose();
  await hrana?.close();
});

describe('an app on Cloudflare Workflows (toCloudflare(app, { workflows: { engine: "cloudflare" } }))', () => {
  it("starts, runs and reads a run through c.var.workflows over the binding; start is idempotent by id", async () => {
    const id = `chain-${Date.now().toString(36)}`;
    expect(await send("POST", "/api/runs/chain", { input: { n: 4 }, id })).toEqual({
      status: 201,
      json: { id, created: true },
    });
    expect((await send("POST", "/api/runs/chain", { input: { n: 4 }, id })).json).toEqual({
      id,
      created: false,
    });
    const run = await ended("chain", id);
    expect(run).toMatchObject({
      id,
      workflow: "chain",
      status: "completed",
      output: { value: 18, key: `chain:${id}:key` },
    });
  });

  it("compensates with ctx.db newest first, and fails the run with the step's error", async () => {
    const id = `saga-${Date.now().toString(36)}`;
    await send("POST", "/api/runs/saga", { input: {}, id });
    const run = await ended("saga", id);
    expect(run).toMatchObject({ status: "failed", error: { message: "no courier" } });
    expect((await send("GET", `/api/log/${id}`)).json).toEqual({
      entries: ['undo charge {"chargeId":"c-1","amount":42}', 'undo reserve {"reservation":"r-1"}'],
    });
  });

  it("fails a request for a workflow whose binding is missing with a 500 that names nothing internal", async () => {
    const res = await send("POST", "/api/runs/approval", { input: {}, id: "approval-1" });
    expect(res.status).toBe(500);
    expect(JSON.stringify(res.json)).not.toContain("APPROVAL_WORKFLOW");
  });
});

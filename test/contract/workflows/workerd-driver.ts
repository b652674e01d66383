import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { join } from "node:path";
import { createClient } from "@libsql/client/web";
import { bundleWorker } from "../../adapters/cloudflare/support/bundle-worker.js";
import { Miniflare } from "miniflare";
import { Database } from "skiff/adapter";
import { serveHrana } from "skiff/local";
import { workflowDb } from "./temp-db.js";
import { WORKFLOW_QUEUE, type WorkflowDriver } from "./driver.js";

const FIXTURE = join("test", "adapters", "cloudflare", "workflows-contract-fixture", "worker.ts");

// The Worker logs one JSON line per request, step and batch: shown only with SKIFF_TEST_LOGS=1, like vitest's filter.
function forward(stream: Readable, to: NodeJS.WriteStream): void {
  const lines = createInterface({ input: stream });
  lines.on("line", (line) => {
    if (process.env.SKIFF_TEST_LOGS || !line.startsWith('{"time":')) to.write(`${line}\n`);
  });
}

/**
 * Drives the workflow app as a Worker inside workerd, through Miniflare: HTTP through `dispatchFetch`, the timer cron
 * through the Worker's `scheduled` handler, and the workflow queue through Miniflare's real queue (the producer
 * binding `SKIFF_WORKFLOWS` and a consumer of `skiff-workflows`), which delivers by itself, so pumping only waits.
 * The database is a libSQL file served over HTTP by skiff's local endpoint on 127.0.0.1.
 */
export async function workerdWorkflowDriver(): Promise<WorkflowDriver> {
  const file = workflowDb("skiff-workflows-workerd");
  const hrana = await serveHrana({
    url: file.url,
    port: 0,
    hostname: "127.0.0.1",
  });
  const mf = new Miniflare({
    modules: true,
    script: await bundleWorker(FIXTURE),
    compatibilityDate: "2026-04-20",
    host: "127.0.0.1",
    bindings: { TURSO_DATABASE_URL: hrana.url },
    kvNamespaces: ["KV"],
    queueProducers: { SKIFF_WORKFLOWS: { queueName: WORKFLOW_QUEUE } },
    // What `skiff` generates for wrangler.toml (batch size 10, 20 retries), except the batch timeout: 0 instead of
    // 1 s, so that each wake is delivered at once rather than after waiting for a fuller batch.
    queueConsumers: {
      [WORKFLOW_QUEUE]: { maxBatchSize: 10, maxBatchTimeout: 0, maxRetries: 20 },
    },
    handleRuntimeStdio(stdout: Readable, stderr: Readable) {
      forward(stdout, process.stdout);
      forward(stderr, process.stderr);
    },
  });
  await mf.ready;
  const worker = await mf.getWorker();
  const db = new Database(() => createClient({ url: hrana.url, intMode: "number" }));
  return {
    platform: "cloudflare",
    db,
    async fetch(request) {
      const method = request.method;
      const body = method === "GET" || method === "HEAD" ? undefined : await request.text();
      const res = await mf.dispatchFetch(request.url, { method, headers: [...request.headers], body });
      const bytes = res.status === 204 || res.status === 304 ? null : await res.arrayBuffer();
      return new Response(bytes, { status: res.status, headers: [...res.headers] });
    },
    async fireCron(expression, scheduledTime) {
      const result = await worker.scheduled({ cron: expression, scheduledTime: new Date(scheduledTime) });
      if (result.outcome !== "ok") throw new Error(`scheduled(${expression}) ended ${result.outcome}`);
    },
    // Miniflare's queue delivers to the consumer on its own: give it a moment.
    pump: () => new Promise((resolve) => setTimeout(() => resolve(undefined), 50)),
    async close() {
      db.close();
      await mf.dispose();
      await hrana.close();
      file.remove();
    },
  };
}

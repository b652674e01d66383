import { join } from "node:path";
import { createClient } from "@libsql/client/web";
import { cronSlug, Database } from "skiff/adapter";
import { serveHrana } from "skiff/local";
import { bundleForEdge, edgeFetch, startEdgeSandbox } from "../../adapters/vercel/support/edge.js";
import { workflowDb } from "./temp-db.js";
import { WORKFLOW_QUEUE, type WorkflowDriver } from "./driver.js";

const CRON_SECRET = "workflow-cron-secret-0123456789";
const bearer = { authorization: `Bearer ${CRON_SECRET}` };

/**
 * Drives the workflow app's Vercel route handlers bundled for the edge and run inside Vercel's edge-runtime sandbox
 * (no `process`, no `require`, no filesystem), against a local libSQL HTTP endpoint: HTTP requests as the platform
 * sends them, the timer cron on its cron path with `CRON_SECRET`, and the workflow queue (the libSQL queue) through
 * the drain path, one batch per call, as Vercel's drain schedule would call it.
 */
export async function vercelEdgeWorkflowDriver(): Promise<WorkflowDriver> {
  const file = workflowDb("skiff-workflows-vercel");
  const hrana = await serveHrana({
    url: file.url,
    port: 0,
    hostname: "127.0.0.1",
  });
  const bundle = await bundleForEdge(join("test", "contract", "workflows", "vercel-edge-entry.ts"), {
    globalName: "__entry",
  });
  const env = { TURSO_DATABASE_URL: hrana.url, CRON_SECRET };
  const runtime = startEdgeSandbox(
    bundle.code,
    "__entry.handlers",
    `globalThis.__skiffTestEnv = ${JSON.stringify(env)};`,
  );
  const fetch = (request: Request) => edgeFetch(runtime, request);
  const call = async (path: string) => {
    const res = await fetch(new Request(`http://workflows.test${path}`, { headers: bearer }));
    if (!res.ok) throw new Error(`GET ${path} answered ${res.status}: ${await res.text()}`);
    return res;
  };
  const db = new Database(() => createClient({ url: hrana.url, intMode: "number" }));
  return {
    platform: "vercel-edge",
    db,
    fetch,
    async fireCron(expression) {
      await call(`/api/__skiff/cron/${cronSlug(expression)}`);
    },
    async pump() {
      const res = await call(`/api/__skiff/queues/drain?queue=${WORKFLOW_QUEUE}&batches=10`);
      const { delivered } = (await res.json()) as { delivered: Record<string, number> };
      return delivered[WORKFLOW_QUEUE] ?? 0;
    },
    async close() {
      db.close();
      await hrana.close();
      file.remove();
    },
  };
}

import { drainQueues, WaitUntilTracker } from "skiff/adapter";
import { serve } from "skiff/node";
import { workflowDb } from "./temp-db.js";
import { app } from "./app.js";
import { WORKFLOW_QUEUE, type WorkflowDriver } from "./driver.js";

/**
 * Drives the workflow app through a real `serve()` on an ephemeral port: HTTP over the loopback, crons through the
 * scheduler's dispatch (`fireCron`), and the workflow queue delivered from the durable libSQL queue in batches by
 * the same pull-queue engine as the local worker, when the test pumps it. Background polling is off so that the
 * test decides when batches are delivered.
 */
export async function nodeWorkflowDriver(): Promise<WorkflowDriver> {
  const file = workflowDb("skiff-workflows-node");
  const server = await serve(app, {
    port: 0,
    hostname: "127.0.0.1",
    env: {},
    database: { url: file.url },
    scheduler: false,
    queues: false,
    handleSignals: false,
  });
  const tracker = new WaitUntilTracker(server.runtime.log);
  return {
    platform: "node",
    db: server.db,
    fetch: (request) => {
      const url = new URL(request.url);
      return fetch(`${server.url}${url.pathname}${url.search}`, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        duplex: "half",
      } as RequestInit);
    },
    fireCron: (expression, scheduledTime) => server.fireCron(expression, scheduledTime),
    async pump() {
      const delivered = await drainQueues(
        server.runtime,
        server.queueStore,
        { queues: [WORKFLOW_QUEUE], maxBatches: 20, budgetMs: 1_000 },
        tracker.waitUntil,
      );
      await tracker.settle();
      return delivered[WORKFLOW_QUEUE] ?? 0;
    },
    async close() {
      await server.close();
      file.remove();
    },
  };
}

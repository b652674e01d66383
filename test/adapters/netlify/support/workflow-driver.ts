import { createClient } from "@libsql/client";
import { Database, nextOccurrence } from "skiff/adapter";
import { toNetlify } from "skiff/netlify";
import { app } from "../../../contract/workflows/app.js";
import { WORKFLOW_QUEUE, type WorkflowDriver } from "../../../contract/workflows/driver.js";
import { workflowDb } from "../../../contract/workflows/temp-db.js";
import { netlifyContext, scheduledRequest } from "./context.js";

/**
 * Drives the workflow contract app through the functions toNetlify() returns, in-process: requests through the HTTP
 * function, the timer cron through its scheduled function, and the workflow queue (the libSQL queue) through the
 * drain function, ten batches per call, as its schedule would run it. The drain after responses is off, so the suite
 * decides when wake-ups are delivered.
 */
export async function netlifyWorkflowDriver(): Promise<WorkflowDriver> {
  const file = workflowDb("skiff-workflows-netlify");
  const functions = toNetlify(app, {
    env: { TURSO_DATABASE_URL: file.url },
    createClient,
    drainOnResponse: false,
  });
  const invoke = async (handler: typeof functions.fetch, request: Request) => {
    const background: Promise<unknown>[] = [];
    const response = await handler(request, netlifyContext(request, background));
    await Promise.all(background);
    return response;
  };
  const db = new Database(() => createClient({ url: file.url, intMode: "number", timeout: 5_000 }));
  return {
    platform: "netlify",
    db,
    fetch: (request) => invoke(functions.fetch, request),
    async fireCron(expression, scheduledTime) {
      const response = await invoke(
        functions.cron(expression),
        scheduledRequest("skiff-cron", nextOccurrence(expression, scheduledTime) ?? undefined),
      );
      if (!response.ok) throw new Error(`cron ${expression} answered ${response.status}`);
    },
    async pump() {
      const request = scheduledRequest(`skiff-queues?queue=${WORKFLOW_QUEUE}&batches=10`, undefined);
      const response = await invoke(functions.drain, request);
      const { delivered } = (await response.json()) as { delivered: Record<string, number> };
      return delivered[WORKFLOW_QUEUE] ?? 0;
    },
    async close() {
      await functions.settle();
      db.close();
      file.remove();
    },
  };
}

import { createClient } from "@libsql/client";
import { QueueClient } from "@vercel/queue";
import { Database } from "skiff/adapter";
import { toVercel, toVercelSchedules, vercelQueueConsumer, vercelScheduleName } from "skiff/vercel";
import { app } from "../../../contract/workflows/app.js";
import { WORKFLOW_QUEUE, type WorkflowDriver } from "../../../contract/workflows/driver.js";
import { workflowDb } from "../../../contract/workflows/temp-db.js";
import { pushDelivery, startQueueService } from "./queue-service.js";

interface Held {
  id: string;
  body: unknown;
  visibleAt: number;
  deliveries: number;
}

/**
 * The workflow app with its internal queue on Vercel Queues and its timer cron on Schedules. Between the producer
 * and the consumer route, this does what the service does: a sent message becomes deliverable after its delay, is
 * pushed to the `handleCallback` route with a growing `deliveryCount`, leaves when acknowledged, and comes back
 * after the visibility the consumer set for a retry (or at once when the callback failed).
 */
export async function vercelQueuesWorkflowDriver(): Promise<WorkflowDriver> {
  const service = await startQueueService();
  const file = workflowDb("skiff-workflows-vercel-queues");
  const common = {
    env: { TURSO_DATABASE_URL: file.url, VERCEL_OIDC_TOKEN: "wf-token" },
    createClient,
    vercelQueues: { baseUrl: service.url },
  };
  const handlers = toVercel(app, { ...common, basePath: "/api", queues: "vercel" });
  const schedules = toVercelSchedules(app, { ...common, queues: "vercel" });
  const consumer = vercelQueueConsumer(app, WORKFLOW_QUEUE, common);
  const client = new QueueClient({
    region: "iad1",
    token: "t",
    resolveBaseUrl: () => new URL(service.url),
    deploymentId: null,
  });
  const POST = client.handleCallback(consumer.handler, consumer.options);
  const held: Held[] = [];
  let seen = 0;
  let handle = 0;
  const db = new Database(() => createClient({ url: file.url, intMode: "number", timeout: 5_000 }));
  return {
    platform: "vercel-node",
    db,
    async fetch(request) {
      const response = await handlers.fetch(request);
      await handlers.settle();
      return response;
    },
    async fireCron(expression, scheduledTime) {
      const res = await schedules.POST(
        new Request("https://wf.vercel.app/api/skiff/schedule", {
          method: "POST",
          body: JSON.stringify({
            name: vercelScheduleName(expression),
            scheduledAt: new Date(scheduledTime).toISOString(),
          }),
        }),
      );
      await schedules.settle();
      if (!res.ok) throw new Error(`schedule run answered ${res.status}: ${await res.text()}`);
    },
    async pump() {
      const now = Date.now();
      for (; seen < service.sent.length; seen++) {
        const m = service.sent[seen];
        if (m?.topic === WORKFLOW_QUEUE)
          held.push({
            id: `0-${seen}`,
            body: m.body,
            visibleAt: now + (m.delaySeconds ?? 0) * 1_000,
            deliveries: 0,
          });
      }
      // The service pushes concurrently (no maxConcurrency by default): a round delivers what is due at once.
      const due = held.filter((m) => m.visibleAt <= now).slice(0, 100);
      await Promise.all(
        due.map(async (m) => {
          const receiptHandle = `wf-${++handle}`;
          const delivery = pushDelivery(WORKFLOW_QUEUE, {
            id: m.id,
            body: m.body,
            attempts: ++m.deliveries,
            receiptHandle,
          });
          const res = await POST(delivery);
          if (res.ok && service.acked.has(receiptHandle)) held.splice(held.indexOf(m), 1);
          else m.visibleAt = Date.now() + (service.rescheduled.get(receiptHandle) ?? 0) * 1_000;
        }),
      );
      await consumer.settle();
      return due.length;
    },
    async close() {
      await handlers.settle();
      db.close();
      await service.close();
      file.remove();
    },
  };
}

import { createClient as createNodeClient } from "@libsql/client";
import { QueueClient } from "@vercel/queue";
import { Database, LibsqlQueueStore } from "skiff/adapter";
import { toVercel, toVercelSchedules, vercelQueueConsumer, vercelScheduleName } from "skiff/vercel";
import { app } from "../../../../examples/shop/app.js";
import { CONTRACT_API_KEY_SHA256, type ContractDriver, type Settlement } from "../../../contract/driver.js";
import { tempDbUrl } from "../../../contract/node-driver.js";
import { pushDelivery, startQueueService } from "./queue-service.js";

export const OIDC_TOKEN = "test-oidc-token";

/**
 * The shop on Vercel Queues and Schedules: producers send over the Vercel Queues HTTP API to a local service,
 * each consumed queue is a `handleCallback` route of the real `@vercel/queue` (fed Vercel's push deliveries, its
 * acks and retries going back to the service), and crons fire through the private schedule function.
 */
export async function vercelQueuesDriver(): Promise<ContractDriver> {
  const service = await startQueueService();
  const url = tempDbUrl("skiff-vercel-queues");
  const env = {
    TURSO_DATABASE_URL: url,
    SHOP_API_KEY_SHA256: CONTRACT_API_KEY_SHA256,
    VERCEL_OIDC_TOKEN: OIDC_TOKEN,
  };
  const common = { env, createClient: createNodeClient, vercelQueues: { baseUrl: service.url } };
  const handlers = toVercel(app, { ...common, basePath: "/api", queues: "vercel", drainOnRequest: false });
  const schedules = toVercelSchedules(app, { ...common, queues: "vercel" });
  const client = new QueueClient({
    region: "iad1",
    token: OIDC_TOKEN,
    resolveBaseUrl: () => new URL(service.url),
    deploymentId: null,
  });
  const consumers = new Map(
    [...app.triggers.queues.keys()].map((queue) => {
      const consumer = vercelQueueConsumer(app, queue, common);
      return [queue, { consumer, POST: client.handleCallback(consumer.handler, consumer.options) }] as const;
    }),
  );
  const db = new Database(() => createNodeClient({ url, intMode: "number", timeout: 5_000 }));
  let handle = 0;
  return {
    platform: "vercel-node",
    async fetch(request) {
      const response = await handlers[request.method as "GET"](request);
      await handlers.settle();
      return response;
    },
    async fireCron(expression, scheduledTime) {
      const response = await schedules.POST(
        new Request("https://shop.vercel.app/api/skiff/schedule", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            name: vercelScheduleName(expression),
            scheduledAt: new Date(scheduledTime).toISOString(),
            executionId: `exe-${scheduledTime}`,
          }),
        }),
      );
      await schedules.settle();
      if (!response.ok) throw new Error(`schedule run answered ${response.status}: ${await response.text()}`);
    },
    async deliver(queue, messages) {
      const route = consumers.get(queue);
      if (!route) throw new Error(`no consumer route for ${queue}`);
      const settled: Record<string, Settlement> = {};
      for (const m of messages) {
        const receiptHandle = `rh-${++handle}`;
        const response = await route.POST(pushDelivery(queue, { ...m, receiptHandle }));
        await route.consumer.settle();
        settled[m.id] = response.ok && service.acked.has(receiptHandle) ? "ack" : "retry";
      }
      return settled;
    },
    async sent(queue) {
      const onTopic = service.sent.filter((m) => m.topic === queue).map((m) => m.body);
      const inLibsql = (await new LibsqlQueueStore(db).peek(queue, 1000)).map((m) => m.body);
      return [...onTopic, ...inLibsql];
    },
    async close() {
      await handlers.settle();
      db.close();
      await service.close();
    },
  };
}

import { createClient } from "@libsql/client";
import { Database } from "skiff/adapter";
import { toAzure } from "skiff/azure";
import { app } from "../../../contract/workflows/app.js";
import { WORKFLOW_QUEUE, type WorkflowDriver } from "../../../contract/workflows/driver.js";
import { workflowDb } from "../../../contract/workflows/temp-db.js";
import { startAzurite } from "./azurite.js";
import { fireTimer, installFunctionsHost, invoke, resetFunctionsHost } from "./functions-host.js";
import { rpcHttpRequest, storageQueueMetadata, webResponse } from "./rpc.js";

/** host.json's batchSize (Azure's default): how many messages the host's listener receives at once. */
const BATCH_SIZE = 16;
/** The host's lease on a received message while its invocation runs. */
const LEASE_SECONDS = 60;
/** host.json's maxDequeueCount as skiff build writes it for the workflow queue (maxRetries 20 + 1). */
const MAX_DEQUEUE_COUNT = 21;

/**
 * Drives the workflow app through `toAzure(app)` the way the Functions host runs a Storage queue trigger, on a real
 * Azurite queue: the listener receives up to 16 visible messages with a lease, invokes the function once per
 * message with the message's id, pop receipt and dequeueCount, deletes it on success, and on a failure releases it
 * (visible again at once, host.json visibilityTimeout 0) with the pop receipt it holds, which Azure refuses when
 * skiff already set a retry delay; after maxDequeueCount failures the message goes to `<queue>-poison`.
 */
export async function azureWorkflowDriver(): Promise<WorkflowDriver> {
  installFunctionsHost();
  resetFunctionsHost();
  const azurite = await startAzurite();
  const file = workflowDb("skiff-workflows-azure");
  let clock: number | undefined;
  const registration = toAzure(app, {
    env: { TURSO_DATABASE_URL: file.url, AzureWebJobsStorage: azurite.connectionString },
    now: () => clock ?? Date.now(),
  });
  const consumer = registration.queues.find((q) => q.queue === WORKFLOW_QUEUE);
  if (!consumer) throw new Error("toAzure registered no trigger for the workflow queue");
  const db = new Database(() => createClient({ url: file.url, intMode: "number", timeout: 5_000 }));
  return {
    platform: "azure",
    db,
    fetch: async (request) => webResponse(await invoke("http", await rpcHttpRequest(request))),
    fireCron: (expression, scheduledTime) =>
      fireTimer(registration.crons, expression, scheduledTime, 300_000, (ms) => (clock = ms)),
    async pump() {
      let delivered = 0;
      for (let round = 0; round < 10; round++) {
        const batch = await azurite.receive(consumer.azureQueue, LEASE_SECONDS, BATCH_SIZE);
        if (batch.length === 0) break;
        // The host runs the invocations of one received batch concurrently.
        const settle = async (m: (typeof batch)[number]) => {
          try {
            await invoke(
              consumer.name,
              { string: m.text },
              {
                ...storageQueueMetadata(m.id, m.text, m.dequeueCount),
                PopReceipt: { string: m.popReceipt },
              },
            );
            await azurite.remove(consumer.azureQueue, m.id, m.popReceipt);
          } catch {
            if (m.dequeueCount >= MAX_DEQUEUE_COUNT) {
              await azurite.put(`${consumer.azureQueue}-poison`, m.text);
              await azurite.remove(consumer.azureQueue, m.id, m.popReceipt);
            } else await azurite.updateVisibility(consumer.azureQueue, m.id, m.popReceipt, 0);
          }
        };
        await Promise.all(batch.slice(0, BATCH_SIZE).map(settle));
        delivered += Math.min(batch.length, BATCH_SIZE);
      }
      return delivered;
    },
    async close() {
      db.close();
      await azurite.stop();
      file.remove();
    },
  };
}

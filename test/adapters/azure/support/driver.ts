import { toAzure } from "skiff/azure";
import { app } from "../../../../examples/shop/app.js";
import { CONTRACT_API_KEY_SHA256, type ContractDriver, type Settlement } from "../../../contract/driver.js";
import { tempDbUrl } from "../../../contract/node-driver.js";
import { type Azurite, startAzurite } from "./azurite.js";
import { fireTimer, installFunctionsHost, invoke, resetFunctionsHost } from "./functions-host.js";
import { rpcHttpRequest, storageQueueMetadata, webResponse } from "./rpc.js";

/**
 * Drives the shop through `toAzure(app)` registered with the real `@azure/functions` and invoked through its own
 * programming model, as the worker does: each request through the HTTP function, each cron through the timer
 * function registered for it, each queue message through the Storage queue trigger with the metadata the host
 * sends (a throw is a retry, as for the host); producers send to a real Azurite queue service.
 */
export async function azureDriver(): Promise<ContractDriver & { azurite: Azurite }> {
  installFunctionsHost();
  resetFunctionsHost();
  const azurite = await startAzurite();
  let clock = Date.now();
  const registration = toAzure(app, {
    env: {
      TURSO_DATABASE_URL: tempDbUrl("skiff-azure"),
      SHOP_API_KEY_SHA256: CONTRACT_API_KEY_SHA256,
      AzureWebJobsStorage: azurite.connectionString,
    },
    now: () => clock,
  });
  return {
    platform: "azure",
    azurite,
    fetch: async (request) => webResponse(await invoke("http", await rpcHttpRequest(request))),
    // The clock stays where the last firing left it (frozen), as before the first one.
    fireCron: (expression, scheduledTime) =>
      fireTimer(
        registration.crons,
        expression,
        scheduledTime,
        86_400_000,
        (ms) => (clock = ms ?? Date.now()),
      ),
    async deliver(queue, messages) {
      const name = registration.queues.find((q) => q.queue === queue)?.name ?? `queue_${queue}`;
      // One invocation per message, one after the other, as a host with batchSize 1 runs them (with a larger
      // batchSize they run concurrently, and the contract's dead-letter order would be the host's to choose).
      const outcomes: Record<string, Settlement> = {};
      for (const m of messages) {
        const text = JSON.stringify(m.body);
        try {
          await invoke(name, { string: text }, storageQueueMetadata(m.id, text, m.attempts));
          outcomes[m.id] = "ack";
        } catch {
          outcomes[m.id] = "retry";
        }
      }
      return outcomes;
    },
    sent: (queue) => azurite.peek(queue),
    close: () => azurite.stop(),
  };
}

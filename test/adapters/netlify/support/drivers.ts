import { createClient as createNodeClient } from "@libsql/client";
import { Database, nextOccurrence } from "skiff/adapter";
import { toNetlify, type NetlifyFunctions } from "skiff/netlify";
import { app } from "../../../../examples/shop/app.js";
import { CONTRACT_API_KEY_SHA256, type ContractDriver } from "../../../contract/driver.js";
import { tempDbUrl } from "../../../contract/node-driver.js";
import { netlifyContext, scheduledRequest } from "./context.js";
import { queueSide } from "../../../contract/queue-side.js";

/**
 * The shop's Netlify functions called in-process, each invocation with a `Context` built to @netlify/functions'
 * type: HTTP through `fetch`, crons through `cron(expression)` with Netlify's scheduled request (`{ next_run }`),
 * queue batches through the scheduled drain function. Background work handed to `context.waitUntil` finishes before
 * the next step, as it would before Netlify freezes the function.
 */
export async function inProcessNetlifyDriver(): Promise<ContractDriver & { functions: NetlifyFunctions }> {
  const url = tempDbUrl("skiff-netlify");
  let clock: number | undefined;
  const functions = toNetlify(app, {
    env: { TURSO_DATABASE_URL: url, SHOP_API_KEY_SHA256: CONTRACT_API_KEY_SHA256 },
    createClient: createNodeClient,
    drainOnResponse: false,
    now: () => clock ?? Date.now(),
  });
  const db = new Database(() => createNodeClient({ url, intMode: "number", timeout: 5_000 }));
  const side = queueSide(db);
  const invoke = async (
    handler: (r: Request, c: ReturnType<typeof netlifyContext>) => Promise<Response>,
    request: Request,
  ) => {
    const background: Promise<unknown>[] = [];
    const response = await handler(request, netlifyContext(request, background));
    await Promise.all(background);
    return response;
  };
  const ok = async (response: Response) => {
    if (!response.ok) throw new Error(`the function answered ${response.status}: ${await response.text()}`);
  };
  return {
    platform: "netlify",
    functions,
    fetch: (request) => invoke(functions.fetch, request),
    async fireCron(expression, scheduledTime) {
      const handler = functions.cron(expression);
      clock = scheduledTime + 17_000; // Netlify starts the run a few seconds after the minute
      try {
        await ok(
          await invoke(
            handler,
            scheduledRequest("skiff-cron", nextOccurrence(expression, scheduledTime) ?? undefined),
          ),
        );
      } finally {
        clock = undefined;
      }
    },
    async deliver(queue, messages) {
      await side.enqueue(queue, messages);
      await ok(
        await invoke(
          functions.drain,
          scheduledRequest(`skiff-queues?queue=${encodeURIComponent(queue)}&batches=1`, undefined),
        ),
      );
      return side.settlements(queue, messages);
    },
    sent: side.sent,
    async close() {
      await functions.settle();
      db.close();
    },
  };
}

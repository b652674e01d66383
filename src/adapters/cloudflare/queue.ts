import type { SkiffRuntime } from "../../runtime.js";
import type { BindingNames } from "./options.js";
import type { CloudflareMessage, CloudflareWorker } from "./types.js";

/**
 * @internal The Worker's `queue` handler: maps `batch.queue` to the app's queue, runs skiff's delivery contract and
 * settles each Cloudflare message explicitly: retried → `retry({ delaySeconds })`, everything else → `ack()`.
 *
 * @example
 * ```ts
 * const worker = { queue: queueHandler(resolveBindingNames(app.triggers), runtimeFor) };
 * ```
 */
export function queueHandler(
  names: BindingNames,
  runtimeFor: (env: unknown) => SkiffRuntime,
): CloudflareWorker["queue"] {
  // Every message is settled explicitly, so nothing depends on the handler's outcome: a throw here (a batch
  // for a queue with no consumer) is the only way the whole batch is retried.
  // https://developers.cloudflare.com/queues/configuration/batching-retries/#explicit-acknowledgement-and-retries
  return async (batch, env, ctx) => {
    const queue = names.appQueue(batch.queue);
    const incoming = batch.messages.map((m) => ({
      id: m.id,
      body: m.body,
      attempts: m.attempts,
      timestamp: m.timestamp,
    }));
    const results = await runtimeFor(env).deliver(queue, incoming, (promise) => ctx.waitUntil(promise));
    const byId = new Map<string, CloudflareMessage>(batch.messages.map((m) => [m.id, m]));
    for (const result of results) {
      const message = byId.get(result.id);
      if (result.outcome === "retried") message?.retry({ delaySeconds: result.delaySeconds ?? 0 });
      else message?.ack(); // acked, dead-lettered (already sent by skiff) or dropped (logged)
    }
  };
}

import { checkBatch } from "./producer.js";
import type { OutgoingMessage, QueueTransport } from "./types.js";

/**
 * A Queue producer binding, reduced to `sendBatch`. Cloudflare's `Queue` satisfies it.
 * https://developers.cloudflare.com/queues/configuration/javascript-apis/#queue
 *
 * @example
 * ```ts
 * await binding.sendBatch([{ body: { orderId: "o1" }, contentType: "json" }]);
 * ```
 */
export interface QueueBinding {
  sendBatch(
    messages: Iterable<{
      body: unknown;
      contentType?: "json" | "text" | "bytes" | "v8";
      delaySeconds?: number;
    }>,
  ): Promise<unknown>;
}

/**
 * The transport of one queue on a Cloudflare Queue producer binding. A whole `sendBatch` from the app is one
 * `sendBatch` call (Cloudflare's limits, 100 messages and 256 KB, are skiff's portable ones, checked here again
 * because dead-letter sends arrive without the producer's checks).
 *
 * Bodies go as `contentType: "json"` rather than the default `"v8"` structured clone: the size skiff checks is
 * the JSON size, and JSON bodies stay readable by HTTP pull consumers and the dashboard.
 * https://developers.cloudflare.com/queues/configuration/javascript-apis/#queuescontenttype
 *
 * @example
 * ```ts
 * const orders = cloudflareQueue("orders", () => env.ORDERS);
 * await orders.send([{ body: { orderId: "o1" } }, { body: { orderId: "o2" }, delaySeconds: 60 }]);
 * ```
 */
export function cloudflareQueue(queue: string, binding: () => QueueBinding): QueueTransport {
  return {
    async send(messages: readonly OutgoingMessage[]): Promise<void> {
      if (messages.length === 0) return;
      checkBatch(queue, messages);
      await binding().sendBatch(
        messages.map((m) =>
          m.delaySeconds === undefined
            ? { body: m.body, contentType: "json" as const }
            : { body: m.body, contentType: "json" as const, delaySeconds: m.delaySeconds },
        ),
      );
    },
  };
}

// Queue producers on Pub/Sub. Internal: created by the GCP adapter's runtime for each queue the app sends to.
import { SkiffError } from "../../../errors.js";
import type { OutgoingMessage, QueueTransport } from "../types.js";
import type { PubSubClient, PubSubOutgoing } from "./client.js";

const encoder = new TextEncoder();

/**
 * @internal Base64 of a string's UTF-8 bytes (`btoa` alone takes Latin-1 only). Web APIs only, so it runs anywhere.
 *
 * @example
 * ```ts
 * base64Utf8('{"sku":"té"}') // "eyJza3UiOiJ0w6kifQ=="
 * ```
 */
export function base64Utf8(text: string): string {
  const bytes = encoder.encode(text);
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/**
 * The attribute skiff sets on every message it publishes: the app queue it was sent to, so a message read from a
 * topic (or a dead-letter topic Pub/Sub forwarded it to) still says which queue it belongs to.
 *
 * @example
 * ```ts
 * message.attributes?.[SKIFF_QUEUE_ATTRIBUTE] // "orders"
 * ```
 */
export const SKIFF_QUEUE_ATTRIBUTE = "skiff-queue";

/**
 * A transport that publishes a batch to one Pub/Sub topic in one `topics.publish` call (Pub/Sub takes up to 1,000
 * messages and 10 MB per request, https://cloud.google.com/pubsub/quotas#resource_limits; skiff's portable limits
 * are well inside). Pub/Sub has no delayed delivery, so `maxDelaySeconds` is 0: workflows keep every wait in their
 * timer table, and a send with `delaySeconds` throws a SkiffError before anything is published, never a message
 * delivered early.
 *
 * @example
 * ```ts
 * const transport = pubsubTransport(new PubSubClient({ env: process.env }), "orders", "shop-orders");
 * await transport.send([{ body: { orderId: "o1" } }]);
 * ```
 */
export function pubsubTransport(client: PubSubClient, queue: string, topic: string): QueueTransport {
  return {
    maxDelaySeconds: 0,
    async send(messages: readonly OutgoingMessage[]): Promise<void> {
      if (messages.length === 0) return;
      const delayed = messages.find((m) => (m.delaySeconds ?? 0) > 0);
      if (delayed) {
        throw new SkiffError(
          `queue "${queue}": Pub/Sub has no delayed delivery (got delaySeconds ${delayed.delaySeconds}), so nothing was sent; send without a delay, or keep the wait in your own table (workflows' step.sleep does this for you)`,
        );
      }
      const out: PubSubOutgoing[] = messages.map((m) => ({
        data: base64Utf8(JSON.stringify(m.body)),
        attributes: { [SKIFF_QUEUE_ATTRIBUTE]: queue },
      }));
      await client.publish(topic, out);
    },
  };
}

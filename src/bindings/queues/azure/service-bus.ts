// Queue producers on Azure Service Bus queues, over its REST API with web fetch and web crypto.
import { SkiffError } from "../../../errors.js";
import type { OutgoingMessage, QueueTransport } from "../types.js";
import { hmacSha256, utf8 } from "./_crypto.js";
import type { ServiceBusNamespace } from "./connection.js";

// https://learn.microsoft.com/rest/api/servicebus/send-message-batch: one request carries a JSON array of messages;
// Standard tier caps a message and a batch at 256 KB
// (https://learn.microsoft.com/azure/service-bus-messaging/service-bus-quotas). Batches are cut below that.
const MAX_BATCH_BYTES = 250 * 1024;
const TOKEN_SECONDS = 3600;

/**
 * A Service Bus SAS token for `resourceUri`
 * (https://learn.microsoft.com/azure/service-bus-messaging/service-bus-sas#generate-a-shared-access-signature-token):
 * `SharedAccessSignature sr=<encoded uri>&sig=<encoded HMAC-SHA256 of "<encoded uri>\n<expiry>">&se=<expiry>&skn=<policy>`,
 * keyed with the policy's key as text.
 *
 * @example
 * ```ts
 * await serviceBusSasToken("https://shop.servicebus.windows.net/orders", "send", key, 1_767_000_000);
 * ```
 */
export async function serviceBusSasToken(
  resourceUri: string,
  keyName: string,
  key: string,
  expiry: number,
): Promise<string> {
  const sr = encodeURIComponent(resourceUri);
  const sig = await hmacSha256(utf8(key), `${sr}\n${expiry}`);
  return `SharedAccessSignature sr=${sr}&sig=${encodeURIComponent(sig)}&se=${expiry}&skn=${encodeURIComponent(keyName)}`;
}

/**
 * Options of {@link serviceBusTransport}: the namespace (resolved on first send), the entity's name when it is not
 * the app queue's, and the `fetch` to use.
 *
 * @example
 * ```ts
 * const options: ServiceBusTransportOptions = { namespace: () => parseServiceBusConnection(env.ServiceBusConnection ?? "") };
 * ```
 */
export interface ServiceBusTransportOptions {
  namespace: () => ServiceBusNamespace;
  fetch?: typeof fetch;
}

/**
 * A transport that sends to a Service Bus queue with Send Message Batch: one request per chunk of under 250 KB,
 * each message's body its JSON and, for a delay, `BrokerProperties.ScheduledEnqueueTimeUtc` (RFC 1123, the time
 * Service Bus makes it visible). Signed with a SAS token made from the connection string's policy, renewed before
 * it expires. An answer other than 201 throws, saying how many messages were already sent.
 *
 * @example
 * ```ts
 * const transport = serviceBusTransport("orders", { namespace: () => parseServiceBusConnection(env.ServiceBusConnection ?? "") });
 * await transport.send([{ body: { orderId: "o1" }, delaySeconds: 30 }]);
 * ```
 */
export function serviceBusTransport(queue: string, options: ServiceBusTransportOptions): QueueTransport {
  const fetcher = options.fetch ?? ((input, init) => fetch(input, init));
  let token: { value: string; expiry: number } | undefined;
  const authorization = async (ns: ServiceBusNamespace, resource: string): Promise<string> => {
    const now = Math.floor(Date.now() / 1000);
    if (!token || token.expiry - now < 300) {
      const expiry = now + TOKEN_SECONDS;
      token = { value: await serviceBusSasToken(resource, ns.keyName, ns.key, expiry), expiry };
    }
    return token.value;
  };
  return {
    async send(messages: readonly OutgoingMessage[]): Promise<void> {
      if (messages.length === 0) return;
      const ns = options.namespace();
      const resource = `${ns.endpoint}/${queue}`;
      const now = Date.now();
      const entries = messages.map((m) => ({
        Body: JSON.stringify(m.body),
        BrokerProperties: {
          ContentType: "application/json",
          ...(m.delaySeconds
            ? { ScheduledEnqueueTimeUtc: new Date(now + m.delaySeconds * 1000).toUTCString() }
            : {}),
        },
      }));
      const chunks: (typeof entries)[] = [[]];
      let size = 2;
      for (const entry of entries) {
        const bytes = utf8(JSON.stringify(entry)).byteLength + 1;
        if (bytes > MAX_BATCH_BYTES)
          throw new SkiffError(
            `queue "${queue}": a Service Bus message is at most 256 KB (Standard tier); this one is ${bytes} bytes; nothing was sent`,
          );
        const last = chunks[chunks.length - 1] as typeof entries;
        if (size + bytes > MAX_BATCH_BYTES && last.length > 0) {
          chunks.push([entry]);
          size = 2 + bytes;
        } else {
          last.push(entry);
          size += bytes;
        }
      }
      let sent = 0;
      for (const chunk of chunks) {
        const response = await fetcher(`${resource}/messages`, {
          method: "POST",
          headers: {
            authorization: await authorization(ns, resource),
            "content-type": "application/vnd.microsoft.servicebus.json",
          },
          body: JSON.stringify(chunk),
        });
        if (response.status !== 201) {
          const detail = (await response.text().catch(() => ""))
            .replace(/<[^>]+>/g, " ")
            .trim()
            .slice(0, 200);
          throw new SkiffError(
            `Service Bus send to "${queue}" failed: HTTP ${response.status}${detail ? `: ${detail}` : ""}${sent ? ` (the first ${sent} of ${messages.length} messages had been sent)` : ""}`,
          );
        }
        await response.body?.cancel();
        sent += chunk.length;
      }
    },
  };
}

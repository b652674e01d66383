// The part of the Vercel Queues HTTP API (https://vercel.com/docs/queues/api) that skiff's producer and
// `@vercel/queue`'s handleCallback call, served on 127.0.0.1: the real service is remote and cannot run here.
// It records what it is told (sends, acknowledgements, lease changes) so tests observe settlements the way the
// service would, independent of the handlers.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface SentMessage {
  topic: string;
  body: unknown;
  delaySeconds: number | undefined;
  authorization: string | undefined;
  deploymentId: string | undefined;
}

export interface QueueService {
  url: string;
  sent: SentMessage[];
  acked: Set<string>;
  /** Receipt handle → visibility timeout set by a retry. */
  rescheduled: Map<string, number>;
  close(): Promise<void>;
}

export async function startQueueService(): Promise<QueueService> {
  const sent: SentMessage[] = [];
  const acked = new Set<string>();
  const rescheduled = new Map<string, number>();
  let id = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const parts = (req.url ?? "").split("?")[0]?.split("/").map(decodeURIComponent) ?? [];
      // /api/v3/topic/{topic}[/consumer/{group}/lease/{handle}]
      const [, api, v3, kind, topic, consumer, , lease, handle] = parts;
      if (api !== "api" || v3 !== "v3" || kind !== "topic" || !topic) {
        res.writeHead(404).end();
        return;
      }
      if (req.method === "POST" && consumer === undefined) {
        const delay = req.headers["vqs-delay-seconds"];
        sent.push({
          topic,
          body: JSON.parse(text) as unknown,
          delaySeconds: typeof delay === "string" ? Number(delay) : undefined,
          authorization: req.headers.authorization,
          deploymentId: req.headers["vqs-deployment-id"] as string | undefined,
        });
        res
          .writeHead(201, { "content-type": "application/json" })
          .end(JSON.stringify({ messageId: `0-${++id}` }));
        return;
      }
      if (consumer === "consumer" && lease === "lease" && handle) {
        if (req.method === "DELETE") acked.add(handle);
        else if (req.method === "PATCH")
          rescheduled.set(
            handle,
            (JSON.parse(text) as { visibilityTimeoutSeconds: number }).visibilityTimeoutSeconds,
          );
        res.writeHead(204).end();
        return;
      }
      res.writeHead(405).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    sent,
    acked,
    rescheduled,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * A push delivery as Vercel Queues makes it to a consumer function: a binary-mode CloudEvent (`ce-type:
 * com.vercel.queue.v2beta`, the message's ids and delivery count in `ce-vqs*` headers, the payload as the body),
 * the shape `@vercel/queue`'s handleCallback parses.
 */
export function pushDelivery(
  topic: string,
  message: { id: string; body: unknown; attempts: number; receiptHandle: string },
): Request {
  return new Request("https://shop.vercel.app/api/skiff/queues/" + topic, {
    method: "POST",
    headers: {
      "ce-type": "com.vercel.queue.v2beta",
      "ce-vqsqueuename": topic,
      "ce-vqsconsumergroup": "app_Sapi_Sskiff_Squeues_S" + topic + "_Sroute_Dts",
      "ce-vqsmessageid": message.id,
      "ce-vqsreceipthandle": message.receiptHandle,
      "ce-vqsdeliverycount": String(message.attempts),
      "ce-vqscreatedat": new Date().toISOString(),
      "ce-vqsregion": "iad1",
      "content-type": "application/json",
    },
    body: JSON.stringify(message.body),
  });
}

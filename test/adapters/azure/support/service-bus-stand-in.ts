import { createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A stand-in for the Service Bus REST endpoint, which has no emulator here: a node:http server on 127.0.0.1 that
 * accepts Send Message Batch (`POST /<queue>/messages`, `application/vnd.microsoft.servicebus.json`) and checks what
 * Azure documents: a SAS token whose `sr` is the encoded resource URI of the queue, `se` in the future, `skn` the
 * policy, and `sig` the HMAC-SHA256 (keyed with the policy key's text) of `<sr>\n<se>`, recomputed here with
 * node:crypto. Anything else is refused with 401/400 and recorded, so a bad request fails the test.
 * https://learn.microsoft.com/rest/api/servicebus/send-message-batch
 * https://learn.microsoft.com/azure/service-bus-messaging/service-bus-sas#generate-a-shared-access-signature-token
 */
export interface ServiceBusStandIn {
  readonly endpoint: string;
  connectionString(keyName?: string, key?: string): string;
  /** Messages received per queue: the body parsed as JSON and the broker properties. */
  received(queue: string): Array<{ body: unknown; brokerProperties: Record<string, unknown> }>;
  /** Requests refused, with the reason. */
  readonly refused: string[];
  close(): Promise<void>;
}

export const BUS_KEY_NAME = "skiff-send";
export const BUS_KEY = "c2tpZmYtdGVzdC1rZXktbm90LWEtcmVhbC1vbmU=";

export async function startServiceBusStandIn(): Promise<ServiceBusStandIn> {
  const received = new Map<string, Array<{ body: unknown; brokerProperties: Record<string, unknown> }>>();
  const refused: string[] = [];
  let origin = "";

  const refuse = (res: ServerResponse, status: number, reason: string) => {
    refused.push(reason);
    res.writeHead(status, { "content-type": "application/xml" });
    res.end(`<Error><Code>${status}</Code><Detail>${reason}</Detail></Error>`);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const match = /^\/([^/?]+)\/messages$/.exec(req.url ?? "");
    if (req.method !== "POST" || !match) return refuse(res, 400, `unexpected ${req.method} ${req.url}`);
    const queue = match[1] as string;
    const auth = req.headers.authorization ?? "";
    if (!auth.startsWith("SharedAccessSignature ")) return refuse(res, 401, "no SharedAccessSignature");
    const fields = new Map(
      auth
        .slice("SharedAccessSignature ".length)
        .split("&")
        .map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)] as const),
    );
    const sr = fields.get("sr") ?? "";
    const se = fields.get("se") ?? "";
    const resource = `${origin}/${queue}`;
    if (decodeURIComponent(sr) !== resource)
      return refuse(res, 401, `sr ${decodeURIComponent(sr)} is not ${resource}`);
    if (!(Number(se) > Date.now() / 1000)) return refuse(res, 401, `se ${se} is not in the future`);
    if (fields.get("skn") !== BUS_KEY_NAME) return refuse(res, 401, `skn ${fields.get("skn")}`);
    const expected = createHmac("sha256", Buffer.from(BUS_KEY, "utf8"))
      .update(`${sr}\n${se}`)
      .digest("base64");
    if (decodeURIComponent(fields.get("sig") ?? "") !== expected)
      return refuse(res, 401, "sig does not verify");
    if (req.headers["content-type"] !== "application/vnd.microsoft.servicebus.json")
      return refuse(res, 400, `content-type ${req.headers["content-type"]}`);
    let batch: unknown;
    try {
      batch = JSON.parse(text);
    } catch {
      return refuse(res, 400, "body is not JSON");
    }
    if (!Array.isArray(batch)) return refuse(res, 400, "body is not an array");
    const list = received.get(queue) ?? [];
    for (const entry of batch as Array<{ Body?: unknown; BrokerProperties?: Record<string, unknown> }>) {
      if (typeof entry.Body !== "string") return refuse(res, 400, "Body is not a string");
      const scheduled = entry.BrokerProperties?.ScheduledEnqueueTimeUtc;
      // RFC 1123, as Service Bus documents the broker property (e.g. "Sun, 06 Nov 1994 08:49:37 GMT").
      if (
        scheduled !== undefined &&
        !/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(String(scheduled))
      )
        return refuse(res, 400, `ScheduledEnqueueTimeUtc ${String(scheduled)} is not RFC 1123`);
      list.push({ body: JSON.parse(entry.Body) as unknown, brokerProperties: entry.BrokerProperties ?? {} });
    }
    received.set(queue, list);
    res.writeHead(201);
    res.end();
  };

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint: origin,
    connectionString: (keyName = BUS_KEY_NAME, key = BUS_KEY) =>
      `Endpoint=${origin}/;SharedAccessKeyName=${keyName};SharedAccessKey=${key}`,
    received: (queue) => received.get(queue) ?? [],
    refused,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

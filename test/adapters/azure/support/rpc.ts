import type { RpcHttpResponse, RpcTypedData } from "./functions-host.js";

/** A web Request as the host's RPC HTTP data (what the library turns into its HttpRequest). */
export async function rpcHttpRequest(request: Request): Promise<RpcTypedData> {
  const bytes = new Uint8Array(await request.arrayBuffer());
  const url = new URL(request.url);
  return {
    http: {
      method: request.method,
      url: request.url,
      headers: Object.fromEntries(request.headers),
      query: Object.fromEntries(url.searchParams),
      params: { path: url.pathname.slice(1) },
      ...(bytes.byteLength ? { body: { bytes } } : {}),
    },
  };
}

/** What the host receives for an HTTP invocation, back as the web Response a client would see. */
export function webResponse(returned: { http?: RpcHttpResponse }): Response {
  const rpc = returned.http ?? {};
  const headers = new Headers(rpc.headers);
  for (const c of rpc.cookies ?? []) {
    const parts = [`${c.name}=${c.value}`];
    if (c.path?.value) parts.push(`Path=${c.path.value}`);
    if (c.domain?.value) parts.push(`Domain=${c.domain.value}`);
    if (c.maxAge?.value !== undefined) parts.push(`Max-Age=${c.maxAge.value}`);
    if (c.secure?.value) parts.push("Secure");
    if (c.httpOnly?.value) parts.push("HttpOnly");
    const sameSite = { lax: "Lax", strict: "Strict", explicitNone: "None" }[c.sameSite ?? ""];
    if (sameSite) parts.push(`SameSite=${sameSite}`);
    headers.append("set-cookie", parts.join("; "));
  }
  const status = Number(rpc.statusCode ?? 200);
  const body = rpc.body?.bytes ?? rpc.body?.string;
  const empty = status === 204 || status === 304 || body === undefined || body.length === 0;
  return new Response(empty ? null : (body as BodyInit), { status, headers });
}

const offset = (ms: number) => new Date(ms).toISOString().replace("Z", "+00:00");

/**
 * The RPC trigger metadata of a Storage queue message, with the names and types of the binding's documented
 * metadata (https://learn.microsoft.com/azure/azure-functions/functions-bindings-storage-queue-trigger#message-metadata):
 * strings as strings, the count and times as JSON.
 */
export function storageQueueMetadata(
  id: string,
  text: string,
  dequeueCount: number,
): Record<string, RpcTypedData> {
  const now = Date.now();
  return {
    QueueTrigger: { string: text },
    DequeueCount: { json: String(dequeueCount) },
    Id: { string: id },
    PopReceipt: { string: "AgAAAAMAAAAAAAAAxjqPjfFe2wE=" },
    InsertionTime: { json: JSON.stringify(offset(now - 1000)) },
    ExpirationTime: { json: JSON.stringify("9999-12-31T23:59:59+00:00") },
    NextVisibleTime: { json: JSON.stringify(offset(now + 600_000)) },
    sys: {
      json: JSON.stringify({ MethodName: "queue", UtcNow: new Date(now).toISOString(), RandGuid: "r" }),
    },
  };
}

/**
 * The RPC trigger metadata of a Service Bus message
 * (https://learn.microsoft.com/azure/azure-functions/functions-bindings-service-bus-trigger#message-metadata).
 */
export function serviceBusMetadata(messageId: string, deliveryCount: number): Record<string, RpcTypedData> {
  return {
    MessageId: { string: messageId },
    DeliveryCount: { json: String(deliveryCount) },
    EnqueuedTimeUtc: { json: JSON.stringify(new Date(Date.now() - 1000).toISOString()) },
    SequenceNumber: { json: "7" },
    ContentType: { string: "application/json" },
    LockToken: { string: "7f1d2c3e-0000-4000-8000-000000000001" },
  };
}

/**
 * The timer trigger's input as the host sends it (PascalCase JSON, which the library camel-cases into `Timer`;
 * https://learn.microsoft.com/azure/azure-functions/functions-bindings-timer#usage).
 */
export function timerData(last: number, next: number, isPastDue = false): RpcTypedData {
  return {
    json: JSON.stringify({
      Schedule: { AdjustForDST: true },
      ScheduleStatus: {
        Last: new Date(last).toISOString(),
        Next: new Date(next).toISOString(),
        LastUpdated: new Date(last).toISOString(),
      },
      IsPastDue: isPastDue,
    }),
  };
}

// Vercel Queues producer on web-standard fetch. `@vercel/queue` itself cannot run on the edge (it imports fs, net,
// path and crypto at load), so this speaks its documented HTTP API instead:
// https://vercel.com/docs/queues/api (POST https://{region}.vercel-queue.com/api/v3/topic/{topic}, the body is the
// raw payload, `Authorization: Bearer <OIDC token>`, `Vqs-Delay-Seconds`, `Vqs-Deployment-Id`).
import { SkiffError } from "../../errors.js";
import { checkBatch } from "./producer.js";
import type { OutgoingMessage, QueueTransport } from "./types.js";

const REGION = /^[a-z]{2,5}[0-9]{1,2}$/;
const REQUEST_CONTEXT = Symbol.for("@vercel/request-context");

/**
 * Where and as whom a {@link vercelQueue} sends. Every field has a default read from the env Vercel sets.
 *
 * @example
 * ```ts
 * const options: VercelQueueOptions = { region: "fra1", env: process.env };
 * ```
 */
export interface VercelQueueOptions {
  /** The env to read `VERCEL_REGION`, `VERCEL_OIDC_TOKEN` and `VERCEL_DEPLOYMENT_ID` from. */
  env: Record<string, string | undefined>;
  /** The region of the queue service; default `VERCEL_REGION`, else `iad1` (what `@vercel/queue` does). */
  region?: string;
  /** The service's origin; default `https://{region}.vercel-queue.com`. Tests point it at 127.0.0.1. */
  baseUrl?: string;
}

/**
 * @internal The OIDC token of the current invocation: the `x-vercel-oidc-token` header of Vercel's request context
 * (every function, edge included), else `VERCEL_OIDC_TOKEN` (node runtime, and `vercel env pull` locally). The same
 * lookup as `@vercel/oidc`'s getVercelOidcTokenSync, without its Node-only entry point.
 *
 * @example
 * ```ts
 * vercelOidcToken(process.env) // "eyJhbGciOi..."
 * ```
 */
export function vercelOidcToken(env: Record<string, string | undefined>): string | undefined {
  const holder = (globalThis as { [REQUEST_CONTEXT]?: { get?: () => { headers?: Record<string, string> } } })[
    REQUEST_CONTEXT
  ];
  return holder?.get?.()?.headers?.["x-vercel-oidc-token"] ?? env.VERCEL_OIDC_TOKEN ?? undefined;
}

/**
 * The transport of one queue on a Vercel Queues topic of the same name. Each message is one `POST` (the service's
 * batch endpoint is experimental); a delay goes as `Vqs-Delay-Seconds` (skiff's 12 h maximum is within the
 * service's 24 h retention, https://vercel.com/docs/queues/pricing). Sends are pinned to the deployment
 * (`VERCEL_DEPLOYMENT_ID`), so a message is consumed by the code that sent it, as `@vercel/queue` does.
 *
 * @example
 * ```ts
 * const orders = vercelQueue("orders", { env: process.env });
 * await orders.send([{ body: { orderId: "o1" } }, { body: { orderId: "o2" }, delaySeconds: 60 }]);
 * ```
 */
export function vercelQueue(topic: string, options: VercelQueueOptions): QueueTransport {
  const region = options.region ?? options.env.VERCEL_REGION ?? "iad1";
  if (!REGION.test(region))
    throw new SkiffError(
      `Vercel Queues: region "${region}" is not a Vercel region code (e.g. "iad1"); fix the vercelQueues.region option or VERCEL_REGION`,
    );
  const origin = (options.baseUrl ?? `https://${region}.vercel-queue.com`).replace(/\/+$/, "");
  const url = `${origin}/api/v3/topic/${encodeURIComponent(topic)}`;
  const sendOne = async (message: OutgoingMessage, token: string): Promise<void> => {
    const headers = new Headers({ authorization: `Bearer ${token}`, "content-type": "application/json" });
    if (message.delaySeconds) headers.set("vqs-delay-seconds", String(message.delaySeconds));
    const deployment = options.env.VERCEL_DEPLOYMENT_ID;
    if (deployment) headers.set("vqs-deployment-id", deployment);
    const response = await fetch(url, { method: "POST", headers, body: JSON.stringify(message.body) });
    if (response.ok) {
      await response.body?.cancel();
      return;
    }
    const detail = (await response.text()).slice(0, 200);
    throw new SkiffError(
      `Vercel Queues refused a message for topic "${topic}" (HTTP ${response.status}${detail ? `: ${detail}` : ""})${response.status === 401 || response.status === 403 ? "; check that OIDC is enabled for the project (Project Settings → Security → Secure backend access with OIDC federation)" : ""}`,
    );
  };
  return {
    async send(messages: readonly OutgoingMessage[]): Promise<void> {
      if (messages.length === 0) return;
      checkBatch(topic, messages);
      const token = vercelOidcToken(options.env);
      if (!token)
        throw new SkiffError(
          `Vercel Queues: no OIDC token to send to topic "${topic}": on Vercel, enable OIDC federation for the project; locally, run \`vercel env pull\` (it writes VERCEL_OIDC_TOKEN), or use the libSQL queue (toVercel's queues: "libsql")`,
        );
      await Promise.all(messages.map((m) => sendOne(m, token)));
    },
  };
}

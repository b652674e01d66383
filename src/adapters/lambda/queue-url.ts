import { queueNameMap } from "../../bindings/queues/names.js";
import { ConfigError } from "../../errors.js";

/**
 * The environment variable that holds the SQS queue URL of an app queue: `SKIFF_QUEUE_URL_` and the name in upper
 * snake case. The generated config sets one per declared queue; `toLambda(app, { queueUrls })` overrides it.
 *
 * @example
 * ```ts
 * queueUrlVariable("orders-dlq") // "SKIFF_QUEUE_URL_ORDERS_DLQ"
 * ```
 */
export function queueUrlVariable(queue: string): string {
  return `SKIFF_QUEUE_URL_${queue.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
}

/**
 * @internal The URL of an app queue: the option, else the environment variable. Throws a ConfigError naming the
 * variable when neither is set or the value is not an http(s) URL.
 *
 * @example
 * ```ts
 * resolveQueueUrl("orders", process.env, { orders: "https://sqs.eu-west-1.amazonaws.com/123456789012/orders" });
 * ```
 */
export function resolveQueueUrl(
  queue: string,
  env: Record<string, unknown>,
  urls: Readonly<Record<string, string>> = {},
): string {
  const variable = queueUrlVariable(queue);
  const raw = urls[queue] ?? env[variable];
  const url = typeof raw === "string" ? raw.trim() : "";
  if (!url) {
    throw new ConfigError(
      `queue "${queue}" has no SQS queue URL: set ${variable} (https://sqs.<region>.amazonaws.com/<account>/<queue>) or pass toLambda(app, { queueUrls: { "${queue}": "..." } })`,
      { variable },
    );
  }
  if (!/^https?:\/\/[^/]+\/.+/.test(url)) {
    throw new ConfigError(
      `${variable} "${url}" is not an SQS queue URL (https://sqs.<region>.amazonaws.com/<account>/<queue>)`,
      { variable },
    );
  }
  return url;
}

/**
 * @internal The app queue an SQS queue (the last segment of `eventSourceARN`) delivers to: the `queueNames` override
 * for its name (with or without `.fifo`); else the declared queue whose configured URL (`queueUrls`, else
 * `SKIFF_QUEUE_URL_<NAME>`) ends in that name, which is how a stack-prefixed queue (`shop-prod-orders`, as skiff's SAM
 * template names them) reaches `orders`; else the same name, `.fifo` removed. Each override is checked against the
 * declared queues (SkiffError naming it).
 *
 * @example
 * ```ts
 * const appQueue = sqsQueueNames(app.triggers.schemas, undefined, bindings.queueUrl);
 * appQueue("shop-prod-orders"); // "orders" when SKIFF_QUEUE_URL_ORDERS ends in /shop-prod-orders
 * ```
 */
export function sqsQueueNames(
  declared: ReadonlyMap<string, unknown>,
  queueNames: Readonly<Record<string, string>> | undefined,
  queueUrl: (queue: string) => string,
): (sqsName: string) => string {
  const byUrl = (sqsName: string): string | undefined => {
    for (const queue of declared.keys()) {
      let url: string;
      try {
        url = queueUrl(queue);
      } catch {
        continue; // a queue the function never sends to needs no URL
      }
      if (url.replace(/\/+$/, "").split("/").pop() === sqsName) return queue;
    }
    return undefined;
  };
  return queueNameMap(declared, queueNames, "toLambda: queueNames", (sqsName) => {
    const base = sqsName.endsWith(".fifo") ? sqsName.slice(0, -".fifo".length) : sqsName;
    return (base !== sqsName ? queueNames?.[base] : undefined) ?? byUrl(sqsName) ?? base;
  });
}

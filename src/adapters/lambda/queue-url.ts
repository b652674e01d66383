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

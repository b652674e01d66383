import { SkiffError } from "../../errors.js";

/**
 * Maps a platform's queue name (Cloudflare's `batch.queue`, the SQS queue of an `eventSourceARN`) to the app queue it
 * delivers to: the override for that name, else `fallback` (Lambda looks the name up in the configured queue
 * URLs), else the same name. Each override is checked here, once, against the queues the app declares, so a typo
 * fails at setup with a SkiffError naming the option instead of dead-lettering every batch.
 *
 * @example
 * ```ts
 * const appQueue = queueNameMap(new Set(["orders"]), { "orders-prod": "orders" }, "toCloudflare: queueNames");
 * appQueue("orders-prod"); // "orders"
 * appQueue("orders");      // "orders" (the default: equal names)
 * ```
 */
export function queueNameMap(
  declared: ReadonlySet<string> | ReadonlyMap<string, unknown>,
  overrides: Readonly<Record<string, string>> | undefined,
  option: string,
  fallback?: (platformQueue: string) => string | undefined,
): (platformQueue: string) => string {
  const known = [...declared.keys()].map((n) => `"${n}"`).join(", ") || "none";
  const names = new Map<string, string>();
  for (const [platformQueue, appQueue] of Object.entries(overrides ?? {})) {
    if (typeof appQueue !== "string" || !declared.has(appQueue)) {
      throw new SkiffError(
        `${option}["${platformQueue}"] is "${String(appQueue)}", which the app does not declare (declared: ${known})`,
      );
    }
    names.set(platformQueue, appQueue);
  }
  return (platformQueue) => names.get(platformQueue) ?? fallback?.(platformQueue) ?? platformQueue;
}

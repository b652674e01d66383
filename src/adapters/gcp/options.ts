import { queueNameMap } from "../../bindings/queues/names.js";
import { SkiffError } from "../../errors.js";
import type { TriggerRegistry } from "../../triggers/registry.js";
import type { GcpEnv } from "./types.js";

/**
 * Options of {@link toGcp}. Everything has a default.
 *
 * @example
 * ```ts
 * toGcp(app, { topics: { orders: "shop-orders" }, cronTopic: "shop-cron", functions: { http: "shop", event: "shopEvent" } });
 * ```
 */
export interface GcpOptions {
  /** The env for bindings and `c.env`, or a function returning it, read on the first invocation. Default `process.env`. */
  env?: GcpEnv | (() => GcpEnv);
  /**
   * The names the functions are registered under (deploy with `--entry-point <name>`). Default
   * `{ http: "skiff", event: "skiffEvent" }`. `false` registers nothing: use the returned functions yourself.
   */
  functions?: { http?: string; event?: string } | false;
  /**
   * App queue → Pub/Sub topic id, for queues whose topic has another name (`{ orders: "shop-orders" }`). Used both
   * ways: producers publish to the topic, and an event from that topic is delivered to the queue. Default equal.
   */
  topics?: Readonly<Record<string, string>>;
  /** The topic Cloud Scheduler publishes cron firings to (`skiff build` creates the jobs). Default `"skiff-cron"`. */
  cronTopic?: string;
  /** The Google Cloud project of the topics. Default `GOOGLE_CLOUD_PROJECT`, else the metadata server's. */
  project?: string;
  /** A bearer token source for Pub/Sub; default the metadata server's token of the function's service account. */
  accessToken?: () => string | Promise<string>;
}

/**
 * @internal The options once checked: names, topic map both ways, cron topic.
 *
 * @example
 * ```ts
 * const settings = resolveGcpOptions(app.triggers, { topics: { orders: "shop-orders" } });
 * settings.queueOfTopic("shop-orders"); // "orders"
 * ```
 */
export interface GcpSettings {
  readonly names: { readonly http: string; readonly event: string } | undefined;
  readonly cronTopic: string;
  topicOf(queue: string): string;
  queueOfTopic(topic: string): string;
}

// https://cloud.google.com/pubsub/docs/create-topic#resource_names: starts with a letter, 3-255 of letters, digits
// and - _ . ~ + %, and never "goog".
const TOPIC_ID = /^(?!goog)[A-Za-z][A-Za-z0-9\-_.~+%]{2,254}$/;
// The framework's own rule (function_registry.js isValidFunctionName).
const FUNCTION_NAME = /^[A-Za-z](?:[-_A-Za-z0-9]{0,61}[A-Za-z0-9])?$/;

/**
 * @internal Checks {@link GcpOptions} once, at setup, against the app's declared queues: a bad option throws a
 * SkiffError naming it.
 *
 * @example
 * ```ts
 * resolveGcpOptions(app.triggers, { cronTopic: "shop-cron" });
 * ```
 */
export function resolveGcpOptions(registry: TriggerRegistry, options: GcpOptions): GcpSettings {
  const cronTopic = options.cronTopic ?? "skiff-cron";
  if (!TOPIC_ID.test(cronTopic))
    throw new SkiffError(
      `toGcp: cronTopic "${cronTopic}" is not a Pub/Sub topic id (3-255 characters, from a letter)`,
    );
  const topics = options.topics ?? {};
  const inverse: Record<string, string> = {};
  for (const [queue, topic] of Object.entries(topics)) {
    if (typeof topic !== "string" || !TOPIC_ID.test(topic))
      throw new SkiffError(`toGcp: topics["${queue}"] "${String(topic)}" is not a Pub/Sub topic id`);
    if (topic === cronTopic)
      throw new SkiffError(`toGcp: topics["${queue}"] is the cron topic "${cronTopic}"`);
    if (inverse[topic] !== undefined)
      throw new SkiffError(`toGcp: topics maps "${inverse[topic]}" and "${queue}" to one topic "${topic}"`);
    inverse[topic] = queue;
  }
  // Checked like every queue-name override: a queue the app does not declare fails here, not at its first event.
  const queueOfTopic = queueNameMap(registry.schemas, inverse, "toGcp: topics, for the queue of topic");
  for (const name of registry.schemas.keys())
    if (topics[name] === undefined && name === cronTopic)
      throw new SkiffError(
        `toGcp: queue "${name}" has the cron topic's name; set cronTopic or topics["${name}"]`,
      );
  let names: GcpSettings["names"];
  if (options.functions !== false) {
    names = { http: options.functions?.http ?? "skiff", event: options.functions?.event ?? "skiffEvent" };
    for (const [which, name] of Object.entries(names))
      if (!FUNCTION_NAME.test(name))
        throw new SkiffError(
          `toGcp: functions.${which} "${name}" is not a function name (letters, digits, - and _)`,
        );
    if (names.http === names.event)
      throw new SkiffError(`toGcp: functions.http and functions.event are both "${names.http}"`);
  }
  return { names, cronTopic, topicOf: (queue) => topics[queue] ?? queue, queueOfTopic };
}

// Reading a Pub/Sub CloudEvent: its topic, its message's body, id, attempt and time. Internal: used by pubsub.ts
// and scheduled.ts.
import { SkiffError } from "../../errors.js";
import {
  type GcpCloudEvent,
  type MessagePublishedData,
  PUBSUB_EVENT_TYPE,
  type PubsubMessage,
} from "./types.js";

const decoder = new TextDecoder();

/**
 * @internal A Pub/Sub event taken apart: the topic id (from `source`, `//pubsub.googleapis.com/projects/<p>/topics/<t>`),
 * the message, and the delivery attempt when the subscription reports one.
 *
 * @example
 * ```ts
 * const { topic, message, deliveryAttempt } = readPubSubEvent(event);
 * ```
 */
export interface PubSubEventParts {
  readonly topic: string | undefined;
  readonly message: PubsubMessage;
  readonly deliveryAttempt: number | undefined;
  readonly subscription: string | undefined;
}

/**
 * @internal Checks the event is a Pub/Sub one and takes it apart; anything else throws a SkiffError naming its type
 * (an event function deployed on another trigger).
 *
 * @example
 * ```ts
 * readPubSubEvent({ id: "1", type: PUBSUB_EVENT_TYPE, source: "//pubsub.googleapis.com/projects/p/topics/orders", data })
 * ```
 */
export function readPubSubEvent(event: GcpCloudEvent): PubSubEventParts {
  if (event.type !== PUBSUB_EVENT_TYPE) {
    throw new SkiffError(
      `the event function received a "${event.type}" event from ${event.source}; skiff's event function takes Pub/Sub events only (${PUBSUB_EVENT_TYPE}): deploy it with --trigger-topic`,
    );
  }
  const data = (
    typeof event.data === "object" && event.data !== null ? event.data : {}
  ) as MessagePublishedData;
  const message = data.message ?? {};
  const attempt = data.deliveryAttempt;
  return {
    topic: /\/topics\/([^/]+)$/.exec(event.source ?? "")?.[1],
    message,
    deliveryAttempt: Number.isInteger(attempt) && (attempt as number) >= 1 ? (attempt as number) : undefined,
    subscription: typeof data.subscription === "string" ? data.subscription : undefined,
  };
}

/**
 * @internal The message's data as text (base64-decoded UTF-8), `""` when it has none.
 *
 * @example
 * ```ts
 * messageText({ data: "eyJhIjoxfQ==" }) // '{"a":1}'
 * ```
 */
export function messageText(message: PubsubMessage): string {
  if (!message.data) return "";
  const binary = atob(message.data);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return decoder.decode(bytes);
}

/**
 * @internal The message's body: its data parsed as JSON (what skiff's producers publish), else the text itself, so a
 * foreign message fails the queue's schema and is dead-lettered rather than retried.
 *
 * @example
 * ```ts
 * messageBody({ data: btoa('{"orderId":"o1"}') }) // { orderId: "o1" }
 * ```
 */
export function messageBody(message: PubsubMessage): unknown {
  const text = messageText(message);
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * @internal When the message was published (ms), from `publishTime`, else the event's `time`, else now.
 *
 * @example
 * ```ts
 * publishedAt({ publishTime: "2026-01-02T09:00:01Z" }, event) // 1767344401000
 * ```
 */
export function publishedAt(message: PubsubMessage, event: GcpCloudEvent): number {
  for (const value of [message.publishTime, message.publish_time, event.time]) {
    const ms = value ? Date.parse(value) : Number.NaN;
    if (Number.isFinite(ms)) return ms;
  }
  return Date.now();
}

import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { QueueHandler } from "../types.js";
import { platformChanges } from "./normalize.js";
import type { StorageEvent, StorageRegistration } from "./types.js";
import type { BucketChange } from "../../bindings/buckets/types.js";

/**
 * The internal queue that carries the changes of one bucket to its storage handlers, on every platform: R2 event
 * notifications and S3 notifications are configured to send to it, local buckets send to it, and its consumer runs
 * the handlers, so storage handlers get the queue contract (retries, `maxRetries`, dead letter) and no other.
 *
 * @example
 * ```ts
 * storageQueue("uploads") // "skiff-storage-uploads"
 * ```
 */
export function storageQueue(bucket: string): string {
  return `${STORAGE_QUEUE_PREFIX}${bucket}`;
}

/** The prefix of every internal storage queue's name. */
export const STORAGE_QUEUE_PREFIX = "skiff-storage-";

/**
 * @internal The message a local bucket sends to its queue for a change: skiff's own storage event, which the queue's
 * schema reads like any platform's.
 *
 * @example
 * ```ts
 * await transport.send([{ body: localEvent("uploads", change) }]);
 * ```
 */
export function localEvent(bucket: string, change: BucketChange): Record<string, unknown> {
  return { skiff: "storage", bucket, ...change, time: change.time.toISOString() };
}

const schemas = new Map<string, StandardSchemaV1<unknown, StorageEvent[]>>();

/**
 * @internal The schema of a bucket's queue: any storage payload skiff reads (see `platformChanges`), turned into
 * the bucket's {@link StorageEvent}s. One per bucket name (a pure value, shared), so an app and a mounted sub-app
 * declare the same schema for the same bucket.
 *
 * @example
 * ```ts
 * storageSchema("uploads")["~standard"].validate(r2Message) // { value: [{ bucket: "uploads", key, ... }] }
 * ```
 */
export function storageSchema(bucket: string): StandardSchemaV1<unknown, StorageEvent[]> {
  let schema = schemas.get(bucket);
  if (!schema) {
    schema = {
      "~standard": {
        version: 1,
        vendor: "skiff",
        validate(value) {
          const changes = platformChanges(value);
          if (!changes)
            return {
              issues: [
                {
                  message: `not a storage event skiff reads (S3 notification, SNS or EventBridge S3 event, R2 event notification, or skiff's own) for bucket "${bucket}"`,
                },
              ],
            };
          return { value: changes.map((c) => ({ ...c, bucket })) };
        },
      },
    };
    schemas.set(bucket, schema);
  }
  return schema;
}

/**
 * @internal Whether a registration wants a change: its event kinds, and its key prefix and suffix.
 *
 * @example
 * ```ts
 * wants({ events: ["created"], prefix: "photos/", suffix: ".png" }, event)
 * ```
 */
export function wants(
  registration: Pick<StorageRegistration, "events" | "prefix" | "suffix">,
  event: StorageEvent,
): boolean {
  return (
    registration.events.includes(event.event) &&
    event.key.startsWith(registration.prefix) &&
    event.key.endsWith(registration.suffix)
  );
}

const consumers = new WeakSet<object>();

/**
 * @internal The consumer of a bucket's queue: each change of a message runs every handler that wants it, in
 * registration order. A throw retries the whole message (so handlers that already ran see it again: at least once).
 *
 * @example
 * ```ts
 * registry.addQueue({ name: storageQueue("uploads"), kind: "message", handler: storageConsumer(() => registry.storage.get("uploads") ?? []), options });
 * ```
 */
export function storageConsumer(handlers: () => readonly StorageRegistration[]): QueueHandler<unknown> {
  const consume: QueueHandler<unknown> = async (message, ctx) => {
    for (const event of message.body as StorageEvent[])
      for (const registration of handlers())
        if (wants(registration, event)) await registration.handler(event, ctx);
  };
  consumers.add(consume);
  return consume;
}

/** @internal Whether a queue handler is a storage consumer (registered by `app.storage`, not by the user). */
export function isStorageConsumer(handler: unknown): boolean {
  return typeof handler === "function" && consumers.has(handler);
}

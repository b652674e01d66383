// Every shape a storage change reaches skiff in, turned into one: S3 event notifications (direct, in SQS, in an SNS
// envelope, the s3:TestEvent), S3 events on EventBridge, R2 event notifications, and skiff's own local events.
import type { StorageEventName } from "./types.js";

/**
 * A change as read from a platform's payload, before the bucket's app name is known: `bucket` is the platform's
 * bucket name (empty for skiff's own events, which travel on the bucket's queue).
 *
 * @example
 * ```ts
 * const change: PlatformChange = { bucket: "acme-uploads", key: "a b.png", size: 3, etag: "e", event: "created", time: new Date(0) };
 * ```
 */
export interface PlatformChange {
  bucket: string;
  key: string;
  size: number | null;
  etag: string | null;
  event: StorageEventName;
  time: Date;
}

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const unquote = (v: unknown): string | null => (typeof v === "string" && v ? v.replace(/^"|"$/g, "") : null);
const when = (v: unknown): Date => {
  const date = new Date(typeof v === "number" || typeof v === "string" ? v : Number.NaN);
  return Number.isNaN(date.getTime()) ? new Date() : date;
};

/**
 * @internal A key from an S3 event notification: URL-encoded, with `+` for a space
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html).
 *
 * @example
 * ```ts
 * decodeS3Key("photos/my+cat%2B1.png") // "photos/my cat+1.png"
 * ```
 */
export function decodeS3Key(key: string): string {
  const spaced = key.replace(/\+/g, " ");
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced; // not valid percent-encoding: keep the key as sent
  }
}

// https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-event-types-and-destinations.html
function s3EventName(name: string): StorageEventName | undefined {
  if (name.startsWith("ObjectCreated:")) return "created";
  if (name.startsWith("ObjectRemoved:") || name.startsWith("LifecycleExpiration:")) return "deleted";
  return undefined; // restores, replication, tagging, ACL, transitions: not a change of the object's content
}

// https://developers.cloudflare.com/r2/buckets/event-notifications/#message-format
const R2_ACTIONS: Readonly<Record<string, StorageEventName>> = {
  PutObject: "created",
  CopyObject: "created",
  CompleteMultipartUpload: "created",
  DeleteObject: "deleted",
  LifecycleDeletion: "deleted",
};

// https://docs.aws.amazon.com/AmazonS3/latest/userguide/EventBridge.html
const EVENTBRIDGE_TYPES: Readonly<Record<string, StorageEventName>> = {
  "Object Created": "created",
  "Object Deleted": "deleted",
};

/**
 * The changes a payload carries (possibly none: an `s3:TestEvent`, a restore), or `undefined` when it is no
 * storage payload skiff knows, which makes the bucket's queue schema refuse it (dead letter, never a retry loop).
 * An SNS envelope's `Message` is read as the S3 event it wraps.
 *
 * @example
 * ```ts
 * platformChanges({ Records: [{ eventSource: "aws:s3", eventName: "ObjectCreated:Put", eventTime: "2026-01-01T00:00:00Z",
 *   s3: { bucket: { name: "acme" }, object: { key: "a+b", size: 3, eTag: "e" } } }] });
 * // [{ bucket: "acme", key: "a b", size: 3, etag: "e", event: "created", time: 2026-01-01T00:00:00.000Z }]
 * ```
 */
export function platformChanges(payload: unknown, depth = 0): PlatformChange[] | undefined {
  if (!isRecord(payload)) return undefined;
  // skiff's own event, sent by local buckets and by the Lambda adapter for direct S3 and EventBridge invocations.
  if (payload.skiff === "storage") {
    const key = str(payload.key);
    const event = payload.event === "created" || payload.event === "deleted" ? payload.event : undefined;
    if (!key || !event) return undefined;
    return [
      {
        bucket: str(payload.bucket) ?? "",
        key,
        size: num(payload.size),
        etag: unquote(payload.etag),
        event,
        time: when(payload.time),
      },
    ];
  }
  if (Array.isArray(payload.Records)) {
    const changes: PlatformChange[] = [];
    for (const record of payload.Records) {
      if (!isRecord(record)) return undefined;
      if (record.eventSource !== "aws:s3") {
        // An SNS record of a direct SNS invocation wraps the S3 event in Sns.Message.
        const sns = isRecord(record.Sns) ? record.Sns : undefined;
        const inner = sns && depth < 2 ? fromSnsMessage(sns.Message, depth) : undefined;
        if (!inner) return undefined;
        changes.push(...inner);
        continue;
      }
      const s3 = isRecord(record.s3) ? record.s3 : {};
      const object = isRecord(s3.object) ? s3.object : {};
      const bucket = isRecord(s3.bucket) ? str(s3.bucket.name) : undefined;
      const key = str(object.key);
      if (!bucket || key === undefined) return undefined;
      const event = s3EventName(str(record.eventName) ?? "");
      if (!event) continue;
      changes.push({
        bucket,
        key: decodeS3Key(key),
        size: event === "created" ? num(object.size) : null,
        etag: event === "created" ? unquote(object.eTag) : null,
        event,
        time: when(record.eventTime),
      });
    }
    return changes;
  }
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html (test message)
  if (payload.Event === "s3:TestEvent") return [];
  if (payload.Type === "Notification" && depth < 2) return fromSnsMessage(payload.Message, depth);
  if (payload.source === "aws.s3" && typeof payload["detail-type"] === "string") {
    const detail = isRecord(payload.detail) ? payload.detail : {};
    const object = isRecord(detail.object) ? detail.object : {};
    const bucket = isRecord(detail.bucket) ? str(detail.bucket.name) : undefined;
    const key = str(object.key);
    if (!bucket || key === undefined) return undefined;
    const event = EVENTBRIDGE_TYPES[payload["detail-type"]];
    if (!event) return [];
    // Read as sent: AWS documents URL-encoding for the notification records, and its EventBridge examples show raw keys.
    return [
      {
        bucket,
        key,
        size: event === "created" ? num(object.size) : null,
        etag: event === "created" ? unquote(object.etag) : null,
        event,
        time: when(payload.time),
      },
    ];
  }
  if (typeof payload.action === "string" && isRecord(payload.object) && typeof payload.bucket === "string") {
    const key = str(payload.object.key);
    if (key === undefined) return undefined;
    const event = R2_ACTIONS[payload.action];
    if (!event) return [];
    return [
      {
        bucket: payload.bucket,
        key,
        size: event === "created" ? num(payload.object.size) : null,
        etag: event === "created" ? unquote(payload.object.eTag) : null,
        event,
        time: when(payload.eventTime),
      },
    ];
  }
  return undefined;
}

function fromSnsMessage(message: unknown, depth: number): PlatformChange[] | undefined {
  if (typeof message !== "string") return undefined;
  try {
    return platformChanges(JSON.parse(message) as unknown, depth + 1);
  } catch {
    return undefined;
  }
}

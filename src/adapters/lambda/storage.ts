import { ConfigError } from "../../errors.js";
import { storageQueue } from "../../triggers/storage/consumer.js";
import { platformChanges } from "../../triggers/storage/normalize.js";
import type { TriggerRegistry } from "../../triggers/registry.js";
import type { SkiffRuntime } from "../../runtime.js";
import type { LambdaBindingsOptions } from "./options.js";

/**
 * The storage event kinds a Lambda function is invoked with directly: an S3 notification
 * (`Records[].eventSource "aws:s3"`, https://docs.aws.amazon.com/lambda/latest/dg/with-s3.html), one delivered by SNS
 * (`Records[].EventSource "aws:sns"`, the S3 event in `Sns.Message`), an S3 event on EventBridge (`source
 * "aws.s3"`), and the `s3:TestEvent` S3 sends when a notification is configured. Queue-borne ones (S3 → SQS,
 * S3 → SNS → SQS) arrive as SQS batches instead and go through the bucket's queue like any message.
 *
 * @example
 * ```ts
 * storageEventKind({ Records: [{ eventSource: "aws:s3" }] }) // "s3"
 * ```
 */
export type LambdaStorageKind = "s3" | "sns" | "eventbridge" | "s3-test";

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** @internal Which direct storage event `event` is, by shape, or undefined. */
export function storageEventKind(event: unknown): LambdaStorageKind | undefined {
  if (!isRecord(event)) return undefined;
  const records = event.Records;
  if (Array.isArray(records) && records.length > 0) {
    if (records.every((r) => isRecord(r) && r.eventSource === "aws:s3")) return "s3";
    if (records.every((r) => isRecord(r) && r.EventSource === "aws:sns")) return "sns";
    return undefined;
  }
  if (event.source === "aws.s3" && typeof event["detail-type"] === "string" && isRecord(event.detail))
    return "eventbridge";
  if (event.Event === "s3:TestEvent") return "s3-test";
  return undefined;
}

/**
 * The environment variable that names the S3 bucket behind an app bucket: `SKIFF_BUCKET_` and the name in upper snake
 * case. The generated SAM template sets it (`Ref` of the bucket); `toLambda(app, { buckets })` overrides it.
 *
 * @example
 * ```ts
 * bucketVariable("uploads") // "SKIFF_BUCKET_UPLOADS"
 * ```
 */
export function bucketVariable(bucket: string): string {
  return `SKIFF_BUCKET_${bucket.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
}

/**
 * @internal The S3 bucket name of an app bucket: `toLambda(app, { buckets })`, else `SKIFF_BUCKET_<NAME>`, else the
 * declaration's `name`, else the app's name.
 */
export function s3BucketName(
  registry: TriggerRegistry,
  bucket: string,
  env: Record<string, unknown>,
  options: LambdaBindingsOptions,
): string {
  const variable = env[bucketVariable(bucket)];
  return (
    options.buckets?.[bucket] ??
    (typeof variable === "string" && variable.trim() ? variable.trim() : undefined) ??
    registry.buckets.get(bucket)?.name ??
    bucket
  );
}

/**
 * Forwards a directly invoked storage event (S3, SNS, EventBridge) to the queue of each bucket it names, as skiff's
 * own storage events, and returns: the queue's consumer then runs the handlers with the queue contract (retries,
 * `maxRetries`, dead letter), which Lambda's asynchronous invocation cannot give (at most 2 retries, no
 * attempt count). A send that fails throws, so Lambda retries the invocation. An `s3:TestEvent` is acknowledged.
 * A bucket the app does not declare throws a ConfigError naming the mapping to fix.
 *
 * @example
 * ```ts
 * await forwardStorageEvent(runtime, event, (bucket) => s3BucketName(app.triggers, bucket, env, options));
 * ```
 */
export async function forwardStorageEvent(
  runtime: SkiffRuntime,
  event: unknown,
  platformName: (bucket: string) => string,
): Promise<void> {
  const changes = platformChanges(event);
  if (changes === undefined)
    throw new ConfigError("toLambda received a storage event it cannot read (no bucket or key)");
  const byPlatformName = new Map<string, string>();
  for (const bucket of runtime.registry.buckets.keys()) byPlatformName.set(platformName(bucket), bucket);
  const sends = new Map<string, unknown[]>();
  for (const change of changes) {
    const bucket = byPlatformName.get(change.bucket);
    if (bucket === undefined) {
      const known = [...byPlatformName].map(([s3, app]) => `${s3} → ${app}`).join(", ") || "none";
      throw new ConfigError(
        `toLambda received an event of S3 bucket "${change.bucket}", which is none of the app's buckets (${known}); set SKIFF_BUCKET_<NAME> or toLambda(app, { buckets: { <name>: "${change.bucket}" } })`,
      );
    }
    if (!runtime.registry.queues.has(storageQueue(bucket))) {
      runtime.log.warn("storage event for a bucket without app.storage() handlers; ignored", {
        bucket,
        key: change.key,
      });
      continue;
    }
    const body = { skiff: "storage", ...change, bucket, time: change.time.toISOString() };
    sends.set(bucket, [...(sends.get(bucket) ?? []), body]);
  }
  for (const [bucket, bodies] of sends)
    for (let i = 0; i < bodies.length; i += 10)
      await runtime.transport(storageQueue(bucket)).send(bodies.slice(i, i + 10).map((body) => ({ body })));
}

import { queueNameMap } from "../../bindings/queues/names.js";
import { SkiffError } from "../../errors.js";
import type { TriggerRegistry } from "../../triggers/registry.js";
import type { HttpRequestOptions } from "./http/types.js";

/**
 * What the Lambda bindings are made from. `env` defaults to `process.env`, which is where Lambda puts the
 * function's configuration and credentials.
 *
 * @example
 * ```ts
 * const bindings = lambdaBindings(app, { env: process.env, queueUrls: { orders: "https://sqs.eu-west-1.amazonaws.com/123456789012/orders" } });
 * ```
 */
export interface LambdaBindingsOptions {
  env?: Record<string, string | undefined>;
  queueUrls?: Readonly<Record<string, string>>;
  /** The S3 bucket of each app bucket. Default: `SKIFF_BUCKET_<NAME>`, else the declaration's `name`, else the app's name. */
  buckets?: Readonly<Record<string, string>>;
  /**
   * Where the buckets are when not on AWS S3 in the function's region: an S3-compatible `endpoint` (MinIO, R2's S3
   * API; requests are then path-style unless `pathStyle: false`), and the `region` to sign for. Default: S3 in
   * `AWS_REGION`, virtual-hosted.
   */
  s3?: { endpoint?: string; region?: string; pathStyle?: boolean };
}

/**
 * How SQS batches map onto the app's queues. `queueNames` maps an SQS queue name (the last segment of
 * `eventSourceARN`, with or without `.fifo`) to the app's queue name; without an override, the app queue whose
 * configured URL ends in that name, else the same name, `.fifo` removed.
 * `retryDelay: "visibility"` (the default) honours `retry({ delaySeconds })` with ChangeMessageVisibilityBatch;
 * `"ignore"` leaves every retry to the queue's visibility timeout.
 *
 * @example
 * ```ts
 * const options: SqsOptions = { queueNames: { "shop-prod-orders": "orders" }, retryDelay: "visibility" };
 * ```
 */
export interface SqsOptions {
  queueNames?: Readonly<Record<string, string>>;
  retryDelay?: "visibility" | "ignore";
}

/**
 * Options of {@link toLambda}: where bindings come from (`env`, `queueUrls`), how SQS queue names map to the app's
 * (`queueNames`) and how retry delays are honoured (`retryDelay`), how HTTP paths are read behind a custom
 * domain (`http.stripBasePath`, `http.stripStage`), and whether Function URL responses stream (`stream`).
 *
 * @example
 * ```ts
 * export const handler = toLambda(app, {
 *   queueNames: { "shop-prod-orders": "orders" },
 *   queueUrls: { orders: "https://sqs.eu-west-1.amazonaws.com/123456789012/shop-prod-orders" },
 *   http: { stripBasePath: "/shop" },
 * });
 * ```
 */
export interface LambdaOptions extends LambdaBindingsOptions, SqsOptions {
  http?: HttpRequestOptions;
  /** Buffered responses (the default); `toLambda(app, { stream: true })` takes {@link LambdaStreamOptions}. */
  stream?: false;
}

/**
 * Options of a streaming {@link toLambda} handler: Function URL responses stream (the URL's `InvokeMode` must be
 * `RESPONSE_STREAM`). The handler is wrapped with `awslambda.streamifyResponse` and each body chunk reaches the
 * client as the app writes it, so an SSE route streams instead of being buffered.
 *
 * @example
 * ```ts
 * const options: LambdaStreamOptions = { stream: true, http: { stripBasePath: "/shop" } };
 * export const handler = toLambda(app, options);
 * ```
 */
export interface LambdaStreamOptions extends Omit<LambdaOptions, "stream"> {
  stream: true;
}

/**
 * @internal Checks {@link LambdaOptions} once, at setup, against the app's declared queues: a bad option throws
 * naming it, instead of failing when the first event arrives.
 *
 * @example
 * ```ts
 * validateLambdaOptions(app.triggers, { retryDelay: "ignore" });
 * ```
 */
export function validateLambdaOptions(
  registry: TriggerRegistry,
  options: LambdaOptions | LambdaStreamOptions,
): void {
  if (
    options.retryDelay !== undefined &&
    options.retryDelay !== "visibility" &&
    options.retryDelay !== "ignore"
  ) {
    throw new SkiffError(
      `toLambda: retryDelay must be "visibility" or "ignore" (got ${JSON.stringify(options.retryDelay)})`,
    );
  }
  for (const [queue, url] of Object.entries(options.queueUrls ?? {})) {
    if (typeof url !== "string" || !/^https?:\/\//.test(url))
      throw new SkiffError(`toLambda: queueUrls["${queue}"] must be an http(s) URL`);
  }
  for (const [bucket, name] of Object.entries(options.buckets ?? {})) {
    if (!registry.buckets.has(bucket))
      throw new SkiffError(`toLambda: buckets.${bucket} names a bucket the app does not declare`);
    if (typeof name !== "string" || !name)
      throw new SkiffError(`toLambda: buckets.${bucket} must be an S3 bucket name`);
  }
  if (options.s3?.endpoint !== undefined && !/^https?:\/\//.test(options.s3.endpoint))
    throw new SkiffError("toLambda: s3.endpoint must be an http(s) URL");
  // A queueNames entry that names an undeclared queue fails here, at setup, not when its first batch arrives.
  queueNameMap(registry.schemas, options.queueNames, "toLambda: queueNames");
}

import type { Env } from "hono";
import type { Schema } from "hono/types";
import type { Skiff } from "../../app.js";
import type { QueueSchemas } from "../../types.js";
import { createInvoker, type LambdaApp } from "./_invoke.js";
import { handleHttpEvent } from "./http/handle.js";
import { type LambdaOptions, type LambdaStreamOptions, validateLambdaOptions } from "./options.js";
import { type LambdaStreamingHandler, streamingHandler } from "./stream.js";
import type { LambdaHandler } from "./types.js";

/**
 * Turns a skiff app into one Lambda handler for every trigger the app declares. The event's shape says what it is:
 * API Gateway REST, HTTP API, Function URL and ALB requests go to the app's routes; an SQS batch goes to the queue's
 * consumer and answers `{ batchItemFailures }`; an EventBridge rule's Scheduled Event or a Scheduler input runs the
 * `app.cron()` handlers of its expression (rejecting when one fails, so EventBridge retries). In an app with
 * `app.storage()` handlers, an S3 notification (direct, via SNS, or on EventBridge) is forwarded to the bucket's
 * queue, whose SQS batches run the handlers (docs/storage.md). Anything else (streams, unknown) is rejected with an
 * error naming the kind of event.
 *
 * Bindings are created once per execution environment, on the first invocation; the database URL is read at the
 * first query. Work passed to `waitUntil` is awaited before the handler resolves, because Lambda freezes the
 * process as soon as it has. With `{ stream: true }` the handler is a streaming one (see
 * {@link LambdaStreamOptions}); it needs Lambda's `awslambda` global, and throws where there is none.
 *
 * @example
 * ```ts
 * import { toLambda } from "skiff/lambda";
 * import { app } from "./app.js";
 *
 * export const handler = toLambda(app);
 * // or, for a Function URL with InvokeMode RESPONSE_STREAM:
 * export const streaming = toLambda(app, { stream: true });
 * ```
 */
export function toLambda<E extends Env, Q extends QueueSchemas, S extends Schema, B extends string>(
  app: Skiff<E, Q, S, B>,
  options: LambdaStreamOptions,
): LambdaStreamingHandler;
export function toLambda<E extends Env, Q extends QueueSchemas, S extends Schema, B extends string>(
  app: Skiff<E, Q, S, B>,
  options?: LambdaOptions,
): LambdaHandler;
export function toLambda<E extends Env, Q extends QueueSchemas, S extends Schema, B extends string>(
  app: Skiff<E, Q, S, B>,
  options: LambdaOptions | LambdaStreamOptions = {},
): LambdaHandler | LambdaStreamingHandler {
  validateLambdaOptions(app.triggers, options);
  // The app's generics only matter to its callers; the invoker needs its triggers, options and fetch.
  const invoke = createInvoker(app as unknown as LambdaApp, options);
  if (options.stream === true) return streamingHandler(invoke, options.http);
  const handler: LambdaHandler = async (event, context) =>
    invoke(event, context, (httpEvent, _kind, fetch) => handleHttpEvent(httpEvent, fetch, options.http));
  return handler;
}

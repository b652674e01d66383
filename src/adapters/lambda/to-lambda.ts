import type { Env } from "hono";
import type { Schema } from "hono/types";
import type { Skiff } from "../../app.js";
import { SkiffError } from "../../errors.js";
import type { QueueSchemas } from "../../types.js";
import { createInvoker, type LambdaApp } from "./_invoke.js";
import type { LambdaBindingsOptions } from "./bindings.js";
import { handleHttpEvent } from "./http/handle.js";
import type { HttpRequestOptions, HttpResult } from "./http/types.js";
import type { SqsOptions } from "./sqs.js";
import { type LambdaStreamingHandler, streamingHandler } from "./stream.js";
import type { LambdaContext, SqsBatchResponse } from "./types.js";
import { queueNameMap } from "../../bindings/queues/names.js";

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
 * What the handler resolves with: the HTTP result in the shape of the source that called (API Gateway REST, HTTP
 * API or Function URL, ALB), the partial batch response for SQS, and nothing for a schedule.
 *
 * @example
 * ```ts
 * const result: LambdaResult = await handler(event);
 * ```
 */
export type LambdaResult = HttpResult | SqsBatchResponse | undefined;

/**
 * A Lambda Node.js handler (https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html): async, so Lambda
 * waits for the promise and freezes the environment once it settles.
 *
 * @example
 * ```ts
 * export const handler: LambdaHandler = toLambda(app);
 * ```
 */
export type LambdaHandler = (event: unknown, context?: LambdaContext) => Promise<LambdaResult>;

/**
 * Turns a skiff app into one Lambda handler for every trigger the app declares. The event's shape says what it is:
 * API Gateway REST, HTTP API, Function URL and ALB requests go to the app's routes; an SQS batch goes to the queue's
 * consumer and answers `{ batchItemFailures }`; an EventBridge rule's Scheduled Event or a Scheduler input runs the
 * `app.cron()` handlers of its expression (rejecting when one fails, so EventBridge retries). Anything else (S3,
 * SNS, streams, unknown) is rejected with an error naming the kind of event.
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
  // A queueNames entry that names an undeclared queue fails here, at setup, not when its first batch arrives.
  queueNameMap(app.triggers.schemas, options.queueNames, "toLambda: queueNames");
  // The app's generics only matter to its callers; the invoker needs its triggers, options and fetch.
  const invoke = createInvoker(app as unknown as LambdaApp, options);
  if (options.stream === true) return streamingHandler(invoke, options.http);
  const handler: LambdaHandler = async (event, context) =>
    invoke(event, context, (httpEvent, _kind, fetch) => handleHttpEvent(httpEvent, fetch, options.http));
  return handler;
}

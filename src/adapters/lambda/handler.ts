import type { Env } from "hono";
import type { Schema } from "hono/types";
import type { Skiff } from "../../app.js";
import { SkiffError } from "../../errors.js";
import { runtimeContext } from "../../runtime.js";
import { type CronEvent, cronKey } from "../../triggers/cron.js";
import { dispatchCron } from "../../triggers/dispatch-cron.js";
import type { TriggerRegistry } from "../../triggers/registry.js";
import type { QueueSchemas } from "../../types.js";
import { WaitUntilTracker } from "../../wait-until.js";
import { type LambdaBindings, type LambdaBindingsOptions, lambdaBindings } from "./bindings.js";
import { describeEvent, detectLambdaEvent } from "./detect.js";
import { handleHttpEvent } from "./http/handle.js";
import type { HttpRequestOptions, HttpResult } from "./http/types.js";
import { inputCronEvent, ruleCronEvent } from "./schedule.js";
import { handleSqsEvent, type SqsOptions } from "./sqs.js";
import type { LambdaContext, ScheduledEvent, ScheduleInput, SqsBatchResponse, SqsEvent } from "./types.js";

/**
 * Options of {@link toLambda}: where bindings come from (`env`, `queueUrls`), how SQS queue names map to the app's
 * (`queueNames`) and how retry delays are honoured (`retryDelay`), and how HTTP paths are read behind a custom
 * domain (`http.stripBasePath`, `http.stripStage`).
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
 * Bindings are created once per execution environment, on the first invocation. Work passed to `waitUntil` is
 * awaited before the handler resolves, because Lambda freezes the process as soon as it has.
 *
 * @example
 * ```ts
 * import { toLambda } from "skiff/lambda";
 * import { app } from "./app.js";
 *
 * export const handler = toLambda(app);
 * ```
 */
export function toLambda<E extends Env, Q extends QueueSchemas, S extends Schema, B extends string>(
  app: Skiff<E, Q, S, B>,
  options: LambdaOptions = {},
): LambdaHandler {
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
  let bindings: LambdaBindings | undefined;

  return async function handler(event, context) {
    const kind = detectLambdaEvent(event);
    if (kind === undefined) {
      throw new SkiffError(
        `toLambda received ${describeEvent(event)}, which skiff does not route: it handles API Gateway (REST and HTTP API), Function URL, ALB, SQS and EventBridge schedule events`,
      );
    }
    bindings ??= lambdaBindings(app, options);
    const { runtime } = bindings;
    const log = context?.awsRequestId
      ? runtime.log.child({ awsRequestId: context.awsRequestId })
      : runtime.log;
    const tracker = new WaitUntilTracker(log);
    try {
      if (kind === "sqs")
        return await handleSqsEvent(app.triggers, bindings, event as SqsEvent, tracker.waitUntil, options);
      if (kind === "schedule-rule" || kind === "schedule-input") {
        const fired =
          kind === "schedule-rule"
            ? ruleCronEvent(event as ScheduledEvent)
            : inputCronEvent(event as ScheduleInput);
        await dispatchCron(app.triggers, runtime, asRegistered(app.triggers, fired), tracker.waitUntil);
        return undefined;
      }
      const { env } = bindings;
      return await handleHttpEvent(
        event,
        (request) => app.fetch(request, env, runtimeContext(runtime, tracker)),
        options.http,
      );
    } finally {
      await tracker.settle();
    }
  };
}

// Handlers see the expression as they registered it ("0 9 * * *"), whatever spacing the schedule carried.
function asRegistered(registry: TriggerRegistry, event: CronEvent): CronEvent {
  const registered = registry.crons.get(cronKey(event.cron))?.[0]?.expression;
  return registered === undefined ? event : { ...event, cron: registered };
}

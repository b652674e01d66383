// One invocation of the Lambda handler, whatever answers it (a buffered result or a response stream). Internal:
// used by to-lambda.ts and stream.ts.
import type { ExecutionContext } from "hono";
import { runtimeContext } from "../../runtime.js";
import { WaitUntilTracker } from "../../wait-until.js";
import { detectLambdaEvent, unroutedEventError } from "./detect.js";
import type { HttpEventKind } from "./http/types.js";
import type { LambdaBindingsOptions, SqsOptions } from "./options.js";
import { type LambdaBindings, lambdaBindings } from "./runtime.js";
import { handleScheduleEvent } from "./schedule.js";
import { handleSqsEvent } from "./sqs.js";
import { forwardStorageEvent, s3BucketName, storageEventKind } from "./storage.js";
import type { LambdaContext, SqsBatchResponse, SqsEvent } from "./types.js";

/**
 * @internal What the invoker needs of a skiff app: its triggers and options, and its `fetch`.
 *
 * @example
 * ```ts
 * const invoke = createInvoker(app as unknown as LambdaApp, {});
 * ```
 */
export type LambdaApp = Parameters<typeof lambdaBindings>[0] & {
  fetch(request: Request, env: Record<string, unknown>, ctx: ExecutionContext): Response | Promise<Response>;
};

/**
 * @internal How an HTTP event is answered: `fetch` runs the app on a `Request` with this invocation's runtime.
 *
 * @example
 * ```ts
 * const buffered: ServeHttp<HttpResult> = (event, _kind, fetch) => handleHttpEvent(event, fetch);
 * ```
 */
export type ServeHttp<R> = (
  event: unknown,
  kind: HttpEventKind,
  fetch: (request: Request) => Promise<Response>,
) => Promise<R>;

/**
 * @internal Runs one event: HTTP through `serveHttp`, SQS batches and schedules as toLambda documents.
 *
 * @example
 * ```ts
 * const result = await invoke(event, context, (e, _kind, fetch) => handleHttpEvent(e, fetch));
 * ```
 */
export type Invoke = <R>(
  event: unknown,
  context: LambdaContext | undefined,
  serveHttp: ServeHttp<R>,
) => Promise<R | SqsBatchResponse | undefined>;

/**
 * @internal The invoker of one execution environment. Bindings are made on the first routed event (never at
 * import, never for an event that is refused), then reused; `waitUntil` work is awaited before the invocation
 * settles, because Lambda freezes the process as soon as it has.
 *
 * @example
 * ```ts
 * const invoke = createInvoker(app, { env: process.env });
 * ```
 */
export function createInvoker(app: LambdaApp, options: LambdaBindingsOptions & SqsOptions): Invoke {
  let bindings: LambdaBindings | undefined;
  // S3, SNS and EventBridge storage events are routed only for an app with app.storage() handlers; for any other
  // they stay refused with the kind named, as before.
  const storageKind = (event: unknown): "storage" | undefined =>
    app.triggers.storage.size > 0 && storageEventKind(event) !== undefined ? "storage" : undefined;
  return async function invoke(event, context, serveHttp) {
    const kind = detectLambdaEvent(event) ?? storageKind(event);
    if (kind === undefined) throw unroutedEventError(event);
    bindings ??= lambdaBindings(app, options);
    const { runtime, env } = bindings;
    const log = context?.awsRequestId
      ? runtime.log.child({ awsRequestId: context.awsRequestId })
      : runtime.log;
    const tracker = new WaitUntilTracker(log);
    try {
      if (kind === "storage") {
        const { env: bindingEnv } = bindings;
        await forwardStorageEvent(runtime, event, (bucket) =>
          s3BucketName(app.triggers, bucket, bindingEnv, options),
        );
        return undefined;
      }
      if (kind === "sqs")
        return await handleSqsEvent(bindings, event as SqsEvent, tracker.waitUntil, options);
      if (kind === "schedule-rule" || kind === "schedule-input") {
        await handleScheduleEvent(runtime, event, kind, tracker.waitUntil);
        return undefined;
      }
      return await serveHttp(event, kind, async (request) =>
        app.fetch(request, env, runtimeContext(runtime, tracker)),
      );
    } finally {
      await tracker.settle();
    }
  };
}

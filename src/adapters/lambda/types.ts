/**
 * Minimal shapes of the non-HTTP Lambda events skiff routes (SQS, EventBridge schedules) and of what it returns,
 * written here so skiff needs no `@types/aws-lambda`. Only the fields the adapter reads are named; real events
 * (see test/fixtures/aws-lambda-events) carry more and still assign.
 */

import type { HttpResult } from "./http/types.js";

/**
 * One SQS message as the Lambda event source mapping delivers it
 * (https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html#example-standard-queue-message-event).
 * `attributes.ApproximateReceiveCount` is 1 on first delivery; FIFO records also carry `MessageGroupId`.
 *
 * @example
 * ```ts
 * const record: SqsRecord = {
 *   messageId: "m1", receiptHandle: "rh1", body: '{"orderId":"o1"}', eventSource: "aws:sqs",
 *   eventSourceARN: "arn:aws:sqs:us-east-1:123456789012:orders", attributes: { ApproximateReceiveCount: "1" },
 * };
 * ```
 */
export interface SqsRecord {
  messageId: string;
  receiptHandle: string;
  body: string;
  attributes: {
    ApproximateReceiveCount?: string;
    SentTimestamp?: string;
    MessageGroupId?: string;
    [attribute: string]: string | undefined;
  };
  messageAttributes?: Record<string, unknown>;
  eventSource: string;
  eventSourceARN: string;
  awsRegion?: string;
}

/**
 * A batch of SQS messages from one queue.
 *
 * @example
 * ```ts
 * const event: SqsEvent = { Records: [record] };
 * ```
 */
export interface SqsEvent {
  Records: SqsRecord[];
}

/**
 * The partial batch response: the messages to retry, by `messageId`. Lambda deletes every other message of the
 * batch. It is only read when the event source mapping has `FunctionResponseTypes: ["ReportBatchItemFailures"]`;
 * without that setting Lambda ignores it and deletes the whole batch
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html#services-sqs-batchfailurereporting).
 *
 * @example
 * ```ts
 * const response: SqsBatchResponse = { batchItemFailures: [{ itemIdentifier: "m2" }] };
 * ```
 */
export interface SqsBatchResponse {
  batchItemFailures: Array<{ itemIdentifier: string }>;
}

/**
 * What an EventBridge rule with a schedule expression sends when the target has no `Input` configured
 * (https://docs.aws.amazon.com/lambda/latest/dg/with-scheduled-events.html).
 * `resources[0]` is the rule's ARN; skiff reads the cron expression from the rule's name (see
 * `scheduleRuleName`).
 *
 * @example
 * ```ts
 * const event: ScheduledEvent = {
 *   id: "890abcde-f123-4567-890a-bcdef1234567", "detail-type": "Scheduled Event", source: "aws.events",
 *   time: "2026-01-02T09:00:00Z", resources: ["arn:aws:events:us-east-1:123456789012:rule/shop-cron-0_9_.x_.x_.x"],
 * };
 * ```
 */
export interface ScheduledEvent {
  version?: string;
  id: string;
  "detail-type": string;
  source: string;
  account?: string;
  time: string;
  region?: string;
  resources: string[];
  detail?: unknown;
}

/**
 * The input skiff expects from an EventBridge Scheduler schedule (which sends only its configured `Input`,
 * https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-targets.html) or from a rule target with an
 * `Input`/`InputTransformer`. `cron` is the expression exactly as registered with `app.cron()`. `scheduledTime` is
 * an ISO time or ms since the epoch; Scheduler fills `"<aws.scheduler.scheduled-time>"` and
 * `"<aws.scheduler.execution-id>"` in for you
 * (https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-context-attributes.html).
 *
 * @example
 * ```ts
 * const input: ScheduleInput = {
 *   skiff: "cron", cron: "0 9 * * *",
 *   scheduledTime: "<aws.scheduler.scheduled-time>", executionId: "<aws.scheduler.execution-id>",
 * };
 * ```
 */
export interface ScheduleInput {
  skiff: "cron";
  cron: string;
  scheduledTime?: string | number;
  executionId?: string;
}

/**
 * The part of Lambda's context object skiff reads (https://docs.aws.amazon.com/lambda/latest/dg/nodejs-context.html).
 * Optional, so a harness or a test may call the handler with the event alone.
 *
 * @example
 * ```ts
 * await handler(event, { awsRequestId: "c6af9ac6-7b61-11e6-9a41-93e8deadbeef" });
 * ```
 */
export interface LambdaContext {
  awsRequestId?: string;
  functionName?: string;
  getRemainingTimeInMillis?: () => number;
  [field: string]: unknown;
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

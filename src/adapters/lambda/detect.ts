import { detectHttpEvent } from "./http/detect.js";
import type { HttpEventKind } from "./http/types.js";

/**
 * Every event kind `toLambda` routes: the three HTTP sources, an SQS batch, an EventBridge rule's "Scheduled
 * Event", and a schedule input (`{ "skiff": "cron", ... }`, from EventBridge Scheduler or a rule target's Input).
 *
 * @example
 * ```ts
 * const kind: LambdaEventKind | undefined = detectLambdaEvent(event);
 * ```
 */
export type LambdaEventKind = HttpEventKind | "sqs" | "schedule-rule" | "schedule-input";

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const firstRecord = (event: Record<string, unknown>): Record<string, unknown> | undefined => {
  const records = event.Records;
  return Array.isArray(records) && isRecord(records[0]) ? records[0] : undefined;
};

/**
 * Which kind of Lambda event `event` is, by shape alone, or `undefined` for anything skiff does not route (S3, SNS,
 * DynamoDB and Kinesis streams, other EventBridge events, direct invocations). HTTP is tested first, through
 * `detectHttpEvent`. SQS is `Records[].eventSource === "aws:sqs"`
 * (https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html); a rule's schedule is `source: "aws.events"` with
 * `detail-type: "Scheduled Event"` (https://docs.aws.amazon.com/lambda/latest/dg/with-scheduled-events.html).
 *
 * @example
 * ```ts
 * detectLambdaEvent({ Records: [{ eventSource: "aws:sqs", ... }] }) // "sqs"
 * detectLambdaEvent({ skiff: "cron", cron: "0 9 * * *" })          // "schedule-input"
 * ```
 */
export function detectLambdaEvent(event: unknown): LambdaEventKind | undefined {
  const http = detectHttpEvent(event);
  if (http !== undefined) return http;
  if (!isRecord(event)) return undefined;
  const records = event.Records;
  if (
    Array.isArray(records) &&
    records.length > 0 &&
    records.every((r) => isRecord(r) && r.eventSource === "aws:sqs")
  ) {
    return "sqs";
  }
  if (
    event.source === "aws.events" &&
    event["detail-type"] === "Scheduled Event" &&
    Array.isArray(event.resources)
  ) {
    return "schedule-rule";
  }
  if (event.skiff === "cron") return "schedule-input";
  return undefined;
}

// Event sources as they appear in `Records[].eventSource` (`EventSource` for SNS) or at the top level.
const SOURCES: Readonly<Record<string, string>> = {
  "aws:s3": "an S3",
  "aws:sns": "an SNS",
  "aws:dynamodb": "a DynamoDB Streams",
  "aws:kinesis": "a Kinesis",
  "aws:ses": "an SES",
  "aws:codecommit": "a CodeCommit",
  "aws:kafka": "an Amazon MSK",
  SelfManagedKafka: "a self-managed Kafka",
  "aws:mq": "an Amazon MQ",
  "aws:rmq": "an Amazon MQ (RabbitMQ)",
  "aws:docdb": "a DocumentDB",
};

/**
 * @internal A short description of an event skiff does not route, for the error message: which service sent it
 * and the field that says so. Never includes values that could be payload.
 *
 * @example
 * ```ts
 * describeEvent({ Records: [{ eventSource: "aws:s3" }] }) // 'an S3 event (Records[].eventSource "aws:s3")'
 * ```
 */
export function describeEvent(event: unknown): string {
  if (!isRecord(event))
    return event === null ? "a null event" : `a ${Array.isArray(event) ? "array" : typeof event} event`;
  const record = firstRecord(event);
  const source = record?.eventSource ?? record?.EventSource ?? event.eventSource;
  if (typeof source === "string") {
    const where = !record
      ? "eventSource"
      : record.eventSource === undefined
        ? "Records[].EventSource"
        : "Records[].eventSource";
    return `${SOURCES[source] ?? "an"} event (${where} "${source}")`;
  }
  if (isRecord(event.awslogs)) return "a CloudWatch Logs subscription event";
  if (typeof event.triggerSource === "string")
    return `a Cognito trigger (triggerSource "${event.triggerSource}")`;
  if (typeof event.source === "string" && typeof event["detail-type"] === "string") {
    return `an EventBridge event (source "${event.source}", detail-type "${event["detail-type"]}")`;
  }
  if (Array.isArray(event.Records) && event.Records.length === 0)
    return "an event with an empty Records list";
  const keys = Object.keys(event).slice(0, 8);
  return keys.length ? `an unrecognised event (top-level keys: ${keys.join(", ")})` : "an empty event object";
}

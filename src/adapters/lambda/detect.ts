import { SkiffError } from "../../errors.js";
import { unroutedKind } from "./_event-kinds.js";
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

/**
 * Which kind of Lambda event `event` is, by shape alone, or `undefined` for anything skiff does not route (S3, SNS,
 * DynamoDB and Kinesis streams, API Gateway authorizers and WebSockets, other EventBridge events, direct
 * invocations). HTTP is tested first, through `detectHttpEvent`, which never takes an authorizer or a WebSocket
 * event for a request. SQS is `Records[].eventSource === "aws:sqs"`
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

const ROUTED =
  "it handles API Gateway (REST and HTTP API), Function URL, ALB, SQS and EventBridge schedule events";

/**
 * @internal The error for an event skiff does not route: which documented kind it is and the fields that say so
 * (from one table of every event source Lambda documents), and what to do instead where there is more to say.
 * Never includes values that could be payload, and needs no configuration to produce.
 *
 * @example
 * ```ts
 * unroutedEventError({ Records: [{ eventSource: "aws:s3" }] }).message
 * // '[skiff] toLambda received an S3 event (Records[].eventSource "aws:s3"), which skiff does not route: it handles ...'
 * ```
 */
export function unroutedEventError(event: unknown): SkiffError {
  const known = unroutedKind(event);
  const what = known ? `${known.name} (${known.evidence})` : describeShape(event);
  const advice = known?.advice === undefined ? "" : `; ${known.advice}`;
  return new SkiffError(`toLambda received ${what}, which skiff does not route: ${ROUTED}${advice}`);
}

// What can be said of an event no row of the table knows: its type, or its top-level keys (names, not values).
function describeShape(event: unknown): string {
  if (!isRecord(event)) {
    if (event === null) return "a null event";
    return Array.isArray(event) ? "an array event" : `a ${typeof event} event`;
  }
  if (Array.isArray(event.Records) && event.Records.length === 0)
    return "an event with an empty Records list";
  const keys = Object.keys(event).slice(0, 8);
  return keys.length ? `an unrecognised event (top-level keys: ${keys.join(", ")})` : "an empty event object";
}

import { SkiffError } from "../../errors.js";
import { latestOccurrence } from "../../triggers/cron/index.js";
import { messageText, publishedAt, type PubSubEventParts } from "./_message.js";
import type { GcpState } from "./runtime.js";
import type { GcpCloudEvent } from "./types.js";

const MINUTE = 60_000;
// Cloud Scheduler publishes at the scheduled minute, and a redelivery keeps the first publishTime; a firing whose
// latest occurrence is further back than this was a manual "Force run" from the console.
const LATE_WINDOW = 60 * MINUTE;

/**
 * The Pub/Sub message body a Cloud Scheduler job publishes to the cron topic for `expression`: JSON naming the
 * expression exactly as registered with `app.cron()`. `skiff build --target gcp` writes it into each job's
 * `--message-body`.
 *
 * @example
 * ```ts
 * cronMessageBody("0 9 * * *") // '{"cron":"0 9 * * *"}'
 * ```
 */
export function cronMessageBody(expression: string): string {
  return JSON.stringify({ cron: expression });
}

/**
 * @internal The time a firing was scheduled for. The Pub/Sub message carries no schedule time (an HTTP target would
 * get `X-CloudScheduler-ScheduleTime`, a Pub/Sub target gets only the body), so it is the expression's latest
 * occurrence at or before the message's `publishTime`, when at most an hour back, else the publish minute.
 *
 * @example
 * ```ts
 * scheduledTimeOf("0 9 * * *", Date.parse("2026-01-02T09:00:03Z")) // Date.parse("2026-01-02T09:00:00Z")
 * ```
 */
export function scheduledTimeOf(expression: string, published: number): number {
  const minute = Math.floor(published / MINUTE) * MINUTE;
  const latest = latestOccurrence(expression, published);
  return latest !== null && minute - latest <= LATE_WINDOW ? latest : minute;
}

/**
 * @internal Runs the `app.cron()` handlers of a cron firing from Cloud Scheduler (a message on the cron topic) with
 * `runtime.fire`. A failure, or an expression with no handler, rejects: the function answers 500 and Pub/Sub
 * delivers the firing again (with `--retry` on the trigger), with the same scheduled time.
 *
 * @example
 * ```ts
 * await fireCronMessage(state, event, parts, tracker.waitUntil);
 * ```
 */
export async function fireCronMessage(
  state: GcpState,
  event: GcpCloudEvent,
  parts: PubSubEventParts,
  waitUntil: (promise: Promise<unknown>) => void,
): Promise<void> {
  let cron: unknown;
  try {
    cron = (JSON.parse(messageText(parts.message)) as { cron?: unknown }).cron;
  } catch {
    cron = undefined;
  }
  if (typeof cron !== "string" || !cron.trim()) {
    throw new SkiffError(
      `a message on the cron topic ${parts.topic ?? ""} does not name a cron: its body must be ${cronMessageBody("0 9 * * *")} (what skiff build writes into each Cloud Scheduler job)`,
    );
  }
  const executionId = parts.message.messageId ?? parts.message.message_id ?? event.id;
  await state.runtime.fire(
    { cron, scheduledTime: scheduledTimeOf(cron, publishedAt(parts.message, event)), executionId },
    waitUntil,
  );
}

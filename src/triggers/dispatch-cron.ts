import { SkiffError } from "../errors.js";
import { type CronEvent, cronKey } from "./cron/index.js";
import type { TriggerRuntime } from "./types.js";

/**
 * Runs every handler registered for `event.cron` (matched exactly, whitespace-insensitive). Each handler sees the
 * expression exactly as it registered it with `app.cron()`, whatever spelling the platform fired (Cloudflare's
 * configured string, a Lambda input, a Vercel path, the local scheduler). Each run is logged
 * with its outcome and duration. Rejects when no handler is registered for the expression or when any handler
 * failed, so the adapter reports the failure to the platform instead of letting it vanish.
 *
 * @example
 * ```ts
 * await dispatchCron(runtime, { cron: "0 9 * * *", scheduledTime: Date.now() }, ctx.waitUntil);
 * ```
 */
export async function dispatchCron(
  runtime: TriggerRuntime,
  event: CronEvent,
  waitUntil: (promise: Promise<unknown>) => void,
): Promise<void> {
  const { registry } = runtime;
  const handlers = registry.crons.get(cronKey(event.cron));
  const log = runtime.log.child({
    trigger: "cron",
    cron: event.cron,
    ...(event.executionId ? { executionId: event.executionId } : {}),
  });
  if (!handlers?.length) {
    const known = [...registry.crons.keys()].map((k) => `"${k}"`).join(", ") || "none";
    const error = new SkiffError(
      `cron "${event.cron}" fired but no handler is registered for it (registered: ${known})`,
    );
    log.error(error.message, { outcome: "unhandled" });
    throw error;
  }
  const ctx = runtime.triggerContext(waitUntil, log);
  const failures: unknown[] = [];
  await Promise.all(
    handlers.map(async ({ expression, handler }) => {
      const started = Date.now();
      try {
        await handler(expression === event.cron ? event : { ...event, cron: expression }, ctx);
        log.info("cron run", {
          scheduledTime: event.scheduledTime,
          outcome: "ok",
          durationMs: Date.now() - started,
        });
      } catch (error) {
        failures.push(error);
        log.error("cron run", {
          scheduledTime: event.scheduledTime,
          outcome: "failed",
          durationMs: Date.now() - started,
          error,
        });
      }
    }),
  );
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1)
    throw new AggregateError(failures, `[skiff] ${failures.length} handlers of cron "${event.cron}" failed`);
}

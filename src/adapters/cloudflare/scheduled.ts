import { ConfigError } from "../../errors.js";
import type { SkiffRuntime } from "../../runtime.js";
import { cronKey } from "../../triggers/cron/index.js";
import type { TriggerRegistry } from "../../triggers/registry.js";
import type { CloudflareWorker } from "./types.js";

/**
 * @internal The Worker's `scheduled` handler: runs every handler registered for `controller.cron` and rejects when
 * one fails or none is registered, so the run shows as failed in the Worker's Cron Events.
 *
 * @example
 * ```ts
 * const worker = { scheduled: scheduledHandler(app.triggers, runtimeFor) };
 * ```
 */
export function scheduledHandler(
  registry: TriggerRegistry,
  runtimeFor: (env: unknown) => SkiffRuntime,
): CloudflareWorker["scheduled"] {
  // Awaited, not handed to waitUntil: a rejection is how Workers records a failed cron run. A run that failed on
  // configuration (no handler for the expression, a missing binding or variable) opts out of Cloudflare's retry,
  // which could not fix it. https://developers.cloudflare.com/workers/runtime-apis/handlers/scheduled/
  return async (controller, env, ctx) => {
    const event = { cron: controller.cron, scheduledTime: controller.scheduledTime };
    try {
      await runtimeFor(env).fire(event, (promise) => ctx.waitUntil(promise));
    } catch (error) {
      if (!registry.crons.has(cronKey(controller.cron)) || isConfigError(error)) controller.noRetry?.();
      throw error;
    }
  };
}

// Every handler of the run failed on configuration (one handler's error, or all of several).
function isConfigError(error: unknown): boolean {
  return error instanceof AggregateError ? error.errors.every(isConfigError) : error instanceof ConfigError;
}

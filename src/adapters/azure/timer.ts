import { SkiffError } from "../../errors.js";
import { cronHash, cronKey, latestOccurrence } from "../../triggers/cron/index.js";
import { renderAzure } from "../../triggers/cron/render-azure.js";
import type { TriggerRegistry } from "../../triggers/registry.js";

/**
 * The Azure function name of a cron's timer trigger: `cron_`, the expression with every character a function name
 * cannot hold (`*`, `/`, `,`, `#`, spaces) as `x` or `_`, then a hash of the expression. Stable across deploys,
 * readable in the portal, unique per expression, and within the 127 characters Azure allows
 * (`^[a-zA-Z][a-zA-Z0-9_-]{0,127}$`).
 *
 * @example
 * ```ts
 * azureCronName("0 9 * * *"); // "cron_0_9_x_x_x_5c3a1f0e" (the hash differs)
 * ```
 */
export function azureCronName(expression: string): string {
  const key = cronKey(expression);
  const readable = key.replace(/\*/g, "x").replace(/[^A-Za-z0-9-]/g, "_");
  return `cron_${readable.slice(0, 100)}_${cronHash(key)}`;
}

/**
 * @internal One timer per expression of the app: its function name, the expression as registered and the
 * NCRONTAB schedule. An expression NCRONTAB cannot express fails here, at start-up, naming it.
 *
 * @example
 * ```ts
 * timerSchedules(app.triggers); // [{ name: "cron_0_9_x_x_x_…", cron: "0 9 * * *", schedule: "0 0 9 * * *" }]
 * ```
 */
export function timerSchedules(
  registry: TriggerRegistry,
): Array<{ name: string; cron: string; key: string; schedule: string }> {
  return [...registry.crons].map(([key, registrations]) => {
    const cron = registrations[0]?.expression ?? key;
    try {
      return { name: azureCronName(key), cron, key, schedule: renderAzure(cron) };
    } catch (error) {
      throw new SkiffError(
        `toAzure: ${error instanceof Error ? error.message.replace(/^\[skiff\] /, "") : String(error)}`,
        { cause: error },
      );
    }
  });
}

/**
 * @internal The time a timer invocation stands for. Azure hands over no scheduled time (only `scheduleStatus`, which
 * is absent without the monitor), so it is the latest occurrence of the expression at or before now, in UTC; with
 * `cronTimeZone: "website"` the schedule runs in local time, so it is now, on the minute.
 *
 * @example
 * ```ts
 * scheduledTimeOf("0 9 * * *", "utc", Date.UTC(2026, 0, 2, 9, 0, 1)); // Date.UTC(2026, 0, 2, 9, 0, 0)
 * ```
 */
export function scheduledTimeOf(key: string, zone: "utc" | "website", now = Date.now()): number {
  const minute = Math.floor(now / 60_000) * 60_000;
  return zone === "utc" ? (latestOccurrence(key, now) ?? minute) : minute;
}

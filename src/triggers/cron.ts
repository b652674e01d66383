import { CronPattern } from "croner";
import { SkiffError } from "../errors.js";

/**
 * A cron firing, the same on every platform: the expression exactly as registered, the time it was scheduled for
 * (ms since the epoch, UTC) and the platform's execution id where it gives one.
 *
 * @example
 * ```ts
 * app.cron("0 9 * * *", (event) => console.log(event.cron, new Date(event.scheduledTime).toISOString()));
 * ```
 */
export interface CronEvent {
  cron: string;
  scheduledTime: number;
  executionId?: string;
}

/**
 * Checks a cron expression: standard 5 fields (minute hour day-of-month month day-of-week), evaluated in UTC, the
 * syntax Cloudflare accepts. Throws a {@link SkiffError} that quotes the expression.
 *
 * @example
 * ```ts
 * validateCron("0 9 * * *");   // ok
 * validateCron("0 0 9 * * *"); // throws: 6 fields
 * ```
 */
export function validateCron(expression: string): void {
  const fields = expression.trim().split(/\s+/);
  if (typeof expression !== "string" || fields.length !== 5) {
    throw new SkiffError(
      `cron expression "${expression}" must have 5 fields (minute hour day-of-month month day-of-week), in UTC; got ${fields.length}`,
    );
  }
  try {
    new CronPattern(expression, "UTC", { mode: "5-part" });
  } catch (error) {
    throw new SkiffError(`cron expression "${expression}" is invalid: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
}

/**
 * A stable, URL-safe slug of an expression, used where a platform identifies a cron by path or input (Vercel cron
 * paths, Lambda schedule inputs). Reversible with {@link cronFromSlug}.
 *
 * @example
 * ```ts
 * cronSlug("*\/5 9-17 * * 1-5") // "*%2F5_9-17_*_*_1-5"
 * ```
 */
export function cronSlug(expression: string): string {
  return encodeURIComponent(expression.trim().split(/\s+/).join("_"));
}

/**
 * The expression a {@link cronSlug} came from.
 *
 * @example
 * ```ts
 * cronFromSlug("0_9_*_*_*") // "0 9 * * *"
 * ```
 */
export function cronFromSlug(slug: string): string {
  return decodeURIComponent(slug).split("_").join(" ");
}

/** @internal Whitespace-insensitive key, so "0  9 * * *" and "0 9 * * *" find the same handlers. */
export function cronKey(expression: string): string {
  return expression.trim().split(/\s+/).join(" ");
}

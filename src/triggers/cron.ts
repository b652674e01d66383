export { validateCron } from "./cron-syntax.js";

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

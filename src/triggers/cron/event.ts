/**
 * A cron firing, the same on every platform: the expression exactly as registered with `app.cron()` (whatever
 * spelling the platform fired it under), the time it was scheduled for (ms since the epoch, UTC) and the
 * platform's execution id where it gives one.
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

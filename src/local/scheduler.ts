import { Cron } from "croner";
import type { SkiffRuntime } from "../runtime.js";
import { cronKey } from "../triggers/cron.js";
import { dispatchCron } from "../triggers/dispatch-cron.js";
import type { TriggerRegistry } from "../triggers/registry.js";
import { settlesWithin } from "./queue-worker.js";

/**
 * The in-process scheduler of local runs: fires each registered cron expression in UTC, as the platforms do,
 * through the same dispatch as Workers and Lambda. A failed run is logged (by the dispatch) and does not stop the
 * schedule.
 *
 * @example
 * ```ts
 * const scheduler = new LocalScheduler(app.triggers, runtime, tracker.waitUntil);
 * scheduler.start();
 * console.log(scheduler.nextRuns());
 * await scheduler.stop(5_000); // resolves within 5 s, whatever the handlers do
 * ```
 */
export class LocalScheduler {
  readonly #jobs: Cron[] = [];
  readonly #running = new Set<Promise<void>>();
  constructor(
    private readonly registry: TriggerRegistry,
    private readonly runtime: SkiffRuntime,
    private readonly waitUntil: (promise: Promise<unknown>) => void,
  ) {}

  /** Starts a timer per expression. */
  start(): void {
    for (const expression of this.registry.crons.keys()) {
      this.#jobs.push(
        new Cron(expression, { timezone: "UTC", mode: "5-part" }, () => {
          // 5-field schedules fire on the minute; that minute is the scheduled time, as on Workers.
          void this.fire(expression, Math.floor(Date.now() / 60_000) * 60_000).catch(() => undefined);
        }),
      );
    }
  }

  /** Fires `expression` now (what `/__scheduled?cron=` does). Rejects when the run fails. */
  fire(expression: string, scheduledTime = Date.now()): Promise<void> {
    const run = dispatchCron(
      this.registry,
      this.runtime,
      { cron: expression, scheduledTime },
      this.waitUntil,
    );
    const tracked = run.catch(() => undefined).finally(() => this.#running.delete(tracked));
    this.#running.add(tracked);
    return run;
  }

  /** Whether a handler is registered for `expression` (whitespace-insensitive, as dispatch matches). */
  has(expression: string): boolean {
    return this.registry.crons.has(cronKey(expression));
  }

  /** The next run of each expression. */
  nextRuns(from: Date = new Date()): Array<{ cron: string; next: Date | null }> {
    return [...this.registry.crons.keys()].map((cron) => ({ cron, next: nextRun(cron, from) }));
  }

  /**
   * Stops the timers and waits for runs in progress, for at most `graceMs` (default 10 000): a run still going then
   * is abandoned and logged, since a cron run has nothing to hand back (the next schedule runs it again).
   */
  async stop(graceMs = 10_000): Promise<void> {
    for (const job of this.#jobs.splice(0)) job.stop();
    if (await settlesWithin(Promise.all([...this.#running]), graceMs)) return;
    this.runtime.log.warn("cron runs still in progress at shutdown are abandoned", {
      graceMs,
      running: this.#running.size,
    });
  }
}

/**
 * The next time a 5-field UTC expression fires after `from`.
 *
 * @example
 * ```ts
 * nextRun("0 9 * * *", new Date("2026-01-01T10:00:00Z")) // 2026-01-02T09:00:00.000Z
 * ```
 */
export function nextRun(expression: string, from: Date = new Date()): Date | null {
  return new Cron(expression, { timezone: "UTC", mode: "5-part", paused: true }).nextRun(from);
}

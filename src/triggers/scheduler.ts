import { settlesWithin } from "../wait-until.js";
import { type CronEvent, cronKey, type CronFields, nextOccurrence, parseCron } from "./cron/index.js";
import type { TriggerRuntime } from "./types.js";

type WaitUntil = (promise: Promise<unknown>) => void;

// The longest delay setTimeout holds.
const MAX_TIMEOUT = 2 ** 31 - 1;

/**
 * What an in-process scheduler needs of a runtime: the registry (which expressions have handlers), the logger, and
 * the core cron dispatch as `fire`. `SkiffRuntime` implements it.
 *
 * @example
 * ```ts
 * const runtime: SchedulerRuntime = createRuntime(app, options);
 * const runner = new CronRunner(runtime, tracker.waitUntil);
 * ```
 */
export interface SchedulerRuntime extends Pick<TriggerRuntime, "registry" | "log"> {
  fire(event: CronEvent, waitUntil: WaitUntil): Promise<void>;
}

/**
 * Fires crons through the runtime's dispatch and keeps the runs in progress, so that shutdown can wait for them:
 * what every long-running adapter's scheduler shares, whatever fires it (Node's timers in {@link LocalScheduler},
 * Bun's `Bun.cron` tick, `Deno.cron`, `/__scheduled`).
 *
 * @example
 * ```ts
 * const runner = new CronRunner(runtime, tracker.waitUntil);
 * await runner.fire("0 9 * * *");
 * await runner.stop(5_000); // resolves within 5 s, whatever the handlers do
 * ```
 */
export class CronRunner {
  readonly #running = new Set<Promise<void>>();
  constructor(
    protected readonly runtime: SchedulerRuntime,
    private readonly waitUntil: WaitUntil,
  ) {}

  /** Fires `expression` now (what `/__scheduled?cron=` does). Rejects when the run fails. */
  fire(expression: string, scheduledTime = Date.now()): Promise<void> {
    const run = this.runtime.fire({ cron: expression, scheduledTime }, this.waitUntil);
    const tracked = run.catch(() => undefined).finally(() => this.#running.delete(tracked));
    this.#running.add(tracked);
    return run;
  }

  /** Whether a handler is registered for `expression` (whitespace-insensitive, as dispatch matches). */
  has(expression: string): boolean {
    return this.runtime.registry.crons.has(cronKey(expression));
  }

  /** The next run of each expression. */
  nextRuns(from: Date = new Date()): Array<{ cron: string; next: Date | null }> {
    return [...this.runtime.registry.crons.keys()].map((cron) => ({ cron, next: nextRun(cron, from) }));
  }

  /** Resolves when the runs in progress now have settled (either way). */
  settled(): Promise<void> {
    return Promise.all([...this.#running]).then(() => undefined);
  }

  /**
   * Waits for runs in progress, for at most `graceMs` (default 10 000): a run still going then is abandoned and
   * logged, since a cron run has nothing to hand back (the next schedule runs it again).
   */
  async stop(graceMs = 10_000): Promise<void> {
    if (await settlesWithin(this.settled(), graceMs)) return;
    this.runtime.log.warn("cron runs still in progress at shutdown are abandoned", {
      graceMs,
      running: this.#running.size,
    });
  }
}

/**
 * The in-process scheduler of local runs (skiff/node's server): fires each registered cron expression in UTC, as
 * the platforms do, through the same dispatch as Workers and Lambda. A failed run is logged (by the dispatch) and
 * does not stop the schedule.
 *
 * @example
 * ```ts
 * const scheduler = new LocalScheduler(runtime, tracker.waitUntil);
 * scheduler.start();
 * console.log(scheduler.nextRuns());
 * await scheduler.stop(5_000); // resolves within 5 s, whatever the handlers do
 * ```
 */
export class LocalScheduler extends CronRunner {
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  #started = false;

  /** Starts a timer per expression. */
  start(): void {
    this.#started = true;
    for (const [key, registrations] of this.runtime.registry.crons) {
      // Fired under the expression as registered; dispatch hands each handler its own spelling.
      const expression = registrations[0]?.expression ?? key;
      this.#schedule(expression, parseCron(expression), Date.now());
    }
  }

  // One timer per expression, re-armed after each run. The occurrence is the scheduled time, as on Workers.
  // A later occurrence than MAX_TIMEOUT (~24.8 days) away is reached in several waits.
  #schedule(expression: string, fields: CronFields, after: number): void {
    const at = nextOccurrence(fields, after);
    if (at === null || !this.#started) return;
    const wait = (): void => {
      const timer = setTimeout(
        () => {
          this.#timers.delete(timer);
          if (Date.now() < at) return wait();
          void this.fire(expression, at).catch(() => undefined);
          // After a pause (a laptop asleep), resume from now rather than replaying every missed minute.
          this.#schedule(expression, fields, Math.max(at, Date.now()));
        },
        Math.min(Math.max(at - Date.now(), 0), MAX_TIMEOUT),
      );
      this.#timers.add(timer);
    };
    wait();
  }

  /**
   * Stops the timers and waits for runs in progress, for at most `graceMs` (default 10 000): a run still going then
   * is abandoned and logged.
   */
  override async stop(graceMs = 10_000): Promise<void> {
    this.#started = false;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    await super.stop(graceMs);
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
  const next = nextOccurrence(expression, from);
  return next === null ? null : new Date(next);
}

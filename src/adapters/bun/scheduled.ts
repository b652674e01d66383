import { latestOccurrence, parseCron, type CronFields } from "../../triggers/cron/index.js";
import { CronRunner, type SchedulerRuntime } from "../../triggers/scheduler.js";
import type { BunApi, BunCronJob } from "./types.js";

const MINUTE = 60_000;

/**
 * The crons of a Bun server, fired by Bun's own in-process scheduler (`Bun.cron`, https://bun.com/docs/runtime/cron).
 * One job ticks every minute in UTC and fires each expression whose occurrence that minute is, by skiff's one cron
 * parser: Bun's parser refuses the `L`, `W` and `#` skiff accepts on every platform, and one parser means the same
 * schedule everywhere. The tick never waits for the runs (Bun would hold the next tick until they settle), so a long
 * run does not delay the next minute, as on Workers. A failed run is logged by the dispatch; the schedule goes on.
 * Firing, `has`, `nextRuns` and the bounded wait of `stop` are the core's `CronRunner`.
 *
 * @example
 * ```ts
 * const scheduler = new BunScheduler(runtime, tracker.waitUntil, Bun);
 * scheduler.start();
 * await scheduler.stop(5_000); // resolves within 5 s, whatever the handlers do
 * ```
 */
export class BunScheduler extends CronRunner {
  readonly #fields = new Map<string, CronFields>();
  #job: BunCronJob | undefined;
  #lastTick = 0;

  constructor(
    runtime: SchedulerRuntime,
    waitUntil: (promise: Promise<unknown>) => void,
    private readonly bun: Pick<BunApi, "cron">,
  ) {
    super(runtime, waitUntil);
    for (const [key, registrations] of runtime.registry.crons)
      this.#fields.set(registrations[0]?.expression ?? key, parseCron(registrations[0]?.expression ?? key));
  }

  /** Registers the minute tick with `Bun.cron` (nothing when the app has no cron). */
  start(): void {
    if (this.#job || this.#fields.size === 0) return;
    this.#job = this.bun.cron("* * * * *", () => void this.tick(), { tz: "UTC" });
  }

  /**
   * Fires what is due in the minute nearest to `now` (a tick a little early or late still stands for its minute),
   * once per minute; resolves when those runs have settled. `Bun.cron` calls it; tests may too.
   */
  tick(now: number = Date.now()): Promise<void> {
    const minute = Math.round(now / MINUTE) * MINUTE;
    if (minute === this.#lastTick) return Promise.resolve();
    this.#lastTick = minute;
    const due = [...this.#fields].filter(([, fields]) => latestOccurrence(fields, minute) === minute);
    return Promise.all(due.map(([expression]) => this.fire(expression, minute).catch(() => undefined))).then(
      () => undefined,
    );
  }

  /** Stops the tick and waits for runs in progress, for at most `graceMs`; what is still running then is abandoned. */
  override async stop(graceMs = 10_000): Promise<void> {
    this.#job?.stop();
    this.#job = undefined;
    await super.stop(graceMs);
  }
}

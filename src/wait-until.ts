import type { Logger } from "./logger.js";

/**
 * Collects `waitUntil` promises on platforms that have no native `waitUntil` (Lambda, Node) so the adapter can
 * await them before the process is frozen or shut down. `waitUntil` never throws and a rejected promise is logged,
 * never unhandled.
 *
 * @example
 * ```ts
 * const tracker = new WaitUntilTracker(log);
 * tracker.waitUntil(sendAnalytics());
 * await tracker.settle(); // before the Lambda handler returns
 * ```
 */
export class WaitUntilTracker {
  readonly #pending = new Set<Promise<unknown>>();
  readonly #log: Logger;
  constructor(log: Logger) {
    this.#log = log;
  }

  /** Tracks `promise` until it settles. Bound, so it can be passed around as a plain function. */
  readonly waitUntil = (promise: Promise<unknown>): void => {
    const tracked = Promise.resolve(promise)
      .catch((error: unknown) => this.#log.error("waitUntil task failed", { error }))
      .finally(() => this.#pending.delete(tracked));
    this.#pending.add(tracked);
  };

  /** How many tasks are still running. */
  get size(): number {
    return this.#pending.size;
  }

  /** Resolves when every task tracked so far, and every task they add meanwhile, has settled. */
  async settle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }
}

import type { Logger } from "./logger.js";

/**
 * Wraps a platform's `waitUntil` so that calling it never throws: a platform that refuses the promise (a Vercel
 * context that is gone, a Cloudflare context used after its request ended) is logged as "waitUntil failed" instead
 * of failing the request, cron run or queue batch that handed over background work. Every adapter and the runtime
 * use this one wrapper.
 *
 * @example
 * ```ts
 * const waitUntil = safeWaitUntil((p) => ctx.waitUntil(p), runtime.log);
 * waitUntil(sendAnalytics()); // never throws, whatever ctx.waitUntil does
 * ```
 */
export function safeWaitUntil(
  waitUntil: (promise: Promise<unknown>) => void,
  log: Pick<Logger, "error">,
): (promise: Promise<unknown>) => void {
  return (promise) => {
    try {
      waitUntil(promise);
    } catch (error) {
      log.error("waitUntil failed", { error });
    }
  };
}

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

/**
 * A `waitUntil` for a platform that has one (Vercel, Netlify): each task is handed to `platform` (which keeps the
 * function alive after the response) and tracked in `tracker`, so that `tracker.settle()` can await it (tests, local
 * runs) and a failure is logged once, never an unhandled rejection. `platform` may throw or do nothing (no request
 * context: the work simply runs on); the returned function never throws.
 *
 * @example
 * ```ts
 * const tracker = new WaitUntilTracker(runtime.log);
 * const waitUntil = platformWaitUntil(tracker, (p) => context?.waitUntil?.(p), runtime.log);
 * waitUntil(sendAnalytics());
 * ```
 */
export function platformWaitUntil(
  tracker: WaitUntilTracker,
  platform: (promise: Promise<unknown>) => void,
  log: Logger,
): (promise: Promise<unknown>) => void {
  const handOver = safeWaitUntil(platform, log);
  return (promise) => {
    // Caught once here, so neither the tracker nor the platform sees a rejection to report again.
    const safe = Promise.resolve(promise).catch((error: unknown) =>
      log.error("waitUntil task failed", { error }),
    );
    tracker.waitUntil(safe);
    handOver(safe);
  };
}

/**
 * Whether `work` settles (either way) within `ms`; never times out when `ms` is not finite. Shutdown uses it to bound
 * each wait by its grace, so a handler that never returns cannot hold a server open: every long-running adapter
 * (Node, Bun, Deno) waits for its cron runs, queue batches and `waitUntil` tasks through this one helper.
 *
 * @example
 * ```ts
 * if (!(await settlesWithin(runs, 5_000))) log.warn("abandoned runs still in progress");
 * ```
 */
export async function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  const settled = work.then(
    () => true,
    () => true,
  );
  if (!Number.isFinite(ms)) return settled;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<boolean>((resolve) => (timer = setTimeout(resolve, Math.max(0, ms), false)));
  try {
    return await Promise.race([settled, expired]);
  } finally {
    clearTimeout(timer);
  }
}

import type { LibsqlQueueStore } from "../bindings/queues/libsql/store.js";
import { drainOnce, type PullQueueRuntime } from "./pull-queue.js";

type WaitUntil = (promise: Promise<unknown>) => void;

/**
 * How often a {@link RequestDrainer} also drains every consumed queue, not only those this instance sent to.
 *
 * @example
 * ```ts
 * const options: RequestDrainerOptions = { fullEveryMs: 60_000, now: Date.now };
 * ```
 */
export interface RequestDrainerOptions {
  /**
   * Every this many ms, a round covers every consumed queue (delayed and retried messages, sends by other
   * instances). Omitted or `Infinity`: never, because a scheduled drain elsewhere does that (Netlify).
   */
  readonly fullEveryMs?: number;
  /** The clock; `Date.now` by default. */
  readonly now?: () => number;
}

/**
 * Delivers the durable libSQL queue after responses, in the platform's `waitUntil`, so that messages move without a
 * dedicated worker on serverless platforms whose only trigger is a request (Vercel, Netlify). Bounded per round: one
 * batch per queue, for the queues this instance sent to since the last round, plus every consumed queue once per
 * `fullEveryMs`. One round runs at a time per instance; a response ready meanwhile queues its round behind it, on its
 * own `waitUntil`. A failing queue is logged and skipped: its messages stay stored for the next round, the
 * scheduled drain or their visibility timeout.
 *
 * @example
 * ```ts
 * const drainer = new RequestDrainer(runtime, store, { fullEveryMs: 60_000 });
 * drainer.afterRequest(waitUntil); // once each response is ready
 * ```
 */
export class RequestDrainer {
  readonly #pending = new Set<string>();
  readonly #fullEveryMs: number;
  readonly #now: () => number;
  #lastFull = Number.NEGATIVE_INFINITY;
  #running: Promise<void> | undefined;

  constructor(
    private readonly runtime: PullQueueRuntime,
    private readonly store: LibsqlQueueStore,
    options: RequestDrainerOptions = {},
  ) {
    this.#fullEveryMs = options.fullEveryMs ?? Number.POSITIVE_INFINITY;
    this.#now = options.now ?? Date.now;
    store.onSend((queue) => {
      if (runtime.registry.queues.has(queue)) this.#pending.add(queue);
    });
  }

  // Infinity never comes due, even against the initial -Infinity.
  #fullDue(): boolean {
    return Number.isFinite(this.#fullEveryMs) && this.#now() - this.#lastFull >= this.#fullEveryMs;
  }

  /** Called once a response is ready; schedules a round on `waitUntil` when one is due. */
  afterRequest(waitUntil: WaitUntil): void {
    if (this.#pending.size === 0 && !this.#fullDue()) return;
    if (this.#running) {
      waitUntil(this.#running.then(() => this.afterRequest(waitUntil)));
      return;
    }
    const round = this.#round(waitUntil).finally(() => {
      this.#running = undefined;
    });
    this.#running = round;
    waitUntil(round);
  }

  async #round(waitUntil: WaitUntil): Promise<void> {
    const full = this.#fullDue();
    const queues = full ? [...this.runtime.registry.queues.keys()] : [...this.#pending];
    if (full) this.#lastFull = this.#now();
    this.#pending.clear();
    for (const queue of queues) {
      try {
        await drainOnce(this.runtime, this.store, queue, waitUntil);
      } catch (error) {
        this.runtime.log.warn("queue drain after request failed", { queue, error });
      }
    }
  }
}

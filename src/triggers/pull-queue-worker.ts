import type { LibsqlQueueStore } from "../bindings/queues/libsql/store.js";
import { settlesWithin } from "../wait-until.js";
import { drainOnce, drainUntilIdle, type PullQueueRuntime } from "./pull-queue.js";

/**
 * Delivers the durable libSQL queue to the app's consumers in a long-running process (skiff/node's and skiff/bun's
 * servers): one loop per consumed queue that drains batches ({@link drainOnce}) while there are messages, then
 * sleeps until a send in this process wakes it or the poll interval passes (delayed and retried messages, or
 * messages sent by another process); a failed poll backs off, up to every 10 s. One loop per queue, so a slow
 * consumer never holds up another queue. `stop()` lets the batch in flight finish, for at most its grace: a handler
 * that never returns cannot hold shutdown, and its messages are released for redelivery.
 *
 * @example
 * ```ts
 * const worker = new PullQueueWorker(runtime, store, tracker.waitUntil);
 * worker.start();
 * await worker.stop(5_000); // resolves within 5 s, whatever the handlers do
 * ```
 */
export class PullQueueWorker {
  #running = false;
  readonly #loops: Promise<void>[] = [];
  readonly #drains = new Set<Promise<void>>();
  readonly #wakers = new Map<string, () => void>();
  #unsubscribe: (() => void) | undefined;

  constructor(
    private readonly runtime: PullQueueRuntime,
    private readonly store: LibsqlQueueStore,
    private readonly waitUntil: (promise: Promise<unknown>) => void,
    private readonly pollIntervalMs = 250,
  ) {}

  /** Starts one delivery loop per consumed queue (nothing when already started). */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#unsubscribe = this.store.onSend((queue) => this.#wakers.get(queue)?.());
    for (const queue of this.runtime.registry.queues.keys()) this.#loops.push(this.#loop(queue));
  }

  async #loop(queue: string): Promise<void> {
    let backoff = this.pollIntervalMs;
    while (this.#running) {
      let delivered = 0;
      try {
        delivered = await drainOnce(this.runtime, this.store, queue, this.waitUntil);
        backoff = this.pollIntervalMs;
      } catch (error) {
        this.runtime.log.error("local queue poll failed", { queue, error });
        backoff = Math.min(backoff * 2, 10_000);
      }
      if (delivered === 0 && this.#running) await this.#sleep(queue, backoff);
    }
  }

  #sleep(queue: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#wakers.delete(queue);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wakers.set(queue, done);
    });
  }

  /** Delivers until every consumed queue has nothing visible (for tests, tools and `skiff dev`). */
  drain(): Promise<void> {
    const run = drainUntilIdle(this.runtime, this.store, this.waitUntil);
    const tracked = run.catch(() => undefined).finally(() => this.#drains.delete(tracked));
    this.#drains.add(tracked);
    return run;
  }

  /**
   * Stops polling and waits for the batches in flight, for at most `graceMs` (default 10 000). Batches still
   * running then are abandoned: their messages are released (lease cleared, visible at once, the interrupted
   * delivery counted in `attempts`) so the next start delivers them again. Resolves with how many were released.
   */
  async stop(graceMs = 10_000): Promise<number> {
    this.#running = false;
    this.#unsubscribe?.();
    for (const wake of [...this.#wakers.values()]) wake();
    if (await settlesWithin(Promise.all([...this.#loops.splice(0), ...this.#drains]), graceMs)) return 0;
    try {
      const released = await this.store.releaseLeases();
      this.runtime.log.warn(
        "queue handlers still running at shutdown; their messages are released for redelivery",
        { graceMs, released },
      );
      return released;
    } catch (error) {
      // Nothing is lost: the leases expire after their visibility timeout instead.
      this.runtime.log.error("could not release the leases of unfinished queue handlers", { error });
      return 0;
    }
  }
}

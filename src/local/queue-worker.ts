import { drainOnce } from "../bindings/queues/libsql/drain.js";
import type { LibsqlQueueStore } from "../bindings/queues/libsql/store.js";
import type { SkiffRuntime } from "../runtime.js";
import type { TriggerRegistry } from "../triggers/registry.js";

/**
 * Delivers the local durable queue to the app's consumers: one loop per consumed queue that drains batches while
 * there are messages, then sleeps until a send in this process wakes it or the poll interval passes (delayed and
 * retried messages, or messages sent by another process). `stop()` lets the batch in flight finish.
 *
 * @example
 * ```ts
 * const worker = new LocalQueueWorker(app.triggers, runtime, store, tracker.waitUntil);
 * worker.start();
 * await worker.stop();
 * ```
 */
export class LocalQueueWorker {
  #running = false;
  readonly #loops: Promise<void>[] = [];
  readonly #wakers = new Map<string, () => void>();
  #unsubscribe: (() => void) | undefined;

  constructor(
    private readonly registry: TriggerRegistry,
    private readonly runtime: SkiffRuntime,
    private readonly store: LibsqlQueueStore,
    private readonly waitUntil: (promise: Promise<unknown>) => void,
    private readonly pollIntervalMs = 250,
  ) {}

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#unsubscribe = this.store.onSend((queue) => this.#wakers.get(queue)?.());
    for (const queue of this.registry.queues.keys()) this.#loops.push(this.#loop(queue));
  }

  async #loop(queue: string): Promise<void> {
    let backoff = this.pollIntervalMs;
    while (this.#running) {
      let delivered = 0;
      try {
        delivered = await drainOnce(this.registry, this.runtime, this.store, queue, this.waitUntil);
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

  /** Delivers until every consumed queue has nothing visible (for tests and `skiff dev`). */
  async drain(): Promise<void> {
    for (let busy = true; busy;) {
      busy = false;
      for (const queue of this.registry.queues.keys()) {
        if ((await drainOnce(this.registry, this.runtime, this.store, queue, this.waitUntil)) > 0)
          busy = true;
      }
    }
  }

  /** Stops polling and waits for batches in flight. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#unsubscribe?.();
    for (const wake of [...this.#wakers.values()]) wake();
    await Promise.all(this.#loops.splice(0));
  }
}

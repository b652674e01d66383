import {
  type DenoQueueEnvelope,
  enqueueEnvelopes,
  isDenoQueueEnvelope,
  undeliveredKey,
} from "../../bindings/queues/deno.js";
import type { SkiffRuntime } from "../../runtime.js";
import type { IncomingMessage, MessageResult } from "../../triggers/dispatch-queue.js";
import type { DenoKv } from "./types.js";

interface Waiting {
  envelope: DenoQueueEnvelope;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * The `kv.listenQueue` handler of a Deno app: maps Deno KV's delivery onto skiff's one queue contract. Deno hands
 * over one message per call (several calls at once), so messages of one queue that arrive within `batchWindowMs`
 * (at most the consumer's `maxBatchTimeoutSeconds`, at most `maxBatchSize` of them) are delivered together with
 * `runtime.deliver`. Then, per message:
 * - acked, dead-lettered (already sent by the core) or dropped (logged) → the handler returns, and Deno forgets it;
 * - retried → the envelope is enqueued again with `attempts + 1` and the retry's delay, then the handler returns.
 *   skiff does not rely on Deno's own retry (a throw), which knows neither the delay nor the attempt number.
 * The handler throws only when the outcome could not be recorded (the re-enqueue failed, or the batch failed
 * before any decision): Deno then delivers the same envelope again on its backoff schedule, and after the last try
 * writes it under `keysIfUndelivered`; a message for a queue the app does not consume is written there at once.
 * Delivery is at least once: a process that dies mid-batch gets the envelope back with the same `attempts`.
 *
 * @example
 * ```ts
 * const listener = new DenoQueueListener(runtime, () => kv, tracker.waitUntil, { batchWindowMs: 20 });
 * void kv.listenQueue(listener.handle);
 * ```
 */
export class DenoQueueListener {
  readonly #waiting = new Map<string, Waiting[]>();
  readonly #timers = new Map<string, ReturnType<typeof setTimeout>>();
  readonly #inFlight = new Set<Promise<void>>();

  constructor(
    private readonly runtime: SkiffRuntime,
    private readonly kv: () => Promise<DenoKv>,
    private readonly waitUntil: (promise: Promise<unknown>) => void,
    private readonly options: { batchWindowMs: number; backoffSchedule?: readonly number[] | undefined },
  ) {}

  /** The handler to pass to `kv.listenQueue`. Bound, so it can be passed as a plain function. */
  readonly handle = (value: unknown): Promise<void> => {
    if (!isDenoQueueEnvelope(value)) {
      // Another library may share the database's queue: leave its messages alone rather than fail them.
      this.runtime.log.warn("a Deno KV queue message that skiff did not send was ignored");
      return Promise.resolve();
    }
    const queue = value.queue;
    const consumer = this.runtime.registry.queues.get(queue)?.options;
    if (!consumer) return this.#park(value);
    return new Promise<void>((resolve, reject) => {
      const waiting = this.#waiting.get(queue) ?? [];
      waiting.push({ envelope: value, resolve, reject });
      this.#waiting.set(queue, waiting);
      if (waiting.length >= consumer.maxBatchSize) return this.#flush(queue);
      if (waiting.length === 1) {
        const window = Math.min(this.options.batchWindowMs, consumer.maxBatchTimeoutSeconds * 1000);
        this.#timers.set(
          queue,
          setTimeout(() => this.#flush(queue), window),
        );
      }
    });
  };

  // Every app queue shares Deno's one queue, so a queue without a consumer here (a dead-letter queue kept for
  // inspection) would be retried by Deno and parked anyway: park it at once, where Deno parks what it gave up on.
  readonly #unconsumed = new Set<string>();
  async #park(envelope: DenoQueueEnvelope): Promise<void> {
    await (await this.kv()).set(undeliveredKey(envelope.queue, envelope.id), envelope);
    if (this.#unconsumed.has(envelope.queue)) return;
    this.#unconsumed.add(envelope.queue);
    this.runtime.log.warn("queue has no consumer in this app: its messages are kept in Deno KV", {
      queue: envelope.queue,
      key: undeliveredKey(envelope.queue, "<id>"),
    });
  }

  /** Batches still being delivered (awaited on shutdown). */
  get inFlight(): number {
    return this.#inFlight.size + [...this.#waiting.values()].reduce((n, w) => n + w.length, 0);
  }

  /** Delivers what is waiting now and resolves when every batch in flight has settled. */
  async settle(): Promise<void> {
    for (const queue of [...this.#waiting.keys()]) this.#flush(queue);
    await Promise.all([...this.#inFlight]);
  }

  #flush(queue: string): void {
    clearTimeout(this.#timers.get(queue));
    this.#timers.delete(queue);
    // Deno KV keeps no order, even within one send: deliver a batch in the order it was sent.
    const batch = (this.#waiting.get(queue) ?? []).sort(
      (a, b) => a.envelope.enqueuedAt - b.envelope.enqueuedAt || a.envelope.seq - b.envelope.seq,
    );
    this.#waiting.delete(queue);
    if (batch.length === 0) return;
    const run = this.#deliver(queue, batch).finally(() => this.#inFlight.delete(run));
    this.#inFlight.add(run);
  }

  async #deliver(queue: string, batch: Waiting[]): Promise<void> {
    const incoming = batch.map(({ envelope }): IncomingMessage => ({
      id: envelope.id,
      body: parseBody(envelope.body),
      attempts: envelope.attempts,
      timestamp: new Date(envelope.enqueuedAt),
    }));
    let results: MessageResult[];
    try {
      results = await this.runtime.deliver(queue, incoming, this.waitUntil);
    } catch (error) {
      this.runtime.log.error("queue batch failed; Deno KV will deliver it again", { queue, error });
      for (const w of batch) w.reject(error);
      return;
    }
    // Results come in the order of the messages (the same envelope may arrive twice: match by position).
    const retries = batch.flatMap((w, i) => {
      const result = results[i];
      if (result?.outcome !== "retried") return [];
      const envelope = { ...w.envelope, attempts: w.envelope.attempts + 1 };
      return [{ waiting: w, item: { envelope, delayMs: (result.delaySeconds ?? 0) * 1000 } }];
    });
    try {
      await enqueueEnvelopes(
        await this.kv(),
        retries.map((r) => r.item),
        this.options.backoffSchedule,
      );
    } catch (error) {
      this.runtime.log.error("could not enqueue the retries of a batch; Deno KV will deliver them again", {
        queue,
        error,
      });
      const failed = new Set(retries.map((r) => r.waiting));
      for (const w of batch) failed.has(w) ? w.reject(error) : w.resolve();
      return;
    }
    for (const w of batch) w.resolve();
  }
}

// skiff wrote the body as JSON text; a body that does not parse is handed over as text and fails its schema.
function parseBody(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

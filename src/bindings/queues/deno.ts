import { SkiffError } from "../../errors.js";
import type { DenoKvKeyPart } from "../kv/deno.js";
import { checkBatch } from "./producer.js";
import type { OutgoingMessage, QueueTransport } from "./types.js";

/** Options of one enqueue, as `Deno.Kv.enqueue` takes them (delays and backoff in milliseconds). */
interface EnqueueOptions {
  delay?: number;
  keysIfUndelivered?: DenoKvKeyPart[][];
  backoffSchedule?: number[];
}

/**
 * The part of a `Deno.Kv` that skiff's queues call: `atomic().enqueue(...).commit()` to send, `listenQueue` to
 * receive. `Deno.Kv` satisfies it. https://docs.deno.com/deploy/kv/manual/queue_overview/
 *
 * @example
 * ```ts
 * const queues: DenoKvQueue = await Deno.openKv();
 * ```
 */
export interface DenoKvQueue {
  atomic(): DenoKvAtomic;
  listenQueue(handler: (value: unknown) => Promise<void> | void): Promise<void>;
}

/**
 * The atomic operation skiff sends a batch with, so a batch is enqueued whole or not at all.
 *
 * @example
 * ```ts
 * await kv.atomic().enqueue(envelope, { delay: 60_000 }).commit();
 * ```
 */
export interface DenoKvAtomic {
  enqueue(value: unknown, options?: EnqueueOptions): DenoKvAtomic;
  commit(): Promise<{ ok: boolean }>;
}

/**
 * What skiff puts on the Deno KV queue: every app queue shares the database's one queue, so the envelope names its
 * queue. `body` is the JSON text (the size skiff checks everywhere, and what every other platform carries);
 * `attempts` is the number the next delivery reports (1 when sent; a skiff retry enqueues the next number).
 * `seq` is the message's position in its send: Deno KV delivers in no particular order, even within one atomic
 * commit, so a consumer sorts what it holds by `enqueuedAt` and `seq`.
 *
 * @example
 * ```ts
 * const envelope: DenoQueueEnvelope = { skiff: 1, queue: "orders", id: crypto.randomUUID(), body: "{}", attempts: 1, enqueuedAt: Date.now(), seq: 0 };
 * ```
 */
export interface DenoQueueEnvelope {
  skiff: 1;
  queue: string;
  id: string;
  body: string;
  attempts: number;
  enqueuedAt: number;
  seq: number;
}

/**
 * Deno's own redelivery of an envelope whose handler threw (skiff's handler only throws when it could not record a
 * message's outcome, such as a failed re-enqueue): 1 s, 5 s, 30 s, 2 min, 10 min, then the envelope is written under
 * {@link undeliveredKey} instead of being lost.
 *
 * @example
 * ```ts
 * denoQueue("orders", () => kv, { backoffSchedule: [1_000, 10_000] });
 * ```
 */
export const DENO_QUEUE_BACKOFF: readonly number[] = [1_000, 5_000, 30_000, 120_000, 600_000];

/** Deno KV refuses an enqueued value over 64 KiB; the envelope's own fields take the rest. */
const MAX_ENVELOPE_BODY_BYTES = 65_536 - 512;

// The size Deno stores a string at (V8 serialisation): one byte per character, or two when any character is
// beyond Latin-1. A few non-Latin-1 characters can so double a body that is well under the limit in UTF-8.
function storedSize(text: string): number {
  return /[^\u0000-\u00ff]/.test(text) ? text.length * 2 : text.length;
}

/**
 * Where Deno KV writes an envelope it could not deliver after its whole backoff schedule (`keysIfUndelivered`):
 * read them back with `kv.list({ prefix: ["skiff", "undelivered", queue] })`.
 *
 * @example
 * ```ts
 * for await (const { value } of kv.list({ prefix: ["skiff", "undelivered", "orders"] })) console.log(value);
 * ```
 */
export function undeliveredKey(queue: string, id: string): DenoKvKeyPart[] {
  return ["skiff", "undelivered", queue, id];
}

/**
 * Whether a value taken off the Deno KV queue is one of skiff's envelopes (another library may share the queue).
 *
 * @example
 * ```ts
 * kv.listenQueue((value) => { if (isDenoQueueEnvelope(value)) console.log(value.queue, value.id); });
 * ```
 */
export function isDenoQueueEnvelope(value: unknown): value is DenoQueueEnvelope {
  const v = value as Partial<DenoQueueEnvelope> | null;
  return (
    typeof v === "object" &&
    v !== null &&
    v.skiff === 1 &&
    typeof v.queue === "string" &&
    typeof v.id === "string" &&
    typeof v.body === "string" &&
    typeof v.attempts === "number" &&
    typeof v.enqueuedAt === "number" &&
    typeof v.seq === "number"
  );
}

/**
 * Enqueues envelopes in one atomic commit, each with its delay (ms), its `keysIfUndelivered` and Deno's backoff
 * schedule. The transport sends through it, and the Deno adapter re-enqueues a retried message through it.
 *
 * @example
 * ```ts
 * await enqueueEnvelopes(kv, [{ envelope, delayMs: 30_000 }]);
 * ```
 */
export async function enqueueEnvelopes(
  kv: DenoKvQueue,
  items: ReadonlyArray<{ envelope: DenoQueueEnvelope; delayMs?: number }>,
  backoffSchedule: readonly number[] = DENO_QUEUE_BACKOFF,
): Promise<void> {
  if (items.length === 0) return;
  const op = kv.atomic();
  for (const { envelope, delayMs } of items) {
    op.enqueue(envelope, {
      delay: delayMs ?? 0,
      keysIfUndelivered: [undeliveredKey(envelope.queue, envelope.id)],
      backoffSchedule: [...backoffSchedule],
    });
  }
  const result = await op.commit();
  if (!result.ok) throw new SkiffError(`Deno KV did not commit the enqueue of ${items.length} message(s)`);
}

/**
 * The transport of one queue on Deno KV: a batch is one atomic commit of envelopes (see {@link DenoQueueEnvelope}),
 * `delaySeconds` becomes Deno's `delay`, and each envelope carries `keysIfUndelivered` and a backoff schedule, so a
 * message Deno cannot deliver is kept, not dropped. Besides skiff's portable limits, a message is limited to Deno
 * KV's 64 KiB (skiff elsewhere allows 128 KB).
 *
 * @example
 * ```ts
 * const orders = denoQueue("orders", () => Deno.openKv());
 * await orders.send([{ body: { orderId: "o1" } }, { body: { orderId: "o2" }, delaySeconds: 60 }]);
 * ```
 */
export function denoQueue(
  queue: string,
  kv: () => DenoKvQueue | Promise<DenoKvQueue>,
  options: { backoffSchedule?: readonly number[]; now?: () => number } = {},
): QueueTransport {
  return {
    async send(messages: readonly OutgoingMessage[]): Promise<void> {
      if (messages.length === 0) return;
      checkBatch(queue, messages);
      const enqueuedAt = (options.now ?? Date.now)();
      const items = messages.map((m, seq) => {
        const body = JSON.stringify(m.body);
        const size = storedSize(body);
        if (size > MAX_ENVELOPE_BODY_BYTES)
          throw new SkiffError(
            `queue "${queue}": a message takes ${size} bytes in Deno KV, which carries at most ${MAX_ENVELOPE_BODY_BYTES} per message (JSON text, two bytes a character once any is beyond Latin-1): send a key and keep the payload in the database`,
          );
        const envelope: DenoQueueEnvelope = {
          skiff: 1,
          queue,
          id: crypto.randomUUID(),
          body,
          attempts: 1,
          enqueuedAt,
          seq,
        };
        return m.delaySeconds ? { envelope, delayMs: m.delaySeconds * 1000 } : { envelope };
      });
      await enqueueEnvelopes(await kv(), items, options.backoffSchedule);
    },
  };
}

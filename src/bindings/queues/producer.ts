import { SkiffError } from "../../errors.js";
import { type AnySchema, parseWithSchema, type SchemaInput } from "../../schema.js";
import {
  type OutgoingMessage,
  QUEUE_LIMITS,
  type QueueProducer,
  type QueueTransport,
  type SendOptions,
} from "./types.js";

const encoder = new TextEncoder();

/** @internal Checks a delay against the portable maximum; returns it unchanged. */
export function checkDelay(delaySeconds: number | undefined, what: string): number | undefined {
  if (delaySeconds === undefined) return undefined;
  if (!Number.isInteger(delaySeconds) || delaySeconds < 0 || delaySeconds > QUEUE_LIMITS.maxDelaySeconds) {
    throw new SkiffError(
      `${what}: delaySeconds must be an integer from 0 to ${QUEUE_LIMITS.maxDelaySeconds} (got ${delaySeconds})`,
    );
  }
  return delaySeconds;
}

/** @internal Size of a body once serialised as JSON, which is how every transport carries it. */
export function jsonSize(body: unknown, what: string): number {
  let text: string | undefined;
  try {
    text = JSON.stringify(body);
  } catch (error) {
    throw new SkiffError(`${what}: body is not JSON-serialisable`, { cause: error });
  }
  if (text === undefined) throw new SkiffError(`${what}: body is not JSON-serialisable (got ${typeof body})`);
  return encoder.encode(text).byteLength;
}

/**
 * @internal Validates a batch against the portable limits. Exported for transports that are handed raw messages
 * (dead-letter sends).
 */
export function checkBatch(queue: string, messages: readonly OutgoingMessage[]): void {
  const what = `queue "${queue}"`;
  if (messages.length > QUEUE_LIMITS.maxBatchMessages) {
    throw new SkiffError(
      `${what}: sendBatch takes at most ${QUEUE_LIMITS.maxBatchMessages} messages (got ${messages.length})`,
    );
  }
  let total = 0;
  for (const m of messages) {
    const size = jsonSize(m.body, what);
    if (size > QUEUE_LIMITS.maxMessageBytes) {
      throw new SkiffError(
        `${what}: a message is ${size} bytes; the limit is ${QUEUE_LIMITS.maxMessageBytes}`,
      );
    }
    checkDelay(m.delaySeconds, what);
    total += size;
  }
  if (total > QUEUE_LIMITS.maxBatchBytes) {
    throw new SkiffError(`${what}: the batch is ${total} bytes; the limit is ${QUEUE_LIMITS.maxBatchBytes}`);
  }
}

/**
 * Creates the typed producer of one queue: validates each body against `schema`, checks sizes and delays, then
 * hands the batch to `transport`. Nothing is sent when any message of a batch is invalid.
 *
 * @example
 * ```ts
 * const orders = createProducer("orders", OrderSchema, () => transport);
 * await orders.send({ orderId: "o1", sku: "tea", qty: 1 });
 * ```
 */
export function createProducer<S extends AnySchema>(
  name: string,
  schema: S,
  transport: () => QueueTransport,
): QueueProducer<SchemaInput<S>> {
  const sendBatch = async (
    messages: ReadonlyArray<{ body: SchemaInput<S>; delaySeconds?: number }>,
    options?: SendOptions,
  ): Promise<void> => {
    if (messages.length === 0) return;
    const out: OutgoingMessage[] = [];
    for (const [i, m] of messages.entries()) {
      await parseWithSchema(
        schema,
        m.body,
        messages.length === 1 ? `message for queue "${name}"` : `message #${i + 1} for queue "${name}"`,
      );
      const delaySeconds = m.delaySeconds ?? options?.delaySeconds;
      out.push(delaySeconds === undefined ? { body: m.body } : { body: m.body, delaySeconds });
    }
    checkBatch(name, out);
    await transport().send(out);
  };
  return {
    send: (body, options) => sendBatch([{ body }], options),
    sendBatch,
  };
}

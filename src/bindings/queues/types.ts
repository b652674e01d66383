/**
 * A message on its way to a queue backend: a JSON-serialisable body and an optional delivery delay. Producers build
 * them after validation; a {@link QueueTransport} receives them in batches.
 *
 * @example
 * ```ts
 * const messages: OutgoingMessage[] = [{ body: { orderId: "o1" } }, { body: { orderId: "o2" }, delaySeconds: 60 }];
 * await store.transport("orders").send(messages);
 * ```
 */
export interface OutgoingMessage {
  body: unknown;
  delaySeconds?: number;
}

/**
 * How messages leave the process for one queue: a Cloudflare Queue binding, SQS, or the local libSQL queue. The
 * core validates and sizes messages before they reach a transport; a transport only delivers them.
 *
 * @example
 * ```ts
 * const transport: QueueTransport = { send: async (messages) => { for (const m of messages) console.log(m.body) } };
 * ```
 */
export interface QueueTransport {
  send(messages: readonly OutgoingMessage[]): Promise<void>;
  /**
   * The longest `delaySeconds` this transport accepts (SQS: 900). Unset means {@link QUEUE_LIMITS}.maxDelaySeconds
   * (12 hours, Cloudflare Queues). Workflows wait longer than this in their timer table instead of in the queue.
   */
  readonly maxDelaySeconds?: number;
}

/**
 * Options of a single send. On `sendBatch` they apply to every message that sets no `delaySeconds` of its own.
 *
 * @example
 * ```ts
 * await c.var.queues.orders.send(order, { delaySeconds: 300 }); // delivered in five minutes at the earliest
 * ```
 */
export interface SendOptions {
  /** Seconds before the message may be delivered (0–43200). */
  delaySeconds?: number;
}

/**
 * A typed producer for one declared queue. `body` is checked against the queue's schema before it leaves, so a
 * consumer never sees a message its producer could not have sent.
 *
 * @example
 * ```ts
 * await c.var.queues.orders.send({ orderId: "o1", sku: "tea", qty: 2 });
 * await c.var.queues.orders.sendBatch([{ body: a }, { body: b, delaySeconds: 60 }]);
 * ```
 */
export interface QueueProducer<In> {
  send(body: In, options?: SendOptions): Promise<void>;
  sendBatch(
    messages: ReadonlyArray<{ body: In; delaySeconds?: number }>,
    options?: SendOptions,
  ): Promise<void>;
}

/**
 * The strictest limits among the platforms skiff targets (Cloudflare Queues), applied on every platform so that an
 * app tested locally cannot fail on its first deploy.
 *
 * @example
 * ```ts
 * for (let i = 0; i < bodies.length; i += QUEUE_LIMITS.maxBatchMessages) {
 *   await c.var.queues.orders.sendBatch(bodies.slice(i, i + QUEUE_LIMITS.maxBatchMessages).map((body) => ({ body })));
 * }
 * ```
 */
export const QUEUE_LIMITS = {
  maxMessageBytes: 128 * 1024,
  maxBatchMessages: 100,
  maxBatchBytes: 256 * 1024,
  maxDelaySeconds: 12 * 60 * 60,
} as const;

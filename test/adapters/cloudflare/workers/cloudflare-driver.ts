import {
  createExecutionContext,
  createMessageBatch,
  createScheduledController,
  getQueueResult,
  waitOnExecutionContext,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { type CloudflareWorker, toCloudflare } from "skiff/cloudflare";
import { app } from "../../../../examples/shop/app.js";
import type { ContractDriver, DeliveredMessage, Settlement } from "../../../contract/driver.js";

/** Cloudflare queue name of each app queue in the driver's Worker: distinct, to exercise `queueNames`. */
export const CONTRACT_QUEUES: Readonly<Record<string, string>> = {
  orders: "contract-orders",
  "orders-dlq": "contract-orders-dlq",
};

/** A Queue binding that records each body it sends, then forwards the batch to the real (Miniflare) queue. */
export function recordingQueue(binding: Queue, record: (body: unknown) => void): Queue {
  return {
    async send(body, options) {
      const response = await binding.send(body, options);
      record(body);
      return response;
    },
    async sendBatch(messages, options) {
      const list = [...messages];
      const response = await binding.sendBatch(list, options);
      for (const m of list) record(m.body);
      return response;
    },
    metrics: () => binding.metrics(),
  };
}

/** What workerd reports for one message of a batch, from `getQueueResult()`. */
export function settlementOf(
  result: Awaited<ReturnType<typeof getQueueResult>>,
  id: string,
): Settlement | "implicit" {
  if (result.retryMessages.some((r) => r.msgId === id)) return "retry";
  if (result.explicitAcks.includes(id)) return "ack";
  if (result.retryBatch.retry) return "retry";
  if (result.ackAll) return "ack";
  return "implicit";
}

/** Delivers `messages` to `worker.queue` as workerd would (a real MessageBatch), and returns workerd's result. */
export async function deliverBatch(
  worker: CloudflareWorker,
  workerEnv: Cloudflare.Env,
  queue: string,
  messages: DeliveredMessage[],
): Promise<Awaited<ReturnType<typeof getQueueResult>>> {
  const batch = createMessageBatch(
    queue,
    messages.map((m) => ({ id: m.id, timestamp: new Date(), attempts: m.attempts, body: m.body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, workerEnv, ctx);
  return getQueueResult(batch, ctx);
}

/**
 * Drives the shop as workerd runs a Worker: the module's handlers called with a real `ExecutionContext`,
 * `ScheduledController` and `MessageBatch` from the Workers pool, the real KV namespace, the database over HTTP
 * (the local Hrana endpoint), and real Queue bindings wrapped to record what the app sends.
 */
export async function cloudflareDriver(): Promise<ContractDriver> {
  const sent = new Map<string, unknown[]>();
  const recorder = (queue: string) => (body: unknown) => {
    const list = sent.get(queue) ?? [];
    list.push(body);
    sent.set(queue, list);
  };
  const workerEnv: Cloudflare.Env = {
    ...env,
    CONTRACT_ORDERS: recordingQueue(env.CONTRACT_ORDERS, recorder("orders")),
    CONTRACT_ORDERS_DLQ: recordingQueue(env.CONTRACT_ORDERS_DLQ, recorder("orders-dlq")),
  };
  const worker = toCloudflare(app, {
    queues: { orders: "CONTRACT_ORDERS", "orders-dlq": "CONTRACT_ORDERS_DLQ" },
    queueNames: { "contract-orders": "orders", "contract-orders-dlq": "orders-dlq" },
  });

  return {
    platform: "cloudflare",
    async fetch(request) {
      const ctx = createExecutionContext();
      const response = await worker.fetch(request, workerEnv, ctx);
      await waitOnExecutionContext(ctx);
      return response;
    },
    async fireCron(expression, scheduledTime) {
      const ctx = createExecutionContext();
      await worker.scheduled(
        createScheduledController({ cron: expression, scheduledTime: new Date(scheduledTime) }),
        workerEnv,
        ctx,
      );
      await waitOnExecutionContext(ctx);
    },
    async deliver(queue, messages) {
      const result = await deliverBatch(worker, workerEnv, CONTRACT_QUEUES[queue] ?? queue, messages);
      const out: Record<string, Settlement> = {};
      for (const m of messages) {
        const settlement = settlementOf(result, m.id);
        // toCloudflare settles every message explicitly; an implicit outcome would be a bug.
        if (settlement === "implicit") throw new Error(`message ${m.id} was left unsettled`);
        out[m.id] = settlement;
      }
      return out;
    },
    sent: async (queue) => [...(sent.get(queue) ?? [])],
    close: async () => undefined,
  };
}

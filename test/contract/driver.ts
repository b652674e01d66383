/** How a queue message was settled, as the platform itself observes it. */
export type Settlement = "ack" | "retry";

/** A message handed to a queue consumer the way the platform would hand it. */
export interface DeliveredMessage {
  id: string;
  body: unknown;
  /** 1 on first delivery. */
  attempts: number;
}

/**
 * One platform's way of driving the example app: each adapter's test implements it with the platform's own
 * event shapes (a Worker's fetch/scheduled/queue, Lambda events, Vercel route handlers, a Node server), and the
 * shared cases in `cases.ts` run unchanged on top.
 */
export interface ContractDriver {
  /** The platform name the app reports (`c.var.platform`). */
  readonly platform: string;
  /** An HTTP request, translated as the platform would. */
  fetch(request: Request): Promise<Response>;
  /** A cron firing, as the platform would; rejects when the run failed. */
  fireCron(expression: string, scheduledTime: number): Promise<void>;
  /** A batch delivered to the consumer of `queue`; resolves with each message's settlement by id. */
  deliver(queue: string, messages: DeliveredMessage[]): Promise<Record<string, Settlement>>;
  /** Bodies sent to `queue` by producers (including dead-letter sends) since the driver started, oldest first. */
  sent(queue: string): Promise<unknown[]>;
  /** Releases whatever the driver started. */
  close(): Promise<void>;
}

/** The admin API key the contract's writes send (`x-api-key`). */
export const CONTRACT_API_KEY = "contract-key";
/** What every driver puts in the app's env as `SHOP_API_KEY_SHA256`: sha256("contract-key"). */
export const CONTRACT_API_KEY_SHA256 = "a68e57a052aa22758f75bd93aa57dbaea91ac1f01c932e25ac7c6e9d1dd5c46f";

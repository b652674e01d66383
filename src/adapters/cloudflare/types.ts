// The slice of the Workers runtime API this adapter touches, declared structurally (as Hono does for
// `ExecutionContext`) so skiff's published types do not depend on @cloudflare/workers-types being installed.
// test/adapters/cloudflare/workers/types-check.ts proves the real types are assignable both ways.

// The binding shapes belong to the backends that call them; re-exported here, where the Worker types are.
export type { KVNamespaceBinding } from "../../bindings/kv/cloudflare.js";
export type { QueueBinding } from "../../bindings/queues/cloudflare.js";
export type { R2BucketBinding, R2ObjectLike } from "../../bindings/buckets/r2.js";

/**
 * What a Worker handler receives as `ctx`: the part skiff uses. Cloudflare's `ExecutionContext` satisfies it.
 * https://developers.cloudflare.com/workers/runtime-apis/context/
 *
 * @example
 * ```ts
 * const ctx: CloudflareExecutionContext = { waitUntil: (p) => void p, passThroughOnException() {} };
 * ```
 */
export interface CloudflareExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
  passThroughOnException?(): void;
  readonly props?: unknown;
}

/**
 * The `controller` of a `scheduled()` invocation: `cron` is the Cron Trigger string exactly as configured,
 * `scheduledTime` is in ms since the epoch. https://developers.cloudflare.com/workers/runtime-apis/handlers/scheduled/
 *
 * @example
 * ```ts
 * const controller: CloudflareScheduledController = { cron: "0 9 * * *", scheduledTime: Date.now() };
 * ```
 */
export interface CloudflareScheduledController {
  readonly cron: string;
  readonly scheduledTime: number;
  /** Tells Cloudflare not to retry this invocation if it fails. */
  noRetry?(): void;
}

/**
 * One message of a queue batch, as the Workers runtime delivers it (`attempts` starts at 1).
 * https://developers.cloudflare.com/queues/configuration/javascript-apis/#message
 *
 * @example
 * ```ts
 * for (const message of batch.messages) message.retry({ delaySeconds: 30 });
 * ```
 */
export interface CloudflareMessage {
  readonly id: string;
  readonly timestamp: Date;
  readonly body: unknown;
  readonly attempts: number;
  ack(): void;
  retry(options?: { delaySeconds?: number }): void;
}

/**
 * The batch a `queue()` handler receives; `queue` is the Cloudflare queue's name.
 * https://developers.cloudflare.com/queues/configuration/javascript-apis/#messagebatch
 *
 * @example
 * ```ts
 * const names = batch.messages.map((m) => m.id);
 * ```
 */
export interface CloudflareMessageBatch {
  readonly queue: string;
  readonly messages: readonly CloudflareMessage[];
}

/**
 * The Worker `toCloudflare()` builds: `export default` it. Assignable to Cloudflare's `ExportedHandler<Env>`:
 * `Bindings` is the app's declared `Bindings`, or `unknown` (any env) when it declares none.
 *
 * @example
 * ```ts
 * const worker: CloudflareWorker<Env> = toCloudflare(new Skiff<{ Bindings: Env }>());
 * export default worker satisfies ExportedHandler<Env>;
 * ```
 */
export interface CloudflareWorker<Bindings = unknown> {
  fetch(request: Request, env: Bindings, ctx: CloudflareExecutionContext): Promise<Response>;
  scheduled(
    controller: CloudflareScheduledController,
    env: Bindings,
    ctx: CloudflareExecutionContext,
  ): Promise<void>;
  queue(batch: CloudflareMessageBatch, env: Bindings, ctx: CloudflareExecutionContext): Promise<void>;
}

/**
 * The `env` type of an app's Worker: its declared `Bindings`, else `unknown`, so that the Worker fits
 * `ExportedHandler<Env>` whatever `Env` is (an interface has no index signature, so `Record<string, unknown>` would
 * not accept it).
 *
 * @example
 * ```ts
 * type A = WorkerBindings<{ Bindings: { KV: KVNamespace } }>; // { KV: KVNamespace }
 * type B = WorkerBindings<{}>;                                // unknown
 * ```
 */
export type WorkerBindings<E> = E extends { Bindings: infer B extends object } ? B : unknown;

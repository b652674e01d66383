// The slice of @azure/functions (the v4 Node programming model) the adapter uses. Types only: the registration API
// itself is the library's `app`, or the one passed as `toAzure(app, { functions })`.
import type { app, InvocationContext } from "@azure/functions";

export type { HttpRequest, HttpResponseInit, InvocationContext, Timer, Cookie } from "@azure/functions";

/**
 * The registration functions of `@azure/functions`' `app` that `toAzure` calls: one HTTP function, one timer per
 * cron, one Storage or Service Bus queue trigger per consumed queue. The library's `app` is the default; a test
 * may pass it explicitly.
 *
 * @example
 * ```ts
 * import { app } from "@azure/functions";
 * const functions: AzureFunctionsApp = app;
 * ```
 */
export type AzureFunctionsApp = Pick<typeof app, "http" | "timer" | "storageQueue" | "serviceBusQueue">;

/**
 * A Storage queue trigger's metadata as the v4 model hands it over in `context.triggerMetadata` (camel-cased
 * names of the binding's metadata: https://learn.microsoft.com/azure/azure-functions/functions-bindings-storage-queue-trigger#message-metadata).
 *
 * @example
 * ```ts
 * const meta: StorageQueueMetadata = { id: "9c4c...", dequeueCount: 1, insertionTime: "2026-01-02T09:00:00+00:00" };
 * ```
 */
export interface StorageQueueMetadata {
  id?: string;
  dequeueCount?: number | string;
  insertionTime?: string;
  expirationTime?: string;
  nextVisibleTime?: string;
  popReceipt?: string;
}

/**
 * A Service Bus queue trigger's metadata in `context.triggerMetadata`
 * (https://learn.microsoft.com/azure/azure-functions/functions-bindings-service-bus-trigger#message-metadata).
 *
 * @example
 * ```ts
 * const meta: ServiceBusMetadata = { messageId: "m1", deliveryCount: 2, enqueuedTimeUtc: "2026-01-02T09:00:00Z" };
 * ```
 */
export interface ServiceBusMetadata {
  messageId?: string;
  deliveryCount?: number | string;
  enqueuedTimeUtc?: string;
  sequenceNumber?: number | string;
}

/**
 * What `toAzure(app)` registered, by Azure function name: the HTTP catch-all, each cron's NCRONTAB schedule and
 * each queue trigger with its Azure queue and connection setting. Useful in tests and in start-up logs.
 *
 * @example
 * ```ts
 * const shop: AzureRegistration = toAzure(app);
 * shop.crons; // [{ name: "cron_0_9_x_x_x_5c3a1f0e", cron: "0 9 * * *", schedule: "0 0 9 * * *" }]
 * ```
 */
export interface AzureRegistration {
  readonly http: { readonly name: string; readonly route: string } | undefined;
  readonly crons: ReadonlyArray<{ readonly name: string; readonly cron: string; readonly schedule: string }>;
  readonly queues: ReadonlyArray<{
    readonly name: string;
    readonly queue: string;
    readonly kind: "storage" | "serviceBus";
    readonly azureQueue: string;
    readonly connection: string;
  }>;
}

/**
 * @internal The invocation context handlers get, as far as the adapter reads it.
 *
 * @example
 * ```ts
 * const meta = (context as AzureContext).triggerMetadata;
 * ```
 */
export type AzureContext = Pick<InvocationContext, "invocationId" | "functionName" | "triggerMetadata">;

import { app as functionsApp } from "@azure/functions";
import type { Env } from "hono";
import type { Schema } from "hono/types";
import type { Skiff } from "../../app.js";
import { SkiffError } from "../../errors.js";
import { runtimeContext, type SkiffRuntime } from "../../runtime.js";
import type { QueueSchemas } from "../../types.js";
import { WaitUntilTracker } from "../../wait-until.js";
import { toResponseInit, toWebRequest } from "./http.js";
import { type AzureOptions, resolveAzureOptions } from "./options.js";
import { deliverInvocation } from "./queue.js";
import { retryWithDelay, SERVICE_BUS_NO_DELAY } from "./_retry-delay.js";
import { createAzureRuntime } from "./runtime.js";
import { scheduledTimeOf, timerSchedules } from "./timer.js";
import type { AzureContext, AzureRegistration, HttpRequest, InvocationContext, Timer } from "./types.js";

const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
const UTC_ZONES = new Set(["utc", "etc/utc", "coordinated universal time", "gmt", "etc/gmt"]);

/**
 * Registers a skiff app with Azure Functions (the v4 Node programming model of `@azure/functions`): one HTTP
 * function for every route (`{*path}`, all methods, `authLevel` anonymous unless set), one timer trigger per cron
 * (its NCRONTAB schedule, with seconds, from {@link renderAzure}), and one queue trigger per consumed queue, on
 * Azure Storage Queues (`dequeueCount` is the attempt) or Service Bus (`deliveryCount`), through skiff's one
 * contract: a handler that returns acks, a throw retries, `maxRetries` then the app's `deadLetter` queue. Producers
 * send through the Storage REST API (Shared Key or SAS) or Service Bus REST on `fetch`. Call it once, at the top
 * level of the module package.json's `main` names; the runtime and bindings are created on the first invocation.
 * Azure has no `waitUntil`: work passed to it is awaited before the invocation ends. A retry's delay is honoured on
 * Storage queues by setting the message's visibility (Update Message) before the handler throws. What Azure cannot
 * honour is said at start-up: a `WEBSITE_TIME_ZONE` other than UTC is refused (see `cronTimeZone`), and a Service
 * Bus consumer with a retry delay is told, once, that Service Bus redelivers an abandoned message at once.
 *
 * @example
 * ```ts
 * // examples/shop/azure.ts, the package's "main": the shop on Azure Functions
 * import { toAzure } from "skiff/azure";
 * import { app } from "./app.js";
 *
 * toAzure(app, { queues: { orders: { kind: "storage" } } });
 * ```
 */
export function toAzure<E extends Env, Q extends QueueSchemas, S extends Schema, B extends string>(
  app: Skiff<E, Q, S, B>,
  options: AzureOptions = {},
): AzureRegistration {
  const env =
    options.env ??
    (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ??
    {};
  const resolved = resolveAzureOptions(app.triggers, options, env);
  const functions = options.functions ?? functionsApp;
  const crons = timerSchedules(app.triggers);
  const zone = env.WEBSITE_TIME_ZONE?.trim();
  if (crons.length && zone && !UTC_ZONES.has(zone.toLowerCase()) && resolved.cronTimeZone === "utc")
    throw new SkiffError(
      `toAzure: WEBSITE_TIME_ZONE is "${zone}", so Azure would fire this app's crons in that zone's local time, while skiff crons are UTC: remove the setting, or pass toAzure(app, { cronTimeZone: "website" }) to fire them in local time`,
    );

  let runtime: SkiffRuntime | undefined;
  const runtimeFor = () => (runtime ??= createAzureRuntime(app, resolved));
  const invoke = async <T>(
    context: InvocationContext,
    run: (r: SkiffRuntime, t: WaitUntilTracker) => Promise<T>,
  ) => {
    const r = runtimeFor();
    const tracker = new WaitUntilTracker(r.log.child({ invocationId: context.invocationId }));
    try {
      return await run(r, tracker);
    } finally {
      await tracker.settle();
    }
  };

  let http: AzureRegistration["http"];
  if (resolved.http) {
    http = { name: "http", route: resolved.route };
    functions.http(http.name, {
      methods: [...METHODS],
      route: resolved.route,
      authLevel: resolved.authLevel,
      handler: (request: HttpRequest, context) =>
        invoke(context, async (r, tracker) =>
          toResponseInit(await app.fetch(toWebRequest(request), env, runtimeContext(r, tracker))),
        ),
    });
  }

  for (const { name, cron, key, schedule } of crons) {
    functions.timer(name, {
      schedule,
      handler: (timer: Timer, context) =>
        invoke(context, (r, tracker) => {
          if (timer.isPastDue)
            r.log.warn("timer is past due: this run stands for a missed occurrence", { cron });
          return r.fire(
            {
              cron,
              scheduledTime: scheduledTimeOf(key, resolved.cronTimeZone, resolved.now()),
              executionId: context.invocationId,
            },
            tracker.waitUntil,
          );
        }),
    });
  }

  const warned = new Set<string>();
  const warnOnce = (queue: string, message: string, fields: Record<string, unknown>) => {
    if (warned.has(queue)) return;
    warned.add(queue);
    runtimeFor().log.warn(message, { queue, ...fields });
  };
  const delayRetry = (queue: string, context: AzureContext, delaySeconds: number) =>
    retryWithDelay(runtimeFor(), resolved, queue, context, delaySeconds, warnOnce);
  const queues: Array<AzureRegistration["queues"][number]> = [];
  for (const [queue, consumer] of app.triggers.queues) {
    const target = resolved.queues.get(queue) ?? {
      kind: "storage" as const,
      azureQueue: queue,
      connection: "AzureWebJobsStorage",
    };
    const name = `queue_${queue.replace(/[^A-Za-z0-9-]/g, "_")}`;
    const handler = (entry: unknown, context: InvocationContext) =>
      invoke(context, (r, tracker) =>
        deliverInvocation(r, queue, target.kind, entry, context, tracker.waitUntil, delayRetry),
      );
    if (target.kind === "storage")
      functions.storageQueue(name, { queueName: target.azureQueue, connection: target.connection, handler });
    else
      functions.serviceBusQueue(name, {
        queueName: target.azureQueue,
        connection: target.connection,
        handler,
      });
    queues.push({ name, queue, ...target });
    if (target.kind === "serviceBus" && consumer.options.retryDelaySeconds > 0)
      warnOnce(queue, SERVICE_BUS_NO_DELAY, { retryDelaySeconds: consumer.options.retryDelaySeconds });
  }
  return { http, crons: crons.map(({ name, cron, schedule }) => ({ name, cron, schedule })), queues };
}

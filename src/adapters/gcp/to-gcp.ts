import { cloudEvent, http } from "@google-cloud/functions-framework";
import type { Env } from "hono";
import type { Schema } from "hono/types";
import type { Skiff } from "../../app.js";
import { SKIFF_QUEUE_ATTRIBUTE } from "../../bindings/queues/pubsub/transport.js";
import { SkiffError } from "../../errors.js";
import { runtimeContext } from "../../runtime.js";
import type { BindingsOf, QueueSchemas } from "../../types.js";
import { WaitUntilTracker } from "../../wait-until.js";
import { readPubSubEvent } from "./_message.js";
import { installBodyErrorAnswer, serveHttp } from "./http.js";
import { type GcpOptions, resolveGcpOptions } from "./options.js";
import { deliverPubSubMessage } from "./pubsub.js";
import { createGcpState, type GcpState, resolveGcpEnv } from "./runtime.js";
import { fireCronMessage } from "./scheduled.js";
import type { GcpEventFunction, GcpFunctions, GcpHttpFunction } from "./types.js";

/**
 * Serves a skiff app as Google Cloud Run functions (and Cloud Functions 2nd gen) on the Functions Framework. It
 * registers two functions with `@google-cloud/functions-framework`: an HTTP function (`skiff`) for the app's routes,
 * and a CloudEvent function (`skiffEvent`) for Pub/Sub triggers, which delivers a message to the consumer of the
 * queue its topic maps to, or runs the `app.cron()` handlers a Cloud Scheduler job names on the cron topic. Deploy
 * the HTTP function once and the event function once per topic (`--trigger-topic`, `--retry`); `skiff build
 * --target gcp` prints the commands and writes the scheduler jobs.
 *
 * Bindings are created once per instance, on the first invocation: `db` and `kv` on libSQL (`TURSO_DATABASE_URL`),
 * producers on Pub/Sub REST with the function's service account. Background work (`waitUntil`) is awaited before
 * an invocation ends, because Cloud Run throttles the CPU of an instance that is not serving a request.
 *
 * @example
 * ```ts
 * // index.ts, deployed with --entry-point skiff (HTTP) and --entry-point skiffEvent (each Pub/Sub trigger)
 * import { toGcp } from "skiff/gcp";
 * import { app } from "./app.js";
 * toGcp(app);
 * ```
 */
export function toGcp<E extends Env, Q extends QueueSchemas, S extends Schema, B extends string>(
  app: Skiff<E, Q, S, B>,
  options: GcpOptions = {},
): GcpFunctions {
  const settings = resolveGcpOptions(app.triggers, options);
  const warned = new Set<string>();
  // One per instance, held by this closure and never in module state.
  let state: GcpState | undefined;
  let bodyErrors = false;
  const init = (): GcpState => {
    const created = createGcpState(app, resolveGcpEnv(options.env), settings, options);
    announceRetryDelays(created);
    return created;
  };

  const httpFunction: GcpHttpFunction = async (req, res) => {
    const s = (state ??= init());
    bodyErrors ||= installBodyErrorAnswer(req);
    const tracker = new WaitUntilTracker(s.runtime.log);
    await serveHttp(
      req,
      res,
      s.runtime.log,
      (request) => app.fetch(request, s.env as BindingsOf<E>, runtimeContext(s.runtime, tracker)),
      () => tracker.settle(),
    );
  };

  const eventFunction: GcpEventFunction = async (event) => {
    const s = (state ??= init());
    const tracker = new WaitUntilTracker(s.runtime.log);
    try {
      const parts = readPubSubEvent(event);
      if (parts.topic === settings.cronTopic)
        return await fireCronMessage(s, event, parts, tracker.waitUntil);
      const queue =
        parts.topic === undefined
          ? parts.message.attributes?.[SKIFF_QUEUE_ATTRIBUTE]
          : settings.queueOfTopic(parts.topic);
      if (queue === undefined)
        throw new SkiffError(
          `a Pub/Sub event from ${event.source} names no topic and its message no "${SKIFF_QUEUE_ATTRIBUTE}" attribute, so skiff cannot tell its queue`,
        );
      await deliverPubSubMessage(s, event, parts, queue, tracker.waitUntil, warned);
    } finally {
      await tracker.settle();
    }
  };

  if (settings.names) {
    // The framework types its arguments as Express objects; skiff names only the members it uses (types.ts), which
    // Express's request and response have.
    http(settings.names.http, httpFunction as unknown as Parameters<typeof http>[1]);
    cloudEvent(settings.names.event, eventFunction);
  }
  return {
    http: httpFunction,
    event: eventFunction,
    names: settings.names ?? { http: "", event: "" },
  };
}

// Pub/Sub retries a message after the subscription's backoff, never after a delay of the consumer's choosing: said
// once per instance, naming the queues whose retryDelaySeconds is therefore replaced.
function announceRetryDelays(state: GcpState): void {
  const delayed = [...state.runtime.registry.queues.values()]
    .filter((q) => q.options.retryDelaySeconds > 0)
    .map((q) => `"${q.name}" (${q.options.retryDelaySeconds} s)`);
  if (delayed.length === 0) return;
  state.runtime.log.warn(
    `[skiff] Pub/Sub cannot delay the retry of one message: retries of ${delayed.join(", ")} and retry({ delaySeconds }) wait the subscription's retry policy instead (skiff build sets --min-retry-delay from retryDelaySeconds, at most 600 s)`,
  );
}

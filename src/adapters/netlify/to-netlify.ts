import type { Env } from "hono";
import type { BlankSchema, Schema } from "hono/types";
import type { Skiff } from "../../app.js";
import type { SkiffRuntime } from "../../runtime.js";
import { RequestDrainer } from "../../triggers/request-drainer.js";
import type { BindingsOf, QueueSchemas } from "../../types.js";
import { WaitUntilTracker } from "../../wait-until.js";
import { invocationWaitUntil } from "./_background.js";
import { httpRun, requestEnv } from "./http.js";
import { resolveNetlifyOptions, type NetlifyOptions } from "./options.js";
import { drainRun } from "./queue.js";
import { createNetlifyState, resolveNetlifyEnv, type NetlifyState } from "./runtime.js";
import { cronRun, registeredCron } from "./scheduled.js";
import type { NetlifyContext, NetlifyFunctions, NetlifyHandler } from "./types.js";

interface Instance {
  readonly state: NetlifyState;
  readonly tracker: WaitUntilTracker;
  readonly drainer: RequestDrainer | undefined;
  readonly envFor: ReturnType<typeof requestEnv>;
  waitUntil(context: NetlifyContext | undefined): (promise: Promise<unknown>) => void;
}

/**
 * Serves a skiff app as Netlify Functions (v2: `export default (request, context) => Response`). The returned
 * `fetch` is the HTTP function; `cron(expression)` is the scheduled function of one `app.cron()` expression (one
 * function per expression, each with Netlify's 30 s to itself); `drain` is the scheduled function that delivers the
 * durable libSQL queue, which the HTTP function also drains after responses through `context.waitUntil`. `db`, `kv`
 * and queues live in one libSQL database over HTTP (`TURSO_DATABASE_URL`, `TURSO_AUTH_TOKEN`). The bindings are
 * created once per function instance, at its first invocation. `skiff build --target netlify` writes the function
 * files and checks `netlify.toml`.
 *
 * @example
 * ```ts
 * // netlify/skiff.ts: the module every generated function imports
 * import { toNetlify } from "skiff/netlify";
 * import { app } from "../app.js";
 * export default toNetlify(app);
 * ```
 */
export function toNetlify<
  E extends Env,
  Q extends QueueSchemas,
  S extends Schema = BlankSchema,
  B extends string = "/",
>(app: Skiff<E, Q, S, B>, options: NetlifyOptions = {}): NetlifyFunctions {
  const settings = resolveNetlifyOptions(options);

  // One per function instance, held by this closure and never in module state.
  let instance: Instance | undefined;
  const init = (): Instance => {
    const state = createNetlifyState(app, resolveNetlifyEnv(options.env), options.createClient);
    const tracker = new WaitUntilTracker(state.runtime.log);
    const hasConsumers = app.triggers.queues.size > 0;
    return {
      state,
      tracker,
      drainer:
        settings.drainOnResponse && hasConsumers ? new RequestDrainer(state.runtime, state.store) : undefined,
      envFor: requestEnv(state.env),
      waitUntil: (context) => invocationWaitUntil(tracker, context, state.runtime.log),
    };
  };
  const get = () => (instance ??= init());
  const runtimeOf = (): SkiffRuntime => get().state.runtime;

  const fetch: NetlifyHandler = (request, context) => {
    const { state, drainer, envFor } = get();
    return httpRun(request, context, {
      fetch: (req, env, ctx) => app.fetch(req, env as BindingsOf<E>, ctx),
      envFor,
      runtime: state.runtime,
      waitUntil: get().waitUntil(context),
      afterResponse: drainer ? (waitUntil) => drainer.afterRequest(waitUntil) : undefined,
    });
  };

  const cron = (expression: string): NetlifyHandler => {
    const registered = registeredCron(app.triggers, expression);
    return (request, context) =>
      cronRun(runtimeOf(), registered, request, context?.requestId, settings.now(), get().waitUntil(context));
  };

  const drain: NetlifyHandler = (request, context) => {
    const { state } = get();
    return drainRun(state.runtime, state.store, request, settings.drainBudgetMs, get().waitUntil(context));
  };

  return { fetch, cron, drain, settle: () => instance?.tracker.settle() ?? Promise.resolve() };
}

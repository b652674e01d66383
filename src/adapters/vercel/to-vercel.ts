import type { Env } from "hono";
import type { BlankSchema, Schema } from "hono/types";
import type { Skiff } from "../../app.js";
import { runtimeContext } from "../../runtime.js";
import type { BindingsOf, QueueSchemas } from "../../types.js";
import { createVercelWaitUntil } from "./_wait-until.js";
import { handleRequest, type VercelInstance } from "./http.js";
import { resolveQueueBackend, resolveVercelOptions, type VercelOptions } from "./options.js";
import { RequestDrainer } from "../../triggers/request-drainer.js";
import { createVercelState, resolveVercelEnv } from "./runtime.js";
import type { VercelHandler, VercelHandlers } from "./types.js";

/**
 * Serves a skiff app as Vercel route handlers, on the edge runtime (`export const runtime = "edge"`) or the node
 * runtime. Bindings are created once per isolate or instance, on the first request: `db` and `kv` on libSQL,
 * queues on the durable libSQL queue. Each `app.cron()` expression is served at
 * `<basePath>/__skiff/cron/<slug>` and the queue drain at `<basePath>/__skiff/queues/drain`, both behind
 * `Authorization: Bearer $CRON_SECRET`; generate the matching `vercel.json` with `skiff build --target vercel`.
 *
 * @example
 * ```ts
 * // app/api/[[...route]]/route.ts
 * import { toVercel } from "skiff/vercel";
 * import { app } from "@/server/app";
 * export const runtime = "edge";
 * export const { GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS } = toVercel(app, { basePath: "/api" });
 * ```
 */
export function toVercel<
  E extends Env,
  Q extends QueueSchemas,
  S extends Schema = BlankSchema,
  B extends string = "/",
>(app: Skiff<E, Q, S, B>, options: VercelOptions = {}): VercelHandlers {
  const settings = resolveVercelOptions(options);
  const { intervalMs, now } = settings;

  // One per isolate (edge) or instance (node), held by this closure and never in module state.
  let instance: VercelInstance | undefined;
  const init = (): VercelInstance => {
    const env = resolveVercelEnv(options.env);
    const backend = resolveQueueBackend(options.queues, env);
    const state = createVercelState(app, env, options.createClient, { backend, ...options.vercelQueues });
    // On Vercel Queues the service delivers: nothing of the app's consumed queues waits in libSQL.
    const drainer =
      intervalMs === undefined || backend === "vercel"
        ? undefined
        : new RequestDrainer(state.runtime, state.store, { fullEveryMs: intervalMs, now });
    const background = createVercelWaitUntil(state.runtime.log);
    const context = runtimeContext(state.runtime, { waitUntil: background.waitUntil });
    return { state, background, drainer, context };
  };

  const handle: VercelHandler = async (request) =>
    handleRequest(request, (instance ??= init()), settings, (req, env, ctx) =>
      app.fetch(req, env as BindingsOf<E>, ctx),
    );

  return {
    GET: handle,
    POST: handle,
    PUT: handle,
    PATCH: handle,
    DELETE: handle,
    HEAD: handle,
    OPTIONS: handle,
    fetch: handle,
    settle: () => instance?.background.settle() ?? Promise.resolve(),
  };
}

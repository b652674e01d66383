import type { MiddlewareHandler } from "hono";
import { detachedRuntime, runtimeOf } from "./runtime.js";

/**
 * @internal The middleware every skiff app runs first: it puts the adapter's bindings on the context (`c.var.db`,
 * `kv`, `queues`, `log`, `platform`, `workflows`). Per request it only copies references: clients are per runtime.
 * Without an adapter (Hono's `app.request()`), routes that use no binding still work; see `detachedRuntime()`.
 *
 * @example
 * ```ts
 * this.use("*", bindingsOf(this)); // in the SkiffApp constructor
 * ```
 */
export function bindingsOf(app: Parameters<typeof detachedRuntime>[0]): MiddlewareHandler {
  return async function skiffBindings(c, next) {
    if (c.get("db") === undefined) {
      let runtime;
      try {
        runtime = runtimeOf(c.executionCtx);
      } catch {
        runtime = undefined; // no execution context at all
      }
      runtime ??= detachedRuntime(app);
      c.set("db", runtime.db);
      c.set("kv", runtime.kv);
      c.set("queues", runtime.queues);
      c.set("log", runtime.log);
      c.set("platform", runtime.platform);
      c.set("workflows", runtime.workflows);
    }
    await next();
  };
}

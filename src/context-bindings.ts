import type { MiddlewareHandler } from "hono";
import { detachedRuntime } from "./detached-runtime.js";
import { runtimeOf, type SkiffRuntime } from "./runtime.js";
import { relayAfterWork } from "./triggers/changes/hooks.js";

/**
 * @internal The middleware every skiff app runs first: it puts the adapter's bindings on the context (`c.var.db`,
 * `kv`, `queues`, `log`, `platform`, `workflows`, `buckets`). Per request it only copies references: clients are per runtime.
 * Without an adapter (Hono's `app.request()`), routes that use no binding still work; see `detachedRuntime()`.
 *
 * @example
 * ```ts
 * this.use("*", bindingsOf(this)); // in the SkiffApp constructor
 * ```
 */
export function bindingsOf(app: Parameters<typeof detachedRuntime>[0]): MiddlewareHandler {
  return async function skiffBindings(c, next) {
    let attached: SkiffRuntime | undefined;
    if (c.get("db") === undefined) {
      let runtime;
      try {
        runtime = runtimeOf(c.executionCtx);
      } catch {
        runtime = undefined; // no execution context at all
      }
      attached = runtime;
      runtime ??= detachedRuntime(app);
      c.set("db", runtime.db);
      c.set("kv", runtime.kv);
      c.set("queues", runtime.queues);
      c.set("log", runtime.log);
      c.set("platform", runtime.platform);
      c.set("workflows", runtime.workflows);
      c.set("buckets", runtime.buckets);
    }
    try {
      await next();
    } finally {
      // An app with app.onChange relays the outbox rows this request's writes produced (docs/changes.md).
      if (attached) relayAfterWork(attached, (p) => c.executionCtx.waitUntil(p));
    }
  };
}

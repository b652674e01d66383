import { Database } from "./bindings/db/database.js";
import type { KVStore } from "./bindings/kv/types.js";
import { createRuntime, missingRuntime, type SkiffRuntime } from "./runtime.js";
import type { TriggerRegistry } from "./triggers/registry.js";

/**
 * @internal The runtime of a request that reached the app without an adapter (Hono's `app.request()` or
 * `app.fetch()` called directly): routes that use no binding work as in Hono, and the first use of `db`, `kv` or a
 * queue fails with an error that says how to run the app. One per app, created on first need. Kept out of
 * `runtime.ts` because only `attachBindings` needs it, as a fallback.
 *
 * @example
 * ```ts
 * const runtime = runtimeOf(c.executionCtx) ?? detachedRuntime(app);
 * ```
 */
export function detachedRuntime(app: Parameters<typeof createRuntime>[0]): SkiffRuntime {
  let runtime = detached.get(app.triggers);
  if (!runtime) {
    const unavailable = () =>
      new Database(() => {
        throw missingRuntime();
      });
    runtime = createRuntime(app, {
      platform: "none",
      env: {},
      db: unavailable,
      kv: () => unavailableKV,
      queue: () => ({ send: () => Promise.reject(missingRuntime()) }),
    });
    detached.set(app.triggers, runtime);
  }
  return runtime;
}

const detached = new WeakMap<TriggerRegistry, SkiffRuntime>();

// The detached runtime's KV: every call fails like its db and queues. Not a libSQL KV over a failing database, so
// no Worker bundle carries the libSQL KV backend just for this.
const refuse = (): Promise<never> => Promise.reject(missingRuntime());
const unavailableKV: KVStore = { get: refuse, put: refuse, delete: refuse, list: refuse };

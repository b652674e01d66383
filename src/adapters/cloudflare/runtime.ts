import type { RuntimeOptions } from "../../runtime.js";
import { isKVNamespace, isQueue, lookupBinding } from "./binding.js";
import { cloudflareDatabase } from "../../bindings/db/web.js";
import { CloudflareKV } from "../../bindings/kv/cloudflare.js";
import type { BindingNames } from "./options.js";
import { cloudflareQueue } from "../../bindings/queues/cloudflare.js";

/**
 * The runtime options of a Worker: `db` over HTTP, `kv` on the KV binding, one transport per queue on its Queue
 * binding. Nothing is read from `env` here; each binding is looked up the first time it is used.
 *
 * @example
 * ```ts
 * runtime ??= createRuntime(app, cloudflareRuntimeOptions(env, resolveBindingNames(app.triggers)));
 * ```
 */
export function cloudflareRuntimeOptions(env: Record<string, unknown>, names: BindingNames): RuntimeOptions {
  return {
    platform: "cloudflare",
    env,
    db: () => cloudflareDatabase(env),
    kv: () =>
      new CloudflareKV(() =>
        lookupBinding(
          env,
          names.kv,
          isKVNamespace,
          "a KV namespace",
          `[[kv_namespaces]] binding = "${names.kv}"`,
        ),
      ),
    queue: (queue) => {
      const binding = names.queueBinding(queue);
      return cloudflareQueue(queue, () =>
        lookupBinding(
          env,
          binding,
          isQueue,
          `the Queue producer of "${queue}"`,
          `[[queues.producers]] binding = "${binding}" queue = "${queue}"`,
        ),
      );
    },
  };
}

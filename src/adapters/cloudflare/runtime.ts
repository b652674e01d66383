import type { Database } from "../../bindings/db/database.js";
import type { RuntimeOptions } from "../../runtime.js";
import { isKVNamespace, isQueue, isR2Bucket, lookupBinding } from "./_binding.js";
import { r2Store } from "../../bindings/buckets/r2.js";
import { webDatabase } from "../../bindings/db/web.js";
import { CloudflareKV } from "../../bindings/kv/cloudflare.js";
import type { BindingNames } from "./options.js";
import { cloudflareQueue } from "../../bindings/queues/cloudflare.js";

// What a user of the package does on Workers: a secret, or .dev.vars locally; not a script of this repository.
// https://developers.cloudflare.com/workers/configuration/secrets/
const CLOUDFLARE_MISSING_URL =
  "set it to your database URL (libsql://<db>-<org>.turso.io) with `wrangler secret put TURSO_DATABASE_URL` (and TURSO_AUTH_TOKEN), or in .dev.vars for `wrangler dev`";

/**
 * skiff's `db` on a Worker: libSQL over HTTP (a Worker has no filesystem and no native modules), from
 * `TURSO_DATABASE_URL` and `TURSO_AUTH_TOKEN`, read at the first query. A missing or `file:` URL fails that query with
 * a `ConfigError` naming `TURSO_DATABASE_URL` and saying how to set it on Workers.
 *
 * @example
 * ```ts
 * const db = cloudflareDatabase(env); // env.TURSO_DATABASE_URL = "libsql://shop-acme.turso.io"
 * const users = await db.all(sql`SELECT id, email FROM users LIMIT ${10}`);
 * ```
 */
export function cloudflareDatabase(env: Record<string, unknown>): Database {
  return webDatabase(env, { missing: CLOUDFLARE_MISSING_URL });
}

/**
 * The runtime options of a Worker: `db` over HTTP, `kv` on the KV binding, one transport per queue on its Queue
 * binding, each bucket on its R2 binding (R2 event notifications, sent to the bucket's queue, carry its changes). Nothing is read from `env` here; each binding is looked up the first time it is used.
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
    bucket: (bucket, declaration) => {
      const binding = names.bucketBinding(bucket);
      return r2Store(() =>
        lookupBinding(
          env,
          binding,
          isR2Bucket,
          `the R2 bucket of "${bucket}"`,
          `[[r2_buckets]] binding = "${binding}" bucket_name = "${declaration.name ?? bucket}"`,
        ),
      );
    },
  };
}

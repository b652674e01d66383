import { resolveDatabaseConfig } from "../../bindings/db/config.js";
import { functionDatabase } from "../../bindings/db/function.js";
import { LibsqlKV } from "../../bindings/kv/libsql.js";
import { PubSubClient } from "../../bindings/queues/pubsub/client.js";
import { pubsubTransport } from "../../bindings/queues/pubsub/transport.js";
import { createRuntime, type SkiffRuntime } from "../../runtime.js";
import type { GcpOptions, GcpSettings } from "./options.js";
import type { GcpEnv } from "./types.js";

// What a user of the package sets on Cloud Run functions: the function's environment, not a script of this repository.
const GCP_MISSING_URL =
  "set TURSO_DATABASE_URL (libsql://<db>-<org>.turso.io) and TURSO_AUTH_TOKEN on the function (`gcloud functions deploy ... --set-env-vars TURSO_DATABASE_URL=...`, the token through --set-secrets); a file: URL works only under /tmp and lasts as long as the instance";

/**
 * @internal The env to read: the option (or what its function returns), else `process.env`, read through
 * `globalThis` so the adapter imports no Node built-in.
 *
 * @example
 * ```ts
 * resolveGcpEnv(undefined) // process.env
 * ```
 */
export function resolveGcpEnv(option: GcpOptions["env"]): GcpEnv {
  if (typeof option === "function") return option();
  if (option) return option;
  return (globalThis as { process?: { env?: GcpEnv } }).process?.env ?? {};
}

/**
 * @internal What one instance serves with: the runtime, its env and its Pub/Sub client.
 *
 * @example
 * ```ts
 * const { runtime } = createGcpState(app, process.env, settings, {});
 * ```
 */
export interface GcpState {
  readonly env: GcpEnv;
  readonly runtime: SkiffRuntime;
  readonly pubsub: PubSubClient;
}

/**
 * @internal Builds the bindings once per instance, on the first invocation: `db` on `@libsql/client` from
 * `TURSO_DATABASE_URL` (read at the first query, so an invocation that never queries needs no variable), `kv` a
 * table in the same database, and every queue a producer on its Pub/Sub topic.
 *
 * @example
 * ```ts
 * const state = createGcpState(app, { TURSO_DATABASE_URL: "file:/tmp/shop.db" }, settings, {});
 * ```
 */
export function createGcpState(
  app: Parameters<typeof createRuntime>[0],
  env: GcpEnv,
  settings: GcpSettings,
  options: Pick<GcpOptions, "project" | "accessToken">,
): GcpState {
  const db = functionDatabase(() =>
    resolveDatabaseConfig(env, { allowFile: true, missing: GCP_MISSING_URL }),
  );
  const pubsub = new PubSubClient({ env, project: options.project, accessToken: options.accessToken });
  const runtime = createRuntime(app, {
    platform: "gcp",
    env,
    db: () => db,
    kv: () => new LibsqlKV(db),
    queue: (name) => pubsubTransport(pubsub, name, settings.topicOf(name)),
  });
  return { env, runtime, pubsub };
}

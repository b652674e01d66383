import type { Env } from "hono";
import type { Skiff } from "../../app.js";
import { libsqlClientOptions } from "../../bindings/db/client-options.js";
import { resolveDatabaseConfig } from "../../bindings/db/config.js";
import { Database } from "../../bindings/db/database.js";
import { nodeDatabase } from "../../bindings/db/node.js";
import { LibsqlKV } from "../../bindings/kv/libsql.js";
import { parseServiceBusConnection, parseStorageConnection } from "../../bindings/queues/azure/connection.js";
import { serviceBusTransport } from "../../bindings/queues/azure/service-bus.js";
import { storageQueueTransport } from "../../bindings/queues/azure/storage.js";
import type { QueueTransport } from "../../bindings/queues/types.js";
import { ConfigError } from "../../errors.js";
import { createRuntime, type SkiffRuntime } from "../../runtime.js";
import type { QueueSchemas } from "../../types.js";
import type { ResolvedAzureOptions, ResolvedAzureQueue } from "./options.js";

// What a user sets on Azure: the function app's application settings, not a script of this repository.
const AZURE_MISSING_URL =
  "set TURSO_DATABASE_URL (libsql://<db>-<org>.turso.io) and TURSO_AUTH_TOKEN in the function app's Application settings (Settings → Environment variables, or `az functionapp config appsettings set`), and in local.settings.json for `func start`";

function setting(env: Record<string, string | undefined>, name: string): string {
  const value = env[name]?.trim();
  if (!value)
    throw new ConfigError(
      `${name} is not set: it holds the connection string of the queues that name it; add it to the function app's Application settings (and local.settings.json's Values for func start)`,
      { variable: name },
    );
  return value;
}

/**
 * @internal The producer of one queue on Azure: Storage Put Message or Service Bus send, on the connection string in
 * the queue's setting, read at the first send.
 *
 * @example
 * ```ts
 * const transport = azureTransport({ kind: "storage", azureQueue: "orders", connection: "AzureWebJobsStorage" }, process.env);
 * ```
 */
export function azureTransport(
  queue: ResolvedAzureQueue,
  env: Record<string, string | undefined>,
  fetcher?: typeof fetch,
): QueueTransport {
  const options = fetcher ? { fetch: fetcher } : {};
  return queue.kind === "storage"
    ? storageQueueTransport(queue.azureQueue, {
        ...options,
        account: () => parseStorageConnection(setting(env, queue.connection), queue.connection),
      })
    : serviceBusTransport(queue.azureQueue, {
        ...options,
        namespace: () => parseServiceBusConnection(setting(env, queue.connection), queue.connection),
      });
}

/**
 * @internal The runtime of a function app: `db` on `@libsql/client` (`TURSO_DATABASE_URL`, read at the first query;
 * `file:` works on the app's disk), `kv` a table in it, and each queue's producer on Storage or Service Bus.
 *
 * @example
 * ```ts
 * const runtime = createAzureRuntime(app, resolved);
 * ```
 */
export function createAzureRuntime<E extends Env, Q extends QueueSchemas>(
  app: Pick<Skiff<E, Q>, "triggers" | "logOptions" | "migrations">,
  options: ResolvedAzureOptions,
): SkiffRuntime {
  const { env } = options;
  const config = () => resolveDatabaseConfig(env, { allowFile: true, missing: AZURE_MISSING_URL });
  const { createClient } = options;
  const db = createClient
    ? new Database(() => createClient(libsqlClientOptions(config())))
    : nodeDatabase(config);
  return createRuntime(app, {
    platform: "azure",
    env,
    db: () => db,
    kv: () => new LibsqlKV(db),
    // A queue only the runtime knows (skiff-workflows) is a Storage queue of the same name.
    queue: (name) =>
      azureTransport(
        options.queues.get(name) ?? { kind: "storage", azureQueue: name, connection: "AzureWebJobsStorage" },
        env,
      ),
  });
}

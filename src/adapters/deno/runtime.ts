import { createClient as createWebClient } from "@libsql/client/web";
import { libsqlClientOptions } from "../../bindings/db/client-options.js";
import { resolveDatabaseConfig } from "../../bindings/db/config.js";
import { Database } from "../../bindings/db/database.js";
import { ConfigError } from "../../errors.js";
import { DenoKV } from "../../bindings/kv/deno.js";
import { LibsqlKV } from "../../bindings/kv/libsql.js";
import { denoQueue } from "../../bindings/queues/deno.js";
import type { RuntimeOptions } from "../../runtime.js";
import type { ResolvedDenoOptions } from "./options.js";
import type { DenoKv } from "./types.js";

// Where a user of the package sets the variable on Deno Deploy, or locally.
// https://docs.deno.com/deploy/reference/env_vars_and_contexts
const DENO_MISSING_URL =
  "set it to your database URL (libsql://<db>-<org>.turso.io) and TURSO_AUTH_TOKEN in the Deno Deploy app's environment variables (console.deno.com, or `deno deploy env`), or locally to a libSQL HTTP endpoint (serveHrana from skiff/local), or to a file: URL with toDeno(app, { createClient }) from npm:@libsql/client";

/**
 * skiff's `db` on Deno: libSQL over HTTP (`@libsql/client/web`) from `TURSO_DATABASE_URL` and `TURSO_AUTH_TOKEN`,
 * read at the first query. With `createClient` from `npm:@libsql/client` (the native client, which Deno's npm
 * support loads), a `file:` URL opens an embedded database; without it a `file:` URL fails that first query with a
 * `ConfigError` saying so.
 *
 * @example
 * ```ts
 * const db = denoDatabase(Deno.env.toObject());
 * const users = await db.all(sql`SELECT id, email FROM users LIMIT ${10}`);
 * ```
 */
export function denoDatabase(
  env: Record<string, unknown>,
  createClient?: ResolvedDenoOptions["createClient"],
): Database {
  return new Database(() => {
    const raw = env.TURSO_DATABASE_URL;
    // Deno has a filesystem; it is the web client that cannot open a file, so say what opens one.
    if (!createClient && typeof raw === "string" && raw.trim().startsWith("file:"))
      throw new ConfigError(
        `TURSO_DATABASE_URL is "${raw.trim()}", which @libsql/client/web cannot open: pass toDeno(app, { createClient }) with createClient from npm:@libsql/client (the native client; run with --allow-ffi --allow-sys), or use a libsql:// or http(s):// URL`,
        { variable: "TURSO_DATABASE_URL" },
      );
    const config = resolveDatabaseConfig(env, {
      allowFile: createClient !== undefined,
      missing: DENO_MISSING_URL,
    });
    return (createClient ?? createWebClient)(libsqlClientOptions(config));
  });
}

/**
 * @internal The runtime options of a Deno app: `db` over HTTP (or the client given), `kv` on Deno KV (or the libSQL
 * table), and one Deno KV queue transport per queue. Deno KV is opened once, by `kv()`, the first time a binding or
 * the queue listener needs it.
 *
 * @example
 * ```ts
 * const runtime = createRuntime(app, denoRuntimeOptions(resolved, kv));
 * ```
 */
export function denoRuntimeOptions(options: ResolvedDenoOptions, kv: () => Promise<DenoKv>): RuntimeOptions {
  let db: Database | undefined;
  const database = () => (db ??= denoDatabase(options.env, options.createClient));
  const transport = options.backoffSchedule ? { backoffSchedule: options.backoffSchedule } : {};
  return {
    platform: "deno",
    env: options.env,
    db: database,
    kv: () => (options.kv === "libsql" ? new LibsqlKV(database()) : new DenoKV(kv)),
    queue: (name) => denoQueue(name, kv, transport),
  };
}

import type { Env } from "hono";
import type { Skiff } from "../../app.js";
import { webDatabase } from "../../bindings/db/web.js";
import { libsqlBindings } from "../../bindings/libsql.js";
import type { LibsqlQueueStore } from "../../bindings/queues/libsql/store.js";
import { createRuntime, type SkiffRuntime } from "../../runtime.js";
import type { QueueSchemas } from "../../types.js";
import type { NetlifyClientFactory, NetlifyEnv } from "./types.js";

/**
 * @internal The env to read: the option, else Netlify's `Netlify.env` (the global the Functions runtime defines,
 * https://docs.netlify.com/build/functions/api/#netlify-global-object), else `process.env` (`netlify dev`, tests).
 *
 * @example
 * ```ts
 * resolveNetlifyEnv(undefined); // Netlify.env.toObject() on Netlify
 * ```
 */
export function resolveNetlifyEnv(option: NetlifyEnv | (() => NetlifyEnv) | undefined): NetlifyEnv {
  if (typeof option === "function") return option();
  if (option) return option;
  const netlify = (globalThis as { Netlify?: { env?: { toObject?: () => NetlifyEnv } } }).Netlify;
  return netlify?.env?.toObject?.() ?? (globalThis as { process?: { env?: NetlifyEnv } }).process?.env ?? {};
}

/**
 * @internal What one function instance serves with: the skiff runtime, its env and the durable queue.
 *
 * @example
 * ```ts
 * const { runtime, store } = createNetlifyState(app, env, undefined);
 * ```
 */
export interface NetlifyState {
  readonly env: NetlifyEnv;
  readonly runtime: SkiffRuntime;
  readonly store: LibsqlQueueStore;
}

const NETLIFY_MISSING_URL =
  "set TURSO_DATABASE_URL (libsql://<db>-<org>.turso.io) and TURSO_AUTH_TOKEN in the site's environment variables (Site configuration → Environment variables, or `netlify env:set TURSO_DATABASE_URL <url>`) with the Functions scope, then redeploy";

/**
 * @internal Builds the bindings once per function instance: libSQL over HTTP by default (a function's filesystem
 * does not outlive the instance), KV and the durable queue in the same database. Nothing connects until the first
 * query; a missing `TURSO_DATABASE_URL` fails that query with a message that says where to set it.
 *
 * @example
 * ```ts
 * const state = createNetlifyState(app, { TURSO_DATABASE_URL: "https://shop-acme.turso.io" }, undefined);
 * ```
 */
export function createNetlifyState<E extends Env, Q extends QueueSchemas>(
  app: Pick<Skiff<E, Q>, "triggers" | "logOptions" | "migrations">,
  env: NetlifyEnv,
  createClient: NetlifyClientFactory | undefined,
): NetlifyState {
  // An injected client may open a file (`netlify dev`); the default web client cannot.
  const db = webDatabase(env, {
    allowFile: createClient !== undefined,
    missing: NETLIFY_MISSING_URL,
    createClient,
  });
  const { store, ...bindings } = libsqlBindings(db);
  const runtime = createRuntime(app, { platform: "netlify", env, ...bindings });
  return { env, runtime, store };
}

import type { Env } from "hono";
import type { Skiff } from "../../app.js";
import { webDatabase } from "../../bindings/db/web.js";
import { libsqlBindings } from "../../bindings/libsql.js";
import type { LibsqlQueueStore } from "../../bindings/queues/libsql/store.js";
import { vercelQueue } from "../../bindings/queues/vercel.js";
import { createRuntime, type SkiffRuntime } from "../../runtime.js";
import type { QueueSchemas } from "../../types.js";
import { vercelQueueNotes } from "./_queue-notes.js";
import type { VercelQueueBackend } from "./options.js";
import type { LibsqlClientFactory, VercelEnv, VercelPlatform } from "./types.js";

// Defined as a string by Vercel's edge runtime (and by the `edge-runtime` sandbox) and nowhere else. Declared, not
// imported, so that the check costs nothing and pulls in nothing.
declare const EdgeRuntime: unknown;

/**
 * @internal The runtime's name, from Vercel's documented check
 * (https://vercel.com/docs/functions/runtimes/edge#check-if-you're-running-on-the-edge-runtime).
 *
 * @example
 * ```ts
 * detectVercelPlatform() // "vercel-node" under Node, "vercel-edge" in an edge isolate
 * ```
 */
export function detectVercelPlatform(): VercelPlatform {
  return typeof EdgeRuntime === "string" ? "vercel-edge" : "vercel-node";
}

/**
 * @internal The env to read: the option, else `process.env` where it exists. The object itself is kept, not a copy:
 * on the edge runtime `process.env` does not enumerate every variable, but reading one by name works
 * (https://nextjs.org/docs/app/api-reference/edge#environment-variables). The `edge-runtime` sandbox used in tests
 * has no `process` at all.
 *
 * @example
 * ```ts
 * resolveVercelEnv(() => ({ CRON_SECRET: process.env.CRON_SECRET })) // { CRON_SECRET: "..." }
 * ```
 */
export function resolveVercelEnv(option: VercelEnv | (() => VercelEnv) | undefined): VercelEnv {
  if (typeof option === "function") return option();
  if (option) return option;
  return (globalThis as { process?: { env?: VercelEnv } }).process?.env ?? {};
}

/**
 * @internal What one isolate or instance serves with: the skiff runtime, its env and its durable queue.
 *
 * @example
 * ```ts
 * const { runtime, store } = createVercelState(app, env, undefined);
 * ```
 */
export interface VercelState {
  readonly platform: VercelPlatform;
  readonly env: VercelEnv;
  readonly runtime: SkiffRuntime;
  readonly store: LibsqlQueueStore;
  /** Which backend carries the queues that have a consumer. */
  readonly queues: VercelQueueBackend;
}

// What a user of the package does on Vercel: the project's settings, not a script of this repository.
const VERCEL_MISSING_URL =
  "set TURSO_DATABASE_URL (libsql://<db>-<org>.turso.io) and TURSO_AUTH_TOKEN in the project's Environment Variables (Project Settings → Environment Variables, or `vercel env add TURSO_DATABASE_URL`), then redeploy; `vercel env pull` copies them for `next dev`";

/**
 * @internal Builds the bindings once per isolate: libSQL over HTTP by default (the only transport the edge runtime
 * has; `file:` URLs are refused there with a message saying what to use), KV and the durable queue in the same
 * database. Nothing connects until the first query.
 *
 * @example
 * ```ts
 * const state = createVercelState(app, { TURSO_DATABASE_URL: "https://shop-acme.turso.io" }, undefined);
 * await state.runtime.db.get(sql`SELECT 1 AS one`);
 * ```
 */
export function createVercelState<E extends Env, Q extends QueueSchemas>(
  app: Pick<Skiff<E, Q>, "triggers" | "logOptions" | "migrations">,
  env: VercelEnv,
  createClient: LibsqlClientFactory | undefined,
  queues: { backend: VercelQueueBackend; region?: string; baseUrl?: string } = { backend: "libsql" },
): VercelState {
  const platform = detectVercelPlatform();
  // An injected client on the node runtime may open a file (local `next dev`); the web client and the edge cannot.
  const allowFile = platform === "vercel-node" && createClient !== undefined;
  const db = webDatabase(env, { allowFile, missing: VERCEL_MISSING_URL, createClient });
  const { store, queue, ...bindings } = libsqlBindings(db);
  const consumed = app.triggers.queues;
  // On Vercel Queues, only consumed queues move: a dead-letter queue without a consumer stays in libSQL, durable
  // and inspectable, instead of expiring from a topic nobody reads after 24 hours.
  const transport =
    queues.backend === "vercel"
      ? (name: string) =>
          consumed.has(name)
            ? vercelQueue(name, {
                env,
                ...(queues.region ? { region: queues.region } : {}),
                ...(queues.baseUrl ? { baseUrl: queues.baseUrl } : {}),
              })
            : queue(name)
      : queue;
  const runtime = createRuntime(app, { platform, env, ...bindings, queue: transport });
  if (queues.backend === "vercel") for (const note of vercelQueueNotes(app.triggers)) runtime.log.warn(note);
  return { platform, env, runtime, store, queues: queues.backend };
}

import type { Env } from "hono";
import type { Skiff } from "../../app.js";
import { localServer } from "../../local-server.js";
import { runtimeContext } from "../../runtime.js";
import { PullQueueWorker } from "../../triggers/pull-queue-worker.js";
import { testScheduledRoute } from "../../triggers/test-scheduled.js";
import type { QueueSchemas } from "../../types.js";
import { settlesWithin, WaitUntilTracker } from "../../wait-until.js";
import { listen } from "./http.js";
import { bunGlobal, resolveBunOptions, type BunServeOptions } from "./options.js";
import { bunRuntime } from "./runtime.js";
import { BunScheduler } from "./scheduled.js";
import type { SkiffBunServer } from "./types.js";

/**
 * Runs a skiff app on Bun with embedded defaults, as `serve()` from `skiff/node` does on Node: HTTP on `Bun.serve`
 * at `HOST`:`PORT`, the project's `.skiff/dev.db` on `bun:sqlite` (or Turso over HTTP when `TURSO_DATABASE_URL` is
 * set), KV and the durable queue in the same database, and the crons on `Bun.cron` in UTC. Resolves once listening;
 * `close()` (and SIGTERM) finishes within `shutdownGraceMs`.
 *
 * @example
 * ```ts
 * import { serve } from "skiff/bun";
 * import { app } from "./app.js";
 * const server = await serve(app); // HOST/PORT, else 127.0.0.1:8787 (0.0.0.0 with NODE_ENV=production)
 * console.log(`listening on ${server.url}`);
 * ```
 */
export async function serve<E extends Env, Q extends QueueSchemas>(
  app: Skiff<E, Q>,
  options: BunServeOptions = {},
): Promise<SkiffBunServer> {
  const bun = bunGlobal();
  const env = options.env ?? process.env;
  const resolved = resolveBunOptions(options, env);
  const { runtime, db, queueStore } = await bunRuntime(app, options, env, bun);
  // Fail at start-up, not on the first request, when the database cannot be opened.
  await db.client.execute("SELECT 1");
  const tracker = new WaitUntilTracker(runtime.log);
  const scheduler = new BunScheduler(runtime, tracker.waitUntil, bun);
  const worker = new PullQueueWorker(runtime, queueStore, tracker.waitUntil, resolved.pollIntervalMs);
  // One execution context for the life of the server: waitUntil always goes to the same tracker.
  const context = runtimeContext(runtime, tracker);
  const route = resolved.testScheduled
    ? (request: Request) =>
        testScheduledRoute(request, runtime.registry, (cron, at) => scheduler.fire(cron, at))
    : undefined;
  const server = listen(bun, resolved, (r, e, c) => app.fetch(r, e, c), env, context, runtime.log, route);

  return localServer({
    hostname: server.hostname,
    port: server.port,
    server,
    // Bun's stop() waits for in-flight requests; past the grace, stop(true) cuts them.
    stopHttp: (graceMs) =>
      settlesWithin(server.stop(), graceMs).then((done) => (done ? undefined : server.stop(true))),
    runtime,
    db,
    queueStore,
    tracker,
    scheduler,
    worker,
    options: { ...options, shutdownGraceMs: resolved.shutdownGraceMs },
  });
}

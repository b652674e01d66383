import type { AddressInfo, Socket } from "node:net";
import type { HttpBindings } from "@hono/node-server";
import type { Env } from "hono";
import type { Skiff } from "../../app.js";
import { localServer, resolveListen } from "../../local-server.js";
import { runtimeContext } from "../../runtime.js";
import { PullQueueWorker } from "../../triggers/pull-queue-worker.js";
import { LocalScheduler } from "../../triggers/scheduler.js";
import { testScheduledRoute } from "../../triggers/test-scheduled.js";
import type { QueueSchemas } from "../../types.js";
import { WaitUntilTracker } from "../../wait-until.js";
import { closeHttp, createHttpServer } from "./http.js";
import type { ServeOptions } from "./options.js";
import { nodeRuntime } from "./runtime.js";
import type { SkiffServer } from "./types.js";

/**
 * Runs a skiff app on Node with embedded defaults: HTTP through `@hono/node-server` on `HOST`:`PORT`, libSQL in
 * the project's `.skiff/dev.db` (or Turso when `TURSO_DATABASE_URL` is set), KV in the same database, a durable
 * local queue delivered to the app's consumers, and an in-process scheduler for its crons. Resolves once listening.
 * `server.server` is the `http.Server`, for WebSockets; `close()` (and SIGTERM) finishes within `shutdownGraceMs`.
 *
 * @example
 * ```ts
 * import { serve } from "skiff/node";
 * import { app } from "./app.js";
 * const server = await serve(app); // HOST/PORT, else 127.0.0.1:8787 (0.0.0.0 with NODE_ENV=production)
 * console.log(`listening on ${server.url}`);
 * ```
 */
export async function serve<E extends Env, Q extends QueueSchemas>(
  app: Skiff<E, Q>,
  options: ServeOptions = {},
): Promise<SkiffServer> {
  const env = options.env ?? process.env;
  const listen = resolveListen(options, env);
  const { runtime, db, queueStore } = nodeRuntime(app, options, env);
  // Fail at start-up, not on the first request, when the database cannot be opened.
  await db.client.execute("SELECT 1");
  const tracker = new WaitUntilTracker(runtime.log);
  const scheduler = new LocalScheduler(runtime, tracker.waitUntil);
  const worker = new PullQueueWorker(runtime, queueStore, tracker.waitUntil, options.pollIntervalMs);
  const testScheduled = options.testScheduled ?? env.NODE_ENV !== "production";
  const envPrototype = Object.freeze({ ...env });
  // One execution context for the life of the server: waitUntil always goes to the same tracker.
  const context = runtimeContext(runtime, tracker);

  const fetch = (request: Request, bindings: HttpBindings): Response | Promise<Response> => {
    if (testScheduled) {
      const response = testScheduledRoute(request, runtime.registry, (cron, at) => scheduler.fire(cron, at));
      if (response) return response;
    }
    // c.env is the process env plus node-server's incoming/outgoing, so Hono helpers such as getConnInfo work.
    const requestEnv = Object.assign(Object.create(envPrototype) as Record<string, unknown>, bindings);
    return app.fetch(request, requestEnv, context);
  };

  const server = createHttpServer(fetch, { hostname: listen.hostname, log: runtime.log });
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  const address = await new Promise<AddressInfo>((resolve, reject) => {
    server.once("error", reject);
    server.listen(listen.port, listen.hostname, () => {
      server.off("error", reject);
      resolve(server.address() as AddressInfo);
    });
  });
  return localServer({
    hostname: address.address,
    port: address.port,
    server,
    stopHttp: (graceMs) => closeHttp(server, sockets, graceMs),
    runtime,
    db,
    queueStore,
    tracker,
    scheduler,
    worker,
    options,
  });
}

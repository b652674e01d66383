import type { AddressInfo } from "node:net";
import { serve as serveHttp, type HttpBindings } from "@hono/node-server";
import type { Env } from "hono";
import type { Skiff } from "../../app.js";
import { resolveDatabaseConfig } from "../../bindings/db/config.js";
import type { Database } from "../../bindings/db/database.js";
import { LibsqlKV } from "../../bindings/kv/libsql.js";
import { LibsqlQueueStore } from "../../bindings/queues/libsql/store.js";
import { nodeDatabase } from "../../local/database.js";
import { LocalQueueWorker } from "../../local/queue-worker.js";
import { LocalScheduler } from "../../local/scheduler.js";
import { createRuntime, runtimeContext, type SkiffRuntime } from "../../runtime.js";
import type { QueueSchemas } from "../../types.js";
import { WaitUntilTracker } from "../../wait-until.js";
import { testScheduledRoute } from "./test-scheduled.js";

/**
 * Options of {@link serve}. Everything has a default, so `serve(app)` runs with no account and no configuration.
 *
 * @example
 * ```ts
 * await serve(app, { port: 0, database: { url: "file:/tmp/test.db" }, scheduler: false });
 * ```
 */
export interface ServeOptions {
  /** Port to listen on; 0 picks a free one. Default: `PORT` or 8787. */
  port?: number;
  /** Interface to bind. Default `127.0.0.1`, so a dev server is not exposed to the network. */
  hostname?: string;
  /** The env handlers see as `c.env` / `ctx.env`. Default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Database; default `TURSO_DATABASE_URL`/`TURSO_AUTH_TOKEN` from `env`, else `file:.skiff/dev.db`. */
  database?: { url: string; authToken?: string };
  /** Run the in-process cron scheduler. Default true. */
  scheduler?: boolean;
  /** Deliver the local durable queue to the app's consumers. Default true. */
  queues?: boolean;
  /** Poll interval of the local queue, for delayed, retried and cross-process messages. Default 250 ms. */
  pollIntervalMs?: number;
  /** Serve `/__scheduled?cron=...` to fire a cron by hand, as `wrangler dev --test-scheduled` does. Default: unless NODE_ENV=production. */
  testScheduled?: boolean;
  /** How long close() lets in-flight requests run before cutting their connections. Default 10 000 ms. */
  shutdownGraceMs?: number;
  /** Close gracefully on SIGINT/SIGTERM and exit. Default true. */
  handleSignals?: boolean;
}

/**
 * A running local server: its URL, the runtime (bindings) it serves with, and controls for tests and tools.
 *
 * @example
 * ```ts
 * const server = await serve(app, { port: 0 });
 * await fetch(`${server.url}/api/users`);
 * await server.drainQueues();
 * await server.close();
 * ```
 */
export interface SkiffServer {
  readonly url: string;
  readonly port: number;
  readonly runtime: SkiffRuntime;
  readonly db: Database;
  /** The durable local queue (inspect dead-letter queues with `queueStore.peek("orders-dlq")`). */
  readonly queueStore: LibsqlQueueStore;
  /** Fires a cron expression now, through the same dispatch as the scheduler. */
  fireCron(expression: string, scheduledTime?: number): Promise<void>;
  /** Delivers queued messages until no queue has a visible message. */
  drainQueues(): Promise<void>;
  /** Next run of each cron. */
  nextRuns(): Array<{ cron: string; next: Date | null }>;
  /** Stops accepting connections, finishes in-flight requests, cron runs and queue batches, awaits `waitUntil` work, closes the database. */
  close(): Promise<void>;
}

/**
 * Runs a skiff app on Node with embedded defaults: HTTP through `@hono/node-server`, libSQL in
 * `.skiff/dev.db` (or Turso when `TURSO_DATABASE_URL` is set), KV in the same database, a durable local queue
 * delivered to the app's consumers, and an in-process scheduler for its crons. Resolves once listening.
 *
 * @example
 * ```ts
 * import { serve } from "skiff/node";
 * import { app } from "./app.js";
 * const server = await serve(app, { port: 8787 });
 * console.log(`listening on ${server.url}`);
 * ```
 */
export async function serve<E extends Env, Q extends QueueSchemas>(
  app: Skiff<E, Q>,
  options: ServeOptions = {},
): Promise<SkiffServer> {
  const env = options.env ?? process.env;
  const config =
    options.database ?? resolveDatabaseConfig(env, { allowFile: true, fallbackUrl: "file:.skiff/dev.db" });
  const db = nodeDatabase(config);
  const queueStore = new LibsqlQueueStore(db);
  const runtime = createRuntime(app, {
    platform: "node",
    env,
    db: () => db,
    kv: () => new LibsqlKV(db),
    queue: (name) => queueStore.transport(name),
  });
  // Fail at start-up, not on the first request, when the database cannot be opened.
  await db.client.execute("SELECT 1");
  const tracker = new WaitUntilTracker(runtime.log);
  const scheduler = new LocalScheduler(app.triggers, runtime, tracker.waitUntil);
  const worker = new LocalQueueWorker(
    app.triggers,
    runtime,
    queueStore,
    tracker.waitUntil,
    options.pollIntervalMs,
  );
  const testScheduled = options.testScheduled ?? env.NODE_ENV !== "production";
  const envPrototype = Object.freeze({ ...env });
  // One execution context for the life of the server: waitUntil always goes to the same tracker.
  const context = runtimeContext(runtime, tracker);

  const fetch = (request: Request, bindings: HttpBindings): Response | Promise<Response> => {
    if (testScheduled) {
      const response = testScheduledRoute(request, scheduler);
      if (response) return response;
    }
    // c.env is the process env plus node-server's incoming/outgoing, so Hono helpers such as getConnInfo work.
    const requestEnv = Object.assign(Object.create(envPrototype) as Record<string, unknown>, bindings);
    return app.fetch(request, requestEnv, context);
  };

  const port = options.port ?? (env.PORT ? Number(env.PORT) : 8787);
  const hostname = options.hostname ?? "127.0.0.1";
  const { server, address } = await new Promise<{
    server: ReturnType<typeof serveHttp>;
    address: AddressInfo;
  }>((resolve, reject) => {
    const s = serveHttp({ fetch: fetch as never, port, hostname }, (info) =>
      resolve({ server: s, address: info }),
    );
    s.once("error", reject);
  });
  if (options.scheduler !== false) scheduler.start();
  if (options.queues !== false) worker.start();

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await new Promise<void>((resolve) => {
        const http = server as { closeIdleConnections?: () => void; closeAllConnections?: () => void };
        // Keep-alive sockets would hold close() open until they time out: close each one as soon as it is idle,
        // so in-flight requests finish and nothing else waits. After the grace period, cut what is left.
        const sweep = setInterval(() => http.closeIdleConnections?.(), 25);
        const cut = setTimeout(() => http.closeAllConnections?.(), options.shutdownGraceMs ?? 10_000);
        server.close(() => {
          clearInterval(sweep);
          clearTimeout(cut);
          resolve();
        });
        http.closeIdleConnections?.();
      });
      await Promise.all([scheduler.stop(), worker.stop()]);
      await tracker.settle();
      db.close();
    })());

  if (options.handleSignals !== false) {
    const onSignal = (signal: NodeJS.Signals) => {
      runtime.log.info("shutting down", { signal });
      void close().then(
        () => process.exit(0),
        (error: unknown) => {
          runtime.log.error("shutdown failed", { error });
          process.exit(1);
        },
      );
    };
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
  }

  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    runtime,
    db,
    queueStore,
    fireCron: (expression, scheduledTime) => scheduler.fire(expression, scheduledTime),
    drainQueues: () => worker.drain(),
    nextRuns: () => scheduler.nextRuns(),
    close,
  };
}

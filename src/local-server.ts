// What the long-running server adapters (skiff/node, skiff/bun, and Deno's `serve()`) share: where to listen, the
// options and controls of a local server, and a shutdown bounded by its grace. No Node built-in: Bun and Deno
// import it too.
import type { Database } from "./bindings/db/database.js";
import type { LibsqlQueueStore } from "./bindings/queues/libsql/store.js";
import { ConfigError } from "./errors.js";
import type { Logger } from "./logger.js";
import type { SkiffRuntime } from "./runtime.js";
import type { PullQueueWorker } from "./triggers/pull-queue-worker.js";
import type { CronRunner } from "./triggers/scheduler.js";
import { settlesWithin, type WaitUntilTracker } from "./wait-until.js";

/**
 * The options every local server (`serve()` of `skiff/node` and `skiff/bun`) takes besides its database, project
 * directory and scheduler. Everything has a default, so `serve(app)` runs with no account and no configuration.
 *
 * @example
 * ```ts
 * const options: LocalServerOptions = { port: 0, queues: false, shutdownGraceMs: 2_000 };
 * ```
 */
export interface LocalServerOptions {
  /** Port to listen on; 0 picks a free one. Default: `PORT`, else 8787. */
  port?: number;
  /**
   * Interface to bind. Default: `HOST`, else `127.0.0.1` (a dev server is not on the network), or `0.0.0.0` when
   * `NODE_ENV=production`, so the built `server.mjs` answers in a container.
   */
  hostname?: string;
  /** The env handlers see as `c.env` / `ctx.env`, and where `HOST`, `PORT` and `TURSO_*` are read. Default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Deliver the local durable queue to the app's consumers. Default true. */
  queues?: boolean;
  /** Poll interval of the local queue, for delayed, retried and cross-process messages. Default 250 ms. */
  pollIntervalMs?: number;
  /** Serve `/__scheduled?cron=...` to fire a cron by hand, as `wrangler dev --test-scheduled` does. Default: unless NODE_ENV=production. */
  testScheduled?: boolean;
  /**
   * The upper bound of `close()` (and so of SIGTERM): how long in-flight requests, cron runs, queue batches and
   * `waitUntil` tasks may run before they are cut. Queue messages whose handler is still running then are released
   * and delivered again on the next start. Default 10 000 ms.
   */
  shutdownGraceMs?: number;
  /** Close gracefully on SIGINT/SIGTERM and exit. Default true. */
  handleSignals?: boolean;
}

/**
 * A running local server, whatever runtime serves it: its URL, the runtime (bindings) it serves with, and controls
 * for tests and tools. Each adapter adds its own `server` (Node's `http.Server`, Bun's `Server`).
 *
 * @example
 * ```ts
 * const server: LocalServer = await serve(app, { port: 0 });
 * await fetch(`${server.url}/api/users`);
 * await server.drainQueues();
 * await server.close();
 * ```
 */
export interface LocalServer {
  /** Where to reach the server (a loopback address when it listens on every interface). */
  readonly url: string;
  /** The address it is bound to, such as `127.0.0.1` or `0.0.0.0`. */
  readonly hostname: string;
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
  /**
   * Stops accepting connections, lets in-flight requests, cron runs, queue batches and `waitUntil` work finish
   * within `shutdownGraceMs`, releases the messages of queue handlers still running, and closes the database.
   */
  close(): Promise<void>;
}

/**
 * Where a local server listens: explicit options win, then `HOST` and `PORT` from the env, then the defaults
 * (`127.0.0.1` in development so a dev server is not on the network, `0.0.0.0` when `NODE_ENV=production` so the
 * built `server.mjs` answers in a container; port 8787, as `wrangler dev`). A port that is not 0-65535 is refused
 * with a message naming the variable or option.
 *
 * @example
 * ```ts
 * resolveListen({}, { PORT: "3000", NODE_ENV: "production" }); // { hostname: "0.0.0.0", port: 3000 }
 * ```
 */
export function resolveListen(
  options: { port?: number; hostname?: string },
  env: Record<string, string | undefined>,
): { hostname: string; port: number } {
  const hostname =
    options.hostname ?? (env.HOST?.trim() || (env.NODE_ENV === "production" ? "0.0.0.0" : "127.0.0.1"));
  if (options.port !== undefined) return { hostname, port: checkPort(options.port, "the port option") };
  const raw = env.PORT?.trim();
  if (!raw) return { hostname, port: 8787 };
  if (!/^\d+$/.test(raw))
    throw new ConfigError(`PORT is "${raw}", not a port number: set it to 0-65535 (0 picks a free port)`, {
      variable: "PORT",
    });
  return { hostname, port: checkPort(Number(raw), "PORT") };
}

function checkPort(port: number, name: string): number {
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new ConfigError(`${name} is ${port}, not a port number: use 0-65535 (0 picks a free port)`, {
      variable: name === "PORT" ? "PORT" : "port",
    });
  return port;
}

/**
 * The URL of a server bound to `hostname`:`port`: a server bound to every interface is reached through the
 * loopback, and an IPv6 address is bracketed.
 *
 * @example
 * ```ts
 * serverUrl("0.0.0.0", 8787); // "http://127.0.0.1:8787"
 * serverUrl("::", 8000); // "http://[::1]:8000"
 * ```
 */
export function serverUrl(hostname: string, port: number): string {
  const host = hostname === "0.0.0.0" ? "127.0.0.1" : hostname === "::" ? "::1" : hostname;
  return `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
}

/**
 * What {@link localServer} assembles a running server from: where it is bound, the adapter's own server and how to
 * stop its HTTP within a grace, the runtime, database and durable queue it serves with, its tracker, scheduler and
 * queue worker, and the options that say which of them run and how long shutdown may take.
 *
 * @example
 * ```ts
 * const parts: LocalServerParts<Server> = { hostname, port, server, stopHttp, runtime, db, queueStore, tracker, scheduler, worker, options };
 * ```
 */
export interface LocalServerParts<S> {
  hostname: string;
  port: number;
  server: S;
  /** Stops accepting requests and lets in-flight ones finish, cutting what is left after `graceMs`. */
  stopHttp(graceMs: number): Promise<unknown>;
  runtime: SkiffRuntime;
  db: Database;
  queueStore: LibsqlQueueStore;
  tracker: WaitUntilTracker;
  scheduler: Pick<CronRunner, "fire" | "nextRuns" | "stop"> & { start(): void };
  worker: Pick<PullQueueWorker, "start" | "drain" | "stop">;
  options: Pick<LocalServerOptions, "queues" | "shutdownGraceMs" | "handleSignals"> & { scheduler?: boolean };
}

/**
 * Starts the scheduler and the queue worker of a listening server (unless `options.scheduler` / `options.queues`
 * is false) and returns its {@link LocalServer} handle, with the shutdown every local server has: `close()` runs
 * once, stops HTTP, the scheduler and the queue worker with the grace (`shutdownGraceMs`, default 10 000), then waits
 * for the `waitUntil` tasks until the same deadline (so SIGTERM has one upper bound whatever a handler does; what is
 * still running then is logged and abandoned), and closes the database. Unless `handleSignals` is false, the first
 * SIGINT or SIGTERM closes it and exits (0, or 1 when closing failed), through the `process` global that Node and
 * Bun both provide.
 *
 * @example
 * ```ts
 * return localServer({ hostname, port, server, stopHttp: (ms) => closeHttp(server, sockets, ms), runtime, db, queueStore, tracker, scheduler, worker, options });
 * ```
 */
export function localServer<S>(parts: LocalServerParts<S>): LocalServer & { readonly server: S } {
  const { runtime, tracker, scheduler, worker, options } = parts;
  if (options.scheduler !== false) scheduler.start();
  if (options.queues !== false) worker.start();
  const graceMs = options.shutdownGraceMs ?? 10_000;
  let closing: Promise<void> | undefined;
  let removeSignalHandlers = () => {};
  const close = () =>
    (closing ??= (async () => {
      // A closed server no longer answers signals: many servers in one process (tests) must not pile up handlers.
      removeSignalHandlers();
      const deadline = Date.now() + graceMs;
      await Promise.all([parts.stopHttp(graceMs), scheduler.stop(graceMs), worker.stop(graceMs)]);
      if (!(await settlesWithin(tracker.settle(), deadline - Date.now())))
        runtime.log.warn("waitUntil tasks still running at shutdown are abandoned", {
          graceMs,
          pending: tracker.size,
        });
      parts.db.close();
    })());
  if (options.handleSignals !== false) removeSignalHandlers = exitOnSignals(close, runtime.log);
  return {
    url: serverUrl(parts.hostname, parts.port),
    hostname: parts.hostname,
    port: parts.port,
    server: parts.server,
    runtime,
    db: parts.db,
    queueStore: parts.queueStore,
    fireCron: (expression, scheduledTime) => scheduler.fire(expression, scheduledTime),
    drainQueues: () => worker.drain(),
    nextRuns: () => scheduler.nextRuns(),
    close,
  };
}

// Returns how to remove the handlers again.
function exitOnSignals(close: () => Promise<void>, log: Logger): () => void {
  const onSignal = (signal: NodeJS.Signals) => {
    log.info("shutting down", { signal });
    void close().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error("shutdown failed", { error });
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  return () => {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  };
}

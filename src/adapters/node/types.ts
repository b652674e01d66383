import type { Server } from "node:http";
import type { Database } from "../../bindings/db/database.js";
import type { LibsqlQueueStore } from "../../bindings/queues/libsql/store.js";
import type { SkiffRuntime } from "../../runtime.js";

/**
 * Options of {@link serve}. Everything has a default, so `serve(app)` runs with no account and no configuration.
 *
 * @example
 * ```ts
 * await serve(app, { port: 0, database: { url: "file:/tmp/test.db" }, scheduler: false });
 * ```
 */
export interface ServeOptions {
  /** Port to listen on; 0 picks a free one. Default: `PORT`, else 8787. */
  port?: number;
  /**
   * Interface to bind. Default: `HOST`, else `127.0.0.1` (a dev server is not on the network), or `0.0.0.0` when
   * `NODE_ENV=production`, so the built `server.mjs` answers in a container.
   */
  hostname?: string;
  /** The env handlers see as `c.env` / `ctx.env`, and where `HOST`, `PORT` and `TURSO_*` are read. Default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Database; default `TURSO_DATABASE_URL`/`TURSO_AUTH_TOKEN` from `env`, else `<projectDir>/.skiff/dev.db`. */
  database?: { url: string; authToken?: string };
  /**
   * The app's project directory, where the default database lives. Default: the nearest directory with a
   * `package.json` above the module Node started (`process.argv[1]`), so the working directory does not matter.
   */
  projectDir?: string;
  /** Run the in-process cron scheduler. Default true. */
  scheduler?: boolean;
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
 * A running local server: its URL, the runtime (bindings) it serves with, the Node `http.Server`, and controls for
 * tests and tools.
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
  /** Where to reach the server (a loopback address when it listens on every interface). */
  readonly url: string;
  /** The address it is bound to, such as `127.0.0.1` or `0.0.0.0`. */
  readonly hostname: string;
  readonly port: number;
  /** The Node HTTP server: attach WebSockets to it (`injectWebSocket(server.server)` of `@hono/node-ws`). */
  readonly server: Server;
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

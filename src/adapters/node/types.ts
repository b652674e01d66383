import type { Server } from "node:http";
import type { Database } from "../../bindings/db/database.js";
import type { LibsqlQueueStore } from "../../bindings/queues/libsql/store.js";
import type { SkiffRuntime } from "../../runtime.js";

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

import type { Server } from "node:http";
import type { LocalServer } from "../../local-server.js";

/**
 * A running local server: its URL, the runtime (bindings) it serves with, the Node `http.Server`, and controls for
 * tests and tools (those of every local server, `LocalServer`).
 *
 * @example
 * ```ts
 * const server = await serve(app, { port: 0 });
 * await fetch(`${server.url}/api/users`);
 * await server.drainQueues();
 * await server.close();
 * ```
 */
export interface SkiffServer extends LocalServer {
  /** The Node HTTP server: attach WebSockets to it (`injectWebSocket(server.server)` of `@hono/node-ws`). */
  readonly server: Server;
}

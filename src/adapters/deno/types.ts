// The slice of the Deno runtime API this adapter touches, declared structurally (as the Cloudflare adapter does for
// workerd), so skiff's types do not need Deno's. test/adapters/deno/types.test.ts proves with `deno check`
// that the real `Deno` namespace fits them.
import type { DenoKvStore } from "../../bindings/kv/deno.js";
import type { DenoKvQueue } from "../../bindings/queues/deno.js";

export type { DenoKvKeyPart, DenoKvStore } from "../../bindings/kv/deno.js";
export type { DenoKvAtomic, DenoKvQueue, DenoQueueEnvelope } from "../../bindings/queues/deno.js";

/**
 * A Deno KV database as skiff uses it: the store behind `kv`, the queue behind `queues`, and `close()`.
 * `await Deno.openKv()` satisfies it. https://docs.deno.com/api/deno/~/Deno.Kv
 *
 * @example
 * ```ts
 * const kv: DenoKv = await Deno.openKv("./.skiff/kv.sqlite3");
 * ```
 */
export interface DenoKv extends DenoKvStore, DenoKvQueue {
  close(): void;
}

/**
 * What `Deno.serve` passes besides the request: the client's address (Hono's `getConnInfo` for Deno reads it from
 * `c.env.remoteAddr`). https://docs.deno.com/api/deno/~/Deno.ServeHandlerInfo
 *
 * @example
 * ```ts
 * const handler = (request: Request, info: DenoServeInfo) => new Response(info.remoteAddr.hostname);
 * ```
 */
export interface DenoServeInfo {
  readonly remoteAddr: DenoAddr;
}

/**
 * A Deno network address: `tcp`/`udp` ones have `hostname` and `port`, `unix` ones a `path`.
 * https://docs.deno.com/api/deno/~/Deno.Addr
 *
 * @example
 * ```ts
 * const addr: DenoAddr = { transport: "tcp", hostname: "127.0.0.1", port: 8000 };
 * ```
 */
export interface DenoAddr {
  readonly transport: string;
  readonly hostname?: string;
  readonly port?: number;
  readonly path?: string;
}

/**
 * A running `Deno.serve` server: its address, a promise that settles when it stops, and `shutdown()`, which stops
 * accepting connections and lets in-flight requests finish. https://docs.deno.com/api/deno/~/Deno.HttpServer
 *
 * @example
 * ```ts
 * const server: DenoHttpServer = Deno.serve({ port: 0 }, handler);
 * await server.shutdown();
 * ```
 */
export interface DenoHttpServer {
  readonly addr: DenoAddr;
  readonly finished: Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * The members of the global `Deno` namespace the adapter calls: `serve`, `cron`, `openKv`, the env and signals.
 *
 * @example
 * ```ts
 * const deno = (globalThis as { Deno?: DenoNamespace }).Deno;
 * ```
 */
export interface DenoNamespace {
  serve(
    options: { port?: number; hostname?: string; signal?: AbortSignal; onListen?: (addr: unknown) => void },
    handler: (request: Request, info: DenoServeInfo) => Response | Promise<Response>,
  ): DenoHttpServer;
  cron(name: string, schedule: string, handler: () => Promise<void> | void): Promise<void>;
  openKv(path?: string): Promise<DenoKv>;
  readonly env: { toObject(): Record<string, string> };
  addSignalListener(signal: "SIGINT" | "SIGTERM", handler: () => void): void;
  exit(code?: number): never;
}

/**
 * What `toDeno(app)` returns. `export default` it for `deno serve` and Deno Deploy (its `fetch` is the handler), or
 * call `serve()` from a script run with `deno run`. The crons are registered with `Deno.cron` and the Deno KV queue
 * listener is started when `toDeno` is called, as Deno Deploy requires (at the top level of the entry module).
 *
 * @example
 * ```ts
 * const shop: DenoApp = toDeno(app);
 * export default shop; // deno serve --unstable-kv --unstable-cron main.ts
 * ```
 */
export interface DenoApp {
  /** The request handler, in the shape of `deno serve`'s default export and of `Deno.serve`'s handler. */
  fetch(request: Request, info?: DenoServeInfo): Promise<Response>;
  /** Starts `Deno.serve` on `PORT`/`HOST` (or the options), and stops everything on SIGINT/SIGTERM. */
  serve(options?: { port?: number; hostname?: string; handleSignals?: boolean }): DenoServer;
  /** The Deno.cron jobs registered: the name Deno shows and the expression it fires. */
  readonly crons: ReadonlyArray<{ readonly name: string; readonly cron: string }>;
  /** Fires a cron expression now, through the same handler `Deno.cron` calls. Rejects when the run fails. */
  fireCron(expression: string, scheduledTime?: number): Promise<void>;
  /** Waits for `waitUntil` work and queue batches in flight (bounded by `graceMs`), then closes Deno KV. */
  close(graceMs?: number): Promise<void>;
}

/**
 * A server started by {@link DenoApp.serve}: its URL, the Deno server, and `close()`, which stops accepting
 * requests, lets in-flight work finish and closes Deno KV.
 *
 * @example
 * ```ts
 * const server = toDeno(app).serve({ port: 0, hostname: "127.0.0.1" });
 * console.log(server.url);
 * await server.close();
 * ```
 */
export interface DenoServer {
  readonly url: string;
  readonly server: DenoHttpServer;
  close(): Promise<void>;
}

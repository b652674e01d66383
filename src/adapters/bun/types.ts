import type { LocalServer } from "../../local-server.js";

/**
 * The part of Bun's `Server` (what `Bun.serve` returns) skiff uses, as Bun documents it
 * (https://bun.com/docs/api/http): its address, `requestIP` (what `getConnInfo` from `hono/bun` reads) and `stop`,
 * which waits for in-flight requests, or cuts them with `stop(true)`. Declared here: skiff ships no Bun types.
 *
 * @example
 * ```ts
 * const server: BunHttpServer = Bun.serve({ port: 0, fetch: (request) => app.fetch(request) });
 * await server.stop();
 * ```
 */
export interface BunHttpServer {
  readonly port: number;
  readonly hostname: string;
  readonly url: URL;
  requestIP(request: Request): { address: string; family: string; port: number } | null;
  stop(closeActiveConnections?: boolean): Promise<void>;
}

/**
 * The options of `Bun.serve` skiff passes: where to listen, the request handler (with the server, for
 * `requestIP`) and the handler of errors thrown below the app.
 *
 * @example
 * ```ts
 * const options: BunServeConfig = { hostname: "127.0.0.1", port: 0, fetch: (request) => app.fetch(request), error: () => new Response(null, { status: 500 }) };
 * ```
 */
export interface BunServeConfig {
  hostname: string;
  port: number;
  fetch(request: Request, server: BunHttpServer): Response | Promise<Response>;
  error(error: Error): Response | Promise<Response>;
}

/**
 * A handle of an in-process job of `Bun.cron(schedule, handler, options)` (https://bun.com/docs/runtime/cron):
 * `stop()` cancels it.
 *
 * @example
 * ```ts
 * const job: BunCronJob = Bun.cron("* * * * *", tick, { tz: "UTC" });
 * job.stop();
 * ```
 */
export interface BunCronJob {
  readonly cron: string;
  stop(): unknown;
}

/**
 * The `Bun` global, reduced to what the adapter calls: `serve`, in-process `cron` (Bun 1.3.x+; `tz` defaults to
 * the machine's zone, so skiff always passes `"UTC"`), and `file`/`write` to find the project and create the
 * database's folder without Node built-ins.
 *
 * @example
 * ```ts
 * const bun = (globalThis as { Bun?: BunApi }).Bun;
 * ```
 */
export interface BunApi {
  readonly version: string;
  readonly main: string;
  serve(config: BunServeConfig): BunHttpServer;
  cron(schedule: string, handler: () => unknown, options?: { tz?: string }): BunCronJob;
  file(path: string): { exists(): Promise<boolean>; stat(): Promise<{ isDirectory(): boolean }> };
  write(path: string, data: string): Promise<number>;
}

/**
 * A running Bun server: its URL, the runtime (bindings) it serves with, Bun's own `Server`, and controls for tests
 * and tools, the same as `skiff/node`'s `SkiffServer` (those of every local server, `LocalServer`).
 *
 * @example
 * ```ts
 * const server = await serve(app, { port: 0 });
 * await fetch(`${server.url}/api/users`);
 * await server.drainQueues();
 * await server.close();
 * ```
 */
export interface SkiffBunServer extends LocalServer {
  /** Bun's `Server`, for what skiff does not wrap (`server.upgrade` for WebSockets needs a handler of your own). */
  readonly server: BunHttpServer;
}

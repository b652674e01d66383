import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ConfigError } from "../../errors.js";
import { createHranaHandler, type HranaHandler, type HranaHandlerOptions } from "./handler.js";
import { isLoopback } from "./http-guard.js";

/**
 * Options of {@link serveHrana}: the handler's options plus where to listen. `port: 0` picks a free port.
 *
 * @example
 * ```ts
 * const options: HranaServerOptions = { url: "file:.skiff/dev.db", port: 8080, authToken: "dev-token" };
 * ```
 */
export interface HranaServerOptions extends HranaHandlerOptions {
  /** TCP port; 0 (the default) lets the system choose one. */
  port?: number;
  /**
   * Interface to bind. Default `127.0.0.1`: a development database should not be reachable from the network, and
   * any other address needs `authToken`.
   */
  hostname?: string;
  /** Largest request body accepted, in bytes; larger ones get a 413. Default 32 MiB. */
  maxBodyBytes?: number;
}

/**
 * A running local libSQL server. `url` is what a client takes (`createClient({ url })`); `close` stops listening,
 * drops open connections and rolls back open transactions.
 *
 * @example
 * ```ts
 * const server = await serveHrana({ url: "file:dev.db" });
 * console.log(server.url); // http://127.0.0.1:54321
 * await server.close();
 * ```
 */
export interface HranaServer {
  readonly url: string;
  readonly port: number;
  readonly hostname: string;
  /** The same endpoint as a fetch handler, for calling it without a socket. */
  readonly fetch: HranaHandler["fetch"];
  close(): Promise<void>;
}

class BodyTooLarge extends Error {}

/**
 * Serves a local libSQL `file:` database over Hrana over HTTP on `node:http`, so `@libsql/client/web` (Workers,
 * Vercel Edge) can reach it in development the way it reaches Turso in production. Resolves once listening.
 *
 * @example
 * ```ts
 * import { createClient } from "@libsql/client/web";
 * const server = await serveHrana({ url: "file:dev.db", port: 0 });
 * const db = createClient({ url: server.url });
 * await db.execute("SELECT 1");
 * await server.close();
 * ```
 */
export async function serveHrana(options: HranaServerOptions): Promise<HranaServer> {
  const hostname = options.hostname ?? "127.0.0.1";
  const maxBodyBytes = options.maxBodyBytes ?? 32 * 1024 * 1024;
  const bare = hostname.replace(/^\[(.*)\]$/, "$1");
  if (!isLoopback(bare) && options.authToken === undefined) {
    throw new ConfigError(
      `[skiff] serveHrana: hostname ${JSON.stringify(hostname)} is reachable from other machines, and without authToken anyone there could run SQL on the database. Set authToken (clients send it as TURSO_AUTH_TOKEN) or bind 127.0.0.1`,
      { variable: "authToken" },
    );
  }
  // Behind a wildcard address the machine's names are unknown; the token (required above) protects it there.
  const wildcard = bare === "0.0.0.0" || bare === "::" || bare === "";
  const allowedHosts = [...(options.allowedHosts ?? []), wildcard ? "*" : bare];
  const handler = createHranaHandler({ ...options, allowedHosts });
  let origin = "";
  const server = createServer((req, res) => {
    void bridge(req, res, origin, handler, maxBodyBytes);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 0, hostname, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (error) {
    await handler.close();
    throw new ConfigError(
      `[skiff] serveHrana: cannot listen on ${hostname}:${options.port ?? 0}: ${(error as Error).message}`,
      { variable: "port", cause: error },
    );
  }
  const { port } = server.address() as AddressInfo;
  origin = `http://${hostname.includes(":") ? `[${hostname}]` : hostname}:${port}`;
  return {
    url: origin,
    port,
    hostname,
    fetch: handler.fetch,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections(); // keep-alive sockets would otherwise hold `close` open
      await handler.close();
      await closed;
    },
  };
}

// node:http -> fetch Request -> handler -> fetch Response -> node:http. Bodies are buffered: requests are capped,
// and responses (cursors included) are produced whole before they are sent.
async function bridge(
  req: IncomingMessage,
  res: ServerResponse,
  origin: string,
  handler: HranaHandler,
  maxBodyBytes: number,
): Promise<void> {
  try {
    const headers = new Headers();
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2)
      headers.append(req.rawHeaders[i] as string, req.rawHeaders[i + 1] as string);
    const method = req.method ?? "GET";
    const body = method === "GET" || method === "HEAD" ? undefined : await readBody(req, maxBodyBytes);
    const response = await handler.fetch(
      new Request(new URL(req.url ?? "/", origin), { method, headers, body }),
    );
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  } catch (error) {
    const tooLarge = error instanceof BodyTooLarge;
    const message = tooLarge
      ? `[skiff] request body over ${maxBodyBytes} bytes`
      : `[skiff] malformed HTTP request: ${(error as Error).message}`;
    if (res.headersSent) return void res.destroy();
    // A body left half read cannot be skipped safely on a kept-alive socket: close it after answering.
    res.writeHead(tooLarge ? 413 : 400, { "content-type": "application/json", connection: "close" });
    res.end(JSON.stringify({ message, code: tooLarge ? "BODY_TOO_LARGE" : "INVALID_REQUEST" }));
  }
}

async function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array<ArrayBuffer>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLarge();
    chunks.push(chunk);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.length;
  }
  return body;
}

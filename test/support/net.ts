import { createServer } from "node:net";

/**
 * A TCP port on 127.0.0.1 that was free a moment ago: for a child process (a platform's binary, an emulator) that
 * must be told its port on the command line rather than picking one itself.
 *
 * @example
 * ```ts
 * const port = await freePort();
 * spawn(bin, [`--port=${port}`]);
 * ```
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * A contract driver's `fetch` that sends each request, path and query kept, to a server on the loopback at `base`
 * (a platform's own local server), with its method, headers and streamed body.
 *
 * @example
 * ```ts
 * const driver = { fetch: forwardTo("http://127.0.0.1:8080") };
 * await driver.fetch(new Request("http://shop.test/orders?limit=1")); // GET http://127.0.0.1:8080/orders?limit=1
 * ```
 */
export function forwardTo(base: string): (request: Request) => Promise<Response> {
  return (request) => {
    const { pathname, search } = new URL(request.url);
    return fetch(`${base}${pathname}${search}`, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      duplex: "half",
    } as RequestInit);
  };
}

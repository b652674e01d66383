import autocannon from "autocannon";
import type { Endpoint } from "./endpoints.js";
import { ENDPOINTS } from "./endpoints.js";

// Enough connections to keep one server core busy without turning the run into a test of the load generator.
export const CONNECTIONS = 32;

/**
 * Requests per second of one endpoint of a server on 127.0.0.1, from autocannon in this process: Node, Bun and Deno
 * servers are loaded the same way, so their ratios compare like for like. Any error, timeout or non-2xx fails the
 * round instead of counting fast failures.
 *
 * @example
 * ```ts
 * const rps = await load(server, ENDPOINTS[0], 3);
 * ```
 */
export async function load(server: { url: string }, endpoint: Endpoint, seconds: number): Promise<number> {
  const result = await autocannon({
    url: server.url + endpoint.path,
    method: endpoint.method,
    connections: CONNECTIONS,
    duration: seconds,
    timeout: 10,
    ...(endpoint.body ? { body: endpoint.body, headers: { "content-type": "application/json" } } : {}),
  });
  if (result.errors || result.timeouts || result.non2xx) {
    throw new Error(
      `${endpoint.name}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx`,
    );
  }
  return result.requests.average;
}

/**
 * Checks that a contender answers every endpoint as expected (and, for skiff, with its request-id middleware on)
 * before it is measured: every contender must answer the same thing, or a fast wrong answer would win.
 *
 * @example
 * ```ts
 * await checkAnswers("hono", server);
 * ```
 */
export async function checkAnswers(name: string, server: { url: string }): Promise<void> {
  for (const e of ENDPOINTS) {
    const res = await fetch(server.url + e.path, {
      method: e.method,
      ...(e.body ? { body: e.body, headers: { "content-type": "application/json" } } : {}),
    });
    const body = await res.text();
    const type = res.headers.get("content-type") ?? "";
    if (res.status !== 200 || body !== e.expect.body || !e.expect.contentType.test(type)) {
      throw new Error(`${name} ${e.method} ${e.path}: ${res.status} ${type} ${body}`);
    }
    if (name === "skiff" && !res.headers.get("x-request-id"))
      throw new Error("skiff answered without X-Request-Id: its stack is not on");
  }
}

import { readFileSync } from "node:fs";
import autocannon from "autocannon";
import { CONNECTIONS } from "./load.js";
import type { Endpoint } from "./endpoints.js";

function request(endpoint: Endpoint) {
  return {
    method: endpoint.method,
    ...(endpoint.body ? { body: endpoint.body, headers: { "content-type": "application/json" } } : {}),
  };
}

/**
 * Latency at a fixed offered load: `rate` requests per second in total for `seconds`, over the usual connections,
 * so that every contender serves the same traffic and only its response times differ (req/s figures hide queueing).
 *
 * @example
 * ```ts
 * const { p50, p99 } = await atFixedRate(server, ENDPOINTS[0], 2000, 5);
 * ```
 */
export async function atFixedRate(
  server: { url: string },
  endpoint: Endpoint,
  rate: number,
  seconds: number,
): Promise<{ p50: number; p99: number; rps: number }> {
  const result = await autocannon({
    url: server.url + endpoint.path,
    connections: CONNECTIONS,
    overallRate: rate,
    duration: seconds,
    timeout: 10,
    ...request(endpoint),
  });
  if (result.errors || result.timeouts || result.non2xx)
    throw new Error(
      `${endpoint.name}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx`,
    );
  return { p50: result.latency.p50, p99: result.latency.p99, rps: result.requests.average };
}

/** Resident set size of a process in bytes, from /proc (Linux). */
export function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  if (!kib) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kib) * 1024;
}

/**
 * CPU time (user + system) a process has used so far, in ms, from /proc (Linux; clock ticks of 10 ms).
 *
 * @example
 * ```ts
 * const before = cpuMsOf(server.pid); await load(server, endpoint, 3); const used = cpuMsOf(server.pid) - before;
 * ```
 */
export function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Peak resident set size of a process in bytes (VmHWM), from /proc (Linux). */
export function peakRssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
  if (!kib) throw new Error(`no VmHWM for process ${pid}`);
  return Number(kib) * 1024;
}

/**
 * Exactly `count` requests (bounded in count, and by autocannon's timeout in time), for memory figures: what a
 * server's resident memory grows by while it serves them.
 *
 * @example
 * ```ts
 * const before = rssOf(server.pid); await requests(server, ENDPOINTS[0], 10_000); const grown = rssOf(server.pid) - before;
 * ```
 */
export async function requests(server: { url: string }, endpoint: Endpoint, count: number): Promise<void> {
  const result = await autocannon({
    url: server.url + endpoint.path,
    connections: CONNECTIONS,
    amount: count,
    timeout: 10,
    ...request(endpoint),
  });
  if (result.errors || result.timeouts || result.non2xx)
    throw new Error(
      `${endpoint.name}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx`,
    );
}

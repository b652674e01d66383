import type { MiddlewareHandler } from "hono";

/**
 * The line skiff's logger writes for a request, written by a plain Hono middleware: the like-for-like peer of
 * `logger()` in bench/http-stack.ts. Both sides hand the same record to a sink that formats it as JSON (what every
 * real sink does) and drops the string, so the comparison is the middleware's cost, not the console's.
 *
 * @example
 * ```ts
 * app.use(requestId(), jsonLogger(formatAndDrop));
 * ```
 */
export function jsonLogger(sink: (record: Record<string, unknown>) => void): MiddlewareHandler {
  let warm = false;
  return async function jsonLogger(c, next) {
    const coldStart = !warm;
    warm = true;
    const started = performance.now();
    await next();
    const status = c.res.status;
    sink({
      time: new Date().toISOString(),
      level: status >= 500 ? "error" : status >= 400 ? "warn" : "info",
      msg: "request",
      requestId: c.get("requestId"),
      method: c.req.method,
      path: c.req.path,
      status,
      durationMs: Math.round(performance.now() - started),
      coldStart,
      platform: "node",
    });
  };
}

let written = 0;
/**
 * A log sink that formats each record as its JSON line and keeps only the running byte count (so the formatting
 * cannot be optimised away), used by both sides of every logger comparison.
 *
 * @example
 * ```ts
 * new Skiff({ log: { sink: formatAndDrop } });
 * ```
 */
export const formatAndDrop = (record: Record<string, unknown>): void => {
  written += JSON.stringify(record).length;
};

/** Bytes "written" by {@link formatAndDrop} so far. */
export const bytesWritten = (): number => written;

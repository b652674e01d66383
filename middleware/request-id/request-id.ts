import type { Context, MiddlewareHandler } from "hono";
import { ensureResponseHeader } from "../_shared.js";

/**
 * Context variables set by {@link requestId}: read them with `c.var.requestId`.
 *
 * @example
 * ```ts
 * const app = new Hono<{ Variables: RequestIdVariables }>();
 * app.onError((err, c) => c.json({ error: "internal", requestId: c.var.requestId }, 500));
 * ```
 */
export interface RequestIdVariables {
  /** The id of this request: the caller's, when well formed, or a fresh one. */
  requestId: string;
}

/**
 * Options of {@link requestId}.
 *
 * @example
 * ```ts
 * requestId({ headerName: "X-Correlation-Id", generator: (c) => c.req.header("cf-ray") ?? crypto.randomUUID() });
 * ```
 */
export interface RequestIdOptions {
  /** Header read from the request and echoed on the response. Default `X-Request-Id`. */
  headerName?: string;
  /** Makes an id when the request brings none (or a malformed one). Default `crypto.randomUUID()`. */
  generator?: (c: Context<{ Variables: RequestIdVariables }>) => string;
  /** Decides whether an incoming id is accepted. Default {@link isWellFormedRequestId}. */
  validator?: (id: string) => boolean;
}

const WELL_FORMED = /^[A-Za-z0-9._:-]{1,128}$/;
// RFC 9110 `token`: what a header field name may contain.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * The default test for an incoming request id: 1 to 128 characters of `A-Z a-z 0-9 . _ : -`. That admits UUIDs,
 * ULIDs, nanoids, hex trace ids and `service:123` forms, and keeps out everything that lets a caller forge log
 * lines (CR/LF, spaces, quotes, `=` in logfmt) or smuggle a second value into a comma-joined header.
 *
 * @example
 * ```ts
 * isWellFormedRequestId("4bf92f35-77b3-4da6-a3ce-929d0e0e4736"); // true
 * isWellFormedRequestId("x\r\nlevel=error"); // false
 * ```
 */
export const isWellFormedRequestId = (id: string): boolean => WELL_FORMED.test(id);

/**
 * Gives every request an id. An incoming `X-Request-Id` is kept when the validator accepts it (so one id follows a
 * call across services); otherwise a new one is generated with `crypto.randomUUID()`, which every target runtime
 * provides as a global. The id is stored as `c.var.requestId` and echoed on the response, including responses
 * produced by `app.onError` or the not-found handler, because it is written after the rest of the chain has run.
 * Register it first so that every other middleware and error handler can log it.
 *
 * @example
 * ```ts
 * const app = new Hono().use(requestId());
 * app.get("/", (c) => c.text(`your id is ${c.var.requestId}`));
 * ```
 */
export const requestId = (
  options: RequestIdOptions = {},
): MiddlewareHandler<{ Variables: RequestIdVariables }> => {
  const headerName = options.headerName ?? "X-Request-Id";
  if (typeof headerName !== "string" || !HEADER_NAME.test(headerName)) {
    throw new TypeError(
      `[skiff] requestId: headerName ${JSON.stringify(headerName)} is not a valid header name`,
    );
  }
  if (options.generator !== undefined && typeof options.generator !== "function") {
    throw new TypeError("[skiff] requestId: generator must be a function returning a string");
  }
  if (options.validator !== undefined && typeof options.validator !== "function") {
    throw new TypeError("[skiff] requestId: validator must be a function (id: string) => boolean");
  }
  const generate = options.generator ?? (() => crypto.randomUUID());
  const accept = options.validator ?? isWellFormedRequestId;

  return async function requestId(c, next) {
    const incoming = c.req.header(headerName);
    const id = incoming !== undefined && accept(incoming) ? incoming : generate(c);
    c.set("requestId", id);
    // Set before `next()` so responses built through `c` (c.json, the default error handler) carry it even if
    // something later escapes the chain.
    c.header(headerName, id);
    await next();
    // Handlers and onError may return a bare `new Response()` that never saw the prepared headers: only then is
    // the response touched (a copy of a finalized response cost two thirds of Node's throughput in bench/http.ts).
    ensureResponseHeader(c, headerName, id);
  };
};

import { problemResponse } from "../../errors.js";
import type { Logger } from "../../logger.js";
import type { GcpHttpRequest, GcpHttpResponse } from "./types.js";

const NO_BODY = new Set(["GET", "HEAD"]);

/**
 * @internal The web `Request` for the framework's request. The body is `rawBody`, the bytes the framework's parsers
 * kept: they have already read the stream, whatever the content type (JSON, form, text or anything else through
 * `bodyParser.raw`). The URL is rebuilt from `X-Forwarded-Proto` (Express's `protocol`, with `trust proxy` on, as
 * the framework sets it), `Host` and the original path and query, untouched.
 *
 * @example
 * ```ts
 * const request = toRequest(req); // new Request("https://shop-abc.a.run.app/api/users?limit=1", ...)
 * ```
 */
export function toRequest(req: GcpHttpRequest, signal?: AbortSignal): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  const host = headers.get("host") ?? "localhost";
  const protocol = req.protocol === "https" ? "https" : "http";
  const path = req.originalUrl ?? req.url ?? "/";
  const method = req.method.toUpperCase();
  // A Node Buffer: its memory is an ArrayBuffer (never shared), which is what BodyInit asks for.
  const raw = req.rawBody as Uint8Array<ArrayBuffer> | undefined;
  const body = NO_BODY.has(method) || !raw || raw.byteLength === 0 ? null : raw;
  return new Request(`${protocol}://${host}${path.startsWith("/") ? path : `/${path}`}`, {
    method,
    headers,
    body,
    ...(signal ? { signal } : {}),
  });
}

/**
 * @internal Writes a web `Response` to the framework's response: status, headers (every `Set-Cookie` kept apart),
 * then the body chunk by chunk as the app produces it, waiting for `drain` when the socket is full and stopping
 * when the client has gone. `beforeEnd` runs before the response is ended: Cloud Run throttles an instance's CPU
 * once its response has completed (https://cloud.google.com/run/docs/configuring/billing-settings), so background
 * work must finish first.
 *
 * @example
 * ```ts
 * await writeResponse(res, await app.fetch(request), request.method === "HEAD", () => tracker.settle());
 * ```
 */
export async function writeResponse(
  res: GcpHttpResponse,
  response: Response,
  head: boolean,
  beforeEnd: () => Promise<void>,
): Promise<void> {
  res.statusCode = response.status;
  for (const [name, value] of response.headers) if (name !== "set-cookie") res.setHeader(name, value);
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader("set-cookie", cookies);
  if (head || response.body === null) {
    await response.body?.cancel();
    await beforeEnd();
    res.end();
    return;
  }
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (res.destroyed) break;
      if (value.byteLength > 0 && !res.write(value)) await drained(res);
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  await beforeEnd();
  if (!res.destroyed) res.end();
}

function drained(res: GcpHttpResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.removeListener("drain", done);
      res.removeListener("close", done);
      resolve();
    };
    res.once("drain", done);
    res.once("close", done);
  });
}

/**
 * @internal Answers one HTTP invocation with `fetch` (the app), never letting an error reach the framework, whose
 * crash answer carries the error's message outside production: a failure below the app becomes a bare
 * problem+json 500, logged here.
 *
 * @example
 * ```ts
 * await serveHttp(req, res, log, (request) => app.fetch(request, env, ctx), () => tracker.settle());
 * ```
 */
export async function serveHttp(
  req: GcpHttpRequest,
  res: GcpHttpResponse,
  log: Logger,
  fetch: (request: Request) => Response | Promise<Response>,
  beforeEnd: () => Promise<void>,
): Promise<void> {
  let response: Response;
  let head = false;
  try {
    const request = toRequest(req);
    head = request.method === "HEAD";
    response = await fetch(request);
  } catch (error) {
    log.error("request failed below the app", { error });
    response = problemResponse(500, { detail: "The request could not be handled" });
  }
  await writeResponse(res, response, head, beforeEnd);
}

/** The part of the framework's Express app skiff touches: appending one error-handling middleware. */
interface ExpressAppLike {
  use(
    handler: (error: unknown, req: unknown, res: GcpHttpResponse, next: (error?: unknown) => void) => void,
  ): unknown;
}

/**
 * @internal The Functions Framework parses JSON, text and form bodies before the function runs, and a body that does
 * not parse (malformed JSON, over the size limit) is answered by Express's default handler as an HTML page: the app
 * never sees it. skiff appends an error handler to the framework's Express app (`req.app`) on the first request of
 * an instance, so from then on such a body gets the problem+json answer the app would give, with body-parser's
 * status (400, 413, 415). The very first request of an instance cannot be covered (the app is reachable only
 * through a request); see docs/gcp.md. Returns whether the handler is installed.
 *
 * @example
 * ```ts
 * installed ||= installBodyErrorAnswer(req);
 * ```
 */
export function installBodyErrorAnswer(req: GcpHttpRequest): boolean {
  const app = (req as { app?: Partial<ExpressAppLike> }).app;
  if (typeof app?.use !== "function") return false;
  // Four parameters: what makes Express treat a middleware as an error handler.
  (app as ExpressAppLike).use(function skiffBodyError(error, _req, res, next) {
    const failure = error as { type?: unknown; status?: unknown };
    const status = failure.status;
    if (
      typeof failure.type !== "string" ||
      !failure.type.startsWith("entity.") ||
      typeof status !== "number" ||
      status < 400 ||
      status > 499
    ) {
      next(error);
      return;
    }
    const detail =
      failure.type === "entity.parse.failed"
        ? "The request body is not valid for its content type"
        : failure.type === "entity.too.large"
          ? "The request body is too large"
          : "The request body could not be read";
    void writeResponse(res, problemResponse(status as 400, { detail }), false, async () => undefined);
  });
  return true;
}

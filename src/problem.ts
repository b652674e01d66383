import { Hono, type Context, type ErrorHandler, type NotFoundHandler } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ValidationError, problemResponse, statusTitle, type FieldIssue } from "./errors.js";
import { consoleSink, createLogger, type Logger } from "./logger.js";

interface IssueLike {
  path?: ReadonlyArray<PropertyKey | { key: PropertyKey }>;
  message: string;
}

// zod (and other libraries') errors are recognised by shape, so skiff does not force one validation library.
function schemaIssues(error: unknown): FieldIssue[] | undefined {
  if (error instanceof ValidationError) return [...error.issues];
  const issues = (error as { issues?: unknown })?.issues;
  if (error instanceof Error && error.name === "ZodError" && Array.isArray(issues)) {
    return (issues as IssueLike[]).map((i) => ({
      path: (i.path ?? []).map((p) => String(typeof p === "object" && p !== null ? p.key : p)).join("."),
      message: i.message,
    }));
  }
  return undefined;
}

function isJsonSyntaxError(error: unknown): boolean {
  return error instanceof SyntaxError && /JSON/i.test(error.message);
}

const fallbackLog = createLogger({ sink: consoleSink });

function logOf(c: Context): Logger {
  return (c.get("log") as Logger | undefined) ?? fallbackLog;
}

function requestIdOf(c: Context): string | undefined {
  return c.get("requestId" as never) as string | undefined;
}

// A 5xx shows nothing of the error: it is logged in full, and the body carries only the request id.
function serverError(error: unknown, c: Context, status: ContentfulStatusCode): Response {
  const requestId = requestIdOf(c);
  logOf(c).error("unhandled error", {
    error,
    method: c.req.method,
    path: c.req.path,
    ...(requestId ? { requestId } : {}),
  });
  return problemResponse(status, requestId ? { requestId } : {});
}

/** Hono's `HTTPException` as any copy of Hono builds it (skiff's, the user's, another version's). */
interface HttpExceptionLike extends Error {
  status: number;
  res?: Response | undefined;
  getResponse(): Response;
}

// By shape, not `instanceof`: an app that ends up with two copies of Hono (another patch version, a bundled
// sub-app) must still get its 401s as 401s. Hono's own default handler checks only `"getResponse" in err`.
function isHttpException(error: unknown): error is HttpExceptionLike {
  if (!(error instanceof Error)) return false;
  const { status, getResponse, res } = error as Partial<HttpExceptionLike>;
  return (
    typeof getResponse === "function" &&
    typeof status === "number" &&
    Number.isInteger(status) &&
    status >= 200 &&
    status <= 599 &&
    (res === undefined || (typeof res === "object" && res !== null && "headers" in res))
  );
}

const PROBLEM_MEDIA_TYPE = "application/problem+json";
// Headers that describe the original body, which the problem body replaces.
const BODY_HEADERS = new Set([
  "content-type",
  "content-length",
  "content-encoding",
  "content-range",
  "transfer-encoding",
  "etag",
  "set-cookie", // copied separately, one header per cookie
]);
// An exception's own body is read as its detail only when it is short text; anything longer is not a message.
const MAX_DETAIL_BYTES = 2048;

const mediaTypeOf = (response: Response): string =>
  (response.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";

async function shortBody(response: Response): Promise<string | undefined> {
  const reader = response.body?.getReader();
  if (!reader) return undefined;
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_DETAIL_BYTES) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes).trim();
}

/**
 * What of an exception's own response body the problem keeps: a short `text/plain` body becomes `detail`; a short
 * JSON object's members become problem members (`status` always stays the HTTP status); anything else is dropped.
 */
async function bodyMembers(response: Response): Promise<Record<string, unknown>> {
  const media = mediaTypeOf(response);
  const json = /^application\/([\w.-]+\+)?json$/.test(media);
  if (media !== "" && media !== "text/plain" && !json) {
    await response.body?.cancel();
    return {};
  }
  const text = await shortBody(response);
  if (!text) return {};
  if (!json) return { detail: text };
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === "string") return { detail: parsed };
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) {
      // RFC 9457's own members keep their types; a non-string `type` or `title` falls back to the default.
      const members: Record<string, unknown> = { ...parsed };
      for (const key of ["type", "title"]) if (typeof members[key] !== "string") delete members[key];
      return members;
    }
  } catch {
    // A malformed JSON body says nothing a client can use.
  }
  return {};
}

function copyHeaders(from: Headers, to: Headers): void {
  from.forEach((value, key) => {
    if (!BODY_HEADERS.has(key.toLowerCase())) to.append(key, value);
  });
  // getSetCookie() is in every runtime skiff targets, but not yet in every runtime's type definitions.
  const cookies = (from as Headers & { getSetCookie?(): string[] }).getSetCookie?.() ?? [];
  for (const cookie of cookies) to.append("set-cookie", cookie);
}

/**
 * An HTTP exception from any copy of Hono as a problem: its status and headers (`WWW-Authenticate`, `Retry-After`)
 * are kept and its body becomes `application/problem+json`. A `detail` comes from the exception's own short text
 * (or JSON) body, else its message, and is left out when it only repeats the title. A 5xx keeps no detail.
 */
async function fromHttpException(error: HttpExceptionLike, c: Context): Promise<Response> {
  const original = error.getResponse();
  // Not an error status (a redirect thrown to stop a chain) or already a problem (skiff's ProblemError from any
  // copy of skiff): the author's response as it is.
  if (error.status < 400 || mediaTypeOf(original) === PROBLEM_MEDIA_TYPE) return original;
  const status = error.status as ContentfulStatusCode;
  let problem: Response;
  if (status >= 500) {
    await original.body?.cancel();
    problem = serverError(error, c, status);
  } else {
    const members = error.res ? await bodyMembers(original) : {};
    const title = typeof members.title === "string" ? members.title : statusTitle(status);
    const detail = [members.detail, error.message].find(
      (text): text is string => typeof text === "string" && text !== "" && text !== title,
    );
    const { detail: _replaced, ...rest } = members;
    problem = problemResponse(status, { ...rest, ...(detail === undefined ? {} : { detail }) });
  }
  copyHeaders(original.headers, problem.headers);
  return problem;
}

/**
 * skiff's default error handler: every error becomes an `application/problem+json` response. HTTP errors keep
 * their status; schema failures are `422` listing each field; malformed JSON is `400`; anything else is a `500`
 * that is logged in full and shows nothing of the internals (only the request id, when there is one).
 * Hono's `HTTPException` is recognised by shape, so one thrown by any copy of Hono (the app's own, another
 * version's, `hono/jwt`, `hono/bearer-auth`, `hono/basic-auth`) keeps its status and its headers
 * (`WWW-Authenticate`); a 4xx keeps its message (or its own short text body) as `detail`, a 5xx keeps none.
 *
 * @example
 * ```ts
 * app.onError((err, c) => (err instanceof MyError ? c.json({ mine: true }, 418) : onError(err, c)));
 * ```
 */
export const onError: ErrorHandler = (error, c) => {
  if (isHttpException(error)) return fromHttpException(error, c);
  const issues = schemaIssues(error);
  if (issues) return problemResponse(422, { detail: "The request is invalid", errors: issues });
  if (isJsonSyntaxError(error)) return problemResponse(400, { detail: "Malformed JSON in request body" });
  return serverError(error, c, 500);
};

/**
 * skiff's default not-found handler: a `404` problem naming the method and path.
 *
 * @example
 * ```ts
 * app.notFound(notFound); // restore the default after replacing it
 * ```
 */
export const notFound: NotFoundHandler = (c) =>
  problemResponse(404, { detail: `No route for ${c.req.method} ${c.req.path}` });

/**
 * Mounts `sub` on `parent` with `mount` (Hono's `route()`) so that a sub-app built with another copy of Hono, still
 * on that copy's default error handler, sends its errors to whatever `parent`'s error handler is at request time,
 * as a sub-app of the parent's own Hono does. Hono recognises the default handler by identity, which a second copy
 * of Hono never matches: without this, such a sub-app answers its errors in plain text, not problem+json. `mount`
 * gets a view of `sub` whose only difference is its error handler; `sub` itself is not changed. Sub-apps of the
 * parent's own Hono, and sub-apps with an `onError` of their own, are passed to `mount` as they are.
 *
 * @example
 * ```ts
 * // in Skiff.route()
 * return mountWithParentErrors(this, app, (sub) => super.route(path, sub));
 * ```
 */
export function mountWithParentErrors<A extends object, T>(parent: object, sub: A, mount: (sub: A) => T): T {
  if (sub instanceof Hono || !onDefaultErrorHandler(sub)) return mount(sub);
  const owner = parent as { errorHandler: ErrorHandler };
  const handler: ErrorHandler = (error, c) => owner.errorHandler(error, c);
  // Hono's route() reads `errorHandler` from the mounted app at each request, so the view must keep it.
  return mount(Object.create(sub, { errorHandler: { value: handler, enumerable: true } }) as A);
}

// A Hono app of any copy is on its default error handler when a fresh app of its class has the same one.
function onDefaultErrorHandler(sub: object): boolean {
  const app = sub as { errorHandler?: unknown; constructor: new () => { errorHandler?: unknown } };
  if (typeof app.errorHandler !== "function") return false;
  try {
    return new app.constructor().errorHandler === app.errorHandler;
  } catch {
    return false; // a constructor that needs arguments is not a plain Hono
  }
}

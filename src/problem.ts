import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ProblemError, ValidationError, problemResponse, type FieldIssue } from "./errors.js";
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

/**
 * skiff's default error handler: every error becomes an `application/problem+json` response. HTTP errors keep
 * their status; schema failures are `422` listing each field; malformed JSON is `400`; anything else is a `500`
 * that is logged in full and shows nothing of the internals (only the request id, when there is one).
 *
 * @example
 * ```ts
 * app.onError((err, c) => (err instanceof MyError ? c.json({ mine: true }, 418) : onError(err, c)));
 * ```
 */
export const onError: ErrorHandler = (error, c) => {
  if (error instanceof ProblemError) return error.getResponse();
  if (error instanceof HTTPException) {
    const response = error.getResponse();
    // An HTTPException built with its own `res` is the author's chosen response; keep it.
    if (error.res) return response;
    return problemResponse(
      error.status as ContentfulStatusCode,
      { detail: error.message || undefined },
      headersOf(response),
    );
  }
  const issues = schemaIssues(error);
  if (issues) return problemResponse(422, { detail: "The request is invalid", errors: issues });
  if (isJsonSyntaxError(error)) return problemResponse(400, { detail: "Malformed JSON in request body" });
  const requestId = c.get("requestId" as never) as string | undefined;
  logOf(c).error("unhandled error", {
    error,
    method: c.req.method,
    path: c.req.path,
    ...(requestId ? { requestId } : {}),
  });
  return problemResponse(500, requestId ? { requestId } : {});
};

function headersOf(response: Response): Record<string, string> {
  const out: Record<string, string> = {};
  response.headers.forEach((value, key) => {
    if (key !== "content-type" && key !== "content-length") out[key] = value;
  });
  return out;
}

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

import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/**
 * Base class of every error skiff throws on purpose. The message always starts with `[skiff]` and says what to fix,
 * so a log line alone is enough to act on.
 *
 * @example
 * ```ts
 * try { app.cron("every day", run) } catch (e) { if (e instanceof SkiffError) console.error(e.message) }
 * ```
 */
export class SkiffError extends Error {
  override name = "SkiffError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message.startsWith("[skiff]") ? message : `[skiff] ${message}`, options);
  }
}

/**
 * Configuration is missing or wrong: a binding, an environment variable, an option. Thrown at start-up (or at the
 * first use of a lazily resolved binding) and never retried, because retrying cannot fix it.
 *
 * @example
 * ```ts
 * throw new ConfigError("TURSO_DATABASE_URL is not set", { variable: "TURSO_DATABASE_URL" })
 * ```
 */
export class ConfigError extends SkiffError {
  override name = "ConfigError";
  /** The environment variable or option to fix, when there is one. */
  readonly variable: string | undefined;
  constructor(message: string, options?: { variable?: string; cause?: unknown }) {
    super(message, options);
    this.variable = options?.variable;
  }
}

/**
 * One failing field of a validation: a dotted path (`items.0.qty`, empty for the root) and a message. A
 * {@link ValidationError} carries a list of them, and a 422 problem body lists them as `errors`.
 *
 * @example
 * ```ts
 * const issues: FieldIssue[] = [{ path: "items.0.qty", message: "Expected a positive number" }];
 * throw new ValidationError("order is invalid", issues);
 * ```
 */
export interface FieldIssue {
  path: string;
  message: string;
}

/**
 * A value failed its schema: a queue message body, a producer's input, a request body. Reaching the app's error
 * handler, it becomes a `422` problem listing each failing field.
 *
 * @example
 * ```ts
 * throw new ValidationError("order is invalid", [{ path: "qty", message: "Expected a positive number" }])
 * ```
 */
export class ValidationError extends SkiffError {
  override name = "ValidationError";
  readonly issues: readonly FieldIssue[];
  constructor(message: string, issues: readonly FieldIssue[]) {
    super(message);
    this.issues = issues;
  }
}

/**
 * Fields of an RFC 9457 problem body beyond the standard ones (for example `errors`). They are written into the JSON
 * body next to `type`, `title`, `status` and `detail`.
 *
 * @example
 * ```ts
 * throw new ProblemError(409, { detail: "Email already registered", extras: { field: "email" } });
 * ```
 */
export type ProblemExtras = Record<string, unknown>;

/**
 * An HTTP error rendered as `application/problem+json` (RFC 9457): `type`, `title`, `status`, `detail` plus any
 * extra members. It is a Hono `HTTPException`, so Hono's own error handling and `getResponse()` keep working.
 *
 * @example
 * ```ts
 * app.get("/users/:id", async (c) => {
 *   const user = await c.var.db.get(sql`SELECT * FROM users WHERE id = ${c.req.param("id")}`);
 *   if (!user) throw new ProblemError(404, { detail: "No user with that id" });
 *   return c.json(user);
 * });
 * ```
 */
export class ProblemError extends HTTPException {
  readonly title: string;
  readonly type: string;
  readonly detail: string | undefined;
  readonly extras: ProblemExtras;
  readonly headers: Record<string, string>;
  constructor(
    status: ContentfulStatusCode,
    init: {
      title?: string;
      detail?: string;
      type?: string;
      extras?: ProblemExtras;
      headers?: Record<string, string>;
      cause?: unknown;
    } = {},
  ) {
    const title = init.title ?? statusTitle(status);
    super(status, { message: init.detail ?? title, cause: init.cause });
    this.title = title;
    this.type = init.type ?? "about:blank";
    this.detail = init.detail;
    this.extras = init.extras ?? {};
    this.headers = init.headers ?? {};
  }

  override getResponse(): Response {
    return problemResponse(
      this.status as ContentfulStatusCode,
      {
        type: this.type,
        title: this.title,
        ...(this.detail === undefined ? {} : { detail: this.detail }),
        ...this.extras,
      },
      this.headers,
    );
  }
}

/**
 * Builds an `application/problem+json` response. Used by the default error handlers and by middleware that answer
 * early (rate limits, auth), so every error skiff sends has the same shape.
 *
 * @example
 * ```ts
 * return problemResponse(429, { title: "Too Many Requests", detail: "Try again in 3 s" }, { "Retry-After": "3" });
 * ```
 */
export function problemResponse(
  status: ContentfulStatusCode,
  body: { title?: string; type?: string; detail?: string } & ProblemExtras,
  headers: Record<string, string> = {},
): Response {
  const payload = {
    type: body.type ?? "about:blank",
    title: body.title ?? statusTitle(status),
    status,
    ...body,
  };
  payload.status = status;
  return new Response(JSON.stringify(payload), {
    status,
    headers: { ...headers, "content-type": "application/problem+json" },
  });
}

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
};

/**
 * The standard reason phrase of an HTTP status, used as a problem's default `title`.
 *
 * @example
 * ```ts
 * statusTitle(422) // "Unprocessable Content"
 * ```
 */
export function statusTitle(status: number): string {
  return TITLES[status] ?? (status >= 500 ? "Server Error" : "Error");
}

import type { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ProblemError } from "../src/errors.js";

/**
 * Creates the HTTP error every skiff middleware throws: the core's {@link ProblemError}, whose `getResponse()` is
 * an `application/problem+json` body `{ type: "about:blank", title, status, detail, ...extra }` (RFC 9457).
 * Throwing it (rather than returning a response) lets the app's `onError` see, log or reshape every rejection.
 * `headers` carries what the status requires, such as `WWW-Authenticate` on a 401; `extra` cannot change
 * `status`, which always equals the HTTP status.
 *
 * @example
 * ```ts
 * throw problem(422, "Unprocessable Content", "The json body did not match its schema", {
 *   errors: [{ path: "items.0.qty", message: "Too small" }],
 * });
 * ```
 */
export const problem = (
  status: ContentfulStatusCode,
  title: string,
  detail?: string,
  extra?: Record<string, unknown>,
  headers: Record<string, string> = {},
): HTTPException => {
  const { status: _ignored, ...extras } = extra ?? {};
  return new ProblemError(status, { title, ...(detail === undefined ? {} : { detail }), extras, headers });
};

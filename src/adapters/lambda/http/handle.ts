import { SkiffError } from "../../../errors.js";
import { detectHttpEvent } from "./detect.js";
import { toRequest } from "./to-request.js";
import { toResult } from "./to-result.js";
import type { HttpEvent, HttpRequestOptions, HttpResult } from "./types.js";

/**
 * Any fetch-style handler: a Hono or skiff app's `fetch`, or a plain function.
 *
 * @example
 * ```ts
 * const fetch: FetchHandler = (request) => new Response(new URL(request.url).pathname);
 * ```
 */
export type FetchHandler = (request: Request) => Response | Promise<Response>;

/**
 * Serve one Lambda HTTP event with `fetch`: detect the source, build the `Request`, call `fetch`, and return the
 * result in the source's shape (ALB in the header mode it was asked in). A HEAD answer never carries a body.
 * Throws a `SkiffError` for an event that is not HTTP (SQS, S3, SNS, schedules), which the caller routes
 * elsewhere.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * const app = new Hono().get("/hello", (c) => c.text("hi"));
 * export const handler = (event: unknown) => handleHttpEvent(event, (request) => app.fetch(request));
 * ```
 */
export async function handleHttpEvent(
  event: unknown,
  fetch: FetchHandler,
  options: HttpRequestOptions = {},
): Promise<HttpResult> {
  const kind = detectHttpEvent(event);
  if (kind === undefined) throw new SkiffError("not a Lambda HTTP event (API Gateway, Function URL or ALB)");
  // detectHttpEvent checked the fields this kind is read through.
  const httpEvent = event as HttpEvent;
  const request = toRequest(httpEvent, kind, options);
  let response = await fetch(request);
  if (request.method === "HEAD" && response.body !== null) response = new Response(null, response);
  const multiValue = "multiValueHeaders" in httpEvent && httpEvent.multiValueHeaders != null;
  return toResult(response, kind, { multiValue });
}

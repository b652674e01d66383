import type { Env, MiddlewareHandler } from "hono";
import { withOpenApi } from "../../src/openapi/_meta.js";
import type { ResponseStatus, RouteDescription, SchemaLike } from "../../src/openapi/types.js";

/**
 * Describes a route in the app's OpenAPI document (summary, tags, responses, `hide`), as a middleware placed
 * before its handler. It does nothing at request time and changes no types: `c.req.valid()` stays typed by the
 * route's `validate()`. Descriptions add up, so several `describeRoute()` and {@link responds} may apply to one
 * route, and one on `app.use("/api/*", ...)` describes every route under it.
 *
 * @example
 * ```ts
 * app.post(
 *   "/api/orders",
 *   describeRoute({ summary: "Place an order", tags: ["orders"], responses: { 202: { description: "Accepted", schema: Accepted } } }),
 *   validate("json", NewOrder),
 *   (c) => c.json({ orderId, status: "accepted" }, 202),
 * );
 * ```
 */
export const describeRoute = <E extends Env = Env, P extends string = string>(
  description: RouteDescription,
): MiddlewareHandler<E, P> => {
  const middleware: MiddlewareHandler<E, P> = async function describeRoute(_c, next) {
    await next();
  };
  return withOpenApi(middleware, { kind: "describe", description });
};

/**
 * Declares one response of a route for the OpenAPI document: its status, the schema of its JSON body (any
 * Standard Schema with a JSON Schema export, such as zod 4, or a JSON Schema object) and a description. A 4xx or
 * 5xx without a schema is documented as skiff's problem+json error.
 *
 * @example
 * ```ts
 * app.get("/api/orders/:id", responds(200, Order, "The order"), responds(404, "No such order"), handler);
 * ```
 */
export function responds<E extends Env = Env, P extends string = string>(
  status: ResponseStatus,
  schema?: SchemaLike,
  description?: string,
): MiddlewareHandler<E, P>;
export function responds<E extends Env = Env, P extends string = string>(
  status: ResponseStatus,
  description: string,
): MiddlewareHandler<E, P>;
export function responds<E extends Env = Env, P extends string = string>(
  status: ResponseStatus,
  schemaOrDescription?: SchemaLike | string,
  description?: string,
): MiddlewareHandler<E, P> {
  const text = typeof schemaOrDescription === "string" ? schemaOrDescription : description;
  const schema = typeof schemaOrDescription === "string" ? undefined : schemaOrDescription;
  const response = { ...(schema ? { schema } : {}), ...(text === undefined ? {} : { description: text }) };
  // Named for `skiff routes`, which lists the middleware of each route by name.
  const middleware: MiddlewareHandler<E, P> = async function responds(_c, next) {
    await next();
  };
  return withOpenApi(middleware, {
    kind: "describe",
    description: { responses: { [String(status)]: response } },
  });
}

import { PatternRouter } from "hono/router/pattern-router";
import { findTargetHandler, isMiddleware } from "hono/utils/handler";
import { openApiMetaOf, type OpenApiMeta } from "./_meta.js";

/**
 * A route as Hono lists it in `app.routes`: middleware and handlers alike, in registration order.
 *
 * @example
 * ```ts
 * const routes: readonly RouteLike[] = app.routes;
 * ```
 */
export interface RouteLike {
  readonly method: string;
  readonly path: string;
  readonly handler: unknown;
}

/**
 * One endpoint (method and Hono path) with the OpenAPI metadata of everything that runs for it: the middleware
 * registered before it whose pattern covers its path (route-level `validate()`, `app.use("/api/*", ...)`), then its
 * handler's own.
 *
 * @example
 * ```ts
 * const endpoint: Endpoint = { method: "POST", path: "/api/users", metas: [{ kind: "validate", target: "json", schema: NewUser }] };
 * ```
 */
export interface Endpoint {
  method: string;
  path: string;
  metas: OpenApiMeta[];
}

type Fn = (...args: never[]) => unknown;

/**
 * Reads the endpoints of a Hono (or skiff) app from its route list. Which middleware applies is decided as Hono's
 * own router decides it, so `app.route()` mounts and `basePath()` (already part of each path) need nothing special.
 * The first handler of a method and path is the endpoint (a later one only runs if the first calls `next()`).
 *
 * @example
 * ```ts
 * collectEndpoints(app.routes).map((e) => `${e.method} ${e.path}`) // ["GET /api/users", "POST /api/users", ...]
 * ```
 */
export function collectEndpoints(routes: readonly RouteLike[]): Endpoint[] {
  const entries = routes.map((route, index) => {
    const target =
      typeof route.handler === "function" ? (findTargetHandler(route.handler as Fn) as Fn) : undefined;
    return {
      method: route.method.toUpperCase(),
      path: route.path,
      index,
      metas: openApiMetaOf(target),
      middleware: target !== undefined && isMiddleware(target as never),
    };
  });
  const router = new PatternRouter<number>();
  for (const e of entries) if (e.middleware && e.metas.length) router.add(e.method, e.path, e.index);
  const seen = new Set<string>();
  const endpoints: Endpoint[] = [];
  for (const e of entries) {
    const key = `${e.method} ${e.path}`;
    if (e.middleware || seen.has(key)) continue;
    seen.add(key);
    // A concrete path this route answers, so the router says which middleware patterns cover it; middleware on
    // exactly this path (a route's own, whatever its regex parameters) always applies.
    const sample = e.path.replace(/:[^/{?]+(\{(?:[^{}\\]|\\.|\{[^{}]*\})*\})?\??/g, "_").replace(/\*/g, "_");
    const covering = new Set(router.match(e.method, sample)[0].map(([index]) => index));
    const metas: OpenApiMeta[] = [];
    for (const m of entries) {
      if (m.index >= e.index) break;
      if (!m.middleware || m.metas.length === 0) continue;
      const samePath = m.path === e.path && (m.method === e.method || m.method === "ALL");
      if (samePath || covering.has(m.index)) metas.push(...m.metas);
    }
    metas.push(...e.metas);
    endpoints.push({ method: e.method, path: e.path, metas });
  }
  return endpoints;
}

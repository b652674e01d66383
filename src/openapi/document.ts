import { openApiMetaOf } from "./_meta.js";
import { collectEndpoints, type RouteLike } from "./collect.js";
import { SchemaRegistry } from "./json-schema.js";
import { buildOperation } from "./operation.js";
import { openApiPaths, operationIdOf } from "./paths.js";
import { PROBLEM, PROBLEM_SCHEMA, problemResponse } from "./problem-components.js";
import type { OpenApiDocument, OpenApiOptions, SecurityScheme } from "./types.js";

const METHODS = new Set(["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"]);

/**
 * Generates the OpenAPI 3.1 document of a Hono or skiff app from its routes: each `validate()` (params, query,
 * headers, cookies, JSON or form body) and each `describeRoute()`/`responds()` on the way to a handler. Problem+json
 * errors are documented once, as `components.schemas.Problem` and `components.responses.Problem`, and every 4xx
 * refers to them. Routes with a wildcard, `app.all()` routes and hidden ones (`describeRoute({ hide: true })`, the
 * `openapi()` and `apiReference()` handlers) are left out.
 *
 * @example
 * ```ts
 * const doc = openApiDocument(app, { info: { title: "Shop", version: "1.0.0" } });
 * console.log(JSON.stringify(doc, null, 2));
 * ```
 */
export function openApiDocument(
  app: { readonly routes: readonly RouteLike[] },
  options: OpenApiOptions = {},
): OpenApiDocument {
  const registry = new SchemaRegistry();
  registry.add(PROBLEM, PROBLEM_SCHEMA);
  const securitySchemes: Record<string, SecurityScheme> = {};
  const context = { registry, options, securitySchemes };
  const paths: OpenApiDocument["paths"] = {};
  const ids = new Set<string>();
  for (const endpoint of collectEndpoints(app.routes)) {
    if (!METHODS.has(endpoint.method)) continue;
    const method = endpoint.method.toLowerCase();
    for (const path of openApiPaths(endpoint.path)) {
      let id = operationIdOf(method, path.path);
      for (let i = 2; ids.has(id); i++) id = `${operationIdOf(method, path.path)}${i}`;
      const operation = buildOperation(context, endpoint.metas, path, id);
      if (!operation) continue;
      ids.add(String(operation.operationId));
      (paths[path.path] ??= {})[method] = operation;
    }
  }
  const info = options.info ?? { title: "API", version: "0.0.0" };
  return {
    openapi: "3.1.0",
    info,
    ...(options.servers ? { servers: options.servers } : {}),
    paths,
    components: {
      schemas: registry.schemas,
      responses: { [PROBLEM]: problemResponse() },
      ...(Object.keys(securitySchemes).length ? { securitySchemes } : {}),
    },
  };
}

/**
 * The options an app's own `openapi()` route was given, so that `skiff openapi` prints the same document the app
 * serves; `undefined` when the app mounts none.
 *
 * @example
 * ```ts
 * servedOptions(app.routes)?.info?.title // "skiff shop"
 * ```
 */
export function servedOptions(routes: readonly RouteLike[]): OpenApiOptions | undefined {
  for (const route of routes)
    for (const meta of openApiMetaOf(route.handler)) if (meta.kind === "document") return meta.options;
  return undefined;
}

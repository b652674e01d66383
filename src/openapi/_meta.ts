import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { OpenApiOptions, RouteDescription, SecurityScheme } from "./types.js";

// Middleware and handlers carry what they tell the OpenAPI document under a registered symbol, so an app built with
// another copy of skiff (dist and src, two versions) is still read.
const KEY = Symbol.for("skiff.openapi");

/**
 * What one middleware or handler contributes to its routes' operations.
 *
 * @example
 * ```ts
 * const meta: OpenApiMeta = { kind: "validate", target: "json", schema: NewUser };
 * ```
 */
export type OpenApiMeta =
  | { kind: "validate"; target: string; schema: StandardSchemaV1 }
  | { kind: "describe"; description: RouteDescription }
  | { kind: "security"; name: string; scheme: SecurityScheme }
  | { kind: "header"; name: string; description: string; required: boolean }
  | { kind: "document"; options: OpenApiOptions };

/**
 * Attaches OpenAPI metadata to a middleware or handler (adding to any it has) and returns it.
 *
 * @example
 * ```ts
 * return withOpenApi(middleware, { kind: "validate", target, schema });
 * ```
 */
export function withOpenApi<F extends object>(fn: F, ...metas: OpenApiMeta[]): F {
  const own = (fn as { [KEY]?: OpenApiMeta[] })[KEY] ?? [];
  Object.defineProperty(fn, KEY, { value: [...own, ...metas], configurable: true, enumerable: false });
  return fn;
}

/**
 * The OpenAPI metadata a middleware or handler carries (empty for any other function).
 *
 * @example
 * ```ts
 * openApiMetaOf(validate("json", NewUser)) // [{ kind: "validate", target: "json", schema: NewUser }]
 * ```
 */
export function openApiMetaOf(fn: unknown): readonly OpenApiMeta[] {
  if (typeof fn !== "function") return [];
  const metas = (fn as { [KEY]?: unknown })[KEY];
  return Array.isArray(metas) ? (metas as OpenApiMeta[]) : [];
}

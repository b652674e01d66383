/**
 * One OpenAPI path a Hono route answers, with its path parameters (and the regular expression a parameter must
 * match, from `:id{[0-9]+}`).
 *
 * @example
 * ```ts
 * const path: OpenApiPath = { path: "/posts/{id}", params: [{ name: "id", pattern: "^[0-9]+$" }] };
 * ```
 */
export interface OpenApiPath {
  path: string;
  params: Array<{ name: string; pattern?: string }>;
}

// `:name`, `:name{regex}` (a regex may hold one level of braces, as in `\d{2,4}`), `:name?`.
const PARAM = /:([A-Za-z0-9_$-]+)(?:\{((?:[^{}\\]|\\.|\{[^{}]*\})+)\})?(\?)?/g;

/**
 * The OpenAPI paths of a Hono route path: `:id` → `{id}`, `:id{[0-9]+}` → `{id}` with its pattern, and an optional
 * last parameter (`/animals/:kind?`) as two paths, since OpenAPI path parameters are always required. A route with
 * a wildcard (`*`) has no OpenAPI path: the result is empty.
 *
 * @example
 * ```ts
 * openApiPaths("/animals/:kind?") // [{ path: "/animals", params: [] }, { path: "/animals/{kind}", params: [{ name: "kind" }] }]
 * ```
 */
export function openApiPaths(honoPath: string): OpenApiPath[] {
  const params: OpenApiPath["params"] = [];
  let optionalFrom: number | undefined;
  let path = "";
  let last = 0;
  for (const match of honoPath.matchAll(PARAM)) {
    const [text, name = "", regex, optional] = match;
    const before = honoPath.slice(last, match.index);
    if (before.includes("*")) return [];
    path += before;
    if (optional) optionalFrom = path.replace(/\/$/, "").length;
    path += `{${name}}`;
    params.push(regex === undefined ? { name } : { name, pattern: `^(?:${regex})$` });
    last = match.index + text.length;
  }
  const rest = honoPath.slice(last);
  if (rest.includes("*")) return [];
  path += rest;
  const full = { path: path || "/", params };
  if (optionalFrom === undefined) return [full];
  return [{ path: path.slice(0, optionalFrom) || "/", params: params.slice(0, -1) }, full];
}

/**
 * An operation id from a method and an OpenAPI path: `GET /api/orders/{id}` → `getApiOrdersById`.
 *
 * @example
 * ```ts
 * operationIdOf("post", "/api/checkouts/{id}/review") // "postApiCheckoutsByIdReview"
 * ```
 */
export function operationIdOf(method: string, path: string): string {
  const words = path
    .split("/")
    .filter(Boolean)
    .map((segment) => {
      const param = /^\{(.+)\}$/.exec(segment)?.[1];
      return param === undefined ? segment : `by-${param}`;
    })
    .flatMap((segment) => segment.split(/[^A-Za-z0-9]+/))
    .filter(Boolean);
  const capital = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);
  return method.toLowerCase() + (words.map(capital).join("") || "Root");
}

import type { Context } from "hono";
import { withOpenApi } from "./_meta.js";
import type { RouteLike } from "./collect.js";
import { openApiDocument } from "./document.js";
import type { OpenApiDocument, OpenApiOptions } from "./types.js";

/**
 * A handler that serves the app's OpenAPI 3.1 document as JSON. The document is generated on the first request
 * (so routes registered after this one are in it) and kept for the life of the isolate or process. The route is
 * not in the document itself, and `skiff openapi` reuses its options, so both print the same document.
 *
 * @example
 * ```ts
 * app.get("/openapi.json", openapi(app, { info: { title: "Shop", version: "1.0.0" } }));
 * ```
 */
export function openapi(
  app: { readonly routes: readonly RouteLike[] },
  options: OpenApiOptions = {},
): (c: Context) => Response {
  let document: OpenApiDocument | undefined;
  const handler = function openapi(c: Context): Response {
    document ??= openApiDocument(app, options);
    return c.json(document);
  };
  return withOpenApi(
    handler,
    { kind: "describe", description: { hide: true } },
    { kind: "document", options },
  );
}

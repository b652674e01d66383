// The public OpenAPI surface, re-exported as is by middleware/openapi (with describeRoute); the CLI's servedOptions
// is imported from ./document.js directly, so it stays out of the package's exports.
export { openApiDocument } from "./document.js";
export { openapi } from "./handler.js";
export { apiReference, type ApiReferenceOptions } from "./docs-page.js";
export type {
  JsonSchema,
  OpenApiDocument,
  OpenApiOptions,
  ResponseDescription,
  ResponseStatus,
  RouteDescription,
  SchemaLike,
  SecurityScheme,
} from "./types.js";

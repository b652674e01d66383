import type { StandardSchemaV1 } from "@standard-schema/spec";

/**
 * A JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1) as a plain object.
 *
 * @example
 * ```ts
 * const schema: JsonSchema = { type: "object", properties: { id: { type: "string" } }, required: ["id"] };
 * ```
 */
export type JsonSchema = { [key: string]: unknown };

/**
 * A schema a route declares: a Standard Schema (zod, valibot, arktype...), documented through its own JSON Schema
 * export, or a JSON Schema written by hand.
 *
 * @example
 * ```ts
 * const a: SchemaLike = z.object({ id: z.string() });
 * const b: SchemaLike = { type: "object", properties: { id: { type: "string" } } };
 * ```
 */
export type SchemaLike = StandardSchemaV1 | JsonSchema;

/**
 * One response a route declares. Without a `schema`, a 4xx or 5xx is documented as skiff's problem+json.
 *
 * @example
 * ```ts
 * const created: ResponseDescription = { description: "The new user", schema: User, headers: { Location: "Where to GET it" } };
 * ```
 */
export interface ResponseDescription {
  description?: string;
  schema?: SchemaLike;
  /** Default `application/json`, or `application/problem+json` for a status of 400 and above. */
  contentType?: string;
  /** Response headers by name, each with its description. */
  headers?: Record<string, string>;
}

/**
 * A status key of a route's responses: a status code, a range (`"4XX"`) or `"default"`.
 *
 * @example
 * ```ts
 * const status: ResponseStatus = 404;
 * ```
 */
export type ResponseStatus = number | `${1 | 2 | 3 | 4 | 5}XX` | "default";

/**
 * What a route says of itself in the OpenAPI document, beside what `validate()` already tells: a summary, tags,
 * its responses, or `hide: true` to leave it out.
 *
 * @example
 * ```ts
 * const about: RouteDescription = { summary: "Place an order", tags: ["orders"], responses: { 202: { description: "Accepted", schema: Accepted } } };
 * ```
 */
export interface RouteDescription {
  summary?: string;
  description?: string;
  tags?: string[];
  operationId?: string;
  deprecated?: boolean;
  hide?: boolean;
  responses?: { [status: string]: ResponseDescription | SchemaLike };
  /** Names of `components.securitySchemes` this route requires (see {@link SecurityScheme}). */
  security?: string[];
}

/**
 * An OpenAPI security scheme, as middleware that checks credentials declares it.
 *
 * @example
 * ```ts
 * const scheme: SecurityScheme = { type: "apiKey", in: "header", name: "x-api-key" };
 * ```
 */
export type SecurityScheme =
  | { type: "apiKey"; in: "header" | "query" | "cookie"; name: string; description?: string }
  | { type: "http"; scheme: string; bearerFormat?: string; description?: string };

/**
 * Options of the OpenAPI document: its `info` and `servers`, and a converter for schema libraries that have no
 * JSON Schema export of their own (valibot's `toJsonSchema`, for example).
 *
 * @example
 * ```ts
 * const options: OpenApiOptions = { info: { title: "Shop", version: "1.0.0" }, servers: [{ url: "https://shop.example" }] };
 * ```
 */
export interface OpenApiOptions {
  info?: { title: string; version: string; description?: string };
  servers?: Array<{ url: string; description?: string }>;
  /**
   * Converts a schema that has no `~standard.jsonSchema`. Return `undefined` to fall back to an open schema.
   */
  toJSONSchema?: (schema: StandardSchemaV1, io: "input" | "output") => JsonSchema | undefined;
}

/**
 * The OpenAPI 3.1 document skiff generates: a plain JSON object.
 *
 * @example
 * ```ts
 * const doc: OpenApiDocument = openApiDocument(app);
 * Object.keys(doc.paths) // ["/api/users", ...]
 * ```
 */
export interface OpenApiDocument {
  openapi: "3.1.0";
  info: { title: string; version: string; description?: string };
  servers?: Array<{ url: string; description?: string }>;
  paths: Record<string, Record<string, unknown>>;
  components: {
    schemas: Record<string, JsonSchema>;
    responses: Record<string, unknown>;
    securitySchemes?: Record<string, SecurityScheme>;
  };
}

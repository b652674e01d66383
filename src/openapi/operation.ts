import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { OpenApiMeta } from "./_meta.js";
import { isSchemaLike, jsonSchemaOf, type SchemaRegistry } from "./json-schema.js";
import type { OpenApiPath } from "./paths.js";
import { problemRef } from "./problem-components.js";
import type {
  JsonSchema,
  OpenApiOptions,
  ResponseDescription,
  RouteDescription,
  SecurityScheme,
} from "./types.js";

/**
 * What building one operation needs: the document's schema registry and options, and where it collects the
 * security schemes routes declare.
 *
 * @example
 * ```ts
 * const context: OperationContext = { registry: new SchemaRegistry(), options: {}, securitySchemes: {} };
 * ```
 */
export interface OperationContext {
  registry: SchemaRegistry;
  options: OpenApiOptions;
  securitySchemes: Record<string, SecurityScheme>;
}

const IN: Readonly<Record<string, string>> = {
  query: "query",
  header: "header",
  cookie: "cookie",
  param: "path",
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Merges the `describeRoute()` metadata of one endpoint, in the order it runs: later scalars win, tags, responses
 * and security add up.
 *
 * @example
 * ```ts
 * mergeDescriptions([{ kind: "describe", description: { tags: ["a"] } }]) // { tags: ["a"], responses: {} }
 * ```
 */
export function mergeDescriptions(
  metas: readonly OpenApiMeta[],
): RouteDescription & { responses: Record<string, unknown> } {
  const merged: RouteDescription & { responses: Record<string, unknown> } = { responses: {} };
  for (const meta of metas) {
    if (meta.kind !== "describe") continue;
    const { responses, tags, security, ...rest } = meta.description;
    Object.assign(merged, rest);
    if (responses) Object.assign(merged.responses, responses);
    if (tags) merged.tags = [...new Set([...(merged.tags ?? []), ...tags])];
    if (security) merged.security = [...new Set([...(merged.security ?? []), ...security])];
  }
  return merged;
}

/**
 * The OpenAPI operation of one endpoint on one of its paths, or `undefined` when the route is hidden. Parameters
 * come from the path and from `validate("query" | "header" | "cookie" | "param")`, one per property of the
 * schema; the body from `validate("json" | "form")`; responses from `describeRoute()`/`responds()`, plus the
 * problem+json 400 and 422 of validation and the 401 of credential checks unless the route declares its own.
 *
 * @example
 * ```ts
 * buildOperation(context, endpoint.metas, { path: "/api/users", params: [] }, "getApiUsers")
 * ```
 */
export function buildOperation(
  context: OperationContext,
  metas: readonly OpenApiMeta[],
  path: OpenApiPath,
  operationId: string,
): Record<string, unknown> | undefined {
  const about = mergeDescriptions(metas);
  if (about.hide) return undefined;
  const id = about.operationId ?? operationId;
  const validators = new Map<string, StandardSchemaV1>();
  for (const meta of metas) if (meta.kind === "validate") validators.set(meta.target, meta.schema);

  const parameters: Array<Record<string, unknown>> = [];
  const paramSchema = validators.get("param");
  const paramProps = paramSchema ? propertiesOf(context, paramSchema, `${id}Params`) : undefined;
  for (const p of path.params) {
    const declared = paramProps?.properties[p.name];
    const schema = declared ?? { type: "string", ...(p.pattern ? { pattern: p.pattern } : {}) };
    parameters.push({ name: p.name, in: "path", required: true, schema });
  }
  for (const target of ["query", "header", "cookie"] as const) {
    const schema = validators.get(target);
    if (schema) parameters.push(...parametersOf(context, schema, target, id));
  }
  for (const meta of metas) {
    if (meta.kind !== "header" || parameters.some((p) => p.in === "header" && p.name === meta.name)) continue;
    parameters.push({
      name: meta.name,
      in: "header",
      required: meta.required,
      description: meta.description,
      schema: { type: "string" },
    });
  }

  const operation: Record<string, unknown> = { operationId: id };
  for (const key of ["summary", "description", "tags", "deprecated"] as const)
    if (about[key] !== undefined) operation[key] = about[key];
  if (parameters.length) operation.parameters = parameters;
  const body = requestBodyOf(context, validators, id);
  if (body) operation.requestBody = body;

  const responses: Record<string, unknown> = {};
  for (const [status, declared] of Object.entries(about.responses))
    responses[status] = responseOf(context, status, declared, `${id}${status}`);
  if (validators.size > 0) {
    responses["400"] ??= problemRef(
      "The request could not be read (wrong Content-Type, malformed JSON or form data)",
    );
    responses["422"] ??= problemRef(
      "The request did not match its schema: `errors` lists each failing field",
    );
  }
  const security = [...(about.security ?? [])];
  for (const meta of metas) {
    if (meta.kind !== "security") continue;
    context.securitySchemes[meta.name] = meta.scheme;
    if (!security.includes(meta.name)) security.push(meta.name);
  }
  if (security.length) {
    operation.security = security.map((name) => ({ [name]: [] }));
    responses["401"] ??= problemRef("Missing or wrong credentials");
  }
  if (!Object.keys(responses).some((s) => /^[123]/.test(s) || s === "default"))
    responses.default = {
      description: "The route's responses are not declared: add responds(status, Schema) to it",
    };
  operation.responses = sortStatuses(responses);
  return operation;
}

function propertiesOf(
  context: OperationContext,
  schema: StandardSchemaV1,
  name: string,
): { properties: Record<string, JsonSchema>; required: Set<string> } | undefined {
  const json = context.registry.embed(jsonSchemaOf(schema, "input", context.options), name);
  if (json.type !== "object" || !isRecord(json.properties)) return undefined;
  const required = new Set(Array.isArray(json.required) ? (json.required as string[]) : []);
  return { properties: json.properties as Record<string, JsonSchema>, required };
}

function parametersOf(
  context: OperationContext,
  schema: StandardSchemaV1,
  target: "query" | "header" | "cookie",
  id: string,
): Array<Record<string, unknown>> {
  const props = propertiesOf(context, schema, `${id}${target[0]?.toUpperCase()}${target.slice(1)}`);
  if (!props) {
    // Not an object of named values (an open schema, a union): one free-form parameter that says so.
    const json = context.registry.embed(jsonSchemaOf(schema, "input", context.options), `${id}${target}`);
    return [
      { name: target, in: IN[target], schema: { type: "object", ...json }, style: "form", explode: true },
    ];
  }
  return Object.entries(props.properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: IN[target],
      required: props.required.has(name) && !("default" in rest),
      ...(typeof description === "string" ? { description } : {}),
      schema: rest,
    };
  });
}

function requestBodyOf(
  context: OperationContext,
  validators: ReadonlyMap<string, StandardSchemaV1>,
  id: string,
): Record<string, unknown> | undefined {
  const content: Record<string, unknown> = {};
  const json = validators.get("json");
  if (json)
    content["application/json"] = {
      schema: context.registry.embed(jsonSchemaOf(json, "input", context.options), `${id}Body`),
    };
  const form = validators.get("form");
  if (form) {
    const schema = context.registry.embed(jsonSchemaOf(form, "input", context.options), `${id}Form`);
    content["application/x-www-form-urlencoded"] = { schema };
    content["multipart/form-data"] = { schema };
  }
  return Object.keys(content).length ? { required: true, content } : undefined;
}

function responseOf(
  context: OperationContext,
  status: string,
  declared: unknown,
  name: string,
): Record<string, unknown> {
  const response: ResponseDescription = isSchemaLike(declared)
    ? { schema: declared }
    : ((declared ?? {}) as ResponseDescription);
  const error = /^[45]/.test(status);
  if (!response.schema && error && !response.headers) return problemRef(response.description);
  const out: Record<string, unknown> = { description: response.description ?? defaultDescription(status) };
  if (response.headers)
    out.headers = Object.fromEntries(
      Object.entries(response.headers).map(([header, description]) => [
        header,
        { description, schema: { type: "string" } },
      ]),
    );
  if (response.schema) {
    const type = response.contentType ?? (error ? "application/problem+json" : "application/json");
    out.content = {
      [type]: {
        schema: context.registry.embed(jsonSchemaOf(response.schema, "output", context.options), name),
      },
    };
  } else if (error) {
    out.content = { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } };
  }
  return out;
}

const DESCRIPTIONS: Readonly<Record<string, string>> = {
  "200": "OK",
  "201": "Created",
  "202": "Accepted",
  "204": "No Content",
  "301": "Moved Permanently",
  "302": "Found",
  "304": "Not Modified",
};

function defaultDescription(status: string): string {
  return DESCRIPTIONS[status] ?? (status === "default" ? "Any other response" : `Status ${status}`);
}

function sortStatuses(responses: Record<string, unknown>): Record<string, unknown> {
  const rank = (s: string) => (s === "default" ? "9" : s.toUpperCase());
  return Object.fromEntries(Object.entries(responses).sort(([a], [b]) => rank(a).localeCompare(rank(b))));
}

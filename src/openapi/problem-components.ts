import type { JsonSchema } from "./types.js";

/**
 * The JSON Schema of every skiff error body, `application/problem+json` (RFC 9457): `type`, `title`, `status`,
 * optional `detail` and `instance`, a 422's `errors` (one `{ path, message }` per failing field) and a 500's
 * `requestId`; other members may follow.
 *
 * @example
 * ```ts
 * components.schemas.Problem = PROBLEM_SCHEMA;
 * ```
 */
export const PROBLEM_SCHEMA: JsonSchema = {
  type: "object",
  description: "An error, as application/problem+json (RFC 9457).",
  properties: {
    type: { type: "string", description: "A URI that names the kind of error", default: "about:blank" },
    title: { type: "string", description: "The HTTP status text, or a short summary" },
    status: { type: "integer", minimum: 400, maximum: 599, description: "The HTTP status" },
    detail: { type: "string", description: "What went wrong with this request, and how to fix it" },
    instance: { type: "string" },
    errors: {
      type: "array",
      description: "One entry per field that failed validation (422)",
      items: {
        type: "object",
        properties: {
          path: { type: "string", description: 'The field, dotted: "items.0.qty"' },
          message: { type: "string" },
        },
        required: ["path", "message"],
      },
    },
    requestId: { type: "string", description: "The request's id, to find its log lines (5xx)" },
  },
  required: ["type", "title", "status"],
};

/**
 * The name of the problem+json schema and response in `components`.
 *
 * @example
 * ```ts
 * doc.components.responses[PROBLEM] // the problem+json response
 * ```
 */
export const PROBLEM = "Problem";

/**
 * A response that is a problem+json body: the component every route's 4xx refers to, with its own description.
 *
 * @example
 * ```ts
 * problemRef("No order with this id") // { $ref: "#/components/responses/Problem", description: "No order with this id" }
 * ```
 */
export function problemRef(description?: string): Record<string, string> {
  return {
    $ref: `#/components/responses/${PROBLEM}`,
    ...(description === undefined ? {} : { description }),
  };
}

/**
 * `components.responses.Problem`: the problem+json response, documented once.
 *
 * @example
 * ```ts
 * doc.components.responses = { Problem: problemResponse() };
 * ```
 */
export function problemResponse(): Record<string, unknown> {
  return {
    description: "An error (application/problem+json)",
    content: { "application/problem+json": { schema: { $ref: `#/components/schemas/${PROBLEM}` } } },
  };
}

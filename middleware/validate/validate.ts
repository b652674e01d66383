import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { Env, Input, MiddlewareHandler, ValidationTargets } from "hono";
import { HTTPException } from "hono/http-exception";
import { type InferInput, validator } from "hono/validator";
import { problem } from "../_problem.js";
import { withOpenApi } from "../../src/openapi/_meta.js";
import { toFieldIssues } from "../../src/schema.js";
import { type FieldError, WHAT, validateWithRetypedArrays } from "./_issues.js";

/**
 * Where {@link validate} reads its value from: `json`, `form`, `query`, `param`, `header` or `cookie`.
 *
 * @example
 * ```ts
 * const target: ValidationTarget = "query";
 * ```
 */
export type ValidationTarget = keyof ValidationTargets;

/**
 * The Hono input type {@link validate} declares: `out` is what `c.req.valid(target)` returns (the schema's output),
 * `in` is what a client sends (the schema's input, with non-JSON targets widened the way Hono's RPC client expects).
 *
 * @example
 * ```ts
 * type In = ValidatedInput<"json", typeof Order>["in"]["json"]; // z.input<typeof Order>
 * ```
 */
export type ValidatedInput<Target extends ValidationTarget, Schema extends StandardSchemaV1> = {
  in: {
    [K in Target]: K extends "json"
      ? StandardSchemaV1.InferInput<Schema>
      : InferInput<StandardSchemaV1.InferInput<Schema>, K>;
  };
  out: { [K in Target]: StandardSchemaV1.InferOutput<Schema> };
};

export type { FieldError };

const TARGETS: ReadonlySet<string> = new Set<ValidationTarget>([
  "json",
  "form",
  "query",
  "param",
  "header",
  "cookie",
]);
const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i;
const FORM_MEDIA_TYPES: ReadonlySet<string> = new Set([
  "multipart/form-data",
  "application/x-www-form-urlencoded",
]);

const mediaType = (contentType: string | undefined): string =>
  (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";

/**
 * Validates one part of the request against a schema from zod or any other Standard Schema v1 library, and makes
 * the parsed value available, typed, as `c.req.valid(target)` (and to Hono's RPC client). Built on Hono's own
 * `validator()`, so parsing and typing match Hono's. A body that cannot be read as the target (wrong
 * `Content-Type`, malformed JSON or form data) is a 400 problem; a value the schema rejects is a 422 problem with
 * `errors: [{ path: "items.0.qty", message }]`, one entry per issue. Header names are lower case. For `query` and
 * `form`, a key sent once is a string and a key sent several times is an array; a single value is wrapped in an
 * array only where the schema asks for one (found by re-validating with that key wrapped, so it works with every
 * Standard Schema library). A repeated key whose schema wants one value is a 422, never a silent pick of the first
 * or last value: disagreement on that pick between a proxy and the app is how parameter pollution works. The
 * app's OpenAPI document (docs/openapi.md) documents the target from the same schema.
 *
 * @example
 * ```ts
 * const Order = z.object({ sku: z.string(), qty: z.number().int().positive() });
 * app.post("/orders", validate("json", Order), (c) => {
 *   const order = c.req.valid("json"); // { sku: string; qty: number }
 *   return c.json({ accepted: order.sku }, 202);
 * });
 * app.get("/search", validate("query", z.object({ tag: z.array(z.string()) })), (c) => c.json(c.req.valid("query")));
 * ```
 */
export const validate = <
  Target extends ValidationTarget,
  Schema extends StandardSchemaV1,
  E extends Env = Env,
  P extends string = string,
  I extends Input = ValidatedInput<Target, Schema>,
>(
  target: Target,
  schema: Schema,
): MiddlewareHandler<E, P, I> => {
  if (!TARGETS.has(target)) {
    throw new TypeError(
      `[skiff] validate: target ${JSON.stringify(target)} must be one of ${[...TARGETS].join(", ")}`,
    );
  }
  const standard = (schema as Partial<StandardSchemaV1> | null | undefined)?.["~standard"];
  if (standard?.version !== 1 || typeof standard.validate !== "function") {
    throw new TypeError(
      `[skiff] validate(${JSON.stringify(target)}): schema is not a Standard Schema v1 (no "~standard")`,
    );
  }
  const multiValued = target === "query" || target === "form";

  const check = validator(target, async (value: unknown) => {
    const result = await validateWithRetypedArrays(schema, value, multiValued);
    if (result.issues) {
      throw problem(422, "Unprocessable Content", `The ${WHAT[target]} did not match its schema`, {
        errors: toFieldIssues(result.issues),
      });
    }
    return result.value;
  });

  const middleware: MiddlewareHandler = async function validate(c, next) {
    // Hono's validator() reads a body with the wrong Content-Type as `{}`, which would surface as a confusing 422
    // (or pass an all-optional schema), so the media type is checked here first.
    if (target === "json" && !JSON_MEDIA_TYPE.test(mediaType(c.req.header("content-type")))) {
      throw problem(400, "Bad Request", "Expected a JSON body (Content-Type: application/json)");
    }
    if (target === "form" && !FORM_MEDIA_TYPES.has(mediaType(c.req.header("content-type")))) {
      throw problem(
        400,
        "Bad Request",
        "Expected a form body (multipart/form-data or x-www-form-urlencoded)",
      );
    }
    let reachedNext = false;
    try {
      return await check(c, () => {
        reachedNext = true;
        return next();
      });
    } catch (error) {
      // Only the validator's own parse failures (plain-text 400s, thrown before `next`) become problems; our 422
      // and anything thrown further down the chain pass through untouched.
      if (!reachedNext && error instanceof HTTPException && error.status === 400) {
        throw problem(400, "Bad Request", `The ${WHAT[target]} is malformed`);
      }
      throw error;
    }
  };
  // The OpenAPI document reads the target and schema from here (src/openapi).
  return withOpenApi(middleware, { kind: "validate", target, schema }) as MiddlewareHandler<E, P, I>;
};

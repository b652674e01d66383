import type { StandardSchemaV1 } from "@standard-schema/spec";
import { type FieldIssue, ValidationError } from "./errors.js";

/**
 * Any Standard Schema v1 validator (zod, valibot, arktype, ...). skiff depends on the interface, not a library.
 *
 * @example
 * ```ts
 * const queues = { orders: z.object({ orderId: z.string() }) } satisfies Record<string, AnySchema>;
 * ```
 */
export type AnySchema = StandardSchemaV1;
/**
 * The type a schema accepts (what a producer may send), before the schema's defaults and transforms apply.
 *
 * @example
 * ```ts
 * type OrderIn = SchemaInput<typeof Order>; // what c.var.queues.orders.send() accepts
 * ```
 */
export type SchemaInput<S extends AnySchema> = StandardSchemaV1.InferInput<S>;
/**
 * The type a schema produces (what a consumer receives), after the schema's defaults and transforms apply.
 *
 * @example
 * ```ts
 * type OrderOut = SchemaOutput<typeof Order>; // message.body in app.queue("orders", ...)
 * ```
 */
export type SchemaOutput<S extends AnySchema> = StandardSchemaV1.InferOutput<S>;

/**
 * Turns Standard Schema issues into flat `{ path, message }` pairs (`items.0.qty`), the shape every skiff error
 * body and log line uses.
 *
 * @example
 * ```ts
 * toFieldIssues([{ message: "Required", path: ["items", 0, "qty"] }]) // [{ path: "items.0.qty", message: "Required" }]
 * ```
 */
export function toFieldIssues(issues: ReadonlyArray<StandardSchemaV1.Issue>): FieldIssue[] {
  return issues.map((issue) => ({
    path: (issue.path ?? [])
      .map((segment) => String(typeof segment === "object" && segment !== null ? segment.key : segment))
      .join("."),
    message: issue.message,
  }));
}

/**
 * Validates a value against a Standard Schema, returning the parsed output or throwing a {@link ValidationError}
 * whose message names `what` was being validated.
 *
 * @example
 * ```ts
 * const order = await parseWithSchema(Order, body, 'message for queue "orders"');
 * ```
 */
export async function parseWithSchema<S extends AnySchema>(
  schema: S,
  value: unknown,
  what: string,
): Promise<SchemaOutput<S>> {
  let result = schema["~standard"].validate(value);
  if (result instanceof Promise) result = await result;
  if (result.issues) {
    const issues = toFieldIssues(result.issues);
    const summary = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ");
    throw new ValidationError(`${what} is invalid: ${summary}`, issues);
  }
  return result.value;
}

import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { ValidationTargets } from "hono";
import type { FieldIssue } from "../../src/errors.js";

/**
 * One failing field in a 422 problem: the core's `{ path, message }` pair. A `validate()` failure lists one per
 * issue in the problem's `errors`.
 *
 * @example
 * ```ts
 * const { errors } = (await res.json()) as { errors: FieldError[] }; // [{ path: "qty", message: "..." }]
 * ```
 */
export type FieldError = FieldIssue;

/**
 * How a 422 or 400 detail names each validation target, shared by `validate()` and `validationProblem`.
 *
 * @example
 * ```ts
 * `The ${WHAT.json} did not match its schema` // "The JSON body did not match its schema"
 * ```
 */
export const WHAT: Readonly<Record<keyof ValidationTargets, string>> = {
  json: "JSON body",
  form: "form body",
  query: "query string",
  param: "path parameters",
  header: "headers",
  cookie: "cookies",
};

const segmentKey = (segment: PropertyKey | StandardSchemaV1.PathSegment): PropertyKey =>
  typeof segment === "object" ? segment.key : segment;

const keyText = (key: PropertyKey): string =>
  typeof key === "symbol" ? (key.description ?? "") : String(key);

const run = async (schema: StandardSchemaV1, value: unknown): Promise<StandardSchemaV1.Result<unknown>> =>
  schema["~standard"].validate(value);

/** Top-level keys (as strings) that some issue points into. */
const failingKeys = (issues: ReadonlyArray<StandardSchemaV1.Issue>): Set<string> => {
  const keys = new Set<string>();
  for (const issue of issues) {
    const first = issue.path?.[0];
    if (first !== undefined) keys.add(keyText(segmentKey(first)));
  }
  return keys;
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const wrapped = (value: Record<string, unknown>, keys: Iterable<string>): Record<string, unknown> => {
  const copy: Record<string, unknown> = { ...value };
  for (const key of keys) copy[key] = [value[key]];
  return copy;
};

/**
 * Validates `value`; for multi-valued targets (query, form) where a key sent once failed, tries again with that key
 * as a one-element array and keeps the array wherever it cleared that key's issues. Standard Schema offers no way
 * to ask a schema whether it wants an array, so asking by validation is the one rule that holds for every library.
 * At most three validations, and only on requests that failed the first.
 *
 * @example
 * ```ts
 * await validateWithRetypedArrays(z.object({ tag: z.array(z.string()) }), { tag: "red" }, true); // { value: { tag: ["red"] } }
 * ```
 */
export const validateWithRetypedArrays = async (
  schema: StandardSchemaV1,
  value: unknown,
  multiValued: boolean,
): Promise<StandardSchemaV1.Result<unknown>> => {
  const first = await run(schema, value);
  if (!first.issues || !multiValued || !isRecord(value)) return first;

  const candidates = [...failingKeys(first.issues)].filter(
    (key) => Object.hasOwn(value, key) && !Array.isArray(value[key]),
  );
  if (candidates.length === 0) return first;

  const second = await run(schema, wrapped(value, candidates));
  if (!second.issues) return second;
  const stillFailing = failingKeys(second.issues);
  const helped = candidates.filter((key) => !stillFailing.has(key));
  if (helped.length === 0) return first;
  if (helped.length === candidates.length) return second;
  return run(schema, wrapped(value, helped));
};

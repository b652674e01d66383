import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { HTTPException } from "hono/http-exception";
import { problem } from "../_problem.js";
import { toFieldIssues } from "../../src/schema.js";
import { WHAT } from "./_issues.js";

/**
 * The result a Hono validator's hook receives, as `@hono/zod-validator` (its `error` a `ZodError`) and
 * `@hono/standard-validator` (its `error` a list of Standard Schema issues) both pass it.
 *
 * @example
 * ```ts
 * const hook = (result: ValidatorHookResult) => (result.success ? undefined : console.log(result.target));
 * ```
 */
export type ValidatorHookResult = { target: string } & (
  | { success: true }
  | {
      success: false;
      error:
        ReadonlyArray<StandardSchemaV1.Issue> | { readonly issues: ReadonlyArray<StandardSchemaV1.Issue> };
    }
);

const issuesOf = (error: Extract<ValidatorHookResult, { success: false }>["error"]) =>
  Array.isArray(error)
    ? (error as ReadonlyArray<StandardSchemaV1.Issue>)
    : (error as { issues: ReadonlyArray<StandardSchemaV1.Issue> }).issues;

/**
 * A hook for Hono's own validators, `@hono/zod-validator`'s `zValidator()` and `@hono/standard-validator`'s
 * `sValidator()`, that answers a failed validation exactly as skiff's {@link validate} does: it throws a 422
 * `application/problem+json` whose `errors` lists `{ path, message }` per issue, which the app's `onError` can see,
 * log or reshape. Without it those validators answer a 400 with their own JSON body. (A malformed body is still the
 * validator's 400, which skiff's `onError` renders as a problem.)
 *
 * @example
 * ```ts
 * import { zValidator } from "@hono/zod-validator";
 * import { sValidator } from "@hono/standard-validator";
 * app.post("/orders", zValidator("json", Order, validationProblem), (c) => c.json(c.req.valid("json")));
 * app.get("/search", sValidator("query", Search, validationProblem), (c) => c.json(c.req.valid("query")));
 * ```
 */
export const validationProblem = (result: ValidatorHookResult): undefined => {
  if (result.success) return undefined;
  const what = (WHAT as Readonly<Record<string, string>>)[result.target] ?? `request ${result.target}`;
  const error: HTTPException = problem(422, "Unprocessable Content", `The ${what} did not match its schema`, {
    errors: toFieldIssues(issuesOf(result.error)),
  });
  throw error;
};

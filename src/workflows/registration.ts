import type { AnySchema } from "../schema.js";
import type { Duration, RetryPolicy, WorkflowHandler } from "./types.js";

/**
 * Options of `app.workflow(name, handler, options)`: the defaults of every step of that workflow (a step's own
 * options win).
 *
 * @example
 * ```ts
 * app.workflow("checkout", checkout, { retries: { limit: 5, delay: "10 seconds" }, timeout: "1 minute" });
 * ```
 */
export interface WorkflowOptions {
  retries?: RetryPolicy;
  timeout?: Duration;
}

/**
 * A workflow as the registry holds it: its name, input schema, handler and options. `app.triggers.workflows`
 * lists the implemented ones; the CLI reads it for `skiff routes`.
 *
 * @example
 * ```ts
 * for (const [name, w] of app.triggers.workflows) console.log("workflow", name, w.options);
 * ```
 */
export interface WorkflowRegistration {
  readonly name: string;
  readonly schema: AnySchema;
  readonly handler: WorkflowHandler<unknown>;
  readonly options: WorkflowOptions;
}

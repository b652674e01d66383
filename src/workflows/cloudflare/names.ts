// Default names of a workflow on Cloudflare, shared by the Worker (which exports the classes and finds the binding)
// and the CLI (which generates and checks `[[workflows]]`), so the two cannot drift.

/**
 * A workflow name in PascalCase, as {@link workflowClassName} builds it at run time: `order-report` → `OrderReport`.
 *
 * @example
 * ```ts
 * type A = PascalName<"order-report">; // "OrderReport"
 * ```
 */
export type PascalName<S extends string> = S extends `${infer H}-${infer T}`
  ? `${PascalName<H>}${PascalName<T>}`
  : S extends `${infer H}_${infer T}`
    ? `${PascalName<H>}${PascalName<T>}`
    : Capitalize<S>;

/**
 * The name of the class a Worker exports for a workflow, which `[[workflows]] class_name` names.
 *
 * @example
 * ```ts
 * type A = WorkflowClassName<"checkout">; // "CheckoutWorkflow"
 * ```
 */
export type WorkflowClassName<S extends string> = `${PascalName<S>}Workflow`;

/**
 * The class name of a workflow's Cloudflare entrypoint: PascalCase plus `Workflow` (`checkout` → `CheckoutWorkflow`,
 * `order-report` → `OrderReportWorkflow`).
 *
 * @example
 * ```ts
 * workflowClassName("order-report"); // "OrderReportWorkflow"
 * ```
 */
export function workflowClassName<S extends string>(workflow: S): WorkflowClassName<S> {
  const pascal = workflow
    .split(/[-_]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");
  return `${pascal}Workflow` as WorkflowClassName<S>;
}

/**
 * The default binding name of a workflow: upper snake case plus `_WORKFLOW` (`checkout` → `CHECKOUT_WORKFLOW`), so it
 * never collides with a queue binding of the same name.
 *
 * @example
 * ```ts
 * workflowBindingName("orderReport"); // "ORDER_REPORT_WORKFLOW"
 * ```
 */
export function workflowBindingName(workflow: string): string {
  const snake = workflow
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/[^A-Za-z0-9]+/g, "_")
    .toUpperCase();
  return `${snake}_WORKFLOW`;
}

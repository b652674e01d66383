// The entry `skiff/cloudflare/workflows`: the only module of skiff that imports workerd's built-in modules, kept out
// of `skiff/cloudflare` so that Node (the CLI, tests) can import the adapter.
import { WorkflowEntrypoint } from "cloudflare:workers";
import { NonRetryableError } from "cloudflare:workflows";
import { SkiffError } from "../../errors.js";
import { workflowClassName, type WorkflowClassName } from "../../workflows/cloudflare/names.js";
import { runOnCloudflare } from "../../workflows/cloudflare/run.js";
import type { CloudflareWorkflowEvent, CloudflareWorkflowStep } from "../../workflows/cloudflare/types.js";
import type { TriggerRegistry } from "../../triggers/registry.js";
import type { WorkflowRegistration } from "../../workflows/registration.js";
import { workflowNames } from "./options.js";
import { workflowHostOf } from "./_workflow-host.js";

/**
 * A Workflow entrypoint class, as workerd constructs it: what a `[[workflows]] class_name` names.
 *
 * @example
 * ```ts
 * const Checkout: CloudflareWorkflowClass = cloudflareWorkflows(worker).CheckoutWorkflow;
 * ```
 */
export type CloudflareWorkflowClass = new (
  ctx: never,
  env: never,
) => { run(event: never, step: never): Promise<unknown> };

/**
 * The classes {@link cloudflareWorkflows} returns, one per workflow, named `<PascalName>Workflow`.
 *
 * @example
 * ```ts
 * type Classes = CloudflareWorkflowClasses<"checkout" | "order-report">; // { CheckoutWorkflow, OrderReportWorkflow }
 * ```
 */
export type CloudflareWorkflowClasses<W extends string> = string extends W
  ? Readonly<Record<string, CloudflareWorkflowClass>>
  : { readonly [K in W as WorkflowClassName<K>]: CloudflareWorkflowClass };

/**
 * The Workflow entrypoint classes of a Worker whose workflows run on Cloudflare Workflows
 * (`toCloudflare(app, { workflows: { engine: "cloudflare" } })`). Cloudflare requires a `WorkflowEntrypoint` class
 * exported by name for each `[[workflows]]` binding: export each class under the name it has here,
 * `<PascalName>Workflow` (`checkout` → `CheckoutWorkflow`), which is the `class_name` that `skiff build` and
 * `skiff check` expect. Each class runs the workflow's `app.workflow()` handler with skiff's step API mapped onto
 * Cloudflare's, the Worker's bindings in `ctx`, and compensation (`undo`) done by skiff when a run fails.
 *
 * @example
 * ```ts
 * // worker.ts
 * import { toCloudflare } from "skiff/cloudflare";
 * import { cloudflareWorkflows } from "skiff/cloudflare/workflows";
 * import { app } from "./app.js";
 *
 * const worker = toCloudflare(app, { workflows: { engine: "cloudflare" } });
 * export default worker;
 * export const { CheckoutWorkflow } = cloudflareWorkflows(worker);
 * ```
 */
export function cloudflareWorkflows<W extends string = string>(worker: {
  readonly fetch: unknown;
  readonly "~workflows"?: W;
}): CloudflareWorkflowClasses<W> {
  const host = workflowHostOf(worker);
  if (!host)
    throw new SkiffError("cloudflareWorkflows() takes the Worker that toCloudflare(app, ...) returned");
  if (!host.names.workflowBinding) {
    throw new SkiffError(
      'cloudflareWorkflows(): the Worker runs its workflows on skiff\'s portable engine; pass toCloudflare(app, { workflows: { engine: "cloudflare" } }) to run them on Cloudflare Workflows',
    );
  }
  const classes: Record<string, CloudflareWorkflowClass> = {};
  for (const workflow of workflowNames(host.registry)) {
    const entrypoint = class extends WorkflowEntrypoint<unknown, unknown> {
      override async run(event: CloudflareWorkflowEvent, step: unknown): Promise<unknown> {
        const runtime = host.runtimeFor(this.env);
        const log = runtime.log.child({ trigger: "workflow" });
        const registration = registrationOf(host.registry, workflow);
        return runOnCloudflare(event, step as CloudflareWorkflowStep, {
          workflow,
          handler: registration.handler,
          defaults: registration.options,
          ctx: runtime.triggerContext((promise) => this.ctx.waitUntil(promise), log),
          nonRetryable: (error) => new NonRetryableError(error.message), // named NonRetryableError: what Cloudflare checks
        });
      }
    };
    const name = workflowClassName(workflow);
    Object.defineProperty(entrypoint, "name", { value: name });
    classes[name] = entrypoint as unknown as CloudflareWorkflowClass;
  }
  return classes as CloudflareWorkflowClasses<W>;
}

// What `app.workflow(name, handler, options)` registered; looked up at run time, so module order does not matter.
function registrationOf(registry: TriggerRegistry, workflow: string): WorkflowRegistration {
  const registration = registry.workflows.get(workflow);
  if (!registration) {
    throw new SkiffError(
      `workflow "${workflow}" is declared but has no handler: register it with app.workflow("${workflow}", handler)`,
    );
  }
  return registration;
}

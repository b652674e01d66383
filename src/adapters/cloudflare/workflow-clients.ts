import type { SkiffRuntime } from "../../runtime.js";
import { cloudflareWorkflowClient } from "../../workflows/cloudflare/client.js";
import { workflowClassName } from "../../workflows/cloudflare/names.js";
import type { WorkflowClient } from "../../workflows/types.js";
import { isWorkflow, lookupBinding } from "./_binding.js";
import type { BindingNames } from "./options.js";

/**
 * @internal With `workflows: { engine: "cloudflare" }`, the runtime option that makes the workflow clients
 * (`c.var.workflows`, `ctx.workflows`) the ones over the `[[workflows]]` bindings, each looked up on first use;
 * `undefined` on the portable engine, whose clients the runtime serves by default.
 */
export function cloudflareWorkflowClients(
  names: BindingNames,
): ((runtime: SkiffRuntime) => Readonly<Record<string, WorkflowClient<unknown>>>) | undefined {
  const bindingOf = names.workflowBinding;
  if (!bindingOf) return undefined;
  return (runtime) => {
    const clients: Record<string, WorkflowClient<unknown>> = {};
    for (const [workflow, schema] of runtime.registry.workflowSchemas) {
      const binding = bindingOf(workflow);
      clients[workflow] = cloudflareWorkflowClient(workflow, schema, () =>
        lookupBinding(
          runtime.env,
          binding,
          isWorkflow,
          `the Workflow of "${workflow}"`,
          `[[workflows]] binding = "${binding}" class_name = "${workflowClassName(workflow)}"`,
        ),
      );
    }
    return Object.freeze(clients);
  };
}

import type { SkiffRuntime } from "../../runtime.js";
import type { TriggerRegistry } from "../../triggers/registry.js";
import type { BindingNames } from "./options.js";

/** @internal Where a Worker built by `toCloudflare` keeps what `cloudflareWorkflows()` needs; not a handler name. */
export const WORKFLOW_HOST: unique symbol = Symbol.for("skiff.cloudflare.workflows");

/** @internal What the Workflow entrypoints share with the Worker: its registry, binding names and runtime. */
export interface WorkflowHost {
  readonly registry: TriggerRegistry;
  readonly names: BindingNames;
  readonly runtimeFor: (env: unknown) => SkiffRuntime;
}

/** @internal Attaches the host to a Worker, non-enumerable, so workerd and `{ ...worker }` never see it. */
export function attachWorkflowHost<T extends object>(worker: T, host: WorkflowHost): T {
  Object.defineProperty(worker, WORKFLOW_HOST, { value: host, enumerable: false });
  return worker;
}

/** @internal The host of a Worker built by `toCloudflare`, if it is one. */
export function workflowHostOf(worker: unknown): WorkflowHost | undefined {
  return (worker as { [WORKFLOW_HOST]?: WorkflowHost } | null | undefined)?.[WORKFLOW_HOST];
}

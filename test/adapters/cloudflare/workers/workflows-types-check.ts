// Type-level proof (npm run typecheck:workers) that skiff's structural Workflows types accept the real ones from
// @cloudflare/workers-types, and that the Workflows entry (src/adapters/cloudflare/workflows.ts) compiles against the
// real `cloudflare:workers` and `cloudflare:workflows` declarations, not only against skiff's own.
import type { WorkflowEvent, WorkflowStep } from "cloudflare:workers";
import {
  cloudflareWorkflows,
  type CloudflareWorkflowClass,
} from "../../../../src/adapters/cloudflare/workflows.js";
import { toCloudflare } from "../../../../src/adapters/cloudflare/index.js";
import type {
  CloudflareWorkflowBinding,
  CloudflareWorkflowEvent,
  CloudflareWorkflowInstance,
  CloudflareWorkflowStep,
} from "../../../../src/workflows/cloudflare/types.js";
import { Skiff } from "../../../../src/index.js";
import { z } from "zod";

declare const step: WorkflowStep;
declare const event: WorkflowEvent<{ orderId: string }>;
// The client passes validated params of any workflow, so the binding it needs is `Workflow` (params unknown).
declare const binding: Workflow;
declare const instance: WorkflowInstance;

export const asStep: CloudflareWorkflowStep = step;
export const asEvent: CloudflareWorkflowEvent = event;
export const asBinding: CloudflareWorkflowBinding = binding;
export const asInstance: CloudflareWorkflowInstance = instance;

// The classes are named by workflow: `order-report` → OrderReportWorkflow, and nothing else is there.
const app = new Skiff({
  workflows: { checkout: z.object({ orderId: z.string() }), "order-report": z.object({}) },
});
const worker = toCloudflare(app, { workflows: { engine: "cloudflare" } });
export const { CheckoutWorkflow, OrderReportWorkflow } = cloudflareWorkflows(worker);
export const classes: CloudflareWorkflowClass[] = [CheckoutWorkflow, OrderReportWorkflow];
// @ts-expect-error: no workflow "refund", so no RefundWorkflow
export const { RefundWorkflow } = cloudflareWorkflows(worker);

// A Worker whose workflows run on Cloudflare Workflows through skiff's mapping (src/workflows/cloudflare), one
// entrypoint class and one `[[workflows]]` binding per handler of handlers.ts. Bundled and run in Miniflare by
// test/adapters/cloudflare/workflows-engine.test.ts; routes start, read, signal and cancel runs through the skiff
// client over the binding, and `/modify` reaches Miniflare's instance modifier (its test hooks for sleeps and timeouts).
import { WorkflowEntrypoint } from "cloudflare:workers";
import { NonRetryableError } from "cloudflare:workflows";
import { z } from "zod";
import { Skiff } from "../../../../src/index.js";
import { resolveBindingNames } from "../../../../src/adapters/cloudflare/options.js";
import { cloudflareRuntimeOptions } from "../../../../src/adapters/cloudflare/runtime.js";
import { toCloudflare } from "../../../../src/adapters/cloudflare/to-cloudflare.js";
import { createRuntime, type SkiffRuntime } from "../../../../src/runtime.js";
import { cloudflareWorkflowClient } from "../../../../src/workflows/cloudflare/client.js";
import { workflowBindingName, workflowClassName } from "../../../../src/workflows/cloudflare/names.js";
import { runOnCloudflare } from "../../../../src/workflows/cloudflare/run.js";
import type {
  CloudflareWorkflowBinding,
  CloudflareWorkflowStep,
} from "../../../../src/workflows/cloudflare/types.js";
import type { WorkflowOptions } from "../../../../src/workflows/registration.js";
import type { WorkflowHandler } from "../../../../src/workflows/types.js";
import { handlers } from "./handlers.js";

const schemas: Record<string, z.ZodType> = {
  chain: z.object({ n: z.number().int().min(0) }),
  flaky: z.object({ failures: z.number().int().min(0) }),
  fanout: z.object({ n: z.number().int().min(0).max(10_000) }),
};
const Empty = z.object({}).strict();

const app = new Skiff();
let runtime: SkiffRuntime | undefined;
const runtimeFor = (env: Record<string, unknown>) =>
  (runtime ??= createRuntime(app, cloudflareRuntimeOptions(env, resolveBindingNames(app.triggers))));

const clientOf = (env: Record<string, unknown>, workflow: string) =>
  cloudflareWorkflowClient<unknown>(
    workflow,
    schemas[workflow] ?? Empty,
    () => env[workflowBindingName(workflow)] as CloudflareWorkflowBinding,
  );

app.post("/runs/:workflow", async (c) => {
  const body = (await c.req.json()) as { input: unknown; id?: string };
  const run = await clientOf(c.env as never, c.req.param("workflow")).start(
    body.input,
    body.id ? { id: body.id } : {},
  );
  return c.json(run, run.created ? 201 : 200);
});
app.get("/runs/:workflow/:id", async (c) => {
  const run = await clientOf(c.env as never, c.req.param("workflow")).get(c.req.param("id"));
  return run ? c.json(run) : c.notFound();
});
app.post("/runs/:workflow/:id/events", async (c) => {
  const event = (await c.req.json()) as { type: string; payload?: unknown };
  await clientOf(c.env as never, c.req.param("workflow")).sendEvent(c.req.param("id"), event);
  return c.body(null, 202);
});
app.post("/runs/:workflow/:id/cancel", async (c) => {
  await clientOf(c.env as never, c.req.param("workflow")).cancel(c.req.param("id"));
  return c.body(null, 202);
});
app.get("/log/:id", async (c) => {
  const { keys } = await c.var.kv.list({ prefix: `log:${c.req.param("id")}:` });
  const entries = await Promise.all(keys.map((k) => c.var.kv.get(k.name)));
  return c.json({ entries });
});
// Miniflare's test hooks (what @cloudflare/vitest-pool-workers' introspectWorkflowInstance uses), set before a run starts.
app.post("/modify/:workflow/:id", async (c) => {
  const body = (await c.req.json()) as { disableSleeps?: boolean; eventTimeout?: string };
  const binding = (c.env as Record<string, unknown>)[workflowBindingName(c.req.param("workflow"))] as {
    unsafeGetInstanceModifier(id: string): Promise<{
      disableSleeps(): Promise<void>;
      forceEventTimeout(step: { name: string }): Promise<void>;
    }>;
  };
  const modifier = await binding.unsafeGetInstanceModifier(c.req.param("id"));
  if (body.disableSleeps) await modifier.disableSleeps();
  if (body.eventTimeout) await modifier.forceEventTimeout({ name: body.eventTimeout });
  return c.body(null, 204);
});

export default toCloudflare(app);

function entrypoint(workflow: string, handler: WorkflowHandler<never>, defaults?: WorkflowOptions) {
  const cls = class extends WorkflowEntrypoint<Record<string, unknown>, unknown> {
    override run(event: Parameters<typeof runOnCloudflare>[0], step: unknown): Promise<unknown> {
      const rt = runtimeFor(this.env);
      return runOnCloudflare(event, step as CloudflareWorkflowStep, {
        workflow,
        handler: handler as WorkflowHandler<unknown>,
        defaults,
        ctx: rt.triggerContext((p) => this.ctx.waitUntil(p)),
        nonRetryable: (error) => new NonRetryableError(error.message), // named NonRetryableError: what Cloudflare checks
      });
    }
  };
  Object.defineProperty(cls, "name", { value: workflowClassName(workflow) });
  return cls;
}

export const ChainWorkflow = entrypoint("chain", handlers.chain!);
export const FlakyWorkflow = entrypoint("flaky", handlers.flaky!);
export const DeclinedWorkflow = entrypoint("declined", handlers.declined!);
export const SagaWorkflow = entrypoint("saga", handlers.saga!);
export const ApprovalWorkflow = entrypoint("approval", handlers.approval!);
export const TimeoutWorkflow = entrypoint("timeout", handlers.timeout!);
export const SleeperWorkflow = entrypoint("sleeper", handlers.sleeper!);
export const NapperWorkflow = entrypoint("napper", handlers.napper!);
export const FanoutWorkflow = entrypoint("fanout", handlers.fanout!);
export const CancellableWorkflow = entrypoint("cancellable", handlers.cancellable!);
export const PolicyWorkflow = entrypoint("policy", handlers.policy!, {
  retries: { limit: 1, delay: 10, backoff: "constant" },
});
export const TwiceWorkflow = entrypoint("twice", handlers.twice!);
